"""Agent staking against a real node (anvil): stake, unstake, time travel, withdraw, reverts."""

from __future__ import annotations

import pytest

from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    assert_agent_staking_solvent,
    described,
    pool_members,
    reverts,
)

pytestmark = pytest.mark.anvil


def test_stake_unstake_and_withdraw_after_the_unbonding_period(anvil_network: Network) -> None:
    network = anvil_network
    p = network.protocol
    model = network.register_model()
    agent = network.agents[0]
    wallet = p.token.balance_of(agent.address)

    staked = p.agents.stake(agent, model, 150 * EAI)
    assert [name for name, _ in described(p.agents.events(staked))] == [
        "AgentStaked",
        "AgentJoinedPool",
    ]
    agent_id = p.agents.id_of(agent.address)
    assert pool_members(network, model) == [agent_id]

    p.agents.unstake(agent)
    info = p.agents.agent_info(agent.address)
    assert info.status == AgentStatus.UNBONDING
    assert p.agents.pool_size(model) == 0
    with reverts("AgentStakingStillUnbonding", agent=agent.address, until=info.until):
        p.agents.withdraw(agent)

    network.advance(network.params.agents.unbonding_period + 1)
    withdrawn = p.agents.withdraw(agent)

    assert described(p.agents.events(withdrawn)) == [
        ("AgentWithdrawn", {"agent": agent.address, "id": agent_id, "amount": 150 * EAI})
    ]
    assert p.token.balance_of(agent.address) == wallet
    assert p.agents.agent_info(agent.address).status == AgentStatus.NONE
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_reverts_decode_by_name_and_values_on_anvil(anvil_network: Network) -> None:
    network = anvil_network
    p = network.protocol
    model = network.register_model(min_stake=300 * EAI)
    agent = network.agents[1]
    with reverts("AgentStakingStakeTooLow", stake=299 * EAI, required=300 * EAI):
        p.agents.stake(agent, model, 299 * EAI)
    with reverts("OwnableUnauthorizedAccount", account=agent.address):
        p.agents.expel(agent, agent.address, "ipfs://evidence")
    assert p.agents.agent_info(agent.address).status == AgentStatus.NONE
