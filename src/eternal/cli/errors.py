"""The command line's branch of the exception tree: `CliError`, under `EternalError`.

Everything else a command hits (chain, storage, config, SDK errors) keeps its own type; the
commands' `handles_errors` prints any `EternalError` as one red line and exits with code 1.
"""

from __future__ import annotations

from eternal.errors import EternalError


class CliError(EternalError):
    """A command cannot go on with what it was given (no account chosen, a bad option value)."""
