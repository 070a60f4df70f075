"""Following the protocol's logs from a cursor that survives restarts.

`poll()` returns the events of the watched contracts in the blocks after the cursor, in chain
order, at most `log_range` blocks per request. The caller handles them, then calls `advance`:
a crash in between replays those blocks on restart, so handlers must be idempotent (the node
state inserts each job or vote once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings._runtime import ContractBinding
from eternal.chain.protocol import Protocol
from eternal.node.state import NodeState


@dataclass(frozen=True)
class Batch:
    events: tuple[ContractEvent, ...]
    last_block: int


class LogFollower:
    def __init__(
        self,
        protocol: Protocol,
        state: NodeState,
        contracts: Sequence[ContractBinding[ContractEvent]],
        *,
        name: str = "logs",
        log_range: int = 2_000,
    ) -> None:
        self._protocol = protocol
        self._state = state
        self._contracts = tuple(contracts)
        self._name = name
        self._log_range = log_range

    @property
    def cursor(self) -> int:
        """The last block whose events were handled (the deployment block at first start)."""
        saved = self._state.cursor(self._name)
        return self._protocol.deployment.block_number - 1 if saved is None else saved

    def poll(self) -> Batch | None:
        """The next range of events, or None when the node is at the chain head."""
        head = self._protocol.backend.block_number()
        start = self.cursor + 1
        if start > head:
            return None
        end = min(head, start + self._log_range - 1)
        found: list[ContractEvent] = []
        for contract in self._contracts:
            found.extend(contract.logs(start, end))
        found.sort(key=lambda event: (event.block_number, event.log_index))
        return Batch(tuple(found), end)

    def advance(self, batch: Batch) -> None:
        self._state.set_cursor(self._name, batch.last_block)
