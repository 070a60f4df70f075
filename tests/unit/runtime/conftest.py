"""Fixtures of the runtime's unit tests: `cog`, a scripted Cog-like HTTP server."""

from tests.unit.runtime.scripted_cog import cog

__all__ = ["cog"]
