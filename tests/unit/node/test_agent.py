"""The agent's state machine on the in-process chain: assignment to payout, crashes, penalties."""

from __future__ import annotations

from pathlib import Path

import pytest

from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.task_manager import TaskState
from eternal.node.agent import AgentNode, Behaviour
from eternal.node.errors import NodeError
from eternal.node.state import JobStatus
from eternal.storage.cid import sha256
from tests.support.network import Network
from tests.support.node_harness import make_agent, run_until


def _three_agents(
    network: Network, tmp_path: Path, **kwargs: Behaviour
) -> tuple[int, list[AgentNode]]:
    model = network.register_model(redundancy=3)
    agents = [make_agent(network, tmp_path, a, model) for a in network.agents[:3]]
    for agent in agents:
        agent.setup()
    return model, agents


def test_assignment_goes_from_compute_to_payout(network: Network, tmp_path: Path) -> None:
    model, agents = _three_agents(network, tmp_path)
    assert network.protocol.agents.pool_size(model) == 3
    task_id = network.submit(model, prompt=b'{"prompt":"hi"}')
    run_until(agents, lambda: network.task(task_id).state is TaskState.ACCEPTED)
    assert all(
        a.state.job(task_id, 0).status in (JobStatus.WON, JobStatus.REVEALED, JobStatus.DONE)
        for a in agents
    )
    network.pass_challenge_window()
    run_until(agents, lambda: network.task(task_id).state is TaskState.FINALIZED)
    winner = next(
        a
        for a in agents
        if a.state.job(task_id, 0).status is JobStatus.DONE and a.metrics.rewards._value.get() > 0
    )
    assert winner.protocol.tasks.claimable(winner.address) == 0
    assert network.supply_is_conserved()


def test_stored_output_opens_the_committed_digest(network: Network, tmp_path: Path) -> None:
    model, agents = _three_agents(network, tmp_path)
    task_id = network.submit(model, prompt=b"raw input")
    run_until(agents, lambda: network.task(task_id).state is TaskState.ACCEPTED)
    job = agents[0].state.job(task_id, 0)
    assert job is not None and job.output_uri is not None and job.digest is not None
    output = agents[0].store.get(job.output_uri)
    assert output == b"echo:raw input" and sha256(output) == job.digest


def test_crash_after_sealing_commits_once_on_restart(network: Network, tmp_path: Path) -> None:
    model, agents = _three_agents(network, tmp_path)
    victim = agents[0]
    victim._commit = lambda job: None  # type: ignore[method-assign]  # dies before sending
    task_id = network.submit(model, prompt=b"x")
    run_until([victim], lambda: _status(victim, task_id) is JobStatus.SEALED)
    sealed = victim.state.job(task_id, 0)

    victim.state.close()  # the process died
    reborn = make_agent(network, tmp_path, victim.account, model)  # same state file
    reborn.setup()
    run_until([reborn, *agents[1:]], lambda: network.task(task_id).state is TaskState.ACCEPTED)
    assert reborn.state.job(task_id, 0).salt == sealed.salt  # type: ignore[union-attr]
    assert reborn.metrics.transactions.labels(function="commit")._value.get() == 1
    assert network.task(task_id).revealed_mask == 0b111


def test_commit_that_landed_before_the_crash_is_not_sent_again(
    network: Network, tmp_path: Path
) -> None:
    model, agents = _three_agents(network, tmp_path)
    victim = agents[0]
    task_id = network.submit(model, prompt=b"x")
    run_until([victim], lambda: _status(victim, task_id) is JobStatus.COMMITTED)
    victim.state.update_job(task_id, 0, status=JobStatus.SEALED)  # the status write was lost
    victim.state.close()
    reborn = make_agent(network, tmp_path, victim.account, model)
    reborn.setup()
    run_until([reborn, *agents[1:]], lambda: network.task(task_id).state is TaskState.ACCEPTED)
    assert reborn.metrics.transactions.labels(function="commit")._value.get() == 0


def test_replayed_logs_do_not_compute_twice(network: Network, tmp_path: Path) -> None:
    model, agents = _three_agents(network, tmp_path)
    task_id = network.submit(model, prompt=b"x")
    run_until(agents, lambda: network.task(task_id).state is TaskState.ACCEPTED)
    first = agents[0]
    first.state.set_cursor("agent", network.protocol.deployment.block_number - 1)
    first.tick()
    assert first.models.computed.count(task_id) == 1  # type: ignore[attr-defined]


def test_agent_that_never_reveals_is_penalized_and_rejoins(
    network: Network, tmp_path: Path
) -> None:
    model = network.register_model(redundancy=2)
    honest = make_agent(network, tmp_path, network.agents[0], model)
    lazy = make_agent(network, tmp_path, network.agents[1], model, Behaviour.NO_REVEAL)
    for agent in (honest, lazy):
        agent.setup()
    task_id = network.submit(model, prompt=b"x")
    run_until([honest, lazy], lambda: network.task(task_id).commit_count == 2)
    run_until(
        [honest, lazy],
        lambda: (
            network.task(task_id).revealed_mask == 0b01
            or network.task(task_id).revealed_mask == 0b10
        ),
    )
    network.pass_reveal_window()
    run_until([honest, lazy], lambda: network.task(task_id).state is TaskState.ACCEPTED)
    info = network.protocol.agents.agent_info(lazy.address)
    assert info.status is AgentStatus.PENALIZED
    assert _status(lazy, task_id) is JobStatus.LOST
    network.advance(network.params.agents.penalty_duration + 1)
    run_until(
        [lazy],
        lambda: network.protocol.agents.agent_info(lazy.address).status is AgentStatus.ACTIVE,
    )


def test_wrong_output_agent_opens_an_automatic_dispute(network: Network, tmp_path: Path) -> None:
    model = network.register_model(redundancy=3)
    agents = [make_agent(network, tmp_path, a, model) for a in network.agents[:2]]
    agents.append(make_agent(network, tmp_path, network.agents[2], model, Behaviour.WRONG_OUTPUT))
    for agent in agents:
        agent.setup()
    network.stake_verifiers(3)
    task_id = network.submit(model, prompt=b"x")
    run_until(agents, lambda: network.task(task_id).state is TaskState.DISPUTED)
    digests = {agent.state.job(task_id, 0).digest for agent in agents}  # type: ignore[union-attr]
    assert len(digests) == 2


def test_staking_needs_enough_balance(network: Network, tmp_path: Path) -> None:
    model = network.register_model(redundancy=2)
    poor = network.users[2]
    token = network.protocol.token
    token.transfer(poor, network.gov.address, token.balance_of(poor.address))
    agent = make_agent(network, tmp_path, poor, model)
    with pytest.raises(NodeError, match="holds 0 EAI, 100 needed to stake"):
        agent.setup()
    assert network.protocol.agents.agent_info(poor.address).status is AgentStatus.NONE


def _status(agent: AgentNode, task_id: int) -> JobStatus | None:
    job = agent.state.job(task_id, 0)
    return None if job is None else job.status
