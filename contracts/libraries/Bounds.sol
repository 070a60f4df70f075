// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IParameters} from "../interfaces/IParameters.sol";

/// @title Bounds
/// @notice The hard-bound check every governance setter uses.
library Bounds {
    /// @dev Reverts with {IParameters.ParameterOutOfBounds} unless min <= value <= max.
    function check(string memory name, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert IParameters.ParameterOutOfBounds(name, value, min, max);
    }
}
