"""`eternal demo`: the whole network on this machine, start to finish, with a summary."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console

from eternal.cli.context import console, escape, handles_errors
from eternal.demo.facts import shortfalls
from eternal.demo.json_report import write_json
from eternal.demo.local_chain import ChainKind
from eternal.demo.orchestration import DemoOptions, run_demo
from eternal.demo.report import print_summary

# Shared with `eternal devnet up`, which builds the same network.
ChainOption = Annotated[
    ChainKind, typer.Option(help="The local chain: anvil if found, else the embedded one.")
]
ExplorerPortOption = Annotated[
    int | None, typer.Option(help="The explorer's port (default: a free one).")
]


@handles_errors
def demo(
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the facts as JSON to this file.")
    ] = None,
    workdir: Annotated[
        Path,
        typer.Option(help="Where outputs (and, with --keep, the network's files) are written."),
    ] = Path("eternal-demo"),
    keep: Annotated[
        bool, typer.Option(help="Keep the network's files: node homes, logs, blobs.")
    ] = False,
    chain: ChainOption = ChainKind.AUTO,
    explorer: Annotated[
        bool, typer.Option(help="Serve the web explorer while the demo runs, to watch it live.")
    ] = False,
    explorer_port: ExplorerPortOption = None,
    examples: Annotated[
        Path | None,
        typer.Option(help="The example models' folder (default: the repository's).", hidden=True),
    ] = None,
) -> None:
    """Start a local chain, publish the example models, run agents (one dishonest) and
    verifiers as processes, send the whitepaper's prompts and show where every EAI went."""
    # SIGTERM unwinds like Ctrl-C, so every process the demo started is stopped.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        options = DemoOptions(
            workdir=workdir,
            keep=keep,
            chain=chain,
            examples=examples,
            explorer=explorer,
            explorer_port=explorer_port,
        )
        facts = run_demo(options, console)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if json_path is not None:
        write_json(facts, json_path)
    # Its own console: tables and panels wrap to the terminal (the CLI's soft-wraps lines).
    print_summary(Console(highlight=False), facts, json_path=json_path)
    problems = shortfalls(facts)
    for problem in problems:
        console.print(f"[bold red]not met:[/] {escape(problem)}")
    if problems:
        raise typer.Exit(1)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
