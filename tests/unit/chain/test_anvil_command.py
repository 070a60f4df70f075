"""How the anvil process is found and configured (nothing is started here)."""

from pathlib import Path

import pytest

from eternal.chain import AnvilProcess, find_anvil
from eternal.errors import NodeStartError


def test_env_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "anvil"
    monkeypatch.setenv("ETERNAL_ANVIL", str(fake))
    assert find_anvil() == fake


def test_command_always_prunes_history_and_binds_loopback(tmp_path: Path) -> None:
    process = AnvilProcess(binary=tmp_path / "anvil", accounts=3, code_size_limit=40_000)
    command = process.command()
    assert "--prune-history" in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--accounts") + 1] == "3"
    assert command[command.index("--code-size-limit") + 1] == "40000"
    assert "--code-size-limit" not in AnvilProcess(binary=tmp_path / "anvil").command()


def test_missing_binary_is_a_node_start_error(tmp_path: Path) -> None:
    with pytest.raises(NodeStartError, match="does not exist"):
        AnvilProcess(binary=tmp_path / "missing").start()
