"""Errors of `eternal.runtime`: running a model package through Cog's HTTP server.

    ModelRuntimeError
     ├── InvalidInput           a task input breaks the model's metadata: `.name` (None for the
     │                          task input as a whole), `.problem`
     ├── ModelStartError        a Cog server did not become ready (setup failed, exited, timed
     │                          out); the message quotes Cog's setup log or the log file's tail
     ├── ModelServerDown        a Cog server cannot serve: unreachable, died mid-request, or
     │                          reports itself unhealthy (a local runner restarts it)
     ├── PredictionTimeout      no answer in time; `.started` tells whether the prediction ran
     │                          (True: the server is busy with it) or never got a slot
     ├── PredictionFailed       the model raised (or its worker died): `.error` is Cog's text
     ├── InvalidOutput          the output does not match the metadata's output kind, is not
     │                          decodable, or holds NaN/Infinity
     └── EnvironmentSetupError  a package's Python environment could not be built

Every one is "never fatal to the node": a node reports it for the task and goes on.
"""

from __future__ import annotations

from eternal.errors import EternalError


class ModelRuntimeError(EternalError):
    """Running a model went wrong."""


class InvalidInput(ModelRuntimeError):
    """A task input the model must not see: unknown, missing, of the wrong type, out of bounds."""

    def __init__(self, name: str | None, problem: str) -> None:
        self.name = name
        self.problem = problem
        where = "task input" if name is None else f"input {name!r}"
        super().__init__(f"{where}: {problem}")


class ModelStartError(ModelRuntimeError):
    """A Cog server did not start, or its `setup()` failed."""


class ModelServerDown(ModelRuntimeError):
    """A Cog server is unreachable, died during a request, or reports itself unhealthy."""


class PredictionTimeout(ModelRuntimeError):
    """A prediction did not finish in time.

    `started` is False when every attempt got 409 (busy) until the deadline: the server is
    working for someone else, not hung on this prediction.
    """

    def __init__(self, message: str, *, started: bool) -> None:
        super().__init__(message)
        self.started = started


class PredictionFailed(ModelRuntimeError):
    """Cog reported the prediction as failed; `error` is Cog's text, `logs` the model's output."""

    def __init__(self, error: str, *, logs: str = "") -> None:
        super().__init__(f"prediction failed: {error}")
        self.error = error
        self.logs = logs


class InvalidOutput(ModelRuntimeError):
    """A model's output cannot be canonicalised for its declared output kind."""


class EnvironmentSetupError(ModelRuntimeError):
    """A model's Python environment (virtualenv + its python_packages) could not be built."""
