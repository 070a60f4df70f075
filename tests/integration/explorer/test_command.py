"""`eternal explorer` as a user starts it: a process serving the configured network (anvil)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from eternal.chain import AnvilProcess
from eternal.child_processes import free_port
from eternal.storage.local import LocalStore
from tests.support.network import Network
from tests.support.prompting import ECHO, publish

pytestmark = [pytest.mark.anvil, pytest.mark.slow]


def test_eternal_explorer_serves_the_configured_network(
    anvil_network: Network, anvil_process: AnvilProcess, tmp_path: Path
) -> None:
    model_id = publish(anvil_network, LocalStore(tmp_path / "blobs"), ECHO, agents=1)
    anvil_network.protocol.deployment.save(tmp_path / "deployment.json")
    env = {
        **os.environ,
        "ETERNAL_DATA_DIR": str(tmp_path),
        "ETERNAL_RPC_URL": anvil_process.url,
        "ETERNAL_DEPLOYMENT": "deployment.json",
    }
    env.pop("ETERNAL_CONFIG", None)
    env.pop("ETERNAL_BLOBS_DIR", None)
    port = free_port("127.0.0.1")
    process = subprocess.Popen(
        [sys.executable, "-m", "eternal", "explorer", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                overview = httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[0].decode()
                assert time.monotonic() < deadline, "the explorer did not answer in 30 s"
                time.sleep(0.2)
        model = httpx.get(f"{url}/models/{model_id}", timeout=10)
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert overview.status_code == 200 and "The network at a glance" in overview.text
    # The metadata was read from the configured store (<data dir>/blobs).
    assert model.status_code == 200 and "<code>prompt</code>" in model.text
