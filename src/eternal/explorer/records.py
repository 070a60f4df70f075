"""What the explorer remembers of the network: one record per model, agent, verifier, task and
dispute, built from the protocol's events by `eternal.explorer.indexer`.

Records keep what only the logs tell (who committed when, in which order, the fee split of a
payout, every slash); what a contract's view answers in O(1) (a stake, a status, a balance) is
read at page time instead, so it is never stale. Records are mutable and owned by the indexer;
pages only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from eternal.chain.bindings.dispute_manager import Verdict
from eternal.chain.bindings.model_registry import VerificationMode


@dataclass(frozen=True)
class Moment:
    """Where an event happened: its block, its place in the block's logs, and the block's
    timestamp (UTC seconds)."""

    block: int
    log_index: int
    time: int


class Tone(StrEnum):
    """How a history line reads for its subject: money in, money out, or neither."""

    PLAIN = "plain"
    GOOD = "good"
    BAD = "bad"


@dataclass(frozen=True)
class Entry:
    """One line of an agent's or a verifier's history: `what` happened, about which task or
    dispute, for which amount (wei)."""

    at: Moment
    what: str
    task_id: int | None = None
    dispute_id: int | None = None
    amount: int | None = None
    tone: Tone = Tone.PLAIN


# ---------------------------------------------------------------------------------- tasks


class Phase(StrEnum):
    """A task's state as its events tell it (the contract's `TaskState` is read on its page)."""

    COMMITTING = "committing"
    REVEALING = "revealing"
    ACCEPTED = "accepted"
    DISPUTED = "disputed"
    FINALIZED = "finalized"
    REFUNDED = "refunded"


FINISHED = frozenset({Phase.FINALIZED, Phase.REFUNDED})


@dataclass(frozen=True)
class Assignment:
    attempt: int  # 0, or 1 after a reassignment
    agent_ids: tuple[int, ...]
    commit_deadline: int
    at: Moment


@dataclass(frozen=True)
class Commit:
    attempt: int
    agent_id: int
    order: int  # 0 = first to commit: the candidate winner
    at: Moment


@dataclass(frozen=True)
class Reveal:
    attempt: int
    agent_id: int
    digest: bytes
    output_uri: str
    at: Moment


@dataclass(frozen=True)
class Miss:
    attempt: int
    agent_id: int
    at: Moment


@dataclass(frozen=True)
class Acceptance:
    winner_id: int
    digest_prefix: bytes  # the chain keeps 128 bits of the winner's digest
    challenge_deadline: int
    at: Moment


@dataclass(frozen=True)
class FeeSplit:
    """A payout (`TaskFinalized`): `winner_id` 0 means the winner's part went to `reward_to`,
    a challenger who convicted the winner."""

    winner_id: int
    reward_to: str
    winner_share: int
    block_reward: int
    creator_share: int
    verifier_share: int
    treasury_share: int
    at: Moment

    @property
    def fee(self) -> int:
        return self.winner_share + self.creator_share + self.verifier_share + self.treasury_share


@dataclass
class TaskRecord:
    task_id: int
    model_id: int
    user: str
    fee: int
    input: bytes  # inline input (empty when it travels by reference)
    input_uri: str
    input_digest: bytes
    submitted: Moment
    phase: Phase = Phase.COMMITTING
    assignments: list[Assignment] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)
    reveals: list[Reveal] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    accepted: Acceptance | None = None
    dispute_ids: list[int] = field(default_factory=list)
    finalized: FeeSplit | None = None
    refunded: int | None = None
    refunded_at: Moment | None = None

    @property
    def attempt(self) -> int:
        return self.assignments[-1].attempt if self.assignments else 0

    @property
    def agent_ids(self) -> tuple[int, ...]:
        """The agents of the current attempt, by index."""
        return self.assignments[-1].agent_ids if self.assignments else ()

    def reveals_now(self) -> list[Reveal]:
        return [reveal for reveal in self.reveals if reveal.attempt == self.attempt]

    def commits_now(self) -> list[Commit]:
        return [commit for commit in self.commits if commit.attempt == self.attempt]

    @property
    def winner_id(self) -> int | None:
        """The paid winner, else the accepted one, else the first committer that revealed."""
        if self.finalized is not None and self.finalized.winner_id:
            return self.finalized.winner_id
        if self.accepted is not None:
            return self.accepted.winner_id
        revealed = {reveal.agent_id for reveal in self.reveals_now()}
        for commit in sorted(self.commits_now(), key=lambda c: c.order):
            if commit.agent_id in revealed:
                return commit.agent_id
        return None

    def reveal_of(self, agent_id: int) -> Reveal | None:
        return next((r for r in self.reveals_now() if r.agent_id == agent_id), None)

    @property
    def finished(self) -> bool:
        return self.phase in FINISHED


# ---------------------------------------------------------------------------------- disputes


@dataclass(frozen=True)
class VoteCommit:
    verifier_id: int
    at: Moment


@dataclass(frozen=True)
class VoteReveal:
    verifier_id: int
    vote: bytes
    at: Moment


@dataclass(frozen=True)
class Resolution:
    verdict: Verdict
    majority_vote: bytes
    slashed: int
    at: Moment


@dataclass
class DisputeRecord:
    dispute_id: int
    task_id: int
    challenger: str | None  # None: opened by the chain itself (EXACT digests differed)
    accused_index: int
    bond: int
    committee: tuple[int, ...]  # verifier ids
    commit_deadline: int
    opened: Moment
    vote_commits: list[VoteCommit] = field(default_factory=list)
    vote_reveals: list[VoteReveal] = field(default_factory=list)
    resolution: Resolution | None = None
    convictions: dict[int, int] = field(default_factory=dict)  # agent id -> slashed
    non_voters: dict[int, int] = field(default_factory=dict)  # verifier id -> penalty
    credits: dict[str, int] = field(default_factory=dict)  # account -> credited

    def vote_of(self, verifier_id: int) -> VoteReveal | None:
        return next((v for v in self.vote_reveals if v.verifier_id == verifier_id), None)

    def committed(self, verifier_id: int) -> VoteCommit | None:
        return next((c for c in self.vote_commits if c.verifier_id == verifier_id), None)


# ---------------------------------------------------------------------------------- actors


@dataclass(frozen=True)
class OwnerChange:
    previous: str
    owner: str
    at: Moment


@dataclass
class ModelRecord:
    model_id: int
    creator: str
    package_digest: bytes
    metadata_uri: str
    mode: VerificationMode
    registered: Moment
    task_ids: list[int] = field(default_factory=list)
    agent_ids: list[int] = field(default_factory=list)
    income_earned: int = 0  # creator shares of every payout
    income_claimed: int = 0
    owners: list[OwnerChange] = field(default_factory=list)


@dataclass
class AgentRecord:
    address: str
    agent_id: int
    model_id: int
    staked: int = 0  # every stake and top-up
    rewards: int = 0  # winner shares and block rewards credited
    claimed: int = 0
    penalties: int = 0  # slashes for missed deadlines
    slashed: int = 0  # slashes for fraud
    forfeited: int = 0  # expelled by governance
    task_ids: list[int] = field(default_factory=list)
    wins: list[int] = field(default_factory=list)
    history: list[Entry] = field(default_factory=list)


@dataclass
class VerifierRecord:
    address: str
    verifier_id: int
    staked: int = 0
    heartbeats: int = 0
    last_epoch: int | None = None
    credited: int = 0  # challenger and voter rewards from disputes
    epoch_rewards: int = 0  # fee pool shares claimed
    penalties: int = 0  # non-voting and inactivity
    forfeited: int = 0
    dispute_ids: list[int] = field(default_factory=list)  # sat on the committee
    challenges: list[int] = field(default_factory=list)
    history: list[Entry] = field(default_factory=list)


@dataclass
class NetworkIndex:
    """Everything indexed so far; `block` is the last block read."""

    block: int
    models: dict[int, ModelRecord] = field(default_factory=dict)
    agents: dict[str, AgentRecord] = field(default_factory=dict)
    agent_ids: dict[int, str] = field(default_factory=dict)
    verifiers: dict[str, VerifierRecord] = field(default_factory=dict)
    verifier_ids: dict[int, str] = field(default_factory=dict)
    tasks: dict[int, TaskRecord] = field(default_factory=dict)
    disputes: dict[int, DisputeRecord] = field(default_factory=dict)
    submissions: list[int] = field(default_factory=list)  # block times of the prompts, in order

    def agent(self, agent_id: int) -> AgentRecord | None:
        address = self.agent_ids.get(agent_id)
        return self.agents.get(address) if address is not None else None

    def verifier(self, verifier_id: int) -> VerifierRecord | None:
        address = self.verifier_ids.get(verifier_id)
        return self.verifiers.get(address) if address is not None else None
