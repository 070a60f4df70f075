"""Agents and verifiers of a local network as OS processes: `python -m eternal agent run`.

Each node gets a home of its own (`config.toml`, an encrypted keystore, its SQLite state and
package cache, logs) and shares the network's blob directory, as nodes on one host would. Every
node serves its Prometheus metrics on a port of its own: the demo reads them to see what the
verifiers checked, and `eternal devnet status` to tell a live node from a hung one. The OS
chooses the port when the node binds it (`--metrics-port 0`) and the node writes it to
`metrics.port` in its home: a port chosen for it beforehand could be taken in between.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from eternal.chain.keystore import Keystore
from eternal.demo.cast import Actor, Role
from eternal.demo.processes import ManagedProcess, python_env

# The keys are the dev mnemonic's, which anyone can derive: the keystore's password and its
# cheap KDF protect nothing here, and a full-strength scrypt would cost every node a second.
LOCAL_PASSWORD = "eternal-local-network"
LOCAL_SCRYPT_N = 2**4
_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$")


@dataclass(frozen=True)
class NodeSettings:
    """What every node's config.toml says, besides who it is."""

    rpc_url: str
    deployment: Path
    blobs_dir: Path
    network_root: Path  # the network's folder: its processes' mark and TMPDIR (processes.py)
    # Seconds between a node's polls of the chain. Each poll costs a node ~2% of a core (0.3 s:
    # ~6%), and a network runs a score of nodes on a couple of cores.
    poll_interval: float = 1.0
    prediction_timeout: float = 120.0
    startup_timeout: float = 240.0
    agent_stake: str = "100"  # EAI
    verifier_stake: str = "1000"  # EAI
    verifier_sample_rate: float = 1.0


@dataclass
class Node:
    actor: Actor
    model_id: int | None
    home: Path
    process: ManagedProcess

    @property
    def name(self) -> str:
        return self.actor.label

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    @property
    def metrics_port(self) -> int | None:
        """The port the node serves its metrics on; None until it has said."""
        try:
            return int(metrics_port_file(self.home).read_text())
        except (OSError, ValueError):
            return None

    @property
    def metrics_url(self) -> str | None:
        port = self.metrics_port
        return None if port is None else f"http://127.0.0.1:{port}/metrics"


def prepare_node(
    root: Path, actor: Actor, model_id: int | None, settings: NodeSettings, *, tied: bool
) -> Node:
    """Write the node's home under `root` and build (not start) its process."""
    if actor.role not in (Role.AGENT, Role.VERIFIER):
        raise ValueError(f"{actor.label} is a {actor.role}, not a node")
    config = write_home(root / slug(actor.label), actor, model_id, settings)
    home = config.parent
    argv = [sys.executable, "-m", "eternal", actor.role.value, "run", "--metrics-port", "0"]
    argv += ["--metrics-port-file", str(metrics_port_file(home)), "--behaviour", actor.behaviour]
    if model_id is not None:
        argv += ["--model", str(model_id)]
    env = python_env(
        settings.network_root, {"ETERNAL_CONFIG": str(config), "ETERNAL_PASSWORD": LOCAL_PASSWORD}
    )
    process = ManagedProcess(actor.label, argv, home / "node.log", env=env, cwd=home, tied=tied)
    return Node(actor, model_id, home, process)


def metrics_port_file(home: Path) -> Path:
    return home / "metrics.port"


def write_home(home: Path, actor: Actor, model_id: int | None, settings: NodeSettings) -> Path:
    """An actor's data dir: its key in a keystore and a config.toml; returns the config's path.

    Nodes get one each; so do the devnet's user and creator, for the CLI and the SDK.
    """
    Keystore(home / "keystore", scrypt_n=LOCAL_SCRYPT_N).add(actor.account.key, LOCAL_PASSWORD)
    config = home / "config.toml"
    config.write_text(config_text(home, actor, model_id, settings))
    return config


def config_text(home: Path, actor: Actor, model_id: int | None, settings: NodeSettings) -> str:
    """The actor's config.toml (see eternal.config): strings written as TOML basic strings."""

    def text(value: object) -> str:
        return json.dumps(str(value))  # a JSON string is a valid TOML basic string

    lines = [
        f"data_dir = {text(home)}",
        f"account = {text(actor.address)}",
        "[chain]",
        f"rpc_url = {text(settings.rpc_url)}",
        f"deployment = {text(settings.deployment)}",
        f"poll_interval = {settings.poll_interval}",
        "[storage]",
        f"blobs_dir = {text(settings.blobs_dir)}",
        "[runtime]",
        f"prediction_timeout = {settings.prediction_timeout}",
        f"startup_timeout = {settings.startup_timeout}",
    ]
    if actor.role is Role.AGENT:
        models = f"[{model_id}]" if model_id is not None else "[]"
        lines += ["[agent]", f"models = {models}", f"stake = {text(settings.agent_stake)}"]
    elif actor.role is Role.VERIFIER:
        lines += [
            "[verifier]",
            f"stake = {text(settings.verifier_stake)}",
            f"sample_rate = {settings.verifier_sample_rate}",
        ]
    return "\n".join(lines) + "\n"


def read_metrics(url: str | None, timeout: float = 2.0) -> dict[str, float] | None:
    """A node's Prometheus samples (`name{labels}` -> value), or None if it does not answer
    (or, `url` None, has not said where yet)."""
    if url is None:
        return None
    try:
        response = httpx.get(url, timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError:
        return None
    samples: dict[str, float] = {}
    for line in response.text.splitlines():
        match = _SAMPLE.match(line)
        if match and not line.startswith("#"):
            samples[match.group(1)] = float(match.group(2))
    return samples


def slug(label: str) -> str:
    """A label as a folder name: "sales-forecast agent 2" -> "sales-forecast-agent-2"."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
