// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IParameters} from "./IParameters.sol";

/// @title Task manager
/// @notice The life of a prompt: submit (fee escrow, random assignment), commit, reveal, accept or
/// dispute, finalize (payout) or reassign and refund. Inputs and outputs never enter storage.
interface ITaskManager is IParameters {
    /// @notice States only move forward: None -> Committing -> Revealing -> Accepted -> Finalized,
    /// with Disputed between Revealing/Accepted and Finalized, and Refunded as the other end.
    enum TaskState {
        None,
        Committing,
        Revealing,
        Accepted,
        Disputed,
        Finalized,
        Refunded
    }

    /// @notice Tunable numbers; see docs/parameters.md for defaults and bounds.
    /// Layout: the fields submit, commit and reveal read fill the first slot (184 bits); the
    /// reward schedule and redundancy rule, read at acceptance, fill the second (160 bits).
    struct Params {
        uint32 commitWindow;
        uint32 revealWindow;
        uint32 challengeWindow;
        uint32 maxInlineInput;
        uint8 minRedundancy;
        uint16 creatorBps;
        uint16 winnerBps;
        uint16 verifierBps;
        uint96 initialBlockReward;
        uint32 halvingInterval;
        uint16 redundancyWindow;
        uint16 fraudRateRaiseBps;
    }

    /// @notice A task as the chain holds it, decoded. `escrow` is the fee the task still holds:
    /// all of it until payout or refund, zero after.
    struct TaskView {
        address user;
        uint96 escrow;
        uint256 modelId;
        TaskState state;
        bool tolerant;
        uint8 attempt;
        uint8 k;
        uint8 commitCount;
        uint8 committedMask;
        uint8 revealedMask;
        uint8 winnerIndex;
        bool mismatch;
        uint40 deadline;
        uint24[] agentIds;
        uint8[] commitOrder;
    }

    /// @notice How a dispute ends a task, decided by the dispute manager.
    struct Settlement {
        bool refund;
        uint8 winnerIndex;
        address winnerRewardTo;
        uint8 frauds;
    }

    /// @notice No task has id `taskId`.
    error TaskManagerUnknownTask(uint256 taskId);
    /// @notice The action needs task `taskId` in another state than `state`.
    error TaskManagerWrongState(uint256 taskId, TaskState state);
    /// @notice `agent` is not assigned to task `taskId`.
    error TaskManagerNotAssigned(uint256 taskId, address agent);
    /// @notice `agent` already committed to task `taskId`.
    error TaskManagerAlreadyCommitted(uint256 taskId, address agent);
    /// @notice `agent` already revealed for task `taskId`.
    error TaskManagerAlreadyRevealed(uint256 taskId, address agent);
    /// @notice `agent` did not commit to task `taskId`, so it has nothing to reveal.
    error TaskManagerNotCommitted(uint256 taskId, address agent);
    /// @notice The commit deadline `deadline` of task `taskId` has passed.
    error TaskManagerCommitClosed(uint256 taskId, uint256 deadline);
    /// @notice Reveals for task `taskId` open when all agents committed or at `opensAt`.
    error TaskManagerRevealNotOpen(uint256 taskId, uint256 opensAt);
    /// @notice The reveal deadline `deadline` of task `taskId` has passed.
    error TaskManagerRevealClosed(uint256 taskId, uint256 deadline);
    /// @notice Agent index `index` is not `agent`'s on task `taskId`.
    error TaskManagerWrongIndex(uint256 taskId, uint256 index, address agent);
    /// @notice The revealed digest and salt do not open `agent`'s seal on task `taskId`.
    error TaskManagerSealMismatch(uint256 taskId, address agent);
    /// @notice Task `taskId` cannot be finalized before `readyAt`.
    error TaskManagerNotDue(uint256 taskId, uint256 readyAt);
    /// @notice The model's fee `fee` is above the caller's `maxFee`.
    error TaskManagerFeeAboveMax(uint256 fee, uint256 maxFee);
    /// @notice The inline input has `size` bytes, more than `max`: send it by URI and digest.
    error TaskManagerInputTooLarge(uint256 size, uint256 max);
    /// @notice The input is empty (no inline bytes, or a by-reference input without URI or digest).
    error TaskManagerEmptyInput();
    /// @notice Model `modelId` has no agent in its pool.
    error TaskManagerNoActiveAgents(uint256 modelId);
    /// @notice `caller` is not the contract allowed to do this.
    error TaskManagerUnauthorized(address caller);
    /// @notice `account` has nothing to claim.
    error TaskManagerNothingToClaim(address account);
    /// @notice The challenge window of task `taskId` closed at `deadline`.
    error TaskManagerChallengeClosed(uint256 taskId, uint256 deadline);
    /// @notice The dispute manager and verifier registry are already wired.
    error TaskManagerAlreadyWired();
    /// @notice Agent index `index` of task `taskId` has no revealed output to accuse.
    error TaskManagerNotRevealed(uint256 taskId, uint256 index);

