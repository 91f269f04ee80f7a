"""A watchdog for engine calls that may hang inside C code.

A call into espeak-ng or onnxruntime cannot be interrupted from Python, so it runs
on a daemon thread and the caller stops waiting after a deadline. The stuck thread
is abandoned; the engine then refuses further work in this process, because its
library is still busy (a pool worker is replaced; an in-process render stops).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from listen.errors import EngineError

T = TypeVar("T")


class _Outcome(Generic[T]):
    def __init__(self) -> None:
        self.value: T | None = None
        self.error: BaseException | None = None


class Watchdog:
    """Runs one engine call at a time with a deadline."""

    def __init__(self, engine: str) -> None:
        self._engine = engine
        self._stuck: threading.Thread | None = None

    def run(self, call: Callable[[], T], seconds: float) -> T:
        if self._stuck is not None and self._stuck.is_alive():
            raise EngineError(
                f"{self._engine} is still stuck on an earlier text; run listen again"
            )
        outcome: _Outcome[T] = _Outcome()
        thread = threading.Thread(target=_capture, args=(call, outcome), daemon=True)
        thread.start()
        thread.join(seconds)
        if thread.is_alive():
            self._stuck = thread
            raise EngineError(
                f"{self._engine} did not finish within {seconds:.0f} s; "
                "run listen again, or try another voice with --voice"
            )
        if outcome.error is not None:
            raise outcome.error
        return outcome.value  # type: ignore[return-value]


def _capture(call: Callable[[], T], outcome: _Outcome[T]) -> None:
    try:
        outcome.value = call()
    except BaseException as exc:  # handed to the waiting thread, which re-raises it
        outcome.error = exc
