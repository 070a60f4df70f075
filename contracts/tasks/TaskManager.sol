// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAgentStaking} from "../interfaces/IAgentStaking.sol";
import {IDisputeManager} from "../interfaces/IDisputeManager.sol";
import {IEAIToken} from "../interfaces/IEAIToken.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ITaskManager} from "../interfaces/ITaskManager.sol";
import {BlockReward} from "../libraries/BlockReward.sol";
import {Bounds} from "../libraries/Bounds.sol";
import {Randomness} from "../libraries/Randomness.sol";
import {Redundancy} from "../libraries/Redundancy.sol";
import {TaskWord, TaskWordLib, MAX_AGENTS, NO_WINNER} from "../types/TaskWord.sol";

/// @title TaskManager
/// @notice The life of a prompt, from the escrowed fee to the payout.
///
/// Storage per task: two slots (payer and escrow, then the control word) plus one slot per two
/// committed agents (128-bit commitments). Inputs and outputs only travel in events.
///
/// Money: the fee stays in escrow until the task is beyond dispute. The last reveal accepts the
/// task; once the challenge window closes, `finalize` (one task) or `claim` (many, the way agents
/// collect) splits the fee, mints the block reward and credits everyone. Payouts in one `claim`
/// write the same few accounting slots, so each task after the first costs little.
contract TaskManager is ITaskManager, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IEAIToken;

    /// @dev Two slots: payer (160) | escrow (96), then the control word (see types/TaskWord.sol).
    struct Task {
        address user;
        uint96 escrow;
        TaskWord word;
    }

    /// @dev Fees owed elsewhere, moved out in bulk. One slot, so acceptance writes it once.
    struct Accrued {
        uint128 treasury;
        uint128 verifierFees;
    }

    /// @dev The parts of an accepted task's fee, and its block reward.
    struct Payout {
        uint256 creator;
        uint256 winner;
        uint256 verifiers;
        uint256 treasury;
        uint256 blockReward;
    }

    uint256 private constant BPS = 10_000;
    bytes32 private constant HIGH_HALF = bytes32(type(uint256).max << 128);

    IEAIToken private immutable _token;
    IModelRegistry private immutable _registry;
    IAgentStaking private immutable _agents;
    address private immutable _treasury;
    uint256 private immutable _cap;

    IDisputeManager private _disputes;
    address private _verifierRegistry;
    Params private _params;
    uint256 private _taskCount;
    Accrued private _accrued;

    mapping(uint256 taskId => Task) private _tasks;
    // Agent index i's commitment lives in pair i / 2: the high half for even i, the low for odd.
    mapping(uint256 taskId => mapping(uint256 pair => bytes32)) private _commitments;
    mapping(uint256 modelId => Redundancy.ModelAccount) private _models;
    mapping(uint24 agentId => uint256) private _agentRewards;
    mapping(address account => uint256) private _accountRewards;
    // Agent ids never change for an address, so a copy saves a call to the staking contract.
    mapping(address agent => uint24) private _agentIdCache;

    constructor(
        IEAIToken token_,
        IModelRegistry registry_,
        IAgentStaking agents_,
        address treasury_,
        address governance,
        Params memory params_
    ) Ownable(governance) {
        _token = token_;
        _registry = registry_;
        _agents = agents_;
        _treasury = treasury_;
        _cap = token_.cap();
        _setParams(params_);
    }

    modifier onlyDisputeManager() {
        if (msg.sender != address(_disputes)) revert TaskManagerUnauthorized(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc ITaskManager
    function wire(address disputeManager, address verifierRegistry) external onlyOwner {
        if (address(_disputes) != address(0)) revert TaskManagerAlreadyWired();
        _disputes = IDisputeManager(disputeManager);
        _verifierRegistry = verifierRegistry;
        emit TaskManagerWired(disputeManager, verifierRegistry);
    }

    /// @inheritdoc ITaskManager
    function setParams(Params calldata params_) external onlyOwner {
        _setParams(params_);
    }

    function _setParams(Params memory p) private {
        Bounds.check("commitWindow", p.commitWindow, 30, 2 hours);
        Bounds.check("revealWindow", p.revealWindow, 30, 2 hours);
        Bounds.check("challengeWindow", p.challengeWindow, 60, 12 hours);
        Bounds.check("maxInlineInput", p.maxInlineInput, 0, 32_768);
        Bounds.check("minRedundancy", p.minRedundancy, 1, MAX_AGENTS);
        Bounds.check("creatorBps", p.creatorBps, 0, BPS);
        Bounds.check("winnerBps", p.winnerBps, 0, BPS);
        Bounds.check("verifierBps", p.verifierBps, 0, BPS);
        uint256 shares = uint256(p.creatorBps) + p.winnerBps + p.verifierBps;
        if (shares > BPS) revert ParameterSharesExceedWhole(shares);
        Bounds.check("initialBlockReward", p.initialBlockReward, 0, 1_000 ether);
        Bounds.check("halvingInterval", p.halvingInterval, 1, type(uint32).max);
        Bounds.check("redundancyWindow", p.redundancyWindow, 10, 10_000);
        Bounds.check("fraudRateRaiseBps", p.fraudRateRaiseBps, 1, BPS);
        _params = p;
        emit TaskParamsChanged(p);
    }

    // ---------------------------------------------------------------- submit

    /// @inheritdoc ITaskManager
    function submitPrompt(uint256 modelId, bytes calldata input, uint256 maxFee)
        external
        nonReentrant
        returns (uint256 taskId)
    {
        _checkInline(input);
        uint256 fee;
        (taskId, fee) = _submit(modelId, maxFee);
        emit TaskSubmitted(taskId, modelId, msg.sender, fee, input, "", bytes32(0));
    }

    /// @inheritdoc ITaskManager
    function submitPromptByRef(uint256 modelId, string calldata inputURI, bytes32 inputDigest, uint256 maxFee)
        external
        nonReentrant
        returns (uint256 taskId)
    {
        if (bytes(inputURI).length == 0 || inputDigest == bytes32(0)) revert TaskManagerEmptyInput();
        uint256 fee;
        (taskId, fee) = _submit(modelId, maxFee);
        emit TaskSubmitted(taskId, modelId, msg.sender, fee, "", inputURI, inputDigest);
    }

    /// @inheritdoc ITaskManager
    function submitPromptWithPermit(
        uint256 modelId,
        bytes calldata input,
        uint256 maxFee,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 taskId) {
        _checkInline(input);
        // A permit seen in the mempool can be front-run; the allowance it set still lets us go on.
        try _token.permit(msg.sender, address(this), maxFee, deadline, v, r, s) {} catch {}
        uint256 fee;
        (taskId, fee) = _submit(modelId, maxFee);
        emit TaskSubmitted(taskId, modelId, msg.sender, fee, input, "", bytes32(0));
    }

    function _checkInline(bytes calldata input) private view {
        if (input.length == 0) revert TaskManagerEmptyInput();
        uint256 max = _params.maxInlineInput;
        if (input.length > max) revert TaskManagerInputTooLarge(input.length, max);
    }

    function _submit(uint256 modelId, uint256 maxFee) private returns (uint256 taskId, uint256 fee) {
        if (modelId > type(uint24).max) revert IModelRegistry.ModelRegistryUnknownModel(modelId);
        IModelRegistry.ModelTerms memory terms = _registry.terms(modelId);
        fee = terms.fee;
        if (fee > maxFee) revert TaskManagerFeeAboveMax(fee, maxFee);

        taskId = ++_taskCount;
        uint256 k = Redundancy.k(_models[modelId], terms.redundancy, _params.minRedundancy, MAX_AGENTS);
        (uint256 packedIds, uint256 count) = _agents.drawAgents(modelId, k, Randomness.seed(taskId, 0));
        if (count == 0) revert TaskManagerNoActiveAgents(modelId);

        uint256 deadline = block.timestamp + _params.commitWindow;
        bool tolerant = terms.mode == IModelRegistry.VerificationMode.Tolerant;
        _tasks[taskId] = Task({
            user: msg.sender,
            escrow: uint96(fee),
            word: TaskWordLib.create(modelId, tolerant, packedIds, count, deadline)
        });
        emit TaskAssigned(taskId, _unpack(packedIds, count), 0, deadline);
        if (fee > 0) _token.safeTransferFrom(msg.sender, address(this), fee);
    }

    // ---------------------------------------------------------------- commit and reveal

    /// @inheritdoc ITaskManager
    function commit(uint256 taskId, uint256 index, bytes32 seal) external {
        TaskWord w = _tasks[taskId].word;
        _requireState(taskId, w, TaskState.Committing);
        if (block.timestamp > w.deadline()) revert TaskManagerCommitClosed(taskId, w.deadline());
        uint24 id = _callerId(taskId, w);
        if (index >= w.k() || w.agentId(index) != id) revert TaskManagerWrongIndex(taskId, index, msg.sender);
        if (w.hasCommitted(index)) revert TaskManagerAlreadyCommitted(taskId, msg.sender);

        uint256 position = w.commitCount();
        _setCommitment(taskId, index, bytes16(seal));
        w = w.withCommit(index);
        if (position + 1 == w.k()) {
            // Everyone committed: reveals open now.
            w = w.withState(TaskState.Revealing).withDeadline(block.timestamp + _params.revealWindow);
        }
        _tasks[taskId].word = w;
        emit TaskCommitted(taskId, id, uint8(position));
    }

    /// @inheritdoc ITaskManager
    function reveal(uint256 taskId, uint256 index, bytes32 digest, bytes32 salt, string calldata outputURI)
        external
        nonReentrant
    {
        TaskWord w = _openReveals(taskId, _tasks[taskId].word);
        if (block.timestamp > w.deadline()) revert TaskManagerRevealClosed(taskId, w.deadline());
        if (index >= w.k()) revert TaskManagerWrongIndex(taskId, index, msg.sender);
        if (!w.hasCommitted(index)) revert TaskManagerNotCommitted(taskId, msg.sender);
        if (w.hasRevealed(index)) revert TaskManagerAlreadyRevealed(taskId, msg.sender);
        // The seal binds the caller's address: only the agent that committed can open it.
        if (bytes16(keccak256(abi.encode(taskId, msg.sender, digest, salt))) != _commitmentOf(taskId, index)) {
            revert TaskManagerSealMismatch(taskId, msg.sender);
        }

        _setCommitment(taskId, index, bytes16(digest));
        w = _recordReveal(taskId, w, index, bytes16(digest));
        emit TaskRevealed(taskId, w.agentId(index), digest, salt, outputURI);

        if (w.revealCount() == w.commitCount()) {
            _resolve(taskId, w);
        } else {
            _tasks[taskId].word = w;
        }
    }

    /// @dev Moves a task whose commit deadline passed into its reveal phase; reverts if reveals are
    /// not open yet.
    function _openReveals(uint256 taskId, TaskWord w) private view returns (TaskWord) {
        if (w.state() == TaskState.Committing) {
            if (block.timestamp <= w.deadline()) revert TaskManagerRevealNotOpen(taskId, w.deadline() + 1);
            return w.withState(TaskState.Revealing).withDeadline(w.deadline() + _params.revealWindow);
        }
        _requireState(taskId, w, TaskState.Revealing);
        return w;
    }

    /// @dev Marks the reveal, keeps the earliest committer that revealed as the candidate winner,
    /// and runs the on-chain light check for EXACT models: two different digests mismatch.
    function _recordReveal(uint256 taskId, TaskWord w, uint256 index, bytes16 digest)
        private
        view
        returns (TaskWord)
    {
        uint256 winner = w.winnerIndex();
        if (winner == NO_WINNER) return w.withReveal(index).withWinner(index);
        if (!w.tolerant() && _commitmentOf(taskId, winner) != digest) w = w.withMismatch();
        if (w.commitPosition(index) < w.commitPosition(winner)) w = w.withWinner(index);
        return w.withReveal(index);
    }

    // ---------------------------------------------------------------- resolution

    /// @inheritdoc ITaskManager
    function finalize(uint256 taskId) external nonReentrant {
        TaskWord w = _tasks[taskId].word;
        TaskState state = w.state();
        if (state == TaskState.Committing && w.commitCount() > 0) {
            // Some agents committed: they get the reveal window before anything is decided.
            w = w.withState(TaskState.Revealing).withDeadline(w.deadline() + _params.revealWindow);
            state = TaskState.Revealing;
        }
        if (state == TaskState.Committing || state == TaskState.Revealing) {
            if (block.timestamp <= w.deadline()) revert TaskManagerNotDue(taskId, w.deadline() + 1);
            _resolve(taskId, w);
        } else {
            _mintTo(address(this), _payOutDue(taskId, _headroom()));
        }
    }

    /// @dev Ends the reveal phase: penalizes every agent that missed, then accepts, disputes,
    /// reassigns or refunds.
    function _resolve(uint256 taskId, TaskWord w) private {
        uint256 k = w.k();
        for (uint256 i; i < k; ++i) {
            if (!w.hasRevealed(i)) {
                uint24 id = w.agentId(i);
                emit TaskMissed(taskId, id);
                _agents.penalizeMiss(id);
            }
        }

        if (w.revealedMask() == 0) {
            if (w.attempt() == 0 && _reassign(taskId, w)) return;
            _refund(taskId, w);
        } else if (w.mismatch()) {
            _openAutomaticDispute(taskId, w);
        } else {
            _accept(taskId, w);
        }
    }

    /// @dev Hands the task to freshly drawn agents. The agents that missed were just penalized and
    /// so left the pool. Returns false when nobody is left to draw.
    function _reassign(uint256 taskId, TaskWord w) private returns (bool) {
        (uint256 packedIds, uint256 count) = _agents.drawAgents(w.modelId(), w.k(), Randomness.seed(taskId, 1));
        if (count == 0) return false;
        // The new agents start with empty commitments (at most three slots).
        for (uint256 pair; pair < (w.k() + 1) / 2; ++pair) {
            delete _commitments[taskId][pair];
        }
        uint256 deadline = block.timestamp + _params.commitWindow;
        _tasks[taskId].word = w.reassigned(packedIds, count, deadline);
        emit TaskAssigned(taskId, _unpack(packedIds, count), 1, deadline);
        return true;
    }

    function _openAutomaticDispute(uint256 taskId, TaskWord w) private {
        w = w.withState(TaskState.Disputed);
        _tasks[taskId].word = w;
        // No committee can be drawn (too few verifiers): nobody can tell who was right, so the
        // user gets the fee back rather than a contested answer.
        try _disputes.openAutomatic(taskId, uint8(w.winnerIndex())) returns (uint256 disputeId) {
            emit TaskDisputed(taskId, disputeId);
        } catch {
            _refund(taskId, w);
        }
    }

    // ---------------------------------------------------------------- disputes

    /// @inheritdoc ITaskManager
    function markDisputed(uint256 taskId, uint256 accusedIndex, uint256 disputeId) external onlyDisputeManager {
        TaskWord w = _tasks[taskId].word;
        _requireState(taskId, w, TaskState.Accepted);
        if (block.timestamp > w.deadline()) revert TaskManagerChallengeClosed(taskId, w.deadline());
        if (accusedIndex >= w.k() || !w.hasRevealed(accusedIndex)) revert TaskManagerNotRevealed(taskId, accusedIndex);
        _tasks[taskId].word = w.withState(TaskState.Disputed);
        emit TaskDisputed(taskId, disputeId);
    }

    /// @inheritdoc ITaskManager
    function settleDispute(uint256 taskId, Settlement calldata s) external onlyDisputeManager nonReentrant {
        TaskWord w = _tasks[taskId].word;
        _requireState(taskId, w, TaskState.Disputed);
        if (s.refund) {
            _creditModel(w.modelId(), 0, s.frauds);
            _refund(taskId, w);
        } else {
            _mintTo(address(this), _payOut(taskId, w, s.winnerIndex, s.winnerRewardTo, s.frauds, _headroom()));
        }
    }

    // ---------------------------------------------------------------- payouts

    /// @dev The last reveal (or the reveal deadline) accepted the task: it pays out once nobody
    /// can challenge it any more.
    function _accept(uint256 taskId, TaskWord w) private {
        uint256 deadline = block.timestamp + _params.challengeWindow;
        _tasks[taskId].word = w.withState(TaskState.Accepted).withDeadline(deadline);
        uint256 winner = w.winnerIndex();
        emit TaskAccepted(taskId, w.agentId(winner), bytes32(_commitmentOf(taskId, winner)), deadline);
    }

    /// @dev Pays out an accepted task whose challenge window has closed; returns its block reward,
    /// which the caller mints (once for a whole batch).
    function _payOutDue(uint256 taskId, uint256 headroom) private returns (uint256) {
        TaskWord w = _tasks[taskId].word;
        _requireState(taskId, w, TaskState.Accepted);
        if (block.timestamp <= w.deadline()) revert TaskManagerNotDue(taskId, w.deadline() + 1);
        return _payOut(taskId, w, w.winnerIndex(), address(0), 0, headroom);
    }

    /// @dev Splits the escrowed fee and credits everyone: the winner's part goes to agent index
    /// `winner`, or to `rewardTo` when set. Returns the block reward owed (at most `headroom`),
    /// credited here and minted by the caller.
    function _payOut(uint256 taskId, TaskWord w, uint256 winner, address rewardTo, uint256 frauds, uint256 headroom)
        private
        returns (uint256)
    {
        Task storage t = _tasks[taskId];
        Payout memory pay = _split(taskId, t.escrow, headroom);
        t.escrow = 0;
        t.word = w.withState(TaskState.Finalized);

        uint24 winnerId = rewardTo == address(0) ? w.agentId(winner) : 0;
        if (rewardTo == address(0)) _agentRewards[winnerId] += pay.winner + pay.blockReward;
        else _accountRewards[rewardTo] += pay.winner + pay.blockReward;
        _creditModel(w.modelId(), pay.creator, frauds);
        Accrued memory owed = _accrued;
        owed.treasury += uint128(pay.treasury);
        owed.verifierFees += uint128(pay.verifiers);
        _accrued = owed;

        emit TaskFinalized(
            taskId, winnerId, rewardTo, pay.winner, pay.blockReward, pay.creator, pay.verifiers, pay.treasury
        );
        return pay.blockReward;
    }

    /// @dev The shares of `fee` and the block reward of task `taskId`. The treasury takes what the
    /// other shares leave, rounding included, so the parts always add up to the fee.
    function _split(uint256 taskId, uint256 fee, uint256 headroom) private view returns (Payout memory pay) {
        Params memory p = _params;
        pay.creator = fee * p.creatorBps / BPS;
        pay.winner = fee * p.winnerBps / BPS;
        pay.verifiers = fee * p.verifierBps / BPS;
        pay.treasury = fee - pay.creator - pay.winner - pay.verifiers;
        pay.blockReward = BlockReward.amount(taskId, p.initialBlockReward, p.halvingInterval, headroom);
    }

    /// @dev What the cap still allows to mint.
    function _headroom() private view returns (uint256) {
        return _cap - _token.totalSupply();
    }

    function _mintTo(address to, uint256 amount) private {
        if (amount > 0) _token.mint(to, amount);
    }

    function _refund(uint256 taskId, TaskWord w) private {
        Task storage t = _tasks[taskId];
        uint256 amount = t.escrow;
        t.escrow = 0;
        t.word = w.withState(TaskState.Refunded);
        emit TaskRefunded(taskId, t.user, amount);
        if (amount > 0) _token.safeTransfer(t.user, amount);
    }

    /// @dev Adds creator income and counts one settled task, with its convictions, in the model's
    /// redundancy window; the registry is read only when a window closes.
    function _creditModel(uint256 modelId, uint256 income, uint256 frauds) private {
        Redundancy.ModelAccount memory account = _models[modelId];
        account.income += uint128(income);
        Params memory p = _params;
        if (Redundancy.record(account, frauds, p.redundancyWindow)) {
            uint256 windowFrauds = account.windowFrauds;
            uint256 declared = _registry.terms(modelId).redundancy;
            Redundancy.adjust(account, declared, p.minRedundancy, MAX_AGENTS, p.fraudRateRaiseBps);
            emit RedundancyAdjusted(modelId, account.offset, windowFrauds);
        }
        _models[modelId] = account;
    }

    // ---------------------------------------------------------------- claims

    /// @inheritdoc ITaskManager
    function claim(uint256[] calldata taskIds) external nonReentrant returns (uint256 amount) {
        uint256 minted = 0;
        if (taskIds.length > 0) {
            uint256 headroom = _headroom();
            for (uint256 i; i < taskIds.length; ++i) {
                minted += _payOutDue(taskIds[i], headroom - minted);
            }
        }
        uint24 id = _agents.idOf(msg.sender);
        amount = _accountRewards[msg.sender] + _agentRewards[id];
        if (amount == 0) revert TaskManagerNothingToClaim(msg.sender);
        delete _accountRewards[msg.sender];
        delete _agentRewards[id];
        emit RewardClaimed(msg.sender, amount);
        // Every write is done: the block rewards credited above are minted, then paid.
        _mintTo(address(this), minted);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ITaskManager
    function claimModelIncome(uint256 modelId) external nonReentrant {
        address owner_ = IERC721(address(_registry)).ownerOf(modelId);
        uint256 amount = _models[modelId].income;
        if (amount == 0) revert TaskManagerNothingToClaim(owner_);
        _models[modelId].income = 0;
        emit ModelIncomeClaimed(modelId, owner_, amount);
        _token.safeTransfer(owner_, amount);
    }

    /// @inheritdoc ITaskManager
    function sweepTreasury() external nonReentrant {
        uint256 amount = _accrued.treasury;
        if (amount == 0) revert TaskManagerNothingToClaim(_treasury);
        _accrued.treasury = 0;
        emit TreasurySwept(amount);
        _token.safeTransfer(_treasury, amount);
    }

    /// @inheritdoc ITaskManager
    function releaseVerifierFees() external nonReentrant returns (uint256 amount) {
        if (msg.sender != _verifierRegistry) revert TaskManagerUnauthorized(msg.sender);
        amount = _accrued.verifierFees;
        if (amount == 0) return 0;
        _accrued.verifierFees = 0;
        emit VerifierFeesReleased(amount);
        _token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- helpers

    function _requireState(uint256 taskId, TaskWord w, TaskState expected) private pure {
        TaskState state = w.state();
        if (state == TaskState.None) revert TaskManagerUnknownTask(taskId);
        if (state != expected) revert TaskManagerWrongState(taskId, state);
    }

    /// @dev The caller's agent id; reverts if it is not assigned to the task.
    function _callerId(uint256 taskId, TaskWord w) private returns (uint24 id) {
        id = _agentIdCache[msg.sender];
        if (id == 0) {
            id = _agents.idOf(msg.sender);
            if (id == 0) revert TaskManagerNotAssigned(taskId, msg.sender);
            _agentIdCache[msg.sender] = id;
        }
        if (w.indexOf(id) == MAX_AGENTS) revert TaskManagerNotAssigned(taskId, msg.sender);
    }

    function _commitmentOf(uint256 taskId, uint256 index) private view returns (bytes16) {
        bytes32 pair = _commitments[taskId][index >> 1];
        return index & 1 == 0 ? bytes16(pair) : bytes16(pair << 128);
    }

    function _setCommitment(uint256 taskId, uint256 index, bytes16 value) private {
        bytes32 pair = _commitments[taskId][index >> 1];
        if (index & 1 == 0) pair = (pair & ~HIGH_HALF) | bytes32(value);
        else pair = (pair & HIGH_HALF) | (bytes32(value) >> 128);
        _commitments[taskId][index >> 1] = pair;
    }

    function _unpack(uint256 packedIds, uint256 count) private pure returns (uint24[] memory ids) {
        ids = new uint24[](count);
        for (uint256 i; i < count; ++i) {
            ids[i] = uint24(packedIds >> (24 * i));
        }
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ITaskManager
    function task(uint256 taskId) external view returns (TaskView memory v) {
        Task storage t = _tasks[taskId];
        TaskWord w = t.word;
        if (w.state() == TaskState.None) revert TaskManagerUnknownTask(taskId);
        uint256 k = w.k();
        v.user = t.user;
        v.escrow = t.escrow;
        v.modelId = w.modelId();
        v.state = w.state();
        v.tolerant = w.tolerant();
        v.attempt = uint8(w.attempt());
        v.k = uint8(k);
        v.commitCount = uint8(w.commitCount());
        v.committedMask = uint8(w.committedMask());
        v.revealedMask = uint8(w.revealedMask());
        v.winnerIndex = uint8(w.winnerIndex());
        v.mismatch = w.mismatch();
        v.deadline = uint40(w.deadline());
        v.agentIds = new uint24[](k);
        for (uint256 i; i < k; ++i) {
            v.agentIds[i] = w.agentId(i);
        }
        v.commitOrder = new uint8[](v.commitCount);
        for (uint256 i; i < v.commitCount; ++i) {
            v.commitOrder[i] = uint8(w.committerAt(i));
        }
    }

    /// @inheritdoc ITaskManager
    function commitment(uint256 taskId, uint256 index) external view returns (bytes32) {
        return bytes32(_commitmentOf(taskId, index));
    }

    /// @inheritdoc ITaskManager
    function redundancyOf(uint256 modelId) external view returns (uint256) {
        return Redundancy.k(_models[modelId], _registry.terms(modelId).redundancy, _params.minRedundancy, MAX_AGENTS);
    }

    /// @inheritdoc ITaskManager
    function claimable(address account) external view returns (uint256) {
        return _accountRewards[account] + _agentRewards[_agents.idOf(account)];
    }

    /// @inheritdoc ITaskManager
    function modelIncome(uint256 modelId) external view returns (uint256) {
        return _models[modelId].income;
    }

    /// @inheritdoc ITaskManager
    function accrued() external view returns (uint256 treasuryShare, uint256 verifierFees) {
        return (_accrued.treasury, _accrued.verifierFees);
    }

    /// @inheritdoc ITaskManager
    function taskCount() external view returns (uint256) {
        return _taskCount;
    }

    /// @inheritdoc ITaskManager
    function params() external view returns (Params memory) {
        return _params;
    }
}
