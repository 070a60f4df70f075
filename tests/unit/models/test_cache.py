import io
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest

from eternal.models import ArchiveError, ModelPackage, PackageCache, PackageError, pack
from eternal.storage import BlobCorrupted, BlobNotFound, LocalStore, cid_of, sha256
from tests.unit.models.conftest import write_package


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "blobs")


@pytest.fixture
def cache(store: LocalStore, tmp_path: Path) -> PackageCache:
    return PackageCache(store, tmp_path / "packages")


def test_publish_stores_the_archive_under_the_package_cid(
    cache: PackageCache, store: LocalStore, package_dir: Path
) -> None:
    package = ModelPackage.load(package_dir)
    cid, archive = cache.publish(package)
    assert cid == package.cid == cid_of(archive)
    assert store.get(cid) == archive


def test_fetch_unpacks_the_package_under_its_cid(
    cache: PackageCache, package_dir: Path, tmp_path: Path
) -> None:
    original = ModelPackage.load(package_dir)
    cache.publish(original)
    fetched = cache.fetch(original.digest)
    assert fetched.path == tmp_path / "packages" / original.cid
    assert fetched.files == original.files
    assert fetched.metadata == original.metadata
    assert fetched.digest == original.digest
    assert (fetched.path / "weights" / "model.bin").read_bytes() == (
        package_dir / "weights" / "model.bin"
    ).read_bytes()
    assert [p.name for p in (tmp_path / "packages").iterdir()] == [original.cid]


def test_a_second_fetch_reuses_the_extraction_without_the_store(
    cache: PackageCache, store: LocalStore, package_dir: Path
) -> None:
    package = ModelPackage.load(package_dir)
    cid, _ = cache.publish(package)
    first = cache.fetch(package.digest)
    (store.root / cid).unlink()
    assert cache.fetch(package.digest).path == first.path


def test_a_modified_extraction_is_replaced_from_the_store(
    cache: PackageCache, package_dir: Path
) -> None:
    package = ModelPackage.load(package_dir)
    cache.publish(package)
    fetched = cache.fetch(package.digest)
    (fetched.path / "predict.py").write_text("import os; os.system('steal keys')\n")
    again = cache.fetch(package.digest)
    assert (again.path / "predict.py").read_bytes() == (package_dir / "predict.py").read_bytes()
    assert sha256(pack(again)) == package.digest


def test_a_tampered_archive_in_the_store_is_refused(
    cache: PackageCache, store: LocalStore, package_dir: Path, tmp_path: Path
) -> None:
    package = ModelPackage.load(package_dir)
    cid, archive = cache.publish(package)
    (store.root / cid).write_bytes(archive.replace(b"tiny-echo", b"evil-echo"))
    with pytest.raises(BlobCorrupted):
        cache.fetch(package.digest)
    assert list((tmp_path / "packages").iterdir()) == []


def test_a_package_missing_from_the_store_is_not_found(cache: PackageCache) -> None:
    with pytest.raises(BlobNotFound):
        cache.fetch(sha256(b"no such package"))


def _repacked_with_mtime(archive: bytes) -> bytes:
    buffer = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as source,
        tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as out,
    ):
        for member in source.getmembers():
            member.mtime = 1_700_000_000
            out.addfile(member, source.extractfile(member))
    return buffer.getvalue()


def test_an_archive_not_in_canonical_form_is_refused(
    cache: PackageCache, store: LocalStore, package_dir: Path, tmp_path: Path
) -> None:
    other = _repacked_with_mtime(pack(ModelPackage.load(package_dir)))
    store.put(other)
    with pytest.raises(ArchiveError, match="not in canonical form"):
        cache.fetch(sha256(other))
    assert list((tmp_path / "packages").iterdir()) == []


def test_an_archive_of_an_invalid_package_is_refused(
    cache: PackageCache, store: LocalStore, tmp_path: Path
) -> None:
    package = ModelPackage.load(write_package(tmp_path / "broken"))
    without_cog = tuple(name for name in package.files if name != "cog.yaml")
    archive = pack(replace(package, files=without_cog))
    store.put(archive)
    with pytest.raises(PackageError, match=f"package {cid_of(archive)}: .*no cog.yaml"):
        cache.fetch(sha256(archive))
    assert list((tmp_path / "packages").iterdir()) == []
