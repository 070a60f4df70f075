"""What a node must not forget across a crash, in SQLite.

The rule that makes `kill -9` safe: a node writes what it is about to do (the salt and digest
of a commit, the salt of a vote) and commits the SQLite transaction *before* it sends the chain
transaction, and on restart it reconciles each unfinished row with the chain (did the commit
land?) instead of trusting its own last step. WAL mode with synchronous=FULL: a committed row
survives a power cut.
"""

from __future__ import annotations

import fcntl
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from eternal.node.errors import StateError


class JobStatus(StrEnum):
    """An agent's assignment, in the order it moves (DONE, FAILED and LOST end it)."""

    ASSIGNED = "assigned"  # seen on chain, not computed yet
    SEALED = "sealed"  # output stored, salt and digest saved; the commit may or may not have landed
    COMMITTED = "committed"  # our commit is on chain
    REVEALED = "revealed"  # our reveal is on chain; waiting for the task to resolve
    WON = "won"  # accepted with us as winner: claim after the challenge window
    DONE = "done"  # nothing left to do (paid, lost to another winner, refunded, disputed away)
    FAILED = "failed"  # could not compute (the model failed on this input): we miss it
    LOST = "lost"  # a deadline passed before we could act


@dataclass(frozen=True)
class Job:
    task_id: int
    attempt: int
    agent_index: int
    model_id: int
    status: JobStatus
    commit_deadline: int
    digest: bytes | None = None
    salt: bytes | None = None
    output_uri: str | None = None
    claim_after: int | None = None
    error: str | None = None


class VoteStatus(StrEnum):
    PENDING = "pending"  # on the committee, vote not decided yet
    SEALED = "sealed"  # vote and salt saved; the commit may or may not have landed
    COMMITTED = "committed"
    REVEALED = "revealed"
    DONE = "done"
    MISSED = "missed"


