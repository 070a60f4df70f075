"""VerifierRegistry: heartbeats and the per-epoch verifier fee pool.

Fees come from real tasks: three agents commit and reveal the same digest, the challenge window
passes and the task is finalized, which leaves the verifier share with the task manager until a
heartbeat or `collectFees` moves it into the current epoch's pool.
"""

from __future__ import annotations

from eternal.chain.bindings.verifier_registry import VerifierHeartbeat, VerifierStatus
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


def _finalize_tasks(network: Network, model: int, count: int) -> int:
    """Runs `count` tasks to payout inside one challenge window; returns the verifier fees."""
    tasks = []
    for _ in range(count):
        task = network.submit(model)
        network.run_to_acceptance(task)
        tasks.append(task)
    network.pass_challenge_window()
    for task in tasks:
        network.protocol.tasks.finalize(network.users[0], task)
    fee = network.protocol.registry.terms(model).fee
    return count * (fee * network.params.tasks.verifier_bps // BPS)


def test_epoch_fees_are_shared_pro_rata_and_the_last_claimer_takes_the_dust(
    network: Network,
) -> None:
    p = network.protocol
    epoch = advance_to_epoch_start(network)
    model = network.register_model()
    network.stake_agents(model, 3)
    stakes = [MIN_STAKE, 2 * MIN_STAKE + 1, 3 * MIN_STAKE + 2]
    verifiers = network.verifiers[:3]
    for verifier, stake in zip(verifiers, stakes, strict=True):
        p.verifiers.stake(verifier, stake)
    p.verifiers.heartbeat(verifiers[0])
    p.verifiers.heartbeat(verifiers[1])

    fees = _finalize_tasks(network, model, 2)
    assert p.tasks.accrued().verifier_fees == fees
    # The last heartbeat of the epoch pulls the fees in and checks its sender in.
    result = p.verifiers.heartbeat(verifiers[2])
    assert described(p.verifiers.events(result)) == [
        (
            "VerifierHeartbeat",
            {"verifier": verifiers[2].address, "id": 3, "epoch": epoch, "stake": stakes[2]},
        ),
        ("EpochFeesAdded", {"epoch": epoch, "amount": fees}),
    ]
    total = sum(stakes)
    assert p.verifiers.epoch_pool(epoch) == (fees, total)
    assert p.tasks.accrued().verifier_fees == 0
    assert_verifier_registry_solvent(network, unclaimed_fees=fees)

    with reverts("VerifierRegistryEpochNotOver", epoch=epoch, current=epoch):
        p.verifiers.claim_epoch_reward(verifiers[0], epoch)

    advance_to_epoch_start(network)
    # Plain pro-rata shares round down and leave dust: the claims must still pay out everything.
    assert sum(fees * stake // total for stake in stakes) < fees
    assert p.verifiers.pending_reward(epoch, verifiers[0].address) == fees * stakes[0] // total
    expected, left_fees, left_stake = [], fees, total
    for stake in stakes:
        share = left_fees * stake // left_stake
        expected.append(share)
        left_fees, left_stake = left_fees - share, left_stake - stake
    assert left_fees == 0
    paid = []
    for verifier, share in zip(verifiers, expected, strict=True):
        wallet = p.token.balance_of(verifier.address)
        result = p.verifiers.claim_epoch_reward(verifier, epoch)
        assert described(p.verifiers.events(result)) == [
            ("EpochRewardClaimed", {"verifier": verifier.address, "epoch": epoch, "amount": share})
        ]
        paid.append(p.token.balance_of(verifier.address) - wallet)
    assert paid == expected
    assert sum(paid) == fees
    for got, stake in zip(paid, stakes, strict=True):
        assert abs(got * total - fees * stake) <= 2 * total  # pro rata to within the dust

    for verifier in verifiers:
        with reverts("VerifierRegistryNothingToClaim", verifier=verifier.address, epoch=epoch):
            p.verifiers.claim_epoch_reward(verifier, epoch)
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_verifier_that_did_not_check_in_gets_no_share(network: Network) -> None:
    p = network.protocol
    epoch = advance_to_epoch_start(network)
    model = network.register_model()
    network.stake_agents(model, 3)
    present, absent = network.stake_verifiers(2)
    p.verifiers.heartbeat(present)
    fees = _finalize_tasks(network, model, 1)
    p.verifiers.collect_fees(network.users[0])
    advance_to_epoch_start(network)

    with reverts("VerifierRegistryNothingToClaim", verifier=absent.address, epoch=epoch):
        p.verifiers.claim_epoch_reward(absent, epoch)
    wallet = p.token.balance_of(present.address)
    p.verifiers.claim_epoch_reward(present, epoch)
    assert p.token.balance_of(present.address) == wallet + fees
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_heartbeat_counts_once_per_epoch(network: Network) -> None:
    p = network.protocol
    epoch = advance_to_epoch_start(network)
    (verifier,) = network.stake_verifiers(1)

    first = p.verifiers.heartbeat(verifier)
    assert described(p.verifiers.events(first)) == [
        (
            "VerifierHeartbeat",
            {"verifier": verifier.address, "id": 1, "epoch": epoch, "stake": MIN_STAKE},
        )
    ]
    # A top-up counts from the next epoch; a second heartbeat in the epoch changes nothing.
    p.verifiers.stake(verifier, 500 * EAI)
    again = p.verifiers.heartbeat(verifier)
    assert [e for e in p.verifiers.events(again) if isinstance(e, VerifierHeartbeat)] == []
    assert p.verifiers.epoch_pool(epoch) == (0, MIN_STAKE)
    assert p.verifiers.verifier_info(verifier.address).last_seen_epoch == epoch

    advance_to_epoch_start(network)
    following = p.verifiers.heartbeat(verifier)
    assert described(p.verifiers.events(following)) == [
        (
            "VerifierHeartbeat",
            {
                "verifier": verifier.address,
                "id": 1,
                "epoch": epoch + 1,
                "stake": MIN_STAKE + 500 * EAI,
            },
        )
    ]
    assert p.verifiers.epoch_pool(epoch + 1) == (0, MIN_STAKE + 500 * EAI)
    assert p.verifiers.verifier_info(verifier.address).last_seen_epoch == epoch + 1


def test_heartbeat_needs_an_active_verifier(network: Network) -> None:
    p = network.protocol
    stranger = network.verifiers[0]
    with reverts("VerifierRegistryUnknownVerifier", account=stranger.address):
        p.verifiers.heartbeat(stranger)
    (verifier,) = network.stake_verifiers(1)
    p.verifiers.unstake(verifier)
    with reverts(
        "VerifierRegistryWrongStatus", verifier=verifier.address, status=VerifierStatus.UNBONDING
    ):
        p.verifiers.heartbeat(verifier)


def test_claim_of_an_epoch_without_fees_pays_nothing_once(network: Network) -> None:
    p = network.protocol
    epoch = advance_to_epoch_start(network)
    (verifier,) = network.stake_verifiers(1)
    p.verifiers.heartbeat(verifier)
    advance_to_epoch_start(network)
    wallet = p.token.balance_of(verifier.address)

    result = p.verifiers.claim_epoch_reward(verifier, epoch)

    assert described(p.verifiers.events(result)) == [
        ("EpochRewardClaimed", {"verifier": verifier.address, "epoch": epoch, "amount": 0})
    ]
    assert p.token.balance_of(verifier.address) == wallet
    with reverts("VerifierRegistryNothingToClaim", verifier=verifier.address, epoch=epoch):
        p.verifiers.claim_epoch_reward(verifier, epoch)


def test_claim_of_a_future_epoch_is_refused(network: Network) -> None:
    p = network.protocol
    (verifier,) = network.stake_verifiers(1)
    current = p.verifiers.current_epoch()
    with reverts("VerifierRegistryEpochNotOver", epoch=current + 5, current=current):
        p.verifiers.claim_epoch_reward(verifier, current + 5)


# ---------------------------------------------------------------------------- sweep


def test_sweep_sends_the_fees_of_an_epoch_without_heartbeats_to_the_treasury(
    network: Network,
) -> None:
    p = network.protocol
    epoch = advance_to_epoch_start(network)
    model = network.register_model()
    network.stake_agents(model, 3)
    network.stake_verifiers(2)  # staked, but nobody checks in
    fees = _finalize_tasks(network, model, 1)
    result = p.verifiers.collect_fees(network.users[0])
    assert described(p.verifiers.events(result)) == [
        ("EpochFeesAdded", {"epoch": epoch, "amount": fees})
    ]
    assert p.verifiers.epoch_pool(epoch) == (fees, 0)
    with reverts("VerifierRegistryEpochNotOver", epoch=epoch, current=epoch):
        p.verifiers.sweep_epoch(network.users[0], epoch)

    advance_to_epoch_start(network)
    treasury = p.token.balance_of(p.treasury.address)
    result = p.verifiers.sweep_epoch(network.users[1], epoch)

    assert described(p.verifiers.events(result)) == [
        ("EpochSwept", {"epoch": epoch, "amount": fees})
    ]
    assert p.token.balance_of(p.treasury.address) == treasury + fees
    with reverts("VerifierRegistryNothingToClaim", verifier=p.treasury.address, epoch=epoch):
        p.verifiers.sweep_epoch(network.users[1], epoch)
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_sweep_refuses_an_epoch_that_had_verifiers(network: Network) -> None:
    p = network.protocol
    epoch = advance_to_epoch_start(network)
    model = network.register_model()
    network.stake_agents(model, 3)
    (verifier,) = network.stake_verifiers(1)
    p.verifiers.heartbeat(verifier)
    fees = _finalize_tasks(network, model, 1)
    p.verifiers.collect_fees(network.users[0])
    advance_to_epoch_start(network)

    with reverts("VerifierRegistryEpochHadVerifiers", epoch=epoch):
        p.verifiers.sweep_epoch(network.users[0], epoch)
    assert_verifier_registry_solvent(network, unclaimed_fees=fees)


def test_sweep_of_an_epoch_without_fees_is_refused(network: Network) -> None:
    p = network.protocol
    epoch = advance_to_epoch_start(network)
    advance_to_epoch_start(network)
    with reverts("VerifierRegistryNothingToClaim", verifier=p.treasury.address, epoch=epoch):
        p.verifiers.sweep_epoch(network.users[0], epoch)


def test_collect_fees_without_accrued_fees_adds_nothing(network: Network) -> None:
    p = network.protocol
    result = p.verifiers.collect_fees(network.users[0])
    assert p.verifiers.events(result) == ()
    assert p.verifiers.epoch_pool(p.verifiers.current_epoch()) == (0, 0)
