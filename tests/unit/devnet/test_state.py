"""devnet.json: what a devnet runs, saved by `up` and read back by `status` and `down`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eternal.demo.errors import DemoError
from eternal.demo.processes import start_ticks
from eternal.devnet.state import STATE_FILE, ChainEntry, DevnetState, ModelEntry, NodeEntry


def _state(directory: Path) -> DevnetState:
    me = os.getpid()
    return DevnetState(
        directory=directory,
        chain=ChainEntry(
            pid=me,
            started=start_ticks(me) or 0,
            log=directory / "chain.log",
            kind="anvil",
            url="http://127.0.0.1:20001",
        ),
        deployment=directory / "deployment.json",
        models=(ModelEntry(name="bach-chorale", model_id=1, mode="exact"),),
        nodes=(
            NodeEntry(
                pid=me,
                started=(start_ticks(me) or 0) + 1,
                log=directory / "n.log",
                label="bach-chorale agent 1",
                role="agent",
                address="0x" + "ab" * 20,
                behaviour="honest",
                model="bach-chorale",
                model_id=1,
                metrics_port=20002,
                home=directory / "nodes" / "a",
            ),
        ),
        explorer=None,
        clients={"user": directory / "user" / "config.toml"},
        password_file=directory / "password",
    )


def test_a_saved_state_reads_back_the_same(tmp_path: Path) -> None:
    state = _state(tmp_path)
    state.save()
    assert DevnetState.load(tmp_path) == state
    assert state.nodes[0].metrics_url == "http://127.0.0.1:20002/metrics"


def test_records_tell_a_live_process_from_a_reused_pid(tmp_path: Path) -> None:
    state = _state(tmp_path)
    assert state.chain.record.alive()  # this very process
    assert not state.nodes[0].record.alive()  # same pid, another start time
    assert state.processes()[-1] == state.chain  # stopped last


def test_no_state_is_none_and_a_broken_one_is_an_error(tmp_path: Path) -> None:
    assert DevnetState.load(tmp_path) is None
    (tmp_path / STATE_FILE).write_text('{"directory": 3}')
    with pytest.raises(DemoError, match="does not describe a devnet"):
        DevnetState.load(tmp_path)
