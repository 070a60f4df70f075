"""Revert data -> Eternal exceptions, using our own ABIs (never by matching message strings).

`ErrorRegistry` maps each 4-byte error selector to the custom errors that have it, built from
the artifacts' ABIs; Solidity's built-in Error(string) and Panic(uint256) are always known.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_abi.grammar import ABIType, BasicType, TupleType
from eth_abi.grammar import parse as parse_abi_type
from eth_utils.abi import collapse_if_tuple, function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address
from web3.exceptions import ContractLogicError

from eternal.chain.artifacts import Artifact, packaged_artifacts
from eternal.errors import (
    ContractError,
    Panic,
    RevertedWithReason,
    TransactionFailed,
)

ERROR_STRING_SELECTOR = function_signature_to_4byte_selector("Error(string)")
PANIC_SELECTOR = function_signature_to_4byte_selector("Panic(uint256)")

# Solidity's panic codes (docs: "Panic via assert and Error via require").
PANIC_MEANINGS: Mapping[int, str] = MappingProxyType(
    {
        0x00: "generic compiler-inserted panic",
        0x01: "assert evaluated to false",
        0x11: "arithmetic overflow or underflow",
        0x12: "division or modulo by zero",
        0x21: "value out of range for the enum type",
        0x22: "incorrectly encoded storage byte array",
        0x31: "pop() on an empty array",
        0x32: "array index out of bounds",
        0x41: "too much memory allocated or array too large",
        0x51: "call to a zero-initialized internal function variable",
    }
)


@dataclass(frozen=True)
class ErrorSpec:
    """One custom error as declared in one contract's ABI."""

    contract: str
    name: str
    selector: bytes
    arg_names: tuple[str, ...]
    arg_types: tuple[str, ...]

    @classmethod
    def from_abi(cls, contract: str, entry: Mapping[str, Any]) -> ErrorSpec:
        inputs = list(entry.get("inputs", ()))
        types = tuple(collapse_if_tuple(dict(item)) for item in inputs)
        # Unnamed parameters are legal in Solidity; give them positional names.
        names = tuple(item.get("name") or f"arg{index}" for index, item in enumerate(inputs))
        signature = f"{entry['name']}({','.join(types)})"
        selector = function_signature_to_4byte_selector(signature)
        return cls(contract, str(entry["name"]), selector, names, types)


class ErrorRegistry:
    """Selector -> custom errors, plus which contract lives at which address.

    When several contracts declare the same error, the one deployed at the reverting address
    wins; otherwise the first registered. Thread-safe.
    """

    def __init__(self, artifacts: Iterable[Artifact] = ()) -> None:
        self._by_selector: dict[bytes, list[ErrorSpec]] = {}
        self._contract_at: dict[str, str] = {}
        self._lock = threading.Lock()
        for artifact in artifacts:
            self.add_artifact(artifact)

    @classmethod
    def packaged(cls) -> ErrorRegistry:
        """A registry of every error declared in the packaged artifacts."""
        return cls(packaged_artifacts())

    def add_artifact(self, artifact: Artifact) -> None:
        self.add_abi(artifact.name, artifact.abi)

    def add_abi(self, contract: str, abi: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            for entry in abi:
                if entry.get("type") != "error":
                    continue
                spec = ErrorSpec.from_abi(contract, entry)
                known = self._by_selector.setdefault(spec.selector, [])
                if spec not in known:
                    known.append(spec)

    def bind(self, address: str, contract: str) -> None:
        """Remember that `contract` is deployed at `address` (to pick between equal errors)."""
        with self._lock:
            self._contract_at[to_checksum_address(address)] = contract

    def specs(self, selector: bytes) -> tuple[ErrorSpec, ...]:
        with self._lock:
            return tuple(self._by_selector.get(selector, ()))

    def decode(
        self, data: bytes, *, address: str | None = None, tx_hash: str | None = None
    ) -> TransactionFailed:
        """The exception that revert `data` stands for (returned, for the caller to raise)."""
        selector, payload = data[:4], data[4:]
        try:
            if selector == ERROR_STRING_SELECTOR:
                (reason,) = abi_decode(["string"], payload)
                return RevertedWithReason(reason, data=data, tx_hash=tx_hash)
            if selector == PANIC_SELECTOR:
                (code,) = abi_decode(["uint256"], payload)
                meaning = PANIC_MEANINGS.get(code, "unknown panic code")
                return Panic(code, meaning, data=data, tx_hash=tx_hash)
            spec = self._choose(selector, address)
            if spec is not None:
                values = abi_decode(list(spec.arg_types), payload)
                args = {
                    name: _as_python(kind, value)
                    for name, kind, value in zip(
                        spec.arg_names, spec.arg_types, values, strict=True
                    )
                }
                return ContractError(
                    spec.name, args, contract=spec.contract, data=data, tx_hash=tx_hash
                )
        except DecodingError:
            return TransactionFailed(
                f"reverted with malformed data for selector 0x{selector.hex()}",
                data=data,
                tx_hash=tx_hash,
            )
        if not data:
            return TransactionFailed("reverted without data", data=data, tx_hash=tx_hash)
        return TransactionFailed(
            f"reverted with unknown error 0x{selector.hex()} ({len(data)} bytes)",
            data=data,
            tx_hash=tx_hash,
        )

    def _choose(self, selector: bytes, address: str | None) -> ErrorSpec | None:
        with self._lock:
            candidates = self._by_selector.get(selector)
            if not candidates:
                return None
            here = self._contract_at.get(to_checksum_address(address)) if address else None
        return next((spec for spec in candidates if spec.contract == here), candidates[0])


def _as_python(kind: str, value: Any) -> Any:
    """eth_abi gives arrays as tuples and addresses in lower case: lists and checksums here."""
    return _convert(parse_abi_type(kind), value)


def _convert(kind: ABIType, value: Any) -> Any:
    if kind.is_array:
        assert kind.item_type is not None
        return [_convert(kind.item_type, item) for item in value]
    if isinstance(kind, TupleType):
        return tuple(
            _convert(part, item) for part, item in zip(kind.components, value, strict=True)
        )
    if isinstance(kind, BasicType) and kind.base == "address":
        return to_checksum_address(value)
    return value


def revert_data_of(exc: ContractLogicError) -> bytes | None:
    """The raw revert bytes web3 attached to `exc`, if it carries them as 0x-hex."""
    data: object = exc.data
    if isinstance(data, Mapping):
        # Some nodes nest the payload: {"message": ..., "data": "0x..."}.
        data = data.get("data")
    if isinstance(data, str) and data.startswith("0x"):
        try:
            return bytes.fromhex(data[2:])
        except ValueError:
            return None
    return None
