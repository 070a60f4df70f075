"""VerifierRegistry: the committee draw and staking by permit."""

from __future__ import annotations

from eternal.chain.bindings.verifier_registry import VerifierStatus
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    ZERO_ADDRESS,
    assert_verifier_registry_solvent,
    now,
    spare,
)
from tests.unit.contracts.token.permits import sign_permit

MIN_STAKE = 1_000 * EAI


def test_committee_is_distinct_pooled_verifiers_never_the_excluded_one(network: Network) -> None:
    p = network.protocol
    verifiers = network.stake_verifiers(6)
    pooled = set(range(1, 7))
    for excluded in (verifiers[0], verifiers[3], verifiers[5]):  # first, middle, last member
        excluded_id = p.verifiers.id_of(excluded.address)
        for seed in range(8):
            committee = p.verifiers.draw_committee(3, seed, excluded.address)
            assert len(committee) == len(set(committee)) == 3
            assert set(committee) <= pooled - {excluded_id}
        everyone_else = p.verifiers.draw_committee(10, 1, excluded.address)
        assert sorted(everyone_else) == sorted(pooled - {excluded_id})


def test_committee_without_exclusion_may_take_the_whole_pool(network: Network) -> None:
    p = network.protocol
    network.stake_verifiers(4)
    assert sorted(p.verifiers.draw_committee(4, 9, ZERO_ADDRESS)) == [1, 2, 3, 4]
    assert sorted(p.verifiers.draw_committee(9, 9, ZERO_ADDRESS)) == [1, 2, 3, 4]
    # An excluded address that is not pooled changes nothing.
    assert sorted(p.verifiers.draw_committee(9, 9, network.users[0].address)) == [1, 2, 3, 4]


def test_committee_never_includes_verifiers_out_of_the_pool(network: Network) -> None:
    p = network.protocol
    verifiers = network.stake_verifiers(4)
    p.verifiers.unstake(verifiers[1])
    p.verifiers.expel(network.gov, verifiers[2].address, "ipfs://evidence")
    for seed in range(5):
        assert sorted(p.verifiers.draw_committee(5, seed, ZERO_ADDRESS)) == [1, 4]
    assert sorted(p.verifiers.draw_committee(5, 0, verifiers[0].address)) == [4]


def test_stake_with_permit_needs_no_prior_approval(network: Network) -> None:
    p = network.protocol
    verifier = spare(network, 1)
    permit = sign_permit(p.token, verifier, p.verifiers.address, MIN_STAKE, now(network) + 600)

    p.verifiers.stake_with_permit(
        verifier, MIN_STAKE, permit.deadline, permit.v, permit.r, permit.s
    )

    info = p.verifiers.verifier_info(verifier.address)
    assert (info.stake, info.status) == (MIN_STAKE, VerifierStatus.ACTIVE)
    assert p.verifiers.pool_size() == 1
    assert p.token.nonces(verifier.address) == 1
    assert_verifier_registry_solvent(network)
    assert network.supply_is_conserved()
