"""Challenges on a TOLERANT model: a verifier posts a bond against an accepted output, the committee
votes VOTE_ACCEPT or VOTE_REJECT, and strictly more than two thirds of the committee decide."""

from __future__ import annotations

from eternal.chain.bindings import events_of
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import (
    DisputeCredited,
    DisputeResolved,
    FraudConvicted,
    Verdict,
)
from eternal.chain.bindings.task_manager import TaskFinalized, TaskState
from eternal.chain.params import EAI
from eternal.chain.seals import VOTE_ACCEPT, VOTE_REJECT
from tests.support.disputes import (
    Setup,
    accepted_task,
    agent_id,
    agent_stake,
    balance,
    by_position,
    challenge,
    challenge_winner,
    committee,
    everyone,
    expected_split,
    fraud_slash,
    treasury_balance,
    vote_and_resolve,
    winner_reward,
)
from tests.support.network import Network

AGENT_STAKE = 100 * EAI
ZERO_ADDRESS = "0x" + "00" * 20


def test_challenge_takes_the_bond_and_opens_a_dispute(network: Network, tolerant: Setup) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    challenger = network.verifiers[0]
    bond = network.params.disputes.challenge_bond
    before = balance(network, challenger.address)

    dispute_id, _ = challenge(network, challenger, task_id, 0)

    view = network.protocol.disputes.dispute(dispute_id)
    assert (view.task_id, view.challenger, view.bond, view.automatic, view.accused_index) == (
        task_id,
        challenger.address,
        bond,
        False,
        0,
    )
    assert balance(network, challenger.address) == before - bond
    assert network.task(task_id).state == TaskState.DISPUTED


def test_guilty_slashes_the_winner_and_rewards_the_challenger(
    network: Network, tolerant: Setup
) -> None:
    fee = network.protocol.registry.terms(tolerant.model_id).fee
    task_id = accepted_task(network, tolerant.model_id)
    winner = network.assigned(task_id)[network.task(task_id).winner_index]
    challenger = network.verifiers[0]
    dispute_id, _ = challenge(network, challenger, task_id, network.task(task_id).winner_index)
    members = committee(network, dispute_id)
    treasury_before = treasury_balance(network)

    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))

    slashed = fraud_slash(network, AGENT_STAKE)
    bond = network.params.disputes.challenge_bond
    split = expected_split(
        network, slashed=slashed, bond=bond, innocent=False, has_challenger=True, voters=5
    )
    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.majority_vote, resolved.slashed) == (
        Verdict.GUILTY,
        bytes(32),
        slashed,
    )
    (convicted,) = events_of(result, FraudConvicted)
    assert (convicted.agent_id, convicted.slashed) == (agent_id(network, winner), slashed)
    info = network.protocol.agents.agent_info(winner.address)
    assert (info.stake, info.status) == (AGENT_STAKE - slashed, AgentStatus.DEACTIVATED)

    disputes = network.protocol.disputes
    assert disputes.claimable(challenger.address) == split.challenger  # reward + bond back
    assert split.challenger == slashed * 6_000 // 10_000 + bond
    for member in members:
        assert disputes.claimable(member.address) == split.per_voter
    assert treasury_balance(network) - treasury_before == split.treasury

    # The challenger also takes the task's winner share and block reward.
    (finalized,) = events_of(result, TaskFinalized)
    assert (finalized.winner_id, finalized.reward_to) == (0, challenger.address)
    tasks = network.protocol.tasks
    assert tasks.claimable(challenger.address) == winner_reward(network, task_id, fee)
    assert tasks.claimable(winner.address) == 0
    assert network.task(task_id).state == TaskState.FINALIZED


def test_innocent_costs_the_challenger_part_of_its_bond_and_pays_the_winner(
    network: Network, tolerant: Setup
) -> None:
    fee, task_id, _, winner, challenger, dispute_id = challenge_winner(network, tolerant.model_id)
    members = committee(network, dispute_id)
    treasury_before = treasury_balance(network)

    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, VOTE_ACCEPT))

    bond = network.params.disputes.challenge_bond
    split = expected_split(
        network, slashed=0, bond=bond, innocent=True, has_challenger=True, voters=5
    )
    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.slashed) == (Verdict.INNOCENT, 0)
    assert events_of(result, FraudConvicted) == ()
    assert agent_stake(network, winner) == AGENT_STAKE

    disputes = network.protocol.disputes
    forfeited = bond * network.params.disputes.false_dispute_bps // 10_000
    assert disputes.claimable(challenger.address) == bond - forfeited == split.challenger
    for member in members:
        assert disputes.claimable(member.address) == split.per_voter
    assert split.per_voter * 5 + split.treasury == forfeited
    assert treasury_balance(network) - treasury_before == split.treasury

    (finalized,) = events_of(result, TaskFinalized)
    assert (finalized.winner_id, finalized.reward_to) == (agent_id(network, winner), ZERO_ADDRESS)
    assert network.protocol.tasks.claimable(winner.address) == winner_reward(network, task_id, fee)
    assert network.protocol.tasks.claimable(challenger.address) == 0


def test_split_vote_is_inconclusive_returns_the_bond_and_pays_the_winner(
    network: Network, tolerant: Setup
) -> None:
    fee, task_id, _, winner, challenger, dispute_id = challenge_winner(network, tolerant.model_id)
    treasury_before = treasury_balance(network)

    votes = [VOTE_REJECT, VOTE_REJECT, VOTE_REJECT, VOTE_ACCEPT, VOTE_ACCEPT]
    result = vote_and_resolve(network, dispute_id, by_position(network, dispute_id, votes))

    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.slashed) == (Verdict.INCONCLUSIVE, 0)
    assert events_of(result, FraudConvicted) == ()
    credited = {e.account: e.amount for e in events_of(result, DisputeCredited)}
    assert credited == {challenger.address: network.params.disputes.challenge_bond}
    assert agent_stake(network, winner) == AGENT_STAKE
    assert treasury_balance(network) == treasury_before
    assert network.protocol.tasks.claimable(winner.address) == winner_reward(network, task_id, fee)


def test_guilty_accused_that_did_not_win_leaves_the_winner_paid(
    network: Network, tolerant: Setup
) -> None:
    fee = network.protocol.registry.terms(tolerant.model_id).fee
    task_id = accepted_task(network, tolerant.model_id)
    winner_index = network.task(task_id).winner_index
    accused_index = (winner_index + 1) % 3
    winner, accused = (network.assigned(task_id)[i] for i in (winner_index, accused_index))
    challenger = network.verifiers[0]
    dispute_id, _ = challenge(network, challenger, task_id, accused_index)

    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))

    slashed = fraud_slash(network, AGENT_STAKE)
    (convicted,) = events_of(result, FraudConvicted)
    assert convicted.agent_id == agent_id(network, accused)
    assert agent_stake(network, winner) == AGENT_STAKE
    split = expected_split(
        network,
        slashed=slashed,
        bond=network.params.disputes.challenge_bond,
        innocent=False,
        has_challenger=True,
        voters=5,
    )
    assert network.protocol.disputes.claimable(challenger.address) == split.challenger
    # The accused had no winner reward to give: the winner keeps it.
    assert network.protocol.tasks.claimable(winner.address) == winner_reward(network, task_id, fee)
    assert network.protocol.tasks.claimable(challenger.address) == 0
