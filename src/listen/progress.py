"""Rich progress for long renders: per article, per take, with time left."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from listen.models import RenderHooks


class RenderProgress:
    """One progress line per article: its stage, sentences spoken of all, time left.

    Shown only on a terminal and not with ``--quiet`` or ``--json``, so scripts
    that read listen's output see only results.
    """

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self._enabled = enabled and console.is_terminal
        self._progress = Progress(
            TextColumn("{task.fields[name]}", style="bold"),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not self._enabled,
        )

    def __enter__(self) -> RenderProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def article(self, source: str) -> RenderHooks:
        name = source if len(source) <= 40 else "…" + source[-39:]
        task = self._progress.add_task("reading", name=name, total=None)

        def on_stage(stage: str) -> None:
            self._progress.update(task, description=stage)

        def on_takes(done: int, total: int) -> None:
            self._progress.update(task, completed=done, total=total)

        return RenderHooks(on_stage=on_stage, on_takes=on_takes)
