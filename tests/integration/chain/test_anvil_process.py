"""The anvil child process: how it is started, and that none outlives its owner."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from eternal.chain import AnvilChain, AnvilProcess
from eternal.errors import NodeStartError

pytestmark = pytest.mark.anvil

SRC = str(Path(__file__).resolve().parents[3] / "src")


def _cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def _is_gone(pid: int) -> bool:
    """True once `pid` no longer runs (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


def _wait_gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _is_gone(pid):
            return True
        time.sleep(0.05)
    return False


def test_anvil_runs_with_pruned_history_on_loopback(anvil_process: AnvilProcess) -> None:
    assert anvil_process.process is not None
    command = _cmdline(anvil_process.process.pid)
    assert "--prune-history" in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert anvil_process.url.startswith("http://127.0.0.1:")


def test_stop_leaves_no_process(anvil_process: AnvilProcess) -> None:
    process = AnvilProcess(binary=anvil_process.binary).start()
    assert process.process is not None
    pid = process.process.pid
    assert process.running

    process.stop()
    process.stop()  # idempotent

    assert not process.running
    assert not Path(f"/proc/{pid}").exists()  # terminated and reaped


def test_anvil_chain_close_stops_its_process(anvil_process: AnvilProcess) -> None:
    with AnvilChain(AnvilProcess(binary=anvil_process.binary)) as chain:
        assert chain.process.process is not None
        pid = chain.process.process.pid
        assert chain.block_number() == 0
    assert not Path(f"/proc/{pid}").exists()


def _spawn_owner(binary: Path, then: str) -> tuple[subprocess.Popen[str], int]:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {SRC!r})
        from eternal.chain import AnvilProcess
        process = AnvilProcess(binary={str(binary)!r}).start()
        print(process.process.pid, flush=True)
        {then}
        """
    )
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    return owner, int(owner.stdout.readline())


def test_anvil_is_stopped_when_the_interpreter_exits(anvil_process: AnvilProcess) -> None:
    assert anvil_process.binary is not None
    owner, pid = _spawn_owner(anvil_process.binary, "pass  # exit without stop(): atexit")
    assert owner.wait(timeout=20) == 0
    assert _wait_gone(pid)


def test_anvil_dies_with_a_killed_owner(anvil_process: AnvilProcess) -> None:
    assert anvil_process.binary is not None
    owner, pid = _spawn_owner(anvil_process.binary, "time.sleep(60)")
    assert not _is_gone(pid)
    owner.kill()  # SIGKILL: no atexit; the kernel's parent-death signal must do it
    owner.wait(timeout=10)
    assert _wait_gone(pid)


def test_start_failure_reports_anvil_stderr(anvil_process: AnvilProcess) -> None:
    broken = AnvilProcess(binary=anvil_process.binary, extra_args=["--no-such-flag"])
    with pytest.raises(NodeStartError) as raised:
        broken.start()
    assert "exited with code" in str(raised.value)
    assert "--no-such-flag" in str(raised.value)
    assert not broken.running


def test_start_timeout_is_a_node_start_error(anvil_process: AnvilProcess) -> None:
    slow = AnvilProcess(binary=anvil_process.binary, start_timeout=0.0)
    with pytest.raises(NodeStartError, match="did not answer"):
        slow.start()
    assert not slow.running
