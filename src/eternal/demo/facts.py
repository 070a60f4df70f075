"""What a demo run measured: the facts the summary prints and the JSON file holds.

Only measured values live here (read from the chain, the nodes, the clock or the files written);
the report and the JSON writer format them and compute nothing new but sums and differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eternal.demo.ledger import Holding, SupplyCheck
from eternal.demo.penalties import DisputeRecord, Punishment


@dataclass(frozen=True)
class ChainFacts:
    kind: str  # "anvil" or "embedded"
    url: str
    chain_id: int
    deployment_block: int
    contracts: dict[str, str]  # name -> address
    time_moved: int  # seconds the demo moved the chain's clock forward (evm_increaseTime)


@dataclass(frozen=True)
class ModelFacts:
    name: str
    model_id: int
    kind: str
    mode: str  # "exact" or "tolerant"
    package_cid: str
    fee: int
    agents: tuple[str, ...]  # agent addresses


@dataclass(frozen=True)
class PromptFacts:
    task_id: int
    model: str
    model_id: int
    kind: str
    prompt: str
    whitepaper: bool  # the whitepaper's own words
    status: str  # "finalized", "accepted" or "refunded"
    winner: str | None
    winner_label: str | None
    output_path: Path | None
    files: tuple[Path, ...]
    fee: int
    user_gas: int  # gas of the user's transactions for this prompt (SDK Results)
    gas_steps: dict[str, int]  # everyone's gas for it, by step (demo.gas): submit, commits...
    disputed: bool
    seconds_to_output: float  # from submission to the accepted (or settled) output
    seconds_to_final: float  # from submission to finality

    @property
    def gas(self) -> int:
        """Gas the prompt cost the network: every transaction that acted on it alone."""
        return sum(self.gas_steps.values())


@dataclass(frozen=True)
class ActorFacts:
    label: str
    role: str
    address: str
    behaviour: str
    before: Holding  # when every node had joined, before the first prompt
    after: Holding  # after finality, every node stopped

    @property
    def change(self) -> int:
        return self.after.total - self.before.total


@dataclass(frozen=True)
class Timing:
    phase: str
    seconds: float


@dataclass(frozen=True)
class ProcessFacts:
    started: int  # processes the demo started (chain, nodes) and those they started
    left_running: int  # of those, still alive after the teardown


@dataclass(frozen=True)
class DemoFacts:
    chain: ChainFacts
    models: tuple[ModelFacts, ...]
    prompts: tuple[PromptFacts, ...]
    actors: tuple[ActorFacts, ...]
    punishments: tuple[Punishment, ...]
    disputes: tuple[DisputeRecord, ...]
    light_checks: dict[str, int]  # verifier label -> outputs it recomputed and agreed with
    supply: SupplyCheck
    shared_gas: int  # batched claims that paid several tasks out at once (demo.gas)
    timings: tuple[Timing, ...]
    wall_seconds: float
    processes: ProcessFacts
    outputs_dir: Path

    @property
    def slashed(self) -> list[str]:
        """Every address that lost stake, once each, in order of first punishment."""
        return list(dict.fromkeys(p.address for p in self.punishments))

    @property
    def honest_slashed(self) -> int:
        honest = {a.address for a in self.actors if a.behaviour == "honest"}
        return sum(1 for address in self.slashed if address in honest)

    @property
    def conservation_ok(self) -> bool:
        return self.supply.ok

    def label_of(self, address: str | None) -> str:
        if address is None:
            return "-"
        for actor in self.actors:
            if actor.address.lower() == address.lower():
                return actor.label
        for name, contract in self.chain.contracts.items():
            if contract.lower() == address.lower():
                return name
        return address


def shortfalls(facts: DemoFacts) -> list[str]:
    """What the run should have shown and did not (empty: every goal met)."""
    found = []
    unfinished = [p.task_id for p in facts.prompts if p.status != "finalized"]
    if unfinished:
        found.append(f"tasks not finalized: {unfinished}")
    if not facts.conservation_ok:
        found.append("the holders' balances do not add up to the total supply")
    if facts.honest_slashed:
        found.append(f"{facts.honest_slashed} honest account(s) slashed")
    cheats = {a.address for a in facts.actors if a.behaviour != "honest"}
    uncaught = cheats - set(facts.slashed)
    if uncaught:
        found.append(f"dishonest accounts not slashed: {sorted(uncaught)}")
    if facts.processes.left_running:
        found.append(f"{facts.processes.left_running} process(es) left running")
    return found
