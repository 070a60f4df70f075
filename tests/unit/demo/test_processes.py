"""Child processes of a local network, with real processes: stopping one stops what it started."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from eternal.demo.processes import (
    ManagedProcess,
    ProcessRecord,
    descendants,
    marked,
    python_env,
    start_ticks,
    stop_record,
    sweep,
)

# A parent that starts a grandchild in a session of its own (as a node starts a Cog server),
# prints the grandchild's pid, then waits.
PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                         start_new_session=True)
print(child.pid, flush=True)
time.sleep(600)
"""


def _start(tmp_path: Path, *, tied: bool = True) -> tuple[ManagedProcess, int]:
    process = ManagedProcess(
        "parent", [sys.executable, "-c", PARENT], tmp_path / "p.log", tied=tied
    )
    process.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = process.log_path.read_text().strip()
        if text:
            return process, int(text)
        time.sleep(0.05)
    raise AssertionError("the parent never printed its child's pid")


def test_stop_ends_the_process_and_a_grandchild_in_another_session(tmp_path: Path) -> None:
    process, grandchild = _start(tmp_path)
    assert grandchild in {record.pid for record in descendants(process.pid or 0)}

    stopped = process.stop(grace=5)

    assert {record.pid for record in stopped} >= {process.pid, grandchild}
    assert not any(record.alive() for record in stopped)
    assert not process.running


def test_a_detached_process_is_stopped_later_by_its_record(tmp_path: Path) -> None:
    process, grandchild = _start(tmp_path, tied=False)
    record = process.record
    assert record is not None and record.alive()

    family = stop_record(record, grace=5)

    assert {r.pid for r in family} >= {record.pid, grandchild}
    assert start_ticks(grandchild) is None
    process.stop()  # reaps the zombie of our own child


def test_a_record_does_not_match_another_process_with_the_same_pid() -> None:
    mine = ProcessRecord(os.getpid(), start_ticks(os.getpid()) or 0)
    assert mine.alive()
    assert not ProcessRecord(mine.pid, mine.started + 1).alive()


def test_stop_of_a_process_that_already_ended_is_harmless(tmp_path: Path) -> None:
    process = ManagedProcess("quick", [sys.executable, "-c", "pass"], tmp_path / "q.log")
    process.start()
    assert process.process is not None
    process.process.wait(20)
    assert not any(record.alive() for record in process.stop())
    assert process.exit_code == 0


# A parent that starts a grandchild in a session of its own, prints its pid, and exits at once:
# the grandchild is reparented, out of reach of any process-tree walk.
ORPHANING = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                         start_new_session=True)
print(child.pid, flush=True)
"""


def test_sweep_ends_an_orphan_that_carries_the_networks_mark(tmp_path: Path) -> None:
    root = tmp_path / "network"
    parent = ManagedProcess(
        "parent", [sys.executable, "-c", ORPHANING], tmp_path / "o.log", env=python_env(root)
    ).start()
    assert parent.process is not None and parent.process.wait(20) == 0
    orphan = int(parent.log_path.read_text())
    assert orphan in {record.pid for record in marked(root)}
    assert marked(tmp_path / "another") == []

    swept = sweep(root, grace=5)

    assert orphan in {record.pid for record in swept}
    assert start_ticks(orphan) is None and marked(root) == []
    assert (root / "tmp").is_dir()
