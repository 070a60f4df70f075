"""Small moves and checks the task-lifecycle tests share (on top of tests.support.network)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
from eth_account.signers.local import LocalAccount

from eternal.chain import TxResult
from eternal.chain.bindings._runtime import ContractEvent
from eternal.chain.params import EAI
from eternal.chain.seals import new_salt, task_seal
from eternal.errors import ContractError
from tests.support.network import HONEST, Commitment, Network

E = TypeVar("E", bound=ContractEvent)

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
FEE = 10 * EAI
# Shares of FEE under the default parameters (creator 20%, winner 50%, verifier 20%, rest 10%).
CREATOR_SHARE = 2 * EAI
WINNER_SHARE = 5 * EAI
VERIFIER_SHARE = 2 * EAI
TREASURY_SHARE = 1 * EAI
BLOCK_REWARD = 10 * EAI


@contextmanager
def reverts(error: str, /, **args: Any) -> Iterator[None]:
    """The block must revert with custom error `error` carrying exactly `args` (by name)."""
    with pytest.raises(ContractError) as info:
        yield
    assert (info.value.name, dict(info.value.args)) == (error, args)


def of_type(events: Iterable[ContractEvent], kind: type[E]) -> list[E]:
    return [event for event in events if isinstance(event, kind)]


def block_time(network: Network, result: TxResult) -> int:
    """`block.timestamp` of the block that mined `result`."""
    return int(network.chain.w3.eth.get_block(result.block_number)["timestamp"])


def set_task_params(network: Network, **changes: Any) -> None:
    """Governance changes some task parameters, keeping the others (time windows excepted:
    the Network helpers that pass windows read the deployed ProtocolParams)."""
    tasks = network.protocol.tasks
    tasks.set_params(network.gov, dataclasses.replace(tasks.params(), **changes))


def commit(
    network: Network,
    task_id: int,
    *indexes: int,
    digests: Sequence[bytes] | None = None,
    assigned: Sequence[LocalAccount] | None = None,
) -> list[Commitment]:
    """The agents at `indexes` (every index, in order, when none is given) commit, in that
    order, to `digests[index]` (HONEST by default). Like `Network.commit`, but the assignment is
    looked up once (or given): views are most of the time a task takes on the embedded chain."""
    assigned = assigned or network.assigned(task_id)
    order = indexes or tuple(range(len(assigned)))
    made = []
    for index in order:
        agent, digest, salt = assigned[index], digests[index] if digests else HONEST, new_salt()
        seal = task_seal(task_id, agent.address, digest, salt)
        network.protocol.tasks.commit(agent, task_id, index, seal)
        made.append(Commitment(index=index, agent=agent, digest=digest, salt=salt))
    return made


def accept(network: Network, model_id: int, *, winner: LocalAccount | None = None) -> int:
    """Submits a prompt and has every assigned agent commit and reveal the same digest, `winner`
    (when given, it must be assigned) committing first. Returns the accepted task's id."""
    task_id = network.submit(model_id)
    assigned = network.assigned(task_id)
    first = assigned.index(winner) if winner is not None else 0
    order = [first] + [index for index in range(len(assigned)) if index != first]
    network.reveal_all(task_id, commit(network, task_id, *order, assigned=assigned))
    return task_id
