"""ModelRegistry: the token's owner runs the model (fee, metadata) and earns its income; selling
the token hands both over. Governance only sets the stake floor."""

from __future__ import annotations

from eth_utils.crypto import keccak

from eternal.chain.bindings.model_registry import ModelTerms, VerificationMode
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import BPS, described, pay_out_task, reverts

MAX_FEE = 1_000_000 * EAI
MAX_STAKE_FLOOR = 1_000_000 * EAI


def test_owner_changes_the_fee_of_future_prompts(network: Network) -> None:
    registry = network.protocol.registry
    model = network.register_model(fee=10 * EAI)
    before = registry.terms(model)

    result = registry.set_fee(network.creator, model, 3 * EAI)

    assert described(registry.events(result)) == [
        ("ModelFeeChanged", {"model_id": model, "fee": 3 * EAI})
    ]
    assert registry.terms(model) == ModelTerms(
        fee=3 * EAI,
        min_agent_stake=before.min_agent_stake,
        redundancy=before.redundancy,
        mode=before.mode,
    )
    with reverts("ModelRegistryFeeTooHigh", fee=MAX_FEE + 1, max=MAX_FEE):
        registry.set_fee(network.creator, model, MAX_FEE + 1)


def test_owner_changes_the_metadata_uri(network: Network) -> None:
    registry = network.protocol.registry
    model = network.register_model()
    result = registry.set_metadata_uri(network.creator, model, "ipfs://v2")
    assert described(registry.events(result)) == [
        ("ModelMetadataChanged", {"model_id": model, "metadata_uri": "ipfs://v2"})
    ]
    assert registry.token_uri(model) == "ipfs://v2"


def test_only_the_owner_changes_fee_or_metadata(network: Network) -> None:
    registry = network.protocol.registry
    model = network.register_model(fee=10 * EAI)
    for intruder in (network.users[0], network.gov):
        with reverts("ModelRegistryNotModelOwner", modelId=model, caller=intruder.address):
            registry.set_fee(intruder, model, 0)
        with reverts("ModelRegistryNotModelOwner", modelId=model, caller=intruder.address):
            registry.set_metadata_uri(intruder, model, "ipfs://hijacked")
    assert registry.terms(model).fee == 10 * EAI
    assert registry.token_uri(model) == "ipfs://metadata"


def test_changes_to_an_unknown_model_are_refused(network: Network) -> None:
    registry = network.protocol.registry
    with reverts("ModelRegistryUnknownModel", modelId=5):
        registry.set_fee(network.creator, 5, EAI)
    with reverts("ModelRegistryUnknownModel", modelId=5):
        registry.set_metadata_uri(network.creator, 5, "ipfs://x")


def test_after_a_transfer_the_new_owner_runs_the_model_and_the_old_one_cannot(
    network: Network,
) -> None:
    registry = network.protocol.registry
    model = network.register_model()
    creator, buyer = network.creator, network.users[1]

    registry.transfer_from(creator, creator.address, buyer.address, model)

    assert registry.owner_of(model) == buyer.address
    registry.set_fee(buyer, model, 4 * EAI)
    registry.set_metadata_uri(buyer, model, "ipfs://new-owner")
    assert (registry.terms(model).fee, registry.token_uri(model)) == (4 * EAI, "ipfs://new-owner")
    with reverts("ModelRegistryNotModelOwner", modelId=model, caller=creator.address):
        registry.set_fee(creator, model, 10 * EAI)
    with reverts("ModelRegistryNotModelOwner", modelId=model, caller=creator.address):
        registry.set_metadata_uri(creator, model, "ipfs://old-owner")


def test_transfer_by_someone_else_is_refused(network: Network) -> None:
    registry = network.protocol.registry
    model = network.register_model()
    thief = network.users[0]
    with reverts("ERC721InsufficientApproval", operator=thief.address, tokenId=model):
        registry.transfer_from(thief, network.creator.address, thief.address, model)
    assert registry.owner_of(model) == network.creator.address


def test_creator_income_goes_to_whoever_owns_the_token_when_it_is_claimed(
    network: Network,
) -> None:
    p = network.protocol
    model = network.register_model(fee=10 * EAI)
    network.stake_agents(model, 3)
    finalized = pay_out_task(network, model)
    assert finalized.creator_share == 10 * EAI * network.params.tasks.creator_bps // BPS
    buyer = network.users[1]
    p.registry.transfer_from(network.creator, network.creator.address, buyer.address, model)
    creator_wallet = p.token.balance_of(network.creator.address)
    buyer_wallet = p.token.balance_of(buyer.address)

    p.tasks.claim_model_income(network.users[0], model)

    assert p.token.balance_of(buyer.address) == buyer_wallet + finalized.creator_share
    assert p.token.balance_of(network.creator.address) == creator_wallet
    assert network.supply_is_conserved()


# ---------------------------------------------------------------------------- stake floor


def test_governance_raises_the_stake_floor_for_new_models_only(network: Network) -> None:
    p = network.protocol
    old = network.register_model(min_stake=100 * EAI)

    result = p.registry.set_stake_floor(network.gov, 500 * EAI)

    assert described(p.registry.events(result)) == [("StakeFloorChanged", {"floor": 500 * EAI})]
    assert p.registry.stake_floor() == 500 * EAI
    terms = ModelTerms(
        fee=EAI, min_agent_stake=499 * EAI, redundancy=3, mode=VerificationMode.EXACT
    )
    with reverts("ModelRegistryStakeBelowFloor", minAgentStake=499 * EAI, floor=500 * EAI):
        p.registry.register_model(network.creator, keccak(b"new"), "ipfs://x", terms)
    # A model registered before keeps its own minimum: agents still stake 100 EAI for it.
    assert p.registry.terms(old).min_agent_stake == 100 * EAI
    p.agents.stake(network.agents[0], old, 100 * EAI)
    assert p.agents.pool_size(old) == 1


def test_stake_floor_above_its_hard_maximum_is_refused(network: Network) -> None:
    registry = network.protocol.registry
    with reverts("ModelRegistryFloorOutOfBounds", floor=MAX_STAKE_FLOOR + 1, max=MAX_STAKE_FLOOR):
        registry.set_stake_floor(network.gov, MAX_STAKE_FLOOR + 1)
    registry.set_stake_floor(network.gov, MAX_STAKE_FLOOR)
    registry.set_stake_floor(network.gov, 0)
    assert registry.stake_floor() == 0


def test_stake_floor_is_set_by_governance_only(network: Network) -> None:
    registry = network.protocol.registry
    with reverts("OwnableUnauthorizedAccount", account=network.creator.address):
        registry.set_stake_floor(network.creator, 0)
    assert registry.stake_floor() == network.params.stake_floor
    assert registry.owner() == network.gov.address
