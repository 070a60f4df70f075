"""`eternal demo` for real (anvil, the example models, node processes), and a devnet's life.

The demo runs once per module as a user would run it, `eternal demo --json --explorer`, while a
thread reads the explorer's pages as a visitor would (tests/support/page_watch.py). The tests
check the issue's "done when" facts from its JSON file, that the explorer's pages followed the
network live, and that nothing the demo started outlives it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby, pairwise
from pathlib import Path
from typing import Any

import pytest

from eternal.chain import find_anvil
from eternal.demo.processes import ProcessRecord, free_port
from tests.support.page_watch import PageWatch

pytestmark = [pytest.mark.slow, pytest.mark.anvil]
ETERNAL = [sys.executable, "-m", "eternal"]
DEMO_TIMEOUT = 900  # seconds; the demo takes 3-4 minutes on 2 cores


def _require_anvil() -> None:
    binary = find_anvil()
    if binary is None or not binary.is_file():
        pytest.skip("anvil binary not found: run `npm ci`")


def _eternal(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ETERNAL, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _processes_mentioning(folder: Path) -> list[int]:
    """Processes whose command line, working directory or environment names `folder`."""
    found = []
    needle = str(folder).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            seen = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
            seen += os.readlink(entry / "cwd").encode()
        except OSError:
            continue
        if needle in seen:
            found.append(int(entry.name))
    return found


def _end(process: subprocess.Popen[bytes], grace: float = 60.0) -> None:
    """Stop `process` and its process group if it still runs: SIGTERM first, which the demo
    unwinds like Ctrl-C (stopping every node it started), SIGKILL if it is still there after
    `grace` seconds (its nodes die with it: they are tied to it)."""
    for signum, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


def _tail(path: Path, size: int = 6000) -> str:
    return f"--- {path.name}\n" + path.read_text(errors="replace")[-size:]


@dataclass(frozen=True)
class DemoRun:
    facts: dict[str, Any]  # the demo's JSON file
    workdir: Path
    pages: PageWatch  # what the explorer showed while the demo ran


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    _require_anvil()
    base = tmp_path_factory.mktemp("demo")
    # The demo refuses a folder holding files that are not its own: its console goes beside it.
    workdir, out, err = base / "workdir", base / "demo.out", base / "demo.err"
    report = workdir / "demo.json"
    port = free_port()
    argv = [*ETERNAL, "demo", "--json", str(report), "--workdir", str(workdir)]
    argv += ["--explorer", "--explorer-port", str(port)]
    exit_code: int | None = None
    with (
        out.open("wb") as stdout,
        err.open("wb") as stderr,
        PageWatch(f"http://127.0.0.1:{port}") as pages,
    ):
        demo = subprocess.Popen(argv, stdout=stdout, stderr=stderr, start_new_session=True)
        try:
            exit_code = demo.wait(timeout=DEMO_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        finally:
            _end(demo)
    if exit_code != 0:
        ended = f"exited with {exit_code}" if exit_code is not None else "timed out"
        pytest.fail(f"`eternal demo` {ended}\n{_tail(out)}\n{_tail(err)}")
    yield DemoRun(json.loads(report.read_text()), workdir, pages)


def test_every_prompt_is_final_with_its_output_saved(demo_run: DemoRun) -> None:
    facts = demo_run.facts
    prompts = facts["prompts"]
    assert {p["model"] for p in prompts} >= {
        "shakespeare-gpt",
        "silhouette-cvae",
        "bach-chorale",
        "sales-forecast",
    }
    for prompt in prompts:
        assert prompt["status"] == "finalized", prompt
        assert prompt["winner"] and prompt["gas"] > 0
        assert Path(prompt["output_path"]).is_file()
    image = next(p for p in prompts if p["model"] == "silhouette-cvae")
    assert Path(image["output_path"]).read_bytes().startswith(b"\x89PNG")


def test_the_dishonest_agent_is_slashed_and_no_honest_one(
    demo_run: DemoRun,
) -> None:
    facts = demo_run.facts
    cheats = [a["address"] for a in facts["actors"] if a["behaviour"] != "honest"]
    assert cheats and set(cheats) <= set(facts["slashed"])
    assert facts["honest_slashed"] == 0
    # The verdict is on the accused output (the candidate winner's, often an honest one); the
    # committee's majority digest convicts every output that differs from it.
    disputes = facts["disputes"]
    assert disputes and all(d["verdict"] in ("guilty", "innocent") for d in disputes)
    assert [c["address"] for d in disputes for c in d["convicted"]] == cheats
    assert all(sum(c["amount_wei"] for c in d["credited"]) > 0 for d in disputes)


def test_every_eai_is_accounted_for(demo_run: DemoRun) -> None:
    facts = demo_run.facts
    assert facts["conservation_ok"] is True
    assert facts["supply"]["held_wei"] == facts["supply"]["total_supply_wei"]


def test_the_explorer_followed_the_demo_live(demo_run: DemoRun) -> None:
    pages, facts = demo_run.pages, demo_run.facts
    assert pages.problems == []
    seen = pages.overviews
    # About once a second for minutes: a handful of looks would mean it hardly answered.
    assert len(seen) >= 30, f"the overview answered {len(seen)} times"
    task_ids = {prompt["task_id"] for prompt in facts["prompts"]}
    listed = [set(look.tasks) for look in seen]
    # Tasks appear as they are submitted and never vanish; the dishonest agent's prompts go
    # first, alone, until their dispute is settled: the pages showed that batch before the rest.
    assert all(earlier <= later for earlier, later in pairwise(listed))
    assert listed[0] < task_ids and listed[-1] == task_ids
    assert any(set() < ids < task_ids for ids in listed), [sorted(ids) for ids in listed]
    finished = [look.count("finished tasks") for look in seen]
    assert all(
        look.count("open tasks") + look.count("finished tasks") == len(look.tasks) for look in seen
    )
    assert max(look.count("open tasks") for look in seen) > 0
    assert finished == sorted(finished) and finished[-1] == len(task_ids)
    assert seen[-1].tasks == {p["task_id"]: p["status"] for p in facts["prompts"]}
    # The last task submitted, its page looked at from then on: it showed the task in flight,
    # then final (a single snapshot would show one state).
    newest = max(task_ids)
    assert set(pages.task_states) <= task_ids and newest in pages.task_states
    shown = [state for state, _ in groupby(look.state for look in pages.task_states[newest])]
    final = next(p["status"] for p in facts["prompts"] if p["task_id"] == newest)
    assert len(shown) >= 2 and shown[-1] == final and final not in shown[:-1], shown


def test_nothing_the_demo_started_is_left(demo_run: DemoRun) -> None:
    facts, workdir = demo_run.facts, demo_run.workdir
    assert facts["processes"]["started"] > 0 and facts["processes"]["left_running"] == 0
    assert _processes_mentioning(workdir) == []
    # Without --keep only the outputs (and the JSON) remain: logs, blobs and TMPDIR are gone.
    assert not (workdir / "network").exists()


def test_a_devnet_comes_up_reports_its_processes_and_goes_down_without_a_trace(
    tmp_path: Path,
) -> None:
    _require_anvil()
    directory = tmp_path / "devnet"
    started = _eternal(
        "devnet", "up", "--dir", str(directory), "--model", "bach-chorale", timeout=400
    )
    assert started.returncode == 0, started.stdout[-4000:] + started.stderr[-4000:]
    try:
        state = json.loads((directory / "devnet.json").read_text())
        status = _eternal("devnet", "status", "--dir", str(directory), timeout=60)
        assert status.returncode == 0, status.stdout
        assert "bach-chorale agent 3" in status.stdout and "verifier 4" in status.stdout
        node = state["nodes"][0]
        environ = Path(f"/proc/{node['pid']}/environ").read_bytes().split(b"\0")
        assert f"TMPDIR={directory / 'tmp'}".encode() in environ
    finally:
        stopped = _eternal("devnet", "down", "--dir", str(directory), timeout=120)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    records = [ProcessRecord(p["pid"], p["started"]) for p in [*state["nodes"], state["chain"]]]
    assert not any(record.alive() for record in records)
    assert _processes_mentioning(directory) == []
    assert not directory.exists()
    assert _eternal("devnet", "status", "--dir", str(directory), timeout=60).returncode == 1
