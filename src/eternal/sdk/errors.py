"""The SDK's branch of the exception tree (drawn in `eternal.errors`).

    SdkError
     ├── ModelUnavailable   the model does not exist, its metadata cannot be read, or no agent
     │                      can run it now (empty pool)
     ├── InsufficientFunds  the account holds less EAI than the model's fee
     ├── InvalidTerms       a model's terms the registry would refuse (fee, stake, redundancy)
     ├── OutputRejected     a stored output does not hash to the digest the chain holds for it
     └── TaskTimeout        the task did not reach the awaited state in time: `.task_id`, `.state`

Input problems raise `eternal.runtime.errors.InvalidInput` (the same check agents run), chain
and storage problems their own errors.
"""

from __future__ import annotations

from eternal.errors import EternalError


class SdkError(EternalError):
    """Something went wrong while submitting a prompt or following its task."""


class ModelUnavailable(SdkError):
    """The model cannot take prompts: unknown id, unreadable metadata, or no agents in its pool."""


class InsufficientFunds(SdkError):
    """The account cannot pay the model's fee."""


class InvalidTerms(SdkError):
    """A model's terms are outside what the registry accepts."""


class OutputRejected(SdkError):
    """The bytes stored for an output do not match the digest revealed and accepted on chain."""


class TaskTimeout(SdkError):
    """A task did not reach the awaited state within the timeout."""

    def __init__(self, message: str, *, task_id: int, state: str) -> None:
        super().__init__(message)
        self.task_id = task_id
        self.state = state


class OutputNotSaved(SdkError):
    """An output or one of its files could not be written."""
