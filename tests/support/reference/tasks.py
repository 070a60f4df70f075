"""The task lifecycle as the model sees it: submit, commit, reveal, resolve, pay out, claim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.seals import digest_prefix
from tests.support.ledger import ZERO_ADDRESS
from tests.support.reference.records import (
    BPS,
    MAX_AGENTS,
    NO_WINNER,
    ZERO_WORD,
    AgentRecord,
    Key,
    ReferenceState,
    Revert,
    TaskRecord,
)

if TYPE_CHECKING:
    pass


class TaskRules(ReferenceState):
    # Helpers (Reference) and dispute rules (DisputeRules) are reached through `self`.

    def submit_error(self, model_id: int) -> Revert | None:
        if not self.agent_pool(model_id):
            return Revert("TaskManagerNoActiveAgents", {"modelId": model_id})
        return None

    def submit(
        self, ts: int, user: str, model_id: int, prompt: bytes, events: Sequence[ContractEvent]
    ) -> tuple[int, list[Key]]:
        model = self.models[model_id]
        task_id = len(self.tasks) + 1
        pool = self.agent_pool(model_id)
        ids = self._drawn(
            events, "TaskAssigned", pool, min(self.k_of(model), len(pool)), task_id=task_id
        )
        deadline = ts + self.p.tasks.commit_window
        self.tasks[task_id] = TaskRecord(
            task_id, model_id, user, model.fee, model.tolerant, ids, deadline
        )
        return task_id, [
            ("TaskSubmitted", task_id, model_id, user, model.fee, prompt, "", ZERO_WORD),
            ("TaskAssigned", task_id, ids, 0, deadline),
        ]

    def can_commit(self, ts: int, task: TaskRecord, index: int) -> bool:
        return (
            task.state == TaskState.COMMITTING
            and ts <= task.deadline
            and index not in task.committed
        )

    def commit(
        self, ts: int, task: TaskRecord, index: int, digest: bytes, salt: bytes
    ) -> list[Key]:
        order = len(task.commit_order)
        task.committed[index] = (digest, salt)
        task.commit_order.append(index)
        if len(task.commit_order) == task.k:
            task.state = TaskState.REVEALING
            task.deadline = ts + self.p.tasks.reveal_window
        return [("TaskCommitted", task.id, task.agent_ids[index], order)]

    def reveal_deadline(self, ts: int, task: TaskRecord) -> int | None:
        """The reveal deadline if reveals are open at `ts` (open or not, closed or not)."""
        if task.state == TaskState.COMMITTING and task.committed and ts > task.deadline:
            return task.deadline + self.p.tasks.reveal_window
        if task.state == TaskState.REVEALING:
            return task.deadline
        return None

    def can_reveal(self, ts: int, task: TaskRecord, index: int) -> bool:
        deadline = self.reveal_deadline(ts, task)
        return (
            deadline is not None
            and ts <= deadline
            and index in task.committed
            and index not in task.revealed
        )

    def reveal(
        self, ts: int, task: TaskRecord, index: int, uri: str, events: Sequence[ContractEvent]
    ) -> list[Key]:
        if task.state == TaskState.COMMITTING:
            task.state = TaskState.REVEALING
            task.deadline += self.p.tasks.reveal_window
        digest, salt = task.committed[index]
        if task.winner == NO_WINNER:
            task.winner = index
        else:
            if not task.tolerant and digest_prefix(task.revealed[task.winner]) != digest_prefix(
                digest
            ):
                task.mismatch = True
            if task.commit_order.index(index) < task.commit_order.index(task.winner):
                task.winner = index
        task.revealed[index] = digest
        keys: list[Key] = [("TaskRevealed", task.id, task.agent_ids[index], digest, salt, uri)]
        if len(task.revealed) == len(task.committed):
            keys += self._resolve(ts, task, events)
        return keys

    # ------------------------------------------------------------------ resolution and payout

    def finalize_error(self, ts: int, task_id: int) -> Revert | None:
        task = self.tasks.get(task_id)
        if task is None:
            return Revert("TaskManagerUnknownTask", {"taskId": task_id})
        state, deadline = task.state, task.deadline
        if state == TaskState.COMMITTING and task.committed:
            # Whoever committed gets its reveal window before anything is decided.
            state, deadline = TaskState.REVEALING, deadline + self.p.tasks.reveal_window
        if state not in (TaskState.COMMITTING, TaskState.REVEALING, TaskState.ACCEPTED):
            return Revert("TaskManagerWrongState", {"taskId": task_id, "state": int(state)})
        if ts <= deadline:
            return Revert("TaskManagerNotDue", {"taskId": task_id, "readyAt": deadline + 1})
        return None

    def finalize(self, ts: int, task: TaskRecord, events: Sequence[ContractEvent]) -> list[Key]:
        if task.state == TaskState.COMMITTING and task.committed:
            task.state = TaskState.REVEALING
            task.deadline += self.p.tasks.reveal_window
        if task.state in (TaskState.COMMITTING, TaskState.REVEALING):
            return self._resolve(ts, task, events)
        keys, _ = self._payout(task, task.winner, None, 0, self.cap - self.ledger.supply)
        return keys

    def _resolve(self, ts: int, task: TaskRecord, events: Sequence[ContractEvent]) -> list[Key]:
        keys: list[Key] = []
        for index, agent_id in enumerate(task.agent_ids):
            if index not in task.revealed:
                keys.append(("TaskMissed", task.id, agent_id))
                keys += self._penalize_miss(ts, self.agents[agent_id])
        if not task.revealed:
            pool = self.agent_pool(task.model_id)
            if task.attempt == 0 and pool:
                ids = self._drawn(
                    events, "TaskAssigned", pool, min(task.k, len(pool)), task_id=task.id, attempt=1
                )
                task.agent_ids, task.attempt, task.state = ids, 1, TaskState.COMMITTING
                task.deadline = ts + self.p.tasks.commit_window
                task.committed, task.commit_order, task.revealed = {}, [], {}
                task.winner, task.mismatch = NO_WINNER, False
                return [*keys, ("TaskAssigned", task.id, ids, 1, task.deadline)]
            return keys + self._refund(task)
        if task.mismatch:
            return keys + self._open_automatic(ts, task, events)
        task.state = TaskState.ACCEPTED
        task.deadline = ts + self.p.tasks.challenge_window
        winner = task.agent_ids[task.winner]
        return [
            *keys,
            (
                "TaskAccepted",
                task.id,
                winner,
                digest_prefix(task.revealed[task.winner]),
                task.deadline,
            ),
        ]

    def _penalize_miss(self, ts: int, agent: AgentRecord) -> list[Key]:
        slashed = self.ledger.agent_stake[agent.address] * self.p.agents.miss_slash_bps // BPS
        keys: list[Key] = []
        until = 0
        if agent.status in (AgentStatus.ACTIVE, AgentStatus.PENALIZED):
            if agent.status == AgentStatus.ACTIVE:
                keys.append(("AgentLeftPool", agent.address, agent.id, agent.model_id))
            agent.until = max(agent.until, ts + self.p.agents.penalty_duration)
            agent.status = AgentStatus.PENALIZED
            until = agent.until
        return [*keys, ("AgentPenalized", agent.address, agent.id, slashed, until)]

    def _refund(self, task: TaskRecord) -> list[Key]:
        keys: list[Key] = [("TaskRefunded", task.id, task.user, task.escrow)]
        task.escrow, task.state = 0, TaskState.REFUNDED
        return keys

    def _payout(
        self, task: TaskRecord, winner: int, reward_to: str | None, frauds: int, headroom: int
    ) -> tuple[list[Key], int]:
        p = self.p.tasks
        fee = task.escrow
        creator, winner_share, verifiers = (
            fee * p.creator_bps // BPS,
            fee * p.winner_bps // BPS,
            fee * p.verifier_bps // BPS,
        )
        treasury = fee - creator - winner_share - verifiers
        halvings = (task.id - 1) // p.halving_interval
        block_reward = min(0 if halvings >= 96 else p.initial_block_reward >> halvings, headroom)
        winner_id = 0 if reward_to else task.agent_ids[winner]
        keys: list[Key] = [
            (
                "TaskFinalized",
                task.id,
                winner_id,
                reward_to or ZERO_ADDRESS,
                winner_share,
                block_reward,
                creator,
                verifiers,
                treasury,
            )
        ]
        keys += self._count_settled(task.model_id, frauds)
        task.escrow, task.state = 0, TaskState.FINALIZED
        return keys, block_reward

    def _count_settled(self, model_id: int, frauds: int) -> list[Key]:
        """The redundancy window (library Redundancy): one more settled task."""
        model = self.models[model_id]
        model.window_tasks += 1
        model.window_frauds += frauds
        if model.window_tasks < self.p.tasks.redundancy_window:
            return []
        current, window_frauds = self.k_of(model), model.window_frauds
        if (
            window_frauds > 0
            and window_frauds * BPS >= self.p.tasks.fraud_rate_raise_bps * model.window_tasks
        ):
            if current < MAX_AGENTS:
                model.offset = current + 1 - model.redundancy
        elif window_frauds == 0 and current > self.p.tasks.min_redundancy:
            model.offset = current - 1 - model.redundancy
        model.window_tasks = model.window_frauds = 0
        return [("RedundancyAdjusted", model_id, model.offset, window_frauds)]

    def claim_plan(self, ts: int, caller: str, task_ids: Sequence[int]) -> Revert | int:
        """The error `claim(task_ids)` from `caller` fails with, or the amount it pays."""
        states = {tid: t.state for tid, t in self.tasks.items()}
        agent = self.agent(caller)
        caller_id = agent.id if agent else 0
        earned = 0
        headroom, minted = self.cap - self.ledger.supply, 0
        for task_id in task_ids:
            task = self.tasks.get(task_id)
            if task is None:
                return Revert("TaskManagerUnknownTask", {"taskId": task_id})
            if states[task_id] != TaskState.ACCEPTED:
                return Revert(
                    "TaskManagerWrongState", {"taskId": task_id, "state": int(states[task_id])}
                )
            if ts <= task.deadline:
                return Revert(
                    "TaskManagerNotDue", {"taskId": task_id, "readyAt": task.deadline + 1}
                )
            states[task_id] = TaskState.FINALIZED
            halvings = (task_id - 1) // self.p.tasks.halving_interval
            reward = min(
                0 if halvings >= 96 else self.p.tasks.initial_block_reward >> halvings,
                headroom - minted,
            )
            minted += reward
            if task.agent_ids[task.winner] == caller_id:
                earned += task.escrow * self.p.tasks.winner_bps // BPS + reward
        amount = self.ledger.claimable(caller) + earned
        if amount == 0:
            return Revert("TaskManagerNothingToClaim", {"account": caller})
        return amount

    def claim(self, caller: str, task_ids: Sequence[int], amount: int) -> list[Key]:
        keys: list[Key] = []
        headroom, minted = self.cap - self.ledger.supply, 0
        for task_id in task_ids:
            task = self.tasks[task_id]
            payout, reward = self._payout(task, task.winner, None, 0, headroom - minted)
            keys += payout
            minted += reward
        return [*keys, ("RewardClaimed", caller, amount)]

    # ------------------------------------------------------------------ disputes
