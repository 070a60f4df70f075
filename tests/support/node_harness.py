"""Agents and verifiers inside the test process, on the in-process chain, with the model
runtime replaced by a function of the input (Cog itself is covered by tests/integration).

Ticks are driven by the test: `run_until(nodes, predicate)`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount

from eternal.chain.params import EAI
from eternal.models.metadata import ModelMetadata
from eternal.node.agent import AgentNode, Behaviour
from eternal.node.models import Computation, ModelHost
from eternal.node.state import NodeState
from eternal.node.verifier import VerifierBehaviour, VerifierNode
from eternal.storage.local import LocalStore
from tests.support.network import Network

EXACT_TEXT = ModelMetadata.from_mapping(
    {
        "name": "echo",
        "modality": "text",
        "inputs": {"prompt": {"type": "string"}},
        "output": {"kind": "text"},
    }
)


class ScriptedModels(ModelHost):
    """A ModelHost whose model is `answer(raw_input)`: no package, no Cog server."""

    def __init__(
        self,
        net: Network,
        store: LocalStore,
        root: Path,
        metadata: ModelMetadata = EXACT_TEXT,
        answer: Callable[[bytes], bytes] = lambda raw: b"echo:" + raw,
    ) -> None:
        super().__init__(net.protocol, store, root / "packages", root / "envs")
        self._fixed = metadata
        self._answer = answer
        self.computed: list[int] = []

    def metadata(self, model_id: int) -> ModelMetadata:
        return self._fixed

    def warm(self, model_id: int) -> Any:
        return None

    def compute(self, model_id: int, task_id: int, raw_input: bytes) -> Computation:
        self.computed.append(task_id)
        data = self._answer(raw_input)
        return Computation(data, hashlib.sha256(data).digest())


def make_agent(
    net: Network,
    root: Path,
    account: LocalAccount,
    model_id: int,
    behaviour: Behaviour = Behaviour.HONEST,
    models: ScriptedModels | None = None,
) -> AgentNode:
    store = LocalStore(root / "blobs")
    state = NodeState(root / f"agent-{account.address}.db", owner=account.address)
    return AgentNode(
        net.protocol,
        account,
        state,
        models or ScriptedModels(net, store, root),
        store,
        model_id=model_id,
        stake=100 * EAI,
        concurrency=1,
        behaviour=behaviour,
    )


def make_verifier(
    net: Network,
    root: Path,
    account: LocalAccount,
    behaviour: VerifierBehaviour = VerifierBehaviour.HONEST,
    models: ScriptedModels | None = None,
) -> VerifierNode:
    store = LocalStore(root / "blobs")
    state = NodeState(root / f"verifier-{account.address}.db", owner=account.address)
    return VerifierNode(
        net.protocol,
        account,
        state,
        models or ScriptedModels(net, store, root),
        store,
        stake=net.params.verifiers.min_stake,
        behaviour=behaviour,
    )


def run_until(
    nodes: Sequence[AgentNode | VerifierNode], done: Callable[[], bool], *, ticks: int = 60
) -> None:
    for _ in range(ticks):
        for node in nodes:
            node.tick()
        if done():
            return
        time.sleep(0.02)  # computations run in the nodes' thread pools
    raise AssertionError(f"not done after {ticks} ticks")
