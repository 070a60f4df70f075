"""The protocol's invariants (PROTOCOL.md, "Invariants") under random sequences of actions.

A Hypothesis state machine over one deployed network (tests/support/stateful.py): two models,
EXACT and TOLERANT, six agents staked on each (four honest, two dishonest that agree on a forged
output), eight verifiers (seven honest, one contrarian that votes against the truth), three
users. The chain is deterministic (same blocks, same draws on every run) and every example
starts from the same snapshot, so an example costs no deployment and replays bit for bit.

Rules (one step each): users submit prompts; assigned agents commit (honest: the true digest;
dishonest: the forgery) or do not show up, then reveal or stay silent (one may first try to open
its seal with another digest); verifiers challenge accepted outputs, rightly or not, in their
window or not; committee members commit and reveal votes, or stay lazy; a keeper finalizes due
tasks and resolves due disputes, or winners claim their due tasks in one batch; anyone finalizes,
resolves or claims anything (must fail exactly when it is not due); time passes to the next
deadline or by a fixed jump (past the windows, a penalty, the unbonding period); agents and
verifiers unstake and try to withdraw at once (must fail with the exact error), withdraw later,
rejoin or stake again; housekeeping (model income, treasury sweep, fee collection, heartbeats,
epoch rewards and sweeps, dispute credits).

Before every call the reference model (tests/support/reference) says whether it must revert, and
with which custom error and arguments (failing calls are simulated on the pending block: nothing
is mined); after it, the exact multiset of events it must have emitted. tests/support/ledger.py
keeps every contract's books from the events. After EVERY step:

1. supply conservation: every dev account's and every protocol contract's EAI add up to the
   total supply, to the wei;
2. the supply grew only by block rewards: total supply == genesis + the block rewards of every
   TaskFinalized seen, within the cap;
3. solvency: each contract holds exactly its books (TaskManager: open escrows + reward credits +
   model income + accrued treasury and verifier fees; AgentStaking: agent stakes;
   VerifierRegistry: verifier stakes + unclaimed epoch fees; DisputeManager: open bonds + credits;
   Treasury: what it was sent), and the views of everything the step touched say the same;
4. a task settles (TaskFinalized or TaskRefunded) at most once, and its state only moves forward
   (None < Committing < Revealing < Accepted < Disputed < Finalized | Refunded; the one way back
   is a reassignment: Committing or Revealing -> Committing, the attempt going 0 -> 1);
5. punishments are earned: an honest agent is never slashed; every AgentPenalized answers a
   TaskMissed of an agent that was assigned and did not reveal; every NonVoterPenalized (and its
   VerifierPenalized) names a member that did not reveal a vote.

Steps: `STATEFUL_EXAMPLES` (default 10) examples of up to `STATEFUL_STEPS` (default 40) steps:
10 x 40 = 400 asked, so at least 300 run even when Hypothesis ends an example early (it may).
The test reports how many ran and how often each outcome was reached (pytest -s is not needed;
`--hypothesis-show-statistics` lists the outcomes as events too), and in CI fails if the default
run misses one of MUST_REACH. With `CI` set the run is derandomized and uses no example
database. `STATEFUL_TRACE=1` prints every step.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from eternal.chain.bindings import events_of
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import FraudConvicted
from eternal.chain.bindings.model_registry import VerificationMode
from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.bindings.verifier_registry import VerifierStatus
from eternal.chain.params import DAY
from eternal.chain.seals import VOTE_REJECT
from tests.support.disputes import challenge, everyone, staked_model, vote_and_resolve
from tests.support.ledger import Touched
from tests.support.network import HONEST, WRONG, Network
from tests.support.reference import AgentRecord, DisputeRecord, VerifierRecord
from tests.support.stateful import (
    AGENTS,
    STATS,
    USERS,
    VERIFIERS,
    ProtocolHarness,
    some_in_drawn_order,
)

pytestmark = pytest.mark.slow

STEPS = int(os.environ.get("STATEFUL_STEPS", "40"))
EXAMPLES = int(os.environ.get("STATEFUL_EXAMPLES", "10"))
IN_CI = bool(os.environ.get("CI"))

# To the next deadline, or within the windows (120 s to commit or reveal, 300 s to challenge or
# vote), past them, past a penalty (3,600 s) and past the unbonding period (2 days).
TIME_JUMPS: tuple[str | int, ...] = ("next deadline",) * 3 + (5, 30, 121, 301, 3_601, 2 * DAY + 1)
# An agent shows up three times in four; a committee member seven times in eight.
SHOWS = st.sampled_from([True, True, True, False])
VOTES = st.sampled_from([True] * 7 + [False])
# A task past its challenge window is claimed by its winner two times in three, else finalized.
BY_WINNER = st.sampled_from([True, True, False])
MAX_OPEN_TASKS = 5  # users wait while this many tasks are not settled
PROMPTS = st.tuples(st.integers(0, USERS - 1), st.booleans())  # (user, TOLERANT model?)
SETTLING = ("winner claims", "anyone claims", "finalize", "resolve")
CHALLENGES = ("rightly", "rightly", "wrongly", "any task")
STAKING = ("unstake", "withdraw", "rejoin_or_stake")
# Outcomes (STATS labels, by prefix) the default run must reach.
MUST_REACH = (
    "task paid out",
    "task refunded",
    "task reassigned",
    "agent missed a deadline",
    "dispute opened",
    "dispute resolved",
)
HOUSEKEEPING = (
    "model_income",
    "sweep",
    "collect_fees",
    "heartbeat",
    "epoch_reward",
    "sweep_epoch",
    "dispute_claim",
)


class ProtocolMachine(ProtocolHarness):
    @initialize(prompts=st.lists(PROMPTS, min_size=1, max_size=3))
    def open_for_business(self, prompts: list[tuple[int, bool]]) -> None:
        """Every example starts with a few prompts in flight."""
        self._step("open_for_business")
        for user, tolerant in prompts:
            self._submit(user, tolerant)

    @precondition(lambda self: self._open_tasks() < MAX_OPEN_TASKS)
    @rule(prompt=PROMPTS)
    def submit(self, prompt: tuple[int, bool]) -> None:
        """A user (0-2) submits a prompt to the EXACT or the TOLERANT model (True)."""
        self._step("submit")
        self._submit(*prompt)

    @precondition(lambda self: self._agent_moves("commit"))
    @rule(data=st.data())
    def agents_commit(self, data: st.DataObject) -> None:
        """Assigned agents whose commit window is open commit, or do not show up, in a drawn
        order: honest ones the task's true digest, dishonest ones the forgery they agree on."""
        self._step("agents_commit")
        for task_id, index in some_in_drawn_order(data, self._agent_moves("commit"), SHOWS):
            task = self.model.tasks[task_id]
            self.checked_tasks.add(task_id)
            if self.model.can_commit(self.ts, task, index):
                self._commit(task, index)

    @precondition(lambda self: self._agent_moves("reveal"))
    @rule(data=st.data())
    def agents_reveal(self, data: st.DataObject) -> None:
        """Agents that committed and whose reveal window is open reveal, or stay silent, in a
        drawn order. Sometimes the first one first tries to open its seal with another digest,
        which must fail. The last reveal of a task resolves it."""
        self._step("agents_reveal")
        tamper = data.draw(st.booleans(), label="tamper")
        for task_id, index in some_in_drawn_order(data, self._agent_moves("reveal"), SHOWS):
            task = self.model.tasks[task_id]
            self.checked_tasks.add(task_id)
            if self.model.can_reveal(self.ts, task, index):
                if tamper:
                    self._tampered_reveal(task, index)
                    tamper = False
                self._reveal(task, index)

    @precondition(lambda self: self._challengeable())
    @rule(data=st.data(), how=st.sampled_from(CHALLENGES))
    def challenge(self, data: st.DataObject, how: str) -> None:
        """A verifier, active or not, challenges a revealed output: a wrong one (`rightly`), a
        true one, or one on any task, in its challenge window or not (errors must be exact)."""
        self._step("challenge")
        self._challenge(data, how)

    @precondition(lambda self: self._member_moves("commit"))
    @rule(data=st.data())
    def committee_commits(self, data: st.DataObject) -> None:
        """Committee members whose commit window is open commit their vote, or stay lazy.
        Honest members vote what they computed; the contrarian votes against the truth."""
        self._step("committee_commits")
        for dispute_id, member in some_in_drawn_order(data, self._member_moves("commit"), VOTES):
            d = self.model.disputes[dispute_id]
            if self.model.can_commit_vote(self.ts, d, member):
                self._commit_vote(d, member)

    @precondition(lambda self: self._member_moves("reveal"))
    @rule(data=st.data())
    def committee_reveals(self, data: st.DataObject) -> None:
        """Committee members that committed reveal their vote, or stay lazy (and will pay the
        non-participation penalty)."""
        self._step("committee_reveals")
        for dispute_id, member in some_in_drawn_order(data, self._member_moves("reveal"), VOTES):
            d = self.model.disputes[dispute_id]
            if self.model.can_reveal_vote(self.ts, d, member):
                self._reveal_vote(d, member)

    @precondition(lambda self: self._due())
    @rule(data=st.data())
    def keeper(self, data: st.DataObject) -> None:
        """Due tasks and disputes move on, each or not, in a drawn order: a keeper finalizes a
        task (closing its reveal phase, or paying it out), or the winner of a task past its
        challenge window claims it with all its other due tasks, in one batch; a keeper
        resolves a dispute."""
        self._step("keeper")
        for kind, item in some_in_drawn_order(data, self._due(), SHOWS):
            if kind == "task" and self.model.finalize_error(self.ts, item) is None:
                task = self.model.tasks[item]
                if task.state == TaskState.ACCEPTED and data.draw(BY_WINNER, label="by winner"):
                    self._winner_claims(self.model.agents[task.agent_ids[task.winner]])
                else:
                    self._finalize_task(task, self.net.users[0])
            elif kind == "dispute" and self.model.resolve_error(self.ts, item) is None:
                self._resolve_dispute(self.model.disputes[item], self.net.users[1])

    @precondition(lambda self: self.model.tasks)
    @rule(data=st.data(), how=st.sampled_from(SETTLING), due=st.booleans())
    def settle(self, data: st.DataObject, how: str, due: bool) -> None:
        """Anyone finalizes a task or resolves a dispute (a due one, or any: an unknown task id
        included, which must fail with the exact error); a winner claims with the batch of its
        due tasks; or anyone claims with any list of tasks (duplicates and tasks not due
        included: the whole claim must then fail, exactly)."""
        ts = self._step(how)
        if how == "finalize":
            self._finalize(ts, data, due)
        elif how == "resolve":
            self._resolve(ts, data, due)
        else:
            self._claim(ts, data, as_winner=how == "winner claims")

    # ------------------------------------------------------------------ time

    @rule(jump=st.sampled_from(TIME_JUMPS))
    def time_passes(self, jump: str | int) -> None:
        """To the next deadline (the next transaction lands on the first second past a window, or
        the first second an unbonding or a penalty is over), or by a fixed amount."""
        self._step("time_passes")
        before = self.now
        seconds = self._to_next_deadline() if jump == "next deadline" else int(jump)
        self.chain.increase_time(seconds)
        self.now = self.chain.latest_timestamp()
        assert self.now == before + seconds, f"time moved {self.now - before}s, not {seconds}s"

    # ------------------------------------------------------------------ housekeeping

    @rule(data=st.data(), action=st.sampled_from(HOUSEKEEPING), who=st.integers(0, VERIFIERS - 1))
    def housekeeping(self, data: st.DataObject, action: str, who: int) -> None:
        """Model income to the model's owner, the treasury sweep, fee collection, verifier `who`
        checks in or claims an epoch reward, a stranded epoch is swept, dispute credits are
        claimed; each when there is nothing to do must fail with the exact error."""
        self._housekeep(data, action, who)

    # ------------------------------------------------------------------ staking

    @rule(
        data=st.data(),
        action=st.sampled_from(STAKING),
        agent=st.integers(0, AGENTS - 1),
        verifier=st.integers(0, VERIFIERS - 1),
        of_verifier=st.booleans(),
    )
    def staking(
        self, data: st.DataObject, action: str, agent: int, verifier: int, of_verifier: bool
    ) -> None:
        ts = self._step(action)
        a, v = self.agent_records[agent], self.verifier_records[verifier]
        if action == "unstake":
            self._unstake_then_withdraw_at_once(ts, v if of_verifier else a)
        elif action == "withdraw":
            unbonding: list[AgentRecord | VerifierRecord] = [
                *(x for x in self.agent_records if x.status == AgentStatus.UNBONDING),
                *(x for x in self.verifier_records if x.status == VerifierStatus.UNBONDING),
            ]
            self._withdraw(
                ts, data.draw(st.sampled_from(unbonding), label="who") if unbonding else a
            )
        elif of_verifier:
            self._verifier_stake(ts, v, verifier)
        else:
            self._rejoin_or_stake(ts, a, agent)

    # ------------------------------------------------------------------ invariants

    @invariant()
    def supply_is_conserved(self) -> None:
        self.in_step = False
        balances = self.b.storage.balances(self.holders)
        supply = self.b.storage.total_supply()
        assert sum(balances.values()) == supply, (
            f"holders have {sum(balances.values())}, supply is {supply}"
        )

    @invariant()
    def supply_grows_only_by_block_rewards(self) -> None:
        self.in_step = False
        supply = self.b.storage.total_supply()
        assert supply == self.ledger.supply, (
            f"supply {supply}, genesis + block rewards {self.ledger.supply}"
        )
        assert supply <= self.model.cap

    @invariant()
    def contracts_hold_their_books(self) -> None:
        self.in_step = False
        held = self.b.storage.balances(self.contract_addresses.values())
        actual = {name: held[address] for name, address in self.contract_addresses.items()}
        assert actual == self.ledger.expected_balances(), (
            f"balances {actual}\nbooks {self.ledger.expected_balances()}"
        )
        self._check_views(self.ledger.touched)

    def _check_views(self, touched: Touched) -> None:
        if touched.accrued:
            accrued = tuple(self.p.tasks.accrued())
            assert accrued == (self.ledger.treasury_accrued, self.ledger.verifier_fees), accrued
        for model_id in touched.models:
            assert self.p.tasks.model_income(model_id) == self.ledger.model_income[model_id]
        for address in touched.rewards:
            assert self.p.tasks.claimable(address) == self.ledger.claimable(address), address
        for address in touched.credits:
            assert self.p.disputes.claimable(address) == self.ledger.dispute_claimable[address], (
                address
            )
        for address in touched.agents:
            agent = self.model.agent(address)
            assert agent is not None
            info = self.p.agents.agent_info(address)
            got = (info.stake, info.status, info.locks, info.until)
            want = (self.ledger.agent_stake[address], agent.status, agent.locks, agent.until)
            assert got == want, f"agent {address}: chain {got}, model {want}"
        for address in touched.verifiers:
            verifier = self.model.verifier(address)
            assert verifier is not None
            vinfo = self.p.verifiers.verifier_info(address)
            got = (vinfo.stake, vinfo.status, vinfo.locks, vinfo.until)
            want = (
                self.ledger.verifier_stake[address],
                verifier.status,
                verifier.locks,
                verifier.until,
            )
            assert got == want, f"verifier {address}: chain {got}, model {want}"
        for dispute_id in touched.disputes:
            self._check_dispute(self.model.disputes[dispute_id])

    def _check_dispute(self, d: DisputeRecord) -> None:
        view = self.p.disputes.dispute(d.id)
        state, deadline = d.phase(self.now)
        got = (
            view.state,
            view.deadline,
            view.verdict,
            view.commits,
            view.reveals,
            view.committee,
            view.accused_index,
        )
        want = (state, deadline, d.verdict, len(d.commits), len(d.reveals), d.committee, d.accused)
        assert got == want, f"dispute {d.id}: chain {got}, model {want}"

    @invariant()
    def tasks_pay_once_and_move_forward(self) -> None:
        self.in_step = False
        paid_twice = {t: n for t, n in self.ledger.settlements.items() if n > 1}
        assert not paid_twice, f"tasks settled more than once: {paid_twice}"
        for task_id in sorted(self.ledger.touched.tasks | self.checked_tasks):
            task = self.model.tasks.get(task_id)
            if task is None:
                continue
            view = self.p.tasks.task(task_id)
            before = self.seen.get(task_id)
            if before is not None:
                _assert_forward(task_id, before, (view.state, view.attempt))
            self.seen[task_id] = (view.state, view.attempt)
            got = (
                view.state,
                view.attempt,
                view.agent_ids,
                view.deadline,
                view.escrow,
                view.winner_index,
                view.mismatch,
                view.commit_order,
                view.revealed_mask,
            )
            want = (
                task.state,
                task.attempt,
                task.agent_ids,
                task.deadline,
                task.escrow,
                task.winner,
                task.mismatch,
                tuple(task.commit_order),
                sum(1 << i for i in task.revealed),
            )
            assert got == want, f"task {task_id}: chain {got}, model {want}"
            assert view.escrow == self.ledger.escrow[task_id]

    @invariant()
    def punishments_are_earned(self) -> None:
        self.in_step = False
        assert not self.conduct.violations, self.conduct.violations

    def teardown(self) -> None:
        """Everything once more, untouched or not (unless a step failed: that is the report)."""
        if not hasattr(self, "model") or self.in_step:
            return
        everyone = Touched(
            tasks=set(self.model.tasks),
            disputes=set(self.model.disputes),
            rewards={a.address for a in self.actors},
            credits={v.address for v in self.verifier_records},
            agents={a.address for a in self.agent_records},
            verifiers={v.address for v in self.verifier_records},
            models=set(self.model.models),
            accrued=True,
        )
        self.ledger.touched = everyone
        self.contracts_hold_their_books()
        self.tasks_pay_once_and_move_forward()


