"""Talking to Ethereum chains: the only package that imports web3, eth_account and eth_abi.

Backends (`ChainBackend`): `RpcChain` for any JSON-RPC node, `AnvilChain` for a local anvil it
starts, and `eternal.chain.embedded.EmbeddedChain` for an in-process chain (imported from its
module on purpose: it needs the eth-tester/py-evm test stack). Transactions: `send`, `submit`,
`call`. Contracts: `deploy`, `contract_at`, `load_artifact`. Reverts raise the exceptions in
`eternal.errors`, decoded with our ABIs.
"""

from eternal.chain.accounts import DEV_MNEMONIC, accounts_from_keys, dev_accounts
from eternal.chain.anvil import AnvilChain, AnvilProcess, find_anvil
from eternal.chain.artifacts import Artifact, load_artifact, packaged_artifact_names, read_artifact
from eternal.chain.backend import ChainBackend
from eternal.chain.contracts import contract_at, deploy
from eternal.chain.events import Event, decode_events
from eternal.chain.retry import RetryPolicy
from eternal.chain.revert_decoding import PANIC_MEANINGS, ErrorRegistry
from eternal.chain.rpc import RpcChain
from eternal.chain.transactions import PendingTx, TxRequest, TxResult, call, send, submit

__all__ = [
    "DEV_MNEMONIC",
    "PANIC_MEANINGS",
    "AnvilChain",
    "AnvilProcess",
    "Artifact",
    "ChainBackend",
    "ErrorRegistry",
    "Event",
    "PendingTx",
    "RetryPolicy",
    "RpcChain",
    "TxRequest",
    "TxResult",
    "accounts_from_keys",
    "call",
    "contract_at",
    "decode_events",
    "deploy",
    "dev_accounts",
    "find_anvil",
    "load_artifact",
    "packaged_artifact_names",
    "read_artifact",
    "send",
    "submit",
]
