"""The demo's and the devnet's branch of the exception tree (under `EternalError`).

DemoError            a local network could not be started, or did not do what it should
 ├── NodeExited      a node process ended on its own: `.name`, `.log_tail`
 └── DemoTimeout     something awaited did not happen in time: `.what`
"""

from __future__ import annotations

from eternal.errors import EternalError


class DemoError(EternalError):
    """A local network (demo or devnet) could not be started or did not reach its goal."""


class NodeExited(DemoError):
    """A node process ended while the network needed it."""

    def __init__(self, name: str, code: int | None, log_tail: str) -> None:
        super().__init__(f"{name} exited with code {code}; the end of its log:\n{log_tail}")
        self.name = name
        self.log_tail = log_tail


class DemoTimeout(DemoError):
    """Something the demo waited for did not happen within its time limit."""

    def __init__(self, what: str, seconds: float, details: str = "") -> None:
        message = f"timed out after {seconds:g} s waiting for {what}"
        super().__init__(f"{message}\n{details}" if details else message)
        self.what = what
