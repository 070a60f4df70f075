"""The explorer's branch of the exception tree (drawn in `eternal.errors`).

ExplorerError
 └── UnknownId   a page asked for a task, dispute, model, agent or verifier the network does
                 not know (the pages answer 404): `.what`, `.key`
"""

from __future__ import annotations

from eternal.errors import EternalError


class ExplorerError(EternalError):
    """Something the explorer cannot show."""


class UnknownId(ExplorerError):
    """No such task, dispute, model, agent or verifier on this network."""

    def __init__(self, what: str, key: object, *, detail: str = "") -> None:
        self.what = what
        self.key = key
        message = f"there is no {what} {key} on this network"
        super().__init__(f"{message}: {detail}" if detail else message)
