"""A small network story for the explorer's tests, played with the contracts.

Four models with real metadata in a blob store (text, image, audio, JSON with a chart), agents
that store their outputs and commit and reveal them as an agent daemon would, one cheat caught
by the automatic dispute its mismatch opens, payouts after the challenge window, and one task
left open. Needs 8 unstaked agents and 8 unstaked verifiers (the `network` fixture's cast).

The image and the sound are generated here (a PNG gradient, a WAV tone), so the story needs no
file and no imaging library.
"""

from __future__ import annotations

import math
import struct
import wave
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from eternal.models.metadata import ModelMetadata
from eternal.runtime.canonical import canonical_json
from eternal.runtime.inputs import encode_task_input
from eternal.storage.cid import sha256, uri_of
from eternal.storage.local import LocalStore
from tests.support.disputes import everyone, vote_and_resolve
from tests.support.network import Commitment, Network
from tests.support.prompting import ECHO, FEE, answer, publish

STORY = "A knight met a dragon by the sea; they shared bread, and the war ended there."
LIE = "The dragon ate the knight."


def _metadata(name: str, modality: str, output: dict[str, str]) -> ModelMetadata:
    inputs = {"prompt": {"type": "string", "required": True, "max_length": 2000}}
    return ModelMetadata.from_mapping(
        {"name": name, "modality": modality, "inputs": inputs, "output": output}
    )


PAINTER = _metadata("painter", "image", {"kind": "file", "media_type": "image/png"})
SINGER = _metadata("singer", "audio", {"kind": "file", "media_type": "audio/wav"})
FORECAST = _metadata("forecast", "data", {"kind": "json"})


def png_gradient(width: int = 192, height: int = 128) -> bytes:
    """A PNG of a blue-to-violet gradient: 8-bit RGB, one filter byte per row."""
    rows = b"".join(
        b"\x00"
        + b"".join(bytes((x * 255 // width, 60 + y * 120 // height, 200)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def wav_tone(seconds: float = 0.5, hertz: float = 440.0, rate: int = 8000) -> bytes:
    """A mono 16-bit WAV of a sine tone."""
    frames = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * hertz * i / rate)))
        for i in range(int(seconds * rate))
    )
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


@dataclass(frozen=True)
class Scenario:
    net: Network
    store: LocalStore
    text_model: int
    image_model: int
    audio_model: int
    chart_model: int
    text_task: int  # finalized, three agents agreed
    image_task: int
    audio_task: int
    chart_task: int
    disputed_task: int  # agent 2 lied: automatic dispute, guilty, finalized by the verdict
    dispute_id: int
    open_task: int  # submitted, one commit, waiting
    open_commit: Commitment  # agent 0's, to reveal later
    png: bytes
    wav: bytes
    chart_output: bytes  # canonical JSON naming the chart PNG by its ipfs:// URI
    chart_png: bytes

    def agents_of(self, task_id: int) -> list[str]:
        return [agent.address for agent in self.net.assigned(task_id)]


def prompt(net: Network, model_id: int, text: str) -> int:
    """A user submits `text` to the model as its `prompt` input; returns the task id."""
    net.protocol.tasks.submit_prompt(
        net.users[0], model_id, encode_task_input({"prompt": text}), FEE
    )
    return net.protocol.tasks.task_count()


def play(net: Network, store: LocalStore, step: Callable[[], object] = lambda: None) -> Scenario:
    """Play the story on `net` (from its freshly deployed state) with outputs in `store`.

    `step` runs after each part of the story: an explorer following the chain refreshes there,
    reading a few recent blocks at a time (the in-process chain serves old logs slowly).
    """
    step()
    text_model = publish(net, store, ECHO, agents=3)
    image_model = publish(net, store, PAINTER, agents=2, redundancy=2)
    step()
    audio_model = publish(net, store, SINGER, agents=2, redundancy=2)
    chart_model = publish(net, store, FORECAST, agents=1, redundancy=2)
    step()
    net.stake_verifiers(8)
    step()

    png, wav, chart_png = png_gradient(), wav_tone(), png_gradient(160, 90)
    chart_output = canonical_json({"chart": uri_of(store.put(chart_png)), "next": [3.5, 4.25]})

    text_task = prompt(net, text_model, "Tell the tale of a dragon and a knight")
    answer(net, store, text_task, [STORY.encode()] * 3)
    step()
    image_task = prompt(net, image_model, "a calm sea at dusk")
    answer(net, store, image_task, [png] * 2)
    step()
    audio_task = prompt(net, audio_model, "an A, held")
    answer(net, store, audio_task, [wav] * 2)
    chart_task = prompt(net, chart_model, "sales next quarter")
    answer(net, store, chart_task, [chart_output])
    step()

    disputed_task = prompt(net, text_model, "Tell the tale again")
    answer(net, store, disputed_task, [STORY.encode(), STORY.encode(), LIE.encode()])
    step()
    dispute_id = net.protocol.disputes.dispute_count()
    vote_and_resolve(net, dispute_id, everyone(net, dispute_id, sha256(STORY.encode())))
    step()

    net.pass_challenge_window()
    for task_id in (text_task, image_task, audio_task, chart_task):
        net.protocol.tasks.finalize(net.users[0], task_id)
    step()

    open_task = prompt(net, text_model, "And what happened next?")
    open_commit = net.commit(open_task, 0, sha256(STORY.encode()))
    step()
    return Scenario(
        net=net,
        store=store,
        text_model=text_model,
        image_model=image_model,
        audio_model=audio_model,
        chart_model=chart_model,
        text_task=text_task,
        image_task=image_task,
        audio_task=audio_task,
        chart_task=chart_task,
        disputed_task=disputed_task,
        dispute_id=dispute_id,
        open_task=open_task,
        open_commit=open_commit,
        png=png,
        wav=wav,
        chart_output=chart_output,
        chart_png=chart_png,
    )


@contextmanager
def played(
    base: Network, store: LocalStore, step: Callable[[], object] = lambda: None
) -> Iterator[Scenario]:
    """The story played on the session's network, which is put back as it was afterwards."""
    snapshot = base.chain.snapshot()
    try:
        yield play(base, store, step)
    finally:
        base.chain.revert(snapshot)
