// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IParameters} from "./IParameters.sol";

/// @dev A TOLERANT vote: the accused output is acceptable.
bytes32 constant VOTE_ACCEPT = bytes32(uint256(1));
/// @dev A TOLERANT vote: the accused output is not acceptable.
bytes32 constant VOTE_REJECT = bytes32(uint256(2));
/// @dev The smallest committee that can reach a verdict.
uint256 constant MIN_COMMITTEE = 3;

/// @title Dispute manager
/// @notice Disputes over revealed outputs: opened by a verifier's challenge (with a bond) or by the
/// task manager when the outputs of an EXACT model disagree. A random committee of verifiers,
/// never the challenger, reruns the prompt and votes by commit and reveal.
///
/// Verdicts count against the committee's size m, not the votes cast:
/// - Guilty when strictly more than 2m/3 members vote against the accused output;
/// - Innocent when strictly more than 2m/3 vote for it;
/// - Inconclusive otherwise.
/// EXACT votes are digests: every revealed output that differs from a digest that strictly more
/// than 2m/3 members voted is fraudulent. TOLERANT votes are VOTE_ACCEPT or VOTE_REJECT on the
/// accused output alone.
interface IDisputeManager is IParameters {
    /// @notice Committing: members commit sealed votes. Revealing: they open them. Resolved: done.
    enum DisputeState {
        None,
        Committing,
        Revealing,
        Resolved
    }

    /// @notice How a dispute ended.
    enum Verdict {
        None,
        Guilty,
        Innocent,
        Inconclusive
    }

    /// @notice Tunable numbers; see docs/parameters.md for defaults and bounds.
    struct Params {
        uint96 challengeBond;
        uint8 committeeSize;
        uint32 voteCommitWindow;
        uint32 voteRevealWindow;
        uint16 fraudSlashBps;
        uint16 challengerRewardBps;
        uint16 voterRewardBps;
        uint16 falseDisputeBps;
        uint16 nonVoterPenaltyBps;
    }

    /// @notice A dispute, decoded.
    struct DisputeView {
        uint256 taskId;
        address challenger;
        uint96 bond;
        DisputeState state;
        Verdict verdict;
        bool automatic;
        uint8 accusedIndex;
        uint8 committeeSize;
        uint8 commits;
        uint8 reveals;
        uint40 deadline;
        bytes32 majorityVote;
        uint24[] committee;
    }

    /// @notice No dispute has id `disputeId`.
    error DisputeManagerUnknownDispute(uint256 disputeId);
    /// @notice The action needs dispute `disputeId` in another state than `state`.
    error DisputeManagerWrongState(uint256 disputeId, DisputeState state);
    /// @notice `caller` is not an active verifier.
    error DisputeManagerNotVerifier(address caller);
    /// @notice `caller` is not on dispute `disputeId`'s committee.
    error DisputeManagerNotMember(uint256 disputeId, address caller);
    /// @notice `member` already committed a vote on dispute `disputeId`.
    error DisputeManagerAlreadyCommitted(uint256 disputeId, address member);
    /// @notice `member` did not commit on dispute `disputeId`, or already revealed.
    error DisputeManagerNothingToReveal(uint256 disputeId, address member);
    /// @notice The vote and salt do not open `member`'s seal on dispute `disputeId`.
    error DisputeManagerSealMismatch(uint256 disputeId, address member);
    /// @notice `vote` is not valid: a TOLERANT vote must be VOTE_ACCEPT or VOTE_REJECT; an EXACT
    /// vote (a digest) must not have its first 128 bits all zero.
    error DisputeManagerInvalidVote(bytes32 vote);
    /// @notice The current phase of dispute `disputeId` closed at `deadline`.
    error DisputeManagerPhaseClosed(uint256 disputeId, uint256 deadline);
    /// @notice Dispute `disputeId` cannot move on before `readyAt`.
    error DisputeManagerNotDue(uint256 disputeId, uint256 readyAt);
    /// @notice `caller` is not the contract allowed to do this.
    error DisputeManagerUnauthorized(address caller);
    /// @notice Only `available` verifiers can sit on the committee, fewer than `minimum`.
    error DisputeManagerCommitteeTooSmall(uint256 available, uint256 minimum);
    /// @notice `account` has nothing to claim.
    error DisputeManagerNothingToClaim(address account);

