"""The verifier daemon: stays active, checks revealed outputs, challenges, votes, claims.

- Each epoch: move the task manager's verifier fees into the pool, heartbeat, claim the
  rewards of finished epochs.
- Light check: for a sample of accepted tasks, recompute the output and compare it with the
  winner's by the model's verification mode (EXACT: digests; TOLERANT: the metric of its
  metadata on the stored outputs); a disagreement is challenged with a bond before the window
  closes.
- Committee duty: recompute, then commit and reveal a vote (EXACT: our digest; TOLERANT: accept
  or reject the accused output); the vote and its salt are saved before the commit is sent.
"""

from __future__ import annotations

import functools
import hashlib
from concurrent.futures import Future
from enum import StrEnum

from eth_account.signers.local import LocalAccount

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings.dispute_manager import DisputeOpened, DisputeResolved, DisputeState
from eternal.chain.bindings.task_manager import (
    TaskAccepted,
    TaskRevealed,
    TaskState,
    TaskSubmitted,
)
from eternal.chain.bindings.verifier_registry import VerifierPenalized, VerifierStatus
from eternal.chain.protocol import Protocol
from eternal.chain.seals import VOTE_ACCEPT, VOTE_REJECT, digest_prefix, new_salt, vote_seal
from eternal.errors import ContractError, EternalError
from eternal.models.metadata import VerificationMode
from eternal.node.base import NodeBase
from eternal.node.errors import NodeError
from eternal.node.metrics import NodeMetrics
from eternal.node.models import Computation, ModelHost
from eternal.node.state import NodeState, Vote, VoteStatus
from eternal.runtime.tolerance import outputs_agree
from eternal.storage.store import BlobStore

_EPOCH_CURSOR = "epochs-claimed"
_KEPT_OUTPUTS = 64


class VerifierBehaviour(StrEnum):
    """Only `honest` is for real use; the others show what the protocol does to such verifiers."""

    HONEST = "honest"
    FALSE_CHALLENGE = "false-challenge"  # challenges every output it checks
    SKIP_VOTES = "skip-votes"  # sits on committees without voting


