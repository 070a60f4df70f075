// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title Treasury
/// @notice Holds the protocol's EAI: the treasury share of every fee and every slashed or forfeited
/// amount not paid to someone. Governance (the owner) spends it. Tokens arrive by plain transfer.
contract Treasury is Ownable2Step, ReentrancyGuardTransient, ITreasury {
    using SafeERC20 for IERC20;

    IERC20 private immutable _token;

    /// @param token_ The EAI token.
    /// @param governance The owner, the only account that may spend.
    constructor(IERC20 token_, address governance) Ownable(governance) {
        _token = token_;
    }

    /// @inheritdoc ITreasury
    function pay(address to, uint256 amount, string calldata reason) external onlyOwner nonReentrant {
        emit TreasuryPaid(to, amount, reason);
        _token.safeTransfer(to, amount);
    }

    /// @notice The token the treasury holds.
    function token() external view returns (IERC20) {
        return _token;
    }
}
