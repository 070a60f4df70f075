"""AgentStaking.drawAgents costs O(k) gas whatever the pool's size."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount

from eternal.chain import TxRequest, contract_at, send
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import now, spare
from tests.unit.contracts.token.permits import sign_permit

K = 3
SEEDS = range(8)
STAKE = 100 * EAI


def _draw_gas(network: Network, model: int, k: int) -> float:
    """Mean gas of a drawAgents call (as estimated for a transaction) over a few seeds."""
    staking = contract_at(network.chain, "AgentStaking", network.protocol.agents.address)
    sender = {"from": network.gov.address}
    total = sum(staking.functions.drawAgents(model, k, seed).estimate_gas(sender) for seed in SEEDS)
    return total / len(SEEDS)


def _stake_fresh_agent(network: Network, funder: LocalAccount, model: int) -> str:
    """A new account, funded with gas money and EAI, staked by permit: three transactions."""
    p = network.protocol
    agent: LocalAccount = Account.create()
    send(network.chain, funder, TxRequest(to=agent.address, value=10**17), gas=21_000)
    p.token.transfer(funder, agent.address, STAKE, gas=100_000)
    permit = sign_permit(p.token, agent, p.agents.address, STAKE, now(network) + 3600, nonce=0)
    p.agents.stake_with_permit(
        agent, model, STAKE, permit.deadline, permit.v, permit.r, permit.s, gas=500_000
    )
    return agent.address


@pytest.mark.slow
def test_draw_gas_does_not_grow_with_the_pool(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    network.stake_agents(model, len(network.agents))
    funder = spare(network)
    fresh = [_stake_fresh_agent(network, funder, model) for _ in range(10 - len(network.agents))]
    assert p.agents.pool_size(model) == 10
    small = {k: _draw_gas(network, model, k) for k in (1, K)}

    fresh += [_stake_fresh_agent(network, funder, model) for _ in range(190)]
    assert p.agents.pool_size(model) == 200
    large = {k: _draw_gas(network, model, k) for k in (1, K)}

    print(f"drawAgents gas, pool 10: {small}, pool 200: {large}")
    for k in (1, K):
        assert abs(large[k] - small[k]) / small[k] < 0.03, (k, small[k], large[k])
    # And the cost is the cost of k picks: each pick adds roughly the same, far below what
    # touching 200 members would cost (an SLOAD alone is 2,100 gas cold).
    per_pick = (large[K] - large[1]) / (K - 1)
    assert per_pick < 10_000
    # Solvency without 200 more views: every fresh agent staked exactly STAKE.
    assert p.token.balance_of(p.agents.address) == 200 * STAKE
    assert {p.agents.agent_info(a).stake for a in (fresh[0], fresh[-1])} == {STAKE}