def _assert_forward(
    task_id: int, before: tuple[TaskState, int], after: tuple[TaskState, int]
) -> None:
    (s0, a0), (s1, a1) = before, after
    terminal = (TaskState.FINALIZED, TaskState.REFUNDED)
    if s0 in terminal:
        assert (s1, a1) == (s0, a0), f"task {task_id} left {s0.name} for {s1.name}"
        return
    assert a1 >= a0, f"task {task_id} attempt went back {a0} -> {a1}"
    reassigned = (
        (a0, a1) == (0, 1)
        and s1 == TaskState.COMMITTING
        and s0 in (TaskState.COMMITTING, TaskState.REVEALING)
    )
    assert s1 >= s0 or reassigned, f"task {task_id} went back {s0.name} -> {s1.name}"
    if a1 > a0:
        assert s0 in (TaskState.COMMITTING, TaskState.REVEALING), (
            f"task {task_id} reassigned from {s0.name}"
        )


ProtocolMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=IN_CI,
    database=None if IN_CI else settings.default.database,
    print_blob=True,
)
TestProtocolInvariants = ProtocolMachine.TestCase


@pytest.fixture(scope="module", autouse=True)
def _report_coverage(request: pytest.FixtureRequest) -> Iterator[None]:
    """Prints how many steps ran and how often each outcome was reached; in CI, fails if the
    default run stopped reaching the outcomes the invariants are about (a rule change that,
    say, keeps agents from ever revealing would otherwise pass while testing little)."""
    STATS.clear()
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None and STATS["steps"]:
        _print_report(reporter, capture)
    if IN_CI and STATS["examples"] >= EXAMPLES and STEPS * EXAMPLES >= 300:
        missing = [outcome for outcome in MUST_REACH if not _reached(outcome)]
        assert not missing, f"the default stateful run never reached: {missing}"


