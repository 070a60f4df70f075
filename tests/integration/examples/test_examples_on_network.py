"""Every example model, published and prompted through the `eternal` command on anvil, with
agents as separate processes running it through the project's runtime (Cog servers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from eternal.chain import find_anvil
from eternal.chain.bindings.task_manager import TaskState
from tests.support.live_network import LiveNetwork, task_state

pytestmark = [pytest.mark.anvil, pytest.mark.slow]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "models"
FORECAST_CSV = EXAMPLES / "sales-forecast" / "data" / "store-sales-synthetic.csv"

# model folder -> (the prompt text, extra `prompt run` options, a check of the saved output)
PROMPTS = {
    "shakespeare-gpt": (
        "Compose a narrative involving a dragon and a knight",
        ["--input", "max_tokens=80"],
        "text",
    ),
    "silhouette-cvae": ("Create an image of a cat", [], "png"),
    "bach-chorale": (
        "Compose a serene, ambient piece featuring piano and string instruments",
        ["--input", "bars=2"],
        "json",
    ),
    "sales-forecast": (
        "Examine the sales data from the last quarter and identify emerging trends",
        ["--file", f"data={FORECAST_CSV}"],
        "json",
    ),
    "minilm-embed": ("Forecast the potential market growth for electric vehicles", [], "json"),
}


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveNetwork]:
    binary = find_anvil()
    if binary is None or not binary.is_file():
        pytest.skip("anvil binary not found: run `npm ci`")
    live = LiveNetwork.start(tmp_path_factory.mktemp("examples"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def published(network: LiveNetwork) -> dict[str, int]:
    """Each example published by the creator with `eternal model publish`, two agents each."""
    ids: dict[str, int] = {}
    for number, name in enumerate(PROMPTS, start=1):
        done = network.cli(
            "creator",
            network.net.creator,
            "model",
            "publish",
            str(EXAMPLES / name),
            "--fee",
            "1",
            "--redundancy",
            "2",
        )
        assert done.returncode == 0, done.stderr
        assert network.net.protocol.registry.model_count() == number
        ids[name] = number
    agents = iter(network.net.agents + network.net.verifiers)
    for model_id in ids.values():
        for _ in range(2):
            network.start_agent(next(agents), model_id, timeout=120.0)
    for model_id in ids.values():
        network.wait_for(
            f"model {model_id}'s agents",
            lambda m=model_id: network.net.protocol.agents.pool_size(m) == 2,
            timeout=300,
        )
    return ids


@pytest.mark.parametrize("name", list(PROMPTS))
def test_example_answers_a_prompt_through_the_cli(
    network: LiveNetwork, published: dict[str, int], name: str, tmp_path: Path
) -> None:
    text, options, kind = PROMPTS[name]
    saved = tmp_path / "output"
    done = network.cli(
        "user",
        network.net.users[0],
        "prompt",
        "run",
        str(published[name]),
        text,
        *options,
        "--output",
        str(saved),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    task_id = network.net.protocol.tasks.task_count()
    assert task_state(network, task_id) is TaskState.ACCEPTED
    output = saved.read_bytes()
    if kind == "text":
        assert output.decode().startswith(text)
    elif kind == "png":
        assert output.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert isinstance(json.loads(output), dict)
        # Every file the JSON names (MIDI, WAV, chart) is saved beside it, named by its key
        # (output-midi.mid, output-chart.png) and typed by its first bytes.
        saved_files = list(tmp_path.glob("output-*"))
        assert len(saved_files) == output.decode().count('"ipfs://')
        assert all(path.suffix in (".mid", ".wav", ".png") for path in saved_files), saved_files
