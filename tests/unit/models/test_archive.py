import io
import os
import re
import tarfile
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eternal.models import ArchiveError, ModelPackage, pack, unpack
from eternal.storage import cid_of, sha256
from tests.unit.models.conftest import EXECUTABLE, FILES, write_package


def test_packing_the_same_folder_twice_gives_the_same_bytes(package_dir: Path) -> None:
    package = ModelPackage.load(package_dir)
    assert pack(package) == pack(ModelPackage.load(package_dir))


def test_a_copy_with_other_times_permissions_and_creation_order_packs_identically(
    package_dir: Path, tmp_path: Path
) -> None:
    copy = write_package(tmp_path / "copy", order=lambda names: sorted(names, reverse=True))
    for index, path in enumerate(sorted(copy.rglob("*"))):
        os.utime(path, (1_000_000 + index, 2_000_000_000 - index))
    os.chmod(copy / "predict.py", 0o600)
    os.chmod(copy / "README.md", 0o664)
    os.chmod(copy / EXECUTABLE, 0o700)
    assert pack(ModelPackage.load(copy)) == pack(ModelPackage.load(package_dir))


def test_members_carry_no_machine_details(package_dir: Path) -> None:
    archive = pack(ModelPackage.load(package_dir))
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        members = tar.getmembers()
    assert [member.name for member in members] == sorted(member.name for member in members)
    for member in members:
        assert member.isreg()
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname) == (
            0,
            0,
            0,
            "",
            "",
        )
        assert member.pax_headers == {}
        assert member.mode == (0o755 if member.name == EXECUTABLE else 0o644)


def test_a_changed_byte_changes_the_digest(package_dir: Path, tmp_path: Path) -> None:
    weights = bytearray(FILES["weights/model.bin"])  # type: ignore[arg-type]
    weights[100] ^= 1
    changed = write_package(tmp_path / "changed", {"weights/model.bin": bytes(weights)})
    original = ModelPackage.load(package_dir)
    assert ModelPackage.load(changed).digest != original.digest
    assert original.digest == sha256(pack(original))
    assert original.cid == cid_of(pack(original))


def test_unpacking_restores_the_files_and_repacks_identically(
    package_dir: Path, tmp_path: Path
) -> None:
    package = ModelPackage.load(package_dir)
    archive = pack(package)
    unpack(archive, tmp_path / "out")
    restored = ModelPackage.load(tmp_path / "out")
    assert restored.files == package.files
    for name in package.files:
        assert (tmp_path / "out" / name).read_bytes() == (package_dir / name).read_bytes()
    assert os.access(tmp_path / "out" / EXECUTABLE, os.X_OK)
    assert pack(restored) == archive


def test_long_and_non_ascii_names_round_trip(tmp_path: Path) -> None:
    long_name = "data/" + "x" * 150 + ".txt"
    package_dir = write_package(tmp_path / "p", {long_name: "long", "data/poème.txt": "é"})
    archive = pack(ModelPackage.load(package_dir))
    assert archive == pack(ModelPackage.load(package_dir))
    unpack(archive, tmp_path / "out")
    assert (tmp_path / "out" / long_name).read_text() == "long"
    assert (tmp_path / "out" / "data" / "poème.txt").read_text() == "é"


def _tar(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return buffer.getvalue()


def _file(name: str) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), b"payload"


def _special(name: str, kind: bytes, link: str = "") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info, b""


UNSAFE = {
    "parent traversal": (_tar(_file("../evil.txt")), "would land outside"),
    "nested traversal": (_tar(_file("weights/../../evil.txt")), "would land outside"),
    "absolute path": (_tar(_file("/tmp/evil.txt")), "would land outside"),
    "symlink": (_tar(_special("link", tarfile.SYMTYPE, "/etc/passwd")), "is a link"),
    "hard link": (_tar(_file("a"), _special("b", tarfile.LNKTYPE, "a")), "is a link"),
    "device": (_tar(_special("dev", tarfile.CHRTYPE)), "is a special file"),
    "fifo": (_tar(_special("pipe", tarfile.FIFOTYPE)), "is a special file"),
    "duplicate": (_tar(_file("a.txt"), _file("a.txt")), "appears twice"),
    "garbage": (b"this is not a tar archive" * 40, "not a valid (uncompressed) package archive"),
}


@pytest.mark.parametrize(("archive", "message"), UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_archives_are_refused_before_anything_is_written(
    tmp_path: Path, archive: bytes, message: str
) -> None:
    dest = tmp_path / "sandbox" / "out"
    with pytest.raises(ArchiveError, match=re.escape(message)):
        unpack(archive, dest)
    assert not dest.exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


def test_a_compressed_archive_is_refused(package_dir: Path, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(package_dir / "cog.yaml", arcname="cog.yaml")
    with pytest.raises(ArchiveError, match="uncompressed"):
        unpack(buffer.getvalue(), tmp_path / "out")


def test_unpacking_into_a_non_empty_directory_is_refused(package_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "stale.txt").write_text("left over")
    with pytest.raises(ArchiveError, match="not empty"):
        unpack(pack(ModelPackage.load(package_dir)), tmp_path / "out")


_NAMES = st.lists(
    st.text(alphabet="abcxyz_.-é", min_size=1, max_size=12).filter(
        lambda n: n not in {".", ".."} and not n.endswith((".pyc", ".pyo"))
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


@settings(max_examples=20, deadline=None)
@given(names=_NAMES, data=st.data())
def test_any_extra_files_pack_the_same_whatever_the_creation_order(
    names: list[str], data: st.DataObject
) -> None:
    extra: dict[str, str | bytes | None] = {
        f"extra/{name}": data.draw(st.binary(max_size=64)) for name in names
    }
    with tempfile.TemporaryDirectory() as root:
        first = write_package(Path(root) / "a", extra)
        second = write_package(
            Path(root) / "b", extra, order=lambda files: sorted(files, reverse=True)
        )
        archive = pack(ModelPackage.load(first))
        assert archive == pack(ModelPackage.load(second))
        unpack(archive, Path(root) / "out")
        assert pack(ModelPackage.load(Path(root) / "out")) == archive
