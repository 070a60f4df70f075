"""What the agent and the verifier share: identity, clock, log following, guarded sends."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from eth_account.signers.local import LocalAccount

from eternal.chain.bindings import ContractEvent
from eternal.chain.connect import is_local_chain
from eternal.chain.protocol import Protocol
from eternal.chain.transactions import TxResult
from eternal.errors import ContractError
from eternal.node.errors import NodeError
from eternal.node.follower import LogFollower
from eternal.node.metrics import NodeMetrics
from eternal.node.models import ModelHost
from eternal.node.state import NodeState
from eternal.storage.store import BlobStore

MAX_ALLOWANCE = 2**256 - 1


class NodeBase:
    name = "node"

    def __init__(
        self,
        protocol: Protocol,
        account: LocalAccount,
        state: NodeState,
        models: ModelHost,
        store: BlobStore,
        *,
        stake: int,
        concurrency: int,
        metrics: NodeMetrics | None = None,
        log_range: int = 2_000,
    ) -> None:
        self.protocol = protocol
        self.account = account
        self.state = state
        self.models = models
        self.store = store
        self.stake_amount = stake
        self.metrics = metrics or NodeMetrics(self.name)
        # Model runs happen here, chain steps in the loop: a slow model never blocks a reveal.
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=self.name)
        self.log = logging.getLogger(f"eternal.{self.name}.{account.address[:10]}")
        self._on_dev_chain = protocol.backend.calls_at_latest_time and is_local_chain(
            protocol.backend
        )
        p = protocol
        self.follower = LogFollower(
            p,
            state,
            (p.tasks, p.disputes, p.agents, p.verifiers),
            name=self.name,
            log_range=log_range,
        )

    def cleanup(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    @property
    def address(self) -> str:
        return str(self.account.address)

    def now(self) -> int:
        """Chain time: the latest block's timestamp, which the next transaction will not precede.

        A local dev chain (anvil, automining) makes blocks only for transactions, so while idle
        its clock stalls and a due call would be estimated in the past and revert. There, once
        the wall clock is ahead, mine an empty block first, as a live chain would have by then.
        """
        backend = self.protocol.backend
        latest = backend.latest_timestamp()
        if self._on_dev_chain and time.time() > latest + 1:
            backend.mine()
            latest = backend.latest_timestamp()
        return latest

    def follow(self, handle: Callable[[ContractEvent], None]) -> None:
        """Hand every new event to `handle`, moving the cursor after each handled range."""
        while (batch := self.follower.poll()) is not None:
            for event in batch.events:
                handle(event)
            self.follower.advance(batch)

    def send(
        self, function: str, action: Callable[[], TxResult], *, tolerate: Iterable[str] = ()
    ) -> TxResult | ContractError:
        """Send a transaction; a revert named in `tolerate` is returned instead of raised
        (it means another node, or our previous life, already did it or it is too late)."""
        try:
            result = action()
        except ContractError as exc:
            if exc.name in set(tolerate):
                self.log.info("%s: %s", function, exc)
                return exc
            self.metrics.errors.labels(kind=exc.name).inc()
            raise
        self.metrics.transactions.labels(function=function).inc()
        return result

    def ensure_allowance(self, spender: str, needed: int) -> None:
        token = self.protocol.token
        if token.allowance(self.address, spender) < needed:
            self.send("approve", lambda: token.approve(self.account, spender, MAX_ALLOWANCE))

    def require_balance(self, needed: int, purpose: str) -> None:
        balance = self.protocol.token.balance_of(self.address)
        if balance < needed:
            raise NodeError(
                f"{self.address} holds {balance / 1e18:g} EAI, {needed / 1e18:g} needed {purpose}"
            )
