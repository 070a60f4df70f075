"""Watch the web explorer while a network runs: poll its pages and keep what they showed.

A thread reads the overview, and the page of the newest task it lists, about once a second, as
a visitor leaving the pages open would see them. It parses the parts the templates mark with
stable ids: `#stats` (label and value pairs), `#tasks` (a table whose columns are found by
their headers) and a task page's `#state`. Connection errors are expected before the explorer
is up and after it stops: they are counted, not raised. Anything else unexpected (a server
error, a page missing one of those parts) is kept in `problems`, for the test to show.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import TracebackType

import httpx

# Elements HTML never closes: they must not swallow the markup that follows them.
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
TASK_HREF = re.compile(r"^/tasks/(\d+)$")


class PageProblem(ValueError):
    """A page lacks a part the watch reads (the markup changed, or an error page came back)."""


# ---------------------------------------------------------------------------------- markup


@dataclass
class Element:
    """One element of a parsed page, with its children (elements and text) in order."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def walk(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def find_all(self, tag: str, css_class: str | None = None) -> list[Element]:
        return [
            element
            for element in self.walk()
            if element.tag == tag
            and (css_class is None or css_class in element.attrs.get("class", "").split())
        ]

    def by_id(self, element_id: str) -> Element:
        for element in self.walk():
            if element.attrs.get("id") == element_id:
                return element
        raise PageProblem(f"no element with id {element_id!r} on the page")

    def text(self) -> str:
        """The text inside, with runs of whitespace made single spaces."""
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        # Closes the innermost open element of that name (and any left unclosed inside it);
        # a stray end tag closes nothing.
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def parse_html(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# ---------------------------------------------------------------------------------- pages


def read_overview(html: str) -> tuple[dict[str, str], dict[int, str]]:
    """The overview's `#stats` (label -> value as shown) and its `#tasks` table (task id ->
    the state shown in its row)."""
    page = parse_html(html)
    stats: dict[str, str] = {}
    for stat in page.by_id("stats").find_all("div", "stat"):
        labels, values = stat.find_all("span", "label"), stat.find_all("span", "value")
        if labels and values:
            stats[labels[0].text()] = values[0].text()
    tasks: dict[int, str] = {}
    tables = page.by_id("tasks").find_all("table")
    if not tables:  # "No prompt yet."
        return stats, tasks
    headers = [th.text() for th in tables[0].find_all("th")]
    if "task" not in headers or "state" not in headers:
        raise PageProblem(f"the tasks table has no 'task' or 'state' column: {headers}")
    task_column, state_column = headers.index("task"), headers.index("state")
    for row in tables[0].find_all("tr"):
        cells = row.find_all("td")
        if cells:  # the header row has none
            tasks[_linked_task(cells[task_column])] = cells[state_column].text()
    return stats, tasks


def read_task_state(html: str) -> str:
    """The state a task's page shows beside its title (`#state`)."""
    return parse_html(html).by_id("state").text()


def _linked_task(cell: Element) -> int:
    for link in cell.find_all("a"):
        found = TASK_HREF.match(link.attrs.get("href", ""))
        if found:
            return int(found.group(1))
    raise PageProblem(f"no task link in a tasks row's cell: {cell.text()!r}")


# ---------------------------------------------------------------------------------- watch


@dataclass(frozen=True)
class OverviewSeen:
    at: float  # seconds since the watch began
    stats: Mapping[str, str]  # the #stats block: label -> value, as shown
    tasks: Mapping[int, str]  # the #tasks table: task id -> state shown

    def count(self, label: str) -> int:
        return int(self.stats[label])


@dataclass(frozen=True)
class TaskSeen:
    at: float  # seconds since the watch began
    state: str


class PageWatch:
    """Polls the explorer at `url` every `interval` seconds in a thread, from `start()` (or
    entering the `with` block) until `stop()`. Read what it saw once it is stopped."""

    def __init__(self, url: str, *, interval: float = 1.0, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.interval = interval
        self.timeout = timeout
        self.overviews: list[OverviewSeen] = []
        # Task id -> what its page showed, while it was the newest task the overview listed:
        # the last one submitted is followed from when it is first listed to the end.
        self.task_states: dict[int, list[TaskSeen]] = {}
        self.unreachable = 0  # requests nobody answered (not up yet, stopped, too busy)
        self.problems: list[str] = []
        self._began = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="page-watch", daemon=True)

    def start(self) -> PageWatch:
        self._began = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.timeout + 5)

    def __enter__(self) -> PageWatch:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    self._poll(client)
                except Exception as exc:  # a dead thread would stop watching without a word
                    self.problems.append(f"the watch failed: {exc!r}")
                    return
                self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def _poll(self, client: httpx.Client) -> None:
        overview = self._fetch(client, "/")
        if overview is not None:
            try:
                stats, tasks = read_overview(overview)
            except PageProblem as exc:
                self.problems.append(f"GET /: {exc}")
            else:
                self.overviews.append(OverviewSeen(self._now(), stats, tasks))
        newest = max(self.overviews[-1].tasks, default=None) if self.overviews else None
        if newest is None:
            return
        path = f"/tasks/{newest}"
        page = self._fetch(client, path)
        if page is not None:
            try:
                seen = TaskSeen(self._now(), read_task_state(page))
            except PageProblem as exc:
                self.problems.append(f"GET {path}: {exc}")
            else:
                self.task_states.setdefault(newest, []).append(seen)

    def _fetch(self, client: httpx.Client, path: str) -> str | None:
        try:
            response = client.get(self.url + path)
        except httpx.TransportError:
            self.unreachable += 1
            return None
        if response.status_code != 200:
            self.problems.append(f"GET {path}: HTTP {response.status_code}: {response.text[:300]}")
            return None
        return response.text

    def _now(self) -> float:
        return time.monotonic() - self._began
