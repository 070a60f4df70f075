"""ModelRunner against real Cog servers running the test suite's model packages."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from eternal.runtime import (
    InvalidInput,
    InvalidOutput,
    ModelRunner,
    ModelStartError,
    PredictionFailed,
    PredictionTimeout,
    outputs_agree,
    task_seed,
)
from tests.integration.runtime.conftest import (
    MODELS,
    Blobs,
    alive,
    group_members,
    metadata_of,
)


def expected_echo(prompt: str, times: int, seed: int) -> str:
    """tiny-echo's documented behaviour, computed here from its word list."""
    words = (MODELS / "echo" / "weights" / "words.txt").read_text().split()
    draw = random.Random(f"{seed}:{prompt}")
    return "\n".join(f"{prompt} {draw.choice(words)}" for _ in range(times))


# ---------------------------------------------------------------------------------- echo


def test_echo_round_trip_with_the_task_seed(echo_runner: ModelRunner) -> None:
    prediction = echo_runner.predict({"prompt": "hello", "times": 3}, task_id=7)
    seed = task_seed(7)
    assert dict(prediction.inputs) == {"prompt": "hello", "times": 3, "seed": seed}
    assert prediction.canonical.value == expected_echo("hello", 3, seed)
    assert prediction.canonical.data == expected_echo("hello", 3, seed).encode()
    assert prediction.predict_seconds > 0


def test_same_task_gives_the_same_digest_and_another_task_another_seed(
    echo_runner: ModelRunner,
) -> None:
    first = echo_runner.predict({"prompt": "tides", "times": 5}, task_id=11)
    again = echo_runner.predict({"prompt": "tides", "times": 5}, task_id=11)
    other = echo_runner.predict({"prompt": "tides", "times": 5}, task_id=12)
    assert first.canonical.digest == again.canonical.digest
    assert other.inputs["seed"] != first.inputs["seed"]
    assert other.canonical.value == expected_echo("tides", 5, task_seed(12))


def test_a_users_seed_wins_over_the_task_seed(echo_runner: ModelRunner) -> None:
    prediction = echo_runner.predict({"prompt": "hi", "seed": 4}, task_id=11)
    assert prediction.canonical.value == expected_echo("hi", 1, 4)


def test_invalid_input_never_reaches_the_model(echo_runner: ModelRunner) -> None:
    with pytest.raises(InvalidInput, match="input 'times': 9 is above the maximum 5"):
        echo_runner.predict({"prompt": "hi", "times": 9}, task_id=1)


def test_the_model_runs_with_fixed_thread_counts_and_hash_seed(faulty_runner: ModelRunner) -> None:
    reported = faulty_runner.predict({"prompt": "env"}, task_id=1).canonical.value
    assert reported == "OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0 HF_HUB_OFFLINE=1"


# -------------------------------------------------------------------------------- faults


def test_a_model_that_raises_is_a_failed_prediction(faulty_runner: ModelRunner) -> None:
    with pytest.raises(PredictionFailed, match="faulty model crashed on purpose"):
        faulty_runner.predict({"prompt": "crash"}, task_id=1)
    assert faulty_runner.predict({"prompt": "still here"}, task_id=1).canonical.value == (
        "ok: still here"
    )


def test_garbage_output_is_invalid(faulty_runner: ModelRunner) -> None:
    with pytest.raises(InvalidOutput, match="expected text, got a dict"):
        faulty_runner.predict({"prompt": "garbage"}, task_id=1)


def test_a_hung_prediction_times_out_and_the_runner_recovers(faulty_runner: ModelRunner) -> None:
    server = faulty_runner.server
    assert server is not None and server.process is not None
    hung_pid, restarts = server.process.pid, faulty_runner.restarts
    started = time.monotonic()
    with pytest.raises(PredictionTimeout) as caught:
        faulty_runner.predict({"prompt": "hang"}, task_id=1)
    assert caught.value.started
    assert 2.5 <= time.monotonic() - started < 10
    assert faulty_runner.restarts == restarts + 1
    assert not group_members(hung_pid)  # the hung server and its worker are gone
    assert faulty_runner.predict({"prompt": "after"}, task_id=1).canonical.value == "ok: after"


