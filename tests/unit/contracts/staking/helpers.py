"""Small moves and checks shared by the staking tests (agent staking and verifier registry)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount

from eternal.chain.bindings.task_manager import TaskFinalized
from eternal.chain.transactions import TxResult
from eternal.errors import ContractError
from tests.support.network import HONEST, Network

BPS = 10_000
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


@contextmanager
def reverts(error: str, /, **args: Any) -> Iterator[None]:
    """The block must revert with the custom error `error` carrying exactly `args`."""
    with pytest.raises(ContractError) as raised:
        yield
    got = (raised.value.name, dict(raised.value.args))
    assert got == (error, args), f"reverted with {got}, expected {(error, args)}"


_WHERE = frozenset({"tx_hash", "block_number", "log_index", "address"})


def described(events: Iterable[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Events as (name, fields) without where they were logged: easy to compare exactly."""
    return [
        (
            type(event).__name__,
            {f.name: getattr(event, f.name) for f in fields(event) if f.name not in _WHERE},
        )
        for event in events
    ]


def pool_members(network: Network, model: int) -> list[int]:
    """The ids in `model`'s pool, sorted (a draw of MAX_DRAW takes them all when <= 10)."""
    agents = network.protocol.agents
    size = agents.pool_size(model)
    assert size <= agents.max_draw()
    packed, count = agents.draw_agents(model, agents.max_draw(), 0)
    assert count == size
    return sorted(unpack_ids(packed, count))


def unpack_ids(packed: int, count: int) -> list[int]:
    """The agent ids `drawAgents` packs 24 bits each from the low end."""
    return [(packed >> (24 * i)) & 0xFFFFFF for i in range(count)]


def now(network: Network) -> int:
    return network.chain.latest_timestamp()


# ---------------------------------------------------------------------------- accounts


def spares(network: Network) -> list[LocalAccount]:
    """The funded accounts past the network's roles: EAI, but no role and no approvals."""
    used = 2 + len(network.users) + len(network.agents) + len(network.verifiers)
    return list(network.chain.accounts[used:])


def spare(network: Network, index: int = 0) -> LocalAccount:
    """A funded account with EAI that has no role and approved nothing (the chain has a few
    more accounts than the network's roles use)."""
    return spares(network)[index]


# ---------------------------------------------------------------------------- solvency


# Only agents, verifiers and the spare accounts ever stake in these tests. A stake booked to
# anyone else would still show: the contract would hold more than these stakes add up to.


def agent_stakes(network: Network, extra: Iterable[str] = ()) -> int:
    agents = network.protocol.agents
    stakers = [a.address for a in [*network.agents, *spares(network)]] + list(extra)
    return sum(agents.agent_info(a).stake for a in stakers)


def verifier_stakes(network: Network, extra: Iterable[str] = ()) -> int:
    verifiers = network.protocol.verifiers
    stakers = [a.address for a in [*network.verifiers, *spares(network)]] + list(extra)
    return sum(verifiers.verifier_info(a).stake for a in stakers)


def assert_agent_staking_solvent(network: Network, extra: Iterable[str] = ()) -> None:
    """AgentStaking holds exactly the stakes of its agents: not a wei more or less."""
    p = network.protocol
    assert p.token.balance_of(p.agents.address) == agent_stakes(network, extra)


def assert_verifier_registry_solvent(
    network: Network, unclaimed_fees: int = 0, extra: Iterable[str] = ()
) -> None:
    """VerifierRegistry holds the verifiers' stakes plus the epoch fees not yet paid out (the
    fees a test knows of: then the balance is exact)."""
    p = network.protocol
    assert (
        p.token.balance_of(p.verifiers.address) == verifier_stakes(network, extra) + unclaimed_fees
    )


# ---------------------------------------------------------------------------- epochs

_DEPLOY_TIMES: dict[tuple[int, str], int] = {}


def verifier_registry_start(network: Network) -> int:
    """The timestamp epoch 0 starts at: the block that deployed the verifier registry."""
    registry = network.protocol.verifiers.address
    key = (id(network.chain), registry)
    if key not in _DEPLOY_TIMES:
        w3 = network.chain.w3
        first = network.protocol.deployment.block_number
        for number in range(first, first + 50):
            block = w3.eth.get_block(number)
            for tx_hash in block["transactions"]:
                receipt = w3.eth.get_transaction_receipt(tx_hash)
                if receipt.get("contractAddress") == registry:
                    _DEPLOY_TIMES[key] = int(block["timestamp"])
                    break
            if key in _DEPLOY_TIMES:
                break
        else:
            raise AssertionError("the verifier registry's deployment block was not found")
    return _DEPLOY_TIMES[key]


def advance_to_epoch_start(network: Network, epochs: int = 1) -> int:
    """Moves time to the first second of the epoch `epochs` after the current one (so a test has
    a whole epoch before the next boundary); returns that epoch's number."""
    verifiers = network.protocol.verifiers
    length = verifiers.epoch_length()
    start = verifier_registry_start(network)
    target_epoch = (now(network) - start) // length + epochs
    network.advance(start + target_epoch * length - now(network))
    assert verifiers.current_epoch() == target_epoch
    return target_epoch


# ---------------------------------------------------------------------------- tasks


def pay_out_task(
    network: Network, model: int, *, user: LocalAccount | None = None
) -> TaskFinalized:
    """Submits a prompt, has every assigned agent commit and reveal the same digest, waits out the
    challenge window and finalizes: returns the payout event."""
    task = network.submit(model, user=user)
    network.run_to_acceptance(task)
    network.pass_challenge_window()
    result = network.protocol.tasks.finalize(network.users[0], task)
    (finalized,) = [
        e for e in network.protocol.tasks.events(result) if isinstance(e, TaskFinalized)
    ]
    return finalized


def run_task_without(network: Network, task: int, absent: Sequence[LocalAccount]) -> TxResult:
    """Every assigned agent but `absent` commits the honest digest; the commit window closes;
    they reveal. The last reveal resolves the task and penalizes the absent. Returns it."""
    missing = {a.address for a in absent}
    commitments = [
        network.commit(task, index, HONEST)
        for index, agent in enumerate(network.assigned(task))
        if agent.address not in missing
    ]
    assert commitments, "someone must commit for the reveal to resolve the task"
    network.pass_commit_window()
    results = network.reveal_all(task, commitments)
    return results[-1]
