"""Following one task's events on chain, by polling the task manager's logs with a cursor.

Each `poll()` reads the blocks mined since the last one (at most `log_range` blocks per
eth_getLogs request) and returns the task's events among them, in chain order. Every task event
has the task id as its first indexed parameter, which is how they are picked out.
Events come in chain order, except that a task's `TaskSubmitted` comes before the `TaskAssigned`
its own transaction logged first.
"""

from __future__ import annotations

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
from eternal.chain.protocol import Protocol

TaskEvent = (
    TaskSubmitted
    | TaskAssigned
    | TaskCommitted
    | TaskRevealed
    | TaskMissed
    | TaskAccepted
    | TaskDisputed
    | TaskFinalized
    | TaskRefunded
)
_TASK_EVENTS = (
    TaskSubmitted,
    TaskAssigned,
    TaskCommitted,
    TaskRevealed,
    TaskMissed,
    TaskAccepted,
    TaskDisputed,
    TaskFinalized,
    TaskRefunded,
)
DEFAULT_LOG_RANGE = 2_000


class TaskFollower:
    """The events of task `task_id` from block `from_block` on, a batch per `poll()`."""

    def __init__(
        self,
        protocol: Protocol,
        task_id: int,
        from_block: int,
        *,
        log_range: int = DEFAULT_LOG_RANGE,
    ) -> None:
        if log_range < 1:
            raise ValueError(f"log_range must be at least 1, got {log_range}")
        self.protocol = protocol
        self.task_id = task_id
        self.next_block = from_block
        self.log_range = log_range

    def poll(self) -> list[TaskEvent]:
        """The task's events mined since the previous poll, in chain order."""
        latest = self.protocol.backend.block_number()
        found: list[TaskEvent] = []
        while self.next_block <= latest:
            last = min(latest, self.next_block + self.log_range - 1)
            for event in self.protocol.tasks.logs(self.next_block, last):
                if isinstance(event, _TASK_EVENTS) and event.task_id == self.task_id:
                    found.append(event)
            self.next_block = last + 1
        # The contract logs TaskAssigned before TaskSubmitted in the submitting transaction;
        # report the submission first. (No event of a task can precede it in its block.)
        found.sort(key=lambda e: (e.block_number, not isinstance(e, TaskSubmitted), e.log_index))
        return found
