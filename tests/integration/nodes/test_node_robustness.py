"""Nodes that crash, models that fail, packages that were tampered with: nothing is lost."""

from __future__ import annotations

import pytest

from eternal.chain.bindings.task_manager import TaskRefunded, TaskState
from eternal.chain.params import EAI
from eternal.storage.cid import cid_from_digest
from tests.integration.nodes.conftest import MODELS
from tests.support.live_network import LiveNetwork, submit, task_state, winner_output

pytestmark = [pytest.mark.anvil, pytest.mark.slow]


def test_agent_killed_between_commit_and_reveal_reveals_after_restart(live: LiveNetwork) -> None:
    model = live.publish(MODELS / "echo", redundancy=3)
    for account in live.net.agents[:2]:
        live.start_agent(account, model)
    # This agent commits and then holds its reveal back until it is killed.
    victim = live.start_agent(live.net.agents[2], model, behaviour="no-reveal")
    live.wait_for("3 agents in the pool", lambda: live.net.protocol.agents.pool_size(model) == 3)
    task_id = submit(live, live.net.users[0], model, prompt="resume after a crash")
    tasks = live.net.protocol.tasks
    live.wait_for("every commit", lambda: tasks.task(task_id).commit_count == 3)
    victim.kill()

    live.nodes.remove(victim)
    restarted = live.start_agent(victim.account, model)  # same data dir, honest now
    assert restarted.home == victim.home
    live.wait_for("acceptance", lambda: task_state(live, task_id) is TaskState.ACCEPTED)
    assert tasks.task(task_id).revealed_mask == 0b111  # the restarted agent revealed in time
    assert b"resume after a crash" in winner_output(live, task_id)


def test_tampered_package_is_refused_by_the_agent(live: LiveNetwork) -> None:
    model = live.publish(MODELS / "echo", redundancy=2)
    digest = live.net.protocol.registry.package_digest(model)
    blob = live.root / "blobs" / cid_from_digest(digest)
    blob.write_bytes(blob.read_bytes()[:-10] + b"tampered!!")
    agent = live.start_agent(live.net.agents[0], model)
    assert agent.process is not None
    assert agent.process.wait(timeout=60) == 1
    assert "corrupt" in agent.log_text().lower() or "digest" in agent.log_text().lower()


@pytest.mark.parametrize("fault", ["crash", "hang", "garbage"])
def test_failing_predictor_gets_the_task_refunded(live: LiveNetwork, fault: str) -> None:
    model = live.publish(MODELS / "faulty", redundancy=2)
    agents = [live.start_agent(a, model, timeout=5) for a in live.net.agents[:2]]
    live.wait_for("2 agents in the pool", lambda: live.net.protocol.agents.pool_size(model) == 2)
    user = live.net.users[0]
    before = live.net.protocol.token.balance_of(user.address)
    task_id = submit(live, user, model, prompt=fault)
    live.wait_for(
        "both agents to report the failure",
        lambda: all(f"task {task_id}: could not compute" in a.log_text() for a in agents),
    )
    live.chain.increase_time(31)  # the commit deadline passes with no commit
    live.net.protocol.tasks.finalize(user, task_id)
    assert task_state(live, task_id) is TaskState.REFUNDED
    refunds = live.net.protocol.tasks.logs(0, "latest", TaskRefunded)
    assert refunds[0].amount == 10 * EAI
    assert live.net.protocol.token.balance_of(user.address) == before
