"""connect / bind / is_local_chain: reaching a deployment and telling dev chains apart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from eternal.chain.connect import ChainMismatch, bind, connect, is_local_chain
from eternal.chain.deployment import DeploymentFileError
from eternal.chain.embedded import EmbeddedChain
from eternal.chain.rpc import RpcChain
from tests.support.network import Network
from tests.support.remote_node import remote_node


def test_bind_gives_the_deployment_s_contracts(network: Network) -> None:
    protocol = bind(network.chain, network.protocol.deployment)

    assert protocol.token.address == network.protocol.token.address
    assert protocol.registry.model_count() == 0


def test_a_deployment_for_another_chain_is_refused(network: Network) -> None:
    elsewhere = replace(network.protocol.deployment, chain_id=1)

    with pytest.raises(ChainMismatch, match="for chain id 1, but the node runs chain id 13127"):
        bind(network.chain, elsewhere, source="deployment.json")


def test_connect_checks_the_node_s_chain_id(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "deployment.json"
    network.protocol.deployment.save(path)  # the in-process chain's id, 131277322940537

    with remote_node(chain_id=1) as url, pytest.raises(ChainMismatch, match=str(path)):
        connect(url, path)


def test_connect_names_a_missing_deployment_file(tmp_path: Path) -> None:
    with pytest.raises(DeploymentFileError, match="no deployment file at"):
        connect("http://127.0.0.1:1", tmp_path / "nope.json")


def test_the_in_process_chain_is_local(embedded_chain: EmbeddedChain) -> None:
    assert is_local_chain(embedded_chain)


@pytest.mark.parametrize(
    ("chain_id", "client", "local"),
    [
        (1, "Geth/v1.14.12-stable", False),
        (8453, "reth/v1.1.0", False),
        (31337, "Geth/v1.14.12-stable", True),  # anvil's and hardhat's chain id
        (1, "anvil/v1.7.1", True),  # a mainnet fork on anvil is still a dev chain
        (1, "HardhatNetwork/2.22.0/@ethereumjs/vm/7.0.0", True),
    ],
)
def test_local_chains_are_told_by_chain_id_or_dev_node(
    chain_id: int, client: str, local: bool
) -> None:
    with remote_node(chain_id, client) as url, RpcChain(url, []) as chain:
        assert is_local_chain(chain) is local
