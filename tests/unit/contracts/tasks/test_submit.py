"""Submitting a prompt: escrow, the input's two forms, the permit, and the random draw."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from eternal.chain.bindings.task_manager import TaskAssigned, TaskState, TaskSubmitted
from eternal.chain.params import EAI
from tests.support.network import PROMPT, Network
from tests.unit.contracts.tasks.helpers import FEE, block_time, of_type, reverts

INPUT_URI = "ipfs://bafkreiinput"
INPUT_DIGEST = keccak(b"input stored elsewhere")
MAX_INLINE = 4_096  # ProtocolParams.dev().tasks.max_inline_input
PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


def _sign_permit(
    network: Network, owner: LocalAccount, value: int, deadline: int
) -> tuple[int, bytes, bytes]:
    token = network.protocol.token
    domain = token.eip712_domain()
    signed = owner.sign_typed_data(
        domain_data={
            "name": domain.name,
            "version": domain.version,
            "chainId": domain.chain_id,
            "verifyingContract": domain.verifying_contract,
        },
        message_types=PERMIT_TYPES,
        message_data={
            "owner": owner.address,
            "spender": network.protocol.tasks.address,
            "value": value,
            "nonce": token.nonces(owner.address),
            "deadline": deadline,
        },
    )
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


# ------------------------------------------------------------------------------ inline input


def test_submit_escrows_the_fee(network: Network, model: int) -> None:
    tasks, token, user = network.protocol.tasks, network.protocol.token, network.users[0]
    user_before, escrow_before = token.balance_of(user.address), token.balance_of(tasks.address)

    task_id = network.submit(model)

    assert token.balance_of(user.address) == user_before - FEE
    assert token.balance_of(tasks.address) == escrow_before + FEE
    task = network.task(task_id)
    assert (task.user, task.escrow, task.model_id) == (user.address, FEE, model)
    assert (task.state, task.attempt, task.commit_count) == (TaskState.COMMITTING, 0, 0)
    assert network.supply_is_conserved()


def test_submit_emits_the_inline_input_and_the_assignment(network: Network, model: int) -> None:
    tasks, user = network.protocol.tasks, network.users[0]

    result = tasks.submit_prompt(user, model, PROMPT, FEE)

    events = tasks.events(result)
    (submitted,) = of_type(events, TaskSubmitted)
    (assigned,) = of_type(events, TaskAssigned)
    assert (submitted.task_id, submitted.model_id, submitted.user, submitted.fee) == (
        1,
        model,
        user.address,
        FEE,
    )
    assert (submitted.input, submitted.input_uri, submitted.input_digest) == (
        PROMPT,
        "",
        bytes(32),
    )
    deadline = block_time(network, result) + network.params.tasks.commit_window
    task = network.task(1)
    assert assigned.task_id == 1
    assert assigned.agent_ids == task.agent_ids
    assert (assigned.attempt, assigned.commit_deadline) == (0, deadline)
    assert task.deadline == deadline
    assert tasks.task_count() == 1


def test_task_ids_count_up_from_one(network: Network, model: int) -> None:
    assert [network.submit(model) for _ in range(3)] == [1, 2, 3]


def test_submit_charges_the_fee_when_max_fee_is_higher(network: Network, model: int) -> None:
    token, user = network.protocol.token, network.users[0]
    before = token.balance_of(user.address)

    network.protocol.tasks.submit_prompt(user, model, PROMPT, FEE * 3)

    assert token.balance_of(user.address) == before - FEE
    assert network.task(1).escrow == FEE


def test_fee_above_max_fee_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerFeeAboveMax", fee=FEE, maxFee=FEE - 1):
        network.protocol.tasks.submit_prompt(network.users[0], model, PROMPT, FEE - 1)


def test_empty_inline_input_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerEmptyInput"):
        network.protocol.tasks.submit_prompt(network.users[0], model, b"", FEE)


def test_inline_input_above_the_limit_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerInputTooLarge", size=MAX_INLINE + 1, max=MAX_INLINE):
        network.protocol.tasks.submit_prompt(network.users[0], model, b"x" * (MAX_INLINE + 1), FEE)


def test_inline_input_at_the_limit_is_accepted(network: Network, model: int) -> None:
    tasks = network.protocol.tasks
    result = tasks.submit_prompt(network.users[0], model, b"x" * MAX_INLINE, FEE)
    (submitted,) = of_type(tasks.events(result), TaskSubmitted)
    assert submitted.input == b"x" * MAX_INLINE


def test_unknown_model_is_rejected(network: Network, model: int) -> None:
    with reverts("ModelRegistryUnknownModel", modelId=model + 1):
        network.protocol.tasks.submit_prompt(network.users[0], model + 1, PROMPT, FEE)


def test_model_id_beyond_24_bits_is_rejected_as_unknown(network: Network, model: int) -> None:
    # Task words hold 24-bit model ids: a larger id must not alias model (id mod 2^24).
    with reverts("ModelRegistryUnknownModel", modelId=2**24 + model):
        network.protocol.tasks.submit_prompt(network.users[0], 2**24 + model, PROMPT, FEE)


# ------------------------------------------------------------------------------ by reference


def test_submit_by_reference_emits_uri_and_digest(network: Network, model: int) -> None:
    tasks, user = network.protocol.tasks, network.users[0]

    result = tasks.submit_prompt_by_ref(user, model, INPUT_URI, INPUT_DIGEST, FEE)

    (submitted,) = of_type(tasks.events(result), TaskSubmitted)
    assert (submitted.input, submitted.input_uri, submitted.input_digest) == (
        b"",
        INPUT_URI,
        INPUT_DIGEST,
    )
    assert (submitted.fee, submitted.user) == (FEE, user.address)
    assert network.task(1).escrow == FEE
    assert network.supply_is_conserved()


def test_submit_by_reference_without_uri_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerEmptyInput"):
        network.protocol.tasks.submit_prompt_by_ref(network.users[0], model, "", INPUT_DIGEST, FEE)


def test_submit_by_reference_without_digest_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerEmptyInput"):
        network.protocol.tasks.submit_prompt_by_ref(
            network.users[0], model, INPUT_URI, bytes(32), FEE
        )


def test_submit_by_reference_checks_the_max_fee(network: Network, model: int) -> None:
    with reverts("TaskManagerFeeAboveMax", fee=FEE, maxFee=0):
        network.protocol.tasks.submit_prompt_by_ref(
            network.users[0], model, INPUT_URI, INPUT_DIGEST, 0
        )


# ------------------------------------------------------------------------------ permit


def test_token_domain_is_eternal_ai_version_1(network: Network) -> None:
    domain = network.protocol.token.eip712_domain()
    assert (domain.name, domain.version) == ("Eternal AI", "1")
    assert domain.chain_id == network.chain.chain_id
    assert domain.verifying_contract == network.protocol.token.address


def test_submit_with_permit_needs_no_prior_approval(network: Network, model: int) -> None:
    tasks, token, user = network.protocol.tasks, network.protocol.token, network.users[0]
    token.approve(user, tasks.address, 0)
    before, nonce = token.balance_of(user.address), token.nonces(user.address)
    max_fee = 2 * FEE
    deadline = network.chain.latest_timestamp() + 3_600
    v, r, s = _sign_permit(network, user, max_fee, deadline)

    result = tasks.submit_prompt_with_permit(user, model, PROMPT, max_fee, deadline, v, r, s)

    (submitted,) = of_type(tasks.events(result), TaskSubmitted)
    assert (submitted.fee, submitted.input) == (FEE, PROMPT)
    assert token.balance_of(user.address) == before - FEE
    assert token.nonces(user.address) == nonce + 1
    # The permit allowed max_fee; the fee was taken from it.
    assert token.allowance(user.address, tasks.address) == max_fee - FEE
    assert network.supply_is_conserved()


def test_submit_with_a_front_run_permit_still_goes_through(network: Network, model: int) -> None:
    tasks, token, user = network.protocol.tasks, network.protocol.token, network.users[0]
    token.approve(user, tasks.address, 0)
    deadline = network.chain.latest_timestamp() + 3_600
    v, r, s = _sign_permit(network, user, FEE, deadline)
    # Someone copies the permit from the mempool and uses it first.
    token.permit(network.users[1], user.address, tasks.address, FEE, deadline, v, r, s)

    tasks.submit_prompt_with_permit(user, model, PROMPT, FEE, deadline, v, r, s)

    assert network.task(1).escrow == FEE
    assert token.allowance(user.address, tasks.address) == 0


def test_submit_with_an_invalid_permit_and_no_allowance_is_rejected(
    network: Network, model: int
) -> None:
    tasks, token, user = network.protocol.tasks, network.protocol.token, network.users[0]
    token.approve(user, tasks.address, 0)
    deadline = network.chain.latest_timestamp() + 3_600
    # Signed by another account: the permit fails and nothing allows the transfer.
    v, r, s = _sign_permit(network, network.users[1], FEE, deadline)

    with reverts("ERC20InsufficientAllowance", spender=tasks.address, allowance=0, needed=FEE):
        tasks.submit_prompt_with_permit(user, model, PROMPT, FEE, deadline, v, r, s)


def test_submit_with_permit_checks_the_inline_input(network: Network, model: int) -> None:
    deadline = network.chain.latest_timestamp() + 3_600
    v, r, s = _sign_permit(network, network.users[0], FEE, deadline)
    with reverts("TaskManagerEmptyInput"):
        network.protocol.tasks.submit_prompt_with_permit(
            network.users[0], model, b"", FEE, deadline, v, r, s
        )


# ------------------------------------------------------------------------------ the draw


def test_k_distinct_agents_are_drawn_from_the_pool(network: Network) -> None:
    model = network.register_model(redundancy=3)
    staked = network.stake_agents(model, 6)
    pool_ids = {network.protocol.agents.id_of(agent.address) for agent in staked}

    for _ in range(8):
        task = network.task(network.submit(model))
        assert task.k == 3
        assert len(set(task.agent_ids)) == 3
        assert set(task.agent_ids) <= pool_ids


def test_agents_out_of_the_pool_are_never_drawn(network: Network) -> None:
    model = network.register_model(redundancy=3)
    staked = network.stake_agents(model, 4)
    network.protocol.agents.unstake(staked[0])
    leaving = network.protocol.agents.id_of(staked[0].address)

    for _ in range(5):
        assert leaving not in network.task(network.submit(model)).agent_ids


def test_fewer_pooled_agents_than_k_are_all_assigned(network: Network) -> None:
    model = network.register_model(redundancy=3)
    staked = network.stake_agents(model, 2)

    task = network.task(network.submit(model))

    assert task.k == 2
    assert set(task.agent_ids) == {network.protocol.agents.id_of(a.address) for a in staked}


def test_submit_without_pooled_agents_is_rejected(network: Network) -> None:
    model = network.register_model()
    with reverts("TaskManagerNoActiveAgents", modelId=model):
        network.protocol.tasks.submit_prompt(network.users[0], model, PROMPT, FEE)


def test_models_have_separate_pools(network: Network) -> None:
    first = network.register_model()
    second = network.register_model()
    network.stake_agents(first, 3)
    with reverts("TaskManagerNoActiveAgents", modelId=second):
        network.protocol.tasks.submit_prompt(network.users[0], second, PROMPT, 10 * EAI)
