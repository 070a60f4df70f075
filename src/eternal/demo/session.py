"""The demo's steps on a running `LocalNetwork`: nodes up, prompts through the SDK, finality,
the verifiers' epoch, the creator's and treasury's claims, then the measurements.

`orchestration.run_demo` calls them in order and times each; `facts()` assembles what was
measured. Every wait watches the node processes: one that dies ends the demo with its log.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.bindings.verifier_registry import EpochRewardClaimed
from eternal.demo.amounts import eai
from eternal.demo.cast import Role
from eternal.demo.errors import DemoTimeout
from eternal.demo.facts import (
    ActorFacts,
    ChainFacts,
    DemoFacts,
    ModelFacts,
    ProcessFacts,
    PromptFacts,
    Timing,
)
from eternal.demo.gas import GasReading, gas_per_task
from eternal.demo.ledger import Holding, SupplyCheck, check_supply, holdings, logs
from eternal.demo.network import LocalNetwork, Model
from eternal.demo.nodes import Node, read_metrics
from eternal.demo.penalties import DisputeRecord, Punishment, disputes, punishments
from eternal.demo.prompts import EXAMPLE_MODELS, DemoPrompt
from eternal.sdk.client import Client
from eternal.sdk.results import Result, Status, Submission
from eternal.sdk.saving import SavedOutput, save_output

Say = Callable[[str], None]
_OUTPUT_STATES = (TaskState.ACCEPTED, TaskState.FINALIZED, TaskState.REFUNDED)
_CHECK_OUTCOMES = ("checked", "challenged", "challenge_refused")
_KINDS = {m.name: m.kind for m in EXAMPLE_MODELS}


@dataclass
class Tracked:
    """One submitted prompt and what happened to it."""

    prompt: DemoPrompt
    model: Model
    submission: Submission
    submitted_at: float
    output_at: float | None = None
    disputed: bool = False
    first: Result | None = None  # when its output stood (accepted, or settled by a dispute)
    final: Result | None = None
    final_at: float | None = None
    saved: SavedOutput | None = None


@dataclass(frozen=True)
class Readings:
    after: dict[str, Holding]
    supply: SupplyCheck
    punishments: list[Punishment]
    disputes: list[DisputeRecord]
    gas: GasReading


class PromptSession:
    def __init__(self, network: LocalNetwork, outputs_dir: Path, timeout: float, say: Say) -> None:
        self.network = network
        self.protocol = network.protocol
        self.outputs_dir = outputs_dir
        self.timeout = timeout
        self.say = say
        user = network.cast.user.account
        self.client = Client(
            protocol=network.protocol, account=user, store=network.store, poll_interval=0.25
        )
        self.tracked: list[Tracked] = []
        self.before: dict[str, Holding] = {}
        self.light_checks: dict[str, int] = {}
        self.time_moved = 0
        self.readings: Readings | None = None

    # ------------------------------------------------------------------ steps

    def start_nodes(self) -> None:
        net = self.network
        nodes = net.start_nodes(net.node_settings())
        agents = [n for n in nodes if n.actor.role is Role.AGENT]
        cheats = [n.name for n in agents if not n.actor.honest]
        per_model = len(agents) // max(1, len(net.models))
        dishonest = f", one dishonest ({', '.join(cheats)}: wrong outputs)" if cheats else ""
        self.say(
            f"started {len(agents)} agents ({per_model} per model{dishonest}) and "
            f"{len(nodes) - len(agents)} verifiers, each its own process"
        )
        net.wait_for("every agent and verifier to stake and join", net.pools_full, self.timeout)
        self.before = self._holdings()
        self.say(f"all {len(nodes)} nodes staked and joined their pools")

    def submit_and_wait(self, prompts: Sequence[DemoPrompt], examples: Path, first: str) -> None:
        """Submit the prompts of model `first` (the dishonest agent's), wait for their outputs,
        then the others. The verifiers settle the dispute before they recompute the others'
        outputs (each verifier loads a model on first use, one at a time)."""
        batches = [
            [p for p in prompts if p.model == first],
            [p for p in prompts if p.model != first],
        ]
        for batch in batches:
            if not batch:
                continue
            fees = 0
            for prompt in batch:
                model = self.network.models[prompt.model]
                inputs = prompt.all_inputs(examples / prompt.model)
                submission = self.client.submit(model.model_id, inputs)
                self.tracked.append(Tracked(prompt, model, submission, time.monotonic()))
                fees += submission.fee
            models = ", ".join(dict.fromkeys(p.model for p in batch))
            self.say(f"submitted {len(batch)} prompt(s) to {models} through the SDK ({eai(fees)})")
            self.network.wait_for("the prompts' outputs", self._outputs_stood, self.timeout)
        for tracked in self.tracked:
            tracked.first = self.client.wait(tracked.submission, timeout=self.timeout)

    def wait_for_light_checks(self) -> None:
        """Until every verifier has recomputed every accepted output (or the stage times out:
        the counts are what they are, and the summary says so)."""
        accepted = sum(1 for t in self.tracked if t.first and t.first.status is Status.ACCEPTED)
        verifiers = [n for n in self.network.nodes if n.actor.role is Role.VERIFIER]

        def all_checked() -> bool:
            done = True
            for node in verifiers:
                counts = _check_counts(node)
                self.light_checks[node.name] = counts.get("checked", 0)
                done = done and sum(counts.values()) >= accepted
            return done

        # Not fatal: the summary reports the checks as counted.
        with contextlib.suppress(DemoTimeout):
            self.network.wait_for("the verifiers' light checks", all_checked, self.timeout)
        total = sum(self.light_checks.values())
        self.say(
            f"the verifiers recomputed the {accepted} accepted outputs on their own: {total} "
            f"of {accepted * len(verifiers)} checks ({len(verifiers)} verifiers) agreed"
        )

    def finalize(self) -> None:
        window = self.network.params.tasks.challenge_window
        self._advance(window + 1, "past the challenge window")
        for tracked in self.tracked:
            tracked.final = self.client.wait_final(tracked.submission, timeout=self.timeout)
            tracked.final_at = time.monotonic()
        self.network.wait_for("every reward to be claimed", self._all_claimed, self.timeout)
        for tracked in self.tracked:
            self._save(tracked)

    def share_epoch_fees(self) -> None:
        """Move the clock an epoch on at a time until the verifiers have pooled every fee and
        claimed every pool: fees collected in an epoch are paid once it is over."""
        p = self.protocol
        verifiers = [v.address for v in self.network.cast.of_role(Role.VERIFIER)]
        registry = p.verifiers
        for _ in range(2):
            self._advance(self.network.params.epoch_length, "to the next epoch")
            epoch = registry.current_epoch()

            def settled(epoch: int = epoch) -> bool:
                checked_in = all(
                    registry.verifier_info(v).last_seen_epoch == epoch for v in verifiers
                )
                owed = any(registry.pending_reward(e, v) for e in range(epoch) for v in verifiers)
                return checked_in and not owed and p.tasks.accrued().verifier_fees == 0

            self.network.wait_for(f"the verifiers' epoch {epoch}", settled, self.timeout)
            paid = logs(
                registry, EpochRewardClaimed, p.deployment.block_number, p.backend.block_number()
            )
            pooled = registry.epoch_pool(epoch).fees
            self.say(
                f"epoch {epoch}: the verifiers checked in; {eai(sum(e.amount for e in paid))} of "
                f"fees paid to them so far, {eai(pooled)} pooled for this epoch"
            )
            if pooled == 0:
                return

    def claim_income(self) -> None:
        """The creator claims each model's income; governance sweeps the treasury's share."""
        p = self.protocol
        creator, gov = self.network.cast.creator.account, self.network.cast.gov.account
        wallet, treasury = (
            p.token.balance_of(creator.address),
            p.token.balance_of(p.treasury.address),
        )
        for model in self.network.models.values():
            if p.tasks.model_income(model.model_id):
                p.tasks.claim_model_income(creator, model.model_id)
        if p.tasks.accrued().treasury_share:
            p.tasks.sweep_treasury(gov)
        claimed = p.token.balance_of(creator.address) - wallet
        swept = p.token.balance_of(p.treasury.address) - treasury
        self.say(
            f"the creator claimed {eai(claimed)} of model income; governance swept "
            f"{eai(swept)} to the treasury"
        )

    def measure(self) -> None:
        """Read balances, the supply and the events; call with every node stopped."""
        after = self._holdings()
        supply = check_supply(self.protocol)
        self.readings = Readings(
            after,
            supply,
            punishments(self.protocol, supply.block),
            disputes(self.protocol, supply.block),
            gas_per_task(self.protocol, supply.block),
        )

    # ------------------------------------------------------------------ facts

    def facts(
        self, timings: tuple[Timing, ...], wall_seconds: float, processes: ProcessFacts
    ) -> DemoFacts:
        if self.readings is None:
            raise RuntimeError("measure() first")
        net, r = self.network, self.readings
        cast = net.cast
        backend = self.protocol.backend
        return DemoFacts(
            chain=ChainFacts(
                kind=net.chain.kind.value,
                url=net.chain.url,
                chain_id=backend.chain_id,
                deployment_block=self.protocol.deployment.block_number,
                contracts=self.protocol.deployment.contract_addresses(),
                time_moved=self.time_moved,
            ),
            models=tuple(
                ModelFacts(
                    name=m.name,
                    model_id=m.model_id,
                    kind=_KINDS.get(m.name, m.metadata.modality.value),
                    mode=m.metadata.verification.mode.value,
                    package_cid=m.published.package_cid,
                    fee=m.published.terms.fee,
                    agents=tuple(a.address for a in cast.agents_of(m.name)),
                )
                for m in net.models.values()
            ),
            prompts=tuple(self._prompt_facts(t, r.gas) for t in self.tracked),
            actors=tuple(
                ActorFacts(
                    a.label,
                    a.role.value,
                    a.address,
                    a.behaviour,
                    self.before[a.address],
                    r.after[a.address],
                )
                for a in cast.actors
            ),
            punishments=tuple(r.punishments),
            disputes=tuple(r.disputes),
            light_checks=dict(self.light_checks),
            supply=r.supply,
            shared_gas=r.gas.shared,
            timings=timings,
            wall_seconds=wall_seconds,
            processes=processes,
            outputs_dir=self.outputs_dir,
        )

    def _prompt_facts(self, t: Tracked, gas_reading: GasReading) -> PromptFacts:
        final = t.final or t.first
        if final is None or t.output_at is None:
            raise RuntimeError(f"task {t.submission.task_id} has no result")
        first_gas = t.first.gas_used - t.submission.gas_used if t.first else 0
        winner = final.winner
        actor = self.network.cast.by_address(winner) if winner else None
        gas = gas_reading.tasks.get(t.submission.task_id)
        return PromptFacts(
            task_id=t.submission.task_id,
            model=t.model.name,
            model_id=t.model.model_id,
            kind=t.prompt.kind,
            prompt=t.prompt.text,
            whitepaper=t.prompt.whitepaper,
            status=final.status.value,
            winner=winner,
            winner_label=actor.label if actor else None,
            output_path=t.saved.main if t.saved else None,
            files=t.saved.files if t.saved else (),
            fee=t.submission.fee,
            # The submission, plus what the SDK sent while waiting (finalize calls), both waits.
            user_gas=final.gas_used + first_gas,
            gas_steps=dict(gas.steps) if gas is not None else {},
            disputed=t.disputed,
            seconds_to_output=t.output_at - t.submitted_at,
            seconds_to_final=(t.final_at or t.output_at) - t.submitted_at,
        )

    # ------------------------------------------------------------------ helpers

    def _outputs_stood(self) -> bool:
        for t in self.tracked:
            if t.output_at is not None:
                continue
            state = self.protocol.tasks.task(t.submission.task_id).state
            if state is TaskState.DISPUTED and not t.disputed:
                t.disputed = True
                self.say(
                    f"task {t.submission.task_id} ({t.model.name}): the agents' outputs differ, "
                    "a dispute opened by itself and a committee of verifiers recomputes it"
                )
            if state in _OUTPUT_STATES:
                t.output_at = time.monotonic()
                self.say(
                    f"task {t.submission.task_id} ({t.model.name}): {state.name.lower()} after "
                    f"{t.output_at - t.submitted_at:.1f} s"
                )
        return all(t.output_at is not None for t in self.tracked)

    def _all_claimed(self) -> bool:
        p = self.protocol
        winners = {t.final.winner for t in self.tracked if t.final and t.final.winner}
        verifiers = [v.address for v in self.network.cast.of_role(Role.VERIFIER)]
        return all(p.tasks.claimable(w) == 0 for w in winners) and all(
            p.disputes.claimable(v) == 0 for v in verifiers
        )

    def _advance(self, seconds: int, why: str) -> None:
        backend = self.protocol.backend
        before = backend.latest_timestamp()
        self.network.advance_time(seconds)
        moved = backend.latest_timestamp() - before
        self.time_moved += moved
        self.say(f"moved the chain's clock {moved} s forward, {why} (instead of waiting)")

    def _save(self, t: Tracked) -> None:
        result = t.final
        if result is None or result.status is Status.REFUNDED:
            return
        kind = t.model.metadata.output.kind
        stem = self.outputs_dir / f"task-{t.submission.task_id}-{t.model.name}"
        t.saved = save_output(stem, kind, result.output, result.files, result.media_type)
        winner = self.network.cast.by_address(result.winner or "")
        self.say(
            f"task {t.submission.task_id} ({t.model.name}) {result.status.value}: winner "
            f"{winner.label if winner else result.winner}; output saved to {t.saved.main}"
        )

    def _holdings(self) -> dict[str, Holding]:
        ids = [m.model_id for m in self.network.models.values()]
        return holdings(self.protocol, self.network.cast.actors, ids)


def _check_counts(node: Node) -> dict[str, int]:
    samples = read_metrics(node.metrics_url) or {}
    return {
        outcome: int(samples.get(f'eternal_tasks_total{{outcome="{outcome}"}}', 0))
        for outcome in _CHECK_OUTCOMES
    }
