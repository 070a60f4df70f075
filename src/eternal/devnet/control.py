"""`eternal devnet up | status | down`: a local network that keeps running in the background.

`up` builds what the demo builds (a chain, the contracts with the dev parameters, the example
models, agents and verifiers as processes; the explorer on request), but detached: the
processes outlive the command. Everything lives under one directory (default
~/.eternal/devnet): the chain's and nodes' files, every process's TMPDIR, configs for a user
and a creator to drive it with the CLI, and `devnet.json`, which records each process. `down`
stops every recorded process and whatever each started, then deletes the directory.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from eternal.chain.params import ProtocolParams
from eternal.chain.retry import NO_RETRY
from eternal.chain.rpc import RpcChain
from eternal.demo.cast import HONEST, Cast
from eternal.demo.errors import DemoError
from eternal.demo.explorer import ExplorerProcess, answers
from eternal.demo.local_chain import ChainKind
from eternal.demo.network import LocalNetwork
from eternal.demo.nodes import LOCAL_PASSWORD, read_metrics
from eternal.demo.processes import (
    ManagedProcess,
    marked,
    stop_record,
    sweep,
)
from eternal.demo.prompts import CHEAT_MODEL, EXAMPLE_MODELS, find_examples
from eternal.devnet.state import ChainEntry, DevnetState, ExplorerEntry, ModelEntry, NodeEntry
from eternal.errors import EternalError

DEFAULT_DIR = Path("~/.eternal/devnet")
# Real-time windows (nothing moves the clock here): ProtocolParams.dev(), with a committee
# the devnet's verifiers can fill.
DEVNET_PARAMS = ProtocolParams.dev().with_changes(
    disputes=replace(ProtocolParams.dev().disputes, committee_size=4)
)
Say = Callable[[str], None]


@dataclass(frozen=True)
class DevnetOptions:
    directory: Path = DEFAULT_DIR
    explorer: bool = False
    explorer_port: int | None = None  # default: a free port
    chain: ChainKind = ChainKind.AUTO
    agents_per_model: int = 3
    verifiers: int = 4
    models: tuple[str, ...] = tuple(m.name for m in EXAMPLE_MODELS)
    dishonest: bool = False  # one agent of the music model reveals wrong outputs
    examples: Path | None = None
    timeout: float = 240.0


@dataclass(frozen=True)
class ProcessStatus:
    name: str
    pid: int
    alive: bool
    answering: bool  # its RPC, metrics or web page answers
    detail: str


def up(options: DevnetOptions, say: Say) -> DevnetState:
    """Start a devnet in `options.directory` (refused if one runs there or it holds other
    files); returns once every node has staked and joined."""
    directory = options.directory.expanduser().resolve()
    if DevnetState.load(directory) is not None:
        raise DemoError(f"a devnet is recorded in {directory}: `eternal devnet down` first")
    if directory.exists() and any(directory.iterdir()):
        raise DemoError(f"{directory} is not empty: choose another directory with --dir")
    examples = find_examples(options.examples)
    unknown = set(options.models) - {m.name for m in EXAMPLE_MODELS}
    if unknown:
        known = ", ".join(m.name for m in EXAMPLE_MODELS)
        raise DemoError(f"no example model named {', '.join(sorted(unknown))} (there are {known})")
    models = [m for m in EXAMPLE_MODELS if m.name in options.models]
    cast = Cast.of_dev_accounts(
        [m.name for m in models],
        agents_per_model=options.agents_per_model,
        verifiers=options.verifiers,
        cheat_model=CHEAT_MODEL if options.dishonest and CHEAT_MODEL in options.models else None,
    )
    network = LocalNetwork.create(
        directory, cast, DEVNET_PARAMS, chain_kind=options.chain, tied=False
    )
    explorer: ExplorerProcess | None = None
    try:
        say(f"{network.chain.kind.value} chain on {network.chain.url}; contracts deployed")
        for model in models:
            published = network.publish(examples / model.name)
            say(f"published {model.name} as model {published.model_id}")
        settings = network.node_settings()
        network.start_nodes(settings, tied=False)
        say(f"started {len(network.nodes)} nodes; waiting until each has staked and joined")
        network.wait_for("every node to stake and join", network.pools_full, options.timeout)
        clients = {
            actor.role.value: network.client_config(actor) for actor in (cast.user, cast.creator)
        }
        password_file = directory / "password"
        password_file.write_text(LOCAL_PASSWORD + "\n")
        password_file.chmod(0o600)
        if options.explorer:
            port, timeout = options.explorer_port, options.timeout
            explorer = network.start_explorer(port=port, tied=False, timeout=timeout)
        state = _state(network, explorer, clients, password_file)
        state.save()
    except BaseException:
        network.stop()
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return state


def status(directory: Path) -> tuple[DevnetState, list[ProcessStatus]] | None:
    """The recorded devnet and how each of its processes is doing; None if there is none."""
    state = DevnetState.load(directory.expanduser().resolve())
    if state is None:
        return None
    found = [_chain_status(state.chain)]
    for node in state.nodes:
        alive = node.record.alive()
        metrics = read_metrics(node.metrics_url, timeout=1.0) if alive else None
        detail = f"model {node.model_id} {node.model}" if node.model else node.role
        if node.behaviour != HONEST:
            detail += f", {node.behaviour}"
        found.append(ProcessStatus(node.label, node.pid, alive, metrics is not None, detail))
    if state.explorer is not None:
        found.append(_explorer_status(state.explorer))
    return state, found


@dataclass(frozen=True)
class DownReport:
    stopped: int  # processes stopped (recorded ones and what they had started)
    left_running: int
    removed: Path


def down(directory: Path) -> DownReport | None:
    """Stop every process of the devnet in `directory` and delete the directory."""
    resolved = directory.expanduser().resolve()
    state = DevnetState.load(resolved)
    if state is None:
        return None
    nodes = [entry.record for entry in state.processes() if entry is not state.chain]
    with ThreadPoolExecutor(max_workers=max(1, len(nodes))) as pool:
        families = list(pool.map(stop_record, nodes))
    families.append(stop_record(state.chain.record))
    families.append(sweep(resolved))
    stopped = {record for family in families for record in family}
    left = len({record for record in stopped if record.alive()} | set(marked(resolved)))
    if left == 0:
        shutil.rmtree(resolved)
    return DownReport(len(stopped), left, resolved)


def _state(
    network: LocalNetwork,
    explorer: ExplorerProcess | None,
    clients: dict[str, Path],
    password_file: Path,
) -> DevnetState:
    chain = network.chain
    nodes = []
    for node in network.nodes:
        pid, started, log = _recorded(node.process)
        # Written before the node stakes, so every node in its pool has said.
        metrics_port = node.metrics_port
        if metrics_port is None:
            raise DemoError(f"{node.name} has not said which port its metrics are on")
        nodes.append(
            NodeEntry(
                pid=pid,
                started=started,
                log=log,
                label=node.name,
                role=node.actor.role.value,
                address=node.actor.address,
                behaviour=node.actor.behaviour,
                model=node.actor.model,
                model_id=node.model_id,
                metrics_port=metrics_port,
                home=node.home,
            )
        )
    explorer_entry = None
    if explorer is not None:
        pid, started, log = _recorded(explorer.process)
        explorer_entry = ExplorerEntry(pid=pid, started=started, log=log, url=explorer.url)
    pid, started, log = _recorded(chain.process)
    return DevnetState(
        directory=network.root,
        chain=ChainEntry(pid=pid, started=started, log=log, kind=chain.kind.value, url=chain.url),
        deployment=network.deployment_path,
        models=tuple(
            ModelEntry(name=m.name, model_id=m.model_id, mode=m.metadata.verification.mode.value)
            for m in network.models.values()
        ),
        nodes=tuple(nodes),
        explorer=explorer_entry,
        clients=clients,
        password_file=password_file,
    )


def _recorded(process: ManagedProcess) -> tuple[int, int, Path]:
    if process.record is None:
        raise DemoError(f"{process.name} was never started")
    return process.record.pid, process.record.started, process.log_path


def _explorer_status(explorer: ExplorerEntry) -> ProcessStatus:
    alive = explorer.record.alive()
    return ProcessStatus(
        "explorer", explorer.pid, alive, alive and answers(explorer.url), explorer.url
    )


def _chain_status(chain: ChainEntry) -> ProcessStatus:
    alive = chain.record.alive()
    detail = "not answering"
    answering = False
    if alive:
        backend = RpcChain(chain.url, [], retry=NO_RETRY, timeout=2.0)
        try:
            detail = f"block {backend.block_number()}"
            answering = True
        except EternalError as exc:
            detail = str(exc)
        finally:
            backend.close()
    return ProcessStatus(f"{chain.kind} chain", chain.pid, alive, answering, detail)
