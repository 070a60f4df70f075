"""`eternal account`: keys in the encrypted keystore, balances, and dev funds on local chains."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from eternal.chain.accounts import dev_accounts
from eternal.chain.connect import bind, is_local_chain
from eternal.chain.deployment import Deployment
from eternal.chain.wallet import LocalAccount, checksum_address, eth_balance, send_eth
from eternal.cli.context import (
    AccountOption,
    ConfigOption,
    chain_backend,
    connect_protocol,
    console,
    handles_errors,
    keystore,
    load_cli_config,
    read_password,
    resolve_address,
)
from eternal.cli.display import eai, eth, key_values, parse_units
from eternal.cli.errors import CliError

app = typer.Typer(help="Create accounts, list them, check balances, get dev funds.")

# Funded by anvil (and the in-process chain) at genesis, and given EAI by `chain deploy`.
DEV_ACCOUNTS = 10


@app.command("new")
@handles_errors
def new(config_path: ConfigOption = None) -> None:
    """Create a new key, encrypted in the keystore with the password (asked twice)."""
    config = load_cli_config(config_path)
    address = keystore(config).create(read_password(confirm=True))
    console.print(address)
    console.print(
        f"[dim]key stored in {config.keystore_dir}; use it with --account {address} "
        "or ETERNAL_ACCOUNT[/]"
    )


@app.command("list")
@handles_errors
def list_(config_path: ConfigOption = None) -> None:
    """List the accounts in the keystore (* marks the configured default)."""
    config = load_cli_config(config_path)
    addresses = keystore(config).addresses()
    if not addresses:
        console.print(
            f"[dim]no keys in {config.keystore_dir}: create one with `eternal account new`[/]"
        )
        return
    default = checksum_address(config.account) if config.account else None
    for address in addresses:
        console.print(f"{address}{' *' if address == default else ''}")


@app.command("balance")
@handles_errors
def balance(
    address: Annotated[
        str | None, typer.Argument(help="Address to look at (default: your account).")
    ] = None,
    config_path: ConfigOption = None,
    account: AccountOption = None,
) -> None:
    """Show an address's ether, EAI and claimable rewards."""
    config = load_cli_config(config_path)
    who = checksum_address(address) if address else resolve_address(config, account)
    protocol = connect_protocol(config)
    rows = [
        ("address", who),
        ("ETH", eth(eth_balance(protocol.backend, who))),
        ("EAI", eai(protocol.token.balance_of(who))),
        ("claimable", eai(protocol.tasks.claimable(who))),
    ]
    console.print(key_values(rows))


@app.command("fund")
@handles_errors
def fund(
    address: Annotated[str, typer.Argument(help="Address to fund.")],
    eth_amount: Annotated[str, typer.Option("--eth", help="Ether to send.")] = "10",
    eai_amount: Annotated[str, typer.Option("--eai", help="EAI to send.")] = "1000",
    config_path: ConfigOption = None,
) -> None:
    """Send dev ether and EAI to ADDRESS (local chains only: anvil's funded dev accounts pay)."""
    config = load_cli_config(config_path)
    to = checksum_address(address)
    eth_wei = parse_units(eth_amount, "ETH")
    eai_wei = parse_units(eai_amount, "EAI")
    devs = dev_accounts(DEV_ACCOUNTS)
    backend = chain_backend(config, devs)
    if not is_local_chain(backend):
        raise CliError(
            f"{config.chain.rpc_url} is not a local chain (chain id {backend.chain_id}): "
            "`account fund` only hands out dev funds on anvil, hardhat or the in-process chain"
        )
    if eth_wei:
        send_eth(backend, devs[0], to, eth_wei)
        console.print(f"sent {eth(eth_wei)} to {to} from dev account {devs[0].address}")
    if eai_wei:
        protocol = bind(backend, Deployment.load(config.deployment_path))
        payer = _eai_holder(devs, eai_wei, exclude=to, balance_of=protocol.token.balance_of)
        protocol.token.transfer(payer, to, eai_wei)
        console.print(f"sent {eai(eai_wei)} to {to} from dev account {payer.address}")


def _eai_holder(
    devs: tuple[LocalAccount, ...],
    amount: int,
    *,
    exclude: str,
    balance_of: Callable[[str], int],
) -> LocalAccount:
    for dev in devs:
        if dev.address != exclude and balance_of(dev.address) >= amount:
            return dev
    raise CliError(
        f"no dev account holds {eai(amount)}: was the protocol deployed with "
        "`eternal chain deploy` (which gives them genesis EAI)?"
    )
