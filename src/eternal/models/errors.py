"""The models package's errors (drawn in `eternal.errors`); `MetadataError` lives beside the
metadata schema it guards (`eternal.models.metadata`)."""

from __future__ import annotations

from eternal.errors import EternalError


class PackageError(EternalError):
    """A model package folder is invalid: the message names the folder and the problem."""


class ArchiveError(PackageError):
    """A package archive is malformed, unsafe to extract, or not in canonical form."""
