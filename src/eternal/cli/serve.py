"""Running a node in the foreground: logging, metrics, signals, and the models stopped after."""

from __future__ import annotations

import logging

from eternal.cli.context import console
from eternal.node.agent import AgentNode
from eternal.node.service import Stopper, run_service
from eternal.node.verifier import VerifierNode


def serve(node: AgentNode | VerifierNode, *, metrics_port: int | None, interval: float) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Cog request otherwise
    if metrics_port is not None:
        node.metrics.serve(metrics_port)
        console.print(f"metrics on http://127.0.0.1:{metrics_port}/metrics")
    stopper = Stopper()
    stopper.install_signal_handlers()
    console.print(f"{node.name} {node.address} running (Ctrl-C to stop)")
    try:
        run_service(node, stopper, interval=interval)
    finally:
        node.models.close()
        node.state.close()
