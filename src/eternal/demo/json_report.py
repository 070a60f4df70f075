"""The demo's facts as JSON (`eternal demo --json PATH`): the summary's facts, machine-readable.

Top-level keys: `prompts` (each with `task_id`, `model`, `status`, `winner`, `output_path`,
`gas`: everyone's transactions for that prompt, `gas_by_step`, `user_gas`, ...), `slashed`
(addresses), `honest_slashed`, `conservation_ok`, and the details: `chain`, `models`, `actors`,
`punishments`, `disputes`, `supply`, `shared_gas` (batched claims), `light_checks`, `timings`,
`wall_seconds`, `processes`, `outputs_dir`. Amounts are integers in wei (keys end in `_wei`),
paths are strings, times are seconds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eternal.demo.facts import DemoFacts
from eternal.demo.ledger import Holding


def facts_to_json(facts: DemoFacts) -> dict[str, Any]:
    return {
        "prompts": [
            {
                "task_id": p.task_id,
                "model": p.model,
                "model_id": p.model_id,
                "kind": p.kind,
                "prompt": p.prompt,
                "whitepaper_prompt": p.whitepaper,
                "status": p.status,
                "disputed": p.disputed,
                "winner": p.winner,
                "winner_label": p.winner_label,
                "output_path": str(p.output_path) if p.output_path is not None else None,
                "files": [str(path) for path in p.files],
                "fee_wei": p.fee,
                "gas": p.gas,
                "gas_by_step": p.gas_steps,
                "user_gas": p.user_gas,
                "seconds_to_output": round(p.seconds_to_output, 3),
                "seconds_to_final": round(p.seconds_to_final, 3),
            }
            for p in facts.prompts
        ],
        "slashed": facts.slashed,
        "honest_slashed": facts.honest_slashed,
        "conservation_ok": facts.conservation_ok,
        "chain": {
            "kind": facts.chain.kind,
            "url": facts.chain.url,
            "chain_id": facts.chain.chain_id,
            "deployment_block": facts.chain.deployment_block,
            "contracts": dict(facts.chain.contracts),
            "time_moved_seconds": facts.chain.time_moved,
        },
        "models": [
            {
                "name": m.name,
                "model_id": m.model_id,
                "kind": m.kind,
                "mode": m.mode,
                "package_cid": m.package_cid,
                "fee_wei": m.fee,
                "agents": list(m.agents),
            }
            for m in facts.models
        ],
        "actors": [
            {
                "label": a.label,
                "role": a.role,
                "address": a.address,
                "behaviour": a.behaviour,
                "before": _holding(a.before),
                "after": _holding(a.after),
                "change_wei": a.change,
            }
            for a in facts.actors
        ],
        "punishments": [
            {"address": p.address, "kind": p.kind, "amount_wei": p.amount}
            for p in facts.punishments
        ],
        "disputes": [
            {
                "dispute_id": d.dispute_id,
                "task_id": d.task_id,
                "automatic": d.automatic,
                "challenger": d.challenger,
                "accused": d.accused,
                "committee": list(d.committee),
                "verdict": d.verdict,
                "convicted": [{"address": c.address, "amount_wei": c.amount} for c in d.convicted],
                "credited": [{"address": c.address, "amount_wei": c.amount} for c in d.credited],
                "treasury_wei": d.treasury,
            }
            for d in facts.disputes
        ],
        "supply": {
            "block": facts.supply.block,
            "total_supply_wei": facts.supply.total_supply,
            "held_wei": facts.supply.held,
            "holders": facts.supply.holders,
            "contracts_wei": dict(facts.supply.contracts),
        },
        "shared_gas": facts.shared_gas,
        "light_checks": dict(facts.light_checks),
        "timings": {t.phase: round(t.seconds, 3) for t in facts.timings},
        "wall_seconds": round(facts.wall_seconds, 3),
        "processes": {
            "started": facts.processes.started,
            "left_running": facts.processes.left_running,
        },
        "outputs_dir": str(facts.outputs_dir),
    }


def write_json(facts: DemoFacts, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(facts_to_json(facts), indent=2) + "\n", encoding="utf-8")


def _holding(holding: Holding) -> dict[str, int]:
    return {
        "wallet_wei": holding.wallet,
        "staked_wei": holding.staked,
        "owed_wei": holding.owed,
    }
