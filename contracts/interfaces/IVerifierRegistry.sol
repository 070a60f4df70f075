// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IParameters} from "./IParameters.sol";

/// @title Verifier registry
/// @notice Verifiers stake for the whole network, check in once per epoch (heartbeat) to share
/// that epoch's fee pool pro rata to stake, and are drawn at random onto dispute committees.
interface IVerifierRegistry is IParameters {
    /// @notice Active: pooled for committees. Inactive: reported for missed epochs, may rejoin.
    /// Unbonding: leaving; stake slashable until `until`. Expelled: stake forfeited.
    enum VerifierStatus {
        None,
        Active,
        Inactive,
        Unbonding,
        Expelled
    }

    /// @notice Verifier record. Layout: stake (96) | id (24) | lastSeenEpoch (32) | until (40) |
    /// status (8) | locks (16): one slot.
    struct Verifier {
        uint96 stake;
        uint24 id;
        uint32 lastSeenEpoch;
        uint40 until;
        VerifierStatus status;
        uint16 locks;
    }

    /// @notice Tunable numbers; see docs/parameters.md for defaults and bounds.
    struct Params {
        uint96 minStake;
        uint40 unbondingPeriod;
        uint16 inactivityPenaltyBps;
        uint8 maxMissedEpochs;
    }

    /// @notice A stake of `stake` is below the `required` minimum.
    error VerifierRegistryStakeTooLow(uint256 stake, uint256 required);
    /// @notice `account` has never staked.
    error VerifierRegistryUnknownVerifier(address account);
    /// @notice The action is not allowed while `verifier` is in `status`.
    error VerifierRegistryWrongStatus(address verifier, VerifierStatus status);
    /// @notice `verifier` is unbonding until `until`.
    error VerifierRegistryStillUnbonding(address verifier, uint256 until);
    /// @notice `verifier`'s stake is held by `locks` open disputes.
    error VerifierRegistryLockedByDispute(address verifier, uint256 locks);
    /// @notice `caller` is not the contract allowed to do this.
    error VerifierRegistryUnauthorized(address caller);
    /// @notice A zero amount was given.
    error VerifierRegistryZeroAmount();
    /// @notice Epoch `epoch` is not over yet (current: `current`).
    error VerifierRegistryEpochNotOver(uint256 epoch, uint256 current);
    /// @notice `verifier` has no unclaimed share in `epoch`.
    error VerifierRegistryNothingToClaim(address verifier, uint256 epoch);
    /// @notice `verifier` missed `missed` epochs, fewer than the `required` to report it.
    error VerifierRegistryNotInactive(address verifier, uint256 missed, uint256 required);
    /// @notice Epoch `epoch` had active verifiers: its pool is theirs, not the treasury's.
    error VerifierRegistryEpochHadVerifiers(uint256 epoch);
    /// @notice The task and dispute managers are already wired.
    error VerifierRegistryAlreadyWired();
    /// @notice All 2^24 - 1 verifier ids are taken.
    error VerifierRegistryIdsExhausted();
    /// @notice No verifier has id `id`.
    error VerifierRegistryUnknownId(uint256 id);

    /// @notice `verifier` (id `id`) staked `amount`; its stake is now `totalStake`.
    event VerifierStaked(address indexed verifier, uint24 indexed id, uint256 amount, uint256 totalStake);
    /// @notice `verifier` entered the committee pool.
    event VerifierJoinedPool(address indexed verifier, uint24 indexed id);
    /// @notice `verifier` left the committee pool.
    event VerifierLeftPool(address indexed verifier, uint24 indexed id);
    /// @notice `verifier` checked in for `epoch` with `stake` counted towards its fee share.
    event VerifierHeartbeat(address indexed verifier, uint24 indexed id, uint256 indexed epoch, uint256 stake);
    /// @notice `amount` of fees were added to `epoch`'s verifier pool.
    event EpochFeesAdded(uint256 indexed epoch, uint256 amount);
    /// @notice `verifier` claimed `amount` from `epoch`'s pool.
    event EpochRewardClaimed(address indexed verifier, uint256 indexed epoch, uint256 amount);
    /// @notice `epoch` had no active verifier: its `amount` went to the treasury.
    event EpochSwept(uint256 indexed epoch, uint256 amount);
    /// @notice `reporter` reported `verifier` for `missed` epochs: `penalty` went to the treasury.
    event VerifierReportedInactive(address indexed verifier, address indexed reporter, uint256 missed, uint256 penalty);
    /// @notice `amount` of `verifier`'s stake was taken and sent to `to` (a dispute penalty).
    event VerifierPenalized(address indexed verifier, uint24 indexed id, uint256 amount, address to);
    /// @notice `verifier` started unbonding; it may withdraw at `until`.
    event VerifierUnbonding(address indexed verifier, uint24 indexed id, uint256 until);
    /// @notice `verifier` withdrew `amount`.
    event VerifierWithdrawn(address indexed verifier, uint24 indexed id, uint256 amount);
    /// @notice Governance expelled `verifier`; its whole stake `forfeited` went to the treasury.
    event VerifierExpelled(address indexed verifier, uint24 indexed id, uint256 forfeited, string evidenceURI);
    /// @notice A dispute locked (`locked` true) or released `verifier`'s stake; `locks` now open.
    event VerifierLockChanged(address indexed verifier, uint24 indexed id, bool locked, uint256 locks);
    /// @notice Governance set new parameters.
    event VerifierParamsChanged(Params params);
    /// @notice Governance wired the task manager and the dispute manager.
    event VerifierRegistryWired(address indexed taskManager, address indexed disputeManager);

