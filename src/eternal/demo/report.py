"""The demo's summary, printed with rich from the measured `DemoFacts` (nothing is computed
here but sums and differences of measured values).

    prompts      each prompt's model, status, winner, saved output, gas
    gas          each prompt's gas by step (submit, commits, reveals, votes, finalize)
    cheating     who was punished, the dispute's verdict, who was paid for catching it
    money        every actor's EAI before the first prompt and after the end
    supply       every holder's balance against totalSupply, at one block
    run          phase timings, chain time moved, light checks, processes left
"""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from eternal.demo.amounts import eai, signed_eai
from eternal.demo.facts import DemoFacts


def render(facts: DemoFacts, *, json_path: Path | None = None) -> Group:
    """The whole summary, ready for `console.print`."""
    parts: list[RenderableType] = [
        _headline(facts),
        prompts_table(facts),
        gas_table(facts),
        cheating_panel(facts),
        money_table(facts),
        supply_panel(facts),
        run_table(facts),
    ]
    files = f"outputs: {facts.outputs_dir}"
    if json_path is not None:
        files += f"\nfacts as JSON: {json_path}"
    parts.append(Text(files))
    return Group(*parts)


def print_summary(console: Console, facts: DemoFacts, *, json_path: Path | None = None) -> None:
    console.print(render(facts, json_path=json_path))


def _headline(facts: DemoFacts) -> Panel:
    roles = [a.role for a in facts.actors]
    verdict = "[green]all final[/]" if _all_final(facts) else "[red]not all final[/]"
    text = (
        f"{len(facts.prompts)} prompts on {len(facts.models)} models, "
        f"{roles.count('agent')} agents and {roles.count('verifier')} verifiers as processes, "
        f"on {facts.chain.kind} ({facts.chain.url}, chain id {facts.chain.chain_id}); "
        f"{verdict} in {facts.wall_seconds:.1f} s"
    )
    return Panel(text, title="Eternal demo", expand=False)


def _all_final(facts: DemoFacts) -> bool:
    return all(p.status in ("finalized", "refunded") for p in facts.prompts)


def prompts_table(facts: DemoFacts) -> Table:
    table = Table(
        title=f"Prompts (outputs in {facts.outputs_dir})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=True,
    )
    table.add_column("task", justify="right", no_wrap=True)
    table.add_column("prompt and output", ratio=3)
    table.add_column("result", ratio=2)
    for p in facts.prompts:
        adapted = "" if p.whitepaper else " (adapted: the model draws animals)"
        lines = [f"[bold]{p.kind}[/] · {p.model}", f"“{escape(p.prompt)}”{adapted}"]
        if p.output_path is not None:
            lines.append(escape(f"→ {output_names(p.output_path, p.files)}"))
        status = p.status + (" after a dispute" if p.disputed else "")
        winner = p.winner_label or facts.label_of(p.winner)
        result = [status, f"winner: {winner}", f"fee: {eai(p.fee)}"]
        result += [f"gas: {p.gas:,}, the user's {p.user_gas:,}"]
        table.add_row(str(p.task_id), "\n".join(lines), escape("\n".join(result)))
    return table


