"""The `eternal` command: one Typer app, its commands wired here."""

from __future__ import annotations

import typer

from eternal import __version__

app = typer.Typer(
    name="eternal",
    help="Eternal: decentralized AI inference secured by Proof-of-Compute.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Eternal: decentralized AI inference secured by Proof-of-Compute."""


@app.command()
def version() -> None:
    """Print the installed version of eternal."""
    typer.echo(f"eternal {__version__}")


def main() -> None:
    """Entry point of the `eternal` console script."""
    app()
