"""A reference model of the protocol: what each call must do, written from the interfaces' NatSpec.

The model mirrors the state the contracts keep about tasks, disputes, agents and verifiers
(money lives in `ledger.Ledger`, which it reads for stakes and credits). For every call a test
is about to make it answers one of two things:

- `Revert(name, args)`: the exact custom error the call must fail with;
- after the call succeeded, the exact multiset of events it must have emitted (`Key` tuples:
  the event's name and every field), computed from the state before the call. The random
  draws (agents, committees) are read from the events and checked: distinct, from the right
  pool, as many as the rules say.

Events the model does not predict: the token's Transfer/Approval (balances are checked
directly) and ownership events. The rules live in three parts: tasks.py, disputes.py and
staking.py; records.py holds the state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from eth_utils.crypto import keccak

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.verifier_registry import VerifierStatus
from eternal.chain.params import ProtocolParams
from eternal.chain.seals import VOTE_ACCEPT, VOTE_REJECT
from tests.support.ledger import Ledger
from tests.support.reference.disputes import DisputeRules
from tests.support.reference.records import (
    MAX_AGENTS,
    AgentRecord,
    DisputeRecord,
    Key,
    ModelRecord,
    Revert,
    TaskRecord,
    VerifierRecord,
    event_key,
    predicted_keys,
)
from tests.support.reference.staking import StakingRules
from tests.support.reference.tasks import TaskRules

__all__ = [
    "AgentRecord",
    "DisputeRecord",
    "Key",
    "ModelRecord",
    "Reference",
    "Revert",
    "TaskRecord",
    "VerifierRecord",
    "event_key",
    "predicted_keys",
]


class Reference(TaskRules, DisputeRules, StakingRules):
    """The protocol as the NatSpec describes it. `ts` is the timestamp of the block the call will
    be mined in."""

    def __init__(
        self,
        *,
        params: ProtocolParams,
        ledger: Ledger,
        contracts: dict[str, str],
        creator: str,
        models: Sequence[ModelRecord],
        agents: Sequence[AgentRecord],
        verifiers: Sequence[VerifierRecord],
        epoch_start: int,
        cap: int,
    ) -> None:
        self.p = params
        self.ledger = ledger
        self.contracts = contracts
        self.creator = creator
        self.models = {m.id: m for m in models}
        self.agents = {a.id: a for a in agents}
        self.verifiers = {v.id: v for v in verifiers}
        self.epoch_start = epoch_start
        self.cap = cap
        self.tasks: dict[int, TaskRecord] = {}
        self.disputes: dict[int, DisputeRecord] = {}

    # ------------------------------------------------------------------ helpers

    def truth(self, task_id: int) -> bytes:
        """The digest an honest agent computes for task `task_id`."""
        return _word(b"true output", task_id)

    def forgery(self, task_id: int) -> bytes:
        """The digest dishonest agents agree on for task `task_id`."""
        return _word(b"forged output", task_id)

    def epoch(self, ts: int) -> int:
        return (ts - self.epoch_start) // self.p.epoch_length

    def agent_pool(self, model_id: int) -> set[int]:
        return {
            a.id
            for a in self.agents.values()
            if a.status == AgentStatus.ACTIVE and a.model_id == model_id
        }

    def verifier_pool(self) -> set[int]:
        return {v.id for v in self.verifiers.values() if v.status == VerifierStatus.ACTIVE}

    def k_of(self, model: ModelRecord) -> int:
        return _clamp(model.redundancy + model.offset, self.p.tasks.min_redundancy, MAX_AGENTS)

    def agent(self, address: str) -> AgentRecord | None:
        return next((a for a in self.agents.values() if a.address == address), None)

    def verifier(self, address: str) -> VerifierRecord | None:
        return next((v for v in self.verifiers.values() if v.address == address), None)

    def vote_of(self, verifier: VerifierRecord, dispute: DisputeRecord) -> bytes:
        """What `verifier` votes: honest members rerun the prompt; the contrarian votes against."""
        task = self.tasks[dispute.task_id]
        truth = self.truth(task.id)
        if dispute.tolerant:
            acceptable = task.revealed[dispute.accused] == truth
            if verifier.contrarian:
                acceptable = not acceptable
            return VOTE_ACCEPT if acceptable else VOTE_REJECT
        return self.forgery(task.id) if verifier.contrarian else truth

    @staticmethod
    def _drawn(
        events: Iterable[ContractEvent], name: str, pool: set[int], count: int, **match: Any
    ) -> tuple[int, ...]:
        """The ids a draw picked, checked: `count` distinct members of `pool`."""
        found = [
            e
            for e in events
            if type(e).__name__ == name and all(getattr(e, k) == v for k, v in match.items())
        ]
        assert len(found) == 1, f"expected one {name} {match}, got {len(found)}"
        ids = tuple(found[0].agent_ids if name == "TaskAssigned" else found[0].committee)
        assert len(ids) == count, (
            f"{name} {match}: drew {len(ids)}, expected {count} from {len(pool)}"
        )
        assert len(set(ids)) == len(ids) and set(ids) <= pool, (
            f"{name} {match}: drew {ids} from {pool}"
        )
        return ids

    # ------------------------------------------------------------------ submit, commit, reveal


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _word(label: bytes, number: int) -> bytes:
    return keccak(label + number.to_bytes(32, "big"))
