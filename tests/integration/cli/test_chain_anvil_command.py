"""`eternal chain anvil` runs a local anvil that `chain deploy` and `chain info` then use."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from eternal.chain.anvil import find_anvil
from eternal.child_processes import free_port

pytestmark = [pytest.mark.anvil, pytest.mark.slow]  # three CLI processes: ~10 s
ETERNAL = Path(sys.executable).parent / "eternal"


def chain_id(url: str) -> str | None:
    probe = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
    try:
        return str(requests.post(url, json=probe, timeout=0.5).json()["result"])
    except requests.RequestException:
        return None


def test_chain_anvil_serves_a_dev_chain_that_deploy_and_info_use(tmp_path: Path) -> None:
    binary = find_anvil()
    if binary is None or not binary.is_file():
        pytest.skip("anvil binary not found: run `npm ci`")
    port = free_port("127.0.0.1")
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ETERNAL_DATA_DIR": str(tmp_path), "ETERNAL_RPC_URL": url}
    env.pop("ETERNAL_CONFIG", None)
    env.pop("ETERNAL_DEPLOYMENT", None)
    anvil = subprocess.Popen(
        [ETERNAL, "chain", "anvil", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while chain_id(url) is None:
            assert anvil.poll() is None, f"eternal chain anvil exited with {anvil.returncode}"
            assert time.monotonic() < deadline, "anvil did not answer in 20 s"
            time.sleep(0.1)
        assert chain_id(url) == "0x7a69"  # 31337

        deployed = subprocess.run(
            [ETERNAL, "chain", "deploy"], env=env, capture_output=True, text=True, check=False
        )
        info = subprocess.run(
            [ETERNAL, "chain", "info"], env=env, capture_output=True, text=True, check=False
        )
    finally:
        anvil.terminate()
        anvil.wait(timeout=10)

    assert deployed.returncode == 0, deployed.stderr
    assert (tmp_path / "deployment.json").is_file()
    assert info.returncode == 0, info.stderr
    assert "node               anvil/" in info.stdout
    assert "EAI supply         10,000,000 EAI" in info.stdout
