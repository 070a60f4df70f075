"""Gas per prompt from the receipts, on the in-process chain: each transaction filed under the
task it acted on and the step it took, a dispute's votes and verdict included."""

from __future__ import annotations

from pathlib import Path

from eternal.demo.gas import gas_per_task
from eternal.runtime.inputs import encode_task_input
from eternal.storage.local import LocalStore
from tests.support.explorer_scenario import played
from tests.support.network import Network
from tests.support.prompting import ECHO, FEE, answer, publish


def _submit(net: Network, model_id: int, text: str) -> tuple[int, int]:
    """(task id, the submit's gas)."""
    sent = net.protocol.tasks.submit_prompt(
        net.users[0], model_id, encode_task_input({"prompt": text}), FEE
    )
    return net.protocol.tasks.task_count(), sent.gas_used


def test_a_prompt_costs_its_submit_commits_reveals_and_finalize(
    network: Network, tmp_path: Path
) -> None:
    net, store = network, LocalStore(tmp_path)
    model = publish(net, store, ECHO, agents=3)
    done, submit_gas = _submit(net, model, "a dragon and a knight")
    answer(net, store, done, [b"a tale"] * 3)
    waiting, _ = _submit(net, model, "and then?")
    net.commit(waiting, 0)
    net.pass_challenge_window()
    finalize_gas = net.protocol.tasks.finalize(net.users[0], done).gas_used

    reading = gas_per_task(net.protocol, net.chain.block_number())

    finished = reading.tasks[done]
    assert list(finished.steps) == ["submit", "commits", "reveals", "finalize"]
    assert finished.steps["submit"] == submit_gas
    assert finished.steps["finalize"] == finalize_gas
    assert finished.transactions == 8  # 1 + 3 commits + 3 reveals + 1
    assert finished.total == sum(finished.steps.values())
    open_one = reading.tasks[waiting]
    assert list(open_one.steps) == ["submit", "commits"] and open_one.transactions == 2
    assert reading.shared == 0


def test_a_disputes_votes_and_verdict_count_for_its_task(
    _embedded_network_base: Network, tmp_path: Path
) -> None:
    with played(_embedded_network_base, LocalStore(tmp_path)) as story:
        reading = gas_per_task(story.net.protocol, story.net.chain.block_number())
    disputed = reading.tasks[story.disputed_task]
    assert {"submit", "commits", "reveals", "votes", "verdict"} <= set(disputed.steps)
    assert "votes" not in reading.tasks[story.text_task].steps
