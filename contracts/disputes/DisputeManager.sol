// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAgentStaking} from "../interfaces/IAgentStaking.sol";
import {IDisputeManager, MIN_COMMITTEE, VOTE_ACCEPT, VOTE_REJECT} from "../interfaces/IDisputeManager.sol";
import {IEAIToken} from "../interfaces/IEAIToken.sol";
import {ITaskManager} from "../interfaces/ITaskManager.sol";
import {IVerifierRegistry} from "../interfaces/IVerifierRegistry.sol";
import {Bounds} from "../libraries/Bounds.sol";
import {Randomness} from "../libraries/Randomness.sol";
import {Verdicts} from "../libraries/Verdicts.sol";

/// @title Dispute manager
/// @notice Opens disputes (a verifier's challenge with a bond, or the task manager's automatic one),
/// runs the committee's commit-reveal vote, and resolves: slashes convicted agents, rewards the
/// challenger and the majority voters, penalizes members who did not vote, settles the task.
/// Rewards are credited and claimed ({claim}); the treasury's part is sent at once.
/// @dev Deadlines are inclusive, as in the task manager: a phase with deadline D accepts calls while
/// `block.timestamp <= D`, and the next one opens at D + 1. Every call is O(committee + k): it loops
/// over at most 15 members and 6 agents, never over pools or disputes. A dispute keeps the bond,
/// committee size and vote windows it opened with; slash and reward shares are read at resolution.
contract DisputeManager is IDisputeManager, Ownable2Step, ReentrancyGuardTransient {
    /// @dev The bits of a digest the task manager stores and disputes compare.
    bytes32 private constant DIGEST_BITS = bytes32(type(uint256).max << 128);

    using SafeERC20 for IEAIToken;
    using SafeCast for uint256;

    /// @dev The largest committee: two words of ten 24-bit ids, and 16-bit member masks.
    uint256 private constant MAX_COMMITTEE = 15;
    /// @dev Committee ids packed per storage word.
    uint256 private constant IDS_PER_WORD = 10;

    /// @dev A dispute. Layout (five slots):
    ///   slot 0: challenger (160) | bond (96)
    ///   slot 1, the state word: taskId (64) | deadline (40) | revealWindow (32) | state (8) |
    ///           verdict (8) | automatic (8) | tolerant (8) | accusedIndex (8) | committeeSize (8) |
    ///           commits (8) | reveals (8) | leadingCount (8) | agentMask (8) | committedMask (16) |
    ///           revealedMask (16): 248 bits
    ///   slot 2: leadingVote
    ///   slots 3-4: committee, 24-bit verifier ids, member i at bit 24 * (i % 10) of word i / 10
    /// `deadline` is the commit deadline while Committing and the reveal deadline once Revealing.
    /// `revealWindow` is the one in force when the dispute opened. `agentMask` has bit i set for each
    /// agent index i whose output was revealed (and whose stake is locked); the member masks have
    /// bit i set for committee position i.
    struct Dispute {
        address challenger;
        uint96 bond;
        uint64 taskId;
        uint40 deadline;
        uint32 revealWindow;
        DisputeState state;
        Verdict verdict;
        bool automatic;
        bool tolerant;
        uint8 accusedIndex;
        uint8 committeeSize;
        uint8 commits;
        uint8 reveals;
        uint8 leadingCount;
        uint8 agentMask;
        uint16 committedMask;
        uint16 revealedMask;
        bytes32 leadingVote;
        uint256[2] committee;
    }

    /// @dev What {resolve} works out, kept in memory to spare the stack.
    struct Resolution {
        uint256 disputeId;
        uint256 taskId;
        address challenger;
        Verdicts.Decision decision;
        // Revealed digest per agent index; filled only when an EXACT majority digest exists.
        bytes32[] digests;
        uint256 convictedMask;
        uint8 frauds;
        uint256 slashed;
    }

    IEAIToken private immutable _token;
    ITaskManager private immutable _taskManager;
    IAgentStaking private immutable _agents;
    IVerifierRegistry private immutable _verifiers;
    address private immutable _treasury;

    Params private _params;
    uint256 private _disputeCount;
    mapping(uint256 disputeId => Dispute) private _disputes;
    // A member's seal until it reveals, then its vote (see `revealedMask`).
    mapping(uint256 disputeId => mapping(uint24 verifierId => bytes32)) private _ballots;
    mapping(uint256 disputeId => mapping(bytes32 vote => uint8)) private _tally;
    mapping(address account => uint256) private _claimable;

    /// @dev Defaults: challengeBond 100 EAI, committeeSize 5, voteCommitWindow and voteRevealWindow
    /// 3600 s, fraudSlashBps 5000, challengerRewardBps 6000, voterRewardBps 2000, falseDisputeBps
    /// 5000, nonVoterPenaltyBps 100. `governance` owns the parameters.
    constructor(
        IEAIToken token,
        ITaskManager taskManager,
        IAgentStaking agents,
        IVerifierRegistry verifiers,
        address treasury,
        address governance,
        Params memory params_
    ) Ownable(governance) {
        _token = token;
        _taskManager = taskManager;
        _agents = agents;
        _verifiers = verifiers;
        _treasury = treasury;
        _setParams(params_);
    }

    // ---------------------------------------------------------------- opening

    /// @inheritdoc IDisputeManager
    function challenge(uint256 taskId, uint8 accusedIndex) external nonReentrant returns (uint256 disputeId) {
        if (_verifiers.verifierInfo(msg.sender).status != IVerifierRegistry.VerifierStatus.Active) {
            revert DisputeManagerNotVerifier(msg.sender);
        }
        uint96 bond = _params.challengeBond;
        disputeId = _open(taskId, accusedIndex, msg.sender, bond);
        _taskManager.markDisputed(taskId, accusedIndex, disputeId);
        _token.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @inheritdoc IDisputeManager
    function openAutomatic(uint256 taskId, uint8 candidateIndex) external nonReentrant returns (uint256 disputeId) {
        if (msg.sender != address(_taskManager)) revert DisputeManagerUnauthorized(msg.sender);
        disputeId = _open(taskId, candidateIndex, address(0), 0);
    }

    /// @dev Draws the committee (never `challenger`), records dispute number `_disputeCount + 1` and
    /// locks the members' and the revealed agents' stakes until the verdict.
    function _open(uint256 taskId, uint8 accusedIndex, address challenger, uint96 bond)
        private
        returns (uint256 disputeId)
    {
        disputeId = _disputeCount + 1;
        ITaskManager.TaskView memory t = _taskManager.task(taskId);
        Params memory p = _params;
        uint24[] memory committee =
            _verifiers.drawCommittee(p.committeeSize, Randomness.seed(disputeId, taskId), challenger);
        if (committee.length < MIN_COMMITTEE) {
            revert DisputeManagerCommitteeTooSmall(committee.length, MIN_COMMITTEE);
        }

        Dispute memory d = Dispute({
            challenger: challenger,
            bond: bond,
            taskId: taskId.toUint64(),
            deadline: (block.timestamp + p.voteCommitWindow).toUint40(),
            revealWindow: p.voteRevealWindow,
            state: DisputeState.Committing,
            verdict: Verdict.None,
            automatic: challenger == address(0),
            tolerant: t.tolerant,
            accusedIndex: accusedIndex,
            committeeSize: uint8(committee.length),
            commits: 0,
            reveals: 0,
            leadingCount: 0,
            // Only indexes that hold an agent: at most k <= 6 low bits.
            agentMask: uint8(t.revealedMask & ((uint256(1) << t.agentIds.length) - 1)),
            committedMask: 0,
            revealedMask: 0,
            leadingVote: 0,
            committee: _pack(committee)
        });
        _create(disputeId, d, committee);
        _setLocks(_disputes[disputeId], t.agentIds, true);
    }

    function _create(uint256 disputeId, Dispute memory d, uint24[] memory committee) private {
        _disputeCount = disputeId;
        _disputes[disputeId] = d;
        emit DisputeOpened(disputeId, d.taskId, d.challenger, d.accusedIndex, d.bond, committee, d.deadline);
    }

    // ---------------------------------------------------------------- voting

    /// @inheritdoc IDisputeManager
    function commitVote(uint256 disputeId, bytes32 seal) external {
        Dispute storage d = _existing(disputeId);
        if (d.state != DisputeState.Committing) revert DisputeManagerWrongState(disputeId, d.state);
        if (block.timestamp > d.deadline) revert DisputeManagerPhaseClosed(disputeId, d.deadline);
        (uint24 verifierId, uint256 position) = _member(disputeId, d);
        if (_hasBit(d.committedMask, position)) revert DisputeManagerAlreadyCommitted(disputeId, msg.sender);
        _commit(disputeId, d, verifierId, position, seal);
    }

    /// @dev Records the seal; the last member's commit opens the reveal phase.
    function _commit(uint256 disputeId, Dispute storage d, uint24 verifierId, uint256 position, bytes32 seal)
        private
    {
        _ballots[disputeId][verifierId] = seal;
        d.committedMask |= uint16(uint256(1) << position);
        uint8 commits = d.commits + 1;
        d.commits = commits;
        if (commits == d.committeeSize) {
            d.state = DisputeState.Revealing;
            d.deadline = uint40(block.timestamp + d.revealWindow);
        }
        emit VoteCommitted(disputeId, verifierId);
    }

    /// @inheritdoc IDisputeManager
    /// @dev Reverts with {DisputeManagerInvalidVote} for a zero vote, or a TOLERANT vote other than
    /// VOTE_ACCEPT and VOTE_REJECT.
    function revealVote(uint256 disputeId, bytes32 vote, bytes32 salt) external {
        Dispute storage d = _existing(disputeId);
        (DisputeState state, uint256 deadline) = _phase(d);
        if (state == DisputeState.Committing) revert DisputeManagerNotDue(disputeId, deadline + 1);
        if (state != DisputeState.Revealing) revert DisputeManagerWrongState(disputeId, state);
        if (block.timestamp > deadline) revert DisputeManagerPhaseClosed(disputeId, deadline);
        (uint24 verifierId, uint256 position) = _member(disputeId, d);
        if (!_hasBit(d.committedMask, position) || _hasBit(d.revealedMask, position)) {
            revert DisputeManagerNothingToReveal(disputeId, msg.sender);
        }
        if (keccak256(abi.encode(disputeId, msg.sender, vote, salt)) != _ballots[disputeId][verifierId]) {
            revert DisputeManagerSealMismatch(disputeId, msg.sender);
        }
        // The task manager keeps the first 128 bits of each revealed digest: EXACT votes are
        // counted and compared on the same bits, so those bits may not be all zero.
        bytes32 counted = d.tolerant ? vote : vote & DIGEST_BITS;
        if (counted == 0 || (d.tolerant && vote != VOTE_ACCEPT && vote != VOTE_REJECT)) {
            revert DisputeManagerInvalidVote(vote);
        }
        _reveal(disputeId, d, verifierId, position, counted, deadline);
    }

    /// @dev Records the vote and counts it; the first reveal after the commit deadline stores the
    /// reveal phase it opened.
    function _reveal(
        uint256 disputeId,
        Dispute storage d,
        uint24 verifierId,
        uint256 position,
        bytes32 vote,
        uint256 revealDeadline
    ) private {
        _ballots[disputeId][verifierId] = vote;
        d.revealedMask |= uint16(uint256(1) << position);
        d.reveals += 1;
        if (d.state == DisputeState.Committing) {
            d.state = DisputeState.Revealing;
            d.deadline = uint40(revealDeadline);
        }
        // Cannot overflow: at most 15 members vote.
        uint8 count = _tally[disputeId][vote] + 1;
        _tally[disputeId][vote] = count;
        if (count > d.leadingCount) {
            d.leadingCount = count;
            d.leadingVote = vote;
        }
        emit VoteRevealed(disputeId, verifierId, vote);
    }

    // ---------------------------------------------------------------- resolution

    /// @inheritdoc IDisputeManager
    /// @dev Also resolves, as Inconclusive, a dispute nobody committed to once its commit deadline
    /// passed. Convicts, when an EXACT digest carried a supermajority, every revealed output that
    /// differs from it; otherwise, when Guilty, the accused alone. Emits {FraudConvicted},
    /// {NonVoterPenalized} and {DisputeCredited} as they happen, then {DisputeResolved}.
    function resolve(uint256 disputeId) external nonReentrant {
        Dispute storage d = _existing(disputeId);
        (DisputeState state, uint256 deadline) = _phase(d);
        if (state == DisputeState.Committing) revert DisputeManagerNotDue(disputeId, deadline + 1);
        if (state != DisputeState.Revealing) revert DisputeManagerWrongState(disputeId, state);
        if (d.reveals < d.commits && block.timestamp <= deadline) {
            revert DisputeManagerNotDue(disputeId, deadline + 1);
        }

        Resolution memory r = _decide(disputeId, d);
        // Effects first: the dispute resolves once. {DisputeResolved} follows once the slash is known.
        d.state = DisputeState.Resolved;
        d.verdict = r.decision.verdict;

        ITaskManager.TaskView memory t = _taskManager.task(r.taskId);
        _convict(r, d, t.agentIds);
        Params memory p = _params;
        Verdicts.Split memory s = Verdicts.split(
            r.slashed,
            d.bond,
            r.decision.verdict == Verdict.Innocent,
            r.challenger != address(0),
            r.decision.rewardedCount,
            p.challengerRewardBps,
            p.voterRewardBps,
            p.falseDisputeBps
        );
        // Credits (state) before the remaining calls; only the slash had to come first.
        _credit(disputeId, r.challenger, s.challenger);
        _rewardVoters(r, d, s.perVoter);
        _penalizeNonVoters(disputeId, d, p.nonVoterPenaltyBps);
        _setLocks(d, t.agentIds, false);
        if (s.treasury != 0) _token.safeTransfer(_treasury, s.treasury);
        _taskManager.settleDispute(r.taskId, _settlement(r, d, t));
        emit DisputeResolved(disputeId, r.decision.verdict, r.decision.majorityVote, r.slashed);
    }

    /// @dev Tallies the revealed votes against the accused output and decides.
    function _decide(uint256 disputeId, Dispute storage d) private view returns (Resolution memory r) {
        r.disputeId = disputeId;
        r.taskId = d.taskId;
        r.challenger = d.challenger;
        bool tolerant = d.tolerant;
        bytes32 accusedVote =
            Verdicts.voteFor(tolerant, tolerant ? bytes32(0) : _taskManager.commitment(r.taskId, d.accusedIndex));
        Verdicts.Tally memory tally = Verdicts.Tally({
            tolerant: tolerant,
            committeeSize: d.committeeSize,
            reveals: d.reveals,
            forCount: _tally[disputeId][accusedVote],
            leadingVote: d.leadingVote,
            leadingCount: d.leadingCount
        });
        r.decision = Verdicts.decide(tally, accusedVote);
    }

    /// @dev Finds the convicted agents and slashes each of them to this contract.
    function _convict(Resolution memory r, Dispute storage d, uint24[] memory agentIds) private {
        uint256 agentMask = d.agentMask;
        bytes32 majority = r.decision.majorityVote;
        if (majority != 0) {
            r.digests = new bytes32[](agentIds.length);
            for (uint256 i; i < agentIds.length; ++i) {
                if (!_hasBit(agentMask, i)) continue;
                bytes32 digest = _taskManager.commitment(r.taskId, i);
                r.digests[i] = digest;
                if (digest != majority) r.convictedMask |= uint256(1) << i;
            }
        } else if (r.decision.verdict == Verdict.Guilty) {
            r.convictedMask = (uint256(1) << d.accusedIndex) & agentMask;
        }
        if (r.convictedMask == 0) return;
        uint256 bps = _params.fraudSlashBps;
        for (uint256 i; i < agentIds.length; ++i) {
            if (!_hasBit(r.convictedMask, i)) continue;
            r.slashed += _slash(r.disputeId, agentIds[i], bps);
            r.frauds += 1;
        }
    }

    function _slash(uint256 disputeId, uint24 agentId, uint256 bps) private returns (uint256 amount) {
        amount = _agents.slashForFraud(agentId, bps, address(this));
        emit FraudConvicted(disputeId, agentId, amount);
    }

    /// @dev Credits `perVoter` to each member whose revealed vote is in the majority.
    function _rewardVoters(Resolution memory r, Dispute storage d, uint256 perVoter) private {
        if (perVoter == 0) return;
        uint256 size = d.committeeSize;
        uint256 revealed = d.revealedMask;
        uint256[2] memory words = d.committee;
        for (uint256 i; i < size; ++i) {
            if (!_hasBit(revealed, i)) continue;
            uint24 verifierId = _idAt(words, i);
            if (Verdicts.isRewarded(r.decision, _ballots[r.disputeId][verifierId])) {
                _credit(r.disputeId, _verifiers.verifierOf(verifierId), perVoter);
            }
        }
    }

    /// @dev Penalizes each member who did not reveal a vote (committed or not).
    function _penalizeNonVoters(uint256 disputeId, Dispute storage d, uint256 bps) private {
        uint256 size = d.committeeSize;
        uint256 revealed = d.revealedMask;
        uint256[2] memory words = d.committee;
        for (uint256 i; i < size; ++i) {
            if (!_hasBit(revealed, i)) _penalize(disputeId, _idAt(words, i), bps);
        }
    }

    function _penalize(uint256 disputeId, uint24 verifierId, uint256 bps) private {
        uint256 penalty = _verifiers.penalize(verifierId, bps, _treasury);
        emit NonVoterPenalized(disputeId, verifierId, penalty);
    }

    /// @dev How the task ends. The challenger takes the winner's share and block reward when it
    /// convicted the candidate winner; an EXACT majority digest picks the first committer that
    /// revealed it as the winner (refund if none did); an automatic dispute without one refunds;
    /// otherwise the task pays out as accepted.
    function _settlement(Resolution memory r, Dispute storage d, ITaskManager.TaskView memory t)
        private
        view
        returns (ITaskManager.Settlement memory s)
    {
        s.frauds = r.frauds;
        uint8 winner = t.winnerIndex;
        uint8 accused = d.accusedIndex;
        if (!d.automatic && accused == winner && _hasBit(r.convictedMask, accused)) {
            s.winnerIndex = winner;
            s.winnerRewardTo = r.challenger;
        } else if (!d.tolerant && r.decision.majorityVote != 0) {
            s.winnerIndex = Verdicts.firstWith(r.decision.majorityVote, r.digests, t.commitOrder);
            s.refund = s.winnerIndex == Verdicts.NO_INDEX;
        } else if (!d.tolerant && d.automatic) {
            s.winnerIndex = Verdicts.NO_INDEX;
            s.refund = true;
        } else {
            s.winnerIndex = winner;
        }
    }

    // ---------------------------------------------------------------- payments

    /// @inheritdoc IDisputeManager
    function claim() external nonReentrant {
        uint256 amount = _claimable[msg.sender];
        if (amount == 0) revert DisputeManagerNothingToClaim(msg.sender);
        _claimable[msg.sender] = 0;
        emit DisputeClaimed(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    function _credit(uint256 disputeId, address account, uint256 amount) private {
        if (amount == 0) return;
        _claimable[account] += amount;
        emit DisputeCredited(disputeId, account, amount);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IDisputeManager
    function setParams(Params calldata params_) external onlyOwner {
        _setParams(params_);
    }

    function _setParams(Params memory p) private {
        Bounds.check("challengeBond", p.challengeBond, 1 ether, 1_000_000 ether);
        Bounds.check("committeeSize", p.committeeSize, MIN_COMMITTEE, MAX_COMMITTEE);
        Bounds.check("voteCommitWindow", p.voteCommitWindow, 60, 1 days);
        Bounds.check("voteRevealWindow", p.voteRevealWindow, 60, 1 days);
        Bounds.check("fraudSlashBps", p.fraudSlashBps, 1000, Verdicts.BPS);
        Bounds.check("challengerRewardBps", p.challengerRewardBps, 0, Verdicts.BPS);
        Bounds.check("voterRewardBps", p.voterRewardBps, 0, Verdicts.BPS);
        uint256 shares = uint256(p.challengerRewardBps) + p.voterRewardBps;
        if (shares > Verdicts.BPS) revert ParameterSharesExceedWhole(shares);
        Bounds.check("falseDisputeBps", p.falseDisputeBps, 0, Verdicts.BPS);
        Bounds.check("nonVoterPenaltyBps", p.nonVoterPenaltyBps, 0, 1000);
        _params = p;
        emit DisputeParamsChanged(p);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDisputeManager
    /// @dev `state` and `deadline` are as of now: past the commit deadline, a dispute with commits
    /// shows Revealing with its reveal deadline even before anyone revealed. `majorityVote` is the
    /// EXACT digest that already has a supermajority, zero if none.
    function dispute(uint256 disputeId) external view returns (DisputeView memory v) {
        Dispute storage d = _existing(disputeId);
        (DisputeState state, uint256 deadline) = _phase(d);
        v.taskId = d.taskId;
        v.challenger = d.challenger;
        v.bond = d.bond;
        v.state = state;
        v.verdict = d.verdict;
        v.automatic = d.automatic;
        v.accusedIndex = d.accusedIndex;
        v.committeeSize = d.committeeSize;
        v.commits = d.commits;
        v.reveals = d.reveals;
        v.deadline = uint40(deadline);
        if (!d.tolerant && Verdicts.isSupermajority(d.leadingCount, d.committeeSize)) v.majorityVote = d.leadingVote;
        uint256[2] memory words = d.committee;
        v.committee = new uint24[](d.committeeSize);
        for (uint256 i; i < v.committee.length; ++i) {
            v.committee[i] = _idAt(words, i);
        }
    }

    /// @inheritdoc IDisputeManager
    function voteOf(uint256 disputeId, uint24 verifierId) external view returns (bytes32) {
        Dispute storage d = _existing(disputeId);
        uint256 size = d.committeeSize;
        uint256[2] memory words = d.committee;
        for (uint256 i; i < size; ++i) {
            if (_idAt(words, i) == verifierId) {
                return _hasBit(d.revealedMask, i) ? _ballots[disputeId][verifierId] : bytes32(0);
            }
        }
        return 0;
    }

    /// @inheritdoc IDisputeManager
    function claimable(address account) external view returns (uint256) {
        return _claimable[account];
    }

    /// @inheritdoc IDisputeManager
    function disputeCount() external view returns (uint256) {
        return _disputeCount;
    }

    /// @inheritdoc IDisputeManager
    function params() external view returns (Params memory) {
        return _params;
    }

    // ---------------------------------------------------------------- helpers

    function _existing(uint256 disputeId) private view returns (Dispute storage d) {
        d = _disputes[disputeId];
        if (d.state == DisputeState.None) revert DisputeManagerUnknownDispute(disputeId);
    }

    /// @dev The phase as of now: once the commit deadline passed, a Committing dispute is Revealing
    /// until commitDeadline + revealWindow (stored by the first reveal).
    function _phase(Dispute storage d) private view returns (DisputeState state, uint256 deadline) {
        state = d.state;
        deadline = d.deadline;
        if (state == DisputeState.Committing && block.timestamp > deadline) {
            state = DisputeState.Revealing;
            deadline += d.revealWindow;
        }
    }

    /// @dev The caller's verifier id and committee position; reverts if it is not a member.
    function _member(uint256 disputeId, Dispute storage d) private view returns (uint24 verifierId, uint256 position) {
        verifierId = _verifiers.idOf(msg.sender);
        if (verifierId != 0) {
            uint256 size = d.committeeSize;
            uint256[2] memory words = d.committee;
            for (; position < size; ++position) {
                if (_idAt(words, position) == verifierId) return (verifierId, position);
            }
        }
        revert DisputeManagerNotMember(disputeId, msg.sender);
    }

    /// @dev Holds (`locked`) or releases the stakes of every member and every revealed agent.
    function _setLocks(Dispute storage d, uint24[] memory agentIds, bool locked) private {
        uint256 size = d.committeeSize;
        uint256[2] memory words = d.committee;
        for (uint256 i; i < size; ++i) {
            _verifiers.setLock(_idAt(words, i), locked);
        }
        uint256 agentMask = d.agentMask;
        for (uint256 i; i < agentIds.length; ++i) {
            if (_hasBit(agentMask, i)) _agents.setLock(agentIds[i], locked);
        }
    }

    /// @dev Packs at most 15 ids, ten per word (MAX_COMMITTEE bounds `committeeSize`).
    function _pack(uint24[] memory ids) private pure returns (uint256[2] memory words) {
        for (uint256 i; i < ids.length; ++i) {
            words[i / IDS_PER_WORD] |= uint256(ids[i]) << (24 * (i % IDS_PER_WORD));
        }
    }

    function _idAt(uint256[2] memory words, uint256 position) private pure returns (uint24) {
        return uint24(words[position / IDS_PER_WORD] >> (24 * (position % IDS_PER_WORD)));
    }

    function _hasBit(uint256 mask, uint256 bit) private pure returns (bool) {
        return (mask >> bit) & 1 == 1;
    }
}
