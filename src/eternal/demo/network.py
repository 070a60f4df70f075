"""A whole network on this machine: a local chain, the contracts, a blob directory, the models
published, and agents and verifiers as OS processes. The demo and the devnet are built on it.

    network = LocalNetwork.create(root, cast, params)      # chain + deployment
    network.publish(examples / "bach-chorale")              # store + register (as the creator)
    network.start_nodes(network.node_settings())            # every actor of the cast that runs
    network.wait_for("every node", network.pools_full, 240)  # fails fast when a node dies
    network.stop()                                         # every process, descendants too

Layout under `root`: deployment.json, blobs/ (shared), nodes/<label>/ (one home per node),
tmp/ (every node's and model's TMPDIR), chain.log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from eternal.chain.params import EAI, ProtocolParams
from eternal.chain.protocol import Protocol
from eternal.demo.cast import Actor, Cast, Role
from eternal.demo.errors import DemoTimeout, NodeExited
from eternal.demo.explorer import ExplorerProcess, start_explorer
from eternal.demo.local_chain import ChainKind, LocalChain
from eternal.demo.nodes import Node, NodeSettings, prepare_node, slug, write_home
from eternal.demo.processes import ProcessRecord, sweep
from eternal.models.metadata import ModelMetadata
from eternal.sdk.models import PublishedModel, publish_model
from eternal.storage.local import LocalStore

T = TypeVar("T")

# Genesis EAI per role: enough for stakes, challenge bonds and the prompts' fees.
GENESIS = {
    Role.GOVERNANCE: 0,
    Role.CREATOR: 0,
    Role.USER: 1_000 * EAI,
    Role.AGENT: 1_000 * EAI,
    Role.VERIFIER: 5_000 * EAI,
}
DEFAULT_FEE = 10 * EAI
_POLL = 0.25


@dataclass(frozen=True)
class Model:
    """A published example model."""

    name: str
    directory: Path
    metadata: ModelMetadata
    published: PublishedModel

    @property
    def model_id(self) -> int:
        return self.published.model_id


class LocalNetwork:
    def __init__(
        self, root: Path, chain: LocalChain, protocol: Protocol, cast: Cast, params: ProtocolParams
    ) -> None:
        self.root = root
        self.chain = chain
        self.protocol = protocol
        self.cast = cast
        self.params = params
        self.store = LocalStore(root / "blobs")
        self.models: dict[str, Model] = {}
        self.nodes: list[Node] = []
        self.explorer: ExplorerProcess | None = None

    @classmethod
    def create(
        cls,
        root: Path,
        cast: Cast,
        params: ProtocolParams,
        *,
        chain_kind: ChainKind = ChainKind.AUTO,
        tied: bool = True,
    ) -> LocalNetwork:
        """Start the chain and deploy the protocol with each actor's genesis EAI.

        The cast's accounts must be the chain's first dev accounts (`dev_accounts(n)`).
        """
        root.mkdir(parents=True, exist_ok=True)
        chain = LocalChain.start(root, len(cast.actors), kind=chain_kind, tied=tied)
        try:
            genesis = {a.address: GENESIS[a.role] for a in cast.actors if GENESIS[a.role] > 0}
            protocol = Protocol.deploy(chain.backend(), cast.gov.account, params, genesis)
            protocol.deployment.save(root / "deployment.json")
        except BaseException:
            chain.stop()
            raise
        return cls(root, chain, protocol, cast, params)

    @property
    def deployment_path(self) -> Path:
        return self.root / "deployment.json"

    def node_settings(self) -> NodeSettings:
        """Settings that point nodes at this network (change the rest with dataclasses.replace)."""
        return NodeSettings(
            rpc_url=self.chain.url,
            deployment=self.deployment_path,
            blobs_dir=self.root / "blobs",
            network_root=self.root,
            # The embedded chain answers one request at a time, slowly: poll it less often.
            poll_interval=1.0 if self.chain.kind is ChainKind.ANVIL else 2.5,
        )

    def publish(self, directory: Path, *, fee: int = DEFAULT_FEE) -> Model:
        """Store and register the package in `directory` as the cast's creator."""
        published = publish_model(
            self.protocol, self.cast.creator.account, self.store, directory, fee=fee
        )
        metadata = ModelMetadata.from_json(self.store.get(published.metadata_uri))
        model = Model(directory.name, directory, metadata, published)
        self.models[model.name] = model
        return model

    def start_nodes(self, settings: NodeSettings, *, tied: bool = True) -> list[Node]:
        """Start every agent (on its model, which must be published) and every verifier."""
        homes = self.root / "nodes"
        started: list[Node] = []
        for actor in self.cast.nodes():
            model_id = self.models[actor.model].model_id if actor.model is not None else None
            node = prepare_node(homes, actor, model_id, settings, tied=tied)
            node.process.start()
            self.nodes.append(node)
            started.append(node)
        return started

    def client_config(self, actor: Actor) -> Path:
        """A data dir for `actor` (keystore and config.toml) to use the network with the CLI or
        the SDK; returns its config's path."""
        return write_home(self.root / slug(actor.label), actor, None, self.node_settings())

    def start_explorer(
        self, *, port: int | None = None, tied: bool = True, timeout: float = 120.0
    ) -> ExplorerProcess:
        """Serve the web explorer of this network (it reads as the cast's user)."""
        config = self.client_config(self.cast.user)
        self.explorer = start_explorer(self.root, config, port=port, tied=tied, timeout=timeout)
        return self.explorer

    def check_nodes(self) -> None:
        """NodeExited if a node process has ended (nodes run until they are stopped)."""
        for node in self.nodes:
            if node.process.process is not None and not node.process.running:
                raise NodeExited(node.name, node.process.exit_code, node.process.log_tail())

    def wait_for(self, what: str, probe: Callable[[], T | None], timeout: float) -> T:
        """Poll `probe` until it returns something truthy, watching that every node still runs."""
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            self.check_nodes()
            if time.monotonic() >= deadline:
                raise DemoTimeout(what, timeout, self._recent_logs())
            time.sleep(_POLL)

    def pools_full(self) -> bool:
        """Whether every agent has joined its model's pool and every verifier the network's."""
        agents = self.protocol.agents
        for name, model in self.models.items():
            if agents.pool_size(model.model_id) < len(self.cast.agents_of(name)):
                return False
        return self.protocol.verifiers.pool_size() >= len(self.cast.of_role(Role.VERIFIER))

    def advance_time(self, seconds: int) -> None:
        """Move the chain's clock forward (evm_increaseTime) and mine a block carrying it."""
        self.protocol.backend.increase_time(seconds)

    def stop_nodes(self) -> list[ProcessRecord]:
        """Stop every node (SIGTERM, then SIGKILL) with whatever it started."""
        if not self.nodes:
            return []
        # In parallel: each node takes a moment to stop its Cog servers.
        with ThreadPoolExecutor(max_workers=len(self.nodes)) as pool:
            families = list(pool.map(lambda node: node.process.stop(), self.nodes))
        return [record for family in families for record in family]

    def stop(self) -> list[ProcessRecord]:
        """Stop the nodes, the chain, and any process still marked as this network's (a Cog
        server a node was launching as it stopped); returns every process that was stopped."""
        stopped = self.stop_nodes()
        if self.explorer is not None:
            stopped += self.explorer.process.stop()
        self.protocol.backend.close()
        return stopped + self.chain.process.stop() + sweep(self.root)

    def _recent_logs(self) -> str:
        return "\n".join(
            f"--- {node.name} ({node.process.log_path})\n{node.process.log_tail(1200)}"
            for node in self.nodes
        )
