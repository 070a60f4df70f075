"""EAIToken: a capped ERC-20 whose supply grows only by the block rewards the task manager mints."""

from __future__ import annotations

from eternal.chain.bindings import EAIToken
from eternal.chain.bindings.eai_token import Transfer
from eternal.chain.bindings.task_manager import TaskFinalized
from eternal.chain.params import EAI
from tests.support.network import GENESIS_PER_ACCOUNT, Network
from tests.unit.contracts.staking.helpers import ZERO_ADDRESS, described, reverts

CAP = 1_000_000_000 * EAI


def _fresh_token(network: Network, cap: int, holders: dict[str, int]) -> EAIToken:
    token, _ = EAIToken.deploy(
        network.chain, network.gov, cap, list(holders), list(holders.values()), network.gov.address
    )
    return token


def test_token_identity_and_cap(network: Network) -> None:
    token = network.protocol.token
    assert (token.name(), token.symbol(), token.decimals()) == ("Eternal AI", "EAI", 18)
    assert token.cap() == CAP == network.params.token_cap
    assert token.owner() == network.gov.address
    assert token.minter() == network.protocol.tasks.address


def test_genesis_allocation_is_the_whole_initial_supply(network: Network) -> None:
    token = network.protocol.token
    accounts = network.chain.accounts
    assert token.total_supply() == len(accounts) * GENESIS_PER_ACCOUNT
    assert all(token.balance_of(a.address) == GENESIS_PER_ACCOUNT for a in accounts)
    assert network.supply_is_conserved()


def test_genesis_allocation_is_minted_to_each_holder_under_the_cap(network: Network) -> None:
    holders = {network.users[0].address: 7 * EAI, network.users[1].address: 3 * EAI}
    token = _fresh_token(network, 100 * EAI, holders)
    assert token.total_supply() == 10 * EAI
    assert [token.balance_of(h) for h in holders] == [7 * EAI, 3 * EAI]
    assert token.minter() == ZERO_ADDRESS


def test_genesis_allocation_above_the_cap_is_refused(network: Network) -> None:
    holders = {network.users[0].address: 60 * EAI, network.users[1].address: 41 * EAI}
    with reverts("ERC20ExceededCap", increasedSupply=101 * EAI, cap=100 * EAI):
        _fresh_token(network, 100 * EAI, holders)


def test_genesis_lists_of_different_lengths_are_refused(network: Network) -> None:
    with reverts("EAITokenGenesisLengthMismatch", holders=2, amounts=1):
        EAIToken.deploy(
            network.chain,
            network.gov,
            CAP,
            [network.users[0].address, network.users[1].address],
            [EAI],
            network.gov.address,
        )


def test_zero_cap_is_refused(network: Network) -> None:
    with reverts("ERC20InvalidCap", cap=0):
        _fresh_token(network, 0, {})


# ---------------------------------------------------------------------------- minting


def test_only_the_minter_mints(network: Network) -> None:
    token = network.protocol.token
    supply = token.total_supply()
    for intruder in (network.gov, network.creator, network.agents[0]):
        with reverts("EAITokenUnauthorizedMinter", caller=intruder.address):
            token.mint(intruder, intruder.address, EAI)
    assert token.total_supply() == supply


def test_minter_is_set_once(network: Network) -> None:
    token = network.protocol.token
    tasks = network.protocol.tasks.address
    with reverts("EAITokenMinterAlreadySet", minter=tasks):
        token.set_minter(network.gov, network.users[0].address)
    with reverts("OwnableUnauthorizedAccount", account=network.users[0].address):
        token.set_minter(network.users[0], network.users[0].address)
    assert token.minter() == tasks


def test_fresh_token_minter_mints_up_to_the_cap_and_no_further(network: Network) -> None:
    minter = network.users[2]
    token = _fresh_token(network, 100 * EAI, {network.users[0].address: 90 * EAI})
    with reverts("EAITokenZeroMinter"):
        token.set_minter(network.gov, ZERO_ADDRESS)
    result = token.set_minter(network.gov, minter.address)
    assert described(token.events(result)) == [("MinterSet", {"minter": minter.address})]
    with reverts("EAITokenMinterAlreadySet", minter=minter.address):
        token.set_minter(network.gov, network.gov.address)

    token.mint(minter, network.users[1].address, 10 * EAI)
    assert token.total_supply() == token.cap() == 100 * EAI
    with reverts("ERC20ExceededCap", increasedSupply=100 * EAI + 1, cap=100 * EAI):
        token.mint(minter, network.users[1].address, 1)
    assert token.balance_of(network.users[1].address) == 10 * EAI


def test_supply_grows_only_by_the_block_rewards_of_paid_tasks(network: Network) -> None:
    p = network.protocol
    genesis = p.token.total_supply()
    model = network.register_model()
    network.stake_agents(model, 3)
    tasks = []
    for _ in range(3):
        task = network.submit(model)
        network.run_to_acceptance(task)
        tasks.append(task)
    # Submitting, committing and revealing mint nothing.
    assert p.token.total_supply() == genesis
    network.pass_challenge_window()

    rewards, minted = [], []
    for task in tasks:
        result = p.tasks.finalize(network.users[0], task)
        rewards += [e.block_reward for e in p.tasks.events(result) if isinstance(e, TaskFinalized)]
        minted += [
            e.value
            for e in p.token.events(result)
            if isinstance(e, Transfer) and e.from_ == ZERO_ADDRESS
        ]
    winner = network.agent_by_id(
        network.task(tasks[0]).agent_ids[network.task(tasks[0]).winner_index]
    )
    p.tasks.claim(winner, [])

    assert rewards == minted == [network.params.tasks.initial_block_reward] * 3
    assert p.token.total_supply() - genesis == sum(rewards)
    assert p.token.total_supply() <= p.token.cap()
    assert network.supply_is_conserved()
