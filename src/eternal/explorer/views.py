"""What each page shows: the indexed records, joined with the contracts' O(1) views.

`Explorer` owns the index, the store and the lock every chain read holds (an in-process chain
is not thread-safe, and requests arrive on several threads). Each page method returns one of
`eternal.explorer.page_models`; unknown ids raise `UnknownId`. Those hold index records: render
them before the lock is released (`eternal.explorer.pages` does).
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_right
from itertools import islice
from typing import TypeVar

from eternal.chain.protocol import Protocol
from eternal.chain.seals import VOTE_ACCEPT, VOTE_REJECT, digest_prefix
from eternal.chain.wallet import InvalidAddress, checksum_address
from eternal.explorer.errors import UnknownId
from eternal.explorer.indexer import Indexer
from eternal.explorer.outputs import ShownOutput, show_output
from eternal.explorer.page_models import (
    AgentPage,
    AgentRow,
    DisputePage,
    Member,
    ModelPage,
    Overview,
    Slot,
    Supply,
    TaskPage,
    VerifierPage,
    VerifierRow,
)
from eternal.explorer.records import AgentRecord, ModelRecord, NetworkIndex, Reveal, TaskRecord
from eternal.explorer.timeline import task_timeline
from eternal.models.metadata import MetadataError, ModelMetadata
from eternal.storage.errors import StorageError
from eternal.storage.store import BlobStore

_R = TypeVar("_R")

RATE_WINDOW = 300  # seconds of chain time behind "prompts per minute"
LIST_LIMIT = 50  # rows per table on the overview


class Explorer:
    """The network as the pages see it. Call page methods while holding `lock`, after
    `refresh()`; `pages` does both for every request."""

    def __init__(
        self,
        protocol: Protocol,
        store: BlobStore,
        *,
        log_range: int = 2_000,
        lock: threading.Lock | None = None,
    ) -> None:
        self.protocol = protocol
        self.store = store
        self.indexer = Indexer(protocol, log_range=log_range)
        self.lock = lock or threading.Lock()
        # Content-addressed, so never stale: a URI names the same bytes forever.
        self._metadata: dict[str, ModelMetadata] = {}
        self._outputs: dict[tuple[str, bytes], ShownOutput] = {}

    @property
    def index(self) -> NetworkIndex:
        return self.indexer.index

    def refresh(self) -> None:
        self.indexer.refresh()

    # ------------------------------------------------------------------------------ overview

    def overview(self) -> Overview:
        p, index = self.protocol, self.index
        now = p.backend.latest_timestamp()
        recent = index.submissions[bisect_right(index.submissions, now - RATE_WINDOW) :]
        finished = sum(task.finished for task in index.tasks.values())
        models = [
            (m, self.model_name(m), p.agents.pool_size(m.model_id)) for m in _newest(index.models)
        ]
        return Overview(
            index=index,
            models=models,
            model_names={m.model_id: name for m, name, _ in models},
            agents=[self._agent_row(a) for a in list(index.agents.values())[:LIST_LIMIT]],
            verifiers=[
                VerifierRow(v, p.verifiers.verifier_info(v.address))
                for v in list(index.verifiers.values())[:LIST_LIMIT]
            ],
            active_agents=sum(size for _, _, size in models),
            verifier_pool=p.verifiers.pool_size(),
            open_tasks=len(index.tasks) - finished,
            finished_tasks=finished,
            prompts_per_minute=len(recent) * 60 / RATE_WINDOW,
            recent_tasks=_newest(index.tasks, LIST_LIMIT),
            recent_disputes=_newest(index.disputes, LIST_LIMIT),
            supply=self._supply(),
        )

    def _supply(self) -> Supply:
        p = self.protocol
        token, d = p.token, p.deployment
        return Supply(
            total=token.total_supply(),
            cap=token.cap(),
            treasury=token.balance_of(d.treasury),
            treasury_accrued=p.tasks.accrued().treasury_share,
            staked_by_agents=token.balance_of(d.agents),
            staked_by_verifiers=token.balance_of(d.verifiers),
            held_for_tasks=token.balance_of(d.tasks),
        )

    # ------------------------------------------------------------------------------ tasks

    def task(self, task_id: int) -> TaskPage:
        task = self.index.tasks.get(task_id)
        if task is None:
            raise UnknownId("task", task_id)
        model = self.index.models.get(task.model_id)
        slots = self._slots(task)
        winner = next((slot for slot in slots if slot.winner), None)
        output = None
        if winner is not None and winner.reveal is not None:
            output = self._output(model, winner.reveal)
        return TaskPage(
            task=task,
            view=self.protocol.tasks.task(task_id),
            model=model,
            model_name=self.model_name(model) if model else f"model {task.model_id}",
            inputs=_shown_input(task),
            slots=slots,
            steps=task_timeline(task, self.index),
            winner=winner,
            output=output,
            disputes=[self.index.disputes[d] for d in task.dispute_ids if d in self.index.disputes],
        )

    def _slots(self, task: TaskRecord) -> list[Slot]:
        winner_id = task.winner_id
        winner_reveal = task.reveal_of(winner_id) if winner_id is not None else None
        orders = {c.agent_id: c.order for c in task.commits_now()}
        missed = {m.agent_id for m in task.misses if m.attempt == task.attempt}
        convicted = {
            agent_id
            for dispute_id in task.dispute_ids
            if (dispute := self.index.disputes.get(dispute_id)) is not None
            for agent_id in dispute.convictions
        }
        slots = []
        for index, agent_id in enumerate(task.agent_ids):
            reveal = task.reveal_of(agent_id)
            agrees = None
            if reveal is not None and winner_reveal is not None:
                agrees = digest_prefix(reveal.digest) == digest_prefix(winner_reveal.digest)
            slots.append(
                Slot(
                    index=index,
                    agent_id=agent_id,
                    address=self.index.agent_ids.get(agent_id),
                    committed=orders.get(agent_id),
                    reveal=reveal,
                    missed=agent_id in missed,
                    winner=agent_id == winner_id,
                    convicted=agent_id in convicted,
                    agrees=agrees,
                )
            )
        return slots

    def _output(self, model: ModelRecord | None, reveal: Reveal) -> ShownOutput:
        key = (reveal.output_uri, reveal.digest)
        if key in self._outputs:
            return self._outputs[key]
        metadata = self.metadata(model)[0] if model else None
        kind = metadata.output.kind if metadata else None
        shown = show_output(self.store, reveal.output_uri, reveal.digest, kind)
        if shown.problem is None:  # a missing blob may arrive later: only cache successes
            self._outputs[key] = shown
        return shown

    # ------------------------------------------------------------------------------ actors

    def agent(self, address: str) -> AgentPage:
        record = self.index.agents.get(_address("agent", address))
        if record is None:
            raise UnknownId("agent", address, detail="it never staked")
        model = self.index.models.get(record.model_id)
        return AgentPage(
            record=record,
            info=self.protocol.agents.agent_info(record.address),
            claimable=self.protocol.tasks.claimable(record.address),
            model_name=self.model_name(model) if model else f"model {record.model_id}",
        )

    def verifier(self, address: str) -> VerifierPage:
        record = self.index.verifiers.get(_address("verifier", address))
        if record is None:
            raise UnknownId("verifier", address, detail="it never staked")
        verifiers = self.protocol.verifiers
        return VerifierPage(
            record=record,
            info=verifiers.verifier_info(record.address),
            claimable=self.protocol.disputes.claimable(record.address),
            missed_epochs=verifiers.missed_epochs(record.address),
        )

    def _agent_row(self, record: AgentRecord) -> AgentRow:
        return AgentRow(record, self.protocol.agents.agent_info(record.address))

    # ------------------------------------------------------------------------------ disputes

    def dispute(self, dispute_id: int) -> DisputePage:
        dispute = self.index.disputes.get(dispute_id)
        if dispute is None:
            raise UnknownId("dispute", dispute_id)
        task = self.index.tasks.get(dispute.task_id)
        accused = None
        if task is not None and dispute.accused_index < len(task.agent_ids):
            accused = self._slots(task)[dispute.accused_index]
        accused_digest = accused.reveal.digest if accused and accused.reveal else None
        members = []
        for verifier_id in dispute.committee:
            address = self.index.verifier_ids.get(verifier_id)
            revealed = dispute.vote_of(verifier_id)
            members.append(
                Member(
                    verifier_id=verifier_id,
                    address=address,
                    committed=dispute.committed(verifier_id),
                    revealed=revealed,
                    stance=_stance(revealed.vote, accused_digest) if revealed else None,
                    credited=dispute.credits.get(address, 0) if address else 0,
                    penalty=dispute.non_voters.get(verifier_id),
                )
            )
        convicted = [
            (agent_id, self.index.agent_ids.get(agent_id), amount)
            for agent_id, amount in dispute.convictions.items()
        ]
        return DisputePage(
            dispute=dispute,
            view=self.protocol.disputes.dispute(dispute_id),
            task=task,
            accused=accused,
            members=members,
            convicted=convicted,
        )

    # ------------------------------------------------------------------------------ models

    def model(self, model_id: int) -> ModelPage:
        record = self.index.models.get(model_id)
        if record is None:
            raise UnknownId("model", model_id)
        p = self.protocol
        metadata, problem = self.metadata(record)
        agents = [self.index.agent(agent_id) for agent_id in record.agent_ids]
        return ModelPage(
            index=self.index,
            record=record,
            metadata=metadata,
            metadata_problem=problem,
            owner=p.registry.owner_of(model_id),
            terms=p.registry.terms(model_id),
            redundancy_now=p.tasks.redundancy_of(model_id),
            pool_size=p.agents.pool_size(model_id),
            income_unclaimed=p.tasks.model_income(model_id),
            agents=[self._agent_row(a) for a in agents[:LIST_LIMIT] if a is not None],
            recent_tasks=[self.index.tasks[t] for t in reversed(record.task_ids[-LIST_LIMIT:])],
        )

    def metadata(self, model: ModelRecord) -> tuple[ModelMetadata | None, str | None]:
        """The model's metadata from the store, or why it cannot be read."""
        uri = model.metadata_uri
        if uri not in self._metadata:
            try:
                self._metadata[uri] = ModelMetadata.from_json(self.store.get(uri))
            except (StorageError, MetadataError) as exc:
                return None, str(exc)
        return self._metadata[uri], None

    def model_name(self, model: ModelRecord) -> str:
        metadata = self.metadata(model)[0]
        return metadata.name if metadata else f"model {model.model_id}"


def _newest(records: dict[int, _R], limit: int | None = None) -> list[_R]:
    """The last `limit` records, newest first (ids grow, and records are kept in id order)."""
    return list(islice(reversed(records.values()), limit))


def _address(what: str, text: str) -> str:
    try:
        return checksum_address(text)
    except InvalidAddress as exc:
        raise UnknownId(what, text, detail="not an address") from exc


def _stance(vote: bytes, accused_digest: bytes | None) -> str | None:
    """How a revealed vote reads: for or against the accused output."""
    if vote == VOTE_ACCEPT:
        return "for"
    if vote == VOTE_REJECT:
        return "against"
    if accused_digest is None:
        return None
    # EXACT votes are digests, compared on the 128 bits the chain keeps.
    return "for" if digest_prefix(vote) == digest_prefix(accused_digest) else "against"


def _shown_input(task: TaskRecord) -> str:
    if not task.input:
        return f"{task.input_uri} (sha256 {task.input_digest.hex()})"
    try:
        text = task.input.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + task.input.hex()
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text
