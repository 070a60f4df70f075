"""AgentStaking: what only governance, the task manager or the dispute manager may do."""

from __future__ import annotations

import pytest

from eternal.chain.bindings.agent_staking import AgentStatus, Params
from eternal.chain.params import DAY, EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    assert_agent_staking_solvent,
    described,
    pool_members,
    reverts,
)

# ---------------------------------------------------------------------------- expel


def test_expel_forfeits_the_whole_stake_to_the_treasury(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent, other = network.agents[0], network.agents[1]
    p.agents.stake(agent, model, 150 * EAI + 7)
    p.agents.stake(other, model, 100 * EAI)
    treasury = p.token.balance_of(p.treasury.address)

    result = p.agents.expel(network.gov, agent.address, "ipfs://evidence-of-copying")

    assert described(p.agents.events(result)) == [
        ("AgentLeftPool", {"agent": agent.address, "id": 1, "model_id": model}),
        (
            "AgentExpelled",
            {
                "agent": agent.address,
                "id": 1,
                "forfeited": 150 * EAI + 7,
                "evidence_uri": "ipfs://evidence-of-copying",
            },
        ),
    ]
    info = p.agents.agent_info(agent.address)
    assert (info.stake, info.status) == (0, AgentStatus.EXPELLED)
    assert pool_members(network, model) == [2]
    assert p.token.balance_of(p.treasury.address) == treasury + 150 * EAI + 7
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_expelled_agent_can_never_stake_again(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    other_model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    p.agents.expel(network.gov, agent.address, "ipfs://evidence")
    expelled = AgentStatus.EXPELLED
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=expelled):
        p.agents.stake(agent, model, 100 * EAI)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=expelled):
        p.agents.stake(agent, other_model, 100 * EAI)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=expelled):
        p.agents.unstake(agent)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=expelled):
        p.agents.withdraw(agent)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=expelled):
        p.agents.expel(network.gov, agent.address, "ipfs://again")


def test_expel_reaches_an_unbonding_agent(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    p.agents.unstake(agent)
    treasury = p.token.balance_of(p.treasury.address)

    p.agents.expel(network.gov, agent.address, "ipfs://evidence")

    assert p.token.balance_of(p.treasury.address) == treasury + 100 * EAI
    network.advance(network.params.agents.unbonding_period)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=AgentStatus.EXPELLED):
        p.agents.withdraw(agent)
    assert_agent_staking_solvent(network)


def test_expel_by_anyone_but_governance_is_refused(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    intruder = network.users[0]
    with reverts("OwnableUnauthorizedAccount", account=intruder.address):
        p.agents.expel(intruder, agent.address, "ipfs://evidence")
    assert p.agents.agent_info(agent.address).status == AgentStatus.ACTIVE


def test_expel_of_an_address_that_never_staked_is_refused(network: Network) -> None:
    stranger = network.users[1].address
    with reverts("AgentStakingUnknownAgent", account=stranger):
        network.protocol.agents.expel(network.gov, stranger, "ipfs://evidence")


# ---------------------------------------------------------------------------- parameters


def test_set_params_stores_and_announces_values_within_bounds(network: Network) -> None:
    p = network.protocol
    for params in (Params(1 * DAY, 60, 0), Params(30 * DAY, 7 * DAY, 1000)):
        result = p.agents.set_params(network.gov, params)
        assert described(p.agents.events(result)) == [("AgentParamsChanged", {"params": params})]
        assert p.agents.params() == params


@pytest.mark.parametrize(
    ("params", "name", "value", "low", "high"),
    [
        (Params(DAY - 1, 3600, 100), "unbondingPeriod", DAY - 1, DAY, 30 * DAY),
        (Params(30 * DAY + 1, 3600, 100), "unbondingPeriod", 30 * DAY + 1, DAY, 30 * DAY),
        (Params(2 * DAY, 59, 100), "penaltyDuration", 59, 60, 7 * DAY),
        (Params(2 * DAY, 7 * DAY + 1, 100), "penaltyDuration", 7 * DAY + 1, 60, 7 * DAY),
        (Params(2 * DAY, 3600, 1001), "missSlashBps", 1001, 0, 1000),
    ],
)
def test_set_params_out_of_bounds_is_refused(
    network: Network, params: Params, name: str, value: int, low: int, high: int
) -> None:
    p = network.protocol
    before = p.agents.params()
    with reverts("ParameterOutOfBounds", name=name, value=value, min=low, max=high):
        p.agents.set_params(network.gov, params)
    assert p.agents.params() == before


def test_set_params_by_anyone_but_governance_is_refused(network: Network) -> None:
    intruder = network.agents[0]
    with reverts("OwnableUnauthorizedAccount", account=intruder.address):
        network.protocol.agents.set_params(intruder, Params(DAY, 60, 0))


# ---------------------------------------------------------------------------- managers


def test_only_the_task_manager_may_penalize_a_miss(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    for intruder in (network.gov, agent, network.users[0]):
        with reverts("AgentStakingUnauthorized", caller=intruder.address):
            p.agents.penalize_miss(intruder, 1)
    assert p.agents.agent_info(agent.address).stake == 100 * EAI


def test_only_the_dispute_manager_may_slash_for_fraud_or_lock(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    for intruder in (network.gov, agent, network.verifiers[0]):
        with reverts("AgentStakingUnauthorized", caller=intruder.address):
            p.agents.slash_for_fraud(intruder, 1, 10_000, intruder.address)
        with reverts("AgentStakingUnauthorized", caller=intruder.address):
            p.agents.set_lock(intruder, 1, True)
    info = p.agents.agent_info(agent.address)
    assert (info.stake, info.status, info.locks) == (100 * EAI, AgentStatus.ACTIVE, 0)


def test_wiring_happens_once(network: Network) -> None:
    p = network.protocol
    assert p.agents.wiring() == (p.tasks.address, p.disputes.address)
    with reverts("AgentStakingAlreadyWired"):
        p.agents.wire(network.gov, network.users[0].address, network.users[0].address)
    with reverts("OwnableUnauthorizedAccount", account=network.users[0].address):
        p.agents.wire(network.users[0], network.users[0].address, network.users[0].address)
    assert p.agents.wiring() == (p.tasks.address, p.disputes.address)
