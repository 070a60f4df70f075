"""The one interface every chain backend offers: a web3 handle, funded keys, and dev controls.

Implementations: `embedded.EmbeddedChain` (in-process eth-tester, for fast tests) and
`rpc.RpcChain` (any JSON-RPC node; `anvil.AnvilChain` starts a local anvil for it). Accounts
are always local keys, so transactions are signed the same way on every backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Self, TypeVar

from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import Web3Exception

from eternal.chain.nonces import NonceTracker
from eternal.chain.revert_decoding import ErrorRegistry
from eternal.errors import RpcError

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
DEFAULT_GAS_LIMIT = 60_000_000  # per block: big deployments fit on both backends
DEFAULT_PRIORITY_FEE_WEI = 10**9  # 1 gwei tip; dev chains start with a 1 gwei base fee

_T = TypeVar("_T")


class ChainBackend(ABC):
    """A chain we can send signed transactions to, with dev-chain controls.

    `w3`: web3 handle; `accounts`: funded keys; `errors`: the registry used to decode reverts
    (deploying through `contracts.deploy` adds the contract's errors); `nonces`: local nonce
    counts, dropped whenever the chain is reverted.
    """

    # Whether calls run at the latest block's time, so that a dev node mining only for
    # transactions (anvil's automine) shows a stalled clock while idle.
    calls_at_latest_time = True

    def __init__(
        self,
        w3: Web3,
        accounts: Sequence[LocalAccount],
        *,
        errors: ErrorRegistry | None = None,
        priority_fee_wei: int = DEFAULT_PRIORITY_FEE_WEI,
    ) -> None:
        self.w3 = w3
        self.accounts: tuple[LocalAccount, ...] = tuple(accounts)
        self.errors = errors if errors is not None else ErrorRegistry.packaged()
        self.nonces = NonceTracker(self._pending_nonce)
        self.priority_fee_wei = priority_fee_wei
        self._chain_id: int | None = None

    @property
    def chain_id(self) -> int:
        """The chain id (asked once: it never changes for a running chain)."""
        if self._chain_id is None:
            self._chain_id = int(self._web3_call(lambda: self.w3.eth.chain_id))
        return self._chain_id

    @property
    def caller(self) -> str:
        """The `from` of read-only calls that name none: the first key, else the zero address.

        (The in-process chain charges a call's gas to its sender, so it must be funded.)
        """
        return self.accounts[0].address if self.accounts else ZERO_ADDRESS

    def block_number(self) -> int:
        return int(self._web3_call(lambda: self.w3.eth.block_number))

    def gas_used(self, tx_hash: bytes) -> int:
        """Gas a mined transaction used, from its receipt."""
        receipt = self._web3_call(lambda: self.w3.eth.get_transaction_receipt(HexBytes(tx_hash)))
        return int(receipt["gasUsed"])

    def latest_timestamp(self) -> int:
        """`block.timestamp` of the latest mined block."""
        return int(self._web3_call(lambda: self.w3.eth.get_block("latest"))["timestamp"])

    @abstractmethod
    def increase_time(self, seconds: int) -> None:
        """Move time forward by at least `seconds` and mine a block carrying the new time."""

    @abstractmethod
    def mine(self, blocks: int = 1) -> None:
        """Mine `blocks` empty blocks."""

    @abstractmethod
    def snapshot(self) -> int:
        """Save the chain state; returns an id for `revert`."""

    def revert(self, snapshot_id: int) -> None:
        """Go back to a snapshot. On RPC nodes an id can be used only once."""
        self._revert(snapshot_id)
        # Nonces counted locally since the snapshot are void now.
        self.nonces.forget_all()

    @abstractmethod
    def _revert(self, snapshot_id: int) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Release the connection (and the node process, if this backend owns one)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _pending_nonce(self, address: str) -> int:
        return int(
            self._web3_call(
                lambda: self.w3.eth.get_transaction_count(
                    Web3.to_checksum_address(address), "pending"
                )
            )
        )

    @staticmethod
    def _web3_call(request: Callable[[], _T]) -> _T:
        """Run a web3 request, turning web3's JSON-RPC errors into RpcError."""
        try:
            return request()
        except Web3Exception as exc:
            raise RpcError(f"RPC request failed: {exc}") from exc
