"""ModelRegistry (AI-721): publishing a model mints its token to the creator with its terms."""

from __future__ import annotations

import pytest
from eth_utils.crypto import keccak

from eternal.chain.bindings.model_registry import ModelTerms, VerificationMode
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import ZERO_ADDRESS, described, reverts

DIGEST = keccak(b"a deterministic cog package")
MAX_FEE = 1_000_000 * EAI
FLOOR = 100 * EAI


def _terms(
    fee: int = 10 * EAI,
    min_stake: int = FLOOR,
    redundancy: int = 3,
    mode: VerificationMode = VerificationMode.EXACT,
) -> ModelTerms:
    return ModelTerms(fee=fee, min_agent_stake=min_stake, redundancy=redundancy, mode=mode)


def test_register_mints_the_token_to_the_creator_with_terms_and_uri(network: Network) -> None:
    registry = network.protocol.registry
    creator = network.creator
    terms = _terms(
        fee=7 * EAI + 3, min_stake=250 * EAI, redundancy=4, mode=VerificationMode.TOLERANT
    )

    result = registry.register_model(creator, DIGEST, "ipfs://bafy-metadata", terms)

    assert described(registry.events(result)) == [
        (
            "ModelRegistered",
            {
                "model_id": 1,
                "creator": creator.address,
                "package_digest": DIGEST,
                "metadata_uri": "ipfs://bafy-metadata",
                "fee": 7 * EAI + 3,
                "min_agent_stake": 250 * EAI,
                "redundancy": 4,
                "mode": VerificationMode.TOLERANT,
            },
        ),
        ("Transfer", {"from_": ZERO_ADDRESS, "to": creator.address, "token_id": 1}),
    ]
    assert registry.model_count() == 1
    assert registry.owner_of(1) == creator.address
    assert registry.balance_of(creator.address) == 1
    assert registry.terms(1) == terms
    assert registry.package_digest(1) == DIGEST
    assert registry.token_uri(1) == "ipfs://bafy-metadata"
    assert (registry.name(), registry.symbol()) == ("Eternal AI Model", "AI721")


def test_model_ids_run_from_one_and_anyone_may_publish(network: Network) -> None:
    registry = network.protocol.registry
    registry.register_model(network.creator, DIGEST, "ipfs://one", _terms())
    registry.register_model(network.users[0], keccak(b"another package"), "ipfs://two", _terms())
    assert registry.model_count() == 2
    assert (registry.owner_of(1), registry.owner_of(2)) == (
        network.creator.address,
        network.users[0].address,
    )
    assert registry.token_uri(2) == "ipfs://two"


def test_register_with_a_zero_digest_is_refused(network: Network) -> None:
    with reverts("ModelRegistryEmptyDigest"):
        network.protocol.registry.register_model(network.creator, bytes(32), "ipfs://x", _terms())
    assert network.protocol.registry.model_count() == 0


@pytest.mark.parametrize("redundancy", [0, 7, 255])
def test_register_with_redundancy_outside_one_to_six_is_refused(
    network: Network, redundancy: int
) -> None:
    with reverts("ModelRegistryInvalidRedundancy", redundancy=redundancy, max=6):
        network.protocol.registry.register_model(
            network.creator, DIGEST, "ipfs://x", _terms(redundancy=redundancy)
        )


def test_register_with_a_fee_above_the_maximum_is_refused(network: Network) -> None:
    with reverts("ModelRegistryFeeTooHigh", fee=MAX_FEE + 1, max=MAX_FEE):
        network.protocol.registry.register_model(
            network.creator, DIGEST, "ipfs://x", _terms(fee=MAX_FEE + 1)
        )


def test_register_with_a_minimum_stake_below_the_floor_is_refused(network: Network) -> None:
    with reverts("ModelRegistryStakeBelowFloor", minAgentStake=FLOOR - 1, floor=FLOOR):
        network.protocol.registry.register_model(
            network.creator, DIGEST, "ipfs://x", _terms(min_stake=FLOOR - 1)
        )


def test_register_accepts_the_edges_of_every_bound(network: Network) -> None:
    registry = network.protocol.registry
    registry.register_model(network.creator, DIGEST, "", _terms(redundancy=1, fee=0))
    edges = _terms(redundancy=6, fee=MAX_FEE, min_stake=FLOOR)
    registry.register_model(network.creator, DIGEST, "ipfs://x", edges)
    assert registry.terms(1) == _terms(redundancy=1, fee=0)
    assert registry.terms(2) == edges
    assert (registry.max_redundancy(), registry.max_fee()) == (6, MAX_FEE)


@pytest.mark.parametrize("model_id", [0, 1, 99])
def test_views_of_an_unknown_model_are_refused(network: Network, model_id: int) -> None:
    registry = network.protocol.registry
    with reverts("ModelRegistryUnknownModel", modelId=model_id):
        registry.terms(model_id)
    with reverts("ModelRegistryUnknownModel", modelId=model_id):
        registry.package_digest(model_id)
    with reverts("ERC721NonexistentToken", tokenId=model_id):
        registry.token_uri(model_id)
    with reverts("ERC721NonexistentToken", tokenId=model_id):
        registry.owner_of(model_id)