class VerifierNode(NodeBase):
    name = "verifier"

    def __init__(
        self,
        protocol: Protocol,
        account: LocalAccount,
        state: NodeState,
        models: ModelHost,
        store: BlobStore,
        *,
        stake: int,
        sample_rate: float = 1.0,
        concurrency: int = 1,
        behaviour: VerifierBehaviour = VerifierBehaviour.HONEST,
        metrics: NodeMetrics | None = None,
        log_range: int = 2_000,
    ) -> None:
        super().__init__(
            protocol,
            account,
            state,
            models,
            store,
            stake=stake,
            concurrency=concurrency,
            metrics=metrics,
            log_range=log_range,
        )
        self.sample_rate = sample_rate
        self.behaviour = behaviour
        self.verifier_id = 0
        self._outputs: dict[int, Future[Computation]] = {}
        self._epoch = -1

    # ------------------------------------------------------------------ lifecycle

    def setup(self) -> None:
        registry = self.protocol.verifiers
        info = registry.verifier_info(self.address)
        if info.status is VerifierStatus.NONE:
            self.require_balance(self.stake_amount, "to stake")
            self.ensure_allowance(registry.address, self.stake_amount)
            self.send("stake", lambda: registry.stake(self.account, self.stake_amount))
        elif info.status is VerifierStatus.EXPELLED:
            raise NodeError(f"{self.address} was expelled from the verifier pool")
        elif info.status is VerifierStatus.INACTIVE:
            self.send("rejoin", lambda: registry.rejoin(self.account))
        self.verifier_id = registry.id_of(self.address)
        bond = self.protocol.disputes.params().challenge_bond
        self.ensure_allowance(self.protocol.disputes.address, bond)

    def tick(self) -> None:
        self._each_epoch()
        self.follow(self._on_event)
        self._light_checks()
        for vote in self.state.votes(
            VoteStatus.PENDING, VoteStatus.SEALED, VoteStatus.COMMITTED, VoteStatus.REVEALED
        ):
            self._step(vote)
        self._claim_dispute_credits()

    # ------------------------------------------------------------------ events

    def _on_event(self, event: ContractEvent) -> None:
        match event:
            case TaskSubmitted():
                self.state.remember_input(
                    event.task_id, event.model_id, event.input, event.input_uri, event.input_digest
                )
            case TaskRevealed():
                self.state.remember_reveal(
                    event.task_id, event.agent_id, event.digest, event.output_uri
                )
            case TaskAccepted() if self.state.check(event.task_id) is None:
                if self._sampled(event.task_id):
                    self.state.record_check(event.task_id, "queued")
            case DisputeOpened() if self.verifier_id in event.committee:
                if self.state.add_vote(Vote(event.dispute_id, event.task_id, VoteStatus.PENDING)):
                    self.log.info("on the committee of dispute %d", event.dispute_id)
            case DisputeResolved():
                for vote in self.state.votes(VoteStatus.REVEALED, VoteStatus.COMMITTED):
                    if vote.dispute_id == event.dispute_id:
                        self.state.update_vote(vote.dispute_id, status=VoteStatus.DONE)
            case VerifierPenalized(id=verifier_id) if verifier_id == self.verifier_id:
                self.metrics.penalties.labels(kind="verifier").inc()

    def _sampled(self, task_id: int) -> bool:
        """A deterministic sample: the same verifier always checks the same tasks."""
        draw = hashlib.sha256(f"{self.address}:{task_id}".encode()).digest()
        return int.from_bytes(draw[:8], "big") < self.sample_rate * 2**64

    # ------------------------------------------------------------------ epochs

    def _each_epoch(self) -> None:
        registry = self.protocol.verifiers
        epoch = registry.current_epoch()
        if epoch == self._epoch:
            return
        self.send("collectFees", lambda: registry.collect_fees(self.account))
        if registry.verifier_info(self.address).last_seen_epoch < epoch:
            self.send(
                "heartbeat",
                lambda: registry.heartbeat(self.account),
                tolerate=("VerifierRegistryWrongStatus",),
            )
        claimed = self.state.cursor(_EPOCH_CURSOR)
        for past in range(0 if claimed is None else claimed + 1, epoch):
            owed = registry.pending_reward(past, self.address)
            if owed > 0:
                result = self.send(
                    "claimEpochReward",
                    functools.partial(registry.claim_epoch_reward, self.account, past),
                    tolerate=("VerifierRegistryNothingToClaim",),
                )
                if not isinstance(result, ContractError):
                    self.metrics.reward(owed)
            self.state.set_cursor(_EPOCH_CURSOR, past)
        self._epoch = epoch

    # ------------------------------------------------------------------ outputs

    def _output(self, task_id: int) -> Future[Computation]:
        if task_id not in self._outputs:
            known = self.state.task_input(task_id)
            if known is not None:
                # Started here, on the main thread, so the Cog server dies with this process.
                self.models.warm(known[0])
            self._outputs[task_id] = self.pool.submit(self.models.compute_task, task_id, self.state)
            self._forget_old_outputs()
        return self._outputs[task_id]

    def _forget_old_outputs(self) -> None:
        """Keep the latest outputs only (a check and a vote on one task come close together);
        an older one is recomputed if ever needed again."""
        finished = [task for task, future in self._outputs.items() if future.done()]
        for task in finished[: max(0, len(self._outputs) - _KEPT_OUTPUTS)]:
            del self._outputs[task]

    def _agrees(self, task_id: int, agent_id: int, mine: Computation) -> bool:
        """Whether agent `agent_id`'s revealed output on `task_id` matches ours."""
        revealed = self.state.reveal(task_id, agent_id)
        if revealed is None:
            return False
        digest, uri = revealed
        model_id = self.protocol.tasks.task(task_id).model_id
        verification = self.models.metadata(model_id).verification
        if verification.mode is VerificationMode.EXACT:
            return digest_prefix(mine.digest) == digest_prefix(digest)
        try:
            theirs = self.store.get(uri)
        except EternalError:
            return False  # an output nobody can fetch cannot be accepted
        if digest_prefix(hashlib.sha256(theirs).digest()) != digest_prefix(digest):
            return False
        return outputs_agree(verification, mine.data, theirs)

    # ------------------------------------------------------------------ light checks

    def _light_checks(self) -> None:
        for task_id in self.state.checks_with("queued"):
            task = self.protocol.tasks.task(task_id)
            if task.state is not TaskState.ACCEPTED or self.now() > task.deadline:
                self.state.record_check(task_id, "closed")
                continue
            future = self._output(task_id)
            if not future.done():
                continue
            try:
                mine = future.result()
            except EternalError as exc:
                self.metrics.errors.labels(kind=type(exc).__name__).inc()
                self.state.record_check(task_id, "error", str(exc))
                continue
            winner = task.agent_ids[task.winner_index]
            wrong = self.behaviour is VerifierBehaviour.FALSE_CHALLENGE or not self._agrees(
                task_id, winner, mine
            )
            if wrong:
                self._challenge(task_id, task.winner_index)
            else:
                self.state.record_check(task_id, "agreed")
                self.metrics.tasks.labels(outcome="checked").inc()

    def _challenge(self, task_id: int, index: int) -> None:
        disputes = self.protocol.disputes
        bond = disputes.params().challenge_bond
        self.require_balance(bond, "for a challenge bond")
        self.ensure_allowance(disputes.address, bond)
        outcome = self.send(
            "challenge",
            lambda: disputes.challenge(self.account, task_id, index),
            tolerate=(
                "TaskManagerChallengeClosed",
                "TaskManagerWrongState",
                "DisputeManagerCommitteeTooSmall",
            ),
        )
        verdict = "challenge_refused" if isinstance(outcome, ContractError) else "challenged"
        self.state.record_check(task_id, verdict)
        self.metrics.tasks.labels(outcome=verdict).inc()
        self.log.warning("task %d: %s the output of agent index %d", task_id, verdict, index)

    # ------------------------------------------------------------------ committee votes

    def _step(self, vote: Vote) -> None:
        if self.behaviour is VerifierBehaviour.SKIP_VOTES:
            return
        dispute = self.protocol.disputes.dispute(vote.dispute_id)
        if dispute.state is DisputeState.RESOLVED:
            self.state.update_vote(vote.dispute_id, status=VoteStatus.DONE)
        elif vote.status is VoteStatus.PENDING:
            self._decide(vote, dispute.accused_index)
        elif vote.status is VoteStatus.SEALED:
            self._commit_vote(vote)
        elif vote.status is VoteStatus.COMMITTED:
            self._reveal_vote(
                vote, dispute.state, dispute.commits, dispute.committee_size, dispute.deadline
            )
        elif vote.status is VoteStatus.REVEALED and (
            dispute.reveals == dispute.committee_size or self.now() > dispute.deadline
        ):
            self.send(
                "resolve",
                lambda: self.protocol.disputes.resolve(self.account, vote.dispute_id),
                tolerate=("DisputeManagerNotDue", "DisputeManagerWrongState"),
            )

    def _decide(self, vote: Vote, accused_index: int) -> None:
        future = self._output(vote.task_id)
        if not future.done():
            return
        try:
            mine = future.result()
        except EternalError as exc:
            self.state.update_vote(vote.dispute_id, status=VoteStatus.MISSED, error=str(exc))
            self.metrics.errors.labels(kind=type(exc).__name__).inc()
            return
        task = self.protocol.tasks.task(vote.task_id)
        if task.tolerant:
            accused = task.agent_ids[accused_index]
            choice = VOTE_ACCEPT if self._agrees(vote.task_id, accused, mine) else VOTE_REJECT
        else:
            choice = mine.digest
        self.state.update_vote(
            vote.dispute_id, status=VoteStatus.SEALED, vote=choice, salt=new_salt()
        )
        sealed = next(
            v for v in self.state.votes(VoteStatus.SEALED) if v.dispute_id == vote.dispute_id
        )
        self._commit_vote(sealed)

    def _commit_vote(self, vote: Vote) -> None:
        assert vote.vote is not None and vote.salt is not None
        disputes = self.protocol.disputes
        seal = vote_seal(vote.dispute_id, self.address, vote.vote, vote.salt)
        outcome = self.send(
            "commitVote",
            lambda: disputes.commit_vote(self.account, vote.dispute_id, seal),
            tolerate=(
                "DisputeManagerAlreadyCommitted",
                "DisputeManagerPhaseClosed",
                "DisputeManagerWrongState",
            ),
        )
        if isinstance(outcome, ContractError) and outcome.name != "DisputeManagerAlreadyCommitted":
            self.state.update_vote(vote.dispute_id, status=VoteStatus.MISSED, error=str(outcome))
            return
        self.state.update_vote(vote.dispute_id, status=VoteStatus.COMMITTED)

    def _reveal_vote(
        self, vote: Vote, state: DisputeState, commits: int, size: int, deadline: int
    ) -> None:
        is_open = state is DisputeState.REVEALING or (
            state is DisputeState.COMMITTING and (commits == size or self.now() > deadline)
        )
        if not is_open:
            return
        choice, salt = vote.vote, vote.salt
        assert choice is not None and salt is not None
        disputes = self.protocol.disputes
        outcome = self.send(
            "revealVote",
            lambda: disputes.reveal_vote(self.account, vote.dispute_id, choice, salt),
            tolerate=(
                "DisputeManagerNothingToReveal",
                "DisputeManagerPhaseClosed",
                "DisputeManagerWrongState",
                "DisputeManagerNotDue",
            ),
        )
        if isinstance(outcome, ContractError):
            if outcome.name in ("DisputeManagerNotDue", "DisputeManagerWrongState"):
                return
            if outcome.name == "DisputeManagerPhaseClosed":
                self.state.update_vote(
                    vote.dispute_id, status=VoteStatus.MISSED, error=str(outcome)
                )
                return
        self.state.update_vote(vote.dispute_id, status=VoteStatus.REVEALED)
        self.metrics.tasks.labels(outcome="voted").inc()

    def _claim_dispute_credits(self) -> None:
        disputes = self.protocol.disputes
        owed = disputes.claimable(self.address)
        if owed > 0:
            result = self.send(
                "claim",
                lambda: disputes.claim(self.account),
                tolerate=("DisputeManagerNothingToClaim",),
            )
            if not isinstance(result, ContractError):
                self.metrics.reward(owed)
