"""What each page renders: frozen snapshots built by `eternal.explorer.views.Explorer`.

They hold index records by reference (rendered under the explorer's lock) next to the values
the contracts' views answered for this request.
"""

from __future__ import annotations

from dataclasses import dataclass

from eternal.chain.bindings.agent_staking import Agent
from eternal.chain.bindings.dispute_manager import DisputeView
from eternal.chain.bindings.model_registry import ModelTerms
from eternal.chain.bindings.task_manager import TaskView
from eternal.chain.bindings.verifier_registry import Verifier
from eternal.explorer.outputs import ShownOutput
from eternal.explorer.records import (
    AgentRecord,
    DisputeRecord,
    ModelRecord,
    NetworkIndex,
    Reveal,
    TaskRecord,
    VerifierRecord,
    VoteCommit,
    VoteReveal,
)
from eternal.explorer.timeline import Step
from eternal.models.metadata import ModelMetadata


@dataclass(frozen=True)
class Supply:
    total: int
    cap: int
    treasury: int  # held by the treasury contract
    treasury_accrued: int  # owed to the treasury by the task manager, not swept yet
    staked_by_agents: int
    staked_by_verifiers: int
    held_for_tasks: int  # escrows and unclaimed rewards in the task manager


@dataclass(frozen=True)
class AgentRow:
    record: AgentRecord
    info: Agent


@dataclass(frozen=True)
class VerifierRow:
    record: VerifierRecord
    info: Verifier


@dataclass(frozen=True)
class Overview:
    index: NetworkIndex
    models: list[tuple[ModelRecord, str, int]]  # record, name, pool size
    model_names: dict[int, str]
    agents: list[AgentRow]
    verifiers: list[VerifierRow]
    active_agents: int
    verifier_pool: int
    open_tasks: int
    finished_tasks: int
    prompts_per_minute: float
    recent_tasks: list[TaskRecord]
    recent_disputes: list[DisputeRecord]
    supply: Supply


@dataclass(frozen=True)
class Slot:
    """Agent index `index` of a task: who, and how far it got."""

    index: int
    agent_id: int
    address: str | None
    committed: int | None  # commit order, 0 first
    reveal: Reveal | None
    missed: bool
    winner: bool
    convicted: bool  # of fraud, by one of the task's disputes
    agrees: bool | None  # its digest equals the winner's (None: no reveal or no winner)


@dataclass(frozen=True)
class TaskPage:
    task: TaskRecord
    view: TaskView
    model: ModelRecord | None
    model_name: str
    inputs: str  # the input as a page shows it (pretty JSON, text or hex)
    slots: list[Slot]
    steps: list[Step]
    winner: Slot | None
    output: ShownOutput | None
    disputes: list[DisputeRecord]


@dataclass(frozen=True)
class AgentPage:
    record: AgentRecord
    info: Agent
    claimable: int
    model_name: str


@dataclass(frozen=True)
class VerifierPage:
    record: VerifierRecord
    info: Verifier
    claimable: int
    missed_epochs: int


@dataclass(frozen=True)
class Member:
    """A committee seat: who, its vote, and what it got or paid."""

    verifier_id: int
    address: str | None
    committed: VoteCommit | None
    revealed: VoteReveal | None
    stance: str | None  # "for" / "against" the accused output, once revealed
    credited: int
    penalty: int | None


@dataclass(frozen=True)
class DisputePage:
    dispute: DisputeRecord
    view: DisputeView
    task: TaskRecord | None
    accused: Slot | None
    members: list[Member]
    convicted: list[tuple[int, str | None, int]]  # agent id, address, slashed


@dataclass(frozen=True)
class ModelPage:
    index: NetworkIndex
    record: ModelRecord
    metadata: ModelMetadata | None
    metadata_problem: str | None
    owner: str
    terms: ModelTerms
    redundancy_now: int
    pool_size: int
    income_unclaimed: int
    agents: list[AgentRow]
    recent_tasks: list[TaskRecord]
