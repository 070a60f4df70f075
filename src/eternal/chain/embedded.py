"""EmbeddedChain: an in-process chain (eth-tester + py-evm), for fast tests with no node.

py-evm runs the latest fork it knows (Prague: PUSH0, MCOPY, TSTORE all work). Each transaction
is mined in its own block as soon as it is sent.
"""

from __future__ import annotations

from typing import Any, cast

from eth.abc import SignedTransactionAPI, StateAPI
from eth.exceptions import VMError
from eth.vm.spoof import SpoofTransaction
from eth_keys.datatypes import PrivateKey
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.main import _execute_and_revert_transaction
from eth_tester.exceptions import TransactionFailed as TesterTransactionFailed
from eth_tester.exceptions import ValidationError as TesterValidationError
from eth_utils.address import to_canonical_address
from eth_utils.currency import to_wei
from eth_utils.exceptions import ValidationError as EvmValidationError
from web3 import EthereumTesterProvider, Web3
from web3.exceptions import ContractLogicError
from web3.types import RPCEndpoint, RPCResponse

from eternal.chain.accounts import DEV_MNEMONIC, dev_accounts
from eternal.chain.backend import DEFAULT_GAS_LIMIT, DEFAULT_PRIORITY_FEE_WEI, ChainBackend
from eternal.chain.revert_decoding import ErrorRegistry

_CALL_METHODS = frozenset({"eth_call", "eth_estimateGas"})
_REVERT_CODE = 3  # what geth and anvil answer for "execution reverted"
_INVALID_INPUT_CODE = -32000  # what they answer for a rejected transaction


class EmbeddedChain(ChainBackend):
    """A fresh in-memory chain with `accounts` dev accounts (anvil's mnemonic) funded.

    Gas estimates run the transaction once (see `_one_run_gas_estimate`) unless
    `search_gas_estimates`, which keeps py-evm's binary search (~14 runs per estimate).
    """

    # py-evm runs calls and estimates on a pending block stamped with the wall clock.
    calls_at_latest_time = False

    def __init__(
        self,
        *,
        accounts: int = 10,
        mnemonic: str = DEV_MNEMONIC,
        balance_wei: int = to_wei(1_000_000, "ether"),
        gas_limit: int = DEFAULT_GAS_LIMIT,
        errors: ErrorRegistry | None = None,
        priority_fee_wei: int = DEFAULT_PRIORITY_FEE_WEI,
        search_gas_estimates: bool = False,
    ) -> None:
        funded = dev_accounts(accounts, mnemonic)
        # Genesis built from our (cached) keys: eth-tester's own mnemonic path derives every
        # key twice more, ~35 ms each, on every new chain.
        genesis_state = {
            to_canonical_address(account.address): {
                "balance": balance_wei,
                "nonce": 0,
                "code": b"",
                "storage": {},
            }
            for account in funded
        }
        evm = PyEVMBackend(
            genesis_parameters=PyEVMBackend.generate_genesis_params({"gas_limit": gas_limit}),
            genesis_state=genesis_state,
        )
        # Only so that eth_accounts lists the funded keys; we always sign locally.
        evm.account_keys = tuple(PrivateKey(account.key) for account in funded)
        if not search_gas_estimates:
            # On the chain object, and on its class (made afresh for each PyEVMBackend) for
            # the chain object eth-tester rebuilds when reverting to a genesis snapshot.
            evm.chain.gas_estimator = _one_run_gas_estimate
            type(evm.chain).gas_estimator = staticmethod(_one_run_gas_estimate)
        self.tester = EthereumTester(evm)
        super().__init__(
            Web3(_NodeLikeTesterProvider(self.tester)),
            funded,
            errors=errors,
            priority_fee_wei=priority_fee_wei,
        )

    def increase_time(self, seconds: int) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        # eth-tester refuses to travel to (or before) the pending block's time, and mines the
        # block carrying the new time itself, stamped one second before the time asked for.
        pending = int(self.tester.get_block_by_number("pending")["timestamp"])
        target = max(self.latest_timestamp() + seconds, pending)
        self.tester.time_travel(target + 1)

    def mine(self, blocks: int = 1) -> None:
        self.tester.mine_blocks(blocks)

    def snapshot(self) -> int:
        return int(self.tester.take_snapshot())

    def _revert(self, snapshot_id: int) -> None:
        self.tester.revert_to_snapshot(snapshot_id)

    def close(self) -> None:
        # Nothing runs outside this process; the chain is garbage once unreferenced.
        self.nonces.forget_all()


def _one_run_gas_estimate(state: StateAPI, transaction: SignedTransactionAPI) -> int:
    """Gas for `transaction` from one run at the block gas limit (py-evm's estimator hook).

    Returns the gas consumed before refunds, plus 1/63 for the gas a CALL must keep back
    (EIP-150); `transactions.GAS_MARGIN` adds room for deeper nesting. A failing run raises its
    error, as py-evm's own estimators do.
    """
    spoofed = cast(
        SignedTransactionAPI, SpoofTransaction(transaction, gas=state.gas_limit, gas_price=0)
    )
    snapshot = state.snapshot()
    try:
        computation = state.apply_transaction(spoofed)
    finally:
        state.revert(snapshot)
    if computation.is_error:
        raise computation.error
    used = transaction.intrinsic_gas + computation.get_gas_used()
    return min(int(state.gas_limit), used * 64 // 63)


class _NodeLikeTesterProvider(EthereumTesterProvider):
    """EthereumTesterProvider that fails the way a JSON-RPC node does.

    web3's tester provider raises eth-tester's own exceptions, with custom-error revert data
    turned into a printed `bytes` repr. Here every failure becomes a JSON-RPC error answer
    instead: reverts get code 3 and the raw revert data (replayed through py-evm), rejected
    transactions code -32000. web3 then raises the same exceptions as against anvil, so the
    rest of `eternal.chain` has a single error path.
    """

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        try:
            return super().make_request(method, params)
        except (TesterTransactionFailed, ContractLogicError):
            if method not in _CALL_METHODS:
                raise
            data = self._replay_revert_data(params)
            return self._error(_REVERT_CODE, "execution reverted", data)
        except (TesterValidationError, EvmValidationError) as exc:
            return self._error(_INVALID_INPUT_CODE, str(exc), None)

    def _error(self, code: int, message: str, data: bytes | None) -> RPCResponse:
        error: dict[str, Any] = {"code": code, "message": message}
        if data is not None:
            error["data"] = "0x" + data.hex()
        return cast(RPCResponse, {"jsonrpc": "2.0", "id": self._current_request_id, "error": error})

    def _replay_revert_data(self, params: Any) -> bytes | None:
        """Run the call again on py-evm and return its revert data (None if it did not revert).

        Mirrors `PyEVMBackend.call`, which keeps the data only as text. The `_`-helpers used
        here are eth-tester internals (pinned version; the revert tests cover this path).
        """
        tester = cast(EthereumTester, self.ethereum_tester)
        evm = cast(PyEVMBackend, tester.backend)
        transaction = tester.normalizer.normalize_inbound_transaction(dict(params[0]))
        block = tester.normalizer.normalize_inbound_block_number(
            params[1] if len(params) > 1 else "latest"
        )
        transaction.setdefault("gas", evm._max_available_gas())
        unsigned = evm._get_normalized_and_unsigned_evm_transaction(transaction, block)
        spoofed = SpoofTransaction(unsigned, from_=transaction.get("from", bytes(20)))
        try:
            computation = _execute_and_revert_transaction(evm.chain, spoofed, block)
        except VMError:
            return None
        return bytes(computation.output) if computation.is_error else None
