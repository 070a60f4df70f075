"""TaskTracker: a task's events in, progress and outcome out (no chain needed)."""

from __future__ import annotations

from typing import Any

import pytest

from eternal.chain.bindings.task_manager import (
    TaskAccepted,
    TaskAssigned,
    TaskCommitted,
    TaskDisputed,
    TaskFinalized,
    TaskRefunded,
    TaskRevealed,
)
from eternal.chain.seals import digest_prefix
from eternal.models.metadata import OutputKind
from eternal.sdk.errors import OutputRejected
from eternal.sdk.results import Stage, Status, TaskOutput
from eternal.sdk.tracker import TaskTracker
from eternal.storage.cid import sha256
from eternal.storage.errors import BlobNotFound

TASK = 7
ANSWER = b"the answer"
META: dict[str, Any] = {
    "tx_hash": b"\x01" * 32,
    "block_number": 1,
    "log_index": 0,
    "address": "0x" + "00" * 20,
}


def reveal(agent_id: int, data: bytes = ANSWER) -> TaskRevealed:
    return TaskRevealed(
        task_id=TASK,
        agent_id=agent_id,
        digest=sha256(data),
        salt=bytes(32),
        output_uri=f"uri:{agent_id}",
        **META,
    )


def committed(agent_id: int, order: int) -> TaskCommitted:
    return TaskCommitted(task_id=TASK, agent_id=agent_id, order=order, **META)


def accepted(winner: int, data: bytes = ANSWER) -> TaskAccepted:
    return TaskAccepted(
        task_id=TASK,
        winner_id=winner,
        digest=digest_prefix(sha256(data)),
        challenge_deadline=99,
        **META,
    )


class Outputs:
    """Stands in for the store: serves each agent's revealed bytes, or fails for `missing`."""

    def __init__(self, missing: set[int] | None = None) -> None:
        self.missing = missing or set()

    def __call__(self, event: TaskRevealed) -> TaskOutput:
        if event.agent_id in self.missing:
            raise BlobNotFound(event.output_uri, store="test")
        return TaskOutput(
            kind=OutputKind.TEXT,
            value=ANSWER.decode(),
            data=ANSWER,
            digest=event.digest,
            uri=event.output_uri,
        )


def tracker(outputs: Outputs | None = None) -> TaskTracker:
    t = TaskTracker(TASK, outputs or Outputs(), lambda agent_id: f"agent-{agent_id}")
    t.apply(TaskAssigned(task_id=TASK, agent_ids=(4, 5, 6), attempt=0, commit_deadline=50, **META))
    for order, agent in enumerate((5, 4, 6)):  # agent 5 commits first
        t.apply(committed(agent, order))
    return t


def stages(reports: list[Any]) -> list[Stage]:
    return [report.stage for report in reports]


def test_the_output_is_reported_when_the_first_committer_reveals_not_before() -> None:
    t = tracker()

    assert stages(t.apply(reveal(4))) == [Stage.REVEALED]
    reports = t.apply(reveal(5))

    assert stages(reports) == [Stage.REVEALED, Stage.OUTPUT]
    assert reports[1].agent == "agent-5" and reports[1].output is not None


def test_an_unreadable_early_output_is_read_again_at_acceptance() -> None:
    outputs = Outputs(missing={5})
    t = tracker(outputs)
    assert stages(t.apply(reveal(5))) == [Stage.REVEALED]  # not readable yet: no OUTPUT
    outputs.missing.clear()

    assert stages(t.apply(accepted(5))) == [Stage.OUTPUT, Stage.ACCEPTED]
    assert t.status is Status.ACCEPTED and t.winner == "agent-5"


def test_an_output_that_is_not_the_accepted_digest_is_refused() -> None:
    t = tracker()
    t.apply(reveal(5))

    with pytest.raises(OutputRejected, match="is not the accepted one"):
        t.apply(accepted(5, data=b"another answer"))


def test_a_dispute_reopens_an_accepted_task_until_its_verdict() -> None:
    t = tracker()
    t.apply(reveal(5))
    t.apply(accepted(5))

    t.apply(TaskDisputed(task_id=TASK, dispute_id=3, **META))
    assert t.status is None

    t.apply(
        TaskFinalized(
            task_id=TASK,
            winner_id=5,
            reward_to="0x" + "00" * 20,
            winner_share=1,
            block_reward=0,
            creator_share=0,
            verifier_share=0,
            treasury_share=0,
            **META,
        )
    )
    assert t.status is Status.FINALIZED


def test_a_refund_records_the_amount() -> None:
    t = tracker()

    reports = t.apply(TaskRefunded(task_id=TASK, user="0x" + "11" * 20, amount=10, **META))

    assert stages(reports) == [Stage.REFUNDED] and reports[0].amount == 10
    assert t.status is Status.REFUNDED and t.refunded == 10
