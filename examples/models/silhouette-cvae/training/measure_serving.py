"""Measure what the README reports about serving: load time and time per drawing.

    cd examples/models/silhouette-cvae && python -m training.measure_serving

Starts Cog's HTTP server on this package the way nodes do (a subprocess per model), times it
from launch to READY, then times prompts end to end over HTTP and by Cog's own `predict_time`.
Wall-clock figures grow with whatever else the machine runs, so the CPU seconds used by the
server and its worker process (from /proc, Linux only) are printed too.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

PACKAGE = Path(__file__).resolve().parents[1]
PROMPTS = ("Create an image of a cat", "a sheep in a field", "Draw an elephant")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its descendants."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(stat[11]) + int(stat[12])  # utime, stime (fields 14 and 15)
    # A child is listed under the thread that started it: read every thread's list.
    children = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
    return ticks / os.sysconf("SC_CLK_TCK") + sum(_cpu_seconds(child) for child in children)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(port: int) -> tuple[subprocess.Popen[bytes], float]:
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        "COG_PREDICT_TYPE_STUB": "predict.py:Predictor",
        "PORT": str(port),
    }
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "cog.server.http", "--host", "127.0.0.1"],
        cwd=PACKAGE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while time.monotonic() - started < 180:
        try:
            status = httpx.get(f"http://127.0.0.1:{port}/health-check", timeout=2).json()
            if status.get("status") == "READY":
                return process, time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("the Cog server did not become ready in 180 s")


def main() -> None:
    port = _free_port()
    process, load_seconds = _start(port)
    load_cpu = _cpu_seconds(process.pid)
    try:
        walls, predict_times = [], []
        for round_ in range(10):
            for prompt in PROMPTS:
                started = time.monotonic()
                body = httpx.post(
                    f"http://127.0.0.1:{port}/predictions",
                    json={"input": {"prompt": prompt, "seed": round_}},
                    timeout=60,
                ).json()
                walls.append(time.monotonic() - started)
                predict_times.append(body["metrics"]["predict_time"])
        predict_cpu = (_cpu_seconds(process.pid) - load_cpu) / len(walls)
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(f"load (launch to READY): {load_seconds:.2f} s, {load_cpu:.2f} CPU s")
    print(f"HTTP round trip, 256 px: median {statistics.median(walls) * 1000:.0f} ms")
    print(f"Cog predict_time, 256 px: median {statistics.median(predict_times) * 1000:.0f} ms")
    print(f"server CPU per prompt, 256 px: {predict_cpu * 1000:.0f} ms")


if __name__ == "__main__":
    main()
