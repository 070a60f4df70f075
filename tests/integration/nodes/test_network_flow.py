"""Prompts through real node processes on anvil, with real Cog servers.

Each test starts its own network; agents and verifiers are `python -m eternal ... run`
processes. Time-dependent steps (the end of a challenge window) are reached by moving anvil's
clock, never by sleeping through them.
"""

from __future__ import annotations

import pytest

from eternal.chain.bindings.agent_staking import AgentSlashed
from eternal.chain.bindings.dispute_manager import (
    DisputeClaimed,
    DisputeCredited,
    DisputeOpened,
    DisputeResolved,
    FraudConvicted,
    NonVoterPenalized,
    Verdict,
)
from eternal.chain.bindings.task_manager import TaskFinalized, TaskState
from tests.integration.nodes.conftest import MODELS
from tests.support.live_network import LiveNetwork, submit, task_state, winner_output

pytestmark = [pytest.mark.anvil, pytest.mark.slow]


def _events(live: LiveNetwork, contract: str, event: type) -> list:  # type: ignore[type-arg]
    return list(getattr(live.net.protocol, contract).logs(0, "latest", event))


def test_prompt_flows_end_to_end_with_three_agents_and_three_verifiers(live: LiveNetwork) -> None:
    model = live.publish(MODELS / "echo", redundancy=3)
    agents = [live.start_agent(a, model) for a in live.net.agents[:3]]
    for v in live.net.verifiers[:3]:
        live.start_verifier(v)
    live.wait_for("3 agents in the pool", lambda: live.net.protocol.agents.pool_size(model) == 3)

    task_id = submit(live, live.net.users[0], model, prompt="a dragon and a knight", times=2)
    live.wait_for("acceptance", lambda: task_state(live, task_id) is TaskState.ACCEPTED)
    assert b"a dragon and a knight" in winner_output(live, task_id)

    live.chain.increase_time(61)  # past the challenge window: the winner claims
    live.wait_for("payout", lambda: task_state(live, task_id) is TaskState.FINALIZED)
    finalized = _events(live, "tasks", TaskFinalized)
    winner = live.net.protocol.agents.agent_of(finalized[0].winner_id)
    assert winner in {a.account.address for a in agents}
    assert live.supply_is_conserved()
    assert not _events(live, "disputes", DisputeOpened)


def test_wrong_output_is_caught_by_the_light_check_and_slashed(live: LiveNetwork) -> None:
    model = live.publish(MODELS / "echo", redundancy=3)
    honest = [live.start_agent(a, model) for a in live.net.agents[:2]]
    cheat = live.start_agent(live.net.agents[2], model, behaviour="wrong-output")
    for v in live.net.verifiers[:3]:
        live.start_verifier(v)
    live.wait_for("3 agents in the pool", lambda: live.net.protocol.agents.pool_size(model) == 3)

    task_id = submit(live, live.net.users[0], model, prompt="compose a serene piece", times=1)
    live.wait_for("an automatic dispute", lambda: _events(live, "disputes", DisputeOpened))
    # The verdict is on the candidate winner (honest or not); every output that differs from
    # the committee's majority digest is convicted either way.
    live.wait_for("the verdict", lambda: _events(live, "disputes", DisputeResolved), timeout=120)
    cheat_id = live.net.protocol.agents.id_of(cheat.account.address)
    convicted = _events(live, "disputes", FraudConvicted)
    assert [c.agent_id for c in convicted] == [cheat_id]
    slashed = {e.agent for e in _events(live, "agents", AgentSlashed)}
    assert slashed == {cheat.account.address}
    assert b"compose a serene piece" in winner_output(live, task_id)
    assert all(a.account.address not in slashed for a in honest)
    assert live.supply_is_conserved()


def test_tolerant_wrong_output_is_challenged_and_the_challenger_paid(live: LiveNetwork) -> None:
    model = live.publish(MODELS / "embed", redundancy=2)
    for account in live.net.agents[:2]:  # both agree on the same wrong vector
        live.start_agent(account, model, behaviour="wrong-output")
    verifiers = live.net.verifiers[:4]
    for v in verifiers:
        live.start_verifier(v)
    live.wait_for("2 agents in the pool", lambda: live.net.protocol.agents.pool_size(model) == 2)

    task_id = submit(live, live.net.users[0], model, text="flying cars over a city")
    opened = live.wait_for("a challenge", lambda: _events(live, "disputes", DisputeOpened))
    assert opened[0].task_id == task_id and opened[0].challenger in {v.address for v in verifiers}
    resolved = live.wait_for(
        "the verdict", lambda: _events(live, "disputes", DisputeResolved), timeout=120
    )
    assert resolved[0].verdict is Verdict.GUILTY
    challenger = opened[0].challenger
    bond = live.net.params.disputes.challenge_bond
    paid = live.wait_for(
        "the challenger's claim",
        lambda: [e for e in _events(live, "disputes", DisputeClaimed) if e.account == challenger],
    )
    assert paid[0].amount > bond  # the bond back plus its share of the slashed stakes
    # The challenger also takes the convicted winner's fee share and block reward.
    finalized = live.wait_for("the payout", lambda: _events(live, "tasks", TaskFinalized))
    assert finalized[0].reward_to == challenger
    assert live.supply_is_conserved()


def test_false_challenger_loses_bond_and_silent_member_is_penalized(live: LiveNetwork) -> None:
    model = live.publish(MODELS / "echo", redundancy=3)
    for account in live.net.agents[:3]:
        live.start_agent(account, model)
    accuser = live.start_verifier(live.net.verifiers[0], behaviour="false-challenge")
    silent = live.start_verifier(live.net.verifiers[1], behaviour="skip-votes")
    for v in live.net.verifiers[2:5]:
        live.start_verifier(v)
    live.wait_for("3 agents in the pool", lambda: live.net.protocol.agents.pool_size(model) == 3)

    task_id = submit(live, live.net.users[0], model, prompt="the market for electric vehicles")
    opened = live.wait_for("a challenge", lambda: _events(live, "disputes", DisputeOpened))
    assert opened[0].challenger == accuser.account.address
    disputes = live.net.protocol.disputes
    dispute_id = opened[0].dispute_id
    live.wait_for("the honest members' commits", lambda: disputes.dispute(dispute_id).commits >= 3)
    live.chain.increase_time(61)  # the silent member never commits: reveals open at the deadline
    live.wait_for("the honest members' reveals", lambda: disputes.dispute(dispute_id).reveals >= 3)
    live.chain.increase_time(61)  # the reveal window ends: anyone may resolve
    resolved = live.wait_for("the verdict", lambda: _events(live, "disputes", DisputeResolved))
    assert resolved[0].verdict is Verdict.INNOCENT
    silent_id = live.net.protocol.verifiers.id_of(silent.account.address)
    assert [p.verifier_id for p in _events(live, "disputes", NonVoterPenalized)] == [silent_id]
    credited = _events(live, "disputes", DisputeCredited)
    returned = sum(c.amount for c in credited if c.account == accuser.account.address)
    bond = live.net.params.disputes.challenge_bond
    assert 0 < returned < bond  # part of the bond went to the committee and the accused
    live.wait_for(
        "acceptance restored",
        lambda: task_state(live, task_id) in (TaskState.ACCEPTED, TaskState.FINALIZED),
    )
    assert live.supply_is_conserved()
