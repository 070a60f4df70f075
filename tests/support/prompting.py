"""Models published with real metadata, and agents played by hand, for SDK and CLI tests.

`publish(network, store, metadata)` stores the metadata's canonical JSON, registers the model
with it as metadata URI and stakes agents for it. `answer(network, store, task_id, outputs)`
plays the assigned agents with the contracts: each stores its output, commits to its SHA-256
and reveals it with its URI, as an agent daemon would.
"""

from __future__ import annotations

from collections.abc import Sequence

from eth_utils import keccak

from eternal.chain.bindings.model_registry import ModelTerms, VerificationMode
from eternal.chain.params import EAI
from eternal.models.metadata import ModelMetadata
from eternal.storage.cid import sha256, uri_of
from eternal.storage.store import BlobStore
from tests.support.network import Commitment, Network

ECHO = ModelMetadata.from_mapping(
    {
        "name": "echo",
        "modality": "text",
        "inputs": {
            "prompt": {"type": "string", "required": True, "max_length": 20_000},
            "times": {"type": "integer", "default": 1, "minimum": 1, "maximum": 5},
            "shout": {"type": "boolean", "default": False},
        },
        "output": {"kind": "text"},
    }
)
DESCRIBE_FILE = ModelMetadata.from_mapping(
    {
        "name": "describe",
        "modality": "data",
        "inputs": {"data": {"type": "file", "required": True}, "label": {"type": "string"}},
        "output": {"kind": "json"},
    }
)
FEE = 10 * EAI


def publish(
    network: Network,
    store: BlobStore,
    metadata: ModelMetadata,
    *,
    fee: int = FEE,
    redundancy: int = 3,
    agents: int = 3,
) -> int:
    """Register a model whose metadata lives in `store`, with `agents` agents staked for it
    (the first of the network's agents that never staked)."""
    uri = uri_of(store.put(metadata.to_canonical_json()))
    terms = ModelTerms(
        fee=fee, min_agent_stake=100 * EAI, redundancy=redundancy, mode=VerificationMode.EXACT
    )
    network.protocol.registry.register_model(
        network.creator, keccak(text=metadata.name), uri, terms
    )
    model_id = network.protocol.registry.model_count()
    staking = network.protocol.agents
    free = [agent for agent in network.agents if staking.id_of(agent.address) == 0]
    if len(free) < agents:
        raise ValueError(f"{agents} agents wanted, only {len(free)} never staked")
    for agent in free[:agents]:
        staking.stake(agent, model_id, 100 * EAI)
    return model_id


def answer(
    network: Network,
    store: BlobStore,
    task_id: int,
    outputs: Sequence[bytes],
    *,
    reveal: bool = True,
) -> list[Commitment]:
    """Agent i stores `outputs[i]`, commits to its digest, then (all of them) reveal."""
    commitments = [network.commit(task_id, i, sha256(data)) for i, data in enumerate(outputs)]
    if reveal:
        for commitment, data in zip(commitments, outputs, strict=True):
            network.reveal(task_id, commitment, uri_of(store.put(data)))
    return commitments
