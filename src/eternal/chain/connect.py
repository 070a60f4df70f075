"""How clients reach a deployed protocol: an RPC node, a deployment file, and a check they agree.

    protocol = connect("http://127.0.0.1:8545", Path("~/.eternal/deployment.json"), [account])

A deployment file names addresses on one chain; pointed at another chain, the same addresses
hold nothing (or someone else's contracts), so `bind` refuses a chain id that differs from the
deployment's. `is_local_chain` tells dev chains (anvil, hardhat, the in-process chain) apart from
real ones: the CLI only hands out dev funds on those.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from eth_account.signers.local import LocalAccount

from eternal.chain.backend import ChainBackend
from eternal.chain.deployment import Deployment
from eternal.chain.protocol import Protocol
from eternal.chain.rpc import RpcChain
from eternal.errors import ChainError

# anvil's and hardhat's default chain id.
LOCAL_CHAIN_ID = 31337
# web3_clientVersion prefixes of dev nodes (anvil, hardhat, and eth-tester in process).
_DEV_CLIENTS = ("anvil", "hardhat", "ethereumtester")


class ChainMismatch(ChainError):
    """The chain a client reached is not the chain its deployment file describes."""


def connect(rpc_url: str, deployment_path: Path, accounts: Sequence[LocalAccount] = ()) -> Protocol:
    """The protocol deployed as `deployment_path` says, on the node at `rpc_url`.

    `accounts` sign transactions (the first is also the `from` of read-only calls).
    Raises DeploymentFileError for a missing or malformed file, RpcError when the node does not
    answer, and ChainMismatch when it runs another chain than the deployment's.
    """
    deployment = Deployment.load(deployment_path.expanduser())
    backend = RpcChain(rpc_url, [account.key for account in accounts])
    try:
        return bind(backend, deployment, source=str(deployment_path))
    except BaseException:
        backend.close()
        raise


def bind(
    backend: ChainBackend, deployment: Deployment, *, source: str = "the deployment"
) -> Protocol:
    """`Protocol.connect`, after checking that `backend` runs the deployment's chain."""
    if backend.chain_id != deployment.chain_id:
        raise ChainMismatch(
            f"{source} is for chain id {deployment.chain_id}, but the node runs chain id "
            f"{backend.chain_id}: deploy there or point the configuration at the right node"
        )
    return Protocol.connect(backend, deployment)


def is_local_chain(backend: ChainBackend) -> bool:
    """Whether `backend` is a dev chain: chain id 31337 or an anvil/hardhat/eth-tester node."""
    if backend.chain_id == LOCAL_CHAIN_ID:
        return True
    return client_version(backend).lower().startswith(_DEV_CLIENTS)


def client_version(backend: ChainBackend) -> str:
    """The node's `web3_clientVersion` ("anvil/v1.2.3", "Geth/v1.14...")."""
    return str(backend._web3_call(lambda: backend.w3.client_version))
