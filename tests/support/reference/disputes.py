"""Disputes as the model sees them: challenge, automatic opening, votes, verdict, settlement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import DisputeState, Verdict
from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.bindings.verifier_registry import VerifierStatus
from eternal.chain.seals import VOTE_ACCEPT, digest_prefix
from tests.support.ledger import ZERO_ADDRESS
from tests.support.reference.records import (
    BPS,
    MIN_COMMITTEE,
    ZERO_WORD,
    DisputeRecord,
    Key,
    ReferenceState,
    Revert,
    TaskRecord,
    VerifierRecord,
)

if TYPE_CHECKING:
    pass


class DisputeRules(ReferenceState):
    def challenge_error(
        self, ts: int, verifier: VerifierRecord, task: TaskRecord, accused: int
    ) -> Revert | None:
        if verifier.status != VerifierStatus.ACTIVE:
            return Revert("DisputeManagerNotVerifier", {"caller": verifier.address})
        available = len(self.verifier_pool() - {verifier.id})
        size = min(self.p.disputes.committee_size, available)
        if size < MIN_COMMITTEE:
            return Revert(
                "DisputeManagerCommitteeTooSmall", {"available": size, "minimum": MIN_COMMITTEE}
            )
        if task.state != TaskState.ACCEPTED:
            return Revert("TaskManagerWrongState", {"taskId": task.id, "state": int(task.state)})
        if ts > task.deadline:
            return Revert(
                "TaskManagerChallengeClosed", {"taskId": task.id, "deadline": task.deadline}
            )
        if accused >= task.k or accused not in task.revealed:
            return Revert("TaskManagerNotRevealed", {"taskId": task.id, "index": accused})
        return None

    def challenge(
        self,
        ts: int,
        verifier: VerifierRecord,
        task: TaskRecord,
        accused: int,
        events: Sequence[ContractEvent],
    ) -> list[Key]:
        pool = self.verifier_pool() - {verifier.id}
        bond = self.p.disputes.challenge_bond
        keys = self._open(ts, task, accused, verifier.address, bond, pool, events)
        task.state = TaskState.DISPUTED
        return keys

    def _open_automatic(
        self, ts: int, task: TaskRecord, events: Sequence[ContractEvent]
    ) -> list[Key]:
        pool = self.verifier_pool()
        if min(self.p.disputes.committee_size, len(pool)) < MIN_COMMITTEE:
            return self._refund(task)
        task.state = TaskState.DISPUTED
        return self._open(ts, task, task.winner, None, 0, pool, events)

    def _open(
        self,
        ts: int,
        task: TaskRecord,
        accused: int,
        challenger: str | None,
        bond: int,
        pool: set[int],
        events: Sequence[ContractEvent],
    ) -> list[Key]:
        dispute_id = len(self.disputes) + 1
        size = min(self.p.disputes.committee_size, len(pool))
        committee = self._drawn(events, "DisputeOpened", pool, size, dispute_id=dispute_id)
        d = DisputeRecord(
            id=dispute_id,
            task_id=task.id,
            challenger=challenger,
            bond=bond,
            tolerant=task.tolerant,
            accused=accused,
            committee=committee,
            agent_mask=frozenset(task.revealed),
            deadline=ts + self.p.disputes.vote_commit_window,
            reveal_window=self.p.disputes.vote_reveal_window,
        )
        self.disputes[dispute_id] = d
        task.dispute_id = dispute_id
        keys: list[Key] = [
            (
                "DisputeOpened",
                dispute_id,
                task.id,
                challenger or ZERO_ADDRESS,
                accused,
                bond,
                committee,
                d.deadline,
            ),
            ("TaskDisputed", task.id, dispute_id),
        ]
        return keys + self._set_locks(d, task, locked=True)

    def _set_locks(self, d: DisputeRecord, task: TaskRecord, *, locked: bool) -> list[Key]:
        step = 1 if locked else -1
        keys: list[Key] = []
        for member in d.committee:
            v = self.verifiers[member]
            v.locks += step
            keys.append(("VerifierLockChanged", v.address, v.id, locked, v.locks))
        for index in sorted(d.agent_mask):
            a = self.agents[task.agent_ids[index]]
            a.locks += step
            keys.append(("AgentLockChanged", a.address, a.id, locked, a.locks))
        return keys

    def can_commit_vote(self, ts: int, d: DisputeRecord, member: int) -> bool:
        return d.state == DisputeState.COMMITTING and ts <= d.deadline and member not in d.commits

    def commit_vote(
        self, ts: int, d: DisputeRecord, member: int, vote: bytes, salt: bytes
    ) -> list[Key]:
        d.commits[member] = (vote, salt)
        if len(d.commits) == len(d.committee):
            d.state = DisputeState.REVEALING
            d.deadline = ts + d.reveal_window
        return [("VoteCommitted", d.id, member)]

    def can_reveal_vote(self, ts: int, d: DisputeRecord, member: int) -> bool:
        state, deadline = d.phase(ts)
        return (
            state == DisputeState.REVEALING
            and ts <= deadline
            and member in d.commits
            and not d.revealed_by(member)
        )

    def reveal_vote(self, ts: int, d: DisputeRecord, member: int) -> list[Key]:
        state, deadline = d.phase(ts)
        vote, _ = d.commits[member]
        counted = vote if d.tolerant else digest_prefix(vote)
        d.reveals.append((member, counted))
        d.state, d.deadline = state, deadline
        return [("VoteRevealed", d.id, member, counted)]

    def resolve_error(self, ts: int, dispute_id: int) -> Revert | None:
        d = self.disputes.get(dispute_id)
        if d is None:
            return Revert("DisputeManagerUnknownDispute", {"disputeId": dispute_id})
        state, deadline = d.phase(ts)
        if state == DisputeState.COMMITTING:
            return Revert(
                "DisputeManagerNotDue", {"disputeId": dispute_id, "readyAt": deadline + 1}
            )
        if state != DisputeState.REVEALING:
            return Revert(
                "DisputeManagerWrongState", {"disputeId": dispute_id, "state": int(state)}
            )
        if len(d.reveals) < len(d.commits) and ts <= deadline:
            return Revert(
                "DisputeManagerNotDue", {"disputeId": dispute_id, "readyAt": deadline + 1}
            )
        return None

    def resolve(self, ts: int, d: DisputeRecord) -> list[Key]:
        task = self.tasks[d.task_id]
        p = self.p.disputes
        m = len(d.committee)
        accused_vote = VOTE_ACCEPT if d.tolerant else digest_prefix(task.revealed[d.accused])
        tally: Counter[bytes] = Counter()
        leading, leading_count = ZERO_WORD, 0
        for _, vote in d.reveals:
            tally[vote] += 1
            if tally[vote] > leading_count:
                leading, leading_count = vote, tally[vote]
        votes_for = tally[accused_vote]
        against = len(d.reveals) - votes_for
        majority = leading if not d.tolerant and leading_count * 3 > m * 2 else None
        verdict = (
            Verdict.GUILTY
            if against * 3 > m * 2
            else Verdict.INNOCENT
            if votes_for * 3 > m * 2
            else Verdict.INCONCLUSIVE
        )

        def rewarded(vote: bytes) -> bool:
            if majority is not None:
                return vote == majority
            if verdict == Verdict.GUILTY:
                return vote != accused_vote
            return verdict == Verdict.INNOCENT and vote == accused_vote

        voters = sum(1 for _, vote in d.reveals if rewarded(vote))

        if majority is not None:
            convicted = [
                i for i in sorted(d.agent_mask) if digest_prefix(task.revealed[i]) != majority
            ]
        elif verdict == Verdict.GUILTY:
            convicted = [d.accused] if d.accused in d.agent_mask else []
        else:
            convicted = []
        keys: list[Key] = []
        slashed = 0
        for index in convicted:
            agent = self.agents[task.agent_ids[index]]
            amount = self.ledger.agent_stake[agent.address] * p.fraud_slash_bps // BPS
            slashed += amount
            keys += [
                ("FraudConvicted", d.id, agent.id, amount),
                ("AgentSlashed", agent.address, agent.id, amount, self.contracts["DisputeManager"]),
            ]
            if agent.status == AgentStatus.ACTIVE:
                keys.append(("AgentLeftPool", agent.address, agent.id, agent.model_id))
            if agent.status not in (AgentStatus.UNBONDING, AgentStatus.EXPELLED):
                agent.status, agent.until = AgentStatus.DEACTIVATED, 0

        forfeited = d.bond * p.false_dispute_bps // BPS if verdict == Verdict.INNOCENT else 0
        to_challenger = (
            slashed * p.challenger_reward_bps // BPS + d.bond - forfeited if d.challenger else 0
        )
        per_voter = (
            (slashed * p.voter_reward_bps // BPS + forfeited * p.voter_reward_bps // BPS) // voters
            if voters
            else 0
        )
        if to_challenger and d.challenger:
            keys.append(("DisputeCredited", d.id, d.challenger, to_challenger))
        if per_voter:
            for member, vote in d.reveals:
                if rewarded(vote):
                    keys.append(
                        ("DisputeCredited", d.id, self.verifiers[member].address, per_voter)
                    )
        for member in d.committee:
            if not d.revealed_by(member):
                v = self.verifiers[member]
                penalty = self.ledger.verifier_stake[v.address] * p.non_voter_penalty_bps // BPS
                keys += [
                    ("NonVoterPenalized", d.id, member, penalty),
                    ("VerifierPenalized", v.address, member, penalty, self.contracts["Treasury"]),
                ]
        keys += self._set_locks(d, task, locked=False)

        frauds = len(convicted)
        headroom = self.cap - self.ledger.supply
        if not d.automatic and d.accused == task.winner and d.accused in convicted:
            keys += self._payout(task, task.winner, d.challenger, frauds, headroom)[0]
        elif not d.tolerant and majority is not None:
            firsts = [
                i
                for i in task.commit_order
                if i in d.agent_mask and digest_prefix(task.revealed[i]) == majority
            ]
            if firsts:
                keys += self._payout(task, firsts[0], None, frauds, headroom)[0]
            else:
                keys += self._count_settled(task.model_id, frauds) + self._refund(task)
        elif not d.tolerant and d.automatic:
            keys += self._count_settled(task.model_id, frauds) + self._refund(task)
        else:
            keys += self._payout(task, task.winner, None, frauds, headroom)[0]
        d.state, d.verdict = DisputeState.RESOLVED, verdict
        return [*keys, ("DisputeResolved", d.id, int(verdict), majority or ZERO_WORD, slashed)]

    # ------------------------------------------------------------------ fees and claims
