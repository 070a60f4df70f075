"""The stateful protocol test's harness: the network it starts from and the moves it makes.

`base()` deploys one network per test session on a deterministic in-process chain (same blocks
and draws on every run): two models, EXACT and TOLERANT, six agents staked on each (four honest,
two dishonest that agree on a forged output), eight verifiers (seven honest, one contrarian that
votes against the truth) and three users. `ProtocolHarness` is a Hypothesis state machine
without rules: it reverts to that network for each example, wires the reference model
(tests/support/reference) and the books (tests/support/ledger), and makes the moves the rules in
tests/unit/contracts/test_invariants.py choose. Every move either must succeed, and then emits
exactly the events the model predicts, or must revert with exactly the error the model predicts
(simulated on the pending block: nothing is mined).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from eternal.chain import TxResult
from eternal.chain.bindings import AgentStaking, ContractEvent, VerifierRegistry
from eternal.chain.bindings._runtime import ContractBinding
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import DisputeState
from eternal.chain.bindings.model_registry import VerificationMode
from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.bindings.verifier_registry import VerifierStatus
from eternal.chain.embedded import EmbeddedChain
from eternal.chain.params import EAI, ProtocolParams
from eternal.chain.seals import task_seal, vote_seal
from eternal.chain.transactions import call
from eternal.errors import ContractError, TransactionFailed
from tests.support.fast_chain import TokenStorage, deterministic_chain
from tests.support.ledger import Conduct, Ledger, Touched
from tests.support.network import PROMPT, Network
from tests.support.reference import (
    AgentRecord,
    DisputeRecord,
    Key,
    ModelRecord,
    Reference,
    Revert,
    TaskRecord,
    VerifierRecord,
    predicted_keys,
)

TRACE = bool(os.environ.get("STATEFUL_TRACE"))  # print every step

USERS, AGENTS, VERIFIERS = 3, 12, 8
AGENT_STAKE = 150 * EAI
DISHONEST_AGENTS = frozenset({4, 5, 10, 11})  # agents 0-5 serve the EXACT model, 6-11 TOLERANT
CONTRARIAN_VERIFIER = 7
MIN_POOL = 4  # agents and verifiers stop unstaking at this pool size: work stays possible
MAX_MOVES = 9  # agents or committee members acting in one step

# Steps and outcomes across the whole run (every example), reported at the end of the test.
STATS: Counter[str] = Counter()


@dataclass
class Base:
    """The deployed, staked network every example starts from."""

    chain: EmbeddedChain
    net: Network
    exact: int
    tolerant: int
    setup_events: tuple[ContractEvent, ...]
    genesis_supply: int
    epoch_start: int
    last_seen: dict[str, int]
    storage: TokenStorage
    snapshot: int

    def reset(self) -> None:
        self.chain.revert(self.snapshot)
        self.snapshot = self.chain.snapshot()


@cache
def base() -> Base:
    chain = deterministic_chain(2 + USERS + AGENTS + VERIFIERS)
    dev = ProtocolParams.dev()
    # The shortest redundancy window (10 settled tasks): long runs see k move both ways.
    params = replace(dev, tasks=replace(dev.tasks, redundancy_window=10))
    net = Network.create(chain, params, users=USERS, agents=AGENTS, verifiers=VERIFIERS)
    p = net.protocol
    exact = net.register_model(fee=10 * EAI, min_stake=100 * EAI, redundancy=3)
    # An odd fee: its shares do not divide evenly, the treasury takes the rounding.
    tolerant = net.register_model(
        fee=7 * EAI + 7, min_stake=100 * EAI, redundancy=3, mode=VerificationMode.TOLERANT
    )
    events: list[ContractEvent] = []
    for i, agent in enumerate(net.agents):
        events += p.events(
            p.agents.stake(agent, exact if i < AGENTS // 2 else tolerant, AGENT_STAKE)
        )
    for i, verifier in enumerate(net.verifiers):
        # Unequal stakes, so epoch rewards are shared pro rata with remainders.
        amount = net.params.verifiers.min_stake + i * 100 * EAI + i
        events += p.events(p.verifiers.stake(verifier, amount))
    # The verifier registry's epochs count from the block that deployed it (the fifth contract).
    epoch_start = int(chain.w3.eth.get_block(p.deployment.block_number + 4)["timestamp"])
    last_seen = {
        v.address: p.verifiers.verifier_info(v.address).last_seen_epoch for v in net.verifiers
    }
    storage = TokenStorage.verified(chain, p.token, net.holders())
    return Base(
        chain=chain,
        net=net,
        exact=exact,
        tolerant=tolerant,
        setup_events=tuple(events),
        genesis_supply=p.token.total_supply(),
        epoch_start=epoch_start,
        last_seen=last_seen,
        storage=storage,
        snapshot=chain.snapshot(),
    )


def some_in_drawn_order(
    data: st.DataObject, moves: Sequence[Any], shows: st.SearchStrategy[bool]
) -> list[Any]:
    """Up to MAX_MOVES of `moves` in a drawn order, each kept when `shows` says so. The order
    comes from one drawn seed: a permutation would draw one choice per move, and a long example
    would run out of Hypothesis' choice budget (it then ends early)."""
    seed = data.draw(st.integers(0, 2**16 - 1), label="order").to_bytes(2, "big")
    ordered = sorted(moves, key=lambda move: keccak(seed + repr(move).encode()))[:MAX_MOVES]
    kept = data.draw(
        st.lists(shows, min_size=len(ordered), max_size=len(ordered)), label="shows up"
    )
    return [move for move, keep in zip(ordered, kept, strict=True) if keep]


