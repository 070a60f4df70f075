// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title EAI token
/// @notice ERC-20 with permit and a hard cap. After the genesis allocation fixed at deployment,
/// the only way supply grows is the block reward minted by the task manager.
interface IEAIToken is IERC20, IERC20Permit {
    /// @notice `caller` is not the minter.
    error EAITokenUnauthorizedMinter(address caller);
    /// @notice The minter can be set once only.
    error EAITokenMinterAlreadySet(address minter);
    /// @notice The minter cannot be the zero address.
    error EAITokenZeroMinter();
    /// @notice The genesis allocation lists `holders` accounts but `amounts` amounts.
    error EAITokenGenesisLengthMismatch(uint256 holders, uint256 amounts);

    /// @notice The minter (the task manager) was set.
    event MinterSet(address indexed minter);

    /// @notice Mints `amount` to `to`. Only the minter; reverts past the cap.
    function mint(address to, uint256 amount) external;

    /// @notice Sets the minter, once. Only the owner.
    function setMinter(address minter_) external;

    /// @notice The minter allowed to mint block rewards.
    function minter() external view returns (address);

    /// @notice The hard cap on total supply.
    function cap() external view returns (uint256);
}