    /// @notice Dispute `disputeId` opened on task `taskId`. `challenger` is zero for an automatic
    /// dispute; `accusedIndex` is the accused output's agent index (for an automatic dispute, the
    /// candidate winner's).
    event DisputeOpened(
        uint256 indexed disputeId,
        uint256 indexed taskId,
        address indexed challenger,
        uint8 accusedIndex,
        uint256 bond,
        uint24[] committee,
        uint256 commitDeadline
    );
    /// @notice Committee member `verifierId` committed its vote.
    event VoteCommitted(uint256 indexed disputeId, uint24 indexed verifierId);
    /// @notice Committee member `verifierId` revealed `vote` (for EXACT, the first 128 bits of the
    /// digest it computed, as the task manager stores revealed digests).
    event VoteRevealed(uint256 indexed disputeId, uint24 indexed verifierId, bytes32 vote);
    /// @notice Dispute `disputeId` ended with `verdict`; `majorityVote` is the EXACT digest that carried
    /// a supermajority (zero if none, and always zero for TOLERANT, whose verdict says it all);
    /// `slashed` is the total slashed from agents.
    event DisputeResolved(uint256 indexed disputeId, Verdict verdict, bytes32 majorityVote, uint256 slashed);
    /// @notice Revealed output of agent `agentId` on the disputed task was fraudulent: `slashed`.
    event FraudConvicted(uint256 indexed disputeId, uint24 indexed agentId, uint256 slashed);
    /// @notice Member `verifierId` did not reveal a vote and paid `penalty`.
    event NonVoterPenalized(uint256 indexed disputeId, uint24 indexed verifierId, uint256 penalty);
    /// @notice `account` was credited `amount` by dispute `disputeId` (fraud reward, voting reward,
    /// or returned bond).
    event DisputeCredited(uint256 indexed disputeId, address indexed account, uint256 amount);
    /// @notice `account` claimed `amount`.
    event DisputeClaimed(address indexed account, uint256 amount);
    /// @notice Governance set new parameters.
    event DisputeParamsChanged(Params params);

    /// @notice Challenges the revealed output of agent index `accusedIndex` on accepted task
    /// `taskId`, within its challenge window, posting the bond (prior approval). Only an active
    /// verifier. Emits {DisputeOpened}.
    function challenge(uint256 taskId, uint8 accusedIndex) external returns (uint256 disputeId);

    /// @notice Opens the dispute the on-chain light check calls for when an EXACT model's outputs
    /// disagree. Only the task manager.
    function openAutomatic(uint256 taskId, uint8 candidateIndex) external returns (uint256 disputeId);

    /// @notice Commits `seal` = keccak256(abi.encode(disputeId, member, vote, salt)). Only a member.
    function commitVote(uint256 disputeId, bytes32 seal) external;

    /// @notice Opens the caller's sealed vote. Allowed once all members committed or after the
    /// commit deadline.
    function revealVote(uint256 disputeId, bytes32 vote, bytes32 salt) external;

    /// @notice Ends dispute `disputeId` once every committed vote is revealed or the reveal deadline
    /// passed: applies the verdict, slashes, pays, penalizes non-voters, settles the task. Anyone.
    /// Emits {DisputeResolved}.
    function resolve(uint256 disputeId) external;

    /// @notice Pays the caller what disputes credited it.
    function claim() external;

    /// @notice Sets the parameters within their hard bounds. Only governance.
    function setParams(Params calldata params_) external;

    /// @notice Dispute `disputeId`, decoded.
    function dispute(uint256 disputeId) external view returns (DisputeView memory);

    /// @notice The revealed vote of member `verifierId` (zero if none).
    function voteOf(uint256 disputeId, uint24 verifierId) external view returns (bytes32);

    /// @notice What `account` may claim.
    function claimable(address account) external view returns (uint256);

    /// @notice How many disputes were opened; ids run from 1 to this number.
    function disputeCount() external view returns (uint256);

    /// @notice The current parameters.
    function params() external view returns (Params memory);
}
