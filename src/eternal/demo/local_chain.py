"""The local chain of a demo or devnet: anvil when it is installed, else the embedded chain.

Either way it is a separate process on 127.0.0.1 that every node reaches by JSON-RPC:
anvil (`--prune-history`, automine, the dev mnemonic's accounts), or `eternal.chain.
embedded_server` serving the in-process eth-tester chain (the same accounts, much slower).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from eternal.chain.accounts import dev_accounts
from eternal.chain.anvil import AnvilProcess, find_anvil
from eternal.chain.retry import NO_RETRY
from eternal.chain.rpc import RpcChain
from eternal.chain.wallet import LocalAccount
from eternal.demo.errors import DemoError
from eternal.demo.processes import ManagedProcess, free_port, python_env
from eternal.errors import RpcError

START_TIMEOUT = 30.0  # seconds for the chain to answer (the embedded one imports py-evm first)


class ChainKind(StrEnum):
    AUTO = "auto"  # anvil if found, else embedded
    ANVIL = "anvil"
    EMBEDDED = "embedded"


@dataclass
class LocalChain:
    """A chain process and how to reach it."""

    kind: ChainKind
    url: str
    process: ManagedProcess
    accounts: tuple[LocalAccount, ...]

    @classmethod
    def start(
        cls, root: Path, accounts: int, *, kind: ChainKind = ChainKind.AUTO, tied: bool = True
    ) -> LocalChain:
        """Start the chain of the network in `root` with `accounts` funded dev accounts (its log:
        root/chain.log); returns once it answers."""
        chosen = resolve_kind(kind)
        port = free_port()
        if chosen is ChainKind.ANVIL:
            anvil = AnvilProcess(accounts=accounts)
            anvil.port = port
            argv = anvil.command()
        else:
            argv = [sys.executable, "-m", "eternal.chain.embedded_server"]
            argv += ["--port", str(port), "--accounts", str(accounts)]
        process = ManagedProcess(
            f"{chosen.value} chain", argv, root / "chain.log", env=python_env(root), tied=tied
        ).start()
        chain = cls(chosen, f"http://127.0.0.1:{port}", process, dev_accounts(accounts))
        try:
            chain._wait_until_answering()
        except BaseException:
            process.stop()
            raise
        return chain

    def backend(self, accounts: tuple[LocalAccount, ...] | None = None) -> RpcChain:
        """A client of this chain signing with `accounts` (default: every dev account)."""
        signers = self.accounts if accounts is None else accounts
        return RpcChain(self.url, [account.key for account in signers])

    def stop(self) -> None:
        self.process.stop()

    def _wait_until_answering(self) -> None:
        probe = RpcChain(self.url, [], retry=NO_RETRY, timeout=2.0)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if not self.process.running:
                    raise DemoError(
                        f"the {self.kind.value} chain exited with code "
                        f"{self.process.exit_code}: {self.process.log_tail()}"
                    )
                try:
                    probe.block_number()
                    return
                except RpcError:
                    time.sleep(0.1)
        finally:
            probe.close()
        raise DemoError(f"the {self.kind.value} chain did not answer on {self.url} in time")


def resolve_kind(kind: ChainKind) -> ChainKind:
    """AUTO as anvil when its binary is found, else embedded; ANVIL must be found."""
    binary = find_anvil()
    found = binary is not None and binary.is_file()
    if kind is ChainKind.AUTO:
        return ChainKind.ANVIL if found else ChainKind.EMBEDDED
    if kind is ChainKind.ANVIL and not found:
        raise DemoError("anvil not found: run `npm ci` in the repository, or set ETERNAL_ANVIL")
    return kind
