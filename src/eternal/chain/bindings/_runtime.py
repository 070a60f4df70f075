"""The hand-written runtime under the generated contract bindings (`scripts/gen_bindings.py`).

Generated modules declare what a contract has (enums, structs, events, one method per
function) and leave the work to this module:

- `ContractBinding`: a contract at an address. Encodes calls by Solidity signature, sends
  them with `transactions.send` or runs them with `transactions.call` (reverts raise the
  decoded exceptions of `eternal.errors`), and decodes this contract's logs (`events`, `logs`).
- `ContractEvent`: base of the event dataclasses, holding where the log was emitted; each
  event class carries an `EventSpec` (its name, ABI types and which are indexed).
- `events_of`: the events of one class in a transaction's logs, from any contract.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Generic, Self, TypedDict, TypeVar, cast, overload

from eth_abi.abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_account.signers.local import LocalAccount
from eth_utils.abi import event_signature_to_log_topic
from eth_utils.address import to_checksum_address
from web3.contract.contract import ContractFunction
from web3.types import BlockIdentifier, FilterParams, LogReceipt

from eternal.chain.backend import ChainBackend
from eternal.chain.contracts import contract_at, deploy
from eternal.chain.transactions import TxResult, call, send, translated_errors
from eternal.errors import ChainError


def to_address(value: Any) -> str:
    """`value` (an address as hex text or 20 bytes) as a checksummed address."""
    return str(to_checksum_address(value))


class LogMeta(TypedDict):
    """Where a log was emitted: the `ContractEvent` fields every event class shares."""

    tx_hash: bytes
    block_number: int
    log_index: int
    address: str


def _log_meta(log: LogReceipt) -> LogMeta:
    return LogMeta(
        tx_hash=bytes(log["transactionHash"]),
        block_number=int(log["blockNumber"]),
        log_index=int(log["logIndex"]),
        address=to_address(log["address"]),
    )


def _is_hashed(abi_type: str) -> bool:
    """Whether an indexed parameter of this type is logged as the keccak256 of its encoding."""
    return abi_type in ("string", "bytes") or abi_type.endswith("]") or abi_type.startswith("(")


@dataclass(frozen=True)
class EventSpec:
    """One non-anonymous event: `types` are the canonical ABI types in declaration order."""

    name: str
    types: tuple[str, ...]
    indexed: tuple[bool, ...]
    topic: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.types) != len(self.indexed):
            raise ValueError(
                f"event {self.name}: {len(self.types)} types, {len(self.indexed)} flags"
            )
        object.__setattr__(self, "topic", bytes(event_signature_to_log_topic(self.signature)))

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(self.types)})"

    def fits(self, log: LogReceipt) -> bool:
        """Whether `log` has this event's topic0 and one more topic per indexed parameter."""
        topics = log["topics"]
        return len(topics) == 1 + sum(self.indexed) and bytes(topics[0]) == self.topic

    def decode(self, log: LogReceipt) -> tuple[Any, ...]:
        """The parameter values in declaration order, as eth_abi decodes them.

        An indexed string, bytes, array or struct is its 32-byte keccak256 hash.
        """
        if not self.fits(log):
            raise ChainError(f"log {log['logIndex']} is not a {self.signature} event")
        data_types = [
            kind for kind, indexed in zip(self.types, self.indexed, strict=True) if not indexed
        ]
        try:
            data = iter(abi_decode(data_types, bytes(log["data"])))
            topics = iter(log["topics"][1:])
            values: list[Any] = []
            for kind, indexed in zip(self.types, self.indexed, strict=True):
                if not indexed:
                    values.append(next(data))
                elif _is_hashed(kind):
                    values.append(bytes(next(topics)))
                else:
                    values.append(abi_decode([kind], bytes(next(topics)))[0])
        except DecodingError as exc:
            raise ChainError(
                f"cannot decode log {log['logIndex']} as {self.signature}: {exc}"
            ) from exc
        return tuple(values)


@dataclass(frozen=True, kw_only=True)
class ContractEvent:
    """Base of the generated event classes: the log's transaction, block, index and emitter."""

    EVENT: ClassVar[EventSpec]

    tx_hash: bytes
    block_number: int
    log_index: int
    address: str

    @classmethod
    def from_abi(cls, values: Sequence[Any], meta: LogMeta) -> Self:
        """The event from its decoded parameter values (generated for each event class)."""
        raise NotImplementedError

    @classmethod
    def from_log(cls, log: LogReceipt) -> Self:
        return cls.from_abi(cls.EVENT.decode(log), _log_meta(log))


