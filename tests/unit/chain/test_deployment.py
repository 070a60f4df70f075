"""Deploying the protocol, and the deployment file nodes load to find it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eternal.chain.deployment import Deployment, DeploymentFileError
from eternal.chain.protocol import Protocol
from eternal.errors import ContractError
from tests.support.network import Network


def test_deployment_wires_every_contract(network: Network) -> None:
    p = network.protocol
    assert p.token.minter() == p.tasks.address
    assert p.agents.wiring() == (p.tasks.address, p.disputes.address)
    assert p.verifiers.wiring() == (p.tasks.address, p.disputes.address)
    assert {p.token.owner(), p.tasks.owner(), p.disputes.owner()} == {network.gov.address}


def test_deployment_file_round_trips(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "deployments" / "local.json"
    network.protocol.deployment.save(path)
    loaded = Deployment.load(path)
    assert loaded == network.protocol.deployment
    reconnected = Protocol.connect(network.chain, loaded)
    assert reconnected.tasks.task_count() == network.protocol.tasks.task_count()


def test_missing_deployment_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeploymentFileError, match="no deployment file at"):
        Deployment.load(tmp_path / "absent.json")


@pytest.mark.parametrize("content", ["not json", '{"token": "0x1"}'])
def test_malformed_deployment_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(DeploymentFileError, match="is not a deployment file"):
        Deployment.load(path)


def test_wiring_cannot_be_redone(network: Network) -> None:
    p = network.protocol
    with pytest.raises(ContractError) as failure:
        p.tasks.wire(network.gov, p.disputes.address, p.verifiers.address)
    assert failure.value.name == "TaskManagerAlreadyWired"
