"""Deploying the whole protocol with a parameter set, and remembering where it lives.

Seven contracts, deployed in dependency order and then wired once (each `wire`/`setMinter`
can be called a single time, so a deployment cannot be rewired later):

    EAIToken -> Treasury -> ModelRegistry -> AgentStaking -> VerifierRegistry
             -> TaskManager -> DisputeManager

The governance account owns every contract. `Deployment` is what nodes, the CLI and tests
load to find the contracts; it round-trips through JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount

from eternal.chain.backend import ChainBackend
from eternal.chain.contracts import contract_at, deploy
from eternal.chain.params import ProtocolParams, as_struct
from eternal.chain.transactions import send
from eternal.errors import EternalError


class DeploymentFileError(EternalError):
    """A deployment file is missing or does not describe a deployment."""


@dataclass(frozen=True)
class Deployment:
    """Addresses of one deployment of the protocol, and the chain it is on."""

    chain_id: int
    governance: str
    token: str
    treasury: str
    registry: str
    agents: str
    verifiers: str
    tasks: str
    disputes: str
    block_number: int
    gas_used: int

    def contract_addresses(self) -> dict[str, str]:
        """Contract name -> address, for registering errors and following logs."""
        return {
            "EAIToken": self.token,
            "Treasury": self.treasury,
            "ModelRegistry": self.registry,
            "AgentStaking": self.agents,
            "VerifierRegistry": self.verifiers,
            "TaskManager": self.tasks,
            "DisputeManager": self.disputes,
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path) -> Deployment:
        try:
            payload: Any = json.loads(path.read_text())
            return cls(**payload)
        except FileNotFoundError as exc:
            raise DeploymentFileError(f"no deployment file at {path}") from exc
        except (json.JSONDecodeError, TypeError) as exc:
            raise DeploymentFileError(f"{path} is not a deployment file: {exc}") from exc


def deploy_system(
    backend: ChainBackend,
    governance: LocalAccount,
    params: ProtocolParams | None = None,
    genesis: Mapping[str, int] | None = None,
) -> Deployment:
    """Deploy and wire every contract; `genesis` is the token's one-off allocation."""
    params = params or ProtocolParams()
    genesis = dict(genesis or {})
    gov = governance.address
    gas = 0

    def _deploy(name: str, *args: Any) -> str:
        nonlocal gas
        address, result = deploy(backend, governance, name, *args)
        gas += result.gas_used
        return address

    first_block = backend.block_number() + 1
    token = _deploy("EAIToken", params.token_cap, list(genesis), list(genesis.values()), gov)
    treasury = _deploy("Treasury", token, gov)
    registry = _deploy("ModelRegistry", gov, params.stake_floor)
    agents = _deploy("AgentStaking", token, registry, treasury, gov, as_struct(params.agents))
    verifiers = _deploy(
        "VerifierRegistry", token, treasury, gov, params.epoch_length, as_struct(params.verifiers)
    )
    tasks = _deploy("TaskManager", token, registry, agents, treasury, gov, as_struct(params.tasks))
    disputes = _deploy(
        "DisputeManager",
        token,
        tasks,
        agents,
        verifiers,
        treasury,
        gov,
        as_struct(params.disputes),
    )

    wiring = [
        (contract_at(backend, "EAIToken", token).functions.setMinter(tasks)),
        (contract_at(backend, "AgentStaking", agents).functions.wire(tasks, disputes)),
        (contract_at(backend, "VerifierRegistry", verifiers).functions.wire(tasks, disputes)),
        (contract_at(backend, "TaskManager", tasks).functions.wire(disputes, verifiers)),
    ]
    for fn in wiring:
        gas += send(backend, governance, fn).gas_used

    return Deployment(
        chain_id=backend.chain_id,
        governance=gov,
        token=token,
        treasury=treasury,
        registry=registry,
        agents=agents,
        verifiers=verifiers,
        tasks=tasks,
        disputes=disputes,
        block_number=first_block,
        gas_used=gas,
    )
