"""RemoteRunner against a Cog server started separately, as a Cog container on a GPU host is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eternal.runtime import CogProcess, ModelRunner, ModelServerDown, RemoteRunner, Runner
from tests.integration.runtime.conftest import MODELS, Blobs, metadata_of


@pytest.fixture(scope="module")
def echo_server() -> Iterator[CogProcess]:
    with CogProcess(MODELS / "echo") as server:
        yield server


@pytest.fixture
def remote_echo(echo_server: CogProcess, blobs: Blobs) -> Iterator[RemoteRunner]:
    with RemoteRunner(echo_server.url, metadata_of("echo"), fetch=blobs.fetch, timeout=30) as r:
        yield r


def test_two_server_processes_give_identical_digests(
    remote_echo: RemoteRunner, echo_runner: ModelRunner
) -> None:
    runners: list[Runner] = [remote_echo, echo_runner]
    for task_id, inputs in [(1, {"prompt": "same"}), (2**200, {"prompt": "ünïcode ✓", "times": 4})]:
        first, second = (runner.predict(inputs, task_id=task_id) for runner in runners)
        assert first.canonical.digest == second.canonical.digest
        assert first.inputs == second.inputs


def test_remote_server_logs_and_timings(echo_server: CogProcess, remote_echo: RemoteRunner) -> None:
    prediction = remote_echo.predict({"prompt": "timed"}, task_id=5)
    assert 0 < prediction.predict_seconds < 5
    assert 0 < echo_server.start_seconds < 60
    assert "Server ready" in echo_server.log_tail(limit=100_000)


def test_an_unreachable_remote_server_is_down(echo_server: CogProcess, blobs: Blobs) -> None:
    url = echo_server.url.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens
    with pytest.raises(ModelServerDown, match="does not answer"):
        RemoteRunner(url, metadata_of("echo"), fetch=blobs.fetch).start()
