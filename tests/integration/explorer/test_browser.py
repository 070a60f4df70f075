"""The explorer end to end in headless Chromium: click through a played story, see the outputs
play and render, and watch pages update by themselves while the chain moves.

Screenshots go to build/screenshots/. (The README's comes from a devnet:
scripts/explorer_screenshots.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eternal.storage.cid import cid_of, sha256, uri_of
from tests.integration.explorer.conftest import Served
from tests.support.explorer_scenario import STORY, prompt

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)"
)
expect = sync_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_click_through_overview_task_agent_model_and_dispute(page: Any, served: Served) -> None:
    s = served.scenario
    winner = s.agents_of(s.disputed_task)[0]

    page.goto(served.url)
    expect(page.locator("h1")).to_have_text("The network at a glance")
    expect(page.locator("#stats")).to_contain_text("finished tasks5")
    shoot(page, "overview")

    page.click(f'#tasks a[href="/tasks/{s.disputed_task}"]')
    expect(page.locator("h1")).to_contain_text(f"Task {s.disputed_task}")
    expect(page.locator("#result pre.output")).to_have_text(STORY)
    expect(page.locator("#agents")).to_contain_text("convicted")
    shoot(page, "task")

    page.click(f'#result a[href="/agents/{winner}"]')
    expect(page.locator("h1")).to_contain_text(winner)
    expect(page.locator("#history")).to_contain_text("won")
    shoot(page, "agent")

    page.click(f'#status a[href="/models/{s.text_model}"]')
    expect(page.locator("h1")).to_contain_text("echo")
    expect(page.locator("#token")).to_contain_text("3 declared")
    shoot(page, "model")

    page.click(f'#tasks a[href="/tasks/{s.disputed_task}"]')
    page.click(f'#payout a[href="/disputes/{s.dispute_id}"]')
    expect(page.locator("h1")).to_contain_text(f"Dispute {s.dispute_id}")
    expect(page.locator("#committee .badge.good")).to_have_count(5)
    expect(page.locator("#outcome")).to_contain_text("Convicted")
    shoot(page, "dispute")


def test_image_audio_and_chart_outputs_render(page: Any, served: Served) -> None:
    s = served.scenario

    page.goto(f"{served.url}/tasks/{s.image_task}")
    image = page.locator("#result img")
    expect(image).to_have_attribute("src", f"/blobs/{cid_of(s.png)}")
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 192
    shoot(page, "task-image")

    page.goto(f"{served.url}/tasks/{s.audio_task}")
    duration = page.locator("#result audio").evaluate(
        """audio => new Promise(done => audio.readyState >= 1 ? done(audio.duration)
               : audio.addEventListener("loadedmetadata", () => done(audio.duration)))"""
    )
    assert duration == pytest.approx(0.5, abs=0.01)
    shoot(page, "task-audio")

    page.goto(f"{served.url}/tasks/{s.chart_task}")
    expect(page.locator("#result pre.output")).to_contain_text('"next": [')
    chart = page.locator('#result img[alt="chart"]')
    assert chart.evaluate("img => img.decode().then(() => img.naturalWidth)") == 160
    shoot(page, "task-chart")


def test_unknown_task_shows_a_not_found_page(page: Any, served: Served) -> None:
    response = page.goto(f"{served.url}/tasks/404")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")


def test_pages_update_by_themselves_while_the_chain_moves(page: Any, served: Served) -> None:
    s = served.scenario
    net = s.net
    page.goto(served.url)
    with served.chain_lock:
        task_id = prompt(net, s.text_model, "One more tale, please")
    expect(page.locator(f'#tasks a[href="/tasks/{task_id}"]')).to_be_visible()

    page.goto(f"{served.url}/tasks/{task_id}")
    expect(page.locator("#result")).to_contain_text("No output revealed yet.")
    answer = "And the dragon and the knight kept the lighthouse together."
    with served.chain_lock:
        uri = uri_of(s.store.put(answer.encode()))
        commitments = [net.commit(task_id, i, sha256(answer.encode())) for i in range(2)]
        for commitment in commitments:
            net.reveal(task_id, commitment, uri)
    expect(page.locator("#result pre.output")).to_have_text(answer)
    expect(page.locator("#state")).to_contain_text("accepted")
    shoot(page, "task-live")
