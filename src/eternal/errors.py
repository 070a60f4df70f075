"""Eternal's exceptions: one root, one branch per package.

    EternalError
     ├── ChainError                   eternal.chain: talking to a chain
     │    ├── RpcError                node unreachable or timed out (after the bounded
     │    │                           retries), or a JSON-RPC error that is not a revert
     │    ├── NodeStartError          a local node (anvil) did not start or answer
     │    ├── ArtifactError           a compiled contract artifact is missing or malformed
     │    ├── ChainMismatch           the node's chain id is not the deployment's
     │    ├── InvalidAddress          text that is not an Ethereum address
     │    └── TransactionFailed       a transaction or call reverted; `.data` is the raw
     │         │                      revert data, `.tx_hash` the mined transaction if any
     │         ├── ContractError      a custom error decoded with our ABIs:
     │         │                      `.contract`, `.name`, `.args` (dict, declaration order)
     │         ├── RevertedWithReason Error(string): `.reason`
     │         └── Panic              Panic(uint256): `.code`, `.meaning`
     ├── DeploymentFileError          eternal.chain.deployment: no or a malformed deployment file
     ├── KeystoreError                eternal.chain.keystore: no key, bad file, wrong password
     ├── ConfigError                  eternal.config: invalid TOML, value or environment variable
     ├── StorageError                 eternal.storage: content-addressed blobs
     │    ├── InvalidCid              not a CIDv1 (raw, sha2-256) nor an ipfs:// URI of one
     │    ├── BlobNotFound            the store has no such blob: `.cid`, `.store`
     │    ├── BlobCorrupted           the bytes do not hash to the CID (tampered or
     │    │                           truncated): `.cid`, `.got` (their sha256), `.size`
     │    ├── BlobTooLarge            a remote store sent more than the size limit
     │    ├── StorageReadOnly         `put` on a store that only reads (a gateway)
     │    └── StorageUnavailable      network or disk failure, after the bounded retries
     ├── MetadataError                eternal.models.metadata: eternal.yaml breaks the schema
     ├── PackageError                 eternal.models: a model package folder is invalid
     │    └── ArchiveError            a package archive is malformed, unsafe to extract
     │                                (absolute path, `..`, link, device) or not canonical
     ├── ModelRuntimeError            eternal.runtime: running a model through Cog
     │    ├── InvalidInput            a task input breaks the metadata: `.name`, `.problem`
     │    ├── ModelStartError         a Cog server did not become ready (setup failed, ...)
     │    ├── ModelServerDown         a Cog server unreachable, dead or unhealthy
     │    ├── PredictionTimeout       no answer in time; `.started`: ran, or never got a slot
     │    ├── PredictionFailed        the model raised (or its worker died): `.error`, `.logs`
     │    ├── InvalidOutput           an output that does not fit the metadata's output kind
     │    └── EnvironmentSetupError   a package's virtualenv could not be built
     ├── NodeError                    eternal.node: a node cannot start or go on
     │    ├── StateError              its SQLite state is unusable, another's, or in use
     │    └── TaskInputError          a task input unseen, missing, or not the one paid for
     ├── SdkError                     eternal.sdk: submitting and following prompts
     │    ├── ModelUnavailable        no such model, or no agent in its pool
     │    ├── InsufficientFunds       not enough EAI (or ether) for the fee
     │    ├── InvalidTerms            model terms the contracts would refuse
     │    ├── OutputRejected          a stored output that does not match its digest
     │    ├── OutputNotSaved          an output that could not be written to a file
     │    └── TaskTimeout             a task did not reach the awaited stage: `.task_id`, `.state`
     ├── DemoError                    eternal.demo: a local network (demo, devnet) failed
     │    ├── NodeExited              a node process ended on its own: `.name`, `.log_tail`
     │    └── DemoTimeout             an awaited step did not happen in time: `.what`
     ├── ExplorerError                eternal.explorer: a page cannot be built
     │    └── UnknownId               no such task, dispute, model, agent or verifier (404)
     └── CliError                     eternal.cli: a command cannot do what it was asked

Each package adds its own branch under `EternalError` (and draws it here). Third-party
exceptions never leave the package that imports the dependency: they are translated at that
one boundary with `raise ... from exc`. This module imports nothing from web3 or eth_*.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


class EternalError(Exception):
    """Root of every exception Eternal raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take keyword-only arguments, which BaseException's pickling cannot
        # replay; rebuild from the instance state instead (exceptions cross processes).
        return (_restore, (type(self), _RAW_ARGS.__get__(self), dict(self.__dict__)))