def _print_report(reporter: Any, capture: Any) -> None:
    steps, examples = STATS["steps"], STATS["examples"]
    lines = [f"stateful run: {steps} steps in {examples} examples ({EXAMPLES} x {STEPS} asked)"]
    lines += [
        f"  {count:5d}  {name}"
        for name, count in sorted(STATS.items())
        if name not in ("steps", "examples")
    ]
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)


def _reached(outcome: str) -> bool:
    return any(count for name, count in STATS.items() if name.startswith(outcome))


# ---------------------------------------------------------------------- found by the machine


@pytest.mark.xfail(
    strict=True,
    reason="known limit (docs/architecture.md, Known limits): a revealed output is only "
    "challengeable once the task is accepted, and acceptance waits for anyone to call finalize; "
    "the agent's stake is not held meanwhile, so it can unbond and withdraw first, and its "
    "conviction then slashes nothing",
)
def test_an_agent_convicted_of_fraud_loses_its_stake_even_when_acceptance_came_late(
    network: Network,
) -> None:
    """Found while writing the machine's model of finalize, acceptance and unbonding; the machine
    counts it as "fraud convicted with nothing left to slash" when a run lines it up (random runs
    rarely do: it takes a silent committer, an unstake, two idle days, a withdrawal, then a
    finalize, a rightful challenge and a full vote, in that order).

    docs/parameters.md says the unbonding floor keeps an agent bonded "when the last challenge can
    arrive", counting each window once; but a task whose reveal phase did not close by itself
    (one agent committed and stayed silent) is accepted only when someone calls finalize, which
    may be any time later. Minimal sequence: agent 0 commits a wrong output first, agents 1 and
    2 the true one; agents 0 and 1 reveal, agent 2 never does; agent 0 unstakes; two days pass
    with nobody finalizing; agent 0 withdraws its whole stake; then finalize accepts agent 0's
    output (the first committer), a verifier challenges it, the committee rejects it: Guilty,
    FraudConvicted(slashed=0), and the cheat keeps its stake.
    """
    setup = staked_model(network, mode=VerificationMode.TOLERANT)
    p = network.protocol
    task_id = network.submit(setup.model_id)
    cheat_commitment, honest, _silent = network.commit_all(task_id, [WRONG, HONEST, HONEST])
    network.reveal(task_id, cheat_commitment)
    network.reveal(task_id, honest)
    cheat = cheat_commitment.agent
    stake = p.agents.agent_info(cheat.address).stake
    p.agents.unstake(cheat)
    network.advance(network.params.agents.unbonding_period + 1)
    p.agents.withdraw(cheat)

    p.tasks.finalize(network.users[0], task_id)
    dispute_id, _ = challenge(network, setup.verifiers[0], task_id, cheat_commitment.index)
    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))

    (conviction,) = events_of(result, FraudConvicted)
    assert conviction.slashed == stake * network.params.disputes.fraud_slash_bps // 10_000
