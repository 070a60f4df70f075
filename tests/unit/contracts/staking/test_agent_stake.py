"""AgentStaking: the first stake, top-ups, and what a stake may not be."""

from __future__ import annotations

from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    assert_agent_staking_solvent,
    described,
    pool_members,
    reverts,
)


def test_first_stake_below_the_model_minimum_is_refused(network: Network) -> None:
    model = network.register_model(min_stake=250 * EAI)
    agent = network.agents[0]
    with reverts("AgentStakingStakeTooLow", stake=250 * EAI - 1, required=250 * EAI):
        network.protocol.agents.stake(agent, model, 250 * EAI - 1)
    assert network.protocol.agents.agent_info(agent.address).status == AgentStatus.NONE
    assert network.protocol.agents.pool_size(model) == 0


def test_first_stake_joins_the_pool_with_ids_from_one(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    first, second = network.agents[0], network.agents[1]
    wallet_before = p.token.balance_of(first.address)

    result = p.agents.stake(first, model, 100 * EAI)

    assert described(p.agents.events(result)) == [
        (
            "AgentStaked",
            {
                "agent": first.address,
                "id": 1,
                "model_id": model,
                "amount": 100 * EAI,
                "total_stake": 100 * EAI,
            },
        ),
        ("AgentJoinedPool", {"agent": first.address, "id": 1, "model_id": model}),
    ]
    info = p.agents.agent_info(first.address)
    assert (info.stake, info.model_id, info.id, info.status, info.until, info.locks) == (
        100 * EAI,
        model,
        1,
        AgentStatus.ACTIVE,
        0,
        0,
    )
    assert p.agents.pool_size(model) == 1
    assert (p.agents.id_of(first.address), p.agents.agent_of(1)) == (1, first.address)
    assert p.token.balance_of(first.address) == wallet_before - 100 * EAI

    p.agents.stake(second, model, 120 * EAI)
    assert p.agents.id_of(second.address) == 2
    assert p.agents.pool_size(model) == 2
    assert pool_members(network, model) == [1, 2]
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_top_up_adds_to_the_stake_without_joining_twice(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent = network.agents[0]
    p.agents.stake(agent, model, 100 * EAI)

    result = p.agents.stake(agent, model, 30 * EAI)

    assert described(p.agents.events(result)) == [
        (
            "AgentStaked",
            {
                "agent": agent.address,
                "id": 1,
                "model_id": model,
                "amount": 30 * EAI,
                "total_stake": 130 * EAI,
            },
        )
    ]
    assert p.agents.agent_info(agent.address).stake == 130 * EAI
    assert p.agents.pool_size(model) == 1
    assert_agent_staking_solvent(network)


def test_stake_for_a_second_model_is_refused(network: Network) -> None:
    p = network.protocol
    first = network.register_model()
    second = network.register_model()
    agent = network.agents[0]
    p.agents.stake(agent, first, 100 * EAI)
    with reverts("AgentStakingWrongModel", agent=agent.address, modelId=first, requested=second):
        p.agents.stake(agent, second, 100 * EAI)
    assert p.agents.pool_size(second) == 0


def test_zero_amount_is_refused_for_a_first_stake_and_a_top_up(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent = network.agents[0]
    with reverts("AgentStakingZeroAmount"):
        p.agents.stake(agent, model, 0)
    p.agents.stake(agent, model, 100 * EAI)
    with reverts("AgentStakingZeroAmount"):
        p.agents.stake(agent, model, 0)


def test_stake_for_an_unknown_model_is_refused(network: Network) -> None:
    with reverts("ModelRegistryUnknownModel", modelId=42):
        network.protocol.agents.stake(network.agents[0], 42, 100 * EAI)


def test_stake_without_allowance_moves_nothing(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent = network.agents[0]
    p.token.approve(agent, p.agents.address, 0)
    with reverts(
        "ERC20InsufficientAllowance", spender=p.agents.address, allowance=0, needed=100 * EAI
    ):
        p.agents.stake(agent, model, 100 * EAI)
    assert p.agents.agent_info(agent.address).status == AgentStatus.NONE
    assert p.agents.pool_size(model) == 0


def test_unknown_agent_views(network: Network) -> None:
    p = network.protocol
    stranger = network.users[0].address
    assert p.agents.id_of(stranger) == 0
    assert p.agents.agent_info(stranger).status == AgentStatus.NONE
    with reverts("AgentStakingUnknownId", id=7):
        p.agents.agent_of(7)
    with reverts("AgentStakingUnknownAgent", account=stranger):
        p.agents.unstake(network.users[0])
