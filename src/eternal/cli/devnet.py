"""`eternal devnet`: a local network in the background, to play with: up, status, down."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from eternal.cli.context import console, handles_errors
from eternal.cli.demo import ChainOption, ExplorerPortOption
from eternal.cli.display import key_values
from eternal.demo.local_chain import ChainKind
from eternal.devnet.control import DEFAULT_DIR, DevnetOptions, down, status, up

app = typer.Typer(help="Run a local network in the background.", no_args_is_help=True)

DirOption = Annotated[
    Path, typer.Option("--dir", help="Where the devnet's files and devnet.json live.")
]


@app.command("up")
@handles_errors
def up_command(
    directory: DirOption = DEFAULT_DIR,
    explorer: Annotated[bool, typer.Option(help="Also serve the web explorer.")] = False,
    explorer_port: ExplorerPortOption = None,
    chain: ChainOption = ChainKind.AUTO,
    dishonest: Annotated[
        bool, typer.Option(help="Make one agent of the music model reveal wrong outputs.")
    ] = False,
    models: Annotated[
        list[str] | None,
        typer.Option("--model", help="Publish only this example model (repeat for more)."),
    ] = None,
) -> None:
    """Start a chain, deploy, publish the example models, and run agents and verifiers
    (and the explorer) in the background."""
    started = time.monotonic()
    options = DevnetOptions(
        directory=directory,
        explorer=explorer,
        explorer_port=explorer_port,
        chain=chain,
        dishonest=dishonest,
        models=tuple(models) if models else DevnetOptions.models,
    )
    state = up(options, lambda text: console.print(f"[green]✓[/] {text}"))
    user = state.clients["user"]
    rows = [
        ("chain", f"{state.chain.kind} on {state.chain.url}"),
        ("deployment", str(state.deployment)),
        ("models", ", ".join(f"{m.model_id} {m.name}" for m in state.models)),
        ("nodes", f"{len(state.nodes)} processes (logs in {state.directory / 'nodes'})"),
        ("explorer", state.explorer.url if state.explorer is not None else "-"),
        ("user config", str(user)),
        ("creator config", str(state.clients["creator"])),
    ]
    console.print(key_values(rows))
    console.print(f"devnet up in {time.monotonic() - started:.1f} s. Try:")
    console.print(
        f"  ETERNAL_PASSWORD_FILE={state.password_file} eternal prompt run 1 "
        f'"Compose a narrative involving a dragon and a knight" -c {user}'
    )
    console.print(f"  eternal devnet status --dir {state.directory}")
    console.print(f"  eternal devnet down --dir {state.directory}")


@app.command("status")
@handles_errors
def status_command(directory: DirOption = DEFAULT_DIR) -> None:
    """Show what the devnet runs: chain, deployment, models, each process and its liveness.
    Exits with 1 when a process is down."""
    found = status(directory)
    if found is None:
        console.print(f"no devnet in {directory.expanduser()}")
        raise typer.Exit(1)
    state, processes = found
    console.print(
        key_values(
            [
                ("directory", str(state.directory)),
                ("chain", f"{state.chain.kind} on {state.chain.url}"),
                ("deployment", str(state.deployment)),
                ("models", ", ".join(f"{m.model_id} {m.name} ({m.mode})" for m in state.models)),
                ("explorer", state.explorer.url if state.explorer is not None else "-"),
            ]
        )
    )
    table = Table("process", "pid", "running", "answering", "detail")
    for process in processes:
        table.add_row(
            process.name,
            str(process.pid),
            _mark(process.alive),
            _mark(process.answering),
            process.detail,
        )
    console.print(table)
    if not all(p.alive and p.answering for p in processes):
        raise typer.Exit(1)


@app.command("down")
@handles_errors
def down_command(directory: DirOption = DEFAULT_DIR) -> None:
    """Stop every process of the devnet and delete its directory."""
    report = down(directory)
    if report is None:
        console.print(f"no devnet in {directory.expanduser()}")
        raise typer.Exit(1)
    console.print(f"stopped {report.stopped} processes; {report.left_running} left running")
    if report.left_running:
        console.print(f"[red]kept {report.removed}: some processes did not stop[/]")
        raise typer.Exit(1)
    console.print(f"removed {report.removed}")


def _mark(ok: bool) -> str:
    return "[green]yes[/]" if ok else "[red]no[/]"
