"""Money out of disputes: credits are claimed from the dispute manager (which holds exactly what it
owes), the challenger's task reward from the task manager, and a disputed task pays out once."""

from __future__ import annotations

import pytest

from eternal.chain.bindings import events_of
from eternal.chain.bindings.dispute_manager import DisputeClaimed
from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.params import EAI
from eternal.chain.seals import VOTE_REJECT
from eternal.errors import ContractError
from tests.support.disputes import (
    Setup,
    accepted_task,
    balance,
    challenge,
    committee,
    disputes_balance,
    disputes_owe,
    everyone,
    expected_split,
    fraud_slash,
    opened,
    resolve,
    task_with_outputs,
    vote_all,
    vote_and_resolve,
    winner_reward,
)
from tests.support.network import HONEST, WRONG, Network


def test_challenger_and_voters_claim_exactly_their_credits(
    network: Network, tolerant: Setup
) -> None:
    fee = network.protocol.registry.terms(tolerant.model_id).fee
    task_id = accepted_task(network, tolerant.model_id)
    challenger = network.verifiers[0]
    dispute_id, _ = challenge(network, challenger, task_id, 0)
    members = committee(network, dispute_id)
    vote_and_resolve(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    disputes = network.protocol.disputes
    assert disputes_balance(network) == disputes_owe(network) > 0

    for account in [challenger, *members]:
        owed = disputes.claimable(account.address)
        before = balance(network, account.address)
        (claimed,) = events_of(disputes.claim(account), DisputeClaimed)
        assert (claimed.account, claimed.amount) == (account.address, owed)
        assert balance(network, account.address) == before + owed
        assert disputes.claimable(account.address) == 0
    assert disputes_balance(network) == 0

    before = balance(network, challenger.address)
    network.protocol.tasks.claim(challenger, [])
    assert balance(network, challenger.address) == before + winner_reward(network, task_id, fee)


def test_second_claim_finds_nothing(network: Network, tolerant: Setup) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    challenger = network.verifiers[0]
    dispute_id, _ = challenge(network, challenger, task_id, 0)
    vote_and_resolve(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    network.protocol.disputes.claim(challenger)

    with pytest.raises(ContractError) as failure:
        network.protocol.disputes.claim(challenger)

    assert failure.value.name == "DisputeManagerNothingToClaim"
    assert dict(failure.value.args) == {"account": challenger.address}


def test_credits_from_several_disputes_add_up_and_the_manager_holds_what_it_owes(
    network: Network, tolerant: Setup
) -> None:
    disputes = network.protocol.disputes
    bond = network.params.disputes.challenge_bond
    first_task = accepted_task(network, tolerant.model_id)
    second_task = accepted_task(network, tolerant.model_id)
    first, _ = challenge(network, network.verifiers[0], first_task, 0)
    # Accuse another agent the second time: a convicted agent's second slash would be smaller.
    first_accused = network.task(first_task).agent_ids[0]
    second_index = next(
        i for i, a in enumerate(network.task(second_task).agent_ids) if a != first_accused
    )
    second, _ = challenge(network, network.verifiers[1], second_task, second_index)
    # While the disputes are open the manager holds their bonds and owes nothing.
    assert (disputes_balance(network), disputes_owe(network)) == (2 * bond, 0)

    vote_and_resolve(network, first, everyone(network, first, VOTE_REJECT))
    assert disputes_balance(network) == disputes_owe(network) + bond

    vote_and_resolve(network, second, everyone(network, second, VOTE_REJECT))
    assert disputes_balance(network) == disputes_owe(network) > 0

    both = set(disputes.dispute(first).committee) & set(disputes.dispute(second).committee)
    assert both  # 5 of 7 twice among 8 verifiers: someone sat on both committees
    split = expected_split(
        network,
        slashed=fraud_slash(network, 100 * EAI),
        bond=bond,
        innocent=False,
        has_challenger=True,
        voters=5,
    )
    for verifier_id in both:
        member = network.verifier_by_id(verifier_id)
        assert disputes.claimable(member.address) == 2 * split.per_voter
    for verifier in network.verifiers:
        if disputes.claimable(verifier.address):
            disputes.claim(verifier)
    assert disputes_balance(network) == 0


def test_task_under_dispute_cannot_be_finalized(network: Network, tolerant: Setup) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    challenge(network, network.verifiers[0], task_id, 0)
    network.pass_challenge_window()

    with pytest.raises(ContractError) as failure:
        network.protocol.tasks.finalize(network.users[0], task_id)

    assert failure.value.name == "TaskManagerWrongState"
    assert dict(failure.value.args) == {"taskId": task_id, "state": TaskState.DISPUTED}


def test_settled_dispute_task_pays_out_only_once(network: Network, exact: Setup) -> None:
    task_id, _, last_reveal = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])
    dispute_id = opened(last_reveal).dispute_id
    vote_all(network, dispute_id, everyone(network, dispute_id, HONEST))
    resolve(network, dispute_id)
    assert network.task(task_id).escrow == 0
    network.pass_challenge_window()

    with pytest.raises(ContractError) as failure:
        network.protocol.tasks.finalize(network.users[0], task_id)

    assert failure.value.name == "TaskManagerWrongState"
    assert dict(failure.value.args) == {"taskId": task_id, "state": TaskState.FINALIZED}
