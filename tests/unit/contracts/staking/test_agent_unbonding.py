"""AgentStaking: unstake, the unbonding period (still slashable), withdraw."""

from __future__ import annotations

from eternal.chain.bindings.agent_staking import AgentPenalized, AgentStatus
from eternal.chain.bindings.task_manager import TaskMissed, TaskState
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import (
    BPS,
    assert_agent_staking_solvent,
    described,
    now,
    pool_members,
    reverts,
    run_task_without,
)


def test_unstake_leaves_the_pool_and_starts_unbonding(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    first, second = network.stake_agents(model, 2)

    result = p.agents.unstake(first)

    until = now(network) + network.params.agents.unbonding_period
    assert described(p.agents.events(result)) == [
        ("AgentLeftPool", {"agent": first.address, "id": 1, "model_id": model}),
        ("AgentUnbonding", {"agent": first.address, "id": 1, "until": until}),
    ]
    info = p.agents.agent_info(first.address)
    assert (info.status, info.until, info.stake) == (AgentStatus.UNBONDING, until, 100 * EAI)
    assert pool_members(network, model) == [p.agents.id_of(second.address)]


def test_unbonding_agent_cannot_top_up_or_unstake_again(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    p.agents.unstake(agent)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=AgentStatus.UNBONDING):
        p.agents.stake(agent, model, 10 * EAI)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=AgentStatus.UNBONDING):
        p.agents.unstake(agent)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=AgentStatus.UNBONDING):
        p.agents.rejoin(agent)


def test_withdraw_before_the_unbonding_period_ends_is_refused(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    p.agents.unstake(agent)
    until = p.agents.agent_info(agent.address).until
    network.advance(network.params.agents.unbonding_period - 10)
    with reverts("AgentStakingStillUnbonding", agent=agent.address, until=until):
        p.agents.withdraw(agent)


def test_withdraw_of_an_active_agent_is_refused(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    with reverts("AgentStakingWrongStatus", agent=agent.address, status=AgentStatus.ACTIVE):
        p.agents.withdraw(agent)


def test_withdraw_after_unbonding_returns_the_exact_stake(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agent = network.agents[0]
    p.agents.stake(agent, model, 123 * EAI + 45)
    p.agents.unstake(agent)
    wallet = p.token.balance_of(agent.address)
    network.advance(network.params.agents.unbonding_period)

    result = p.agents.withdraw(agent)

    assert described(p.agents.events(result)) == [
        ("AgentWithdrawn", {"agent": agent.address, "id": 1, "amount": 123 * EAI + 45})
    ]
    assert p.token.balance_of(agent.address) == wallet + 123 * EAI + 45
    info = p.agents.agent_info(agent.address)
    assert (info.stake, info.status, info.id, info.model_id) == (0, AgentStatus.NONE, 1, 0)
    assert p.token.balance_of(p.agents.address) == 0
    assert network.supply_is_conserved()


def test_withdrawn_agent_may_stake_again_for_another_model_with_its_id(network: Network) -> None:
    p = network.protocol
    first = network.register_model()
    second = network.register_model()
    (agent,) = network.stake_agents(first, 1)
    p.agents.unstake(agent)
    network.advance(network.params.agents.unbonding_period)
    p.agents.withdraw(agent)

    p.agents.stake(agent, second, 100 * EAI)

    info = p.agents.agent_info(agent.address)
    assert (info.id, info.model_id, info.status) == (1, second, AgentStatus.ACTIVE)
    assert pool_members(network, second) == [1]
    assert p.agents.pool_size(first) == 0
    assert_agent_staking_solvent(network)


def test_unbonding_agent_that_misses_an_assigned_commit_is_still_slashed(
    network: Network,
) -> None:
    p = network.protocol
    model = network.register_model()
    network.stake_agents(model, 3)
    task = network.submit(model)
    victim = network.assigned(task)[0]
    p.agents.unstake(victim)
    until = p.agents.agent_info(victim.address).until
    treasury = p.token.balance_of(p.treasury.address)

    resolved = run_task_without(network, task, [victim])

    slash = 100 * EAI * network.params.agents.miss_slash_bps // BPS
    victim_id = p.agents.id_of(victim.address)
    assert [e.agent_id for e in p.tasks.events(resolved) if isinstance(e, TaskMissed)] == [
        victim_id
    ]
    assert described(e for e in p.agents.events(resolved) if isinstance(e, AgentPenalized)) == [
        # `until` 0: an unbonding agent only pays; its status does not change.
        ("AgentPenalized", {"agent": victim.address, "id": victim_id, "slashed": slash, "until": 0})
    ]
    info = p.agents.agent_info(victim.address)
    assert (info.stake, info.status, info.until) == (
        100 * EAI - slash,
        AgentStatus.UNBONDING,
        until,
    )
    assert victim_id not in pool_members(network, model)
    assert p.token.balance_of(p.treasury.address) == treasury + slash
    assert network.task(task).state == TaskState.ACCEPTED
    assert_agent_staking_solvent(network)

    # The task still pays out, and the agent leaves with what the slash left.
    network.pass_challenge_window()
    p.tasks.finalize(network.users[0], task)
    network.advance(network.params.agents.unbonding_period)
    wallet = p.token.balance_of(victim.address)
    p.agents.withdraw(victim)
    assert p.token.balance_of(victim.address) == wallet + 100 * EAI - slash
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_unbonding_agent_is_slashed_when_the_windows_pass_and_the_task_is_finalized(
    network: Network,
) -> None:
    p = network.protocol
    model = network.register_model()
    network.stake_agents(model, 3)
    task = network.submit(model)
    victim = network.assigned(task)[1]
    p.agents.unstake(victim)
    stakes = {a.address: p.agents.agent_info(a.address).stake for a in network.assigned(task)}

    network.pass_commit_window()
    network.pass_reveal_window()
    result = p.tasks.finalize(network.users[0], task)

    bps = network.params.agents.miss_slash_bps
    penalized = {
        e.agent: e.slashed for e in p.agents.events(result) if isinstance(e, AgentPenalized)
    }
    assert penalized == {address: stake * bps // BPS for address, stake in stakes.items()}
    info = p.agents.agent_info(victim.address)
    assert (info.stake, info.status) == (100 * EAI * (BPS - bps) // BPS, AgentStatus.UNBONDING)
    # Nobody revealed and every pooled agent was penalized: nobody is left to reassign to.
    assert network.task(task).state == TaskState.REFUNDED
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()
