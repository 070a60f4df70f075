"""The node state: what it keeps across a crash, and what it refuses."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from eternal.node.errors import StateError
from eternal.node.state import Job, JobStatus, NodeState, Vote, VoteStatus

OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def _job(task_id: int = 1, attempt: int = 0) -> Job:
    return Job(task_id, attempt, 2, 7, JobStatus.ASSIGNED, commit_deadline=1_000)


def test_a_replayed_assignment_is_recorded_once(tmp_path: Path) -> None:
    state = NodeState(tmp_path / "agent.db", owner=OWNER)
    assert state.add_job(_job())
    assert not state.add_job(_job())
    assert state.add_job(_job(attempt=1))
    assert [(j.task_id, j.attempt) for j in state.jobs()] == [(1, 0), (1, 1)]


def test_sealed_job_keeps_salt_and_digest_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "agent.db"
    state = NodeState(path, owner=OWNER)
    state.add_job(_job())
    state.update_job(
        1, 0, status=JobStatus.SEALED, digest=b"d" * 32, salt=b"s" * 32, output_uri="ipfs://x"
    )
    state.close()
    job = NodeState(path, owner=OWNER).job(1, 0)
    assert job is not None
    assert (job.status, job.digest, job.salt, job.output_uri) == (
        JobStatus.SEALED,
        b"d" * 32,
        b"s" * 32,
        "ipfs://x",
    )


def _seal_then_die(path: Path) -> None:
    state = NodeState(path, owner=OWNER)
    state.add_job(_job())
    state.update_job(1, 0, status=JobStatus.SEALED, digest=b"d" * 32, salt=b"s" * 32)
    os._exit(0)  # no close, no flush by Python: what a kill -9 right after the write leaves


def test_a_committed_write_survives_the_process_dying_without_cleanup(tmp_path: Path) -> None:
    path = tmp_path / "agent.db"
    child = multiprocessing.get_context("fork").Process(target=_seal_then_die, args=(path,))
    child.start()
    child.join()
    job = NodeState(path, owner=OWNER).job(1, 0)
    assert job is not None and job.salt == b"s" * 32


def test_a_state_file_of_another_account_is_refused(tmp_path: Path) -> None:
    NodeState(tmp_path / "agent.db", owner=OWNER).close()
    with pytest.raises(StateError, match="belongs to"):
        NodeState(tmp_path / "agent.db", owner="0x" + "11" * 20)


def test_unknown_job_fields_are_refused(tmp_path: Path) -> None:
    state = NodeState(tmp_path / "agent.db", owner=OWNER)
    with pytest.raises(ValueError, match="not job fields"):
        state.update_job(1, 0, stauts=JobStatus.DONE)


def test_votes_checks_cursor_inputs_and_reveals_round_trip(tmp_path: Path) -> None:
    state = NodeState(tmp_path / "verifier.db", owner=OWNER)
    assert state.add_vote(Vote(3, 9, VoteStatus.PENDING))
    assert not state.add_vote(Vote(3, 9, VoteStatus.PENDING))
    state.update_vote(3, status=VoteStatus.SEALED, vote=b"v" * 32, salt=b"s" * 32)
    assert state.votes(VoteStatus.SEALED) == [Vote(3, 9, VoteStatus.SEALED, b"v" * 32, b"s" * 32)]
    state.record_check(9, "queued")
    assert state.checks_with("queued") == [9] and state.check(9) == "queued"
    assert state.cursor("logs") is None
    state.set_cursor("logs", 41)
    assert state.cursor("logs") == 41
    state.remember_input(9, 1, b"{}", "", b"\0" * 32)
    assert state.task_input(9) == (1, b"{}", "", b"\0" * 32)
    state.remember_reveal(9, 4, b"d" * 32, "ipfs://o")
    assert state.reveal(9, 4) == (b"d" * 32, "ipfs://o") and state.reveal(9, 5) is None


def test_a_second_node_on_the_same_state_is_refused(tmp_path: Path) -> None:
    first = NodeState(tmp_path / "agent.db", owner=OWNER)
    with pytest.raises(StateError, match="in use by another running node"):
        NodeState(tmp_path / "agent.db", owner=OWNER)
    first.close()
    NodeState(tmp_path / "agent.db", owner=OWNER).close()
