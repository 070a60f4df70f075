"""Run `eternal` commands in process (typer's CliRunner) against the in-process network.

Each test gets a data dir holding the network's deployment file and one key (the first user's,
encrypted with a cheap scrypt cost so that loading it is fast); commands reach the chain
through `chain_override`. The environment is cleared of any ETERNAL_* setting of the machine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from eternal.chain.keystore import Keystore
from eternal.cli import context
from eternal.cli.app import app
from eternal.cli.context import chain_override
from eternal.storage.local import LocalStore
from tests.support.network import Network

PASSWORD = "cli-test"
_CLEARED = (
    "ETERNAL_CONFIG",
    "ETERNAL_ACCOUNT",
    "ETERNAL_RPC_URL",
    "ETERNAL_DEPLOYMENT",
    "ETERNAL_BLOBS_DIR",
    "ETERNAL_GATEWAYS",
    "ETERNAL_KUBO_API",
    "ETERNAL_PASSWORD_FILE",
)


@dataclass
class Cli:
    home: Path
    network: Network
    runner: CliRunner

    @property
    def store(self) -> LocalStore:
        """The blob store the commands use (<data dir>/blobs)."""
        return LocalStore(self.home / "blobs")

    def __call__(
        self, *args: object, env: dict[str, str | None] | None = None, chain: bool = True
    ) -> Result:
        environment: dict[str, str | None] = {name: None for name in _CLEARED}
        environment |= {"ETERNAL_DATA_DIR": str(self.home), "ETERNAL_PASSWORD": PASSWORD}
        environment |= env or {}
        argv = [str(arg) for arg in args]
        if not chain:
            return self.runner.invoke(app, argv, env=environment)
        with chain_override(self.network.chain):
            return self.runner.invoke(app, argv, env=environment)


def ok(result: Result) -> str:
    """The command's stdout, after checking that it succeeded."""
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}{result.stderr}"
    return result.stdout


def failed(result: Result) -> str:
    """The one error line of a command that failed cleanly (exit 1, no traceback)."""
    assert result.exit_code == 1, f"exit {result.exit_code}: {result.output}"
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture(autouse=True)
def _wide_console() -> Iterator[None]:
    # Not a terminal: rich would wrap at 80 columns and split hashes across lines.
    context.console.width = context.err_console.width = 200
    yield
    context.console.width = context.err_console.width = None  # type: ignore[assignment]  # back to auto


@pytest.fixture
def cli(network: Network, tmp_path: Path) -> Cli:
    home = tmp_path / "home"
    network.protocol.deployment.save(home / "deployment.json")
    Keystore(home / "keystore", scrypt_n=2**4).add(network.users[0].key, PASSWORD)
    return Cli(home=home, network=network, runner=CliRunner())


def user_address(cli: Cli) -> str:
    return cli.network.users[0].address


def lines(text: str) -> Sequence[str]:
    return [line.strip() for line in text.strip().splitlines()]
