"""Where every EAI unit should be, and who was punished for what, rebuilt from events alone.

`Ledger` follows the protocol's events (every event of every transaction a test sends, in log
order) and keeps the books each contract should keep: escrows, reward credits, model income,
accrued fees, stakes, epoch pools, dispute bonds and credits, the treasury. `expected_balances`
is then what each contract must hold, to the wei; a test compares it with the chain. Amounts an
event reports are checked against the books as they arrive (a refund returns the escrow, a
claim pays exactly the credit, a payout splits exactly the fee, a dispute shares exactly the
slash and the bond).

`Conduct` follows the same events and records every punishment that was not earned: a
TaskMissed for an agent that was not assigned or did revealed, a penalty or slash without its
cause, a fraud conviction of an honest agent, a non-voter penalty for a member who revealed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from eternal.chain.bindings import ContractEvent

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


class LedgerMismatch(AssertionError):
    """An event reported an amount the books do not allow."""


@dataclass
class EpochBook:
    fees: int = 0
    active_stake: int = 0
    claimed_fees: int = 0
    claimed_stake: int = 0
    snapshots: dict[str, int] = field(default_factory=dict)

    @property
    def held(self) -> int:
        return self.fees - self.claimed_fees


@dataclass
class Touched:
    """What the events of one step changed: the views worth re-reading."""

    tasks: set[int] = field(default_factory=set)
    disputes: set[int] = field(default_factory=set)
    rewards: set[str] = field(default_factory=set)  # TaskManager.claimable
    credits: set[str] = field(default_factory=set)  # DisputeManager.claimable
    agents: set[str] = field(default_factory=set)
    verifiers: set[str] = field(default_factory=set)
    models: set[int] = field(default_factory=set)
    accrued: bool = False


class Ledger:
    """The books of every protocol contract, kept from events."""

    def __init__(self, contracts: Mapping[str, str], genesis_supply: int) -> None:
        self.contracts = dict(contracts)
        self.genesis_supply = genesis_supply
        self.minted = 0
        # TaskManager
        self.escrow: dict[int, int] = {}
        self.task_model: dict[int, int] = {}
        self.agent_rewards: Counter[int] = Counter()
        self.account_rewards: Counter[str] = Counter()
        self.model_income: Counter[int] = Counter()
        self.treasury_accrued = 0
        self.verifier_fees = 0
        self.settlements: Counter[int] = Counter()  # TaskFinalized + TaskRefunded per task
        # AgentStaking and VerifierRegistry
        self.agent_stake: Counter[str] = Counter()
        self.agent_id: dict[str, int] = {}
        self.verifier_stake: Counter[str] = Counter()
        self.verifier_id: dict[str, int] = {}
        self.epochs: defaultdict[int, EpochBook] = defaultdict(EpochBook)
        # DisputeManager
        self.open_bonds: dict[int, int] = {}
        self.dispute_claimable: Counter[str] = Counter()
        self._credited: Counter[int] = Counter()
        self._slashed: Counter[int] = Counter()
        # Treasury
        self.treasury = 0
        self.touched = Touched()

    # ------------------------------------------------------------------ reading the books

    @property
    def supply(self) -> int:
        return self.genesis_supply + self.minted

    def claimable(self, account: str) -> int:
        """What TaskManager.claimable(account) must say."""
        return self.account_rewards[account] + self.agent_rewards[self.agent_id.get(account, 0)]

    def expected_balances(self) -> dict[str, int]:
        """Contract name -> the EAI it must hold."""
        return {
            "EAIToken": 0,
            "ModelRegistry": 0,
            "Treasury": self.treasury,
            "TaskManager": sum(self.escrow.values())
            + sum(self.agent_rewards.values())
            + sum(self.account_rewards.values())
            + sum(self.model_income.values())
            + self.treasury_accrued
            + self.verifier_fees,
            "AgentStaking": sum(self.agent_stake.values()),
            "VerifierRegistry": sum(self.verifier_stake.values())
            + sum(book.held for book in self.epochs.values()),
            "DisputeManager": sum(self.open_bonds.values()) + sum(self.dispute_claimable.values()),
        }

    def take_touched(self) -> Touched:
        touched, self.touched = self.touched, Touched()
        return touched

    # ------------------------------------------------------------------ following events

    def apply(self, events: Iterable[ContractEvent]) -> None:
        for event in events:
            handler = getattr(self, "_on_" + type(event).__name__, None)
            if handler is not None:
                handler(event)

    @staticmethod
    def _check(condition: bool, message: str) -> None:
        if not condition:
            raise LedgerMismatch(message)

    # TaskManager

    def _on_TaskSubmitted(self, e: ContractEvent) -> None:
        self.escrow[e.task_id] = e.fee
        self.task_model[e.task_id] = e.model_id
        self.touched.tasks.add(e.task_id)

    def _on_TaskAssigned(self, e: ContractEvent) -> None:
        self.touched.tasks.add(e.task_id)

    _on_TaskCommitted = _on_TaskAssigned
    _on_TaskRevealed = _on_TaskAssigned
    _on_TaskMissed = _on_TaskAssigned
    _on_TaskAccepted = _on_TaskAssigned
    _on_TaskDisputed = _on_TaskAssigned

    def _on_TaskRefunded(self, e: ContractEvent) -> None:
        held = self.escrow.get(e.task_id, 0)
        self._check(e.amount == held, f"task {e.task_id} refunded {e.amount}, escrow was {held}")
        self.escrow[e.task_id] = 0
        self.settlements[e.task_id] += 1
        self.touched.tasks.add(e.task_id)

    def _on_TaskFinalized(self, e: ContractEvent) -> None:
        held = self.escrow.get(e.task_id, 0)
        parts = e.winner_share + e.creator_share + e.verifier_share + e.treasury_share
        self._check(parts == held, f"task {e.task_id} paid {parts} out of an escrow of {held}")
        self.escrow[e.task_id] = 0
        self.settlements[e.task_id] += 1
        self.minted += e.block_reward
        if e.reward_to == ZERO_ADDRESS:
            self._check(e.winner_id != 0, f"task {e.task_id} paid its winner share to agent id 0")
            self.agent_rewards[e.winner_id] += e.winner_share + e.block_reward
        else:
            self.account_rewards[e.reward_to] += e.winner_share + e.block_reward
            self.touched.rewards.add(e.reward_to)
        model = self.task_model[e.task_id]
        self.model_income[model] += e.creator_share
        self.treasury_accrued += e.treasury_share
        self.verifier_fees += e.verifier_share
        self.touched.tasks.add(e.task_id)
        self.touched.models.add(model)
        self.touched.accrued = True
        self.touched.rewards.update(a for a, i in self.agent_id.items() if i == e.winner_id)

    def _on_RewardClaimed(self, e: ContractEvent) -> None:
        owed = self.claimable(e.account)
        self._check(e.amount == owed, f"{e.account} claimed {e.amount}, was owed {owed}")
        self.account_rewards[e.account] = 0
        self.agent_rewards[self.agent_id.get(e.account, 0)] = 0
        self.touched.rewards.add(e.account)

    def _on_ModelIncomeClaimed(self, e: ContractEvent) -> None:
        owed = self.model_income[e.model_id]
        self._check(e.amount == owed, f"model {e.model_id} income {e.amount}, accrued {owed}")
        self.model_income[e.model_id] = 0
        self.touched.models.add(e.model_id)

    def _on_TreasurySwept(self, e: ContractEvent) -> None:
        self._check(
            e.amount == self.treasury_accrued, f"swept {e.amount} of {self.treasury_accrued}"
        )
        self.treasury_accrued = 0
        self.treasury += e.amount
        self.touched.accrued = True

    def _on_VerifierFeesReleased(self, e: ContractEvent) -> None:
        self._check(e.amount == self.verifier_fees, f"released {e.amount} of {self.verifier_fees}")
        self.verifier_fees = 0
        self.touched.accrued = True

    # AgentStaking

    def _on_AgentStaked(self, e: ContractEvent) -> None:
        self._check(
            e.total_stake == self.agent_stake[e.agent] + e.amount,
            f"agent {e.agent}: stake {e.total_stake} after adding {e.amount}",
        )
        self.agent_stake[e.agent] = e.total_stake
        self.agent_id[e.agent] = e.id
        self.touched.agents.add(e.agent)

    def _on_AgentPenalized(self, e: ContractEvent) -> None:
        self.agent_stake[e.agent] -= e.slashed
        self.treasury += e.slashed
        self.touched.agents.add(e.agent)

    def _on_AgentSlashed(self, e: ContractEvent) -> None:
        self._check(e.to == self.contracts["DisputeManager"], f"fraud slash sent to {e.to}")
        self.agent_stake[e.agent] -= e.amount
        self.touched.agents.add(e.agent)

    def _on_AgentWithdrawn(self, e: ContractEvent) -> None:
        held = self.agent_stake[e.agent]
        self._check(e.amount == held, f"agent {e.agent} withdrew {e.amount} of {held}")
        self.agent_stake[e.agent] = 0
        self.touched.agents.add(e.agent)

    def _on_AgentUnbonding(self, e: ContractEvent) -> None:
        self.touched.agents.add(e.agent)

    _on_AgentLockChanged = _on_AgentUnbonding
    _on_AgentJoinedPool = _on_AgentUnbonding
    _on_AgentLeftPool = _on_AgentUnbonding

    def _on_AgentExpelled(self, e: ContractEvent) -> None:
        self.treasury += self.agent_stake[e.agent]
        self.agent_stake[e.agent] = 0

    # VerifierRegistry

    def _on_VerifierStaked(self, e: ContractEvent) -> None:
        self._check(
            e.total_stake == self.verifier_stake[e.verifier] + e.amount,
            f"verifier {e.verifier} stake {e.total_stake} after adding {e.amount}",
        )
        self.verifier_stake[e.verifier] = e.total_stake
        self.verifier_id[e.verifier] = e.id
        self.touched.verifiers.add(e.verifier)

    def _on_VerifierPenalized(self, e: ContractEvent) -> None:
        self.verifier_stake[e.verifier] -= e.amount
        if e.to == self.contracts["Treasury"]:
            self.treasury += e.amount
        self.touched.verifiers.add(e.verifier)

    def _on_VerifierReportedInactive(self, e: ContractEvent) -> None:
        self.verifier_stake[e.verifier] -= e.penalty
        self.treasury += e.penalty

    def _on_VerifierWithdrawn(self, e: ContractEvent) -> None:
        held = self.verifier_stake[e.verifier]
        self._check(e.amount == held, f"verifier {e.verifier} withdrew {e.amount} of {held}")
        self.verifier_stake[e.verifier] = 0
        self.touched.verifiers.add(e.verifier)

    def _on_VerifierUnbonding(self, e: ContractEvent) -> None:
        self.touched.verifiers.add(e.verifier)

    _on_VerifierLockChanged = _on_VerifierUnbonding
    _on_VerifierJoinedPool = _on_VerifierUnbonding
    _on_VerifierLeftPool = _on_VerifierUnbonding

    def _on_VerifierExpelled(self, e: ContractEvent) -> None:
        self.treasury += self.verifier_stake[e.verifier]
        self.verifier_stake[e.verifier] = 0

    def _on_VerifierHeartbeat(self, e: ContractEvent) -> None:
        book = self.epochs[e.epoch]
        self._check(e.verifier not in book.snapshots, f"{e.verifier} checked in twice in {e.epoch}")
        self._check(
            e.stake == self.verifier_stake[e.verifier], f"{e.verifier} checked in {e.stake}"
        )
        book.snapshots[e.verifier] = e.stake
        book.active_stake += e.stake

    def _on_EpochFeesAdded(self, e: ContractEvent) -> None:
        self.epochs[e.epoch].fees += e.amount

    def _on_EpochRewardClaimed(self, e: ContractEvent) -> None:
        book = self.epochs[e.epoch]
        snapshot = book.snapshots.pop(e.verifier, 0)
        self._check(snapshot > 0, f"{e.verifier} claimed epoch {e.epoch} without checking in")
        share = book.held * snapshot // (book.active_stake - book.claimed_stake)
        self._check(
            e.amount == share, f"{e.verifier} took {e.amount} of epoch {e.epoch}, owed {share}"
        )
        book.claimed_fees += e.amount
        book.claimed_stake += snapshot

    def _on_EpochSwept(self, e: ContractEvent) -> None:
        book = self.epochs[e.epoch]
        self._check(
            book.active_stake == 0 and e.amount == book.held, f"epoch {e.epoch} swept wrongly"
        )
        book.claimed_fees = book.fees
        self.treasury += e.amount

    # DisputeManager

    def _on_DisputeOpened(self, e: ContractEvent) -> None:
        self.open_bonds[e.dispute_id] = e.bond
        self.touched.disputes.add(e.dispute_id)
        self.touched.tasks.add(e.task_id)

    def _on_VoteCommitted(self, e: ContractEvent) -> None:
        self.touched.disputes.add(e.dispute_id)

    _on_VoteRevealed = _on_VoteCommitted

    def _on_FraudConvicted(self, e: ContractEvent) -> None:
        self._slashed[e.dispute_id] += e.slashed

    def _on_DisputeCredited(self, e: ContractEvent) -> None:
        self.dispute_claimable[e.account] += e.amount
        self._credited[e.dispute_id] += e.amount
        self.touched.credits.add(e.account)

    def _on_DisputeResolved(self, e: ContractEvent) -> None:
        d = e.dispute_id
        self._check(e.slashed == self._slashed[d], f"dispute {d} slashed {e.slashed}")
        bond = self.open_bonds.pop(d, None)
        self._check(bond is not None, f"dispute {d} resolved twice")
        to_treasury = e.slashed + (bond or 0) - self._credited[d]
        self._check(to_treasury >= 0, f"dispute {d} credited more than its slash and bond")
        self.treasury += to_treasury
        self.touched.disputes.add(d)

    def _on_DisputeClaimed(self, e: ContractEvent) -> None:
        owed = self.dispute_claimable[e.account]
        self._check(e.amount == owed, f"{e.account} claimed {e.amount} from disputes, owed {owed}")
        self.dispute_claimable[e.account] = 0
        self.touched.credits.add(e.account)

    # Treasury

    def _on_TreasuryPaid(self, e: ContractEvent) -> None:
        self.treasury -= e.amount


class Conduct:
    """Every punishment the events show, held against its cause.

    `honest_agents`: addresses that only ever commit and reveal the true digest. `violations`
    lists each unearned punishment (empty while the protocol behaves).
    """

    def __init__(self, honest_agents: Iterable[str]) -> None:
        self.honest_agents = set(honest_agents)
        self.violations: list[str] = []
        self.assigned: dict[int, tuple[int, ...]] = {}  # task -> agent ids of the current attempt
        self.revealed: defaultdict[int, set[int]] = defaultdict(set)  # task -> ids, this attempt
        self.committees: dict[int, tuple[int, ...]] = {}
        self.voted: defaultdict[int, set[int]] = defaultdict(set)  # dispute -> revealed members
        self.penalties: Counter[str] = Counter()  # AgentPenalized per agent
        self.slashes: Counter[str] = Counter()
        self.nonvoter_penalties: Counter[int] = Counter()

    def apply(self, events: Iterable[ContractEvent]) -> None:
        """One transaction's events, in log order. Causes and punishments pair up per transaction
        (a punishment's event may come before its cause's: the slash is emitted inside the call
        that returns the amount the conviction reports)."""
        causes: dict[str, Counter[int]] = {"miss": Counter(), "fraud": Counter(), "vote": Counter()}
        effects: dict[str, Counter[int]] = {
            "miss": Counter(),
            "fraud": Counter(),
            "vote": Counter(),
        }
        for e in events:
            name = type(e).__name__
            if name == "TaskAssigned":
                self.assigned[e.task_id] = tuple(e.agent_ids)
                self.revealed[e.task_id] = set()
            elif name == "TaskRevealed":
                self.revealed[e.task_id].add(e.agent_id)
            elif name == "TaskMissed":
                if e.agent_id not in self.assigned.get(e.task_id, ()):
                    self._violation(
                        f"agent {e.agent_id} missed task {e.task_id} it was not assigned"
                    )
                if e.agent_id in self.revealed[e.task_id]:
                    self._violation(f"agent {e.agent_id} revealed task {e.task_id} and missed it")
                causes["miss"][e.agent_id] += 1
            elif name == "AgentPenalized":
                self.penalties[e.agent] += 1
                effects["miss"][e.id] += 1
            elif name == "FraudConvicted":
                causes["fraud"][e.agent_id] += 1
            elif name == "AgentSlashed":
                self.slashes[e.agent] += 1
                if e.agent in self.honest_agents:
                    self._violation(f"honest agent {e.agent} slashed for fraud")
                effects["fraud"][e.id] += 1
            elif name == "DisputeOpened":
                self.committees[e.dispute_id] = tuple(e.committee)
            elif name == "VoteRevealed":
                self.voted[e.dispute_id].add(e.verifier_id)
            elif name == "NonVoterPenalized":
                self.nonvoter_penalties[e.verifier_id] += 1
                if e.verifier_id not in self.committees.get(e.dispute_id, ()):
                    self._violation(
                        f"verifier {e.verifier_id} penalized off dispute {e.dispute_id}"
                    )
                if e.verifier_id in self.voted[e.dispute_id]:
                    self._violation(f"verifier {e.verifier_id} voted on {e.dispute_id}, penalized")
                causes["vote"][e.verifier_id] += 1
            elif name == "VerifierPenalized":
                effects["vote"][e.id] += 1
        for kind, cause in causes.items():
            if cause != effects[kind]:
                self._violation(
                    f"{kind}: causes {dict(cause)} but punishments {dict(effects[kind])}"
                )

    def _violation(self, message: str) -> None:
        self.violations.append(message)
