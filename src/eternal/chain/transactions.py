"""Sending signed transactions and making calls, with reverts decoded into Eternal exceptions.

`send` = estimate gas (a revert here raises the decoded error, nothing is sent), take the next
local nonce, sign with the account's key, send raw, and wait for the receipt at once (old
receipts are slow to fetch on the embedded chain). A mined transaction with status 0 is replayed
with eth_call at its block to recover the revert data. `submit` + `PendingTx.wait` allow several
transactions from one account in flight. This module is the boundary where web3's exceptions
become Eternal's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from eth_account.signers.local import LocalAccount
from web3.contract.contract import ContractFunction
from web3.exceptions import (
    ContractLogicError,
    TimeExhausted,
    Web3Exception,
    Web3RPCError,
)
from web3.types import BlockIdentifier, LogReceipt, TxParams, TxReceipt

from eternal.chain.backend import ChainBackend
from eternal.chain.revert_decoding import revert_data_of
from eternal.errors import ChainError, RpcError, TransactionFailed

GAS_MARGIN = 1.2  # estimates are exact for the state they ran on; leave room for changes
RECEIPT_TIMEOUT = 120.0
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class TxRequest:
    """What to send: `to` None creates a contract from `data` (creation code + arguments)."""

    to: str | None
    data: bytes = b""
    value: int = 0

    @classmethod
    def for_function(cls, function: ContractFunction, value: int = 0) -> TxRequest:
        # web3 has no public encoder for an already-bound ContractFunction.
        data = function._encode_transaction_data()
        return cls(to=function.address, data=bytes.fromhex(data[2:]), value=value)


@dataclass(frozen=True)
class TxResult:
    """A mined, successful transaction."""

    tx_hash: str
    block_number: int
    gas_used: int
    contract_address: str | None
    logs: tuple[LogReceipt, ...]
    receipt: TxReceipt


@dataclass(frozen=True)
class PendingTx:
    """A transaction accepted by the node; `wait()` for its result."""

    backend: ChainBackend
    sender: str
    request: TxRequest
    tx_hash: str
    gas: int

    def wait(self, timeout: float = RECEIPT_TIMEOUT) -> TxResult:
        w3 = self.backend.w3
        with translated_errors(self.backend, to=self.request.to, tx_hash=self.tx_hash):
            receipt = w3.eth.wait_for_transaction_receipt(
                cast(Any, self.tx_hash), timeout=timeout, poll_latency=_POLL_SECONDS
            )
        if receipt["status"] == 0:
            self._raise_revert(receipt)
        address = receipt.get("contractAddress")
        return TxResult(
            tx_hash=self.tx_hash,
            block_number=int(receipt["blockNumber"]),
            gas_used=int(receipt["gasUsed"]),
            contract_address=str(address) if address else None,
            logs=tuple(receipt["logs"]),
            receipt=receipt,
        )

    def _raise_revert(self, receipt: TxReceipt) -> None:
        # A receipt has no revert data: run the same call at the block it was mined in (a
        # reverted transaction changed no state, so that is the state it saw when it was the
        # block's last transaction, as with automining).
        params = _params(self.sender, self.request, gas=self.gas)
        failed = f"transaction failed (status 0, {receipt['gasUsed']} of {self.gas} gas used)"
        try:
            with translated_errors(self.backend, to=self.request.to, tx_hash=self.tx_hash):
                self.backend.w3.eth.call(params, block_identifier=receipt["blockNumber"])
        except RpcError as exc:
            # The node would not replay it (anvil answers an out-of-gas call with an RPC
            # error, a pruned node may lack the state): the failure stands, without data.
            raise TransactionFailed(f"{failed}; no replay: {exc}", tx_hash=self.tx_hash) from exc
        raise TransactionFailed(f"{failed}; its replay did not revert", tx_hash=self.tx_hash)


def submit(
    backend: ChainBackend,
    account: LocalAccount,
    request: TxRequest | ContractFunction,
    *,
    value: int = 0,
    gas: int | None = None,
) -> PendingTx:
    """Sign and send; returns once the node accepted the transaction."""
    if isinstance(request, ContractFunction):
        request = TxRequest.for_function(request, value=value)
    block = _latest_block(backend)
    if gas is None:
        gas = estimate_gas(backend, account.address, request)
        gas = min(int(gas * GAS_MARGIN), int(block["gasLimit"]))
    max_priority = backend.priority_fee_wei
    max_fee = 2 * int(block.get("baseFeePerGas", 0)) + max_priority
    for attempt in range(2):
        nonce = backend.nonces.reserve(account.address)
        fields: dict[str, Any] = {
            "type": 2,
            "chainId": backend.chain_id,
            "nonce": nonce,
            "gas": gas,
            "maxFeePerGas": max_fee,
            "maxPriorityFeePerGas": max_priority,
            "value": request.value,
            "data": request.data,
        }
        if request.to is not None:
            fields["to"] = request.to
        signed = account.sign_transaction(fields)
        tx_hash = "0x" + bytes(signed.hash).hex()
        try:
            backend.w3.eth.send_raw_transaction(signed.raw_transaction)
        except Web3RPCError as exc:
            # The node said no. If it already has this very transaction (a retried send whose
            # first answer was lost), all is well; if our nonce was stale, resync and retry once.
            if _is_known(backend, tx_hash):
                return PendingTx(backend, account.address, request, tx_hash, gas)
            if backend.nonces.resync(account.address) != nonce and attempt == 0:
                continue
            raise RpcError(f"transaction rejected: {exc}", method="eth_sendRawTransaction") from exc
        except RpcError:
            # Transport gave up: we cannot know whether the nonce was used.
            backend.nonces.forget(account.address)
            raise
        return PendingTx(backend, account.address, request, tx_hash, gas)
    raise AssertionError("unreachable: the loop returns or raises")


def send(
    backend: ChainBackend,
    account: LocalAccount,
    request: TxRequest | ContractFunction,
    *,
    value: int = 0,
    gas: int | None = None,
    timeout: float = RECEIPT_TIMEOUT,
) -> TxResult:
    """Send a transaction and wait for it; raises the decoded error if it reverts."""
    return submit(backend, account, request, value=value, gas=gas).wait(timeout)


def estimate_gas(backend: ChainBackend, sender: str, request: TxRequest) -> int:
    """Gas the transaction needs now; a revert raises the decoded error."""
    with translated_errors(backend, to=request.to):
        return int(backend.w3.eth.estimate_gas(_params(sender, request)))


def call(
    backend: ChainBackend,
    function: ContractFunction,
    *,
    sender: str | None = None,
    block: BlockIdentifier = "latest",
) -> Any:
    """Run a read-only call; a revert raises the decoded error."""
    # Always name a sender: without one, web3 asks the node for its accounts on every call.
    params: TxParams = {"from": cast(Any, sender or backend.caller)}
    with translated_errors(backend, to=function.address):
        return function.call(params, block_identifier=block)


@contextmanager
def translated_errors(
    backend: ChainBackend, *, to: str | None, tx_hash: str | None = None
) -> Iterator[None]:
    """Turn web3 exceptions raised inside into Eternal's (reverts decoded with our ABIs)."""
    try:
        yield
    except ContractLogicError as exc:
        data = revert_data_of(exc)
        if data is None:
            raise TransactionFailed(f"reverted: {exc.message}", tx_hash=tx_hash) from exc
        raise backend.errors.decode(data, address=to, tx_hash=tx_hash) from exc
    except TimeExhausted as exc:
        raise RpcError(
            f"no receipt for {tx_hash}: {exc}", method="eth_getTransactionReceipt"
        ) from exc
    except Web3RPCError as exc:
        raise RpcError(f"RPC error: {exc.message}") from exc
    except Web3Exception as exc:
        raise ChainError(f"web3 failed: {exc}") from exc


def _params(sender: str, request: TxRequest, gas: int | None = None) -> TxParams:
    params: dict[str, Any] = {"from": sender, "data": request.data, "value": request.value}
    if request.to is not None:
        params["to"] = request.to
    if gas is not None:
        params["gas"] = gas
    return cast(TxParams, params)


def _latest_block(backend: ChainBackend) -> Any:
    with translated_errors(backend, to=None):
        return backend.w3.eth.get_block("latest")


def _is_known(backend: ChainBackend, tx_hash: str) -> bool:
    try:
        backend.w3.eth.get_transaction(cast(Any, tx_hash))
    except Web3Exception:  # TransactionNotFound, or the node cannot say
        return False
    return True
