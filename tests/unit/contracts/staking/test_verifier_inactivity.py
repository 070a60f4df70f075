"""VerifierRegistry.reportInactive: anyone may report a verifier that missed too many epochs."""

from __future__ import annotations

from eternal.chain.bindings.verifier_registry import Params, VerifierStatus
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    BPS,
    advance_to_epoch_start,
    assert_verifier_registry_solvent,
    described,
    reverts,
)

MIN_STAKE = 1_000 * EAI


def test_report_before_max_missed_epochs_is_refused(network: Network) -> None:
    p = network.protocol
    start = advance_to_epoch_start(network)
    (verifier,) = network.stake_verifiers(1)
    required = network.params.verifiers.max_missed_epochs
    # Seen in `start` (its first stake); epochs start+1 .. start+required-1 missed so far.
    advance_to_epoch_start(network, required)
    assert p.verifiers.missed_epochs(verifier.address) == required - 1
    with reverts(
        "VerifierRegistryNotInactive",
        verifier=verifier.address,
        missed=required - 1,
        required=required,
    ):
        p.verifiers.report_inactive(network.users[0], verifier.address)
    assert p.verifiers.current_epoch() == start + required
    assert p.verifiers.verifier_info(verifier.address).status == VerifierStatus.ACTIVE


def test_report_after_max_missed_epochs_takes_the_exact_penalty_and_deactivates(
    network: Network,
) -> None:
    p = network.protocol
    advance_to_epoch_start(network)
    verifier, other = network.verifiers[0], network.verifiers[1]
    stake = 1_234_567_890_123_456_789_013  # ~1234.57 EAI, not a round number
    p.verifiers.stake(verifier, stake)
    p.verifiers.stake(other, MIN_STAKE)
    missed = network.params.verifiers.max_missed_epochs + 1
    advance_to_epoch_start(network, missed + 1)
    treasury = p.token.balance_of(p.treasury.address)
    reporter = network.users[0]

    result = p.verifiers.report_inactive(reporter, verifier.address)

    penalty = stake * network.params.verifiers.inactivity_penalty_bps * missed // BPS
    assert described(p.verifiers.events(result)) == [
        (
            "VerifierReportedInactive",
            {
                "verifier": verifier.address,
                "reporter": reporter.address,
                "missed": missed,
                "penalty": penalty,
            },
        ),
        ("VerifierLeftPool", {"verifier": verifier.address, "id": 1}),
    ]
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.stake, info.status) == (stake - penalty, VerifierStatus.INACTIVE)
    assert p.verifiers.pool_size() == 1
    assert sorted(p.verifiers.draw_committee(10, 0, "0x" + "00" * 20)) == [2]
    assert p.token.balance_of(p.treasury.address) == treasury + penalty
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()

    inactive = VerifierStatus.INACTIVE
    with reverts("VerifierRegistryWrongStatus", verifier=verifier.address, status=inactive):
        p.verifiers.report_inactive(reporter, verifier.address)
    with reverts("VerifierRegistryWrongStatus", verifier=verifier.address, status=inactive):
        p.verifiers.heartbeat(verifier)


def test_reported_verifier_rejoins_once_its_stake_meets_the_minimum(network: Network) -> None:
    p = network.protocol
    advance_to_epoch_start(network)
    (verifier,) = network.stake_verifiers(1)
    missed = network.params.verifiers.max_missed_epochs
    advance_to_epoch_start(network, missed + 1)
    p.verifiers.report_inactive(network.users[0], verifier.address)
    penalty = MIN_STAKE * network.params.verifiers.inactivity_penalty_bps * missed // BPS

    with reverts("VerifierRegistryStakeTooLow", stake=MIN_STAKE - penalty, required=MIN_STAKE):
        p.verifiers.rejoin(verifier)
    p.verifiers.stake(verifier, penalty)  # an inactive verifier may top up
    result = p.verifiers.rejoin(verifier)

    assert described(p.verifiers.events(result)) == [
        ("VerifierJoinedPool", {"verifier": verifier.address, "id": 1})
    ]
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.status, info.stake, info.last_seen_epoch) == (
        VerifierStatus.ACTIVE,
        MIN_STAKE,
        p.verifiers.current_epoch(),
    )
    assert p.verifiers.missed_epochs(verifier.address) == 0
    assert p.verifiers.pool_size() == 1
    with reverts(
        "VerifierRegistryWrongStatus", verifier=verifier.address, status=VerifierStatus.ACTIVE
    ):
        p.verifiers.rejoin(verifier)
    # Back on duty: it checks in and cannot be reported again before missing enough epochs.
    p.verifiers.heartbeat(verifier)
    assert_verifier_registry_solvent(network)


def test_heartbeats_keep_a_verifier_from_being_reported(network: Network) -> None:
    p = network.protocol
    advance_to_epoch_start(network)
    (verifier,) = network.stake_verifiers(1)
    required = network.params.verifiers.max_missed_epochs
    for _ in range(required + 2):
        advance_to_epoch_start(network)
        p.verifiers.heartbeat(verifier)
    advance_to_epoch_start(network, required)
    with reverts(
        "VerifierRegistryNotInactive",
        verifier=verifier.address,
        missed=required - 1,
        required=required,
    ):
        p.verifiers.report_inactive(network.users[0], verifier.address)


def test_inactivity_penalty_never_exceeds_the_stake(network: Network) -> None:
    p = network.protocol
    params = network.params.verifiers
    p.verifiers.set_params(
        network.gov,
        Params(params.min_stake, params.unbonding_period, 1000, params.max_missed_epochs),
    )
    advance_to_epoch_start(network)
    (verifier,) = network.stake_verifiers(1)
    advance_to_epoch_start(network, 12)  # 11 missed epochs at 10% each: more than the stake
    treasury = p.token.balance_of(p.treasury.address)

    result = p.verifiers.report_inactive(network.users[0], verifier.address)

    (report, _) = p.verifiers.events(result)
    assert (report.missed, report.penalty) == (11, MIN_STAKE)  # type: ignore[union-attr]
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.stake, info.status) == (0, VerifierStatus.INACTIVE)
    assert p.token.balance_of(p.treasury.address) == treasury + MIN_STAKE
    with reverts("VerifierRegistryStakeTooLow", stake=0, required=MIN_STAKE):
        p.verifiers.rejoin(verifier)
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_inactive_verifier_may_unstake_and_withdraw_what_is_left(network: Network) -> None:
    p = network.protocol
    advance_to_epoch_start(network)
    (verifier,) = network.stake_verifiers(1)
    missed = network.params.verifiers.max_missed_epochs
    advance_to_epoch_start(network, missed + 1)
    p.verifiers.report_inactive(network.users[0], verifier.address)
    left = p.verifiers.verifier_info(verifier.address).stake

    p.verifiers.unstake(verifier)
    network.advance(network.params.verifiers.unbonding_period)
    wallet = p.token.balance_of(verifier.address)
    p.verifiers.withdraw(verifier)

    assert p.token.balance_of(verifier.address) == wallet + left
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_report_of_an_address_that_never_staked_is_refused(network: Network) -> None:
    stranger = network.users[2].address
    with reverts("VerifierRegistryUnknownVerifier", account=stranger):
        network.protocol.verifiers.report_inactive(network.users[0], stranger)
