// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Treasury
/// @notice Receives the treasury's share of fees and every slashed amount not paid to someone;
/// governance spends it.
interface ITreasury {
    /// @notice Governance paid `amount` to `to`.
    event TreasuryPaid(address indexed to, uint256 amount, string reason);

    /// @notice Pays `amount` of EAI to `to`. Only governance. Emits {TreasuryPaid}.
    function pay(address to, uint256 amount, string calldata reason) external;
}
