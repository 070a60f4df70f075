"""`eternal prompt`: run a prompt on a model and watch it through to the answer; look at a task."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.wallet import LocalAccount
from eternal.cli.context import (
    AccountOption,
    ConfigOption,
    connect_protocol,
    console,
    handles_errors,
    load_account,
    load_cli_config,
    open_store,
)
from eternal.cli.display import eai, key_values, utc_time
from eternal.cli.errors import CliError
from eternal.cli.progress import PromptProgress
from eternal.config import Config
from eternal.models.metadata import OutputKind
from eternal.sdk.client import Client
from eternal.sdk.errors import TaskTimeout
from eternal.sdk.inputs import parse_input_text, text_input_name
from eternal.sdk.results import Progress, Stage, Status, TaskOutput
from eternal.sdk.saving import save_files, save_output

app = typer.Typer(help="Submit prompts and follow tasks.")

DEFAULT_TIMEOUT = 900.0


@app.command("run")
@handles_errors
def run(
    model_id: Annotated[int, typer.Argument(help="The model's id.")],
    text: Annotated[
        str | None,
        typer.Argument(help="The prompt: goes to the model's `prompt` (or first text) input."),
    ] = None,
    inputs: Annotated[
        list[str] | None,
        typer.Option("--input", "-i", help="Another input, NAME=VALUE (typed as the model says)."),
    ] = None,
    files: Annotated[
        list[str] | None, typer.Option("--file", "-f", help="A file input, NAME=PATH.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to save the output (a file output: task-ID.ext by default); "
            "files inside a JSON output go beside it, named STEM-KEY.ext.",
        ),
    ] = None,
    wait_final: Annotated[
        bool, typer.Option("--wait-final", help="Wait until the task is paid out, beyond dispute.")
    ] = False,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for each stage.")
    ] = DEFAULT_TIMEOUT,
    config_path: ConfigOption = None,
    account: AccountOption = None,
) -> None:
    """Submit a prompt, show its progress, print or save the output as soon as it is revealed."""
    config = load_cli_config(config_path)
    user = load_account(config, account)
    client = _client(config, user)
    metadata = client.metadata(model_id)
    given: dict[str, Any] = {}
    if text is not None:
        given[text_input_name(metadata)] = text
    for item in inputs or []:
        name, value = _pair(item, "--input")
        given[name] = parse_input_text(metadata, name, value)
    for item in files or []:
        name, value = _pair(item, "--file")
        given[name] = Path(value)
    writer = OutputWriter(console, output)
    with PromptProgress(console, writer.show) as progress:
        submission = client.submit(model_id, given)
        result = client.wait(submission, on_progress=progress, timeout=timeout)
        if wait_final and result.status is Status.ACCEPTED:
            progress.waiting_for_finality()
            result = client.wait_final(
                submission, on_progress=_after_acceptance(progress), timeout=timeout
            )
    if result.status is Status.REFUNDED:
        raise typer.Exit(1)
    console.print(
        f"[dim]task {result.task_id}: winner {result.winner}; you paid {eai(result.fee)} "
        f"and {result.gas_used:,} gas in {len(result.tx_hashes)} transaction(s)[/]"
    )


@app.command("show")
@handles_errors
def show(
    task_id: Annotated[int, typer.Argument(help="The task's id.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Save the output there.")
    ] = None,
    config_path: ConfigOption = None,
) -> None:
    """Show a task's state, its agents' progress and, once revealed, its output."""
    config = load_cli_config(config_path)
    client = _client(config, None)
    view = client.task(task_id)
    committed = bin(view.committed_mask).count("1")
    revealed = bin(view.revealed_mask).count("1")
    rows = [
        ("task", str(task_id)),
        ("model", str(view.model_id)),
        ("user", view.user),
        ("state", view.state.name.lower()),
        ("escrow", eai(view.escrow)),
        ("attempt", str(view.attempt)),
        ("agents", f"{view.k} assigned, {committed} committed, {revealed} revealed"),
    ]
    if view.state in (TaskState.COMMITTING, TaskState.REVEALING, TaskState.ACCEPTED):
        label = "challengeable until" if view.state is TaskState.ACCEPTED else "phase ends"
        rows.append((label, utc_time(view.deadline)))
    console.print(key_values(rows))
    shown: list[TaskOutput] = []

    def keep_output(progress: Progress) -> None:
        if progress.stage is Stage.OUTPUT and progress.output is not None:
            shown.append(progress.output)

    with contextlib.suppress(TaskTimeout):  # still running: show what was revealed so far
        client.wait(task_id, on_progress=keep_output, timeout=0.0, settle=False)
    if shown:
        OutputWriter(console, output).show(task_id, shown[-1])


class OutputWriter:
    """Prints text and JSON outputs and saves them as `eternal.sdk.saving` names them.

    A file output goes to `path`, else to task-<id>.<ext> here; text and JSON go to `path` if
    given. The files inside a JSON output go beside it as <stem>-<key>.<ext>, the stem being
    `path` without its extension, else task-<id> (here).
    """

    def __init__(self, console: Console, path: Path | None) -> None:
        self.console = console
        self.path = path
        self.shown: list[bytes] = []

    def show(self, task_id: int, output: TaskOutput) -> None:
        if output.digest in self.shown:
            return
        if self.shown:
            self.console.print("[yellow]the accepted output is another agent's:[/]")
        self.shown.append(output.digest)
        if output.kind is OutputKind.TEXT:
            self.console.print(output.value, markup=False, highlight=False)
        elif output.kind is OutputKind.JSON:
            self.console.print_json(json.dumps(output.value))
        stem = Path(f"task-{task_id}") if self.path is None else self.path.parent / self.path.stem
        if self.path is None and output.kind is not OutputKind.FILE:
            files = save_files(stem, output.value, output.files)
        else:
            saved = save_output(
                stem, output.kind, output.value, output.files, output.media_type, path=self.path
            )
            file_type = (
                f" ({output.media_type or 'file'})" if output.kind is OutputKind.FILE else ""
            )
            self._said(f"output{file_type}", saved.main)
            files = saved.files
        for path in files:
            self._said("file", path)

    def _said(self, what: str, path: Path) -> None:
        self.console.print(f"saved {what}, {path.stat().st_size:,} bytes, to {path}")


def _client(config: Config, user: LocalAccount | None) -> Client:
    """A client that signs as `user`, or only reads (None)."""
    return Client(
        protocol=connect_protocol(config, user),
        account=user,
        store=open_store(config),
        poll_interval=config.chain.poll_interval,
        log_range=config.chain.log_range,
    )


def _pair(item: str, option: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name:
        raise CliError(f"{option} takes NAME=VALUE, got {item!r}")
    return name.strip(), value


def _after_acceptance(callback: PromptProgress) -> Callable[[Progress], None]:
    """Progress after the ACCEPTED step only (wait_final replays the task from its submission)."""
    accepted = False

    def forward(progress: Progress) -> None:
        nonlocal accepted
        if accepted:
            callback(progress)
        elif progress.stage is Stage.ACCEPTED:
            accepted = True

    return forward
