"""Many renders, one executor: what ``listen render`` and ``listen sync`` run.

    sources → render each (pipeline.render) → one result per source, in order

The executor (a local pool, or a Dask cluster) is opened once for the whole batch,
so workers start and load their voice once. Several articles are in flight at once
(two on a local pool, more on a big cluster), each on a thread of its own that waits
for its takes and writes its MP3 as soon as they are in, so the workers do not wait
while the client reads the next page or writes the last MP3. Results are reported
in the order the sources were given.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from listen.config import Settings
from listen.errors import ListenError
from listen.models import Page, RenderHooks
from listen.pipeline import RenderResult, open_executor, render
from listen.sound.executor import Executor

ARTICLES_PER_WORKER_SLOT = 0.25
"""Articles in flight per worker thread of a cluster: an article has hundreds of takes,
so a few articles keep many workers busy, while each still finishes early."""
MAX_IN_FLIGHT = 32


@dataclass(frozen=True)
class Item:
    """One source to render, and its page when the caller fetched it already."""

    source: str
    page: Page | None = None


Outcome = RenderResult | ListenError
HooksFor = Callable[[str], RenderHooks]
OnResult = Callable[[str, Outcome], None]


def render_all(
    items: Sequence[Item],
    settings: Settings,
    *,
    force: bool = False,
    hooks_for: HooksFor | None = None,
    on_result: OnResult | None = None,
    stdin: BinaryIO | None = None,
) -> list[tuple[str, Outcome]]:
    """Render every item; an article that fails is reported and the rest go on.

    ``on_result`` is called in this thread as each article finishes.
    """
    if not items:
        return []
    with open_executor(settings) as executor:
        in_flight = _in_flight(executor, len(items))
        run = _Runner(settings, executor, force, hooks_for, stdin)
        if in_flight == 1:
            outcomes = []
            for item in items:
                outcomes.append((item.source, run(item)))
                if on_result:
                    on_result(*outcomes[-1])
            return outcomes
        return _render_in_flight(items, run, in_flight, on_result, executor)


def _render_in_flight(
    items: Sequence[Item], run: _Runner, in_flight: int, on_result: OnResult | None,
    executor: Executor,
) -> list[tuple[str, Outcome]]:
    """Several articles at once; ``on_result`` still hears of them in the given order."""
    done: dict[int, Outcome] = {}
    reported = 0
    with concurrent.futures.ThreadPoolExecutor(in_flight, "listen-article") as threads:
        futures = {threads.submit(run, item): index for index, item in enumerate(items)}
        pending = set(futures)
        try:
            while pending:
                # A timed wait, so that Ctrl-C is noticed while articles are in flight.
                finished, pending = concurrent.futures.wait(
                    pending, timeout=0.2, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in finished:
                    done[futures[future]] = future.result()
                while reported in done:
                    if on_result:
                        on_result(items[reported].source, done[reported])
                    reported += 1
        except BaseException:  # Ctrl-C, or an error reporting a result
            for future in futures:
                future.cancel()
            executor.close()  # the articles still in flight stop waiting for takes
            raise
    return [(item.source, done[index]) for index, item in enumerate(items)]


class _Runner:
    """Renders one item, turning its ``ListenError`` into its outcome."""

    def __init__(self, settings: Settings, executor: Executor, force: bool,
                 hooks_for: HooksFor | None, stdin: BinaryIO | None) -> None:
        self.settings = settings
        self.executor = executor
        self.force = force
        self.hooks_for = hooks_for
        self.stdin = stdin

    def __call__(self, item: Item) -> Outcome:
        hooks = self.hooks_for(item.source) if self.hooks_for else RenderHooks()
        try:
            result = render(item.source, self.settings, hooks=hooks, force=self.force,
                            executor=self.executor, page=item.page,
                            stdin=self.stdin if item.source == "-" else None)
        except ListenError as exc:
            hooks.on_stage("failed")
            return exc
        hooks.on_stage(result.status)
        return result


def _in_flight(executor: Executor, count: int) -> int:
    """Articles rendered at once: two on a local pool (the next one is read while the
    last takes of one are made, and its MP3 written), more on a bigger cluster."""
    slots = executor.slots()
    if slots <= 1 or count == 1:
        return 1
    if not executor.remote:
        return 2
    return max(2, min(count, MAX_IN_FLIGHT, round(slots * ARTICLES_PER_WORKER_SLOT)))
