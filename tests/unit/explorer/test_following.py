"""The explorer following a chain that moves: incremental refreshes, and pages that change
with it (misses, reassignment, refunds, a convicted winner, a sold model, the prompt rate)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eternal.chain.params import EAI
from eternal.explorer import create_app
from eternal.explorer.indexer import Indexer
from eternal.explorer.views import Explorer
from eternal.storage.local import LocalStore
from tests.support.disputes import BPS, challenge_winner, everyone, staked_model, vote_and_resolve
from tests.support.explorer_scenario import prompt
from tests.support.network import WRONG, Network
from tests.support.prompting import ECHO, answer, publish


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "blobs")


@pytest.fixture
def client(network: Network, store: LocalStore) -> TestClient:
    app = create_app(network.protocol, store, refresh_seconds=0)
    app.state.explorer.refresh()  # the deployment's blocks, read once up front
    return TestClient(app)


def explorer_of(client: TestClient) -> Explorer:
    explorer: Explorer = client.app.state.explorer  # type: ignore[attr-defined]
    return explorer


def test_each_refresh_reads_only_what_is_new(network: Network, store: LocalStore) -> None:
    indexer = Indexer(network.protocol)
    indexer.refresh()

    model_id = publish(network, store, ECHO, agents=3)
    assert indexer.refresh() == 5  # ModelRegistered, the token's mint, three AgentStaked
    assert indexer.refresh() == 0
    assert indexer.index.block == network.chain.block_number()
    assert indexer.index.models[model_id].agent_ids == [1, 2, 3]
    assert len(indexer.index.agents) == 3


@pytest.mark.slow
def test_an_index_read_block_by_block_equals_one_read_in_large_steps(
    client: TestClient, network: Network, store: LocalStore
) -> None:
    model_id = publish(network, store, ECHO, agents=3)
    task_id = prompt(network, model_id, "hello")
    answer(network, store, task_id, [b"same"] * 3)

    followed = explorer_of(client)  # read the deployment, then the flow in one go
    followed.refresh()
    by_block = Indexer(network.protocol, log_range=1)
    by_block.refresh()

    assert by_block.index == followed.index
    assert followed.index.tasks[task_id].accepted is not None


@pytest.mark.slow
def test_a_reverted_chain_is_read_again(network: Network, store: LocalStore) -> None:
    indexer = Indexer(network.protocol)
    snapshot = network.chain.snapshot()
    publish(network, store, ECHO, agents=1)
    indexer.refresh()
    assert len(indexer.index.models) == 1

    network.chain.revert(snapshot)
    indexer.refresh()

    assert indexer.index.models == {}


def test_a_network_without_activity_has_an_overview(client: TestClient) -> None:
    text = client.get("/").text

    assert "No prompt yet." in text and "No model yet." in text and "No dispute yet." in text


def test_task_page_follows_the_task_as_it_moves(
    client: TestClient, network: Network, store: LocalStore
) -> None:
    model_id = publish(network, store, ECHO, agents=3)
    task_id = prompt(network, model_id, "hello")
    assert "No output revealed yet." in client.get(f"/tasks/{task_id}").text

    commitments = answer(network, store, task_id, [b"three agents agree"] * 3, reveal=False)
    text = client.get(f"/tasks/{task_id}").text
    assert text.count("<td>#") == 3
    assert ">revealing</span>" in text  # all three committed: the reveal phase opened

    for commitment in commitments:
        network.reveal(task_id, commitment, f"ipfs://{store.put(b'three agents agree')}")
    text = client.get(f"/tasks/{task_id}").text
    assert ">accepted</span>" in text and "three agents agree" in text


def test_misses_reassignment_and_refund_are_shown(
    client: TestClient, network: Network, store: LocalStore
) -> None:
    model_id = publish(network, store, ECHO, agents=3, redundancy=2)
    task_id = prompt(network, model_id, "hello")
    first = [agent.address for agent in network.assigned(task_id)]
    network.pass_commit_window()
    network.protocol.tasks.finalize(network.users[0], task_id)  # both missed: reassign
    network.pass_commit_window()
    network.protocol.tasks.finalize(network.users[0], task_id)  # the fresh one missed: refund

    text = client.get(f"/tasks/{task_id}").text
    assert "<strong>reassigned</strong>" in text
    assert text.count("<strong>missed its deadline</strong>") == 3
    assert ">refunded</span>" in text and 'Refunded <span class="amount plain">10 EAI' in text
    agent = explorer_of(client).agent(first[0])
    miss_slash = 100 * EAI * network.params.agents.miss_slash_bps // BPS
    assert agent.record.penalties == miss_slash
    assert [(e.what, e.task_id, e.amount) for e in agent.record.history[-1:]] == [
        ("penalized for missing a deadline", task_id, miss_slash)
    ]


@pytest.mark.slow
def test_a_convicted_winner_s_reward_goes_to_the_challenger(
    client: TestClient, network: Network
) -> None:
    setup = staked_model(network)
    case = challenge_winner(network, setup.model_id)
    vote_and_resolve(network, case.dispute_id, everyone(network, case.dispute_id, WRONG))
    explorer = explorer_of(client)
    explorer.refresh()

    task = explorer.task(case.task_id)
    assert task.task.finalized is not None
    assert task.task.finalized.reward_to == case.challenger.address
    text = client.get(f"/tasks/{case.task_id}").text
    assert "convicted: its reward went to the challenger" in text
    # The stand-in outputs of tests.support.network are not content ids: said, not fatal.
    assert "&#39;ipfs://output&#39; is not an ipfs:// content id" in text
    dispute = client.get(f"/disputes/{case.dispute_id}").text
    assert ">guilty</span>" in dispute and case.challenger.address in dispute
    verifier = client.get(f"/verifiers/{case.challenger.address}").text
    assert "challenged" in verifier and "took the convicted winner&#39;s reward" in verifier
    model = client.get(f"/models/{setup.model_id}").text
    assert "Metadata not readable" in model


def test_a_sold_model_shows_its_new_owner(
    client: TestClient, network: Network, store: LocalStore
) -> None:
    model_id = publish(network, store, ECHO, agents=1)
    buyer = network.users[1].address
    network.protocol.registry.transfer_from(
        network.creator, network.creator.address, buyer, model_id
    )

    model = explorer_of(client)
    model.refresh()
    page = model.model(model_id)

    assert page.owner == buyer
    assert [(c.previous, c.owner) for c in page.record.owners] == [(network.creator.address, buyer)]
    assert "bought from the creator" in client.get(f"/models/{model_id}").text


def test_prompts_per_minute_counts_the_last_five_minutes(
    client: TestClient, network: Network, store: LocalStore
) -> None:
    model_id = publish(network, store, ECHO, agents=3)
    for _ in range(3):
        prompt(network, model_id, "hello")
    explorer = explorer_of(client)
    explorer.refresh()
    assert explorer.overview().prompts_per_minute == pytest.approx(3 * 60 / 300)

    network.advance(301)

    assert explorer.overview().prompts_per_minute == 0
