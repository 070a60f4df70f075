"""The node branch of Eternal's exceptions (drawn in `eternal.errors`)."""

from __future__ import annotations

from eternal.errors import EternalError


class NodeError(EternalError):
    """A node cannot start or go on (wrong stake, wrong model, account not funded, ...)."""


class StateError(NodeError):
    """The node's state database cannot be opened, is another account's, or is in use."""


class TaskInputError(NodeError):
    """A task's input is unknown to this node, missing from storage, or not what was paid for."""
