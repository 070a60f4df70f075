"""What every command needs before it can act: configuration, an account, the chain, a store.

Commands take the shared options (`ConfigOption`, `AccountOption`) and call these helpers:

    config = load_cli_config(config_path)
    account = load_account(config, account_option)   # asks for the password if needed
    protocol = connect_protocol(config, account)
    store = open_store(config)

and wrap themselves in `@handles_errors`, so that an `EternalError` ends the command with one red
line on stderr and exit code 1 instead of a traceback.

The chain a command talks to is the node at `config.chain.rpc_url`, unless the code invoking the
app in process says otherwise: `with chain_override(backend): runner.invoke(app, args)` runs the
commands against `backend` (an in-process chain in tests, for instance).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from eternal.chain.backend import ChainBackend
from eternal.chain.connect import bind
from eternal.chain.deployment import Deployment
from eternal.chain.keystore import Keystore
from eternal.chain.protocol import Protocol
from eternal.chain.rpc import RpcChain
from eternal.chain.wallet import LocalAccount, checksum_address
from eternal.cli.errors import CliError
from eternal.config import Config, ConfigError, load_config, password
from eternal.errors import EternalError
from eternal.storage.from_config import open_store as _open_store
from eternal.storage.store import BlobStore

P = ParamSpec("P")
R = TypeVar("R")

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Configuration file (default: $ETERNAL_CONFIG, else <data dir>/config.toml).",
        show_default=False,
    ),
]
AccountOption = Annotated[
    str | None,
    typer.Option(
        "--account",
        "-a",
        help="Address of the key to use (default: $ETERNAL_ACCOUNT, the config's `account`, "
        "or the only key in the keystore).",
        show_default=False,
    ),
]


_CHAIN_OVERRIDE: ContextVar[ChainBackend | None] = ContextVar("eternal_cli_chain", default=None)


@contextmanager
def chain_override(backend: ChainBackend) -> Iterator[None]:
    """Within this block, commands run in this thread talk to `backend`, not the RPC URL."""
    token = _CHAIN_OVERRIDE.set(backend)
    try:
        yield
    finally:
        _CHAIN_OVERRIDE.reset(token)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn Eternal's errors into one red line on stderr and exit code 1 (no traceback)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except EternalError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from exc
        except KeyboardInterrupt:
            err_console.print("[yellow]interrupted[/]")
            raise typer.Exit(130) from None

    return wrapper


def escape(text: str) -> str:
    """`text` with rich markup disabled (messages quote values that may contain brackets)."""
    return text.replace("[", "\\[")


def load_cli_config(path: Path | None) -> Config:
    return load_config(path)


def keystore(config: Config) -> Keystore:
    return Keystore(config.keystore_dir)


def resolve_address(config: Config, address_option: str | None) -> str:
    """The account a command acts as: the option, else the config's, else the only key."""
    chosen = address_option or config.account
    if chosen:
        return checksum_address(chosen)
    addresses = keystore(config).addresses()
    if len(addresses) == 1:
        return addresses[0]
    if not addresses:
        raise CliError(
            f"no account: the keystore {config.keystore_dir} is empty; "
            "create one with `eternal account new`"
        )
    raise CliError(
        f"{len(addresses)} keys in {config.keystore_dir}: choose one with --account, "
        "ETERNAL_ACCOUNT or `account` in the configuration"
    )


def read_password(*, confirm: bool = False) -> str:
    """ETERNAL_PASSWORD_FILE / ETERNAL_PASSWORD, else a prompt on an interactive terminal."""
    secret = password()
    if secret is not None:
        return secret
    if not sys.stdin.isatty():
        raise ConfigError(
            "no keystore password: set ETERNAL_PASSWORD or ETERNAL_PASSWORD_FILE "
            "(no terminal to ask on)"
        )
    entered: str = typer.prompt("Keystore password", hide_input=True, confirmation_prompt=confirm)
    return entered


def load_account(config: Config, address_option: str | None) -> LocalAccount:
    """The key of the chosen account, decrypted from the keystore."""
    address = resolve_address(config, address_option)
    return keystore(config).load(address, read_password())


def chain_backend(config: Config, accounts: Sequence[LocalAccount] = ()) -> ChainBackend:
    """The chain commands talk to: the configured RPC node, or the `chain_override` one."""
    override = _CHAIN_OVERRIDE.get()
    if override is not None:
        return override
    return RpcChain(config.chain.rpc_url, [account.key for account in accounts])


def connect_protocol(config: Config, account: LocalAccount | None = None) -> Protocol:
    """The configured deployment on the configured chain; `account` signs (None: reads only)."""
    deployment = Deployment.load(config.deployment_path)
    backend = chain_backend(config, [account] if account is not None else [])
    return bind(backend, deployment, source=str(config.deployment_path))


def open_store(config: Config) -> BlobStore:
    """The configured blob store (local directory first, then gateways / kubo)."""
    return _open_store(config)
