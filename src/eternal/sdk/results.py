"""What the SDK hands back: a submission, progress reports while a task runs, and the result.

All frozen dataclasses: they are messages about the chain's state at one moment, not handles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from eternal.models.metadata import ModelMetadata, OutputKind


class Stage(StrEnum):
    """What just happened to a task, in the order it usually happens."""

    SUBMITTED = "submitted"
    ASSIGNED = "assigned"  # k agents drawn (attempt 1: reassigned after nobody revealed)
    COMMITTED = "committed"  # one more agent sealed its answer
    REVEALED = "revealed"  # one more agent opened its seal
    OUTPUT = "output"  # the candidate winner's output is readable (verified, not final yet)
    MISSED = "missed"  # an assigned agent did not commit or did not reveal in time
    ACCEPTED = "accepted"  # the output stands, open to challenges until the deadline
    DISPUTED = "disputed"  # a challenge or a mismatch: a committee decides
    FINALIZED = "finalized"  # paid out, beyond dispute
    REFUNDED = "refunded"  # nobody answered (twice), or a dispute found no honest output


class Status(StrEnum):
    """Where a task stood when `wait` returned."""

    ACCEPTED = "accepted"
    FINALIZED = "finalized"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class TaskOutput:
    """An output read from storage and checked against its digest.

    `value` is the decoded output: str (text), bytes (file), or the JSON structure (json), whose
    files stay `ipfs://<cid>` strings; `files` maps each of those URIs to its bytes. `data` is
    the canonical bytes that were hashed: `digest` = sha256(data).
    """

    kind: OutputKind
    value: Any
    data: bytes
    digest: bytes
    uri: str
    media_type: str | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    """One step of a task, with its counts at that step.

    `agent` is the address concerned (who committed, revealed or missed, or the winner);
    `deadline` is the commit deadline (ASSIGNED) or the challenge deadline (ACCEPTED);
    `output` is set on OUTPUT, `dispute_id` on DISPUTED, `amount` (wei) on REFUNDED.
    """

    stage: Stage
    task_id: int
    attempt: int = 0
    k: int = 0
    committed: int = 0
    revealed: int = 0
    agent: str | None = None
    deadline: int | None = None
    output: TaskOutput | None = None
    dispute_id: int | None = None
    amount: int | None = None
    tx_hash: str | None = None


@dataclass(frozen=True)
class Submission:
    """A submitted prompt: its task id and what submitting it cost.

    `tx_hashes` / `gas_used` cover the approval (if one was needed) and the submission.
    `input_uri` is set when the input was too large to travel inline and went by reference.
    """

    task_id: int
    model_id: int
    user: str
    fee: int
    block_number: int
    metadata: ModelMetadata
    tx_hashes: tuple[str, ...]
    gas_used: int
    input_uri: str | None = None


@dataclass(frozen=True)
class Finality:
    """How final a result is: accepted (challengeable until a deadline), finalized or refunded."""

    status: Status
    challenge_deadline: int | None = None

    @property
    def is_final(self) -> bool:
        return self.status is not Status.ACCEPTED

    def __str__(self) -> str:
        if self.status is Status.ACCEPTED and self.challenge_deadline is not None:
            until = datetime.fromtimestamp(self.challenge_deadline, tz=UTC)
            return f"accepted, challengeable until {until:%Y-%m-%d %H:%M:%S} UTC"
        return self.status.value


@dataclass(frozen=True)
class Result:
    """A task's outcome.

    For a refunded task `output` and its fields are None and `refunded` is the amount returned.
    `tx_hashes` / `gas_used` cover the submission and every transaction this client sent for the
    task while waiting (finalizing it when it was due).
    """

    task_id: int
    model_id: int
    status: Status
    finality: Finality
    output: Any
    output_digest: bytes | None
    output_uri: str | None
    winner: str | None
    files: Mapping[str, bytes]
    fee: int
    refunded: int
    tx_hashes: tuple[str, ...]
    gas_used: int
    media_type: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the task produced an accepted output."""
        return self.status is not Status.REFUNDED
