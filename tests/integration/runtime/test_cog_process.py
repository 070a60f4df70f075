"""CogProcess: Cog's server as a child process, started, logged and always ended."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from eternal.runtime import CogProcess, ModelStartError
from tests.integration.runtime.conftest import MODELS, group_members

CHILD = """
import sys, time
from pathlib import Path
from eternal.runtime import CogProcess
server = CogProcess(Path(sys.argv[1])).start()
print(server.process.pid, flush=True)
time.sleep(600)
"""


def test_a_server_dies_with_the_process_that_started_it() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(MODELS / "echo")], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    try:
        group = int(child.stdout.readline())
        assert len(group_members(group)) >= 2  # the server and its worker
    finally:
        child.kill()  # SIGKILL: no atexit, no cleanup in the child
        child.wait()
        child.stdout.close()
    deadline = time.monotonic() + 15
    while group_members(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_members(group)


def test_a_predictor_that_does_not_exist_is_a_start_error(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "cog.log"
    server = CogProcess(MODELS / "echo", predictor="predict.py:NoSuchPredictor", log_path=log)
    with pytest.raises(ModelStartError, match="NoSuchPredictor"):
        server.start()
    assert not server.running
    assert log.is_file() and log.stat().st_size > 0  # the log stays for whoever investigates


def test_a_missing_package_directory_is_a_start_error(tmp_path: Path) -> None:
    with pytest.raises(ModelStartError, match="does not exist"):
        CogProcess(tmp_path / "nowhere").start()
