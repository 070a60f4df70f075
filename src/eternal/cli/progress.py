"""How `eternal prompt run` shows a task moving: one line per milestone, a spinner in between.

✓ submitted task 12 (fee 10 EAI, tx 0xab12…)
✓ assigned to 3 agents, commits due 2026-11-29 12:03:10 UTC
  committed 1/3 … 3/3, revealed 1/3 …            (the spinner's text, replaced in place)
<the output, printed or saved as soon as the first committer reveals it>
✓ accepted, challengeable until 2026-11-29 12:09:12 UTC
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.status import Status as Spinner

from eternal.cli.context import escape
from eternal.cli.display import eai, short_hex, utc_time
from eternal.sdk.results import Progress, Stage, TaskOutput

ShowOutput = Callable[[int, TaskOutput], None]  # task id, output


class PromptProgress:
    """An `on_progress` callback that writes to `console` and hands outputs to `show_output`."""

    def __init__(self, console: Console, show_output: ShowOutput) -> None:
        self.console = console
        self.show_output = show_output
        self.spinner: Spinner | None = None
        self.disputed = False

    def __enter__(self) -> PromptProgress:
        self.spinner = self.console.status("submitting...")
        self.spinner.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.spinner is not None:
            self.spinner.stop()

    def __call__(self, progress: Progress) -> None:
        stage = progress.stage
        k = progress.k
        counts = f"committed {progress.committed}/{k}, revealed {progress.revealed}/{k}"
        if stage is Stage.SUBMITTED:
            self._done(
                f"submitted task {progress.task_id} (tx {short_hex(progress.tx_hash or '')})"
            )
        elif stage is Stage.ASSIGNED:
            again = " again (nobody answered the first draw)" if progress.attempt else ""
            self._done(
                f"assigned to {progress.k} agents{again}, commits due {utc_time(progress.deadline)}"
            )
        elif stage in (Stage.COMMITTED, Stage.REVEALED):
            self._waiting(counts)
        elif stage is Stage.MISSED:
            self.console.print(f"[yellow]![/] agent {progress.agent} missed its deadline")
        elif stage is Stage.OUTPUT and progress.output is not None:
            self._show(progress.task_id, progress.output)
            self._waiting(f"{counts}; waiting for acceptance")
        elif stage is Stage.ACCEPTED:
            self._done(f"accepted, challengeable until {utc_time(progress.deadline)}")
        elif stage is Stage.DISPUTED:
            self.disputed = True
            self.console.print(
                f"[yellow]![/] disputed (dispute {progress.dispute_id}): a committee decides"
            )
            self._waiting("waiting for the committee's verdict")
        elif stage is Stage.FINALIZED:
            self._done("finalized: paid out, beyond dispute")
        elif stage is Stage.REFUNDED:
            why = "the dispute found no output to pay for" if self.disputed else "no agent answered"
            self.console.print(f"[yellow]![/] refunded {eai(progress.amount or 0)}: {why}")

    def waiting_for_finality(self) -> None:
        self._waiting("waiting for the challenge window to close and the payout")

    def _done(self, text: str) -> None:
        self.console.print(f"[green]✓[/] {escape(text)}")

    def _waiting(self, text: str) -> None:
        if self.spinner is not None:
            self.spinner.update(escape(text))

    def _show(self, task_id: int, output: TaskOutput) -> None:
        # Printed output must not be interleaved with the spinner's redraws.
        if self.spinner is not None:
            self.spinner.stop()
        self.show_output(task_id, output)
        if self.spinner is not None:
            self.spinner.start()
