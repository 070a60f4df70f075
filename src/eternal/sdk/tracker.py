"""A task's story so far, rebuilt from its events: progress reports, the output, the outcome.

`TaskTracker.apply(event)` takes the task's events in chain order (see `follower`) and returns
the progress they mean. The candidate winner is the first committer: its output is read as soon
as it reveals (checked against its revealed digest) and reported as `Stage.OUTPUT`, before the
task is final. At acceptance the winner's output is checked against the digest the chain
accepted; a refused output raises `OutputRejected` there, never earlier (a provisional output
that cannot be read yet is simply not reported).
"""

from __future__ import annotations

from collections.abc import Callable

from eternal.chain.bindings.task_manager import (
    TaskAccepted,
    TaskAssigned,
    TaskCommitted,
    TaskDisputed,
    TaskFinalized,
    TaskMissed,
    TaskRefunded,
    TaskRevealed,
    TaskSubmitted,
)
from eternal.sdk.errors import SdkError
from eternal.sdk.follower import TaskEvent
from eternal.sdk.outputs import check_accepted
from eternal.sdk.results import Progress, Stage, Status, TaskOutput
from eternal.storage.errors import StorageError

LoadOutput = Callable[[TaskRevealed], TaskOutput]  # fetch and check a revealed output
AgentAddress = Callable[[int], str]  # agent id -> address


class TaskTracker:
    def __init__(self, task_id: int, load_output: LoadOutput, agent_address: AgentAddress) -> None:
        self.task_id = task_id
        self._load_output = load_output
        self._agent_address = agent_address
        self.attempt = 0
        self.k = 0
        self.commit_order: dict[int, int] = {}  # agent id -> order of its commit
        self.reveals: dict[int, TaskRevealed] = {}
        self.output: TaskOutput | None = None
        self.output_agent: int | None = None
        self.winner: str | None = None
        self.challenge_deadline: int | None = None
        self.refunded = 0
        self.status: Status | None = None  # set once accepted, finalized or refunded
        self.disputed = False

    def apply(self, event: TaskEvent) -> list[Progress]:
        if isinstance(event, TaskSubmitted):
            return [self._progress(Stage.SUBMITTED, event)]
        if isinstance(event, TaskAssigned):
            self.attempt, self.k = event.attempt, len(event.agent_ids)
            self.commit_order.clear()
            self.reveals.clear()
            return [self._progress(Stage.ASSIGNED, event, deadline=event.commit_deadline)]
        if isinstance(event, TaskCommitted):
            self.commit_order[event.agent_id] = event.order
            return [self._progress(Stage.COMMITTED, event, agent_id=event.agent_id)]
        if isinstance(event, TaskRevealed):
            return self._revealed(event)
        if isinstance(event, TaskMissed):
            return [self._progress(Stage.MISSED, event, agent_id=event.agent_id)]
        if isinstance(event, TaskAccepted):
            return self._accepted(event)
        if isinstance(event, TaskDisputed):
            # An accepted output under challenge is open again until the verdict.
            self.disputed = True
            self.status = None
            return [self._progress(Stage.DISPUTED, event, dispute_id=event.dispute_id)]
        if isinstance(event, TaskFinalized):
            return self._finalized(event)
        return self._refunded(event)

    def _refunded(self, event: TaskRefunded) -> list[Progress]:
        self.status = Status.REFUNDED
        self.refunded = event.amount
        return [self._progress(Stage.REFUNDED, event, amount=event.amount)]

    def _revealed(self, event: TaskRevealed) -> list[Progress]:
        self.reveals[event.agent_id] = event
        reports = [self._progress(Stage.REVEALED, event, agent_id=event.agent_id)]
        first_committer = self.commit_order.get(event.agent_id) == 0
        if first_committer and self.output is None:
            try:
                self._take_output(event)
            except StorageError:
                return reports  # not readable yet: it is read again, strictly, at acceptance
            reports.append(self._output_progress(event))
        return reports

    def _accepted(self, event: TaskAccepted) -> list[Progress]:
        reports = self._winner_output(event.winner_id, event)
        assert self.output is not None
        check_accepted(self.output, event.digest)
        self.status = Status.ACCEPTED
        self.challenge_deadline = event.challenge_deadline
        reports.append(
            self._progress(
                Stage.ACCEPTED, event, agent_id=event.winner_id, deadline=event.challenge_deadline
            )
        )
        return reports

    def _finalized(self, event: TaskFinalized) -> list[Progress]:
        reports = self._winner_output(event.winner_id, event)
        self.status = Status.FINALIZED
        reports.append(self._progress(Stage.FINALIZED, event, agent_id=event.winner_id))
        return reports

    def _winner_output(self, winner_id: int, event: TaskAccepted | TaskFinalized) -> list[Progress]:
        """Read the winner's output unless it is the one already reported."""
        self.winner = self._agent_address(winner_id)
        if self.output is not None and self.output_agent == winner_id:
            return []
        reveal = self.reveals.get(winner_id)
        if reveal is None:
            # Paid out in a later poll than it was revealed in: only when following from a block
            # after the reveal, which `wait` never does.
            raise SdkError(f"task {self.task_id}: no reveal seen for winning agent {winner_id}")
        self._take_output(reveal)
        return [self._output_progress(reveal, tx_hash=event.tx_hash)]

    def _take_output(self, reveal: TaskRevealed) -> None:
        self.output = self._load_output(reveal)
        self.output_agent = reveal.agent_id

    def _output_progress(self, reveal: TaskRevealed, tx_hash: bytes | None = None) -> Progress:
        return self._progress(
            Stage.OUTPUT, reveal, agent_id=reveal.agent_id, output=self.output, tx_hash=tx_hash
        )

    def _progress(
        self,
        stage: Stage,
        event: TaskEvent,
        *,
        agent_id: int | None = None,
        deadline: int | None = None,
        output: TaskOutput | None = None,
        dispute_id: int | None = None,
        amount: int | None = None,
        tx_hash: bytes | None = None,
    ) -> Progress:
        return Progress(
            stage=stage,
            task_id=self.task_id,
            attempt=self.attempt,
            k=self.k,
            committed=len(self.commit_order),
            revealed=len(self.reveals),
            agent=self._agent_address(agent_id) if agent_id is not None else None,
            deadline=deadline,
            output=output,
            dispute_id=dispute_id,
            amount=amount,
            tx_hash="0x" + (tx_hash or event.tx_hash).hex(),
        )
