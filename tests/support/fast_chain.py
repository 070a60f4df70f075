"""The in-process chain made reproducible and cheap to inspect, for long randomized runs.

`deterministic_chain`: an `EmbeddedChain` whose blocks are the same on every run. eth-tester
stamps genesis with the wall clock and gives every block a fresh `os.urandom` prevrandao; our
contracts draw agents and committees from prevrandao and the previous block hash, so without
this a Hypothesis example could not be replayed (and CI runs would not be comparable).

`TokenStorage`: EAI balances and total supply read straight from the token's storage (the OZ
ERC-20 `_balances` mapping at slot 0, `_totalSupply` at slot 2), a few microseconds a read
instead of milliseconds per eth_call. `TokenStorage.verified` checks the layout against
`balanceOf`/`totalSupply` before it is trusted.

Everything here reaches into eth-tester internals (pinned versions) and is for tests only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from unittest import mock

from eth_abi.abi import encode
from eth_tester.backends.pyevm import main as pyevm
from eth_utils.address import to_canonical_address
from eth_utils.crypto import keccak

from eternal.chain.bindings.eai_token import EAIToken
from eternal.chain.embedded import EmbeddedChain

GENESIS_TIMESTAMP = 1_900_000_000  # ahead of any wall clock, so py-evm never jumps to "now"
_BALANCES_SLOT = 0
_TOTAL_SUPPLY_SLOT = 2


def deterministic_chain(
    accounts: int, *, genesis_timestamp: int = GENESIS_TIMESTAMP
) -> EmbeddedChain:
    """An EmbeddedChain with a fixed genesis time and prevrandao = keccak(parent hash)."""
    original = pyevm.PyEVMBackend._generate_genesis_params

    def fixed_time(overrides: dict[str, Any] | None = None) -> Any:
        return original(overrides={**(overrides or {}), "timestamp": genesis_timestamp})

    with mock.patch.object(
        pyevm.PyEVMBackend, "_generate_genesis_params", staticmethod(fixed_time)
    ):
        chain = EmbeddedChain(accounts=accounts)
    backend = chain.tester.backend

    def mine_blocks(num_blocks: int = 1, coinbase: Any = pyevm.ZERO_ADDRESS) -> tuple[bytes, ...]:
        # PyEVMBackend.mine_blocks with a derived (not random) mix_hash.
        hashes = []
        for _ in range(num_blocks):
            parent = backend.chain.header.parent_hash
            kwargs: dict[str, Any] = {
                "coinbase": coinbase,
                "mix_hash": keccak(b"prevrandao" + parent),
            }
            if isinstance(backend.chain.get_vm(), pyevm.PragueVM):
                pending = backend.chain.get_block().transactions
                kwargs["blob_gas_used"] = sum(pyevm.get_total_blob_gas(tx) for tx in pending)
            hashes.append(backend.chain.mine_block(**kwargs).hash)
        return tuple(hashes)

    backend.mine_blocks = mine_blocks
    return chain


class TokenStorage:
    """EAI balances read from the token contract's storage on the embedded chain."""

    def __init__(self, chain: EmbeddedChain, token: EAIToken) -> None:
        self._backend = chain.tester.backend
        self._token = to_canonical_address(token.address)
        self._slots: dict[str, int] = {}

    @classmethod
    def verified(
        cls, chain: EmbeddedChain, token: EAIToken, holders: Iterable[str]
    ) -> TokenStorage:
        reader = cls(chain, token)
        for holder in holders:
            assert reader.balance_of(holder) == token.balance_of(holder), "ERC-20 layout changed"
        assert reader.total_supply() == token.total_supply(), "ERC-20 layout changed"
        return reader

    def balance_of(self, holder: str) -> int:
        return int(self._state().get_storage(self._token, self._slot(holder)))

    def balances(self, holders: Iterable[str]) -> dict[str, int]:
        state = self._state()
        return {h: int(state.get_storage(self._token, self._slot(h))) for h in holders}

    def total_supply(self) -> int:
        return int(self._state().get_storage(self._token, _TOTAL_SUPPLY_SLOT))

    def _slot(self, holder: str) -> int:
        slot = self._slots.get(holder)
        if slot is None:
            key = encode(["address", "uint256"], [holder, _BALANCES_SLOT])
            slot = self._slots[holder] = int.from_bytes(keccak(key))
        return slot

    def _state(self) -> Any:
        # Blocks are mined as transactions arrive: the pending state is the latest block's.
        return self._backend.chain.get_vm().state