# BaseException's own `args` slot, reachable even where a subclass redefines `args`.
_RAW_ARGS: Any = BaseException.__dict__["args"]


def _restore(cls: type[EternalError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    exc = cls.__new__(cls, *args)
    _RAW_ARGS.__set__(exc, args)
    exc.__dict__.update(state)
    return exc


class ChainError(EternalError):
    """Something went wrong while talking to a chain."""


class RpcError(ChainError):
    """The node could not be reached, timed out, or answered with a non-revert error."""

    def __init__(self, message: str, *, method: str | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        self.method = method
        self.attempts = attempts


class NodeStartError(ChainError):
    """A local node process did not start or did not answer in time."""


class ArtifactError(ChainError):
    """A compiled contract artifact is missing or malformed."""


class TransactionFailed(ChainError):
    """A transaction or an eth_call reverted (or a mined transaction has status 0).

    `data` holds the raw revert data (empty when the EVM gave none, e.g. out of gas).
    """

    def __init__(self, message: str, *, data: bytes = b"", tx_hash: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data
        self.tx_hash = tx_hash

    def __str__(self) -> str:
        return self.message if self.tx_hash is None else f"{self.message} (tx {self.tx_hash})"


class ContractError(TransactionFailed):
    """A custom Solidity error, decoded with the ABI of the contract that declares it.

    `args` maps each parameter name to its value in declaration order (it replaces the
    usual exception `args` tuple, which would lose the names).
    """

    def __init__(
        self,
        name: str,
        args: Mapping[str, Any],
        *,
        contract: str,
        data: bytes = b"",
        tx_hash: str | None = None,
    ) -> None:
        self.name = name
        self.contract = contract
        self._args = dict(args)
        text = ", ".join(f"{key}={format_value(value)}" for key, value in args.items())
        super().__init__(f"{name}({text})", data=data, tx_hash=tx_hash)

    @property
    def args(self) -> Mapping[str, Any]:  # type: ignore[override]  # names kept, on purpose
        return MappingProxyType(self._args)


class RevertedWithReason(TransactionFailed):
    """`revert("...")` / `require(cond, "...")`: Solidity's Error(string)."""

    def __init__(self, reason: str, *, data: bytes = b"", tx_hash: str | None = None) -> None:
        self.reason = reason
        super().__init__(f"reverted: {reason}", data=data, tx_hash=tx_hash)


class Panic(TransactionFailed):
    """Solidity's Panic(uint256): a failed assert, overflow, division by zero, ..."""

    def __init__(
        self, code: int, meaning: str, *, data: bytes = b"", tx_hash: str | None = None
    ) -> None:
        self.code = code
        self.meaning = meaning
        super().__init__(f"panic 0x{code:02x}: {meaning}", data=data, tx_hash=tx_hash)


def format_value(value: Any) -> str:
    """Readable form of a decoded ABI value: ints plain, bytes as 0x-hex, lists in brackets."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str):
        # Addresses arrive as checksummed 0x-strings and read best unquoted.
        is_address = value.startswith("0x") and len(value) == 42
        return value if is_address else repr(value)
    if isinstance(value, tuple | list):
        inner = ", ".join(format_value(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return repr(value)
