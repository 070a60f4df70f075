"""Applying one protocol event to the explorer's records (`eternal.explorer.records`).

`Recorder.apply` knows what each event means for the models, agents, verifiers, tasks and
disputes; `eternal.explorer.indexer` decides which events to read and in which order. Events the
explorer does not show (approvals, wiring, locks, parameter changes) are ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eternal.chain.backend import ZERO_ADDRESS
from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings import agent_staking as staking
from eternal.chain.bindings import dispute_manager as dm
from eternal.chain.bindings import model_registry as registry
from eternal.chain.bindings import task_manager as tm
from eternal.chain.bindings import verifier_registry as vr
from eternal.explorer.records import (
    Acceptance,
    AgentRecord,
    Assignment,
    Commit,
    DisputeRecord,
    Entry,
    FeeSplit,
    Miss,
    ModelRecord,
    Moment,
    NetworkIndex,
    OwnerChange,
    Phase,
    Resolution,
    Reveal,
    TaskRecord,
    Tone,
    VerifierRecord,
    VoteCommit,
    VoteReveal,
)


class Recorder:
    """Writes events into `index`; `moment(event)` tells when an event happened."""

    def __init__(self, index: NetworkIndex, moment: Callable[[ContractEvent], Moment]) -> None:
        self.index = index
        self._at = moment
        # The task of each agent's latest miss, to name it when the penalty follows.
        self._last_miss: dict[int, int] = {}
        self._handlers: dict[type[ContractEvent], Callable[[Any], None]] = {
            registry.ModelRegistered: self._model_registered,
            registry.ModelMetadataChanged: self._model_metadata_changed,
            registry.Transfer: self._model_transferred,
            staking.AgentStaked: self._agent_staked,
            staking.AgentPenalized: self._agent_penalized,
            staking.AgentSlashed: self._agent_slashed,
            staking.AgentUnbonding: self._agent_unbonding,
            staking.AgentWithdrawn: self._agent_withdrawn,
            staking.AgentExpelled: self._agent_expelled,
            vr.VerifierStaked: self._verifier_staked,
            vr.VerifierHeartbeat: self._verifier_heartbeat,
            vr.VerifierPenalized: self._verifier_penalized,
            vr.VerifierReportedInactive: self._verifier_reported,
            vr.VerifierUnbonding: self._verifier_unbonding,
            vr.VerifierWithdrawn: self._verifier_withdrawn,
            vr.VerifierExpelled: self._verifier_expelled,
            vr.EpochRewardClaimed: self._epoch_reward_claimed,
            tm.TaskSubmitted: self._task_submitted,
            tm.TaskAssigned: self._task_assigned,
            tm.TaskCommitted: self._task_committed,
            tm.TaskRevealed: self._task_revealed,
            tm.TaskMissed: self._task_missed,
            tm.TaskAccepted: self._task_accepted,
            tm.TaskDisputed: self._task_disputed,
            tm.TaskFinalized: self._task_finalized,
            tm.TaskRefunded: self._task_refunded,
            tm.RewardClaimed: self._reward_claimed,
            tm.ModelIncomeClaimed: self._model_income_claimed,
            dm.DisputeOpened: self._dispute_opened,
            dm.VoteCommitted: self._vote_committed,
            dm.VoteRevealed: self._vote_revealed,
            dm.DisputeResolved: self._dispute_resolved,
            dm.FraudConvicted: self._fraud_convicted,
            dm.NonVoterPenalized: self._non_voter_penalized,
            dm.DisputeCredited: self._dispute_credited,
            dm.DisputeClaimed: self._dispute_claimed,
        }

    def handles(self, event: ContractEvent) -> bool:
        """Whether the explorer shows this kind of event (approvals, wiring, locks do not)."""
        return type(event) in self._handlers

    def apply(self, event: ContractEvent) -> None:
        """Record `event` (one the recorder `handles`)."""
        self._handlers[type(event)](event)

    # ------------------------------------------------------------------------------ helpers

    def _agent(self, agent_id: int) -> AgentRecord | None:
        return self.index.agent(agent_id)

    def _note_agent(self, agent_id: int, event: ContractEvent, what: str, **facts: Any) -> None:
        agent = self._agent(agent_id)
        if agent is not None:
            agent.history.append(Entry(self._at(event), what, **facts))

    def _note_verifier(
        self, verifier_id: int, event: ContractEvent, what: str, **facts: Any
    ) -> None:
        verifier = self.index.verifier(verifier_id)
        if verifier is not None:
            verifier.history.append(Entry(self._at(event), what, **facts))

    # ------------------------------------------------------------------------------ models

    def _model_registered(self, e: registry.ModelRegistered) -> None:
        self.index.models[e.model_id] = ModelRecord(
            model_id=e.model_id,
            creator=e.creator,
            package_digest=e.package_digest,
            metadata_uri=e.metadata_uri,
            mode=e.mode,
            registered=self._at(e),
        )

    def _model_metadata_changed(self, e: registry.ModelMetadataChanged) -> None:
        if (model := self.index.models.get(e.model_id)) is not None:
            model.metadata_uri = e.metadata_uri

    def _model_transferred(self, e: registry.Transfer) -> None:
        model = self.index.models.get(e.token_id)
        if model is not None and e.from_ != ZERO_ADDRESS:  # a mint is the registration
            model.owners.append(OwnerChange(e.from_, e.to, self._at(e)))

    def _model_income_claimed(self, e: tm.ModelIncomeClaimed) -> None:
        if (model := self.index.models.get(e.model_id)) is not None:
            model.income_claimed += e.amount

    # ------------------------------------------------------------------------------ agents

    def _agent_staked(self, e: staking.AgentStaked) -> None:
        agent = self.index.agents.get(e.agent)
        if agent is None:
            agent = AgentRecord(address=e.agent, agent_id=e.id, model_id=e.model_id)
            self.index.agents[e.agent] = agent
            self.index.agent_ids[e.id] = e.agent
        agent.model_id = e.model_id
        agent.staked += e.amount
        model = self.index.models.get(e.model_id)
        if model is not None and e.id not in model.agent_ids:
            model.agent_ids.append(e.id)
        agent.history.append(Entry(self._at(e), f"staked for model {e.model_id}", amount=e.amount))

    def _agent_penalized(self, e: staking.AgentPenalized) -> None:
        if (agent := self._agent(e.id)) is not None:
            agent.penalties += e.slashed
            agent.history.append(
                Entry(
                    self._at(e),
                    "penalized for missing a deadline",
                    task_id=self._last_miss.pop(e.id, None),
                    amount=e.slashed,
                    tone=Tone.BAD,
                )
            )

    def _agent_slashed(self, e: staking.AgentSlashed) -> None:
        # Only fraud convictions slash; `FraudConvicted` (next log) writes the history line.
        if (agent := self._agent(e.id)) is not None:
            agent.slashed += e.amount

    def _agent_unbonding(self, e: staking.AgentUnbonding) -> None:
        self._note_agent(e.id, e, "started unbonding")

    def _agent_withdrawn(self, e: staking.AgentWithdrawn) -> None:
        self._note_agent(e.id, e, "withdrew its stake", amount=e.amount)

    def _agent_expelled(self, e: staking.AgentExpelled) -> None:
        if (agent := self._agent(e.id)) is not None:
            agent.forfeited += e.forfeited
        self._note_agent(e.id, e, "expelled by governance", amount=e.forfeited, tone=Tone.BAD)

    def _reward_claimed(self, e: tm.RewardClaimed) -> None:
        if (agent := self.index.agents.get(e.account)) is not None:
            agent.claimed += e.amount
            agent.history.append(Entry(self._at(e), "claimed its rewards", amount=e.amount))
        if (verifier := self.index.verifiers.get(e.account)) is not None:
            verifier.history.append(Entry(self._at(e), "claimed task rewards", amount=e.amount))

    # ------------------------------------------------------------------------------ verifiers

    def _verifier_staked(self, e: vr.VerifierStaked) -> None:
        verifier = self.index.verifiers.get(e.verifier)
        if verifier is None:
            verifier = VerifierRecord(address=e.verifier, verifier_id=e.id)
            self.index.verifiers[e.verifier] = verifier
            self.index.verifier_ids[e.id] = e.verifier
        verifier.staked += e.amount
        verifier.history.append(Entry(self._at(e), "staked", amount=e.amount))

    def _verifier_heartbeat(self, e: vr.VerifierHeartbeat) -> None:
        if (verifier := self.index.verifier(e.id)) is not None:
            verifier.heartbeats += 1
            verifier.last_epoch = e.epoch
        self._note_verifier(e.id, e, f"checked in for epoch {e.epoch}")

    def _verifier_penalized(self, e: vr.VerifierPenalized) -> None:
        # Only the dispute manager penalizes, for not voting: `NonVoterPenalized` writes the line.
        if (verifier := self.index.verifier(e.id)) is not None:
            verifier.penalties += e.amount

    def _verifier_reported(self, e: vr.VerifierReportedInactive) -> None:
        verifier = self.index.verifiers.get(e.verifier)
        if verifier is not None:
            verifier.penalties += e.penalty
            what = f"reported inactive ({e.missed} epochs missed)"
            verifier.history.append(Entry(self._at(e), what, amount=e.penalty, tone=Tone.BAD))

    def _verifier_unbonding(self, e: vr.VerifierUnbonding) -> None:
        self._note_verifier(e.id, e, "started unbonding")

    def _verifier_withdrawn(self, e: vr.VerifierWithdrawn) -> None:
        self._note_verifier(e.id, e, "withdrew its stake", amount=e.amount)

    def _verifier_expelled(self, e: vr.VerifierExpelled) -> None:
        if (verifier := self.index.verifier(e.id)) is not None:
            verifier.forfeited += e.forfeited
        self._note_verifier(e.id, e, "expelled by governance", amount=e.forfeited, tone=Tone.BAD)

    def _epoch_reward_claimed(self, e: vr.EpochRewardClaimed) -> None:
        verifier = self.index.verifiers.get(e.verifier)
        if verifier is not None:
            verifier.epoch_rewards += e.amount
            what = f"claimed its fee share of epoch {e.epoch}"
            verifier.history.append(Entry(self._at(e), what, amount=e.amount, tone=Tone.GOOD))

    # ------------------------------------------------------------------------------ tasks

    def _task_submitted(self, e: tm.TaskSubmitted) -> None:
        at = self._at(e)
        self.index.tasks[e.task_id] = TaskRecord(
            task_id=e.task_id,
            model_id=e.model_id,
            user=e.user,
            fee=e.fee,
            input=e.input,
            input_uri=e.input_uri,
            input_digest=e.input_digest,
            submitted=at,
        )
        self.index.submissions.append(at.time)
        if (model := self.index.models.get(e.model_id)) is not None:
            model.task_ids.append(e.task_id)

    def _task_assigned(self, e: tm.TaskAssigned) -> None:
        task = self.index.tasks[e.task_id]
        task.assignments.append(Assignment(e.attempt, e.agent_ids, e.commit_deadline, self._at(e)))
        task.phase = Phase.COMMITTING
        for agent_id in e.agent_ids:
            if (agent := self._agent(agent_id)) is not None:
                agent.task_ids.append(e.task_id)
            self._note_agent(agent_id, e, "assigned", task_id=e.task_id)

    def _task_committed(self, e: tm.TaskCommitted) -> None:
        task = self.index.tasks[e.task_id]
        task.commits.append(Commit(task.attempt, e.agent_id, e.order, self._at(e)))
        self._note_agent(e.agent_id, e, f"committed (#{e.order + 1})", task_id=e.task_id)

    def _task_revealed(self, e: tm.TaskRevealed) -> None:
        task = self.index.tasks[e.task_id]
        task.reveals.append(Reveal(task.attempt, e.agent_id, e.digest, e.output_uri, self._at(e)))
        if task.phase is Phase.COMMITTING:
            task.phase = Phase.REVEALING
        self._note_agent(e.agent_id, e, "revealed its output", task_id=e.task_id)

    def _task_missed(self, e: tm.TaskMissed) -> None:
        task = self.index.tasks[e.task_id]
        task.misses.append(Miss(task.attempt, e.agent_id, self._at(e)))
        self._last_miss[e.agent_id] = e.task_id

    def _task_accepted(self, e: tm.TaskAccepted) -> None:
        task = self.index.tasks[e.task_id]
        task.accepted = Acceptance(e.winner_id, e.digest, e.challenge_deadline, self._at(e))
        task.phase = Phase.ACCEPTED
        self._note_agent(e.winner_id, e, "accepted as winner", task_id=e.task_id)

    def _task_disputed(self, e: tm.TaskDisputed) -> None:
        task = self.index.tasks[e.task_id]
        task.dispute_ids.append(e.dispute_id)
        task.phase = Phase.DISPUTED

    def _task_finalized(self, e: tm.TaskFinalized) -> None:
        task = self.index.tasks[e.task_id]
        task.finalized = FeeSplit(
            winner_id=e.winner_id,
            reward_to=e.reward_to,
            winner_share=e.winner_share,
            block_reward=e.block_reward,
            creator_share=e.creator_share,
            verifier_share=e.verifier_share,
            treasury_share=e.treasury_share,
            at=self._at(e),
        )
        task.phase = Phase.FINALIZED
        if (model := self.index.models.get(task.model_id)) is not None:
            model.income_earned += e.creator_share
        reward = e.winner_share + e.block_reward
        if (agent := self._agent(e.winner_id)) is not None:
            agent.rewards += reward
            agent.wins.append(e.task_id)
            agent.history.append(
                Entry(self._at(e), "won", task_id=e.task_id, amount=reward, tone=Tone.GOOD)
            )
        if (verifier := self.index.verifiers.get(e.reward_to)) is not None:
            what = "took the convicted winner's reward"
            verifier.history.append(
                Entry(self._at(e), what, task_id=e.task_id, amount=reward, tone=Tone.GOOD)
            )

    def _task_refunded(self, e: tm.TaskRefunded) -> None:
        task = self.index.tasks[e.task_id]
        task.refunded = e.amount
        task.refunded_at = self._at(e)
        task.phase = Phase.REFUNDED

    # ------------------------------------------------------------------------------ disputes

    def _dispute_opened(self, e: dm.DisputeOpened) -> None:
        challenger = None if e.challenger == ZERO_ADDRESS else e.challenger
        self.index.disputes[e.dispute_id] = DisputeRecord(
            dispute_id=e.dispute_id,
            task_id=e.task_id,
            challenger=challenger,
            accused_index=e.accused_index,
            bond=e.bond,
            committee=e.committee,
            commit_deadline=e.commit_deadline,
            opened=self._at(e),
        )
        facts: dict[str, Any] = {"task_id": e.task_id, "dispute_id": e.dispute_id}
        verifier = self.index.verifiers.get(challenger) if challenger is not None else None
        if verifier is not None:
            verifier.challenges.append(e.dispute_id)
            verifier.history.append(Entry(self._at(e), "challenged", amount=e.bond, **facts))
        for verifier_id in e.committee:
            if (member := self.index.verifier(verifier_id)) is not None:
                member.dispute_ids.append(e.dispute_id)
            self._note_verifier(verifier_id, e, "drawn for the committee", **facts)

    def _vote_committed(self, e: dm.VoteCommitted) -> None:
        self.index.disputes[e.dispute_id].vote_commits.append(
            VoteCommit(e.verifier_id, self._at(e))
        )
        self._note_verifier(e.verifier_id, e, "committed its vote", dispute_id=e.dispute_id)

    def _vote_revealed(self, e: dm.VoteRevealed) -> None:
        dispute = self.index.disputes[e.dispute_id]
        dispute.vote_reveals.append(VoteReveal(e.verifier_id, e.vote, self._at(e)))
        self._note_verifier(e.verifier_id, e, "revealed its vote", dispute_id=e.dispute_id)

    def _dispute_resolved(self, e: dm.DisputeResolved) -> None:
        dispute = self.index.disputes[e.dispute_id]
        dispute.resolution = Resolution(e.verdict, e.majority_vote, e.slashed, self._at(e))

    def _fraud_convicted(self, e: dm.FraudConvicted) -> None:
        self.index.disputes[e.dispute_id].convictions[e.agent_id] = e.slashed
        task_id = self.index.disputes[e.dispute_id].task_id
        self._note_agent(
            e.agent_id,
            e,
            "convicted of fraud",
            task_id=task_id,
            dispute_id=e.dispute_id,
            amount=e.slashed,
            tone=Tone.BAD,
        )

    def _non_voter_penalized(self, e: dm.NonVoterPenalized) -> None:
        self.index.disputes[e.dispute_id].non_voters[e.verifier_id] = e.penalty
        self._note_verifier(
            e.verifier_id,
            e,
            "penalized for not voting",
            dispute_id=e.dispute_id,
            amount=e.penalty,
            tone=Tone.BAD,
        )

    def _dispute_credited(self, e: dm.DisputeCredited) -> None:
        credits = self.index.disputes[e.dispute_id].credits
        credits[e.account] = credits.get(e.account, 0) + e.amount
        if (verifier := self.index.verifiers.get(e.account)) is not None:
            verifier.credited += e.amount
            verifier.history.append(
                Entry(
                    self._at(e),
                    "credited",
                    dispute_id=e.dispute_id,
                    amount=e.amount,
                    tone=Tone.GOOD,
                )
            )

    def _dispute_claimed(self, e: dm.DisputeClaimed) -> None:
        if (verifier := self.index.verifiers.get(e.account)) is not None:
            what = "claimed its dispute rewards"
            verifier.history.append(Entry(self._at(e), what, amount=e.amount))
