// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IEAIToken} from "../interfaces/IEAIToken.sol";

/// @title EAI token
/// @notice "Eternal AI" (EAI): ERC-20 with EIP-2612 permit and a hard cap on total supply.
/// @dev Supply grows in two ways only:
/// - the genesis allocation, minted once in the constructor. It is the only mint that is not a
///   block reward: zero (empty arrays) in a production parameter set, a development allocation
///   on local chains so that tests and demos have tokens to stake and pay with;
/// - {mint} by the minter (the task manager, set once by governance) for block rewards.
/// Both go through {ERC20Capped}, so neither can pass the cap.
contract EAIToken is ERC20, ERC20Permit, ERC20Capped, Ownable2Step, IEAIToken {
    /// @dev The task manager, the only account that may mint. Zero until {setMinter}.
    address private _minter;

    /// @notice Deploys the token, mints the genesis allocation and hands ownership to `governance`.
    /// @param cap_ Hard cap on total supply (non-zero).
    /// @param genesisHolders Accounts receiving the genesis allocation (empty in production).
    /// @param genesisAmounts Amount for each genesis holder, in the same order.
    /// @param governance The owner: may set the minter, once.
    /// Requirements: both arrays have the same length; the allocation fits under the cap.
    constructor(uint256 cap_, address[] memory genesisHolders, uint256[] memory genesisAmounts, address governance)
        ERC20("Eternal AI", "EAI")
        ERC20Permit("Eternal AI")
        ERC20Capped(cap_)
        Ownable(governance)
    {
        if (genesisHolders.length != genesisAmounts.length) {
            revert EAITokenGenesisLengthMismatch(genesisHolders.length, genesisAmounts.length);
        }
        for (uint256 i; i < genesisHolders.length; ++i) {
            _mint(genesisHolders[i], genesisAmounts[i]);
        }
    }

    /// @inheritdoc IEAIToken
    function mint(address to, uint256 amount) external {
        if (msg.sender != _minter) revert EAITokenUnauthorizedMinter(msg.sender);
        _mint(to, amount);
    }

    /// @inheritdoc IEAIToken
    function setMinter(address minter_) external onlyOwner {
        if (minter_ == address(0)) revert EAITokenZeroMinter();
        if (_minter != address(0)) revert EAITokenMinterAlreadySet(_minter);
        _setMinter(minter_);
    }

    /// @inheritdoc IEAIToken
    function minter() external view returns (address) {
        return _minter;
    }

    /// @inheritdoc IEAIToken
    function cap() public view override(ERC20Capped, IEAIToken) returns (uint256) {
        return super.cap();
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev Records the minter. Emits {MinterSet}.
    function _setMinter(address minter_) private {
        _minter = minter_;
        emit MinterSet(minter_);
    }

    /// @dev Every balance change; mints are checked against the cap by {ERC20Capped}.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Capped) {
        super._update(from, to, value);
    }
}
