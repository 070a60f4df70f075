"""`eternal demo`: the whole network on this machine, from an empty chain to paid-out prompts.

Each phase is timed:

    chain      start anvil (or the embedded chain) and deploy with short windows
    models     publish the example models (as the creator)
    nodes      start every agent and verifier as a process; wait until all have joined
    prompts    submit the prompts through the SDK (as the user); wait for every output. The
               dishonest agent's mismatch opens a dispute by itself, which the committee settles
    checks     wait until every verifier has recomputed every accepted output (light checks)
    finality   move the chain's clock past the challenge window; tasks finalize, winners claim
    epochs     move it two epochs on: the verifiers share the epoch's fees and claim them
    claims     the creator claims its models' income; governance sweeps the treasury's share
    teardown   stop every node; read balances and the supply at one block; stop the chain

Waiting out the windows would take minutes of idle time; on a local chain the demo moves the
clock instead (`evm_increaseTime`) and says so. Whatever happens, every process it started is
stopped before it returns.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from eternal.chain.params import DisputeParams, ProtocolParams, TaskParams
from eternal.demo.cast import Cast
from eternal.demo.errors import DemoError
from eternal.demo.facts import DemoFacts, ProcessFacts, Timing
from eternal.demo.local_chain import ChainKind
from eternal.demo.network import LocalNetwork
from eternal.demo.processes import ProcessRecord, marked
from eternal.demo.prompts import CHEAT_MODEL, DEMO_PROMPTS, EXAMPLE_MODELS, find_examples
from eternal.demo.session import PromptSession

# Windows: a phase ends as soon as everyone acted (commits, reveals, votes), so generous windows
# cost nothing and spare a node still loading its model a penalty. The challenge window must
# leave the verifiers time to recompute every output; the demo then moves the clock past it,
# and past two epochs (the shortest the contracts allow), instead of waiting.
DEMO_PARAMS = ProtocolParams(
    tasks=TaskParams(commit_window=300, reveal_window=120, challenge_window=600),
    disputes=DisputeParams(committee_size=4, vote_commit_window=180, vote_reveal_window=120),
    epoch_length=600,
)
MARKER = ".eternal-demo"  # marks a workdir as the demo's, so a rerun may clear it


@dataclass(frozen=True)
class DemoOptions:
    workdir: Path
    keep: bool = False  # keep the network's files (node homes, logs, blobs) afterwards
    chain: ChainKind = ChainKind.AUTO
    examples: Path | None = None
    agents_per_model: int = 3
    verifiers: int = 4
    models: tuple[str, ...] = tuple(m.name for m in EXAMPLE_MODELS)
    stage_timeout: float = 240.0  # seconds for any one wait
    explorer: bool = False  # serve the web explorer while the demo runs
    explorer_port: int | None = None


@dataclass
class Phases:
    """Wall time of each phase, measured."""

    timings: list[Timing] = field(default_factory=list)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.timings.append(Timing(name, time.monotonic() - started))


def run_demo(options: DemoOptions, console: Console) -> DemoFacts:
    """Run the demo; the facts it measured. Raises DemoError when it could not finish."""
    started = time.monotonic()
    examples = find_examples(options.examples)
    # Absolute: nodes run in their own folders and read these paths from their configs.
    network_dir, outputs_dir = _prepare_workdir(options.workdir.resolve())
    models = [m for m in EXAMPLE_MODELS if m.name in options.models]
    cheat = CHEAT_MODEL if CHEAT_MODEL in options.models else None
    cast = Cast.of_dev_accounts(
        [m.name for m in models],
        agents_per_model=options.agents_per_model,
        verifiers=options.verifiers,
        cheat_model=cheat,
    )
    phases = Phases()
    stopped: list[ProcessRecord] = []
    network: LocalNetwork | None = None
    finished = False
    say = _printer(console)
    try:
        with phases.phase("chain"):
            network = LocalNetwork.create(network_dir, cast, DEMO_PARAMS, chain_kind=options.chain)
        deployed = network.protocol
        say(
            f"{network.chain.kind.value} chain on {network.chain.url}; "
            f"{len(deployed.deployment.contract_addresses())} contracts deployed (challenge "
            f"window {deployed.tasks.params().challenge_window} s, epochs "
            f"{deployed.verifiers.epoch_length()} s)"
        )
        if options.explorer:
            with phases.phase("explorer"):
                explorer = network.start_explorer(port=options.explorer_port)
            say(f"explorer on {explorer.url} (it stops with the demo)")
        with phases.phase("models"):
            for model in models:
                published = network.publish(examples / model.name)
                say(f"published {model.name} as model {published.model_id} ({model.kind})")
        session = PromptSession(network, outputs_dir, options.stage_timeout, say)
        with phases.phase("nodes"):
            session.start_nodes()
        prompts = [p for p in DEMO_PROMPTS if p.model in options.models]
        with phases.phase("prompts"):
            session.submit_and_wait(prompts, examples, first=CHEAT_MODEL)
        with phases.phase("checks"):
            session.wait_for_light_checks()
        with phases.phase("finality"):
            session.finalize()
        with phases.phase("epochs"):
            session.share_epoch_fees()
        with phases.phase("claims"):
            session.claim_income()
        with phases.phase("teardown"):
            stopped += network.stop_nodes()
            session.measure()
            stopped += network.stop()
        finished = True
    finally:
        if network is not None:
            stopped += network.stop()
        if finished and not options.keep:
            shutil.rmtree(network_dir, ignore_errors=True)
        elif network_dir.exists():
            console.print(f"the network's files and logs are kept in {network_dir}")
    family = set(stopped)
    left = {record for record in family if record.alive()} | set(marked(network_dir))
    processes = ProcessFacts(len(family), len(left))
    return session.facts(tuple(phases.timings), time.monotonic() - started, processes)


def _prepare_workdir(workdir: Path) -> tuple[Path, Path]:
    """`workdir/network` and `workdir/outputs`, emptied; refuses a folder that is not the
    demo's (one with other files and no marker)."""
    if workdir.exists() and any(workdir.iterdir()) and not (workdir / MARKER).exists():
        raise DemoError(
            f"{workdir} is not empty and not a demo's workdir: choose another with --workdir"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / MARKER).write_text("written by `eternal demo`; safe to delete\n")
    network_dir, outputs_dir = workdir / "network", workdir / "outputs"
    for folder in (network_dir, outputs_dir):
        shutil.rmtree(folder, ignore_errors=True)
    outputs_dir.mkdir()
    return network_dir, outputs_dir


def _printer(console: Console) -> Callable[[str], None]:
    started = time.monotonic()

    def say(text: str) -> None:
        console.print(f"[dim]{time.monotonic() - started:6.1f}s[/] [green]✓[/] {text}")

    return say
