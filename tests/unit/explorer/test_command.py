"""`eternal explorer` refuses to start, saying why, when the network is not where it looks."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from eternal.cli.app import app


def test_explorer_without_a_deployment_file_says_so(tmp_path: Path) -> None:
    env = {"ETERNAL_DATA_DIR": str(tmp_path), "ETERNAL_CONFIG": None, "ETERNAL_DEPLOYMENT": None}

    result = CliRunner().invoke(app, ["explorer", "--port", "0"], env=env)

    assert result.exit_code == 1
    assert "deployment" in result.output
    assert str(tmp_path) in result.output


def test_explorer_refuses_a_negative_refresh(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["explorer", "--refresh", "-1"], env={"ETERNAL_DATA_DIR": str(tmp_path)}
    )

    assert result.exit_code == 2
    assert "--refresh" in result.output
