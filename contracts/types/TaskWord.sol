// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITaskManager} from "../interfaces/ITaskManager.sol";

/// @dev The control word of a task: everything the lifecycle reads and writes on every call,
/// packed in one storage slot so that commit and reveal each touch it once.
///
/// Layout, from the low bit:
///   [0, 24)    modelId         (uint24)
///   [24, 28)   state           (ITaskManager.TaskState)
///   [28, 32)   k               number of agents assigned, at most MAX_AGENTS
///   [32, 38)   committedMask   bit i: agent index i committed
///   [38, 44)   revealedMask    bit i: agent index i revealed
///   [44, 62)   commitOrder     3 bits per position: the agent index that committed n-th
///   [62, 65)   commitCount
///   [65, 66)   attempt         1 once the task was reassigned
///   [66, 69)   winnerIndex     the earliest committer that revealed; NO_WINNER if none
///   [69, 70)   mismatch        an EXACT reveal differed from an earlier one
///   [70, 71)   tolerant        the model's verification mode is TOLERANT
///   [72, 112)  deadline        of the current phase (commit, reveal or challenge window)
///   [112, 256) agentIds        6 x uint24, agent index i at bit 112 + 24 i
type TaskWord is uint256;

using TaskWordLib for TaskWord global;

/// @dev At most this many agents per task: six 24-bit ids fill the word.
uint256 constant MAX_AGENTS = 6;
/// @dev `winnerIndex` before any agent revealed.
uint8 constant NO_WINNER = 7;

