"""`eternal prompt`: run a prompt through to its answer, and show a task.

The command waits for agents while it runs, in this very process: the pause between two of
its polls of the chain is where the test lets the world move (`WorldBetweenPolls`): the
assigned agents commit, then reveal, or stay silent while time passes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

import eternal.sdk.client
from eternal.chain.bindings.task_manager import TaskState, TaskSubmitted
from eternal.models.metadata import ModelMetadata
from eternal.runtime.canonical import canonical_json
from eternal.storage.cid import sha256, uri_of
from tests.support.network import Commitment
from tests.support.prompting import ECHO, publish
from tests.unit.cli.conftest import Cli, failed, lines, ok

PNG = ModelMetadata.from_mapping(
    {
        "name": "painter",
        "modality": "image",
        "inputs": {"prompt": {"type": "string", "required": True}},
        "output": {"kind": "file", "media_type": "image/png"},
    }
)
CHORALE = ModelMetadata.from_mapping(
    {
        "name": "chorale",
        "modality": "audio",
        "inputs": {"prompt": {"type": "string", "required": True}},
        "output": {"kind": "json"},
    }
)
MIDI = b"MThd\x00\x00\x00\x06"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


class WorldBetweenPolls:
    """What happens while the client sleeps between polls: honest agents answer `answer(input)`
    (all commit, then all reveal), or, with `answer=None`, nobody does and time runs out."""

    def __init__(self, cli: Cli, answer: Callable[[dict[str, object]], bytes] | None) -> None:
        self.cli = cli
        self.answer = answer
        self.commitments: list[Commitment] = []
        self.accepted_then = 0

    def sleep(self, seconds: float) -> None:
        net = self.cli.network
        task_id = net.protocol.tasks.task_count()
        view = net.task(task_id)
        if view.state is TaskState.ACCEPTED:
            net.pass_challenge_window()  # only --wait-final waits past acceptance
        elif self.answer is None:
            net.pass_commit_window()
        elif not self.commitments:
            output = self.answer(self._input(task_id))
            uri = uri_of(self.cli.store.put(output))
            self.commitments = [net.commit(task_id, i, sha256(output)) for i in range(view.k)]
            self.uri = uri
        else:
            for commitment in self.commitments:
                net.reveal(task_id, commitment, self.uri)

    def _input(self, task_id: int) -> dict[str, object]:
        events = self.cli.network.protocol.tasks.logs(0, "latest", TaskSubmitted)
        raw = next(event.input for event in events if event.task_id == task_id)
        return dict(json.loads(raw))


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, cli: Cli) -> Callable[..., WorldBetweenPolls]:
    def install(answer: Callable[[dict[str, object]], bytes] | None) -> WorldBetweenPolls:
        world = WorldBetweenPolls(cli, answer)
        clock = SimpleNamespace(sleep=world.sleep, monotonic=time.monotonic, time=time.time)
        monkeypatch.setattr(eternal.sdk.client, "time", clock)
        return world

    return install


def echo_answer(inputs: dict[str, object]) -> bytes:
    return "\n".join([str(inputs["prompt"])] * int(str(inputs.get("times", 1)))).encode()


def test_run_prints_the_output_as_soon_as_it_is_revealed_then_its_finality(
    cli: Cli, world: Callable[..., WorldBetweenPolls]
) -> None:
    model = publish(cli.network, cli.store, ECHO)
    world(echo_answer)

    shown = lines(ok(cli("prompt", "run", model, "a dragon", "--input", "times=2")))

    assert shown[0].startswith("✓ submitted task 1 (tx 0x")
    assert shown[1].startswith("✓ assigned to 3 agents, commits due ")
    assert shown[2:4] == ["a dragon", "a dragon"]
    assert shown[4].startswith("✓ accepted, challengeable until ")
    assert shown[5].startswith(
        f"task 1: winner {cli.network.assigned(1)[0].address}; you paid 10 EAI"
    )


def test_run_saves_a_file_output_under_the_task_s_name(
    cli: Cli,
    world: Callable[..., WorldBetweenPolls],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = publish(cli.network, cli.store, PNG)
    world(lambda inputs: b"\x89PNG " + str(inputs["prompt"]).encode())
    monkeypatch.chdir(tmp_path)

    shown = ok(cli("prompt", "run", model, "a castle"))

    assert "saved output (image/png), 13 bytes, to task-1.png" in shown
    assert (tmp_path / "task-1.png").read_bytes() == b"\x89PNG a castle"


def chorale_answer(cli: Cli) -> Callable[[dict[str, object]], bytes]:
    """A JSON output naming a MIDI and a WAV file, both stored where the command reads."""

    def answer(inputs: dict[str, object]) -> bytes:
        midi, wav = (uri_of(cli.store.put(data)) for data in (MIDI, WAV))
        return canonical_json({"title": inputs["prompt"], "midi": midi, "audio": {"wav": wav}})

    return answer


def test_run_saves_a_json_output_and_its_files_beside_the_output_path(
    cli: Cli,
    world: Callable[..., WorldBetweenPolls],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = publish(cli.network, cli.store, CHORALE)
    world(chorale_answer(cli))
    here, out = tmp_path / "here", tmp_path / "out"  # (the CLI's data dir is in tmp_path too)
    here.mkdir()
    monkeypatch.chdir(here)
    path = out / "x.json"

    shown = lines(ok(cli("prompt", "run", model, "a chorale", "-o", path)))

    assert sorted(p.name for p in out.iterdir()) == ["x-audio-wav.wav", "x-midi.mid", "x.json"]
    assert list(here.iterdir()) == []
    assert json.loads(path.read_text())["title"] == "a chorale"
    assert (out / "x-midi.mid").read_bytes() == MIDI
    assert (out / "x-audio-wav.wav").read_bytes() == WAV
    assert f"saved output, {path.stat().st_size:,} bytes, to {path}" in shown
    assert f"saved file, {len(MIDI)} bytes, to {out / 'x-midi.mid'}" in shown
    assert f"saved file, {len(WAV)} bytes, to {out / 'x-audio-wav.wav'}" in shown


def test_run_without_output_path_saves_a_json_output_s_files_here_by_task(
    cli: Cli,
    world: Callable[..., WorldBetweenPolls],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = publish(cli.network, cli.store, CHORALE)
    world(chorale_answer(cli))
    here = tmp_path / "here"  # (the CLI's data dir is in tmp_path)
    here.mkdir()
    monkeypatch.chdir(here)

    shown = ok(cli("prompt", "run", model, "a chorale"))

    assert '"title": "a chorale"' in shown  # the JSON itself is printed, not saved
    assert sorted(p.name for p in here.iterdir()) == ["task-1-audio-wav.wav", "task-1-midi.mid"]
    assert f"saved file, {len(MIDI)} bytes, to task-1-midi.mid" in shown
    assert (here / "task-1-audio-wav.wav").read_bytes() == WAV


def test_run_with_wait_final_reports_the_payout(
    cli: Cli, world: Callable[..., WorldBetweenPolls]
) -> None:
    model = publish(cli.network, cli.store, ECHO)
    world(echo_answer)

    shown = lines(ok(cli("prompt", "run", model, "a knight", "--wait-final")))

    assert "✓ finalized: paid out, beyond dispute" in shown
    assert cli.network.task(1).state is TaskState.FINALIZED


def test_a_prompt_nobody_answers_is_refunded_and_the_command_fails(
    cli: Cli, world: Callable[..., WorldBetweenPolls]
) -> None:
    model = publish(cli.network, cli.store, ECHO)
    world(None)

    result = cli("prompt", "run", model, "anyone?")

    assert result.exit_code == 1
    assert "! refunded 10 EAI: no agent answered" in lines(result.stdout)
    assert sum("missed its deadline" in line for line in lines(result.stdout)) == 3


def test_an_invalid_input_is_one_red_line_and_no_transaction(cli: Cli) -> None:
    model = publish(cli.network, cli.store, ECHO)

    error = failed(cli("prompt", "run", model, "hi", "--input", "times=9"))

    assert error == "error: input 'times': 9 is above the maximum 5"
    assert cli.network.protocol.tasks.task_count() == 0


def test_a_malformed_input_option_is_refused(cli: Cli) -> None:
    model = publish(cli.network, cli.store, ECHO)

    assert failed(cli("prompt", "run", model, "hi", "--input", "times")) == (
        "error: --input takes NAME=VALUE, got 'times'"
    )


def test_show_gives_a_task_s_state_and_its_revealed_output(
    cli: Cli, world: Callable[..., WorldBetweenPolls]
) -> None:
    model = publish(cli.network, cli.store, ECHO)
    world(echo_answer)
    ok(cli("prompt", "run", model, "a dragon"))

    shown = lines(ok(cli("prompt", "show", "1")))

    assert "state                accepted" in shown
    assert "agents               3 assigned, 3 committed, 3 revealed" in shown
    assert shown[-1] == "a dragon"


def test_show_an_unknown_task(cli: Cli) -> None:
    assert failed(cli("prompt", "show", "4")) == "error: there is no task 4 (tasks are 1..0)"
