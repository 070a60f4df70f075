"""The records the reference model keeps, and how it names events and errors.

A `Key` is an event as the model predicts it: its name and every field. `Revert` is a custom
error a call must fail with, by name and arguments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import DisputeState, Verdict
from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.bindings.verifier_registry import VerifierStatus

if TYPE_CHECKING:
    from eternal.chain.params import ProtocolParams
    from tests.support.ledger import Ledger

BPS = 10_000
NO_WINNER = 7
MAX_AGENTS = 6
MIN_COMMITTEE = 3
ZERO_WORD = bytes(32)
UNPREDICTED = frozenset(
    {"Transfer", "Approval", "OwnershipTransferred", "OwnershipTransferStarted"}
)

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Revert:
    """A custom error a call must revert with."""

    name: str
    args: dict[str, Any]


def event_key(event: ContractEvent) -> Key:
    """The event as the model predicts it: its name and every field (lists as tuples)."""
    meta = {"tx_hash", "block_number", "log_index", "address"}
    values = (getattr(event, f.name) for f in fields(event) if f.name not in meta)
    return (type(event).__name__, *(tuple(v) if isinstance(v, list) else v for v in values))


def predicted_keys(events: Iterable[ContractEvent]) -> Counter[Key]:
    return Counter(event_key(e) for e in events if type(e).__name__ not in UNPREDICTED)


# ---------------------------------------------------------------------- records


@dataclass
class ModelRecord:
    id: int
    fee: int
    min_stake: int
    redundancy: int
    tolerant: bool
    offset: int = 0
    window_tasks: int = 0
    window_frauds: int = 0


@dataclass
class AgentRecord:
    account: LocalAccount
    model_id: int
    honest: bool
    id: int = 0
    status: AgentStatus = AgentStatus.NONE
    until: int = 0
    locks: int = 0

    @property
    def address(self) -> str:
        return str(self.account.address)


@dataclass
class VerifierRecord:
    account: LocalAccount
    contrarian: bool
    id: int = 0
    status: VerifierStatus = VerifierStatus.NONE
    until: int = 0
    locks: int = 0
    last_seen: int = 0

    @property
    def address(self) -> str:
        return str(self.account.address)


@dataclass
class TaskRecord:
    id: int
    model_id: int
    user: str
    escrow: int
    tolerant: bool
    agent_ids: tuple[int, ...]
    deadline: int
    state: TaskState = TaskState.COMMITTING
    attempt: int = 0
    committed: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)  # index -> digest, salt
    commit_order: list[int] = field(default_factory=list)
    revealed: dict[int, bytes] = field(default_factory=dict)  # index -> digest
    winner: int = NO_WINNER
    mismatch: bool = False
    dispute_id: int | None = None

    @property
    def k(self) -> int:
        return len(self.agent_ids)


@dataclass
class DisputeRecord:
    id: int
    task_id: int
    challenger: str | None
    bond: int
    tolerant: bool
    accused: int
    committee: tuple[int, ...]
    agent_mask: frozenset[int]
    deadline: int
    reveal_window: int
    state: DisputeState = DisputeState.COMMITTING
    verdict: Verdict = Verdict.NONE
    commits: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)  # member -> vote, salt
    reveals: list[tuple[int, bytes]] = field(default_factory=list)  # (member, counted vote)

    @property
    def automatic(self) -> bool:
        return self.challenger is None

    def phase(self, ts: int) -> tuple[DisputeState, int]:
        """State and deadline as of `ts` (the commit phase ends by itself)."""
        if self.state == DisputeState.COMMITTING and ts > self.deadline:
            return DisputeState.REVEALING, self.deadline + self.reveal_window
        return self.state, self.deadline

    def revealed_by(self, member: int) -> bool:
        return any(m == member for m, _ in self.reveals)


class ReferenceState:
    """What the rule mixins (tasks, disputes, staking) share; set by `Reference.__init__`."""

    p: ProtocolParams
    ledger: Ledger
    contracts: dict[str, str]
    cap: int
    models: dict[int, ModelRecord]
    agents: dict[int, AgentRecord]
    verifiers: dict[int, VerifierRecord]
    tasks: dict[int, TaskRecord]
    disputes: dict[int, DisputeRecord]
