// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title BlockReward
/// @notice The mining reward of a finalized task: `initial` halved every `halvingInterval` tasks
/// (by task id), and never more than what the cap leaves.
library BlockReward {
    function amount(uint256 taskId, uint256 initial, uint256 halvingInterval, uint256 headroom)
        internal
        pure
        returns (uint256 reward)
    {
        uint256 halvings = (taskId - 1) / halvingInterval;
        reward = halvings >= 96 ? 0 : initial >> halvings; // initial fits 96 bits
        if (reward > headroom) reward = headroom;
    }
}
