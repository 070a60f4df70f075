// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAgentStaking} from "../interfaces/IAgentStaking.sol";
import {IEAIToken} from "../interfaces/IEAIToken.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IParameters} from "../interfaces/IParameters.sol";
import {Bounds} from "../libraries/Bounds.sol";
import {IdPool} from "../libraries/IdPool.sol";

/// @title Agent staking
/// @notice Agents stake EAI for one model each. Each model has a pool of the agents that may be
/// assigned work (status Active); the task manager draws from it in O(k).
///
/// Statuses and moves:
/// - None -> Active: first stake, at least the model's `minAgentStake`; the agent gets an id.
/// - Active -> Penalized: a missed commit or reveal (small slash, out of the pool for
///   `penaltyDuration`); Penalized -> Active by {rejoin} once it ran out, if the stake still
///   meets the model's minimum.
/// - Active / Penalized / Deactivated -> Unbonding by {unstake}; Unbonding -> None by {withdraw}
///   after `unbondingPeriod` when no dispute holds the stake. The record keeps its id, so the
///   agent may stake again later, for any model.
/// - any -> Deactivated when convicted of fraud (an Unbonding agent stays Unbonding).
/// - any -> Expelled by governance: the whole stake is forfeited; the address can never stake again.
///
/// Parameter defaults and hard bounds: unbondingPeriod 2 days in [1 day, 30 days];
/// penaltyDuration 3600 s in [60 s, 7 days]; missSlashBps 100 in [0, 1000].
contract AgentStaking is Ownable2Step, ReentrancyGuardTransient, IAgentStaking {
    using SafeERC20 for IEAIToken;
    using IdPool for IdPool.Pool;

    /// @notice Most agents one {drawAgents} call can return: ten 24-bit ids fill a word.
    uint256 public constant MAX_DRAW = 10;

    uint256 private constant BPS = 10_000;

    IEAIToken private immutable _token;
    IModelRegistry private immutable _registry;
    address private immutable _treasury;

    /// @dev Agent records; see {IAgentStaking-Agent} for the one-slot layout.
    mapping(address agent => Agent) private _agents;
    mapping(uint24 id => address agent) private _agentById;
    /// @dev Per model, the agents that may be assigned work.
    mapping(uint256 modelId => IdPool.Pool) private _pools;
    /// @dev Layout: unbondingPeriod (40) | penaltyDuration (40) | missSlashBps (16): one slot.
    Params private _params;
    /// @dev Layout: lastId (24) | taskManager (160): one slot.
    uint24 private _lastId;
    address private _taskManager;
    address private _disputeManager;

    /// @param token_ The EAI token.
    /// @param registry_ The model registry (minimum stakes).
    /// @param treasury_ Where missed-deadline slashes and forfeited stakes go.
    /// @param governance The owner: wires, sets parameters, expels.
    /// @param params_ Initial parameters, checked against the hard bounds.
    constructor(
        IEAIToken token_,
        IModelRegistry registry_,
        address treasury_,
        address governance,
        Params memory params_
    ) Ownable(governance) {
        _token = token_;
        _registry = registry_;
        _treasury = treasury_;
        _setParams(params_);
    }

    modifier onlyTaskManager() {
        if (msg.sender != _taskManager) revert AgentStakingUnauthorized(msg.sender);
        _;
    }

    modifier onlyDisputeManager() {
        if (msg.sender != _disputeManager) revert AgentStakingUnauthorized(msg.sender);
        _;
    }

    // ---------------------------------------------------------------------------------------------
    // Agents
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IAgentStaking
    function stake(uint256 modelId, uint256 amount) external nonReentrant {
        _stake(msg.sender, modelId, amount);
    }

    /// @inheritdoc IAgentStaking
    /// @dev The permit is tried and its failure ignored: if someone front-ran it (the permit is
    /// public in the mempool), the allowance is already there and the transfer still works.
    function stakeWithPermit(uint256 modelId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        try _token.permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _stake(msg.sender, modelId, amount);
    }

    /// @inheritdoc IAgentStaking
    function rejoin() external {
        Agent memory a = _load(msg.sender);
        if (a.status != AgentStatus.Penalized) revert AgentStakingWrongStatus(msg.sender, a.status);
        if (block.timestamp < a.until) revert AgentStakingStillPenalized(msg.sender, a.until);
        uint256 required = _registry.terms(a.modelId).minAgentStake;
        if (a.stake < required) revert AgentStakingStakeTooLow(a.stake, required);
        a.status = AgentStatus.Active;
        a.until = 0;
        _agents[msg.sender] = a;
        _joinPool(msg.sender, a);
    }

    /// @inheritdoc IAgentStaking
    function unstake() external {
        Agent memory a = _load(msg.sender);
        if (
            a.status != AgentStatus.Active && a.status != AgentStatus.Penalized
                && a.status != AgentStatus.Deactivated
        ) revert AgentStakingWrongStatus(msg.sender, a.status);
        _leavePool(msg.sender, a);
        a.status = AgentStatus.Unbonding;
        a.until = SafeCast.toUint40(block.timestamp + _params.unbondingPeriod);
        _agents[msg.sender] = a;
        emit AgentUnbonding(msg.sender, a.id, a.until);
    }

    /// @inheritdoc IAgentStaking
    function withdraw() external nonReentrant {
        Agent memory a = _load(msg.sender);
        if (a.status != AgentStatus.Unbonding) revert AgentStakingWrongStatus(msg.sender, a.status);
        if (block.timestamp < a.until) revert AgentStakingStillUnbonding(msg.sender, a.until);
        if (a.locks != 0) revert AgentStakingLockedByDispute(msg.sender, a.locks);
        uint256 amount = a.stake;
        // Back to None with the id kept; locks is 0 already.
        _agents[msg.sender] = Agent({stake: 0, modelId: 0, id: a.id, until: 0, status: AgentStatus.None, locks: 0});
        emit AgentWithdrawn(msg.sender, a.id, amount);
        if (amount != 0) _token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Task manager and dispute manager
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IAgentStaking
    /// @dev Never reverts for a known id whatever its status, so a task can always be resolved:
    /// Active -> Penalized (leaves the pool); Penalized: the penalty is extended; any other status
    /// only pays the slash (zero for a record without stake). {AgentPenalized}'s `until` is 0 when
    /// the status did not change.
    function penalizeMiss(uint24 id) external onlyTaskManager nonReentrant {
        address agent = _addressOf(id);
        Agent memory a = _agents[agent];
        Params memory p = _params;
        uint256 slashed = uint256(a.stake) * p.missSlashBps / BPS;
        // slashed <= stake because missSlashBps <= BPS.
        a.stake -= uint96(slashed);
        bool suspend = a.status == AgentStatus.Active || a.status == AgentStatus.Penalized;
        if (suspend) {
            _leavePool(agent, a);
            uint256 until = block.timestamp + p.penaltyDuration;
            // A penalty is never shortened by a later one under a shorter penaltyDuration.
            if (until > a.until) a.until = SafeCast.toUint40(until);
            a.status = AgentStatus.Penalized;
        }
        _agents[agent] = a;
        emit AgentPenalized(agent, id, slashed, suspend ? a.until : 0);
        if (slashed != 0) _token.safeTransfer(_treasury, slashed);
    }

    /// @inheritdoc IAgentStaking
    /// @dev Works whatever the status and may slash 0. The agent becomes Deactivated unless it is
    /// Unbonding (it stays Unbonding, still slashable) or Expelled. Reverts if `bps` > 10000.
    function slashForFraud(uint24 id, uint256 bps, address to)
        external
        onlyDisputeManager
        nonReentrant
        returns (uint256 amount)
    {
        Bounds.check("bps", bps, 0, BPS);
        address agent = _addressOf(id);
        Agent memory a = _agents[agent];
        amount = uint256(a.stake) * bps / BPS;
        // amount <= stake because bps <= BPS.
        a.stake -= uint96(amount);
        _leavePool(agent, a);
        if (a.status != AgentStatus.Unbonding && a.status != AgentStatus.Expelled) {
            a.status = AgentStatus.Deactivated;
            a.until = 0;
        }
        _agents[agent] = a;
        emit AgentSlashed(agent, id, amount, to);
        if (amount != 0) _token.safeTransfer(to, amount);
    }

    /// @inheritdoc IAgentStaking
    /// @dev Releasing an agent with no lock is a bug in the caller: it reverts with an arithmetic
    /// panic (0x11), as does a 65536th lock.
    function setLock(uint24 id, bool locked) external onlyDisputeManager {
        address agent = _addressOf(id);
        Agent storage a = _agents[agent];
        uint16 locks = locked ? a.locks + 1 : a.locks - 1;
        a.locks = locks;
        emit AgentLockChanged(agent, id, locked, locks);
    }

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IAgentStaking
    function wire(address taskManager_, address disputeManager_) external onlyOwner {
        if (_taskManager != address(0) || _disputeManager != address(0)) revert AgentStakingAlreadyWired();
        _taskManager = taskManager_;
        _disputeManager = disputeManager_;
        emit AgentStakingWired(taskManager_, disputeManager_);
    }

    /// @inheritdoc IAgentStaking
    /// @dev Any status but Expelled, including a record without stake (which bans the address).
    function expel(address agent, string calldata evidenceURI) external onlyOwner nonReentrant {
        Agent memory a = _load(agent);
        if (a.status == AgentStatus.Expelled) revert AgentStakingWrongStatus(agent, a.status);
        uint256 forfeited = a.stake;
        _leavePool(agent, a);
        a.stake = 0;
        a.status = AgentStatus.Expelled;
        a.until = 0;
        _agents[agent] = a;
        emit AgentExpelled(agent, a.id, forfeited, evidenceURI);
        if (forfeited != 0) _token.safeTransfer(_treasury, forfeited);
    }

    /// @inheritdoc IAgentStaking
    function setParams(Params calldata params_) external onlyOwner {
        _setParams(params_);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IAgentStaking
    /// @dev Reverts with {IParameters-ParameterOutOfBounds} if `k` > MAX_DRAW.
    function drawAgents(uint256 modelId, uint256 k, uint256 seed)
        external
        view
        returns (uint256 packedIds, uint256 count)
    {
        if (k > MAX_DRAW) revert IParameters.ParameterOutOfBounds("k", k, 0, MAX_DRAW);
        uint24[] memory ids = _pools[modelId].draw(k, seed, 0);
        count = ids.length;
        for (uint256 i; i < count; ++i) {
            packedIds |= uint256(ids[i]) << (24 * i);
        }
    }

    /// @inheritdoc IAgentStaking
    function agentOf(uint24 id) external view returns (address) {
        return _addressOf(id);
    }

    /// @inheritdoc IAgentStaking
    function idOf(address agent) external view returns (uint24) {
        return _agents[agent].id;
    }

    /// @inheritdoc IAgentStaking
    function agentInfo(address agent) external view returns (Agent memory) {
        return _agents[agent];
    }

    /// @inheritdoc IAgentStaking
    function poolSize(uint256 modelId) external view returns (uint256) {
        return _pools[modelId].size();
    }

    /// @inheritdoc IAgentStaking
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @notice The task manager and the dispute manager (zero until {wire}).
    function wiring() external view returns (address taskManager, address disputeManager) {
        return (_taskManager, _disputeManager);
    }

    // ---------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------

    /// @dev A first stake (status None) or a top-up (Active or Penalized, same model), then pulls
    /// the tokens. Emits {AgentStaked} and, on a first stake, {AgentJoinedPool}.
    function _stake(address agent, uint256 modelId, uint256 amount) private {
        if (amount == 0) revert AgentStakingZeroAmount();
        Agent memory a = _agents[agent];
        bool first = a.status == AgentStatus.None;
        if (first) {
            uint256 required = _registry.terms(modelId).minAgentStake;
            if (amount < required) revert AgentStakingStakeTooLow(amount, required);
            if (a.id == 0) a.id = _newId(agent);
            a.modelId = SafeCast.toUint32(modelId);
            a.status = AgentStatus.Active;
            a.until = 0;
        } else if (a.status == AgentStatus.Active || a.status == AgentStatus.Penalized) {
            if (a.modelId != modelId) revert AgentStakingWrongModel(agent, a.modelId, modelId);
        } else {
            revert AgentStakingWrongStatus(agent, a.status);
        }
        a.stake = SafeCast.toUint96(uint256(a.stake) + amount);
        _agents[agent] = a;
        emit AgentStaked(agent, a.id, modelId, amount, a.stake);
        if (first) _joinPool(agent, a);
        _token.safeTransferFrom(agent, address(this), amount);
    }

    /// @dev Gives `agent` the next id.
    function _newId(address agent) private returns (uint24 id) {
        if (_lastId == type(uint24).max) revert AgentStakingIdsExhausted();
        id = ++_lastId;
        _agentById[id] = agent;
    }

    /// @dev Adds `a` to its model's pool. Emits {AgentJoinedPool}.
    function _joinPool(address agent, Agent memory a) private {
        if (_pools[a.modelId].add(a.id)) emit AgentJoinedPool(agent, a.id, a.modelId);
    }

    /// @dev Removes `a` from its model's pool if it is there. Emits {AgentLeftPool} if it was.
    function _leavePool(address agent, Agent memory a) private {
        if (_pools[a.modelId].remove(a.id)) emit AgentLeftPool(agent, a.id, a.modelId);
    }

    /// @dev Checks and stores the parameters. Emits {AgentParamsChanged}.
    function _setParams(Params memory p) private {
        Bounds.check("unbondingPeriod", p.unbondingPeriod, 1 days, 30 days);
        Bounds.check("penaltyDuration", p.penaltyDuration, 60, 7 days);
        Bounds.check("missSlashBps", p.missSlashBps, 0, 1000);
        _params = p;
        emit AgentParamsChanged(p);
    }

    /// @dev The record of `agent`; reverts if it never staked.
    function _load(address agent) private view returns (Agent memory a) {
        a = _agents[agent];
        if (a.id == 0) revert AgentStakingUnknownAgent(agent);
    }

    /// @dev The address of agent `id`; reverts for an id never given.
    function _addressOf(uint24 id) private view returns (address agent) {
        agent = _agentById[id];
        if (agent == address(0)) revert AgentStakingUnknownId(id);
    }
}