    /// @notice `user` submitted task `taskId` for `modelId`, escrowing `fee`. The input is `input`
    /// inline, or lives at `inputURI` with SHA-256 `inputDigest`.
    event TaskSubmitted(
        uint256 indexed taskId,
        uint256 indexed modelId,
        address indexed user,
        uint256 fee,
        bytes input,
        string inputURI,
        bytes32 inputDigest
    );
    /// @notice Task `taskId` was assigned (attempt 0) or reassigned (attempt 1) to `agentIds`.
    event TaskAssigned(uint256 indexed taskId, uint24[] agentIds, uint8 attempt, uint256 commitDeadline);
    /// @notice Agent `agentId` committed to task `taskId`, as the `order`-th (0-based).
    event TaskCommitted(uint256 indexed taskId, uint24 indexed agentId, uint8 order);
    /// @notice Agent `agentId` revealed its output for task `taskId`.
    event TaskRevealed(uint256 indexed taskId, uint24 indexed agentId, bytes32 digest, bytes32 salt, string outputURI);
    /// @notice Agent `agentId` was assigned to task `taskId` and did not commit or did not reveal.
    event TaskMissed(uint256 indexed taskId, uint24 indexed agentId);
    /// @notice Task `taskId` was accepted with agent `winnerId`'s output (`digest`: its first 128
    /// bits); it pays out once the challenge window closes at `challengeDeadline`.
    event TaskAccepted(uint256 indexed taskId, uint24 indexed winnerId, bytes32 digest, uint256 challengeDeadline);
    /// @notice Task `taskId` is under dispute `disputeId`.
    event TaskDisputed(uint256 indexed taskId, uint256 indexed disputeId);
    /// @notice Task `taskId` was refunded: `amount` back to `user`.
    event TaskRefunded(uint256 indexed taskId, address indexed user, uint256 amount);
    /// @notice Task `taskId` paid out, beyond dispute. The winner share plus the block reward went
    /// to agent `winnerId`, or to `rewardTo` when that is not zero (a challenger who convicted the
    /// winner).
    event TaskFinalized(
        uint256 indexed taskId,
        uint24 indexed winnerId,
        address rewardTo,
        uint256 winnerShare,
        uint256 blockReward,
        uint256 creatorShare,
        uint256 verifierShare,
        uint256 treasuryShare
    );
    /// @notice `account` claimed `amount` of rewards.
    event RewardClaimed(address indexed account, uint256 amount);
    /// @notice The owner of `modelId` claimed its accrued income `amount`.
    event ModelIncomeClaimed(uint256 indexed modelId, address indexed owner, uint256 amount);
    /// @notice `amount` of treasury share was sent to the treasury.
    event TreasurySwept(uint256 amount);
    /// @notice `amount` of verifier fees moved to the verifier registry.
    event VerifierFeesReleased(uint256 amount);
    /// @notice The dynamic redundancy of `modelId` moved to offset `offset` from its declared value.
    event RedundancyAdjusted(uint256 indexed modelId, int256 offset, uint256 fraudsInWindow);
    /// @notice Governance wired the dispute manager and the verifier registry.
    event TaskManagerWired(address indexed disputeManager, address indexed verifierRegistry);
    /// @notice Governance set new parameters.
    event TaskParamsChanged(Params params);

    /// @notice Sets the dispute manager and the verifier registry, once. Only governance.
    /// Emits {TaskManagerWired}.
    function wire(address disputeManager, address verifierRegistry) external;