def gas_table(facts: DemoFacts) -> Table:
    """Each prompt's gas by step, every actor's transactions (demo.gas)."""
    steps = list(dict.fromkeys(step for p in facts.prompts for step in p.gas_steps))
    table = Table(
        title="Gas per prompt, every actor's transactions",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    for name in ["task", *steps, "total"]:
        table.add_column(name, justify="right", no_wrap=True)
    for p in facts.prompts:
        cells = [f"{p.gas_steps[step]:,}" if step in p.gas_steps else "-" for step in steps]
        table.add_row(str(p.task_id), *cells, f"[bold]{p.gas:,}[/]")
    if facts.shared_gas:
        table.caption = f"and {facts.shared_gas:,} gas of batched claims paying several tasks out"
        table.caption_justify = "left"
    return table


def output_names(main: Path, files: tuple[Path, ...]) -> str:
    """The saved files, each after the first by what its name adds to the first's stem:
    "task-1-bach.json + -midi.mid, -wav.wav"."""
    extra = [
        path.name.removeprefix(main.stem) if path.name.startswith(main.stem) else path.name
        for path in files
    ]
    return main.name + (f" + {', '.join(extra)}" if extra else "")


def cheating_panel(facts: DemoFacts) -> Panel:
    lines: list[str] = []
    honest = {a.address for a in facts.actors if a.behaviour == "honest"}
    for punishment in facts.punishments:
        who = facts.label_of(punishment.address)
        tag = "" if punishment.address not in honest else " [red](honest!)[/]"
        lines.append(f"[bold]{who}[/]{tag}: {punishment.kind}, lost {eai(punishment.amount)}")
    for d in facts.disputes:
        how = (
            "opened by itself (EXACT outputs differed)"
            if d.automatic
            else (f"challenged by {facts.label_of(d.challenger)}")
        )
        committee = ", ".join(facts.label_of(member) for member in d.committee)
        lines.append(f"dispute {d.dispute_id} on task {d.task_id}: {how}; committee: {committee}")
        lines.append(f"  verdict on {facts.label_of(d.accused)}'s output: [bold]{d.verdict}[/]")
        for convicted in d.convicted:
            lines.append(
                f"  convicted {facts.label_of(convicted.address)}: {eai(convicted.amount)}"
            )
        for credit in d.credited:
            lines.append(
                f"  paid for catching it: {facts.label_of(credit.address)} {eai(credit.amount)}"
            )
        lines.append(f"  to the treasury: {eai(d.treasury)}")
    if not lines:
        lines.append("nobody was punished and nothing was disputed")
    lines.append(
        f"slashed: {len(facts.slashed)} account(s); honest accounts slashed: {facts.honest_slashed}"
    )
    return Panel("\n".join(lines), title="Cheating, caught", title_align="left", expand=False)


def money_table(facts: DemoFacts) -> Table:
    table = Table(
        title="EAI per actor, before the first prompt and after the end",
        title_justify="left",
        caption="held = wallet + stake + credited but not yet claimed",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("actor")
    for column in ("held before", "held after", "change"):
        table.add_column(column, justify="right")
    for a in facts.actors:
        label = a.label + ("" if a.behaviour == "honest" else f" [red]({a.behaviour})[/]")
        if a.after.staked != a.before.staked:
            label += f"\nstake {eai(a.before.staked)} → {eai(a.after.staked)}"
        change = signed_eai(a.change)
        if a.change:
            change = f"[{'green' if a.change > 0 else 'red'}]{change}[/]"
        table.add_row(label, eai(a.before.total), eai(a.after.total), change)
    return table


def supply_panel(facts: DemoFacts) -> Panel:
    s = facts.supply
    mark = "[green]exact[/]" if s.ok else f"[red]off by {eai(s.held - s.total_supply)}[/]"
    contracts = ", ".join(f"{name} {eai(amount)}" for name, amount in s.contracts.items() if amount)
    text = (
        f"at block {s.block}, every node stopped: the {s.holders} addresses that ever received EAI "
        f"hold {eai(s.held)}; totalSupply is {eai(s.total_supply)}: {mark}\n"
        f"held by the contracts: {contracts or 'nothing'}"
    )
    return Panel(text, title="Supply conservation", title_align="left", expand=False)


def run_table(facts: DemoFacts) -> Table:
    table = Table(title="The run", title_justify="left", show_header=False)
    table.add_column(style="dim")
    table.add_column()
    for timing in facts.timings:
        table.add_row(timing.phase, f"{timing.seconds:.1f} s")
    table.add_row("total", f"{facts.wall_seconds:.1f} s")
    table.add_row("chain time moved", f"{facts.chain.time_moved} s (evm_increaseTime, not waited)")
    checks = ", ".join(f"{name} {count}" for name, count in facts.light_checks.items())
    table.add_row("light checks agreed", checks or "-")
    processes = facts.processes
    table.add_row(
        "processes", f"{processes.started} started, {processes.left_running} left running"
    )
    return table
