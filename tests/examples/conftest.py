"""Run an example model package the way nodes do: through Cog's own HTTP server.

`example_model("name")` starts `python -m cog.server.http` in examples/models/<name> once per
test session and returns a `predict(**inputs)` function whose result is the decoded output:
text as str, a file as bytes, JSON structures with their files decoded to bytes.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eternal.child_processes import free_port

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "models"
Predict = Callable[..., Any]


def decode_output(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("data:"):
        header, _, payload = value.partition(",")
        return base64.b64decode(payload) if header.endswith(";base64") else payload.encode()
    if isinstance(value, dict):
        return {key: decode_output(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_output(item) for item in value]
    return value


class CogServer:
    def __init__(self, package: Path, *, startup_timeout: float = 180.0) -> None:
        self.port = free_port("127.0.0.1")
        self.url = f"http://127.0.0.1:{self.port}"
        bin_dir = str(Path(sys.executable).parent)
        env = {
            **os.environ,
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "COG_PREDICT_TYPE_STUB": "predict.py:Predictor",
            "PORT": str(self.port),
            "HF_HUB_OFFLINE": "1",
        }
        # Outside the package: a file in its folder would change the package digest.
        self.log = tempfile.NamedTemporaryFile(prefix=f"cog-{package.name}-", suffix=".log")  # noqa: SIM115 - open while the server runs
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cog.server.http", "--host", "127.0.0.1"],
            cwd=package,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.setup_seconds = self._wait_ready(startup_timeout)

    def _wait_ready(self, timeout: float) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"cog server exited with {self.process.returncode}")
            try:
                status = httpx.get(f"{self.url}/health-check", timeout=2).json()["status"]
            except (httpx.HTTPError, ValueError, KeyError):
                status = "STARTING"
            if status == "READY":
                return time.monotonic() - start
            if status in ("SETUP_FAILED", "DEFUNCT"):
                raise RuntimeError(f"cog server setup failed: {status}")
            time.sleep(0.2)
        raise RuntimeError(f"cog server not ready after {timeout} s")

    def predict(self, **inputs: Any) -> Any:
        while True:
            response = httpx.post(f"{self.url}/predictions", json={"input": inputs}, timeout=600)
            if response.status_code != 409:  # 409: busy, retry
                break
            time.sleep(0.1)
        body = response.json()
        if body.get("status") != "succeeded":
            raise RuntimeError(f"prediction failed: {body.get('error')}")
        return decode_output(body["output"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def example_model() -> Iterator[Callable[[str], CogServer]]:
    servers: dict[str, CogServer] = {}

    def start(name: str) -> CogServer:
        if name not in servers:
            servers[name] = CogServer(EXAMPLES / name)
        return servers[name]

    yield start
    for server in servers.values():
        server.stop()
