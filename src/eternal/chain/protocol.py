"""One handle on a deployed protocol: the seven bound contracts and what spans them.

Nodes, the SDK, the CLI and the tests all start here:

    protocol = Protocol.deploy(backend, governance, ProtocolParams.dev(), genesis)
    protocol = Protocol.connect(backend, Deployment.load(path))

Each contract is a generated binding (`eternal.chain.bindings`): typed methods, structs, enums
and event dataclasses. What needs several contracts at once lives here: decoding every event of
a transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount

from eternal.chain.backend import ChainBackend
from eternal.chain.bindings import (
    AgentStaking,
    ContractEvent,
    DisputeManager,
    EAIToken,
    ModelRegistry,
    TaskManager,
    Treasury,
    VerifierRegistry,
)
from eternal.chain.bindings._runtime import ContractBinding
from eternal.chain.deployment import Deployment, deploy_system
from eternal.chain.params import ProtocolParams
from eternal.chain.transactions import TxResult


@dataclass(frozen=True)
class Protocol:
    backend: ChainBackend
    deployment: Deployment
    token: EAIToken
    treasury: Treasury
    registry: ModelRegistry
    agents: AgentStaking
    verifiers: VerifierRegistry
    tasks: TaskManager
    disputes: DisputeManager

    @classmethod
    def connect(cls, backend: ChainBackend, deployment: Deployment) -> Protocol:
        """Bind to an existing deployment (its reverts decode by name from then on)."""
        d = deployment
        return cls(
            backend=backend,
            deployment=d,
            token=EAIToken(backend, d.token),
            treasury=Treasury(backend, d.treasury),
            registry=ModelRegistry(backend, d.registry),
            agents=AgentStaking(backend, d.agents),
            verifiers=VerifierRegistry(backend, d.verifiers),
            tasks=TaskManager(backend, d.tasks),
            disputes=DisputeManager(backend, d.disputes),
        )

    @classmethod
    def deploy(
        cls,
        backend: ChainBackend,
        governance: LocalAccount,
        params: ProtocolParams | None = None,
        genesis: Mapping[str, int] | None = None,
    ) -> Protocol:
        """Deploy and wire a new protocol, then bind to it."""
        return cls.connect(backend, deploy_system(backend, governance, params, genesis))

    def contracts(self) -> tuple[ContractBinding[ContractEvent], ...]:
        return (
            self.token,
            self.treasury,
            self.registry,
            self.agents,
            self.verifiers,
            self.tasks,
            self.disputes,
        )

    def events(self, result: TxResult) -> tuple[ContractEvent, ...]:
        """Every event our contracts emitted in a transaction, in log order."""
        found: list[ContractEvent] = []
        for contract in self.contracts():
            found.extend(contract.events(result))
        return tuple(sorted(found, key=lambda event: event.log_index))
