"""Following the protocol's logs into the explorer's records, incrementally.

`refresh()` reads only the blocks mined since the last call (at most `log_range` per
eth_getLogs request) and hands their events, in chain order, to the `Recorder`: a page load
costs one eth_blockNumber when nothing happened. A range is recorded whole or not at all, so a
refresh that fails half way (the node went away) is simply tried again by the next one. The
index starts at the deployment's block, so every fact about the network is there from its
first event.

Within a block, a task's `TaskSubmitted` is applied before the `TaskAssigned` its own
transaction logged first: the task must exist before its agents are recorded.
"""

from __future__ import annotations

from eternal.chain.backend import ChainBackend
from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.task_manager import TaskSubmitted
from eternal.chain.protocol import Protocol
from eternal.explorer.recording import Recorder
from eternal.explorer.records import Moment, NetworkIndex

DEFAULT_LOG_RANGE = 2_000


def block_time(backend: ChainBackend, number: int) -> int:
    """`block.timestamp` of block `number`.

    ChainBackend only offers the latest block's time; this reads any block through the same
    translated call `eternal.chain.wallet` uses for balances (web3 errors become RpcError).
    """
    block = backend._web3_call(lambda: backend.w3.eth.get_block(number))
    return int(block["timestamp"])


def _chain_order(event: ContractEvent) -> tuple[int, bool, int]:
    return (event.block_number, not isinstance(event, TaskSubmitted), event.log_index)


class Indexer:
    """The network's records (`index`), brought up to the chain head by `refresh()`."""

    def __init__(self, protocol: Protocol, *, log_range: int = DEFAULT_LOG_RANGE) -> None:
        if log_range < 1:
            raise ValueError(f"log_range must be at least 1, got {log_range}")
        self._protocol = protocol
        self._log_range = log_range
        self._contracts = (
            protocol.registry,
            protocol.agents,
            protocol.verifiers,
            protocol.tasks,
            protocol.disputes,
        )
        self._times: dict[int, int] = {}
        self._recorder = self._start()

    @property
    def index(self) -> NetworkIndex:
        return self._recorder.index

    def _start(self) -> Recorder:
        self._times.clear()
        return Recorder(NetworkIndex(block=self._protocol.deployment.block_number - 1), self._at)

    def refresh(self) -> int:
        """Read the blocks mined since the last refresh; returns how many events were recorded."""
        head = self._protocol.backend.block_number()
        if head < self.index.block:
            # The chain went back (a dev chain reverted to a snapshot): what was read is gone.
            self._recorder = self._start()
        recorded = 0
        while self.index.block < head:
            start = self.index.block + 1
            end = min(head, start + self._log_range - 1)
            found: list[ContractEvent] = []
            for contract in self._contracts:
                found.extend(contract.logs(start, end))
            events = sorted(filter(self._recorder.handles, found), key=_chain_order)
            # Every read before the first write: an RPC fault leaves the index as it was.
            for event in events:
                self._at(event)
            for event in events:
                self._recorder.apply(event)
            recorded += len(events)
            self.index.block = end
        return recorded

    def _at(self, event: ContractEvent) -> Moment:
        number = event.block_number
        if number not in self._times:
            self._times[number] = block_time(self._protocol.backend, number)
        return Moment(number, event.log_index, self._times[number])