    /// @notice Submits a prompt with its input inline (at most `maxInlineInput` bytes), escrowing the
    /// model's fee (prior approval needed). Draws the agents. Reverts if the fee exceeds `maxFee`.
    /// Emits {TaskSubmitted} and {TaskAssigned}.
    function submitPrompt(uint256 modelId, bytes calldata input, uint256 maxFee) external returns (uint256 taskId);

    /// @notice {submitPrompt} for an input that lives at `inputURI` with SHA-256 `inputDigest`.
    function submitPromptByRef(uint256 modelId, string calldata inputURI, bytes32 inputDigest, uint256 maxFee)
        external
        returns (uint256 taskId);

    /// @notice {submitPrompt} with an EIP-2612 permit for up to `maxFee`, in one transaction.
    function submitPromptWithPermit(
        uint256 modelId,
        bytes calldata input,
        uint256 maxFee,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 taskId);

    /// @notice Commits `seal` = keccak256(abi.encode(taskId, agent, outputDigest, salt)) before the
    /// commit deadline, as the agent at index `index` of the task's assignment. Once.
    /// Only its first 128 bits are stored: opening it still takes a 2^128 second preimage.
    /// Emits {TaskCommitted}.
    function commit(uint256 taskId, uint256 index, bytes32 seal) external;

    /// @notice Opens the caller's seal (the seal binds the caller, so nobody else can) and
    /// publishes where its output lives. The last reveal resolves the task: accepted (paid out
    /// after the challenge window) or disputed. Emits {TaskRevealed}, then {TaskAccepted} or
    /// {TaskDisputed} when last.
    function reveal(uint256 taskId, uint256 index, bytes32 digest, bytes32 salt, string calldata outputURI)
        external;

    /// @notice Moves task `taskId` on when it is due: resolves it after the reveal deadline
    /// (penalizing misses, reassigning once, refunding), or pays it out after the challenge window:
    /// creator share to the model's account, verifier share to the verifier pool, the rest to the
    /// treasury, winner share plus the minted block reward to the winner. Anyone.
    function finalize(uint256 taskId) external;

    /// @notice Pays out each of `taskIds` as {finalize} would (accepted tasks past their challenge
    /// window; a winner usually lists its own), minting their block rewards at once, then pays the
    /// caller everything it may claim, as an agent and as any other account. Returns the amount paid.
    function claim(uint256[] calldata taskIds) external returns (uint256 amount);

    /// @notice Pays `modelId`'s accrued creator income to its current owner. Anyone.
    function claimModelIncome(uint256 modelId) external;

    /// @notice Sends the accrued treasury share to the treasury. Anyone.
    function sweepTreasury() external;

    /// @notice Moves accrued verifier fees to the verifier registry. Only the verifier registry.
    function releaseVerifierFees() external returns (uint256 amount);

    /// @notice Puts accepted task `taskId` under dispute, accusing the output of agent index
    /// `accusedIndex`, within the challenge window. Only the dispute manager.
    function markDisputed(uint256 taskId, uint256 accusedIndex, uint256 disputeId) external;

    /// @notice Ends disputed task `taskId` as `settlement` says. Only the dispute manager.
    function settleDispute(uint256 taskId, Settlement calldata settlement) external;

    /// @notice Sets the parameters within their hard bounds. Only governance.
    function setParams(Params calldata params_) external;

    /// @notice Task `taskId`, decoded.
    function task(uint256 taskId) external view returns (TaskView memory);

    /// @notice Agent index `index`'s commitment on task `taskId`: the first 128 bits of its seal
    /// until it reveals, then the first 128 bits of its revealed digest (left-aligned). Digests are
    /// compared on these 128 bits.
    function commitment(uint256 taskId, uint256 index) external view returns (bytes32);

    /// @notice The redundancy the next prompt for `modelId` will ask for (before bounding by the pool).
    function redundancyOf(uint256 modelId) external view returns (uint256);

    /// @notice Rewards `account` may claim.
    function claimable(address account) external view returns (uint256);

    /// @notice Creator income accrued to `modelId` and not yet claimed.
    function modelIncome(uint256 modelId) external view returns (uint256);

    /// @notice Treasury share and verifier fees accrued and not yet moved.
    function accrued() external view returns (uint256 treasuryShare, uint256 verifierFees);

    /// @notice How many tasks were submitted; ids run from 1 to this number.
    function taskCount() external view returns (uint256);

    /// @notice The current parameters.
    function params() external view returns (Params memory);
}
