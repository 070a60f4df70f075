"""Every page of the explorer, after a played story: the facts on chain, rendered.

Expected amounts come from the protocol's parameters and the story's own choices, not from the
explorer's arithmetic.
"""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import Verdict
from eternal.chain.params import EAI
from eternal.explorer.formatting import eai
from eternal.explorer.views import Explorer
from eternal.storage.cid import cid_of, sha256
from tests.support.disputes import BPS, expected_split
from tests.support.explorer_scenario import LIE, STORY, Scenario
from tests.support.prompting import FEE

STAKE = 100 * EAI  # what `prompting.publish` stakes per agent


def page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def cheater_of(scenario: Scenario) -> str:
    return scenario.agents_of(scenario.disputed_task)[2]


# ---------------------------------------------------------------------------------- overview


def test_overview_counts_models_agents_verifiers_and_tasks(
    client: TestClient, explorer: Explorer
) -> None:
    overview = explorer.overview()

    assert [name for _, name, _ in overview.models] == ["forecast", "singer", "painter", "echo"]
    assert len(overview.index.agents) == 8
    assert overview.active_agents == 7  # the convicted cheater left its pool
    assert overview.verifier_pool == 8
    assert (overview.open_tasks, overview.finished_tasks) == (1, 5)
    text = page(client, "/")
    for name in ("forecast", "singer", "painter", "echo"):
        assert f">{name}</a>" in text
    assert "of 8 staked" in text


def test_overview_shows_supply_and_treasury_as_the_token_holds_them(
    client: TestClient, scenario: Scenario
) -> None:
    p = scenario.net.protocol
    text = page(client, "/")

    assert eai(p.token.total_supply()) in text
    assert eai(p.token.balance_of(p.deployment.treasury)) in text
    assert eai(p.token.balance_of(p.deployment.verifiers)) in text  # 8 verifiers' stakes


def test_overview_lists_every_task_with_its_state(client: TestClient, scenario: Scenario) -> None:
    text = page(client, "/")

    for task_id in range(1, scenario.open_task + 1):
        assert f'href="/tasks/{task_id}"' in text
    assert text.count(">finalized</span>") == 5
    assert text.count(">committing</span>") == 1


# ---------------------------------------------------------------------------------- tasks


def test_task_page_shows_commits_in_order_the_winner_and_the_text_output(
    client: TestClient, explorer: Explorer, scenario: Scenario
) -> None:
    task = explorer.task(scenario.text_task)
    agents = scenario.agents_of(scenario.text_task)

    assert [slot.address for slot in task.slots] == agents
    assert [slot.committed for slot in task.slots] == [0, 1, 2]  # index order, as answered
    assert task.winner is not None and task.winner.address == agents[0]
    assert task.output is not None and task.output.text == STORY
    commits = [step for step in task.steps if step.what.startswith("committed")]
    assert [step.agent for step in commits] == agents
    text = page(client, f"/tasks/{scenario.text_task}")
    assert html.escape(STORY) in text
    assert "Winner" in text and agents[0] in text


