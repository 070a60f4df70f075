"""Decoding a transaction's logs into named events with our ABIs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, cast

from eth_typing import ABIEvent
from eth_utils.abi import event_abi_to_log_topic
from web3.contract import Contract

from eternal.chain.transactions import TxResult


@dataclass(frozen=True)
class Event:
    """One decoded log: `args` maps parameter names to values in declaration order."""

    name: str
    args: Mapping[str, Any]
    address: str
    log_index: int
    block_number: int
    tx_hash: str


def decode_events(
    contract: Contract, result: TxResult, name: str | None = None
) -> tuple[Event, ...]:
    """The events `contract` emitted in `result`, in log order (only `name` ones if given).

    Logs of other contracts and anonymous events are skipped.
    """
    by_topic: dict[bytes, dict[str, Any]] = {
        event_abi_to_log_topic(cast(ABIEvent, entry)): dict(entry)
        for entry in contract.abi
        if entry.get("type") == "event" and not entry.get("anonymous", False)
    }
    events = []
    for log in result.logs:
        topics = log["topics"]
        if log["address"] != contract.address or not topics:
            continue
        entry = by_topic.get(bytes(topics[0]))
        if entry is None or (name is not None and entry["name"] != name):
            continue
        decoded = contract.events[entry["name"]]().process_log(log)["args"]
        # web3 puts indexed parameters first; keep the declaration order instead.
        args = {item["name"]: decoded[item["name"]] for item in entry.get("inputs", ())}
        events.append(
            Event(
                name=str(entry["name"]),
                args=MappingProxyType(args),
                address=str(log["address"]),
                log_index=int(log["logIndex"]),
                block_number=int(log["blockNumber"]),
                tx_hash=result.tx_hash,
            )
        )
    return tuple(events)
