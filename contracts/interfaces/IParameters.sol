// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Governance parameters
/// @notice Every protocol number is a governance parameter with a hard bound in code. Contracts
/// that own parameters check them with {Bounds} and revert with this error.
interface IParameters {
    /// @notice Parameter `name` was set to `value`, outside its hard bounds [min, max].
    error ParameterOutOfBounds(string name, uint256 value, uint256 min, uint256 max);
    /// @notice The shares of a fee add up to `totalBps`, more than 100%.
    error ParameterSharesExceedWhole(uint256 totalBps);
}
