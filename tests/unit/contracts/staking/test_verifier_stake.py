"""VerifierRegistry: staking, the committee pool, unbonding, expulsion and governance."""

from __future__ import annotations

import pytest

from eternal.chain.bindings.verifier_registry import Params, VerifierStatus
from eternal.chain.params import DAY, EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    assert_verifier_registry_solvent,
    described,
    now,
    reverts,
)

MIN_STAKE = 1_000 * EAI


def _committee(network: Network) -> list[int]:
    """Every pooled verifier id, sorted (a committee as large as the pool)."""
    verifiers = network.protocol.verifiers
    return sorted(verifiers.draw_committee(100, 0, "0x" + "00" * 20))


# ---------------------------------------------------------------------------- stake


def test_stake_below_the_minimum_is_refused(network: Network) -> None:
    verifier = network.verifiers[0]
    with reverts("VerifierRegistryStakeTooLow", stake=MIN_STAKE - 1, required=MIN_STAKE):
        network.protocol.verifiers.stake(verifier, MIN_STAKE - 1)
    assert network.protocol.verifiers.pool_size() == 0


def test_zero_stake_is_refused(network: Network) -> None:
    with reverts("VerifierRegistryZeroAmount"):
        network.protocol.verifiers.stake(network.verifiers[0], 0)


def test_first_stake_joins_the_pool_and_counts_as_seen(network: Network) -> None:
    p = network.protocol
    verifier = network.verifiers[0]
    wallet = p.token.balance_of(verifier.address)

    result = p.verifiers.stake(verifier, MIN_STAKE)

    assert described(p.verifiers.events(result)) == [
        (
            "VerifierStaked",
            {"verifier": verifier.address, "id": 1, "amount": MIN_STAKE, "total_stake": MIN_STAKE},
        ),
        ("VerifierJoinedPool", {"verifier": verifier.address, "id": 1}),
    ]
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.stake, info.id, info.status, info.last_seen_epoch, info.until, info.locks) == (
        MIN_STAKE,
        1,
        VerifierStatus.ACTIVE,
        p.verifiers.current_epoch(),
        0,
        0,
    )
    assert (p.verifiers.id_of(verifier.address), p.verifiers.verifier_of(1)) == (
        1,
        verifier.address,
    )
    assert p.verifiers.pool_size() == 1
    assert _committee(network) == [1]
    assert p.token.balance_of(verifier.address) == wallet - MIN_STAKE
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_top_up_adds_to_the_stake(network: Network) -> None:
    p = network.protocol
    verifier = network.verifiers[0]
    p.verifiers.stake(verifier, MIN_STAKE)
    result = p.verifiers.stake(verifier, 5 * EAI)
    assert described(p.verifiers.events(result)) == [
        (
            "VerifierStaked",
            {
                "verifier": verifier.address,
                "id": 1,
                "amount": 5 * EAI,
                "total_stake": MIN_STAKE + 5 * EAI,
            },
        )
    ]
    assert p.verifiers.pool_size() == 1
    assert_verifier_registry_solvent(network)


# ---------------------------------------------------------------------------- unbonding


def test_unstake_leaves_the_pool_and_withdraw_waits_for_the_unbonding_period(
    network: Network,
) -> None:
    p = network.protocol
    verifier, other = network.stake_verifiers(2)
    stake = p.verifiers.verifier_info(verifier.address).stake

    result = p.verifiers.unstake(verifier)

    until = now(network) + network.params.verifiers.unbonding_period
    assert described(p.verifiers.events(result)) == [
        ("VerifierUnbonding", {"verifier": verifier.address, "id": 1, "until": until}),
        ("VerifierLeftPool", {"verifier": verifier.address, "id": 1}),
    ]
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.status, info.until, info.stake) == (VerifierStatus.UNBONDING, until, stake)
    assert _committee(network) == [p.verifiers.id_of(other.address)]
    unbonding = VerifierStatus.UNBONDING
    with reverts("VerifierRegistryWrongStatus", verifier=verifier.address, status=unbonding):
        p.verifiers.heartbeat(verifier)
    with reverts("VerifierRegistryWrongStatus", verifier=verifier.address, status=unbonding):
        p.verifiers.stake(verifier, EAI)

    network.advance(network.params.verifiers.unbonding_period - 10)
    with reverts("VerifierRegistryStillUnbonding", verifier=verifier.address, until=until):
        p.verifiers.withdraw(verifier)

    network.advance(10)
    wallet = p.token.balance_of(verifier.address)
    result = p.verifiers.withdraw(verifier)
    assert described(p.verifiers.events(result)) == [
        ("VerifierWithdrawn", {"verifier": verifier.address, "id": 1, "amount": stake})
    ]
    assert p.token.balance_of(verifier.address) == wallet + stake
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.stake, info.status, info.id) == (0, VerifierStatus.NONE, 1)
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_withdrawn_verifier_may_stake_again_with_its_id(network: Network) -> None:
    p = network.protocol
    (verifier,) = network.stake_verifiers(1)
    p.verifiers.unstake(verifier)
    network.advance(network.params.verifiers.unbonding_period)
    p.verifiers.withdraw(verifier)

    p.verifiers.stake(verifier, MIN_STAKE)

    info = p.verifiers.verifier_info(verifier.address)
    assert (info.id, info.status, info.stake) == (1, VerifierStatus.ACTIVE, MIN_STAKE)
    assert _committee(network) == [1]


