"""`eternal verifier`: run a verifier node, look at it, leave the pool."""

from __future__ import annotations

from typing import Annotated

import typer

from eternal.cli.context import (
    AccountOption,
    ConfigOption,
    connect_protocol,
    console,
    handles_errors,
    load_account,
    load_cli_config,
    open_store,
    resolve_address,
)
from eternal.cli.serve import IntervalOption, MetricsPortFileOption, MetricsPortOption, serve
from eternal.node.verifier import VerifierBehaviour
from eternal.node.wiring import build_verifier

app = typer.Typer(help="Run a verifier: check outputs, sit on committees.", no_args_is_help=True)


@app.command()
@handles_errors
def run(
    config_path: ConfigOption = None,
    account: AccountOption = None,
    metrics_port: MetricsPortOption = None,
    metrics_port_file: MetricsPortFileOption = None,
    interval: IntervalOption = None,
    behaviour: Annotated[
        VerifierBehaviour, typer.Option(help="Simulated misbehaviour (demos, tests).", hidden=True)
    ] = VerifierBehaviour.HONEST,
) -> None:
    """Stake (if needed), heartbeat, check outputs and vote until stopped."""
    config = load_cli_config(config_path)
    signer = load_account(config, account)
    protocol = connect_protocol(config, signer)
    node = build_verifier(config, protocol, signer, open_store(config), behaviour=behaviour)
    interval = interval or config.chain.poll_interval
    serve(node, metrics_port=metrics_port, interval=interval, metrics_port_file=metrics_port_file)


@app.command()
@handles_errors
def status(config_path: ConfigOption = None, account: AccountOption = None) -> None:
    """Stake, status, epoch and claimable credits of this verifier."""
    config = load_cli_config(config_path)
    address = resolve_address(config, account)
    protocol = connect_protocol(config)
    info = protocol.verifiers.verifier_info(address)
    console.print(
        f"{address}: {info.status.name.lower()}, stake {info.stake / 1e18:g} EAI, "
        f"last seen epoch {info.last_seen_epoch} (now {protocol.verifiers.current_epoch()}), "
        f"dispute credits {protocol.disputes.claimable(address) / 1e18:g} EAI"
    )


@app.command()
@handles_errors
def unstake(config_path: ConfigOption = None, account: AccountOption = None) -> None:
    """Leave the pool and start unbonding (`eternal verifier withdraw` when it ends)."""
    config = load_cli_config(config_path)
    signer = load_account(config, account)
    protocol = connect_protocol(config, signer)
    protocol.verifiers.unstake(signer)
    until = protocol.verifiers.verifier_info(signer.address).until
    console.print(f"unbonding until {until} (unix time); then `eternal verifier withdraw`")


@app.command()
@handles_errors
def withdraw(config_path: ConfigOption = None, account: AccountOption = None) -> None:
    """Take the stake back once unbonding has ended."""
    config = load_cli_config(config_path)
    signer = load_account(config, account)
    connect_protocol(config, signer).verifiers.withdraw(signer)
    console.print("stake withdrawn")