def test_a_dead_worker_fails_its_prediction_and_the_server_is_replaced(
    faulty_runner: ModelRunner,
) -> None:
    restarts = faulty_runner.restarts
    with pytest.raises(PredictionFailed, match="Worker crashed"):
        faulty_runner.predict({"prompt": "exit"}, task_id=1)
    # Cog stays UNHEALTHY after a worker crash: the next health check replaces the server.
    assert faulty_runner.predict({"prompt": "next"}, task_id=1).canonical.value == "ok: next"
    assert faulty_runner.restarts == restarts + 1


def test_a_killed_server_is_restarted_before_the_next_prediction(
    faulty_runner: ModelRunner,
) -> None:
    server = faulty_runner.server
    assert server is not None and server.process is not None
    restarts = faulty_runner.restarts
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()
    assert faulty_runner.predict({"prompt": "back"}, task_id=1).canonical.value == "ok: back"
    assert faulty_runner.restarts == restarts + 1


def test_a_server_killed_mid_prediction_is_restarted_and_the_prediction_retried(
    faulty_runner: ModelRunner,
) -> None:
    server = faulty_runner.server
    assert server is not None and server.process is not None
    restarts = faulty_runner.restarts
    killer = threading.Timer(0.2, os.killpg, (server.process.pid, signal.SIGKILL))
    killer.start()
    prediction = faulty_runner.predict({"prompt": "sleep"}, task_id=1)  # sleeps 0.5 s
    killer.join()
    assert prediction.canonical.value == "slept"
    assert faulty_runner.restarts == restarts + 1


def test_concurrent_predictions_wait_for_the_busy_server(faulty_runner: ModelRunner) -> None:
    faulty_runner.predict({"prompt": "warm"}, task_id=1)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [
            pool.submit(faulty_runner.predict, {"prompt": "sleep"}, task_id=1) for _ in range(3)
        ]
        values = [future.result().canonical.value for future in futures]
    assert values == ["slept"] * 3
    # One slot: Cog answered 409 to two of them until the first was done, so they ran in turn.
    assert time.monotonic() - started >= 1.5


def test_setup_failure_is_a_start_error_quoting_the_cause(blobs: Blobs) -> None:
    runner = ModelRunner(
        MODELS / "faulty_setup",
        metadata_of("faulty_setup"),
        fetch=blobs.fetch,
        restart_attempts=0,
    )
    with pytest.raises(ModelStartError, match=r"SETUP_FAILED.*corrupt weights: model\.bin"):
        runner.start()
    assert runner.server is None


def test_stop_leaves_no_process_behind(blobs: Blobs) -> None:
    runner = ModelRunner(MODELS / "echo", metadata_of("echo"), fetch=blobs.fetch).start()
    server = runner.server
    assert server is not None and server.process is not None
    group = server.process.pid
    members = group_members(group)
    assert len(members) >= 2  # the server and its worker
    runner.stop()
    assert runner.server is None
    assert not group_members(group)
    assert not any(alive(pid) for pid in members)


# ------------------------------------------------------------------------------ tolerant


def test_tolerant_model_runs_differ_in_bytes_but_agree(embed_runner: ModelRunner) -> None:
    inputs = {"text": "a lighthouse keeper counts the waves", "jitter": 0.001}
    first = embed_runner.predict(inputs, task_id=3)
    second = embed_runner.predict(inputs, task_id=3)
    assert first.canonical.digest != second.canonical.digest
    verification = embed_runner.metadata.verification
    assert outputs_agree(verification, first.canonical.data, second.canonical.data)
    other = embed_runner.predict({"text": "stock prices fell sharply today"}, task_id=3)
    assert not outputs_agree(verification, first.canonical.data, other.canonical.data)


def test_file_inputs_are_fetched_by_cid(embed_runner: ModelRunner, blobs: Blobs) -> None:
    words = "quiet harbor lights at dawn"
    from_file = embed_runner.predict({"document": blobs.put(words.encode())}, task_id=3)
    from_text = embed_runner.predict({"text": words}, task_id=3)
    assert from_file.canonical.data == from_text.canonical.data
    assert from_file.inputs["document"] == blobs.put(words.encode())  # the URI, not the bytes
    assert from_file.canonical.value["words"] == 4  # "at" is a stop word