def test_finalized_task_shows_its_fee_split(client: TestClient, scenario: Scenario) -> None:
    t = scenario.net.params.tasks
    text = page(client, f"/tasks/{scenario.text_task}")

    for share, bps in (("winner", t.winner_bps), ("creator", t.creator_bps)):
        row = text[text.index(f"<th>{share} share</th>") :]
        assert row.startswith(f"<th>{share} share</th>")
        assert eai(FEE * bps // BPS) in row[:200]
    reward_row = text[text.index("<th>block reward</th>") :][:200]
    assert eai(t.initial_block_reward) in reward_row


def test_image_output_is_shown_as_an_image_served_verified(
    client: TestClient, scenario: Scenario
) -> None:
    text = page(client, f"/tasks/{scenario.image_task}")
    src = f"/blobs/{cid_of(scenario.png)}"

    assert f'<img src="{src}"' in text
    response = client.get(src)
    assert response.headers["content-type"] == "image/png"
    assert response.content == scenario.png


def test_audio_output_is_shown_as_a_player(client: TestClient, scenario: Scenario) -> None:
    text = page(client, f"/tasks/{scenario.audio_task}")
    src = f"/blobs/{cid_of(scenario.wav)}"

    assert f'<audio controls preload="metadata" src="{src}">' in text
    assert client.get(src).headers["content-type"] == "audio/wav"


def test_json_output_is_pretty_printed_with_its_chart_rendered(
    client: TestClient, scenario: Scenario
) -> None:
    text = page(client, f"/tasks/{scenario.chart_task}")

    assert "&#34;next&#34;: [\n    3.5,\n    4.25\n  ]" in text
    assert f'<img src="/blobs/{cid_of(scenario.chart_png)}" alt="chart">' in text


def test_disputed_task_marks_the_differing_output_and_its_conviction(
    client: TestClient, explorer: Explorer, scenario: Scenario
) -> None:
    task = explorer.task(scenario.disputed_task)

    honest, _, liar = task.slots
    assert honest.winner and not honest.convicted
    assert liar.agrees is False and liar.convicted
    assert liar.reveal is not None and liar.reveal.digest == sha256(LIE.encode())
    assert [d.dispute_id for d in task.disputes] == [scenario.dispute_id]
    text = page(client, f"/tasks/{scenario.disputed_task}")
    assert f'href="/disputes/{scenario.dispute_id}"' in text
    assert ">convicted</span>" in text


def test_open_task_waits_for_its_output(
    client: TestClient, explorer: Explorer, scenario: Scenario
) -> None:
    task = explorer.task(scenario.open_task)

    assert [slot.committed for slot in task.slots] == [0, None]
    assert task.output is None
    text = page(client, f"/tasks/{scenario.open_task}")
    assert "No output revealed yet." in text
    assert ">committing</span>" in text


# ---------------------------------------------------------------------------------- disputes


def test_dispute_page_shows_committee_votes_verdict_and_slash(
    client: TestClient, explorer: Explorer, scenario: Scenario
) -> None:
    net = scenario.net
    cheater = cheater_of(scenario)
    dispute = explorer.dispute(scenario.dispute_id)
    slashed = STAKE * net.params.disputes.fraud_slash_bps // BPS
    # A mismatch accuses the candidate winner (index 0, honest here); every member voted the
    # honest digest, which convicts the one output that differs from it.
    split = expected_split(
        net, slashed=slashed, bond=0, innocent=True, has_challenger=False, voters=5
    )

    assert dispute.accused is not None and dispute.accused.index == 0
    assert [m.verifier_id for m in dispute.members] == list(
        net.protocol.disputes.dispute(scenario.dispute_id).committee
    )
    assert [m.stance for m in dispute.members] == ["for"] * 5
    assert [m.credited for m in dispute.members] == [split.per_voter] * 5
    assert dispute.dispute.resolution is not None
    assert dispute.dispute.resolution.verdict is Verdict.INNOCENT
    assert dispute.convicted == [(net.protocol.agents.id_of(cheater), cheater, slashed)]
    text = page(client, f"/disputes/{scenario.dispute_id}")
    assert "the chain: the revealed digests differ" in text
    assert cheater in text
    assert text.count(">for the accused</span>") == 5


# ---------------------------------------------------------------------------------- actors


def test_winner_agent_page_shows_its_reward(client: TestClient, scenario: Scenario) -> None:
    winner = scenario.agents_of(scenario.image_task)[0]
    t = scenario.net.params.tasks
    reward = FEE * t.winner_bps // BPS + t.initial_block_reward

    text = page(client, f"/agents/{winner}")

    assert eai(reward) in text
    assert "won" in text and f'href="/tasks/{scenario.image_task}"' in text


def test_cheater_agent_page_shows_its_slash_and_deactivation(
    client: TestClient, explorer: Explorer, scenario: Scenario
) -> None:
    agent = explorer.agent(cheater_of(scenario))
    slashed = STAKE * scenario.net.params.disputes.fraud_slash_bps // BPS

    assert agent.info.status is AgentStatus.DEACTIVATED
    assert agent.record.slashed == slashed
    assert agent.info.stake == STAKE - slashed
    text = page(client, f"/agents/{cheater_of(scenario)}")
    assert "convicted of fraud" in text and f'href="/disputes/{scenario.dispute_id}"' in text
    assert ">deactivated</span>" in text


def test_verifier_page_shows_its_committee_and_voting_reward(
    client: TestClient, explorer: Explorer, scenario: Scenario
) -> None:
    net = scenario.net
    member_id = net.protocol.disputes.dispute(scenario.dispute_id).committee[0]
    member = net.protocol.verifiers.verifier_of(member_id)

    verifier = explorer.verifier(member)

    assert verifier.record.dispute_ids == [scenario.dispute_id]
    assert verifier.claimable == verifier.record.credited > 0
    text = page(client, f"/verifiers/{member}")
    assert "drawn for the committee" in text and "revealed its vote" in text


def test_model_page_shows_owner_terms_income_and_metadata(
    client: TestClient, explorer: Explorer, scenario: Scenario
) -> None:
    net = scenario.net
    creator_share = FEE * net.params.tasks.creator_bps // BPS

    model = explorer.model(scenario.text_model)

    assert model.owner == net.creator.address
    assert model.metadata is not None and model.metadata.name == "echo"
    assert model.record.income_earned == model.income_unclaimed == 2 * creator_share
    assert model.pool_size == 2
    text = page(client, f"/models/{scenario.text_model}")
    assert net.creator.address in text
    assert "<code>prompt</code>" in text
    assert eai(2 * creator_share) in text


# ---------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "path",
    [
        "/tasks/99",
        "/tasks/one",
        "/disputes/42",
        "/models/17",
        "/agents/0x1234",
        "/agents/0x000000000000000000000000000000000000dEaD",
        "/verifiers/0x000000000000000000000000000000000000dEaD",
        "/nowhere",
    ],
)
def test_unknown_ids_answer_a_clear_404_page(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text
    assert "there is no" in response.text
