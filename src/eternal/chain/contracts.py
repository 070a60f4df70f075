"""Deploying artifacts and getting web3 contract objects, with their errors registered.

Everything that hands out a contract registers the artifact's custom errors with the backend
and remembers which contract lives at which address, so its reverts decode by name.
"""

from __future__ import annotations

from typing import Any

from eth_account.signers.local import LocalAccount
from web3.contract import Contract

from eternal.chain.artifacts import Artifact, load_artifact
from eternal.chain.backend import ChainBackend
from eternal.chain.transactions import TxRequest, TxResult, send, translated_errors
from eternal.errors import ArtifactError, TransactionFailed


def deploy(
    backend: ChainBackend,
    account: LocalAccount,
    artifact: Artifact | str,
    *constructor_args: Any,
    value: int = 0,
    gas: int | None = None,
) -> tuple[str, TxResult]:
    """Deploy `artifact` (or the packaged artifact of that name); returns (address, result)."""
    artifact = _resolve(artifact)
    if not artifact.bytecode:
        raise ArtifactError(f"{artifact.name} has no creation code (abstract or an interface?)")
    backend.errors.add_artifact(artifact)
    factory = backend.w3.eth.contract(abi=list(artifact.abi), bytecode=artifact.bytecode)
    with translated_errors(backend, to=None):
        # Encodes and checks the arguments against the constructor's ABI.
        data = factory.constructor(*constructor_args).data_in_transaction
    request = TxRequest(to=None, data=bytes.fromhex(data[2:]), value=value)
    result = send(backend, account, request, gas=gas)
    if result.contract_address is None:
        raise TransactionFailed(
            f"deploying {artifact.name} created no contract", tx_hash=result.tx_hash
        )
    backend.errors.bind(result.contract_address, artifact.name)
    return result.contract_address, result


def contract_at(backend: ChainBackend, artifact: Artifact | str, address: str) -> Contract:
    """A web3 contract object for `artifact` at `address` (its errors registered)."""
    artifact = _resolve(artifact)
    backend.errors.add_artifact(artifact)
    backend.errors.bind(address, artifact.name)
    return backend.w3.eth.contract(
        address=backend.w3.to_checksum_address(address), abi=list(artifact.abi)
    )


def _resolve(artifact: Artifact | str) -> Artifact:
    return load_artifact(artifact) if isinstance(artifact, str) else artifact
