"""Model packages: a Cog folder plus `eternal.yaml`, validated without running it, packed into a
deterministic archive whose SHA-256 is the digest registered on chain, and cached by digest.
"""

from eternal.models.archive import pack, unpack
from eternal.models.cache import PackageCache
from eternal.models.cog_config import COG_FILE, CogConfig
from eternal.models.errors import ArchiveError, PackageError
from eternal.models.metadata import METADATA_FILE, MetadataError, ModelMetadata
from eternal.models.package import ModelPackage

__all__ = [
    "COG_FILE",
    "METADATA_FILE",
    "ArchiveError",
    "CogConfig",
    "MetadataError",
    "ModelMetadata",
    "ModelPackage",
    "PackageCache",
    "PackageError",
    "pack",
    "unpack",
]
