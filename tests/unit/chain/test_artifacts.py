import json
from pathlib import Path

import pytest

from eternal.chain import Artifact, load_artifact, read_artifact
from eternal.errors import ArtifactError


def test_probe_fixture_loads_with_bytes_and_errors(probe_artifact: Artifact) -> None:
    assert probe_artifact.name == "Probe"
    assert probe_artifact.source_name == "tests/fixtures/contracts/Probe.sol"
    assert probe_artifact.bytecode.startswith(b"\x60\xa0")  # PUSH1 0xa0: creation code
    assert len(probe_artifact.deployed_bytecode) < len(probe_artifact.bytecode)
    names = {entry["name"] for entry in probe_artifact.errors_abi()}
    assert names == {"ProbeNotAllowed", "ProbeBadInput"}


def test_unknown_packaged_artifact_raises_artifact_error() -> None:
    with pytest.raises(ArtifactError, match="no artifact named 'NoSuchContract'"):
        load_artifact("NoSuchContract")


def test_malformed_artifact_raises_artifact_error(tmp_path: Path) -> None:
    path = tmp_path / "Broken.json"
    path.write_text(json.dumps({"contractName": "Broken", "abi": [], "bytecode": "0xzz"}))
    with pytest.raises(ArtifactError, match="not a valid artifact"):
        read_artifact(path)


def test_missing_file_raises_artifact_error(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="cannot read artifact"):
        read_artifact(tmp_path / "Nope.json")


def test_probe_code_really_uses_cancun_opcodes(probe_artifact: Artifact) -> None:
    # Walk the code (skipping PUSH data) so that the cancun test on Probe.stamp means something.
    code, index, opcodes = probe_artifact.deployed_bytecode, 0, set()
    while index < len(code):
        opcode = code[index]
        opcodes.add(opcode)
        index += 1 + (opcode - 0x5F if 0x60 <= opcode <= 0x7F else 0)
    assert {0x5F, 0x5C, 0x5D, 0x5E} <= opcodes  # PUSH0, TLOAD, TSTORE, MCOPY
