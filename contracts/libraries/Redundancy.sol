// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Redundancy
/// @notice The dynamic redundancy rule. Each model keeps a window of its last `window` settled
/// tasks and how many of them had a confirmed fraud. When a window closes:
/// - fraud rate >= `raiseBps`: k goes up by one;
/// - no fraud at all: k goes down by one;
/// - otherwise k stays.
/// k is the model's declared redundancy plus this offset, kept within [minK, maxK]; the draw then
/// takes all pooled agents when fewer than k are active.
library Redundancy {
    /// @dev Per-model accounting, one slot: income (128) | windowTasks (32) | windowFrauds (32) |
    /// offset (8). Income shares the slot so that finalizing writes it once.
    struct ModelAccount {
        uint128 income;
        uint32 windowTasks;
        uint32 windowFrauds;
        int8 offset;
    }

    function k(ModelAccount memory account, uint256 declared, uint256 minK, uint256 maxK)
        internal
        pure
        returns (uint256)
    {
        return _clamp(int256(declared) + account.offset, minK, maxK);
    }

    /// @dev Counts one settled task with `frauds` convictions; returns whether the window is full,
    /// in which case the caller applies {adjust}.
    function record(ModelAccount memory account, uint256 frauds, uint256 window) internal pure returns (bool) {
        account.windowTasks += 1;
        account.windowFrauds += uint32(frauds);
        return account.windowTasks >= window;
    }

    /// @dev Closes a full window: moves k by the rule above and starts the next window.
    function adjust(ModelAccount memory account, uint256 declared, uint256 minK, uint256 maxK, uint256 raiseBps)
        internal
        pure
    {
        uint256 current = k(account, declared, minK, maxK);
        uint256 frauds = account.windowFrauds;
        if (frauds > 0 && frauds * 10_000 >= raiseBps * account.windowTasks) {
            if (current < maxK) account.offset = int8(int256(current + 1) - int256(declared));
        } else if (frauds == 0) {
            if (current > minK) account.offset = int8(int256(current - 1) - int256(declared));
        }
        account.windowTasks = 0;
        account.windowFrauds = 0;
    }

    function _clamp(int256 value, uint256 minK, uint256 maxK) private pure returns (uint256) {
        if (value < int256(minK)) return minK;
        if (value > int256(maxK)) return maxK;
        return uint256(value);
    }
}
