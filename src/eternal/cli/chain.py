"""`eternal chain`: run a local anvil, deploy the protocol on it, and show what is deployed."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from eternal.chain.accounts import dev_accounts
from eternal.chain.anvil import HOST, find_anvil
from eternal.chain.connect import LOCAL_CHAIN_ID, client_version, is_local_chain
from eternal.chain.deployment import Deployment, deploy_system
from eternal.chain.params import ProtocolParams
from eternal.cli.account import DEV_ACCOUNTS
from eternal.cli.context import (
    ConfigOption,
    chain_backend,
    connect_protocol,
    console,
    handles_errors,
    load_cli_config,
)
from eternal.cli.display import eai, key_values, parse_units
from eternal.cli.errors import CliError
from eternal.config import Config

app = typer.Typer(help="Run a local chain, deploy the protocol, show the deployment.")


class ParamSet(StrEnum):
    DEV = "dev"  # short windows (2 min commit/reveal, 5 min challenge): local networks
    DEFAULT = "default"  # the documented defaults (docs/parameters.md)


@app.command("anvil")
@handles_errors
def anvil(
    port: Annotated[int, typer.Option(help="Port to listen on (127.0.0.1 only).")] = 8545,
) -> None:
    """Run a local anvil in the foreground (10 funded dev accounts); Ctrl-C stops it."""
    binary = find_anvil()
    if binary is None or not binary.is_file():
        raise CliError("anvil not found: run `npm ci` in the repository, or set ETERNAL_ANVIL")
    args = [
        str(binary),
        "--host", HOST,
        "--port", str(port),
        # Without it anvil keeps every block's state on disk and slows down (ENVIRONMENT.md).
        "--prune-history",
        "--chain-id", str(LOCAL_CHAIN_ID),
        "--accounts", str(DEV_ACCOUNTS),
    ]  # fmt: skip
    console.print(f"[dim]$ {' '.join(args)}[/]")
    os.execv(args[0], args)


@app.command("deploy")
@handles_errors
def deploy(
    rpc_url: Annotated[
        str | None, typer.Option(help="Node to deploy on (default: the configured one).")
    ] = None,
    params: Annotated[ParamSet, typer.Option(help="Parameter set.")] = ParamSet.DEV,
    genesis: Annotated[
        str, typer.Option(help="Genesis EAI given to each of anvil's first 10 dev accounts.")
    ] = "1000000",
    force: Annotated[bool, typer.Option(help="Replace an existing deployment file.")] = False,
    config_path: ConfigOption = None,
) -> None:
    """Deploy the protocol on a local chain and write the deployment file.

    Dev account 0 becomes governance; the first 10 dev accounts get genesis EAI (hand it out
    with `eternal account fund`).
    """
    config = _with_rpc_url(load_cli_config(config_path), rpc_url)
    path = config.deployment_path
    if path.exists() and not force:
        raise CliError(f"a deployment file already exists at {path}: pass --force to replace it")
    per_account = parse_units(genesis, "EAI")
    devs = dev_accounts(DEV_ACCOUNTS)
    backend = chain_backend(config, devs)
    if not is_local_chain(backend):
        raise CliError(
            f"{config.chain.rpc_url} is not a local chain (chain id {backend.chain_id}): "
            "`chain deploy` deploys with anvil's public dev keys, which only make sense locally"
        )
    chosen = ProtocolParams.dev() if params is ParamSet.DEV else ProtocolParams()
    with console.status("deploying 7 contracts..."):
        deployment = deploy_system(
            backend, devs[0], chosen, {dev.address: per_account for dev in devs}
        )
    deployment.save(path)
    console.print(f"deployed on chain {deployment.chain_id} ({params.value} parameters)")
    console.print(_contracts_table(deployment))
    console.print(f"governance {deployment.governance}; {eai(per_account)} to each dev account")
    console.print(f"deployment file: {path}")


@app.command("info")
@handles_errors
def info(config_path: ConfigOption = None) -> None:
    """Show the chain, the deployed contracts and the token supply."""
    config = load_cli_config(config_path)
    protocol = connect_protocol(config)
    backend = protocol.backend
    token = protocol.token
    rows = [
        ("rpc url", config.chain.rpc_url),
        ("chain id", str(backend.chain_id)),
        ("node", client_version(backend)),
        ("block", str(backend.block_number())),
        ("deployed at block", str(protocol.deployment.block_number)),
        ("EAI supply", f"{eai(token.total_supply())} of at most {eai(token.cap())}"),
        ("models", str(protocol.registry.model_count())),
        ("tasks", str(protocol.tasks.task_count())),
    ]
    console.print(key_values(rows))
    console.print(_contracts_table(protocol.deployment))


def _contracts_table(deployment: Deployment) -> Table:
    table = Table("contract", "address")
    for name, address in deployment.contract_addresses().items():
        table.add_row(name, address)
    return table


def _with_rpc_url(config: Config, rpc_url: str | None) -> Config:
    if rpc_url is None:
        return config
    return config.model_copy(update={"chain": config.chain.model_copy(update={"rpc_url": rpc_url})})
