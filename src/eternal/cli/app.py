"""The `eternal` command: one Typer app, its commands wired here."""

from __future__ import annotations

import typer

from eternal import __version__
from eternal.cli import account, agent, chain, demo, devnet, explorer, model, prompt, verifier

app = typer.Typer(
    name="eternal",
    help="Eternal: decentralized AI inference secured by Proof-of-Compute.",
    no_args_is_help=True,
    add_completion=False,
)


app.add_typer(account.app, name="account")
app.add_typer(chain.app, name="chain")
app.add_typer(model.app, name="model")
app.add_typer(prompt.app, name="prompt")
app.add_typer(agent.app, name="agent")
app.add_typer(verifier.app, name="verifier")
app.add_typer(devnet.app, name="devnet")
app.command("explorer")(explorer.explorer)
app.command("demo")(demo.demo)


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
