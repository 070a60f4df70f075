"""A task's story in chain order: submission, assignment, commits, reveals, misses, acceptance,
disputes and the payout or refund, one `Step` per event."""

from __future__ import annotations

from dataclasses import dataclass

from eternal.explorer.formatting import eai, short, utc
from eternal.explorer.records import Moment, NetworkIndex, TaskRecord


@dataclass(frozen=True)
class Step:
    at: Moment
    what: str
    agent: str | None = None  # the agent concerned, linked by the page
    dispute_id: int | None = None
    detail: str = ""


def task_timeline(task: TaskRecord, index: NetworkIndex) -> list[Step]:
    agent = index.agent_ids.get
    steps = [
        Step(task.submitted, "submitted", detail=f"by {short(task.user)}, fee {eai(task.fee)}")
    ]
    for a in task.assignments:
        what = "assigned" if a.attempt == 0 else "reassigned"
        detail = f"{len(a.agent_ids)} agents, commits due by {utc(a.commit_deadline)}"
        steps.append(Step(a.at, what, detail=detail))
    for c in task.commits:
        steps.append(Step(c.at, f"committed #{c.order + 1}", agent(c.agent_id)))
    for r in task.reveals:
        steps.append(Step(r.at, "revealed", agent(r.agent_id), detail=f"digest {short(r.digest)}"))
    for m in task.misses:
        steps.append(Step(m.at, "missed its deadline", agent(m.agent_id)))
    if task.accepted is not None:
        detail = f"open to challenges until {utc(task.accepted.challenge_deadline)}"
        steps.append(
            Step(task.accepted.at, "accepted", agent(task.accepted.winner_id), detail=detail)
        )
    for dispute_id in task.dispute_ids:
        dispute = index.disputes.get(dispute_id)
        if dispute is None:
            continue
        opener = "disputed automatically" if dispute.challenger is None else "challenged"
        steps.append(Step(dispute.opened, opener, dispute_id=dispute_id))
        if dispute.resolution is not None:
            verdict = dispute.resolution.verdict.name.lower()
            steps.append(Step(dispute.resolution.at, f"verdict: {verdict}", dispute_id=dispute_id))
    if task.finalized is not None:
        detail = (
            f"fee {eai(task.finalized.fee)} split, block reward {eai(task.finalized.block_reward)}"
        )
        steps.append(Step(task.finalized.at, "finalized", detail=detail))
    if task.refunded is not None and task.refunded_at is not None:
        steps.append(Step(task.refunded_at, "refunded", detail=eai(task.refunded)))
    # The submission comes first although its transaction logs the assignment before it.
    return sorted(steps, key=lambda s: (s.at.block, s is not steps[0], s.at.log_index))
