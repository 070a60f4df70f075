"""Models as creators and users see them: publishing a package, and reading a model's record.

Publishing = validate the package folder (`ModelPackage.load`), pack it deterministically, store
the archive and the metadata's canonical JSON, then mint the AI-721 token with the package
digest, `ipfs://<metadata cid>` as metadata URI, and terms whose verification mode is the
metadata's. Agents later fetch the archive by that digest and check it; users read the metadata
to validate their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from eternal.chain.bindings.model_registry import ModelRegistered, ModelTerms, VerificationMode
from eternal.chain.protocol import Protocol
from eternal.chain.wallet import LocalAccount
from eternal.models.archive import pack
from eternal.models.metadata import MetadataError, ModelMetadata
from eternal.models.metadata import VerificationMode as MetadataMode
from eternal.models.package import ModelPackage
from eternal.sdk.errors import InvalidTerms, ModelUnavailable, SdkError
from eternal.storage.cid import InvalidCid, cid_from_digest, sha256, uri_of
from eternal.storage.errors import StorageError
from eternal.storage.store import BlobStore

DEFAULT_REDUNDANCY = 3
_CHAIN_MODES = {
    MetadataMode.EXACT: VerificationMode.EXACT,
    MetadataMode.TOLERANT: VerificationMode.TOLERANT,
}


@dataclass(frozen=True)
class PublishedModel:
    model_id: int
    package_cid: str
    package_digest: bytes
    metadata_cid: str
    metadata_uri: str
    terms: ModelTerms
    tx_hash: str
    gas_used: int


@dataclass(frozen=True)
class ModelInfo:
    """A model's on-chain record, with its metadata when the store can read it."""

    model_id: int
    owner: str
    terms: ModelTerms
    package_digest: bytes
    metadata_uri: str
    metadata: ModelMetadata | None
    metadata_problem: str | None  # why `metadata` is None
    pool_size: int
    redundancy_now: int  # k for the next prompt: the dynamic rule applied to `terms.redundancy`
    income: int  # creator income accrued and not yet claimed

    @property
    def package_cid(self) -> str:
        return cid_from_digest(self.package_digest)


def publish_model(
    protocol: Protocol,
    creator: LocalAccount,
    store: BlobStore,
    package_dir: Path,
    *,
    fee: int,
    min_agent_stake: int | None = None,
    redundancy: int = DEFAULT_REDUNDANCY,
) -> PublishedModel:
    """Validate, pack, store and register the package in `package_dir`.

    `min_agent_stake` defaults to the registry's stake floor. Raises PackageError/MetadataError
    for a bad package and InvalidTerms for terms the registry would refuse (fee too high, stake
    below the floor, redundancy out of range), before anything is stored or sent.
    """
    package = ModelPackage.load(package_dir)
    terms = ModelTerms(
        fee=fee,
        min_agent_stake=(
            min_agent_stake if min_agent_stake is not None else protocol.registry.stake_floor()
        ),
        redundancy=redundancy,
        mode=_CHAIN_MODES[package.metadata.verification.mode],
    )
    check_terms(protocol, terms)
    archive = pack(package)
    package_digest = sha256(archive)
    package_cid = store.put(archive)
    metadata_cid = store.put(package.metadata.to_canonical_json())
    metadata_uri = uri_of(metadata_cid)
    result = protocol.registry.register_model(creator, package_digest, metadata_uri, terms)
    registered = [e for e in protocol.registry.events(result) if isinstance(e, ModelRegistered)]
    if not registered:
        raise SdkError(f"transaction {result.tx_hash} registered no model")
    return PublishedModel(
        model_id=registered[0].model_id,
        package_cid=package_cid,
        package_digest=package_digest,
        metadata_cid=metadata_cid,
        metadata_uri=metadata_uri,
        terms=terms,
        tx_hash=result.tx_hash,
        gas_used=result.gas_used,
    )


def check_terms(protocol: Protocol, terms: ModelTerms) -> None:
    """InvalidTerms, in EAI, for terms the registry would refuse (before paying for the try)."""
    registry = protocol.registry
    most = registry.max_redundancy()
    if not 1 <= terms.redundancy <= most:
        raise InvalidTerms(f"redundancy {terms.redundancy} is outside 1..{most}")
    if terms.fee > registry.max_fee():
        raise InvalidTerms(f"fee {_eai(terms.fee)} is above the maximum {_eai(registry.max_fee())}")
    floor = registry.stake_floor()
    if terms.min_agent_stake < floor:
        raise InvalidTerms(
            f"minimum agent stake {_eai(terms.min_agent_stake)} is below the registry's floor "
            f"of {_eai(floor)}"
        )


def _eai(wei: int) -> str:
    text = f"{Decimal(wei) / 10**18:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + " EAI"


def model_info(protocol: Protocol, store: BlobStore, model_id: int) -> ModelInfo:
    """Everything known about model `model_id`; ModelUnavailable if there is no such model."""
    count = protocol.registry.model_count()
    if not 1 <= model_id <= count:
        raise ModelUnavailable(f"there is no model {model_id} (models are 1..{count})")
    registry = protocol.registry
    uri = registry.token_uri(model_id)
    metadata: ModelMetadata | None = None
    problem: str | None = None
    try:
        metadata = ModelMetadata.from_json(store.get(uri))
    except (StorageError, MetadataError, InvalidCid) as exc:
        problem = str(exc)
    return ModelInfo(
        model_id=model_id,
        owner=registry.owner_of(model_id),
        terms=registry.terms(model_id),
        package_digest=registry.package_digest(model_id),
        metadata_uri=uri,
        metadata=metadata,
        metadata_problem=problem,
        pool_size=protocol.agents.pool_size(model_id),
        redundancy_now=protocol.tasks.redundancy_of(model_id),
        income=protocol.tasks.model_income(model_id),
    )
