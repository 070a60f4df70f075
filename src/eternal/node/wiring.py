"""The one place where a node is put together from its configuration."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount

from eternal.chain.protocol import Protocol
from eternal.config import Config, parse_eai
from eternal.node.agent import AgentNode, Behaviour
from eternal.node.errors import NodeError
from eternal.node.models import ModelHost
from eternal.node.state import NodeState
from eternal.node.verifier import VerifierBehaviour, VerifierNode
from eternal.storage.store import BlobStore


def model_host(config: Config, protocol: Protocol, store: BlobStore) -> ModelHost:
    return ModelHost(
        protocol,
        store,
        config.packages_dir,
        config.environments_dir,
        cog_urls=config.runtime.cog_urls,
        prediction_timeout=config.runtime.prediction_timeout,
        startup_timeout=config.runtime.startup_timeout,
        log_dir=config.home / "logs",
    )


def build_agent(
    config: Config,
    protocol: Protocol,
    account: LocalAccount,
    store: BlobStore,
    *,
    model_id: int | None = None,
    behaviour: Behaviour = Behaviour.HONEST,
) -> AgentNode:
    models = config.agent.models
    chosen = model_id if model_id is not None else (models[0] if len(models) == 1 else None)
    if chosen is None:
        raise NodeError("which model? pass --model or set exactly one in [agent] models")
    return AgentNode(
        protocol,
        account,
        NodeState(config.state_db("agent"), owner=account.address),
        model_host(config, protocol, store),
        store,
        model_id=chosen,
        stake=parse_eai(config.agent.stake),
        concurrency=config.agent.concurrency,
        behaviour=behaviour,
        log_range=config.chain.log_range,
    )


def build_verifier(
    config: Config,
    protocol: Protocol,
    account: LocalAccount,
    store: BlobStore,
    *,
    behaviour: VerifierBehaviour = VerifierBehaviour.HONEST,
) -> VerifierNode:
    return VerifierNode(
        protocol,
        account,
        NodeState(config.state_db("verifier"), owner=account.address),
        model_host(config, protocol, store),
        store,
        stake=parse_eai(config.verifier.stake),
        sample_rate=config.verifier.sample_rate,
        behaviour=behaviour,
        log_range=config.chain.log_range,
    )