def _salt(*parts: int) -> bytes:
    """Salts derived from the step, not random: examples replay bit for bit."""
    return keccak(b"salt" + b"".join(part.to_bytes(32, "big") for part in parts))


class _EveryRuleOn:
    """Feature flags with every rule enabled."""

    def is_enabled(self, name: str) -> bool:
        return True


def _without_swarm_testing(machine: RuleBasedStateMachine) -> None:
    """Hypothesis switches a random subset of the rules off for each example ("swarm
    testing"), half of them on average. Our flows are long chains of different rules (agents
    commit, reveal, verifiers vote, someone resolves, time passes, someone claims): with a
    link off, an example never gets past it, and 10 examples reached a payout once. So every
    rule stays on. This sets a private attribute of Hypothesis' rule strategy; if that changes,
    the machine runs with swarm testing (less coverage, same checks)."""
    strategy = getattr(machine, "_rules_strategy", None)
    if strategy is not None and hasattr(strategy, "enabled_rules_strategy"):
        strategy.enabled_rules_strategy = st.just(_EveryRuleOn())


class ProtocolHarness(RuleBasedStateMachine):
    """The moves; the rules and the invariants are the test's."""

    def __init__(self) -> None:
        super().__init__()
        _without_swarm_testing(self)
        b = base()
        b.reset()
        self.b, self.chain, self.net, self.p = b, b.chain, b.net, b.net.protocol
        contracts = self.p.deployment.contract_addresses()
        self.contract_addresses = contracts
        self.holders = b.net.holders()

        self.ledger = Ledger(contracts, b.genesis_supply)
        self.ledger.apply(b.setup_events)
        honest = [a.address for i, a in enumerate(b.net.agents) if i not in DISHONEST_AGENTS]
        self.conduct = Conduct(honest)
        self.conduct.apply(b.setup_events)
        params = b.net.params
        models = [
            ModelRecord(b.exact, 10 * EAI, 100 * EAI, 3, tolerant=False),
            ModelRecord(b.tolerant, 7 * EAI + 7, 100 * EAI, 3, tolerant=True),
        ]
        agents = [
            AgentRecord(
                account,
                model_id=b.exact if i < AGENTS // 2 else b.tolerant,
                honest=i not in DISHONEST_AGENTS,
                id=self.ledger.agent_id[account.address],
                status=AgentStatus.ACTIVE,
            )
            for i, account in enumerate(b.net.agents)
        ]
        verifiers = [
            VerifierRecord(
                account,
                contrarian=i == CONTRARIAN_VERIFIER,
                id=self.ledger.verifier_id[account.address],
                status=VerifierStatus.ACTIVE,
                last_seen=b.last_seen[account.address],
            )
            for i, account in enumerate(b.net.verifiers)
        ]
        self.model = Reference(
            params=params,
            ledger=self.ledger,
            contracts=contracts,
            creator=b.net.creator.address,
            models=models,
            agents=agents,
            verifiers=verifiers,
            epoch_start=b.epoch_start,
            cap=params.token_cap,
        )
        self.agent_records = agents
        self.verifier_records = verifiers
        self.actors: list[LocalAccount] = [*b.net.users, *b.net.agents, *b.net.verifiers]
        self.now = self.chain.latest_timestamp()
        self.in_step = False
        self.seen: dict[int, tuple[TaskState, int]] = {}  # task -> (state, attempt) last read
        self.checked_tasks: set[int] = set()
        STATS["examples"] += 1

    # ------------------------------------------------------------------ plumbing

    def _step(self, name: str) -> int:
        """Starts a step; returns the timestamp its first transaction will be mined at."""
        STATS["steps"] += 1
        STATS[f"rule {name}"] += 1
        self.in_step = True  # until the invariants run: a step that raised leaves it set
        if TRACE:
            states = " ".join(
                f"{t.id}:{t.state.name[:3]}{t.attempt}" for t in self.model.tasks.values()
            )
            disputes = " ".join(
                f"{d.id}:{d.phase(self.ts)[0].name[:3]}" for d in self.model.disputes.values()
            )
            clock = self.now - self.b.epoch_start
            print(f"[{clock:>7}] {name:<16} tasks {states} disputes {disputes}")
        self.ledger.touched = Touched()
        self.checked_tasks = set()
        return self.now + 1

    @property
    def ts(self) -> int:
        return self.now + 1

    def _transact(
        self, send: Callable[[], TxResult], expect: Callable[[Sequence[ContractEvent]], list[Key]]
    ) -> None:
        """Sends a transaction that must succeed and checks its events against the model."""
        ts = self.ts
        try:
            result = send()
        except TransactionFailed as exc:
            raise AssertionError(f"the model expected success, the chain said {exc}") from exc
        events = self.p.events(result)
        self.now = self.chain.latest_timestamp()
        assert self.now == ts, f"mined at {self.now}, expected {ts}"
        expected = Counter(expect(events))
        actual = predicted_keys(events)
        if expected != actual:
            missing = "\n  ".join(map(repr, sorted((expected - actual).elements(), key=repr)))
            extra = "\n  ".join(map(repr, sorted((actual - expected).elements(), key=repr)))
            raise AssertionError(
                f"events differ from the model.\nmissing:\n  {missing}\nunexpected:\n  {extra}"
            )
        self.ledger.apply(events)
        self.conduct.apply(events)
        self._count_outcomes(events)

    def _reverts(
        self,
        expected: Revert,
        binding: ContractBinding[Any],
        signature: str,
        args: Sequence[Any],
        sender: LocalAccount,
    ) -> None:
        """The call, run on the pending block (where the next transaction would be mined), must
        revert with exactly `expected`. Nothing is mined."""
        function = binding._function(signature, args)
        try:
            call(self.chain, function, sender=sender.address, block="pending")
        except ContractError as exc:
            got = (exc.name, dict(exc.args))
            assert got == (expected.name, expected.args), (
                f"expected {expected}, reverted with {got}"
            )
            STATS[f"revert {exc.name}"] += 1
            event(f"revert {exc.name}")
            return
        raise AssertionError(f"expected {expected}, the call succeeded")

    def _count_outcomes(self, events: Sequence[ContractEvent]) -> None:
        for e in events:
            name = type(e).__name__
            label = {
                "TaskFinalized": "task paid out"
                + (" to a challenger" if getattr(e, "winner_id", 1) == 0 else ""),
                "TaskRefunded": "task refunded",
                "TaskAssigned": "task reassigned" if getattr(e, "attempt", 0) == 1 else None,
                "TaskAccepted": "task accepted",
                "TaskMissed": "agent missed a deadline",
                "AgentSlashed": "agent slashed for fraud",
                "NonVoterPenalized": "committee member penalized",
                "RewardClaimed": "rewards claimed",
                "AgentWithdrawn": "agent withdrew",
                "VerifierWithdrawn": "verifier withdrew",
                "AgentJoinedPool": "agent (re)joined",
                "EpochRewardClaimed": "epoch reward claimed",
                "EpochSwept": "epoch swept",
                "DisputeClaimed": "dispute credit claimed",
                "ModelIncomeClaimed": "model income claimed",
                "TreasurySwept": "treasury swept",
                "RedundancyAdjusted": "redundancy adjusted",
            }.get(name)
            if name == "DisputeOpened":
                label = "dispute opened " + (
                    "automatically" if int(e.challenger, 16) == 0 else "by a challenge"
                )
            if name == "FraudConvicted" and e.slashed == 0:
                label = "fraud convicted with nothing left to slash"
            if name == "DisputeResolved":
                label = f"dispute resolved {e.verdict.name.lower()}"
            if label:
                STATS[label] += 1
                event(label)

    # ------------------------------------------------------------------ what can happen now

    def _agent_moves(self, kind: str) -> list[tuple[int, int]]:
        """(task, agent index) of every assigned agent that may commit (or reveal) now."""
        can = self.model.can_commit if kind == "commit" else self.model.can_reveal
        return [
            (t.id, i) for t in self.model.tasks.values() for i in range(t.k) if can(self.ts, t, i)
        ]

    def _member_moves(self, kind: str) -> list[tuple[int, int]]:
        """(dispute, member) of every committee member that may commit (or reveal) a vote now."""
        can = self.model.can_commit_vote if kind == "commit" else self.model.can_reveal_vote
        return [
            (d.id, m)
            for d in self.model.disputes.values()
            for m in d.committee
            if can(self.ts, d, m)
        ]

    def _challengeable(self) -> list[int]:
        return [
            t.id
            for t in self.model.tasks.values()
            if t.state == TaskState.ACCEPTED and self.ts <= t.deadline
        ]

    def _open_tasks(self) -> int:
        return sum(
            t.state not in (TaskState.FINALIZED, TaskState.REFUNDED)
            for t in self.model.tasks.values()
        )

    # ------------------------------------------------------------------ users and agents

    def _submit(self, user: int, tolerant: bool) -> None:
        ts = self.ts
        model_id = self.b.tolerant if tolerant else self.b.exact
        account = self.net.users[user]
        fee = self.model.models[model_id].fee
        error = self.model.submit_error(model_id)
        if error:
            self._reverts(
                error,
                self.p.tasks,
                "submitPrompt(uint256,bytes,uint256)",
                (model_id, PROMPT, fee),
                account,
            )
            return
        self._transact(
            lambda: self.p.tasks.submit_prompt(account, model_id, PROMPT, fee),
            lambda events: self.model.submit(ts, account.address, model_id, PROMPT, events)[1],
        )

    def _commit(self, task: TaskRecord, index: int) -> None:
        ts = self.ts
        agent = self.model.agents[task.agent_ids[index]]
        digest = self.model.truth(task.id) if agent.honest else self.model.forgery(task.id)
        salt = _salt(task.id, task.attempt, index)
        seal = task_seal(task.id, agent.address, digest, salt)
        self._transact(
            lambda: self.p.tasks.commit(agent.account, task.id, index, seal),
            lambda events: self.model.commit(ts, task, index, digest, salt),
        )

    def _tampered_reveal(self, task: TaskRecord, index: int) -> None:
        agent = self.model.agents[task.agent_ids[index]]
        digest, salt = task.committed[index]
        truth = self.model.truth(task.id)
        other = self.model.forgery(task.id) if digest == truth else truth
        self._reverts(
            Revert("TaskManagerSealMismatch", {"taskId": task.id, "agent": agent.address}),
            self.p.tasks,
            "reveal(uint256,uint256,bytes32,bytes32,string)",
            (task.id, index, other, salt, "ipfs://tampered"),
            agent.account,
        )

    def _reveal(self, task: TaskRecord, index: int) -> None:
        ts = self.ts
        agent = self.model.agents[task.agent_ids[index]]
        digest, salt = task.committed[index]
        uri = f"ipfs://output/{task.id}/{task.attempt}/{index}"
        self._transact(
            lambda: self.p.tasks.reveal(agent.account, task.id, index, digest, salt, uri),
            lambda events: self.model.reveal(ts, task, index, uri, events),
        )

    # ------------------------------------------------------------------ verifiers

    def _challenge(self, data: st.DataObject, how: str) -> None:
        ts = self.ts
        in_window = self._challengeable()
        any_task = [t.id for t in self.model.tasks.values() if t.revealed]
        pick = in_window if in_window and how != "any task" else any_task
        task = self.model.tasks[data.draw(st.sampled_from(pick), label="task")]
        truth = self.model.truth(task.id)
        wrong = [i for i, d in sorted(task.revealed.items()) if d != truth]
        right = [i for i, d in sorted(task.revealed.items()) if d == truth]
        accused = data.draw(
            st.sampled_from((wrong if how == "rightly" and wrong else right) or wrong),
            label="accused",
        )
        v = self.verifier_records[data.draw(st.integers(0, VERIFIERS - 1), label="challenger")]
        self.checked_tasks.add(task.id)
        error = self.model.challenge_error(ts, v, task, accused)
        if error:
            self._reverts(
                error, self.p.disputes, "challenge(uint256,uint8)", (task.id, accused), v.account
            )
            return
        STATS["challenge of a " + ("wrong" if accused in wrong else "true") + " output"] += 1
        self._transact(
            lambda: self.p.disputes.challenge(v.account, task.id, accused),
            lambda events: self.model.challenge(ts, v, task, accused, events),
        )

    def _commit_vote(self, d: DisputeRecord, member: int) -> None:
        ts = self.ts
        v = self.model.verifiers[member]
        vote = self.model.vote_of(v, d)
        salt = _salt(d.id, member)
        seal = vote_seal(d.id, v.address, vote, salt)
        self._transact(
            lambda: self.p.disputes.commit_vote(v.account, d.id, seal),
            lambda events: self.model.commit_vote(ts, d, member, vote, salt),
        )

    def _reveal_vote(self, d: DisputeRecord, member: int) -> None:
        ts = self.ts
        v = self.model.verifiers[member]
        vote, salt = d.commits[member]
        self._transact(
            lambda: self.p.disputes.reveal_vote(v.account, d.id, vote, salt),
            lambda events: self.model.reveal_vote(ts, d, member),
        )

    # ------------------------------------------------------------------ anyone moves things on

    def _due(self) -> list[tuple[str, int]]:
        ts = self.ts
        tasks = [("task", i) for i in self.model.tasks if self.model.finalize_error(ts, i) is None]
        disputes = [
            ("dispute", i) for i in self.model.disputes if self.model.resolve_error(ts, i) is None
        ]
        return tasks + disputes

    def _finalize(self, ts: int, data: st.DataObject, due: bool) -> None:
        ids = list(self.model.tasks)
        due_ids = [i for i in ids if self.model.finalize_error(ts, i) is None]
        task_id = data.draw(
            st.sampled_from(due_ids if due and due_ids else [*ids, len(ids) + 1]), label="task"
        )
        account = self.net.users[task_id % USERS]
        self.checked_tasks.add(task_id)
        error = self.model.finalize_error(ts, task_id)
        if error:
            self._reverts(error, self.p.tasks, "finalize(uint256)", (task_id,), account)
            return
        self._finalize_task(self.model.tasks[task_id], account)

    def _finalize_task(self, task: TaskRecord, caller: LocalAccount) -> None:
        ts = self.ts
        self.checked_tasks.add(task.id)
        self._transact(
            lambda: self.p.tasks.finalize(caller, task.id),
            lambda events: self.model.finalize(ts, task, events),
        )

    def _resolve(self, ts: int, data: st.DataObject, due: bool) -> None:
        ids = list(self.model.disputes)
        if not ids:
            STATS["nothing to resolve"] += 1
            return
        due_ids = [i for i in ids if self.model.resolve_error(ts, i) is None]
        dispute_id = data.draw(
            st.sampled_from(due_ids if due and due_ids else ids), label="dispute"
        )
        account = self.net.users[dispute_id % USERS]
        error = self.model.resolve_error(ts, dispute_id)
        if error:
            self._reverts(error, self.p.disputes, "resolve(uint256)", (dispute_id,), account)
            return
        self._resolve_dispute(self.model.disputes[dispute_id], account)

    def _resolve_dispute(self, d: DisputeRecord, caller: LocalAccount) -> None:
        ts = self.ts
        self.checked_tasks.add(d.task_id)
        self._transact(
            lambda: self.p.disputes.resolve(caller, d.id),
            lambda events: self.model.resolve(ts, d),
        )

    def _claim(self, ts: int, data: st.DataObject, *, as_winner: bool) -> None:
        due = [
            t
            for t in self.model.tasks.values()
            if t.state == TaskState.ACCEPTED and ts > t.deadline
        ]
        owed = {t.agent_ids[t.winner] for t in due}
        owed |= {a.id for a in self.agent_records if self.ledger.claimable(a.address)}
        if as_winner and owed:
            self._winner_claims(
                self.model.agents[data.draw(st.sampled_from(sorted(owed)), label="winner")]
            )
            return
        account = self.actors[data.draw(st.integers(0, len(self.actors) - 1), label="caller")]
        task_ids = data.draw(
            st.lists(st.sampled_from(list(self.model.tasks)), max_size=3), label="tasks"
        )
        self._claim_batch(account, task_ids)

    def _winner_claims(self, agent: AgentRecord) -> None:
        """`agent` claims with every due task it won, in one batch."""
        ts = self.ts
        won = [
            t.id
            for t in self.model.tasks.values()
            if t.state == TaskState.ACCEPTED
            and ts > t.deadline
            and t.agent_ids[t.winner] == agent.id
        ]
        self._claim_batch(agent.account, won)

    def _claim_batch(self, account: LocalAccount, task_ids: list[int]) -> None:
        self.checked_tasks.update(task_ids)
        plan = self.model.claim_plan(self.ts, account.address, task_ids)
        if isinstance(plan, Revert):
            self._reverts(plan, self.p.tasks, "claim(uint256[])", (task_ids,), account)
            return
        self._transact(
            lambda: self.p.tasks.claim(account, task_ids),
            lambda events: self.model.claim(account.address, task_ids, plan),
        )

    def _to_next_deadline(self) -> int:
        reveal_window = self.net.params.tasks.reveal_window
        ends: list[int] = []  # the last second of a window: the next transaction comes after it
        for t in self.model.tasks.values():
            if t.state in (TaskState.COMMITTING, TaskState.REVEALING, TaskState.ACCEPTED):
                ends.append(t.deadline)
            if t.state == TaskState.COMMITTING and t.committed:
                ends.append(t.deadline + reveal_window)
        for d in self.model.disputes.values():
            if d.state != DisputeState.RESOLVED:
                ends += [d.deadline, d.deadline + d.reveal_window]
        # An unbonding or a penalty is over at `until`: the next transaction comes at it.
        ends += [x.until - 1 for x in [*self.agent_records, *self.verifier_records] if x.until]
        future = [end - self.now for end in ends if end > self.now]
        return min(future, default=1)

    def _unstake_then_withdraw_at_once(self, ts: int, who: AgentRecord | VerifierRecord) -> None:
        """Unstaking starts the unbonding period: withdrawing right after must fail, exactly.
        The pools keep MIN_POOL members, so that prompts and committees stay possible."""
        if isinstance(who, VerifierRecord):
            if who.status == VerifierStatus.ACTIVE and len(self.model.verifier_pool()) <= MIN_POOL:
                STATS["kept in the pool"] += 1
                return
            outcome = self.model.verifier_unstake(ts, who)
            registry: AgentStaking | VerifierRegistry = self.p.verifiers
        else:
            if (
                who.status == AgentStatus.ACTIVE
                and len(self.model.agent_pool(who.model_id)) <= MIN_POOL
            ):
                STATS["kept in the pool"] += 1
                return
            outcome = self.model.agent_unstake(ts, who)
            registry = self.p.agents
        if isinstance(outcome, Revert):
            self._reverts(outcome, registry, "unstake()", (), who.account)
            return
        self._transact(lambda: registry.unstake(who.account), lambda events: outcome)
        if isinstance(who, VerifierRecord):
            error = self.model.verifier_withdraw_error(self.ts, who)
        else:
            error = self.model.agent_withdraw_error(self.ts, who)
        assert error is not None and error.name.endswith("StillUnbonding"), error
        self._reverts(error, registry, "withdraw()", (), who.account)

    def _withdraw(self, ts: int, who: AgentRecord | VerifierRecord) -> None:
        if isinstance(who, VerifierRecord):
            error, registry = self.model.verifier_withdraw_error(ts, who), self.p.verifiers
        else:
            error, registry = self.model.agent_withdraw_error(ts, who), self.p.agents
        if error:
            self._reverts(error, registry, "withdraw()", (), who.account)
            return
        if isinstance(who, VerifierRecord):
            keys = self.model.verifier_withdraw(who)
        else:
            keys = self.model.agent_withdraw(who)
        self._transact(lambda: registry.withdraw(who.account), lambda events: keys)

    def _verifier_stake(self, ts: int, v: VerifierRecord, salt: int) -> None:
        if v.status != VerifierStatus.NONE:
            STATS["verifier still staked"] += 1
            return
        amount = self.net.params.verifiers.min_stake + salt * EAI
        outcome = self.model.verifier_stake(ts, v, amount)
        assert not isinstance(outcome, Revert), outcome
        self._transact(lambda: self.p.verifiers.stake(v.account, amount), lambda events: outcome)

    def _rejoin_or_stake(self, ts: int, a: AgentRecord, salt: int) -> None:
        """A withdrawn agent stakes again; an active one may top up; a penalized one rejoins
        (topping up first if its stake fell below the minimum); anyone else is refused."""
        if a.status == AgentStatus.NONE or (a.status == AgentStatus.ACTIVE and salt % 2):
            amount = AGENT_STAKE if a.status == AgentStatus.NONE else 10 * EAI
            staked = self.model.agent_stake(a, amount)
            assert not isinstance(staked, Revert), staked
            self._transact(
                lambda: self.p.agents.stake(a.account, a.model_id, amount), lambda events: staked
            )
            return
        if (
            a.status == AgentStatus.PENALIZED
            and self.ledger.agent_stake[a.address] < self.model.models[a.model_id].min_stake
        ):
            topped = self.model.agent_stake(a, 10 * EAI)
            assert not isinstance(topped, Revert), topped
            self._transact(
                lambda: self.p.agents.stake(a.account, a.model_id, 10 * EAI), lambda events: topped
            )
        outcome = self.model.agent_rejoin(self.ts, a)
        if isinstance(outcome, Revert):
            self._reverts(outcome, self.p.agents, "rejoin()", (), a.account)
            return
        self._transact(lambda: self.p.agents.rejoin(a.account), lambda events: outcome)

    def _housekeep(self, data: st.DataObject, action: str, who: int) -> None:
        ts = self._step(action)
        caller = self.net.users[who % USERS]
        v = self.verifier_records[who]
        tasks, disputes, verifiers = self.p.tasks, self.p.disputes, self.p.verifiers
        if action == "model_income":
            model_id = self.b.exact if who % 2 else self.b.tolerant
            amount = self.ledger.model_income[model_id]
            if amount == 0:
                error = Revert("TaskManagerNothingToClaim", {"account": self.model.creator})
                self._reverts(error, tasks, "claimModelIncome(uint256)", (model_id,), caller)
                return
            keys = [("ModelIncomeClaimed", model_id, self.model.creator, amount)]
            self._transact(lambda: tasks.claim_model_income(caller, model_id), lambda events: keys)
        elif action == "sweep":
            amount = self.ledger.treasury_accrued
            if amount == 0:
                error = Revert(
                    "TaskManagerNothingToClaim", {"account": self.contract_addresses["Treasury"]}
                )
                self._reverts(error, tasks, "sweepTreasury()", (), caller)
                return
            self._transact(
                lambda: tasks.sweep_treasury(caller), lambda events: [("TreasurySwept", amount)]
            )
        elif action == "collect_fees":
            self._transact(
                lambda: verifiers.collect_fees(caller), lambda events: self.model.collect_fees(ts)
            )
        elif action == "heartbeat":
            error = self.model.heartbeat_error(v)
            if error:
                self._reverts(error, verifiers, "heartbeat()", (), v.account)
                return
            self._transact(
                lambda: verifiers.heartbeat(v.account), lambda events: self.model.heartbeat(ts, v)
            )
        elif action == "epoch_reward":
            current = self.model.epoch(ts)
            owed = [
                e
                for e, book in self.ledger.epochs.items()
                if e < current and v.address in book.snapshots
            ]
            epoch = data.draw(
                st.sampled_from(owed or [current, max(0, current - 1)]), label="epoch"
            )
            plan = self.model.epoch_claim_plan(ts, v, epoch)
            if isinstance(plan, Revert):
                self._reverts(plan, verifiers, "claimEpochReward(uint256)", (epoch,), v.account)
                return
            keys = [("EpochRewardClaimed", v.address, epoch, plan)]
            self._transact(
                lambda: verifiers.claim_epoch_reward(v.account, epoch), lambda events: keys
            )
        elif action == "sweep_epoch":
            current = self.model.epoch(ts)
            stranded = [
                e
                for e, book in self.ledger.epochs.items()
                if e < current and book.held and not book.active_stake
            ]
            epoch = data.draw(
                st.sampled_from(stranded or [current, max(0, current - 1)]), label="epoch"
            )
            plan = self.model.sweep_epoch_plan(ts, epoch)
            if isinstance(plan, Revert):
                self._reverts(plan, verifiers, "sweepEpoch(uint256)", (epoch,), caller)
                return
            self._transact(
                lambda: verifiers.sweep_epoch(caller, epoch),
                lambda events: [("EpochSwept", epoch, plan)],
            )
        else:
            owed = [a for a in self.actors if self.ledger.dispute_claimable[a.address]]
            account = data.draw(st.sampled_from(owed), label="claimer") if owed else v.account
            amount = self.ledger.dispute_claimable[account.address]
            if amount == 0:
                error = Revert("DisputeManagerNothingToClaim", {"account": account.address})
                self._reverts(error, disputes, "claim()", (), account)
                return
            self._transact(
                lambda: disputes.claim(account),
                lambda events: [("DisputeClaimed", account.address, amount)],
            )
