"""How the summary and the JSON file present a run's facts (fabricated here: the point is the
formatting, and what it flags; the facts themselves come from tests/integration/demo)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from rich.console import Console

from eternal.demo.facts import (
    ActorFacts,
    ChainFacts,
    DemoFacts,
    ModelFacts,
    ProcessFacts,
    PromptFacts,
    Timing,
    shortfalls,
)
from eternal.demo.json_report import facts_to_json, write_json
from eternal.demo.ledger import Holding, SupplyCheck
from eternal.demo.penalties import Credit, DisputeRecord, Punishment
from eternal.demo.report import output_names, render

EAI = 10**18
HONEST_AGENT = "0x" + "a1" * 20
CHEAT = "0x" + "c4" * 20
VERIFIER = "0x" + "b2" * 20
OUT = Path("/demo/outputs")


def _facts(**changes: object) -> DemoFacts:
    facts = DemoFacts(
        chain=ChainFacts(
            "anvil", "http://127.0.0.1:8545", 31337, 1, {"Treasury": "0x" + "77" * 20}, 1801
        ),
        models=(
            ModelFacts(
                "bach-chorale",
                3,
                "music generation",
                "exact",
                "bafk",
                10 * EAI,
                (HONEST_AGENT, CHEAT),
            ),
        ),
        prompts=(
            PromptFacts(
                task_id=1,
                model="bach-chorale",
                model_id=3,
                kind="music generation",
                prompt="Compose a serene, ambient piece",
                whitepaper=True,
                status="finalized",
                winner=HONEST_AGENT,
                winner_label="bach-chorale agent 1",
                output_path=OUT / "task-1-bach-chorale.json",
                files=(OUT / "task-1-bach-chorale-midi.mid", OUT / "task-1-bach-chorale-wav.wav"),
                fee=10 * EAI,
                user_gas=196_920,
                gas_steps={
                    "submit": 129_238,
                    "commits": 153_477,
                    "reveals": 210_410,
                    "votes": 4_012,
                },
                disputed=True,
                seconds_to_output=14.6,
                seconds_to_final=120.0,
            ),
        ),
        actors=(
            ActorFacts(
                "bach-chorale agent 1",
                "agent",
                HONEST_AGENT,
                "honest",
                Holding(900 * EAI, 100 * EAI, 0),
                Holding(915 * EAI, 100 * EAI, 0),
            ),
            ActorFacts(
                "bach-chorale agent 3",
                "agent",
                CHEAT,
                "wrong-output",
                Holding(900 * EAI, 100 * EAI, 0),
                Holding(900 * EAI, 50 * EAI, 0),
            ),
            ActorFacts(
                "verifier 1",
                "verifier",
                VERIFIER,
                "honest",
                Holding(4_000 * EAI, 1_000 * EAI, 0),
                Holding(4_000 * EAI, 1_000 * EAI, 5 * EAI // 2),
            ),
        ),
        punishments=(Punishment(CHEAT, "fraud slash", 50 * EAI),),
        disputes=(
            DisputeRecord(
                dispute_id=1,
                task_id=1,
                automatic=True,
                challenger=None,
                accused=CHEAT,
                committee=(VERIFIER,),
                verdict="guilty",
                convicted=(Credit(CHEAT, 50 * EAI),),
                credited=(Credit(VERIFIER, 5 * EAI // 2),),
                treasury=95 * EAI // 2,
            ),
        ),
        light_checks={"verifier 1": 5},
        supply=SupplyCheck(300, 36_060 * EAI, 36_060 * EAI, 28, {"Treasury": 46 * EAI}),
        shared_gas=61_000,
        timings=(Timing("nodes", 34.8), Timing("prompts", 48.1)),
        wall_seconds=162.8,
        processes=ProcessFacts(90, 0),
        outputs_dir=OUT,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def _text(facts: DemoFacts) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(render(facts, json_path=Path("build/demo.json")))
    return console.export_text()


def test_the_summary_names_winner_saved_files_gas_and_who_caught_the_cheat() -> None:
    text = _text(_facts())
    assert "bach-chorale agent 1" in text and "gas: 497,137, the user's 196,920" in text
    assert "1  129,238  153,477  210,410  4,012  497,137" in text  # by step, then the total
    assert "and 61,000 gas of batched claims" in text
    assert "task-1-bach-chorale.json + -midi.mid, -wav.wav" in text
    assert "finalized after a dispute" in text
    assert "verdict on bach-chorale agent 3's output: guilty" in text
    assert "paid for catching it: verifier 1 2.5 EAI" in text
    assert "to the treasury: 47.5 EAI" in text
    assert "stake 100 EAI → 50 EAI" in text
    assert "36,060 EAI; totalSupply is 36,060 EAI: exact" in text
    assert "honest accounts slashed: 0" in text
    assert "90 started, 0 left running" in text


def test_a_slashed_honest_actor_and_a_supply_gap_are_flagged() -> None:
    facts = _facts(
        punishments=(Punishment(HONEST_AGENT, "missed deadline", EAI),),
        supply=SupplyCheck(300, 100 * EAI, 99 * EAI, 28, {}),
    )
    text = _text(facts)
    assert "bach-chorale agent 1 (honest!): missed deadline, lost 1 EAI" in text
    assert "off by -1 EAI" in text
    assert shortfalls(facts) == [
        "the holders' balances do not add up to the total supply",
        "1 honest account(s) slashed",
        f"dishonest accounts not slashed: ['{CHEAT}']",
    ]


def test_a_run_that_met_every_goal_has_no_shortfalls() -> None:
    assert shortfalls(_facts()) == []


def test_an_unfinished_task_and_a_leftover_process_are_shortfalls() -> None:
    prompt = dataclasses.replace(_facts().prompts[0], status="accepted")
    facts = _facts(prompts=(prompt,), processes=ProcessFacts(90, 2))
    assert shortfalls(facts) == ["tasks not finalized: [1]", "2 process(es) left running"]


def test_the_json_file_holds_the_issues_keys_with_exact_wei(tmp_path: Path) -> None:
    path = tmp_path / "out" / "demo.json"
    write_json(_facts(), path)
    data = json.loads(path.read_text())
    prompt = data["prompts"][0]
    assert {k: prompt[k] for k in ("task_id", "model", "status", "winner", "gas")} == {
        "task_id": 1,
        "model": "bach-chorale",
        "status": "finalized",
        "winner": HONEST_AGENT,
        "gas": 497_137,
    }
    assert prompt["user_gas"] == 196_920 and prompt["gas_by_step"]["votes"] == 4_012
    assert data["shared_gas"] == 61_000
    assert prompt["output_path"] == str(OUT / "task-1-bach-chorale.json")
    assert data["slashed"] == [CHEAT]
    assert data["conservation_ok"] is True and data["honest_slashed"] == 0
    assert data["supply"]["total_supply_wei"] == 36_060 * EAI
    assert data["actors"][1]["change_wei"] == -50 * EAI
    assert facts_to_json(_facts())["timings"] == {"nodes": 34.8, "prompts": 48.1}


def test_slashed_lists_each_address_once_in_order_of_first_punishment() -> None:
    facts = _facts(
        punishments=(
            Punishment(CHEAT, "missed deadline", 1),
            Punishment(VERIFIER, "verifier penalty", 2),
            Punishment(CHEAT, "fraud slash", 3),
        )
    )
    assert facts.slashed == [CHEAT, VERIFIER]
    assert facts.honest_slashed == 1


def test_output_names_show_what_each_extra_file_adds() -> None:
    main = Path("task-4-sales.json")
    assert output_names(main, (Path("task-4-sales-chart.png"), Path("other.bin"))) == (
        "task-4-sales.json + -chart.png, other.bin"
    )
    assert output_names(main, ()) == "task-4-sales.json"