E = TypeVar("E", bound=ContractEvent)
# Covariant: a binding only hands events out, so ContractBinding[TaskManagerEvent] is usable
# wherever a ContractBinding[ContractEvent] is expected.
EventT = TypeVar("EventT", bound=ContractEvent, covariant=True)


def event_registry(*classes: type[E]) -> Mapping[bytes, type[E]]:
    """topic0 -> event class, read-only."""
    registry: dict[bytes, type[E]] = {}
    for cls in classes:
        if cls.EVENT.topic in registry:
            raise ValueError(
                f"{cls.__name__} and {registry[cls.EVENT.topic].__name__} share a topic"
            )
        registry[cls.EVENT.topic] = cls
    return MappingProxyType(registry)


def events_of(result: TxResult, event: type[E], *, address: str | None = None) -> tuple[E, ...]:
    """Every `event` in `result`'s logs, in log order, from any contract (or only `address`).

    A log with the event's topic but a different number of topics (another contract's event
    of the same signature, indexed differently, such as ERC-20 and ERC-721 `Transfer`) is
    skipped.
    """
    emitter = to_address(address) if address is not None else None
    return tuple(
        event.from_log(log)
        for log in result.logs
        if event.EVENT.fits(log) and (emitter is None or to_address(log["address"]) == emitter)
    )


class ContractBinding(Generic[EventT]):
    """A deployed contract at `address`; subclasses are generated, one per artifact.

    `ARTIFACT` names the packaged artifact (its ABI encodes the calls, its errors decode the
    reverts); `EVENT_TYPES` maps topic0 to the contract's event classes.
    """

    ARTIFACT: ClassVar[str]
    EVENT_TYPES: ClassVar[Mapping[bytes, type[ContractEvent]]]

    def __init__(self, backend: ChainBackend, address: str) -> None:
        self.backend = backend
        self.address = to_address(address)
        self._contract = contract_at(backend, self.ARTIFACT, self.address)
        self._functions: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.address})"

    def events(self, result: TxResult) -> tuple[EventT, ...]:
        """This contract's events in `result`, in log order (other contracts' logs skipped)."""
        return tuple(
            self._decode(log)
            for log in result.logs
            if to_address(log["address"]) == self.address
            and log["topics"]
            and bytes(log["topics"][0]) in self.EVENT_TYPES
        )

    @overload
    def logs(
        self, from_block: BlockIdentifier, to_block: BlockIdentifier, event: None = None
    ) -> tuple[EventT, ...]: ...

    @overload
    def logs(
        self, from_block: BlockIdentifier, to_block: BlockIdentifier, event: type[E]
    ) -> tuple[E, ...]: ...

    def logs(
        self,
        from_block: BlockIdentifier,
        to_block: BlockIdentifier,
        event: type[ContractEvent] | None = None,
    ) -> tuple[ContractEvent, ...]:
        """This contract's events (or only `event`s) in blocks `from_block`..`to_block`.

        One eth_getLogs request, retried on transport faults like every backend request; keep
        the range within what the node serves.
        """
        topics = [event.EVENT.topic] if event is not None else list(self.EVENT_TYPES)
        params = {
            "address": self.address,
            "fromBlock": from_block,
            "toBlock": to_block,
            "topics": [["0x" + topic.hex() for topic in topics]],
        }
        with translated_errors(self.backend, to=self.address):
            logs = self.backend.w3.eth.get_logs(cast(FilterParams, params))
        if event is not None:
            return tuple(event.from_log(log) for log in logs)
        return tuple(self._decode(log) for log in logs)

    @classmethod
    def _deploy(
        cls,
        backend: ChainBackend,
        sender: LocalAccount,
        args: Sequence[Any],
        *,
        value: int = 0,
        gas: int | None = None,
    ) -> tuple[Self, TxResult]:
        address, result = deploy(backend, sender, cls.ARTIFACT, *args, value=value, gas=gas)
        return cls(backend, address), result

    def _send(
        self,
        sender: LocalAccount,
        signature: str,
        args: Sequence[Any],
        *,
        value: int = 0,
        gas: int | None = None,
    ) -> TxResult:
        return send(self.backend, sender, self._function(signature, args), value=value, gas=gas)

    def _call(self, signature: str, args: Sequence[Any]) -> Any:
        return call(self.backend, self._function(signature, args))

    def _function(self, signature: str, args: Sequence[Any]) -> ContractFunction:
        with translated_errors(self.backend, to=self.address):
            factory = self._functions.get(signature)
            if factory is None:
                factory = self._contract.get_function_by_signature(signature)
                self._functions[signature] = factory
            return cast(ContractFunction, factory(*args))

    def _decode(self, log: LogReceipt) -> EventT:
        return cast(EventT, self.EVENT_TYPES[bytes(log["topics"][0])].from_log(log))
