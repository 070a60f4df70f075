"""The processes a local network runs: the chain, the nodes, the explorer.

Each child runs in a session of its own (so a signal to its group reaches what it started) and
writes to a log file, never to a pipe nobody reads. Two lifetimes:

- tied (the demo): on Linux the child gets SIGTERM when the demo's main thread dies, even by
  SIGKILL (PR_SET_PDEATHSIG), so nothing outlives the demo;
- detached (the devnet): the child outlives the command that started it. It is later found by
  its `ProcessRecord`, pid plus start time, since a pid alone may have been reused.

`stop()` sends SIGTERM to the group, waits, then SIGKILLs the group and every descendant seen
before (a node's Cog servers lead groups of their own). Nodes stop their Cog servers themselves
on SIGTERM. What a node starts after that snapshot (a Cog server it was still launching) is
found by its environment instead: every process of a network carries
`ETERNAL_LOCAL_NETWORK=<its folder>`, inherited by all it starts, and `sweep` ends them all.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from eternal.child_processes import die_with_parent

_PROC = Path("/proc")
_LOG_TAIL = 3000  # characters of a log quoted when a process fails
_PORTS_FROM = 20000  # the lowest port the network picks for its servers
MARK = "ETERNAL_LOCAL_NETWORK"  # environment variable naming the network a process belongs to
_POLL = 0.05


@dataclass(frozen=True)
class ProcessRecord:
    """A process as it can be found again later: pid and the kernel's start time (in ticks)."""

    pid: int
    started: int

    def alive(self) -> bool:
        """Whether this very process still runs (not another one that reuses the pid)."""
        return start_ticks(self.pid) == self.started


class ManagedProcess:
    """One child process: `start()`, `running`, `stop()`, its log."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        tied: bool = True,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.tied = tied
        self.process: subprocess.Popen[bytes] | None = None
        self.record: ProcessRecord | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def exit_code(self) -> int | None:
        return self.process.poll() if self.process is not None else None

    def start(self) -> ManagedProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent() if self.tied else None,
            )
        self.record = ProcessRecord(self.process.pid, start_ticks(self.process.pid) or 0)
        return self

    def stop(self, grace: float = 15.0) -> list[ProcessRecord]:
        """End the process and all it started; returns every process that was part of it."""
        if self.process is None or self.record is None:
            return []
        family = [self.record, *descendants(self.record.pid)]
        if self.process.poll() is None:
            _signal_group(self.record.pid, signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                _signal_group(self.record.pid, signal.SIGKILL)
                self.process.wait()
        kill_all(family)
        return family

    def log_tail(self, chars: int = _LOG_TAIL) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return text[-chars:]


def stop_record(record: ProcessRecord, grace: float = 15.0) -> list[ProcessRecord]:
    """Stop a process this one did not start (a detached devnet node) and all it started."""
    if not record.alive():
        return []
    family = [record, *descendants(record.pid)]
    _signal_group(record.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while record.alive() and time.monotonic() < deadline:
        time.sleep(_POLL)
    kill_all(family)
    return family


def kill_all(records: Iterable[ProcessRecord]) -> None:
    """SIGKILL each still-running process of `records` (and its group, if it leads one)."""
    for record in records:
        if record.alive():
            _signal_group(record.pid, signal.SIGKILL)
            _signal_pid(record.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5.0
    while any(r.alive() for r in records) and time.monotonic() < deadline:
        time.sleep(_POLL)


def start_ticks(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (/proc/PID/stat field 22), or None
    when there is no such process (or it is a zombie: it runs nothing any more)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def descendants(pid: int) -> list[ProcessRecord]:
    """Every living process below `pid` in the process tree (children, grandchildren, ...)."""
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir() if _PROC.is_dir() else ():
        if not entry.name.isdigit():
            continue
        parent = _parent_of(int(entry.name))
        if parent is not None:
            children.setdefault(parent, []).append(int(entry.name))
    found: list[ProcessRecord] = []
    queue = list(children.get(pid, []))
    while queue:
        child = queue.pop()
        started = start_ticks(child)
        if started is not None:
            found.append(ProcessRecord(child, started))
        queue.extend(children.get(child, []))
    return found


def free_port() -> int:
    """A port free now on 127.0.0.1, below the ephemeral range.

    Taken a few seconds before a node binds it, a port the OS hands out (bind to 0) may meanwhile
    be handed to someone else: every outgoing connection and every Cog server takes one from the
    ephemeral range. Ports below it are only ever taken on purpose.
    """
    low = _ephemeral_low()
    for _ in range(200):
        port = random.randrange(_PORTS_FROM, low)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port found between {_PORTS_FROM} and {low}")


def _ephemeral_low() -> int:
    try:
        low = int((_PROC / "sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768  # Linux's default
    return max(low, _PORTS_FROM + 1000)


def python_env(root: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a process of the network in `root`: this one plus `extra`, marked as
    the network's, with `root/tmp` as TMPDIR (temporary files of the process and of everything
    it starts stay in the network's folder) and this interpreter's bin directory first on PATH
    (Cog's worker is started as `python` from PATH and must find this environment)."""
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **(extra or {}), MARK: str(root), "TMPDIR": str(root / "tmp")}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def marked(root: Path) -> list[ProcessRecord]:
    """Every running process that belongs to the network in `root` (see the module doc)."""
    entry = f"{MARK}={root}".encode()
    found = []
    for path in _PROC.iterdir() if _PROC.is_dir() else ():
        if not path.name.isdigit() or int(path.name) == os.getpid():
            continue
        try:
            environment = (path / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        started = start_ticks(int(path.name))
        if entry in environment and started is not None:
            found.append(ProcessRecord(int(path.name), started))
    return found


def sweep(root: Path, grace: float = 5.0) -> list[ProcessRecord]:
    """End every process of the network in `root` still running (SIGTERM, then SIGKILL)."""
    found = marked(root)
    for record in found:
        _signal_pid(record.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(record.alive() for record in found) and time.monotonic() < deadline:
        time.sleep(_POLL)
    kill_all(found)
    return found


def _parent_of(pid: int) -> int | None:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def _signal_pid(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signum)
