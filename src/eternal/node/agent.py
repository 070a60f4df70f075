"""The agent daemon: computes the prompts it is drawn for, commits, reveals, claims.

Each assignment is a `Job` in the node state and moves one step per tick:

    ASSIGNED --compute, store output, save salt+digest--> SEALED --commit--> COMMITTED
        --reveal--> REVEALED --accepted, ours--> WON --claim after the window--> DONE

Every step first asks the chain whether it already happened (a commit sent just before a
`kill -9` may have landed), so a restarted agent neither commits twice nor forgets to reveal.
Computation runs in a thread pool (`concurrency` tasks at once); chain steps run in the loop.
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from enum import StrEnum

from eth_account.signers.local import LocalAccount

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.agent_staking import AgentPenalized, AgentSlashed, AgentStatus
from eternal.chain.bindings.task_manager import (
    RewardClaimed,
    TaskAccepted,
    TaskAssigned,
    TaskDisputed,
    TaskFinalized,
    TaskMissed,
    TaskRefunded,
    TaskState,
    TaskSubmitted,
    TaskView,
)
from eternal.chain.protocol import Protocol
from eternal.chain.seals import new_salt, task_seal
from eternal.errors import ContractError, EternalError
from eternal.node.base import NodeBase
from eternal.node.errors import NodeError
from eternal.node.metrics import NodeMetrics
from eternal.node.models import Computation, ModelHost
from eternal.node.state import Job, JobStatus, NodeState
from eternal.storage.cid import uri_of
from eternal.storage.store import BlobStore

_OPEN = (JobStatus.ASSIGNED, JobStatus.SEALED, JobStatus.COMMITTED, JobStatus.REVEALED)


class Behaviour(StrEnum):
    """How the agent answers. Only `honest` is for real use: the others exist to show (in the
    demo and the tests) that the protocol catches and punishes them."""

    HONEST = "honest"
    WRONG_OUTPUT = "wrong-output"  # computes, then reveals a corrupted output
    NO_REVEAL = "no-reveal"  # commits, never reveals


class AgentNode(NodeBase):
    name = "agent"

    def __init__(
        self,
        protocol: Protocol,
        account: LocalAccount,
        state: NodeState,
        models: ModelHost,
        store: BlobStore,
        *,
        model_id: int,
        stake: int,
        concurrency: int = 2,
        behaviour: Behaviour = Behaviour.HONEST,
        metrics: NodeMetrics | None = None,
        log_range: int = 2_000,
    ) -> None:
        super().__init__(
            protocol,
            account,
            state,
            models,
            store,
            stake=stake,
            concurrency=concurrency,
            metrics=metrics,
            log_range=log_range,
        )
        self.model_id = model_id
        self.behaviour = behaviour
        self.agent_id = 0
        self._computing: dict[tuple[int, int], Future[Computation]] = {}
        self._seen_at: dict[tuple[int, int], float] = {}

    # ------------------------------------------------------------------ lifecycle

    def setup(self) -> None:
        agents = self.protocol.agents
        info = agents.agent_info(self.address)
        if info.status in (AgentStatus.NONE, AgentStatus.DEACTIVATED):
            self.require_balance(self.stake_amount, "to stake")
            self.ensure_allowance(agents.address, self.stake_amount)
            self.send("stake", lambda: agents.stake(self.account, self.model_id, self.stake_amount))
            self.log.info("staked %s wei on model %d", self.stake_amount, self.model_id)
        elif info.model_id != self.model_id:
            raise NodeError(
                f"{self.address} is staked on model {info.model_id}, not {self.model_id}"
            )
        elif info.status is AgentStatus.EXPELLED:
            raise NodeError(f"{self.address} was expelled from the agent pool")
        self.agent_id = agents.id_of(self.address)
        self.models.warm(self.model_id)

    def tick(self) -> None:
        self.follow(self._on_event)
        self._rejoin_when_due()
        self._collect_computations()
        for job in self.state.jobs(*_OPEN, JobStatus.WON):
            self._step(job)
        self._claim_due()

    # ------------------------------------------------------------------ events

    def _on_event(self, event: ContractEvent) -> None:
        match event:
            case TaskSubmitted(model_id=model_id) if model_id == self.model_id:
                self.state.remember_input(
                    event.task_id, model_id, event.input, event.input_uri, event.input_digest
                )
            case TaskAssigned() if self.agent_id in event.agent_ids:
                job = Job(
                    task_id=event.task_id,
                    attempt=event.attempt,
                    agent_index=event.agent_ids.index(self.agent_id),
                    model_id=self.model_id,
                    status=JobStatus.ASSIGNED,
                    commit_deadline=event.commit_deadline,
                )
                if self.state.add_job(job):
                    self._seen_at[(job.task_id, job.attempt)] = time.monotonic()
                    self.log.info("assigned task %d (attempt %d)", job.task_id, job.attempt)
            case TaskMissed(agent_id=agent_id) if agent_id == self.agent_id:
                self._end(event.task_id, JobStatus.LOST, "missed")
            case AgentPenalized(id=agent_id) if agent_id == self.agent_id:
                self.metrics.penalties.labels(kind="miss").inc()
            case AgentSlashed(id=agent_id) if agent_id == self.agent_id:
                self.metrics.penalties.labels(kind="slash").inc()
                self.log.warning("slashed %d wei", event.amount)
            case TaskAccepted():
                self._on_accepted(event)
            case TaskDisputed() | TaskRefunded() | TaskFinalized():
                outcome = type(event).__name__.removeprefix("Task").lower()
                self._end(event.task_id, JobStatus.DONE, outcome, keep_won=True)

    def _on_accepted(self, event: TaskAccepted) -> None:
        for job in self.state.jobs_of_task(event.task_id):
            if job.status is JobStatus.REVEALED and event.winner_id == self.agent_id:
                self.state.update_job(
                    job.task_id,
                    job.attempt,
                    status=JobStatus.WON,
                    claim_after=event.challenge_deadline,
                )
            elif job.status in _OPEN:
                self._finish(job, JobStatus.DONE, "other_winner")

    def _end(
        self, task_id: int, status: JobStatus, outcome: str, *, keep_won: bool = False
    ) -> None:
        for job in self.state.jobs_of_task(task_id):
            if job.status in _OPEN or (job.status is JobStatus.WON and not keep_won):
                self._finish(job, status, outcome)
            elif job.status is JobStatus.WON and outcome in ("disputed", "finalized"):
                # Paid (or credited) by whoever finalized or by the dispute: claim sweeps it.
                self._finish(job, JobStatus.DONE, outcome)

    def _finish(self, job: Job, status: JobStatus, outcome: str) -> None:
        self.state.update_job(job.task_id, job.attempt, status=status)
        self.metrics.tasks.labels(outcome=outcome).inc()
        seen = self._seen_at.pop((job.task_id, job.attempt), None)
        if seen is not None:
            self.metrics.end_to_end_seconds.observe(time.monotonic() - seen)

    # ------------------------------------------------------------------ steps

    def _step(self, job: Job) -> None:
        if job.status is JobStatus.ASSIGNED:
            self._start_computation(job)
        elif job.status is JobStatus.SEALED:
            self._commit(job)
        elif job.status is JobStatus.COMMITTED:
            self._reveal(job)
        elif job.status is JobStatus.REVEALED:
            self._finalize_when_due(job)

    def _start_computation(self, job: Job) -> None:
        key = (job.task_id, job.attempt)
        if key in self._computing:
            return
        if self.now() > job.commit_deadline:
            self._finish(job, JobStatus.LOST, "late")
            return
        self._computing[key] = self.pool.submit(self.models.compute_task, job.task_id, self.state)

    def _collect_computations(self) -> None:
        for key, future in list(self._computing.items()):
            if not future.done():
                continue
            del self._computing[key]
            job = self.state.job(*key)
            if job is None or job.status is not JobStatus.ASSIGNED:
                continue
            try:
                computation = future.result()
            except EternalError as exc:
                self.log.error("task %d: could not compute: %s", job.task_id, exc)
                self.metrics.errors.labels(kind=type(exc).__name__).inc()
                self.state.update_job(*key, status=JobStatus.FAILED, error=str(exc))
                self.metrics.tasks.labels(outcome="failed").inc()
                continue
            self.metrics.compute_seconds.observe(computation.seconds)
            self._seal(job, self._answer(computation))

    def _answer(self, computation: Computation) -> Computation:
        if self.behaviour is Behaviour.WRONG_OUTPUT:
            return computation.corrupted()
        return computation

    def _seal(self, job: Job, computation: Computation) -> None:
        for blob in computation.files.values():
            self.store.put(blob)
        output_uri = uri_of(self.store.put(computation.data))
        # Saved before the commit is sent: after a crash the reveal can still open the seal.
        self.state.update_job(
            job.task_id,
            job.attempt,
            status=JobStatus.SEALED,
            digest=computation.digest,
            salt=new_salt(),
            output_uri=output_uri,
        )
        sealed = self.state.job(job.task_id, job.attempt)
        assert sealed is not None
        self._commit(sealed)

    def _commit(self, job: Job) -> None:
        assert job.digest is not None and job.salt is not None
        tasks = self.protocol.tasks
        if tasks.commitment(job.task_id, job.agent_index) != bytes(32):
            self.state.update_job(job.task_id, job.attempt, status=JobStatus.COMMITTED)
            return
        seal = task_seal(job.task_id, self.address, job.digest, job.salt)
        outcome = self.send(
            "commit",
            lambda: tasks.commit(self.account, job.task_id, job.agent_index, seal),
            tolerate=(
                "TaskManagerCommitClosed",
                "TaskManagerWrongState",
                "TaskManagerAlreadyCommitted",
                "TaskManagerNotAssigned",
            ),
        )
        if isinstance(outcome, ContractError) and outcome.name != "TaskManagerAlreadyCommitted":
            self._finish(job, JobStatus.LOST, "commit_refused")
            return
        self.state.update_job(job.task_id, job.attempt, status=JobStatus.COMMITTED)
        self.log.info("committed task %d", job.task_id)

    def _reveal(self, job: Job) -> None:
        if self.behaviour is Behaviour.NO_REVEAL:
            return
        task = self.protocol.tasks.task(job.task_id)
        if task.attempt != job.attempt:
            self._finish(job, JobStatus.LOST, "reassigned")
            return
        if task.revealed_mask >> job.agent_index & 1:
            self.state.update_job(job.task_id, job.attempt, status=JobStatus.REVEALED)
            return
        if not _reveal_open(task, self.now()):
            return
        digest, salt, uri = job.digest, job.salt, job.output_uri
        assert digest is not None and salt is not None and uri is not None
        tasks = self.protocol.tasks
        outcome = self.send(
            "reveal",
            lambda: tasks.reveal(self.account, job.task_id, job.agent_index, digest, salt, uri),
            tolerate=(
                "TaskManagerRevealNotOpen",
                "TaskManagerRevealClosed",
                "TaskManagerAlreadyRevealed",
                "TaskManagerWrongState",
            ),
        )
        if isinstance(outcome, ContractError):
            if outcome.name == "TaskManagerRevealNotOpen":
                return
            if outcome.name != "TaskManagerAlreadyRevealed":
                self._finish(job, JobStatus.LOST, "reveal_refused")
                return
        self.state.update_job(job.task_id, job.attempt, status=JobStatus.REVEALED)
        self.log.info("revealed task %d", job.task_id)

    def _finalize_when_due(self, job: Job) -> None:
        """Others may never reveal: after the reveal deadline anyone resolves the task."""
        task = self.protocol.tasks.task(job.task_id)
        if task.state is TaskState.REVEALING and self.now() > task.deadline:
            self.send(
                "finalize",
                lambda: self.protocol.tasks.finalize(self.account, job.task_id),
                tolerate=("TaskManagerNotDue", "TaskManagerWrongState"),
            )

    def _claim_due(self) -> None:
        now = self.now()
        due = [
            job.task_id
            for job in self.state.jobs(JobStatus.WON)
            if job.claim_after is not None and now > job.claim_after
        ]
        tasks = self.protocol.tasks
        if not due and tasks.claimable(self.address) == 0:
            return
        outcome = self.send(
            "claim",
            lambda: tasks.claim(self.account, due),
            tolerate=(
                "TaskManagerNothingToClaim",
                "TaskManagerWrongState",
                "TaskManagerChallengeClosed",
                "TaskManagerNotDue",
            ),
        )
        if isinstance(outcome, ContractError):
            return
        for event in tasks.events(outcome):
            if isinstance(event, RewardClaimed) and event.account == self.address:
                self.metrics.reward(event.amount)
                self.log.info("claimed %s EAI (tasks %s)", f"{event.amount / 10**18:g}", due)
        for task_id in due:
            for job in self.state.jobs_of_task(task_id):
                if job.status is JobStatus.WON:
                    self._finish(job, JobStatus.DONE, "paid")

    def _rejoin_when_due(self) -> None:
        """Back into the pool after a penalty, topping the stake up to our target first
        (a miss slashes a little, which can leave it under the model's minimum)."""
        agents = self.protocol.agents
        info = agents.agent_info(self.address)
        if info.status is not AgentStatus.PENALIZED or self.now() <= info.until:
            return
        missing = self.stake_amount - info.stake
        if missing > 0:
            self.require_balance(missing, "to top the stake up")
            self.ensure_allowance(agents.address, missing)
            self.send("stake", lambda: agents.stake(self.account, self.model_id, missing))
        self.send(
            "rejoin", lambda: agents.rejoin(self.account), tolerate=("AgentStakingStillPenalized",)
        )


def _reveal_open(task: TaskView, now: int) -> bool:
    if task.state is TaskState.REVEALING:
        return True
    return task.state is TaskState.COMMITTING and (
        task.commit_count == task.k or now > task.deadline
    )
