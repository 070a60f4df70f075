"""Child processes Eternal starts and must never leave behind (anvil, Cog servers).

Neutral ground: the chain and the runtime packages both use it, and it imports neither.
"""

from __future__ import annotations

import ctypes
import signal
import socket
import sys
import threading
from collections.abc import Callable


def free_port(host: str) -> int:
    """A port the OS says is free on `host`; the child binds it right after (a rare race,
    which the caller reports as a failed start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that has the kernel SIGTERM the child when the starting thread dies (even
    by SIGKILL), on Linux; None elsewhere.

    Only from the main thread: the signal follows the thread, not the process. libc's prctl is
    looked up here, in the parent, so the child runs no Python import between fork and exec.
    """
    if (
        not sys.platform.startswith("linux")
        or threading.current_thread() is not threading.main_thread()
    ):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def set_death_signal() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return set_death_signal
