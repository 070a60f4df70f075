"""`eternal demo` for real (anvil, the example models, node processes), and a devnet's life.

The demo runs once per session as a user would run it, `eternal demo --json`; the tests check
the issue's "done when" facts from its JSON file and that nothing it started outlives it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eternal.chain import find_anvil
from eternal.demo.processes import ProcessRecord

pytestmark = [pytest.mark.slow, pytest.mark.anvil]
ETERNAL = [sys.executable, "-m", "eternal"]


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


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    _require_anvil()
    workdir = tmp_path_factory.mktemp("demo")
    report = workdir / "demo.json"
    done = _eternal("demo", "--json", str(report), "--workdir", str(workdir), timeout=900)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-6000:]
    yield json.loads(report.read_text()), workdir


def test_every_prompt_is_final_with_its_output_saved(demo_run: tuple[dict[str, Any], Path]) -> None:
    facts, _ = demo_run
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
    demo_run: tuple[dict[str, Any], Path],
) -> None:
    facts, _ = demo_run
    cheats = [a["address"] for a in facts["actors"] if a["behaviour"] != "honest"]
    assert cheats and set(cheats) <= set(facts["slashed"])
    assert facts["honest_slashed"] == 0
    # The verdict is on the accused output (the candidate winner's, often an honest one); the
    # committee's majority digest convicts every output that differs from it.
    disputes = facts["disputes"]
    assert disputes and all(d["verdict"] in ("guilty", "innocent") for d in disputes)
    assert [c["address"] for d in disputes for c in d["convicted"]] == cheats
    assert all(sum(c["amount_wei"] for c in d["credited"]) > 0 for d in disputes)


def test_every_eai_is_accounted_for(demo_run: tuple[dict[str, Any], Path]) -> None:
    facts, _ = demo_run
    assert facts["conservation_ok"] is True
    assert facts["supply"]["held_wei"] == facts["supply"]["total_supply_wei"]


def test_nothing_the_demo_started_is_left(demo_run: tuple[dict[str, Any], Path]) -> None:
    facts, workdir = demo_run
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