    /// @notice Sets the task manager (fee source) and the dispute manager (locks, penalties), once.
    /// Only governance. Emits {VerifierRegistryWired}.
    function wire(address taskManager, address disputeManager) external;

    /// @notice Stakes `amount`; the first stake must reach the minimum and joins the pool.
    /// Emits {VerifierStaked} and, on joining, {VerifierJoinedPool}.
    function stake(uint256 amount) external;

    /// @notice {stake} with an EIP-2612 permit, in one transaction.
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Checks in for the current epoch (once per epoch; later calls in the epoch do nothing)
    /// and first moves fees owed to verifiers from the task manager into the current epoch's pool.
    /// Emits {VerifierHeartbeat}.
    function heartbeat() external;

    /// @notice Pulls verifier fees from the task manager into the current epoch's pool. Anyone.
    function collectFees() external;

    /// @notice Claims the caller's pro-rata share of `epoch`'s pool, once the epoch is over.
    /// Emits {EpochRewardClaimed}.
    function claimEpochReward(uint256 epoch) external;

    /// @notice Sends the pool of an epoch that had no active verifier to the treasury. Anyone.
    /// Emits {EpochSwept}.
    function sweepEpoch(uint256 epoch) external;

    /// @notice Reports `verifier` for missing at least `maxMissedEpochs` epochs: it loses
    /// `inactivityPenaltyBps` of its stake per missed epoch and leaves the pool. Anyone.
    /// Emits {VerifierReportedInactive} and {VerifierLeftPool}.
    function reportInactive(address verifier) external;

    /// @notice Re-enters the pool after an inactivity report, if the stake meets the minimum.
    function rejoin() external;

    /// @notice Leaves the pool and starts unbonding. Emits {VerifierUnbonding}.
    function unstake() external;

    /// @notice Withdraws the whole stake once unbonding is over and no dispute holds it.
    function withdraw() external;

    /// @notice Draws min(m, available) distinct pooled verifiers uniformly at random, never
    /// `exclude` (zero for none), in O(m) whatever the pool's size.
    function drawCommittee(uint256 m, uint256 seed, address exclude) external view returns (uint24[] memory ids);

    /// @notice Holds or releases verifier `id`'s stake for a dispute. Only the dispute manager.
    function setLock(uint24 id, bool locked) external;

    /// @notice Takes `bps` of verifier `id`'s stake and sends it to `to`. Only the dispute manager.
    /// Returns the amount. Emits {VerifierPenalized}.
    function penalize(uint24 id, uint256 bps, address to) external returns (uint256 amount);

    /// @notice Expels `verifier`: its whole stake is forfeited. Only governance.
    function expel(address verifier, string calldata evidenceURI) external;

    /// @notice Sets the parameters within their hard bounds. Only governance.
    function setParams(Params calldata params_) external;

    /// @notice The current epoch number (epoch 0 starts at deployment).
    function currentEpoch() external view returns (uint256);

    /// @notice The epoch length in seconds, fixed at deployment.
    function epochLength() external view returns (uint256);

    /// @notice Fees in `epoch`'s pool and the stake checked in for it.
    function epochPool(uint256 epoch) external view returns (uint256 fees, uint256 activeStake);

    /// @notice `verifier`'s unclaimed share of `epoch`'s pool as it stands now.
    function pendingReward(uint256 epoch, address verifier) external view returns (uint256);

    /// @notice The address of verifier `id`; reverts for an unknown id.
    function verifierOf(uint24 id) external view returns (address);

    /// @notice The id of `verifier`, or 0 if it never staked.
    function idOf(address verifier) external view returns (uint24);

    /// @notice The record of `verifier`.
    function verifierInfo(address verifier) external view returns (Verifier memory);

    /// @notice How many verifiers are in the committee pool.
    function poolSize() external view returns (uint256);

    /// @notice The current parameters.
    function params() external view returns (Params memory);
}
