"""Running a node in the foreground: logging, metrics, signals, and the models stopped after."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from eternal.cli.context import console
from eternal.cli.errors import CliError
from eternal.node.agent import AgentNode
from eternal.node.service import Stopper, run_service
from eternal.node.verifier import VerifierNode

MetricsPortOption = Annotated[
    int | None,
    typer.Option(help="Expose Prometheus metrics on 127.0.0.1:PORT (0: a port the OS chooses)."),
]
MetricsPortFileOption = Annotated[
    Path | None,
    typer.Option(help="Write the metrics port to this file once it is served."),
]
IntervalOption = Annotated[
    float | None, typer.Option(help="Seconds between polls of the chain (default: config).")
]


def serve(
    node: AgentNode | VerifierNode,
    *,
    metrics_port: int | None,
    interval: float,
    metrics_port_file: Path | None = None,
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Cog request otherwise
    if metrics_port is not None:
        served = node.metrics.serve(metrics_port)
        console.print(f"metrics on http://127.0.0.1:{served}/metrics")
        if metrics_port_file is not None:
            _write_port(metrics_port_file, served)
    stopper = Stopper()
    stopper.install_signal_handlers()
    console.print(f"{node.name} {node.address} running (Ctrl-C to stop)")
    try:
        run_service(node, stopper, interval=interval)
    finally:
        node.models.close()
        node.state.close()


def _write_port(path: Path, port: int) -> None:
    """Write `port` to `path` whole or not at all: whoever started the node may be polling it
    (with port 0 the OS chose it, and only this file tells)."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(f"{port}\n")
        partial.replace(path)
    except OSError as exc:
        raise CliError(f"cannot write the metrics port to {path}: {exc.strerror or exc}") from exc
