// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IParameters} from "./IParameters.sol";

/// @title Agent staking
/// @notice Agents stake for one model each and form that model's pool. The pool holds only agents
/// that may be assigned work; joining, leaving and drawing are O(1), O(1) and O(k).
interface IAgentStaking is IParameters {
    /// @notice Where an agent stands.
    /// Active: in its model's pool. Penalized: out of the pool until `until`, then may rejoin.
    /// Unbonding: leaving; stake slashable until `until`. Deactivated: convicted of fraud, may only
    /// unbond. Expelled: stake forfeited by governance.
    enum AgentStatus {
        None,
        Active,
        Penalized,
        Unbonding,
        Deactivated,
        Expelled
    }

    /// @notice Agent record. Layout: stake (96) | modelId (32) | id (24) | until (40) | status (8) |
    /// locks (16): one slot.
    struct Agent {
        uint96 stake;
        uint32 modelId;
        uint24 id;
        uint40 until;
        AgentStatus status;
        uint16 locks;
    }

    /// @notice Tunable numbers; see docs/parameters.md for defaults and bounds.
    struct Params {
        uint40 unbondingPeriod;
        uint40 penaltyDuration;
        uint16 missSlashBps;
    }

    /// @notice `agent` already serves model `modelId` and cannot stake for another.
    error AgentStakingWrongModel(address agent, uint256 modelId, uint256 requested);
    /// @notice A stake of `stake` is below the `required` minimum.
    error AgentStakingStakeTooLow(uint256 stake, uint256 required);
    /// @notice `account` has never staked.
    error AgentStakingUnknownAgent(address account);
    /// @notice The action is not allowed while `agent` is in `status`.
    error AgentStakingWrongStatus(address agent, AgentStatus status);
    /// @notice `agent` is penalized until `until`.
    error AgentStakingStillPenalized(address agent, uint256 until);
    /// @notice `agent` is unbonding until `until`.
    error AgentStakingStillUnbonding(address agent, uint256 until);
    /// @notice `agent`'s stake is held by `locks` open disputes.
    error AgentStakingLockedByDispute(address agent, uint256 locks);
    /// @notice `caller` is not the contract allowed to do this.
    error AgentStakingUnauthorized(address caller);
    /// @notice A zero amount was given.
    error AgentStakingZeroAmount();
    /// @notice All 2^24 - 1 agent ids are taken.
    error AgentStakingIdsExhausted();
    /// @notice The task and dispute managers are already wired.
    error AgentStakingAlreadyWired();
    /// @notice No agent has id `id`.
    error AgentStakingUnknownId(uint256 id);

    /// @notice `agent` (id `id`) staked `amount` for `modelId`; its stake is now `totalStake`.
    event AgentStaked(address indexed agent, uint24 indexed id, uint256 indexed modelId, uint256 amount, uint256 totalStake);
    /// @notice `agent` entered the pool of `modelId`.
    event AgentJoinedPool(address indexed agent, uint24 indexed id, uint256 indexed modelId);
    /// @notice `agent` left the pool of `modelId`.
    event AgentLeftPool(address indexed agent, uint24 indexed id, uint256 indexed modelId);
    /// @notice `agent` missed a deadline: `slashed` went to the treasury; inactive until `until`.
    event AgentPenalized(address indexed agent, uint24 indexed id, uint256 slashed, uint256 until);
    /// @notice `agent` started unbonding; it may withdraw at `until`.
    event AgentUnbonding(address indexed agent, uint24 indexed id, uint256 until);
    /// @notice `agent` withdrew `amount`.
    event AgentWithdrawn(address indexed agent, uint24 indexed id, uint256 amount);
    /// @notice `amount` of `agent`'s stake was slashed for fraud and sent to `to`; it is deactivated.
    event AgentSlashed(address indexed agent, uint24 indexed id, uint256 amount, address to);
    /// @notice Governance expelled `agent`; its whole stake `forfeited` went to the treasury.
    event AgentExpelled(address indexed agent, uint24 indexed id, uint256 forfeited, string evidenceURI);
    /// @notice A dispute locked (`locked` true) or released `agent`'s stake; `locks` now open.
    event AgentLockChanged(address indexed agent, uint24 indexed id, bool locked, uint256 locks);
    /// @notice Governance set new parameters.
    event AgentParamsChanged(Params params);
    /// @notice Governance wired the task manager and the dispute manager.
    event AgentStakingWired(address indexed taskManager, address indexed disputeManager);

    /// @notice Sets the task manager (penalties) and the dispute manager (slashes, locks), once.
    /// Only governance. Emits {AgentStakingWired}.
    function wire(address taskManager, address disputeManager) external;

    /// @notice Stakes `amount` for `modelId`; the first stake must reach the model's minimum and
    /// joins the pool. Later stakes top up (same model only).
    /// Emits {AgentStaked} and, on joining, {AgentJoinedPool}.
    function stake(uint256 modelId, uint256 amount) external;

    /// @notice {stake} with an EIP-2612 permit, in one transaction.
    function stakeWithPermit(uint256 modelId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;

    /// @notice Re-enters the pool after a penalty has run out, if the stake still meets the minimum.
    /// Emits {AgentJoinedPool}.
    function rejoin() external;

    /// @notice Leaves the pool and starts unbonding. Emits {AgentUnbonding}, {AgentLeftPool}.
    function unstake() external;

    /// @notice Withdraws the whole stake once unbonding is over and no dispute holds it.
    /// Emits {AgentWithdrawn}.
    function withdraw() external;

    /// @notice Penalizes agent `id` for a missed commit or reveal. Only the task manager.
    /// Emits {AgentPenalized} and, when it was pooled, {AgentLeftPool}.
    function penalizeMiss(uint24 id) external;

    /// @notice Slashes `bps` of agent `id`'s stake to `to` and deactivates it. Only the dispute
    /// manager. Returns the amount slashed. Emits {AgentSlashed}.
    function slashForFraud(uint24 id, uint256 bps, address to) external returns (uint256 amount);

    /// @notice Holds (`locked` true) or releases agent `id`'s stake for a dispute. Only the dispute
    /// manager. Emits {AgentLockChanged}.
    function setLock(uint24 id, bool locked) external;

    /// @notice Expels `agent` for improper conduct: its whole stake is forfeited. Only governance.
    /// Emits {AgentExpelled}.
    function expel(address agent, string calldata evidenceURI) external;

    /// @notice Sets the parameters within their hard bounds. Only governance. Emits {AgentParamsChanged}.
    function setParams(Params calldata params_) external;

    /// @notice Draws up to `k` distinct agents uniformly at random from `modelId`'s pool in O(k):
    /// all of them when fewer than `k` are pooled. Returns their ids packed 24 bits each from the
    /// low end, and how many were drawn.
    function drawAgents(uint256 modelId, uint256 k, uint256 seed) external view returns (uint256 packedIds, uint256 count);

    /// @notice The address of agent `id`; reverts for an unknown id.
    function agentOf(uint24 id) external view returns (address);

    /// @notice The id of `agent`, or 0 if it never staked.
    function idOf(address agent) external view returns (uint24);

    /// @notice The record of `agent`.
    function agentInfo(address agent) external view returns (Agent memory);

    /// @notice How many agents are in `modelId`'s pool.
    function poolSize(uint256 modelId) external view returns (uint256);

    /// @notice The current parameters.
    function params() external view returns (Params memory);
}