library TaskWordLib {
    uint256 private constant MASK_3 = 0x7;
    uint256 private constant MASK_4 = 0xF;
    uint256 private constant MASK_6 = 0x3F;
    uint256 private constant MASK_24 = 0xFFFFFF;
    uint256 private constant MASK_40 = 0xFFFFFFFFFF;

    uint256 private constant STATE = 24;
    uint256 private constant K = 28;
    uint256 private constant COMMITTED = 32;
    uint256 private constant REVEALED = 38;
    uint256 private constant ORDER = 44;
    uint256 private constant COMMIT_COUNT = 62;
    uint256 private constant ATTEMPT = 65;
    uint256 private constant WINNER = 66;
    uint256 private constant MISMATCH = 69;
    uint256 private constant TOLERANT = 70;
    uint256 private constant DEADLINE = 72;
    uint256 private constant AGENTS = 112;

    /// @dev A fresh word for a task drawn to `count` agents whose ids are packed in `packedIds`.
    function create(uint256 modelId_, bool tolerant_, uint256 packedIds, uint256 count, uint256 deadline_)
        internal
        pure
        returns (TaskWord)
    {
        return TaskWord.wrap(
            modelId_ | (uint256(ITaskManager.TaskState.Committing) << STATE) | (count << K)
                | (uint256(NO_WINNER) << WINNER) | ((tolerant_ ? uint256(1) : 0) << TOLERANT) | (deadline_ << DEADLINE)
                | (packedIds << AGENTS)
        );
    }

    /// @dev The same task handed to a new set of agents: all per-agent fields reset.
    function reassigned(TaskWord w, uint256 packedIds, uint256 count, uint256 deadline_)
        internal
        pure
        returns (TaskWord)
    {
        return TaskWord.wrap(
            create(w.modelId(), w.tolerant(), packedIds, count, deadline_).raw() | (uint256(1) << ATTEMPT)
        );
    }

    function raw(TaskWord w) internal pure returns (uint256) {
        return TaskWord.unwrap(w);
    }

    function modelId(TaskWord w) internal pure returns (uint256) {
        return TaskWord.unwrap(w) & MASK_24;
    }

    function state(TaskWord w) internal pure returns (ITaskManager.TaskState) {
        return ITaskManager.TaskState((TaskWord.unwrap(w) >> STATE) & MASK_4);
    }

    function k(TaskWord w) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> K) & MASK_4;
    }

    function committedMask(TaskWord w) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> COMMITTED) & MASK_6;
    }

    function revealedMask(TaskWord w) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> REVEALED) & MASK_6;
    }

    function hasCommitted(TaskWord w, uint256 index) internal pure returns (bool) {
        return (TaskWord.unwrap(w) >> (COMMITTED + index)) & 1 == 1;
    }

    function hasRevealed(TaskWord w, uint256 index) internal pure returns (bool) {
        return (TaskWord.unwrap(w) >> (REVEALED + index)) & 1 == 1;
    }

    /// @dev The agent index that committed `position`-th.
    function committerAt(TaskWord w, uint256 position) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> (ORDER + 3 * position)) & MASK_3;
    }

    /// @dev The position at which agent `index` committed; meaningful only if it committed.
    function commitPosition(TaskWord w, uint256 index) internal pure returns (uint256 position) {
        uint256 count = w.commitCount();
        for (; position < count; ++position) {
            if (w.committerAt(position) == index) return position;
        }
    }

    function commitCount(TaskWord w) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> COMMIT_COUNT) & MASK_3;
    }

    function revealCount(TaskWord w) internal pure returns (uint256 count) {
        uint256 mask = w.revealedMask();
        while (mask != 0) {
            count += mask & 1;
            mask >>= 1;
        }
    }

    function attempt(TaskWord w) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> ATTEMPT) & 1;
    }

    function winnerIndex(TaskWord w) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> WINNER) & MASK_3;
    }

    function mismatch(TaskWord w) internal pure returns (bool) {
        return (TaskWord.unwrap(w) >> MISMATCH) & 1 == 1;
    }

    function tolerant(TaskWord w) internal pure returns (bool) {
        return (TaskWord.unwrap(w) >> TOLERANT) & 1 == 1;
    }

    function deadline(TaskWord w) internal pure returns (uint256) {
        return (TaskWord.unwrap(w) >> DEADLINE) & MASK_40;
    }

    function agentId(TaskWord w, uint256 index) internal pure returns (uint24) {
        return uint24(TaskWord.unwrap(w) >> (AGENTS + 24 * index));
    }

    /// @dev The index of agent `id` in the task, or MAX_AGENTS if it is not assigned.
    function indexOf(TaskWord w, uint24 id) internal pure returns (uint256 index) {
        uint256 count = w.k();
        for (; index < count; ++index) {
            if (w.agentId(index) == id) return index;
        }
        return MAX_AGENTS;
    }

    function withState(TaskWord w, ITaskManager.TaskState s) internal pure returns (TaskWord) {
        return TaskWord.wrap((TaskWord.unwrap(w) & ~(MASK_4 << STATE)) | (uint256(s) << STATE));
    }

    function withDeadline(TaskWord w, uint256 d) internal pure returns (TaskWord) {
        return TaskWord.wrap((TaskWord.unwrap(w) & ~(MASK_40 << DEADLINE)) | (d << DEADLINE));
    }

    /// @dev Records agent `index` as the next committer.
    function withCommit(TaskWord w, uint256 index) internal pure returns (TaskWord) {
        uint256 count = w.commitCount();
        uint256 v = TaskWord.unwrap(w) | (uint256(1) << (COMMITTED + index)) | (index << (ORDER + 3 * count));
        v = (v & ~(MASK_3 << COMMIT_COUNT)) | ((count + 1) << COMMIT_COUNT);
        return TaskWord.wrap(v);
    }

    function withReveal(TaskWord w, uint256 index) internal pure returns (TaskWord) {
        return TaskWord.wrap(TaskWord.unwrap(w) | (uint256(1) << (REVEALED + index)));
    }

    function withWinner(TaskWord w, uint256 index) internal pure returns (TaskWord) {
        return TaskWord.wrap((TaskWord.unwrap(w) & ~(MASK_3 << WINNER)) | (index << WINNER));
    }

    function withMismatch(TaskWord w) internal pure returns (TaskWord) {
        return TaskWord.wrap(TaskWord.unwrap(w) | (uint256(1) << MISMATCH));
    }
}
