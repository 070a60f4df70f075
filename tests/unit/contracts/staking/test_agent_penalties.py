"""AgentStaking: an agent that misses a deadline is slashed a little, sits out, then rejoins.

The penalties come from real tasks: the assigned agent does not commit, the others commit and
reveal, and the last reveal resolves the task.
"""

from __future__ import annotations

from eth_account.signers.local import LocalAccount

from eternal.chain.bindings.agent_staking import AgentPenalized, AgentStatus
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


def _penalize(network: Network, model: int, victim: LocalAccount) -> AgentPenalized:
    """Runs a task on `model` (whose whole pool is assigned) in which `victim` never commits."""
    task = network.submit(model)
    assert victim.address in {a.address for a in network.assigned(task)}
    resolved = run_task_without(network, task, [victim])
    (penalty,) = [
        e for e in network.protocol.agents.events(resolved) if isinstance(e, AgentPenalized)
    ]
    return penalty


def _stake(network: Network, model: int, amounts: list[int]) -> list[LocalAccount]:
    agents = network.agents[: len(amounts)]
    for agent, amount in zip(agents, amounts, strict=True):
        network.protocol.agents.stake(agent, model, amount)
    return agents


def test_missed_commit_slashes_and_suspends_the_agent(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    victim, *others = _stake(network, model, [200 * EAI, 100 * EAI, 100 * EAI])
    treasury = p.token.balance_of(p.treasury.address)

    penalty = _penalize(network, model, victim)

    slash = 200 * EAI * network.params.agents.miss_slash_bps // BPS
    until = now(network) + network.params.agents.penalty_duration
    assert described([penalty]) == [
        ("AgentPenalized", {"agent": victim.address, "id": 1, "slashed": slash, "until": until})
    ]
    info = p.agents.agent_info(victim.address)
    assert (info.stake, info.status, info.until) == (
        200 * EAI - slash,
        AgentStatus.PENALIZED,
        until,
    )
    assert pool_members(network, model) == sorted(p.agents.id_of(a.address) for a in others)
    # The agents that revealed the accepted digest in time lose nothing.
    for other in others:
        kept = p.agents.agent_info(other.address)
        assert (kept.stake, kept.status) == (100 * EAI, AgentStatus.ACTIVE)
    assert p.token.balance_of(p.treasury.address) == treasury + slash
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_rejoin_before_the_penalty_ends_is_refused(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    victim, *_ = _stake(network, model, [200 * EAI, 100 * EAI, 100 * EAI])
    penalty = _penalize(network, model, victim)
    network.advance(network.params.agents.penalty_duration - 60)
    with reverts("AgentStakingStillPenalized", agent=victim.address, until=penalty.until):
        p.agents.rejoin(victim)
    assert p.agents.pool_size(model) == 2


def test_rejoin_after_the_penalty_puts_the_agent_back_in_the_pool(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    victim, *_ = _stake(network, model, [200 * EAI, 100 * EAI, 100 * EAI])
    _penalize(network, model, victim)
    network.advance(network.params.agents.penalty_duration)

    result = p.agents.rejoin(victim)

    assert described(p.agents.events(result)) == [
        ("AgentJoinedPool", {"agent": victim.address, "id": 1, "model_id": model})
    ]
    info = p.agents.agent_info(victim.address)
    assert (info.status, info.until) == (AgentStatus.ACTIVE, 0)
    assert pool_members(network, model) == [1, 2, 3]
    with reverts("AgentStakingWrongStatus", agent=victim.address, status=AgentStatus.ACTIVE):
        p.agents.rejoin(victim)


def test_rejoin_below_the_minimum_after_the_slash_needs_a_top_up(network: Network) -> None:
    p = network.protocol
    model = network.register_model(min_stake=100 * EAI)
    victim, *_ = _stake(network, model, [100 * EAI, 100 * EAI, 100 * EAI])
    penalty = _penalize(network, model, victim)
    network.advance(network.params.agents.penalty_duration)
    left = 100 * EAI - penalty.slashed

    with reverts("AgentStakingStakeTooLow", stake=left, required=100 * EAI):
        p.agents.rejoin(victim)

    # A penalized agent may top up (same model); it does not rejoin by that alone.
    topped_up = p.agents.stake(victim, model, penalty.slashed)
    assert described(p.agents.events(topped_up)) == [
        (
            "AgentStaked",
            {
                "agent": victim.address,
                "id": 1,
                "model_id": model,
                "amount": penalty.slashed,
                "total_stake": 100 * EAI,
            },
        )
    ]
    assert p.agents.agent_info(victim.address).status == AgentStatus.PENALIZED
    assert p.agents.pool_size(model) == 2

    p.agents.rejoin(victim)
    assert p.agents.agent_info(victim.address).status == AgentStatus.ACTIVE
    assert pool_members(network, model) == [1, 2, 3]
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_penalized_agent_is_not_assigned_new_tasks(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    victim, *others = _stake(network, model, [200 * EAI, 100 * EAI, 100 * EAI])
    _penalize(network, model, victim)

    task = network.submit(model)

    assigned = {a.address for a in network.assigned(task)}
    assert assigned == {a.address for a in others}
    assert p.agents.id_of(victim.address) not in network.task(task).agent_ids


def test_penalized_agent_may_unstake_and_withdraw_what_is_left(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    victim, *_ = _stake(network, model, [200 * EAI, 100 * EAI, 100 * EAI])
    penalty = _penalize(network, model, victim)

    p.agents.unstake(victim)
    assert p.agents.agent_info(victim.address).status == AgentStatus.UNBONDING
    network.advance(network.params.agents.unbonding_period)
    wallet = p.token.balance_of(victim.address)
    p.agents.withdraw(victim)

    assert p.token.balance_of(victim.address) == wallet + 200 * EAI - penalty.slashed
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()


def test_second_miss_while_penalized_slashes_again_and_extends_the_penalty(
    network: Network,
) -> None:
    p = network.protocol
    model = network.register_model()
    victim, *_ = _stake(network, model, [200 * EAI, 100 * EAI, 100 * EAI])
    tasks = [network.submit(model), network.submit(model)]  # each assigned the whole pool
    commitments = {
        task: [
            network.commit(task, index)
            for index, agent in enumerate(network.assigned(task))
            if agent.address != victim.address
        ]
        for task in tasks
    }
    network.pass_commit_window()
    first = network.reveal_all(tasks[0], commitments[tasks[0]])[-1]
    (first_penalty,) = [e for e in p.agents.events(first) if isinstance(e, AgentPenalized)]
    network.advance(60)  # still inside the second task's reveal window

    second = network.reveal_all(tasks[1], commitments[tasks[1]])[-1]

    (second_penalty,) = [e for e in p.agents.events(second) if isinstance(e, AgentPenalized)]
    bps = network.params.agents.miss_slash_bps
    after_first = 200 * EAI - 200 * EAI * bps // BPS
    assert first_penalty.slashed == 200 * EAI * bps // BPS
    assert second_penalty.slashed == after_first * bps // BPS
    assert second_penalty.until == now(network) + network.params.agents.penalty_duration
    assert second_penalty.until > first_penalty.until
    info = p.agents.agent_info(victim.address)
    assert (info.stake, info.status, info.until) == (
        after_first - second_penalty.slashed,
        AgentStatus.PENALIZED,
        second_penalty.until,
    )
    network.advance(first_penalty.until - now(network) + 1)
    with reverts("AgentStakingStillPenalized", agent=victim.address, until=second_penalty.until):
        p.agents.rejoin(victim)
    assert_agent_staking_solvent(network)
    assert network.supply_is_conserved()