@dataclass(frozen=True)
class Vote:
    dispute_id: int
    task_id: int
    status: VoteStatus
    vote: bytes | None = None
    salt: bytes | None = None
    error: str | None = None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cursor (name TEXT PRIMARY KEY, block INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    task_id INTEGER NOT NULL, attempt INTEGER NOT NULL, agent_index INTEGER NOT NULL,
    model_id INTEGER NOT NULL, status TEXT NOT NULL, commit_deadline INTEGER NOT NULL,
    digest BLOB, salt BLOB, output_uri TEXT, claim_after INTEGER, error TEXT,
    updated_at REAL NOT NULL, PRIMARY KEY (task_id, attempt));
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status);
CREATE TABLE IF NOT EXISTS votes (
    dispute_id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL, status TEXT NOT NULL,
    vote BLOB, salt BLOB, error TEXT, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS votes_by_status ON votes (status);
CREATE TABLE IF NOT EXISTS checks (
    task_id INTEGER PRIMARY KEY, verdict TEXT NOT NULL, detail TEXT, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS checks_by_verdict ON checks (verdict);
CREATE TABLE IF NOT EXISTS task_inputs (
    task_id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL, input BLOB NOT NULL,
    input_uri TEXT NOT NULL, input_digest BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS reveals (
    task_id INTEGER NOT NULL, agent_id INTEGER NOT NULL, digest BLOB NOT NULL,
    output_uri TEXT NOT NULL, PRIMARY KEY (task_id, agent_id));
"""


class NodeState:
    """One SQLite file per node; safe to share between the node's threads."""

    def __init__(self, path: Path, *, owner: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StateError(f"cannot open the node state {path}: {exc}") from exc
        self._lock = threading.RLock()
        self._exclusive = _lock_file(path)
        self._claim_owner(path, owner)

    def _claim_owner(self, path: Path, owner: str) -> None:
        # One database, one account: resuming another account's commitments would fail anyway.
        row = self._db.execute("SELECT value FROM meta WHERE key = 'owner'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('owner', ?)", (owner,))
        elif row[0] != owner:
            raise StateError(f"{path} belongs to {row[0]}, not {owner}: use another data dir")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._exclusive.close()  # releases the flock

    # ------------------------------------------------------------------ cursor

    def cursor(self, name: str) -> int | None:
        row = self._db.execute("SELECT block FROM cursor WHERE name = ?", (name,)).fetchone()
        return None if row is None else int(row[0])

    def set_cursor(self, name: str, block: int) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO cursor VALUES (?, ?)", (name, block))

    # ------------------------------------------------------------------ agent jobs

    def add_job(self, job: Job) -> bool:
        """Record an assignment once; False if it was already known (a replayed log)."""
        with self._transaction() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO jobs (task_id, attempt, agent_index, model_id, status,"
                " commit_deadline, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    job.task_id,
                    job.attempt,
                    job.agent_index,
                    job.model_id,
                    job.status,
                    job.commit_deadline,
                    time.time(),
                ),
            ).rowcount
        return bool(inserted)

    def update_job(self, task_id: int, attempt: int, **changes: Any) -> None:
        allowed = {f.name for f in fields(Job)} - {"task_id", "attempt"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not job fields: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self._transaction() as db:
            db.execute(
                f"UPDATE jobs SET {assignments}, updated_at = ? WHERE task_id = ? AND attempt = ?",
                (*changes.values(), time.time(), task_id, attempt),
            )

    def jobs(self, *statuses: JobStatus) -> list[Job]:
        query = "SELECT * FROM jobs"
        if statuses:
            query += f" WHERE status IN ({', '.join('?' for _ in statuses)})"
        rows = self._db.execute(query + " ORDER BY task_id, attempt", statuses).fetchall()
        return [_job(row) for row in rows]

    def jobs_of_task(self, task_id: int) -> list[Job]:
        rows = self._db.execute(
            "SELECT * FROM jobs WHERE task_id = ? ORDER BY attempt", (task_id,)
        ).fetchall()
        return [_job(row) for row in rows]

    def job(self, task_id: int, attempt: int) -> Job | None:
        row = self._db.execute(
            "SELECT * FROM jobs WHERE task_id = ? AND attempt = ?", (task_id, attempt)
        ).fetchone()
        return None if row is None else _job(row)

    # ------------------------------------------------------------------ verifier

    def add_vote(self, vote: Vote) -> bool:
        with self._transaction() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO votes (dispute_id, task_id, status, updated_at)"
                " VALUES (?, ?, ?, ?)",
                (vote.dispute_id, vote.task_id, vote.status, time.time()),
            ).rowcount
        return bool(inserted)

    def update_vote(self, dispute_id: int, **changes: Any) -> None:
        allowed = {f.name for f in fields(Vote)} - {"dispute_id", "task_id"}
        if set(changes) - allowed:
            raise ValueError(f"not vote fields: {sorted(set(changes) - allowed)}")
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self._transaction() as db:
            db.execute(
                f"UPDATE votes SET {assignments}, updated_at = ? WHERE dispute_id = ?",
                (*changes.values(), time.time(), dispute_id),
            )

    def votes(self, *statuses: VoteStatus) -> list[Vote]:
        query = "SELECT dispute_id, task_id, status, vote, salt, error FROM votes"
        if statuses:
            query += f" WHERE status IN ({', '.join('?' for _ in statuses)})"
        rows = self._db.execute(query + " ORDER BY dispute_id", statuses).fetchall()
        return [Vote(r[0], r[1], VoteStatus(r[2]), r[3], r[4], r[5]) for r in rows]

    def record_check(self, task_id: int, verdict: str, detail: str = "") -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO checks VALUES (?, ?, ?, ?)",
                (task_id, verdict, detail, time.time()),
            )

    def checks_with(self, verdict: str) -> list[int]:
        rows = self._db.execute("SELECT task_id FROM checks WHERE verdict = ?", (verdict,))
        return [int(row[0]) for row in rows.fetchall()]

    def check(self, task_id: int) -> str | None:
        row = self._db.execute(
            "SELECT verdict FROM checks WHERE task_id = ?", (task_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    # ------------------------------------------------------------------ what the logs told us

    def remember_input(
        self, task_id: int, model_id: int, raw: bytes, uri: str, digest: bytes
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO task_inputs VALUES (?, ?, ?, ?, ?)",
                (task_id, model_id, raw, uri, digest),
            )

    def task_input(self, task_id: int) -> tuple[int, bytes, str, bytes] | None:
        row = self._db.execute(
            "SELECT model_id, input, input_uri, input_digest FROM task_inputs WHERE task_id = ?",
            (task_id,),
        ).fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]), str(row[2]), bytes(row[3]))

    def remember_reveal(self, task_id: int, agent_id: int, digest: bytes, uri: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO reveals VALUES (?, ?, ?, ?)",
                (task_id, agent_id, digest, uri),
            )

    def reveal(self, task_id: int, agent_id: int) -> tuple[bytes, str] | None:
        row = self._db.execute(
            "SELECT digest, output_uri FROM reveals WHERE task_id = ? AND agent_id = ?",
            (task_id, agent_id),
        ).fetchone()
        return None if row is None else (bytes(row[0]), str(row[1]))


def _lock_file(path: Path) -> IO[str]:
    """Hold an exclusive lock beside the database for the node's lifetime: two processes
    acting for one account would race each other's commits and reveals."""
    handle = open(path.with_name(path.name + ".lock"), "a+")  # noqa: SIM115 - held until close
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise StateError(f"{path} is in use by another running node (stop it first)") from exc
    return handle


def _job(row: tuple[Any, ...]) -> Job:
    (
        task_id,
        attempt,
        index,
        model_id,
        status,
        deadline,
        digest,
        salt,
        uri,
        claim_after,
        error,
        _updated,
    ) = row
    return Job(
        task_id=task_id,
        attempt=attempt,
        agent_index=index,
        model_id=model_id,
        status=JobStatus(status),
        commit_deadline=deadline,
        digest=None if digest is None else bytes(digest),
        salt=None if salt is None else bytes(salt),
        output_uri=uri,
        claim_after=claim_after,
        error=error,
    )