def test_withdraw_of_an_active_verifier_is_refused(network: Network) -> None:
    (verifier,) = network.stake_verifiers(1)
    with reverts(
        "VerifierRegistryWrongStatus", verifier=verifier.address, status=VerifierStatus.ACTIVE
    ):
        network.protocol.verifiers.withdraw(verifier)


# ---------------------------------------------------------------------------- expel


def test_expel_forfeits_the_whole_stake_to_the_treasury(network: Network) -> None:
    p = network.protocol
    verifier, other = network.verifiers[0], network.verifiers[1]
    p.verifiers.stake(verifier, MIN_STAKE + 3)
    p.verifiers.stake(other, MIN_STAKE)
    treasury = p.token.balance_of(p.treasury.address)

    result = p.verifiers.expel(network.gov, verifier.address, "ipfs://colluded")

    assert described(p.verifiers.events(result)) == [
        (
            "VerifierExpelled",
            {
                "verifier": verifier.address,
                "id": 1,
                "forfeited": MIN_STAKE + 3,
                "evidence_uri": "ipfs://colluded",
            },
        ),
        ("VerifierLeftPool", {"verifier": verifier.address, "id": 1}),
    ]
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.stake, info.status) == (0, VerifierStatus.EXPELLED)
    assert _committee(network) == [2]
    assert p.token.balance_of(p.treasury.address) == treasury + MIN_STAKE + 3
    expelled = VerifierStatus.EXPELLED
    with reverts("VerifierRegistryWrongStatus", verifier=verifier.address, status=expelled):
        p.verifiers.stake(verifier, MIN_STAKE)
    with reverts("VerifierRegistryWrongStatus", verifier=verifier.address, status=expelled):
        p.verifiers.expel(network.gov, verifier.address, "ipfs://again")
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()


def test_expel_by_anyone_but_governance_is_refused(network: Network) -> None:
    (verifier,) = network.stake_verifiers(1)
    intruder = network.verifiers[1]
    with reverts("OwnableUnauthorizedAccount", account=intruder.address):
        network.protocol.verifiers.expel(intruder, verifier.address, "ipfs://evidence")


def test_expel_of_an_address_that_never_staked_is_refused(network: Network) -> None:
    stranger = network.users[0].address
    with reverts("VerifierRegistryUnknownVerifier", account=stranger):
        network.protocol.verifiers.expel(network.gov, stranger, "ipfs://evidence")


# ---------------------------------------------------------------------------- governance


@pytest.mark.parametrize(
    ("params", "name", "value", "low", "high"),
    [
        (Params(EAI - 1, 2 * DAY, 50, 3), "minStake", EAI - 1, EAI, 1_000_000 * EAI),
        (
            Params(1_000_000 * EAI + 1, 2 * DAY, 50, 3),
            "minStake",
            1_000_000 * EAI + 1,
            EAI,
            1_000_000 * EAI,
        ),
        (Params(MIN_STAKE, DAY - 1, 50, 3), "unbondingPeriod", DAY - 1, DAY, 30 * DAY),
        (Params(MIN_STAKE, 2 * DAY, 1001, 3), "inactivityPenaltyBps", 1001, 0, 1000),
        (Params(MIN_STAKE, 2 * DAY, 50, 0), "maxMissedEpochs", 0, 1, 100),
        (Params(MIN_STAKE, 2 * DAY, 50, 101), "maxMissedEpochs", 101, 1, 100),
    ],
)
def test_set_params_out_of_bounds_is_refused(
    network: Network, params: Params, name: str, value: int, low: int, high: int
) -> None:
    with reverts("ParameterOutOfBounds", name=name, value=value, min=low, max=high):
        network.protocol.verifiers.set_params(network.gov, params)


def test_set_params_within_bounds_by_governance_only(network: Network) -> None:
    p = network.protocol
    params = Params(EAI, DAY, 1000, 100)
    result = p.verifiers.set_params(network.gov, params)
    assert described(p.verifiers.events(result)) == [("VerifierParamsChanged", {"params": params})]
    assert p.verifiers.params() == params
    intruder = network.verifiers[0]
    with reverts("OwnableUnauthorizedAccount", account=intruder.address):
        p.verifiers.set_params(intruder, params)


def test_only_the_dispute_manager_may_lock_or_penalize(network: Network) -> None:
    p = network.protocol
    (verifier,) = network.stake_verifiers(1)
    for intruder in (network.gov, verifier, network.users[0]):
        with reverts("VerifierRegistryUnauthorized", caller=intruder.address):
            p.verifiers.set_lock(intruder, 1, True)
        with reverts("VerifierRegistryUnauthorized", caller=intruder.address):
            p.verifiers.penalize(intruder, 1, 10_000, intruder.address)
    info = p.verifiers.verifier_info(verifier.address)
    assert (info.stake, info.locks) == (MIN_STAKE, 0)


def test_wiring_happens_once(network: Network) -> None:
    p = network.protocol
    assert p.verifiers.wiring() == (p.tasks.address, p.disputes.address)
    with reverts("VerifierRegistryAlreadyWired"):
        p.verifiers.wire(network.gov, network.users[0].address, network.users[0].address)
