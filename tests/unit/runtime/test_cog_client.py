"""CogClient's handling of every answer a Cog server can give, against a real local server."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from eternal.runtime.cog_client import CogClient
from eternal.runtime.errors import (
    InvalidInput,
    ModelServerDown,
    PredictionFailed,
    PredictionTimeout,
)
from tests.unit.runtime.scripted_cog import BUSY, Answer, ScriptedCog


@pytest.fixture
def client(cog: ScriptedCog) -> Iterator[CogClient]:
    with CogClient(cog.url) as client:
        yield client


def test_success_returns_the_output_and_sends_the_inputs(
    cog: ScriptedCog, client: CogClient
) -> None:
    cog.predictions = [Answer(200, {"status": "succeeded", "output": {"x": [1, 2]}})]
    assert client.predict({"prompt": "hi"}, timeout=5) == {"x": [1, 2]}
    assert cog.posts == [{"input": {"prompt": "hi"}}]


def test_busy_server_is_retried_until_it_answers(cog: ScriptedCog, client: CogClient) -> None:
    cog.predictions = [BUSY, BUSY, BUSY, Answer(200, {"status": "succeeded", "output": "done"})]
    assert client.predict({}, timeout=5) == "done"
    assert len(cog.posts) == 4


def test_busy_until_the_deadline_is_a_timeout_that_never_started(
    cog: ScriptedCog, client: CogClient
) -> None:
    cog.predictions = [BUSY]
    started = time.monotonic()
    with pytest.raises(PredictionTimeout, match="stayed busy") as caught:
        client.predict({}, timeout=0.5)
    assert caught.value.started is False
    assert 0.5 <= time.monotonic() - started < 2


def test_busy_server_that_reports_itself_broken_is_down(
    cog: ScriptedCog, client: CogClient
) -> None:
    cog.predictions = [BUSY]
    cog.health = "UNHEALTHY"
    with pytest.raises(ModelServerDown, match="UNHEALTHY"):
        client.predict({}, timeout=5)


def test_slow_prediction_is_a_timeout_that_started(cog: ScriptedCog, client: CogClient) -> None:
    cog.predictions = [Answer(200, {"status": "succeeded", "output": "late"}, delay=1.0)]
    with pytest.raises(PredictionTimeout, match=r"did not finish within 0\.3s") as caught:
        client.predict({}, timeout=0.3)
    assert caught.value.started is True


def test_failed_status_carries_cogs_error_and_logs(cog: ScriptedCog, client: CogClient) -> None:
    cog.predictions = [
        Answer(200, {"status": "failed", "error": "ValueError: boom", "logs": "line 1\n"})
    ]
    with pytest.raises(PredictionFailed) as caught:
        client.predict({}, timeout=5)
    assert caught.value.error == "ValueError: boom" and caught.value.logs == "line 1\n"
    assert str(caught.value) == "prediction failed: ValueError: boom"


def test_schema_refusal_is_an_invalid_input(cog: ScriptedCog, client: CogClient) -> None:
    detail = [{"loc": ["body", "input", "times"], "msg": "must be <= 5"}]
    cog.predictions = [Answer(422, {"detail": detail})]
    with pytest.raises(InvalidInput, match="must be <= 5"):
        client.predict({"times": 9}, timeout=5)


@pytest.mark.parametrize(
    "answer",
    [Answer(500, {"detail": "internal"}), Answer(200, b"<html>not json</html>"), Answer(200, [1])],
)
def test_unexpected_answers_are_failures_not_outputs(
    cog: ScriptedCog, client: CogClient, answer: Answer
) -> None:
    cog.predictions = [answer]
    with pytest.raises(PredictionFailed, match="Cog answered HTTP"):
        client.predict({}, timeout=5)


def test_health_reports_the_status(cog: ScriptedCog, client: CogClient) -> None:
    cog.health = "BUSY"
    assert client.health() == "BUSY"


def test_nobody_listening_is_down() -> None:
    server = ScriptedCog()
    url = server.url
    server.server_close()  # the port is free again: connections are refused
    with CogClient(url) as client:
        with pytest.raises(ModelServerDown, match="does not answer"):
            client.health()
        with pytest.raises(ModelServerDown, match="failed"):
            client.predict({}, timeout=2)
