// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IEAIToken} from "../interfaces/IEAIToken.sol";
import {ITaskManager} from "../interfaces/ITaskManager.sol";
import {IVerifierRegistry} from "../interfaces/IVerifierRegistry.sol";
import {Bounds} from "../libraries/Bounds.sol";
import {IdPool} from "../libraries/IdPool.sol";

/// @title Verifier registry
/// @notice Verifiers stake EAI for the whole network. Time is cut into epochs of `epochLength`
/// seconds from deployment. A verifier that checks in during an epoch ({heartbeat}) shares that
/// epoch's fee pool pro rata to the stake it had when it checked in; the shares are claimable once
/// the epoch is over. Active verifiers form the pool dispute committees are drawn from.
///
/// Statuses and moves: None -> Active (first stake of at least `minStake`); Active -> Inactive
/// ({reportInactive}, after `maxMissedEpochs` epochs without a heartbeat); Inactive -> Active
/// ({rejoin}); Active / Inactive -> Unbonding ({unstake}); Unbonding -> None ({withdraw}, id kept);
/// any -> Expelled (governance).
///
/// Parameter defaults and hard bounds: minStake 1000 EAI in [1, 1_000_000] EAI; unbondingPeriod
/// 2 days in [1 day, 30 days]; inactivityPenaltyBps 50 in [0, 1000] per missed epoch;
/// maxMissedEpochs 3 in [1, 100]. The epoch length is fixed at deployment, in [600 s, 30 days].
contract VerifierRegistry is Ownable2Step, ReentrancyGuardTransient, IVerifierRegistry {
    using SafeERC20 for IEAIToken;
    using IdPool for IdPool.Pool;

    uint256 private constant BPS = 10_000;

    /// @dev One epoch's fee pool. Layout: fees (128) | activeStake (128): slot 0 (written while the
    /// epoch runs) | claimedFees (128) | claimedStake (128): slot 1 (written by claims and the sweep,
    /// once the epoch is over). Claims pay the unclaimed fees pro rata to the unclaimed stake, so the
    /// last claimer takes the rounding dust and the pool empties exactly.
    struct EpochPool {
        uint128 fees;
        uint128 activeStake;
        uint128 claimedFees;
        uint128 claimedStake;
    }

    IEAIToken private immutable _token;
    address private immutable _treasury;
    uint256 private immutable _deployTime;
    uint256 private immutable _epochLength;

    /// @dev Verifier records; see {IVerifierRegistry-Verifier} for the one-slot layout.
    mapping(address verifier => Verifier) private _verifiers;
    mapping(uint24 id => address verifier) private _verifierById;
    /// @dev Active verifiers, the committee pool.
    IdPool.Pool private _pool;
    mapping(uint256 epoch => EpochPool) private _epochs;
    /// @dev The stake each verifier checked in with, per epoch; nonzero means checked in and not
    /// yet claimed.
    mapping(uint256 epoch => mapping(address verifier => uint256 stake)) private _snapshots;
    /// @dev Layout: minStake (96) | unbondingPeriod (40) | inactivityPenaltyBps (16) |
    /// maxMissedEpochs (8): one slot.
    Params private _params;
    /// @dev Layout: lastId (24) | taskManager (160): one slot.
    uint24 private _lastId;
    address private _taskManager;
    address private _disputeManager;

    /// @param token_ The EAI token.
    /// @param treasury_ Where inactivity penalties, forfeited stakes and unclaimable pools go.
    /// @param governance The owner: wires, sets parameters, expels.
    /// @param epochLength_ Seconds per epoch, in [600, 30 days].
    /// @param params_ Initial parameters, checked against the hard bounds.
    constructor(
        IEAIToken token_,
        address treasury_,
        address governance,
        uint256 epochLength_,
        Params memory params_
    ) Ownable(governance) {
        Bounds.check("epochLength", epochLength_, 600, 30 days);
        _token = token_;
        _treasury = treasury_;
        _deployTime = block.timestamp;
        _epochLength = epochLength_;
        _setParams(params_);
    }

    modifier onlyDisputeManager() {
        if (msg.sender != _disputeManager) revert VerifierRegistryUnauthorized(msg.sender);
        _;
    }

    // ---------------------------------------------------------------------------------------------
    // Verifiers
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IVerifierRegistry
    function stake(uint256 amount) external nonReentrant {
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev The permit is tried and its failure ignored: if someone front-ran it, the allowance is
    /// already there and the transfer still works.
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        try _token.permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Only an Active verifier. The stake counted is the stake at the first heartbeat of the
    /// epoch; later top-ups count from the next epoch. The check-in is written before the fees are
    /// pulled (checks-effects-interactions); both land in the current epoch, so the order does not
    /// change anyone's share.
    function heartbeat() external nonReentrant {
        Verifier memory ver = _load(msg.sender);
        if (ver.status != VerifierStatus.Active) revert VerifierRegistryWrongStatus(msg.sender, ver.status);
        uint256 epoch = currentEpoch();
        if (ver.lastSeenEpoch != epoch || _snapshots[epoch][msg.sender] == 0) _checkIn(msg.sender, ver, epoch);
        _collectFees();
    }

    /// @inheritdoc IVerifierRegistry
    function collectFees() external nonReentrant {
        _collectFees();
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Pays nothing (but still consumes the share) when the epoch had no fees.
    function claimEpochReward(uint256 epoch) external nonReentrant {
        uint256 current = currentEpoch();
        if (epoch >= current) revert VerifierRegistryEpochNotOver(epoch, current);
        uint256 snapshot = _snapshots[epoch][msg.sender];
        if (snapshot == 0) revert VerifierRegistryNothingToClaim(msg.sender, epoch);
        EpochPool memory pool = _epochs[epoch];
        uint256 amount = _share(pool, snapshot);
        delete _snapshots[epoch][msg.sender];
        // Both stay within fees and activeStake (128 bits each): a share never exceeds what is left.
        _epochs[epoch].claimedFees = uint128(pool.claimedFees + amount);
        _epochs[epoch].claimedStake = uint128(pool.claimedStake + snapshot);
        emit EpochRewardClaimed(msg.sender, epoch, amount);
        if (amount != 0) _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IVerifierRegistry
    function sweepEpoch(uint256 epoch) external nonReentrant {
        uint256 current = currentEpoch();
        if (epoch >= current) revert VerifierRegistryEpochNotOver(epoch, current);
        EpochPool memory pool = _epochs[epoch];
        if (pool.activeStake != 0) revert VerifierRegistryEpochHadVerifiers(epoch);
        uint256 amount = pool.fees - pool.claimedFees;
        if (amount == 0) revert VerifierRegistryNothingToClaim(_treasury, epoch);
        _epochs[epoch].claimedFees = pool.fees;
        emit EpochSwept(epoch, amount);
        _token.safeTransfer(_treasury, amount);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Missed epochs are the whole epochs since the last one seen (a heartbeat, the first
    /// stake or a rejoin): current - lastSeenEpoch - 1. The penalty is capped at the stake.
    function reportInactive(address verifier) external nonReentrant {
        Verifier memory ver = _load(verifier);
        if (ver.status != VerifierStatus.Active) revert VerifierRegistryWrongStatus(verifier, ver.status);
        Params memory p = _params;
        uint256 missed = missedEpochs(verifier);
        if (missed < p.maxMissedEpochs) revert VerifierRegistryNotInactive(verifier, missed, p.maxMissedEpochs);
        // stake (96 bits) * bps (16) * missed (< 2^32): no overflow.
        uint256 penalty = uint256(ver.stake) * p.inactivityPenaltyBps * missed / BPS;
        if (penalty > ver.stake) penalty = ver.stake;
        // penalty <= stake, checked above.
        ver.stake -= uint96(penalty);
        ver.status = VerifierStatus.Inactive;
        _verifiers[verifier] = ver;
        emit VerifierReportedInactive(verifier, msg.sender, missed, penalty);
        _leavePool(verifier, ver.id);
        if (penalty != 0) _token.safeTransfer(_treasury, penalty);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Emits {VerifierJoinedPool}.
    function rejoin() external {
        Verifier memory ver = _load(msg.sender);
        if (ver.status != VerifierStatus.Inactive) revert VerifierRegistryWrongStatus(msg.sender, ver.status);
        uint256 required = _params.minStake;
        if (ver.stake < required) revert VerifierRegistryStakeTooLow(ver.stake, required);
        ver.status = VerifierStatus.Active;
        ver.lastSeenEpoch = SafeCast.toUint32(currentEpoch());
        _verifiers[msg.sender] = ver;
        _joinPool(msg.sender, ver.id);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Emits {VerifierUnbonding} and, when it was pooled, {VerifierLeftPool}.
    function unstake() external {
        Verifier memory ver = _load(msg.sender);
        if (ver.status != VerifierStatus.Active && ver.status != VerifierStatus.Inactive) {
            revert VerifierRegistryWrongStatus(msg.sender, ver.status);
        }
        ver.status = VerifierStatus.Unbonding;
        ver.until = SafeCast.toUint40(block.timestamp + _params.unbondingPeriod);
        _verifiers[msg.sender] = ver;
        emit VerifierUnbonding(msg.sender, ver.id, ver.until);
        _leavePool(msg.sender, ver.id);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev The record goes back to None and keeps its id. Emits {VerifierWithdrawn}.
    function withdraw() external nonReentrant {
        Verifier memory ver = _load(msg.sender);
        if (ver.status != VerifierStatus.Unbonding) revert VerifierRegistryWrongStatus(msg.sender, ver.status);
        if (block.timestamp < ver.until) revert VerifierRegistryStillUnbonding(msg.sender, ver.until);
        if (ver.locks != 0) revert VerifierRegistryLockedByDispute(msg.sender, ver.locks);
        uint256 amount = ver.stake;
        _verifiers[msg.sender] = Verifier({
            stake: 0,
            id: ver.id,
            lastSeenEpoch: ver.lastSeenEpoch,
            until: 0,
            status: VerifierStatus.None,
            locks: 0
        });
        emit VerifierWithdrawn(msg.sender, ver.id, amount);
        if (amount != 0) _token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Dispute manager
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IVerifierRegistry
    /// @dev Emits {VerifierLockChanged}. Releasing a verifier with no lock is a bug in the caller:
    /// it reverts with an arithmetic panic (0x11), as does a 65536th lock.
    function setLock(uint24 id, bool locked) external onlyDisputeManager {
        address verifier = _addressOf(id);
        Verifier storage ver = _verifiers[verifier];
        uint16 locks = locked ? ver.locks + 1 : ver.locks - 1;
        ver.locks = locks;
        emit VerifierLockChanged(verifier, id, locked, locks);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Any status; the status does not change; may take 0. Reverts if `bps` > 10000.
    function penalize(uint24 id, uint256 bps, address to)
        external
        onlyDisputeManager
        nonReentrant
        returns (uint256 amount)
    {
        Bounds.check("bps", bps, 0, BPS);
        address verifier = _addressOf(id);
        Verifier storage ver = _verifiers[verifier];
        amount = uint256(ver.stake) * bps / BPS;
        // amount <= stake because bps <= BPS.
        ver.stake -= uint96(amount);
        emit VerifierPenalized(verifier, id, amount, to);
        if (amount != 0) _token.safeTransfer(to, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IVerifierRegistry
    function wire(address taskManager_, address disputeManager_) external onlyOwner {
        if (_taskManager != address(0) || _disputeManager != address(0)) revert VerifierRegistryAlreadyWired();
        _taskManager = taskManager_;
        _disputeManager = disputeManager_;
        emit VerifierRegistryWired(taskManager_, disputeManager_);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Any status but Expelled. Emits {VerifierExpelled} and, when it was pooled,
    /// {VerifierLeftPool}.
    function expel(address verifier, string calldata evidenceURI) external onlyOwner nonReentrant {
        Verifier memory ver = _load(verifier);
        if (ver.status == VerifierStatus.Expelled) revert VerifierRegistryWrongStatus(verifier, ver.status);
        uint256 forfeited = ver.stake;
        ver.stake = 0;
        ver.status = VerifierStatus.Expelled;
        ver.until = 0;
        _verifiers[verifier] = ver;
        emit VerifierExpelled(verifier, ver.id, forfeited, evidenceURI);
        _leavePool(verifier, ver.id);
        if (forfeited != 0) _token.safeTransfer(_treasury, forfeited);
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev Emits {VerifierParamsChanged}.
    function setParams(Params calldata params_) external onlyOwner {
        _setParams(params_);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IVerifierRegistry
    function drawCommittee(uint256 m, uint256 seed, address exclude) external view returns (uint24[] memory ids) {
        return _pool.draw(m, seed, _verifiers[exclude].id);
    }

    /// @inheritdoc IVerifierRegistry
    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - _deployTime) / _epochLength;
    }

    /// @inheritdoc IVerifierRegistry
    function epochLength() external view returns (uint256) {
        return _epochLength;
    }

    /// @inheritdoc IVerifierRegistry
    /// @dev The totals of the epoch, claims not deducted.
    function epochPool(uint256 epoch) external view returns (uint256 fees, uint256 activeStake) {
        EpochPool memory pool = _epochs[epoch];
        return (pool.fees, pool.activeStake);
    }

    /// @inheritdoc IVerifierRegistry
    function pendingReward(uint256 epoch, address verifier) external view returns (uint256) {
        uint256 snapshot = _snapshots[epoch][verifier];
        return snapshot == 0 ? 0 : _share(_epochs[epoch], snapshot);
    }

    /// @notice Whole epochs `verifier` has missed since it was last seen (0 if it never staked).
    function missedEpochs(address verifier) public view returns (uint256) {
        Verifier memory ver = _verifiers[verifier];
        uint256 current = currentEpoch();
        if (ver.id == 0 || current <= ver.lastSeenEpoch) return 0;
        return current - ver.lastSeenEpoch - 1;
    }

    /// @inheritdoc IVerifierRegistry
    function verifierOf(uint24 id) external view returns (address) {
        return _addressOf(id);
    }

    /// @inheritdoc IVerifierRegistry
    function idOf(address verifier) external view returns (uint24) {
        return _verifiers[verifier].id;
    }

    /// @inheritdoc IVerifierRegistry
    function verifierInfo(address verifier) external view returns (Verifier memory) {
        return _verifiers[verifier];
    }

    /// @inheritdoc IVerifierRegistry
    function poolSize() external view returns (uint256) {
        return _pool.size();
    }

    /// @inheritdoc IVerifierRegistry
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

    /// @dev A first stake (status None) or a top-up (Active or Inactive), then pulls the tokens.
    /// Emits {VerifierStaked} and, on a first stake, {VerifierJoinedPool}.
    function _stake(address verifier, uint256 amount) private {
        if (amount == 0) revert VerifierRegistryZeroAmount();
        Verifier memory ver = _verifiers[verifier];
        bool first = ver.status == VerifierStatus.None;
        if (first) {
            uint256 required = _params.minStake;
            if (amount < required) revert VerifierRegistryStakeTooLow(amount, required);
            if (ver.id == 0) ver.id = _newId(verifier);
            ver.status = VerifierStatus.Active;
            ver.lastSeenEpoch = SafeCast.toUint32(currentEpoch());
            ver.until = 0;
        } else if (ver.status != VerifierStatus.Active && ver.status != VerifierStatus.Inactive) {
            revert VerifierRegistryWrongStatus(verifier, ver.status);
        }
        ver.stake = SafeCast.toUint96(uint256(ver.stake) + amount);
        _verifiers[verifier] = ver;
        emit VerifierStaked(verifier, ver.id, amount, ver.stake);
        if (first) _joinPool(verifier, ver.id);
        _token.safeTransferFrom(verifier, address(this), amount);
    }

    /// @dev Counts `verifier`'s stake towards `epoch`'s pool. Emits {VerifierHeartbeat}.
    function _checkIn(address verifier, Verifier memory ver, uint256 epoch) private {
        _snapshots[epoch][verifier] = ver.stake;
        _epochs[epoch].activeStake += ver.stake;
        _verifiers[verifier].lastSeenEpoch = SafeCast.toUint32(epoch);
        emit VerifierHeartbeat(verifier, ver.id, epoch, ver.stake);
    }

    /// @dev Pulls the verifier fees the task manager holds into the current epoch's pool; nothing
    /// before {wire}. Emits {EpochFeesAdded} when there were any.
    function _collectFees() private {
        if (_taskManager == address(0)) return;
        uint256 amount = ITaskManager(_taskManager).releaseVerifierFees();
        if (amount == 0) return;
        uint256 epoch = currentEpoch();
        _epochs[epoch].fees += SafeCast.toUint128(amount);
        emit EpochFeesAdded(epoch, amount);
    }

    /// @dev Gives `verifier` the next id.
    function _newId(address verifier) private returns (uint24 id) {
        if (_lastId == type(uint24).max) revert VerifierRegistryIdsExhausted();
        id = ++_lastId;
        _verifierById[id] = verifier;
    }

    /// @dev Adds verifier `id` to the committee pool. Emits {VerifierJoinedPool}.
    function _joinPool(address verifier, uint24 id) private {
        if (_pool.add(id)) emit VerifierJoinedPool(verifier, id);
    }

    /// @dev Removes verifier `id` from the committee pool if it is there. Emits {VerifierLeftPool}
    /// if it was.
    function _leavePool(address verifier, uint24 id) private {
        if (_pool.remove(id)) emit VerifierLeftPool(verifier, id);
    }

    /// @dev Checks and stores the parameters. Emits {VerifierParamsChanged}.
    function _setParams(Params memory p) private {
        Bounds.check("minStake", p.minStake, 1 ether, 1_000_000 ether);
        Bounds.check("unbondingPeriod", p.unbondingPeriod, 1 days, 30 days);
        Bounds.check("inactivityPenaltyBps", p.inactivityPenaltyBps, 0, 1000);
        Bounds.check("maxMissedEpochs", p.maxMissedEpochs, 1, 100);
        _params = p;
        emit VerifierParamsChanged(p);
    }

    /// @dev The unclaimed fees of `pool` pro rata to `snapshot` out of the unclaimed stake.
    function _share(EpochPool memory pool, uint256 snapshot) private pure returns (uint256) {
        return (uint256(pool.fees) - pool.claimedFees) * snapshot / (uint256(pool.activeStake) - pool.claimedStake);
    }

    /// @dev The record of `verifier`; reverts if it never staked.
    function _load(address verifier) private view returns (Verifier memory ver) {
        ver = _verifiers[verifier];
        if (ver.id == 0) revert VerifierRegistryUnknownVerifier(verifier);
    }

    /// @dev The address of verifier `id`; reverts for an id never given.
    function _addressOf(uint24 id) private view returns (address verifier) {
        verifier = _verifierById[id];
        if (verifier == address(0)) revert VerifierRegistryUnknownId(id);
    }
}
