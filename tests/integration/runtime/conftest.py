"""Real Cog servers for the runtime's integration tests, each started once (per package or
module) and shared by the tests.

`blobs` stands in for the node's blob store: tests put files in it, runners fetch them by CID.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eternal.models.metadata import ModelMetadata
from eternal.runtime import ModelRunner
from eternal.storage.cid import cid_of, uri_of

MODELS = Path(__file__).resolve().parents[2] / "fixtures" / "models"


class Blobs(dict[str, bytes]):
    def put(self, blob: bytes) -> str:
        """Stores `blob`; returns its ipfs:// URI."""
        cid = cid_of(blob)
        self[cid] = blob
        return uri_of(cid)

    def fetch(self, cid: str) -> bytes:
        return self[cid]


def metadata_of(name: str) -> ModelMetadata:
    return ModelMetadata.read(MODELS / name)


def group_members(group: int) -> list[int]:
    """Pids of the live processes in a process group (from /proc; zombies excluded)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        # The fields after the parenthesised command: state, ppid, pgrp, ...
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            members.append(int(entry.name))
    return members


@pytest.fixture(scope="package")
def blobs() -> Blobs:
    return Blobs()


@pytest.fixture(scope="package")
def echo_runner(blobs: Blobs) -> Iterator[ModelRunner]:
    with ModelRunner(MODELS / "echo", metadata_of("echo"), fetch=blobs.fetch, timeout=30) as runner:
        yield runner


@pytest.fixture(scope="module")
def faulty_runner(blobs: Blobs) -> Iterator[ModelRunner]:
    # A short timeout: the "hang" test waits for it.
    runner = ModelRunner(MODELS / "faulty", metadata_of("faulty"), fetch=blobs.fetch, timeout=2.5)
    with runner:
        yield runner


@pytest.fixture(scope="package")
def embed_runner(blobs: Blobs) -> Iterator[ModelRunner]:
    with ModelRunner(
        MODELS / "embed", metadata_of("embed"), fetch=blobs.fetch, timeout=30
    ) as runner:
        yield runner


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
