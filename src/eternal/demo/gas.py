"""The gas each prompt cost the network, everyone's transactions counted, read from receipts.

A transaction counts for a task when every task it names in its events (directly, or through
the dispute it settles) is that task: the user's submit, each agent's commit and reveal (the
last one also accepts, or opens a dispute), a finalize, the committee's votes and the verdict.
A batched claim that pays several tasks out at once belongs to none of them and is counted apart.
Each transaction is filed under the first step its events show, in `STEPS` order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.dispute_manager import DisputeResolved, VoteCommitted, VoteRevealed
from eternal.chain.bindings.task_manager import (
    TaskCommitted,
    TaskDisputed,
    TaskFinalized,
    TaskRevealed,
    TaskSubmitted,
)
from eternal.chain.protocol import Protocol
from eternal.demo.ledger import events

STEPS: tuple[tuple[str, type[ContractEvent]], ...] = (
    ("submit", TaskSubmitted),
    ("commits", TaskCommitted),
    ("reveals", TaskRevealed),
    ("votes", VoteCommitted),
    ("votes", VoteRevealed),
    ("verdict", DisputeResolved),
    ("finalize", TaskFinalized),
)
OTHER = "other"  # e.g. a reassignment after a missed deadline


@dataclass(frozen=True)
class TaskGas:
    task_id: int
    steps: dict[str, int]  # step -> gas of its transactions, in STEPS order
    transactions: int

    @property
    def total(self) -> int:
        return sum(self.steps.values())


@dataclass(frozen=True)
class GasReading:
    tasks: dict[int, TaskGas]
    shared: int  # gas of transactions that acted on several tasks at once (batched claims)
    shared_transactions: int


def gas_per_task(protocol: Protocol, to_block: int) -> GasReading:
    """Gas per task of every transaction since the deployment up to `to_block`."""
    p = protocol
    start = p.deployment.block_number
    found = [*events(p.tasks, start, to_block), *events(p.disputes, start, to_block)]
    dispute_task = {e.dispute_id: e.task_id for e in found if isinstance(e, TaskDisputed)}
    by_transaction: dict[bytes, list[ContractEvent]] = defaultdict(list)
    for event in found:
        by_transaction[event.tx_hash].append(event)
    steps: dict[int, dict[str, int]] = defaultdict(dict)
    counted: dict[int, int] = defaultdict(int)
    shared = shared_transactions = 0
    for tx_hash, emitted in by_transaction.items():
        tasks = {t for t in (_task_of(e, dispute_task) for e in emitted) if t is not None}
        if not tasks:
            continue
        gas = p.backend.gas_used(tx_hash)
        if len(tasks) > 1:
            shared += gas
            shared_transactions += 1
            continue
        task_id = tasks.pop()
        step = _step_of(emitted)
        steps[task_id][step] = steps[task_id].get(step, 0) + gas
        counted[task_id] += 1
    order = [name for name, _ in STEPS] + [OTHER]
    return GasReading(
        tasks={
            task_id: TaskGas(
                task_id,
                {name: by_step[name] for name in dict.fromkeys(order) if name in by_step},
                counted[task_id],
            )
            for task_id, by_step in steps.items()
        },
        shared=shared,
        shared_transactions=shared_transactions,
    )


def _task_of(event: ContractEvent, dispute_task: dict[int, int]) -> int | None:
    task_id = getattr(event, "task_id", None)
    if task_id is not None:
        return int(task_id)
    dispute_id = getattr(event, "dispute_id", None)
    return dispute_task.get(int(dispute_id)) if dispute_id is not None else None


def _step_of(emitted: list[ContractEvent]) -> str:
    for name, event_type in STEPS:
        if any(isinstance(event, event_type) for event in emitted):
            return name
    return OTHER
