"""Where the EAI is: each actor's holdings, and the check that every unit is accounted for.

`holdings` reads, for each actor, what is in its wallet, what it has staked, and what the
contracts owe it but it has not claimed yet (task rewards, dispute credits, epoch rewards, model
income). `check_supply` adds up the balance of every address that ever received EAI (every
`Transfer` recipient since the deployment, the contracts included) and compares the sum with
`totalSupply`, all read at one block: it refuses a chain that moved while it read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from eternal.chain.bindings import ContractEvent
from eternal.chain.bindings._runtime import ContractBinding
from eternal.chain.bindings.eai_token import Transfer
from eternal.chain.protocol import Protocol
from eternal.demo.cast import Actor, Role
from eternal.demo.errors import DemoError

E = TypeVar("E", bound=ContractEvent)
LOG_RANGE = 2_000  # blocks per eth_getLogs request
_ZERO = "0x0000000000000000000000000000000000000000"


@dataclass(frozen=True)
class Holding:
    """An actor's EAI at one moment, in wei."""

    wallet: int
    staked: int
    owed: int  # credited by the contracts, not claimed yet

    @property
    def total(self) -> int:
        return self.wallet + self.staked + self.owed


@dataclass(frozen=True)
class SupplyCheck:
    """Every holder's balance against the total supply, at `block`."""

    block: int
    total_supply: int
    held: int
    holders: int
    contracts: Mapping[str, int]  # contract name -> its balance

    @property
    def ok(self) -> bool:
        return self.held == self.total_supply


def holdings(
    protocol: Protocol, actors: Iterable[Actor], model_ids: Sequence[int]
) -> dict[str, Holding]:
    """Each actor's holding, by address."""
    p = protocol
    epochs = range(p.verifiers.current_epoch() + 1)
    found: dict[str, Holding] = {}
    for actor in actors:
        address = actor.address
        staked = 0
        owed = p.tasks.claimable(address) + p.disputes.claimable(address)
        if actor.role is Role.AGENT:
            staked = p.agents.agent_info(address).stake
        elif actor.role is Role.VERIFIER:
            staked = p.verifiers.verifier_info(address).stake
            owed += sum(p.verifiers.pending_reward(epoch, address) for epoch in epochs)
        owed += sum(
            p.tasks.model_income(model_id)
            for model_id in model_ids
            if p.registry.owner_of(model_id) == address
        )
        found[address] = Holding(p.token.balance_of(address), staked, owed)
    return found


def check_supply(protocol: Protocol) -> SupplyCheck:
    """Sum of every holder's balance vs totalSupply at the current block (see the module doc)."""
    p = protocol
    block = p.backend.block_number()
    contracts = p.deployment.contract_addresses()
    holders = {t.to for t in logs(p.token, Transfer, p.deployment.block_number, block)}
    holders |= set(contracts.values())
    holders.discard(_ZERO)
    balances = {address: p.token.balance_of(address) for address in holders}
    total = p.token.total_supply()
    if p.backend.block_number() != block:
        raise DemoError(
            f"the chain moved past block {block} while its balances were read: stop every "
            "process that sends transactions before checking the supply"
        )
    return SupplyCheck(
        block=block,
        total_supply=total,
        held=sum(balances.values()),
        holders=len(holders),
        contracts={name: balances[address] for name, address in contracts.items()},
    )


def logs(
    contract: ContractBinding[ContractEvent], event: type[E], from_block: int, to_block: int
) -> list[E]:
    """Every `event` of `contract` in blocks `from_block`..`to_block`, in chain order."""
    return [
        e for start, end in _ranges(from_block, to_block) for e in contract.logs(start, end, event)
    ]


def events(
    contract: ContractBinding[ContractEvent], from_block: int, to_block: int
) -> list[ContractEvent]:
    """Every event of `contract` in blocks `from_block`..`to_block`, in chain order."""
    return [e for start, end in _ranges(from_block, to_block) for e in contract.logs(start, end)]


def _ranges(from_block: int, to_block: int) -> Iterator[tuple[int, int]]:
    """`from_block`..`to_block` in spans a node serves in one eth_getLogs request."""
    start = from_block
    while start <= to_block:
        end = min(to_block, start + LOG_RANGE - 1)
        yield start, end
        start = end + 1
