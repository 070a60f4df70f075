"""RemoteRunner's start checks and file outputs, against a scripted Cog-like server."""

from __future__ import annotations

import pytest

from eternal.models.metadata import ModelMetadata
from eternal.runtime import InvalidOutput, ModelServerDown, ModelStartError, RemoteRunner
from tests.unit.runtime.scripted_cog import Answer, ScriptedCog

IMAGE = ModelMetadata.from_mapping(
    {
        "name": "painter",
        "modality": "image",
        "inputs": {"prompt": {"type": "string", "required": True}},
        "output": {"kind": "file", "media_type": "image/png"},
    }
)


def no_blobs(cid: str) -> bytes:
    raise AssertionError(f"nothing to fetch, asked for {cid}")


def test_a_file_output_sent_as_a_url_is_downloaded(cog: ScriptedCog) -> None:
    # What a Cog container started with --upload-url answers.
    cog.files["/uploads/out.png"] = b"\x89PNG picture"
    output_url = f"{cog.url}/uploads/out.png"
    cog.predictions = [Answer(200, {"status": "succeeded", "output": output_url})]
    with RemoteRunner(cog.url, IMAGE, fetch=no_blobs, timeout=5) as runner:
        prediction = runner.predict({"prompt": "a cat"}, task_id=1)
    assert prediction.canonical.data == b"\x89PNG picture"


def test_a_missing_output_file_is_reported(cog: ScriptedCog) -> None:
    cog.predictions = [Answer(200, {"status": "succeeded", "output": f"{cog.url}/gone.png"})]
    with (
        RemoteRunner(cog.url, IMAGE, fetch=no_blobs, timeout=5) as runner,
        pytest.raises(ModelServerDown, match="cannot download the output file"),
    ):
        runner.predict({"prompt": "a cat"}, task_id=1)


def test_start_refuses_a_server_whose_setup_failed(cog: ScriptedCog) -> None:
    cog.health = "SETUP_FAILED"
    cog.setup_logs = "RuntimeError: no GPU"
    with pytest.raises(ModelStartError, match=r"SETUP_FAILED.*no GPU"):
        RemoteRunner(cog.url, IMAGE, fetch=no_blobs).start()


def test_a_runner_can_be_started_again_after_stop(cog: ScriptedCog) -> None:
    cog.predictions = [Answer(200, {"status": "succeeded", "output": "data:image/png;base64,AA=="})]
    runner = RemoteRunner(cog.url, IMAGE, fetch=no_blobs, timeout=5)
    with runner:
        pass
    with runner:
        assert runner.predict({"prompt": "x"}, task_id=1).canonical.data == b"\x00"


def test_nan_in_a_json_output_is_invalid(cog: ScriptedCog) -> None:
    scores = ModelMetadata.from_mapping(
        {"name": "scores", "modality": "data", "inputs": {}, "output": {"kind": "json"}}
    )
    # Python's json writes NaN for float("nan"), and a sloppy model server may send it.
    cog.predictions = [Answer(200, {"status": "succeeded", "output": {"score": float("nan")}})]
    with (
        RemoteRunner(cog.url, scores, fetch=no_blobs, timeout=5) as runner,
        pytest.raises(InvalidOutput, match="nan"),
    ):
        runner.predict({}, task_id=1)
