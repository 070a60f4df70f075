"""The verifier's duties on the in-process chain: checks, challenges, votes, epochs."""

from __future__ import annotations

from pathlib import Path

from eternal.chain.bindings.dispute_manager import DisputeState, Verdict
from eternal.chain.bindings.task_manager import TaskState
from eternal.node.agent import AgentNode, Behaviour
from eternal.node.state import VoteStatus
from eternal.node.verifier import VerifierBehaviour, VerifierNode
from tests.support.network import Network
from tests.support.node_harness import make_agent, make_verifier, run_until


def _cast(
    network: Network,
    tmp_path: Path,
    agent_behaviour: Behaviour,
    verifier_behaviours: tuple[VerifierBehaviour, ...] = (VerifierBehaviour.HONEST,) * 4,
) -> tuple[int, list[AgentNode], list[VerifierNode]]:
    model = network.register_model(redundancy=2)
    agents = [make_agent(network, tmp_path, a, model, agent_behaviour) for a in network.agents[:2]]
    verifiers = [
        make_verifier(network, tmp_path, v, behaviour)
        for v, behaviour in zip(network.verifiers, verifier_behaviours, strict=False)
    ]
    for node in (*agents, *verifiers):
        node.setup()
    return model, agents, verifiers


def _dispute(network: Network) -> int:
    return network.protocol.disputes.dispute_count()


def test_matching_output_is_checked_and_left_alone(network: Network, tmp_path: Path) -> None:
    model, agents, verifiers = _cast(network, tmp_path, Behaviour.HONEST)
    task_id = network.submit(model, prompt=b"x")
    nodes = [*agents, *verifiers]
    run_until(nodes, lambda: all(v.state.check(task_id) == "agreed" for v in verifiers))
    assert _dispute(network) == 0
    assert network.task(task_id).state is TaskState.ACCEPTED


def test_agreeing_wrong_outputs_are_challenged_and_convicted(
    network: Network, tmp_path: Path
) -> None:
    model, agents, verifiers = _cast(network, tmp_path, Behaviour.WRONG_OUTPUT)
    task_id = network.submit(model, prompt=b"x")
    nodes = [*agents, *verifiers]
    run_until(nodes, lambda: _dispute(network) == 1)
    dispute = network.protocol.disputes.dispute(1)
    assert dispute.task_id == task_id and dispute.challenger in {v.address for v in verifiers}
    run_until(nodes, lambda: network.protocol.disputes.dispute(1).state is DisputeState.RESOLVED)
    assert network.protocol.disputes.dispute(1).verdict is Verdict.GUILTY
    challenger = next(v for v in verifiers if v.address == dispute.challenger)
    run_until(nodes, lambda: challenger.metrics.rewards._value.get() > 0)  # bond back plus reward
    assert network.protocol.disputes.claimable(challenger.address) == 0
    assert network.supply_is_conserved()


def test_false_challenge_is_judged_innocent(network: Network, tmp_path: Path) -> None:
    behaviours = (VerifierBehaviour.FALSE_CHALLENGE, *(VerifierBehaviour.HONEST,) * 3)
    model, agents, verifiers = _cast(network, tmp_path, Behaviour.HONEST, behaviours)
    task_id = network.submit(model, prompt=b"x")
    nodes = [*agents, *verifiers]
    run_until(nodes, lambda: _dispute(network) == 1)
    assert network.protocol.disputes.dispute(1).challenger == verifiers[0].address
    run_until(nodes, lambda: network.protocol.disputes.dispute(1).state is DisputeState.RESOLVED)
    assert network.protocol.disputes.dispute(1).verdict is Verdict.INNOCENT
    assert network.task(task_id).state is not TaskState.REFUNDED


def test_votes_saved_before_a_crash_are_committed_once_after_restart(
    network: Network, tmp_path: Path
) -> None:
    model, agents, verifiers = _cast(network, tmp_path, Behaviour.WRONG_OUTPUT)
    for verifier in verifiers:  # every member dies right after saving its vote
        verifier._commit_vote = lambda vote: None  # type: ignore[method-assign]
    network.submit(model, prompt=b"x")
    disputes = network.protocol.disputes
    run_until([*agents, *verifiers], lambda: disputes.dispute_count() == 1)
    committee = set(disputes.dispute(1).committee)
    members = [v for v in verifiers if network.protocol.verifiers.id_of(v.address) in committee]
    run_until(members, lambda: all(m.state.votes(VoteStatus.SEALED) for m in members))
    salts = {m.address: m.state.votes(VoteStatus.SEALED)[0].salt for m in members}

    for member in members:
        member.state.close()  # the processes died
    reborn = [make_verifier(network, tmp_path, m.account) for m in members]
    for node in reborn:
        node.setup()
    run_until(reborn, lambda: disputes.dispute(1).state is DisputeState.RESOLVED)
    assert disputes.dispute(1).verdict is Verdict.GUILTY
    for node in reborn:
        assert node.metrics.transactions.labels(function="commitVote")._value.get() == 1
        vote = next(v for v in node.state.votes() if v.dispute_id == 1)
        assert vote.salt == salts[node.address]


def test_heartbeat_once_per_epoch(network: Network, tmp_path: Path) -> None:
    verifier = make_verifier(network, tmp_path, network.verifiers[0])
    verifier.setup()  # staking counts as seen in this epoch
    registry = network.protocol.verifiers
    heartbeats = verifier.metrics.transactions.labels(function="heartbeat")
    verifier.tick()
    assert heartbeats._value.get() == 0
    network.advance(network.params.epoch_length)
    verifier.tick()
    verifier.tick()
    assert heartbeats._value.get() == 1
    assert registry.verifier_info(verifier.address).last_seen_epoch == registry.current_epoch()
