"""Who was punished, and who was paid for catching them, read from the contracts' events.

Punishments: fraud slashes (`AgentSlashed`), missed-deadline penalties (`AgentPenalized`),
verifier penalties (`VerifierPenalized`: not voting, inactivity) and expulsions. Disputes:
`DisputeOpened` / `FraudConvicted` / `DisputeCredited` / `DisputeResolved`; the treasury's part
of a verdict is what the slashed stakes and the bond leave after the credits.
"""

from __future__ import annotations

from dataclasses import dataclass

from eternal.chain.bindings.agent_staking import (
    AgentExpelled,
    AgentPenalized,
    AgentSlashed,
)
from eternal.chain.bindings.dispute_manager import (
    DisputeCredited,
    DisputeOpened,
    DisputeResolved,
    FraudConvicted,
)
from eternal.chain.bindings.verifier_registry import VerifierExpelled, VerifierPenalized
from eternal.chain.protocol import Protocol
from eternal.demo.ledger import logs

_ZERO = "0x0000000000000000000000000000000000000000"


@dataclass(frozen=True)
class Punishment:
    address: str
    kind: str  # "fraud slash", "missed deadline", "verifier penalty", "expelled"
    amount: int  # wei taken


@dataclass(frozen=True)
class Credit:
    address: str
    amount: int


@dataclass(frozen=True)
class DisputeRecord:
    dispute_id: int
    task_id: int
    automatic: bool  # opened by a mismatch of EXACT outputs, not by a challenger
    challenger: str | None
    accused: str  # the agent whose output was judged (the mismatch may convict others too)
    committee: tuple[str, ...]
    verdict: str  # on the accused output: "guilty", "innocent", "inconclusive", or "open"
    convicted: tuple[Credit, ...]  # agents and the stake each lost
    credited: tuple[Credit, ...]  # who was paid from the verdict (bond back included)
    treasury: int  # the part of the slashed stakes and bond that went to the treasury


def punishments(protocol: Protocol, to_block: int) -> list[Punishment]:
    """Every punishment since the deployment, in chain order within each kind."""
    p = protocol
    start = p.deployment.block_number
    found = [
        Punishment(e.agent, "fraud slash", e.amount)
        for e in logs(p.agents, AgentSlashed, start, to_block)
    ]
    found += [
        Punishment(e.agent, "missed deadline", e.slashed)
        for e in logs(p.agents, AgentPenalized, start, to_block)
    ]
    found += [
        Punishment(e.verifier, "verifier penalty", e.amount)
        for e in logs(p.verifiers, VerifierPenalized, start, to_block)
    ]
    found += [
        Punishment(e.agent, "expelled", e.forfeited)
        for e in logs(p.agents, AgentExpelled, start, to_block)
    ]
    found += [
        Punishment(e.verifier, "expelled", e.forfeited)
        for e in logs(p.verifiers, VerifierExpelled, start, to_block)
    ]
    return found


def disputes(protocol: Protocol, to_block: int) -> list[DisputeRecord]:
    """Every dispute since the deployment, with its verdict and payments."""
    p = protocol
    start = p.deployment.block_number
    convictions = logs(p.disputes, FraudConvicted, start, to_block)
    credits = logs(p.disputes, DisputeCredited, start, to_block)
    resolved = {e.dispute_id: e for e in logs(p.disputes, DisputeResolved, start, to_block)}
    records = []
    for opened in logs(p.disputes, DisputeOpened, start, to_block):
        number = opened.dispute_id
        verdict = resolved.get(number)
        credited = tuple(Credit(c.account, c.amount) for c in credits if c.dispute_id == number)
        convicted = tuple(
            Credit(p.agents.agent_of(c.agent_id), c.slashed)
            for c in convictions
            if c.dispute_id == number
        )
        treasury = 0
        if verdict is not None:
            treasury = verdict.slashed + opened.bond - sum(c.amount for c in credited)
        records.append(
            DisputeRecord(
                dispute_id=number,
                task_id=opened.task_id,
                automatic=opened.challenger == _ZERO,
                challenger=None if opened.challenger == _ZERO else opened.challenger,
                accused=p.agents.agent_of(
                    p.tasks.task(opened.task_id).agent_ids[opened.accused_index]
                ),
                committee=tuple(p.verifiers.verifier_of(v) for v in opened.committee),
                verdict=verdict.verdict.name.lower() if verdict is not None else "open",
                convicted=convicted,
                credited=credited,
                treasury=treasury,
            )
        )
    return records
