"""The engine interface every speech back-end implements.

An engine is a small subclass with a ``name`` and ``synthesize``. Built-ins register
through the ``listen.engines`` entry-point group, exactly as a third-party engine would.
Engine libraries are imported inside the engine module, never by ``import listen``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from listen.errors import EngineError
from listen.models import VoiceInfo, VoiceProfile

if TYPE_CHECKING:
    from pydub import AudioSegment


class Engine(ABC):
    name: ClassVar[str]
    """Entry-point name, as written in a voice profile's ``engine`` key."""
    extra: ClassVar[str | None] = None
    """The pip extra that installs this engine, if any."""
    max_chars: ClassVar[int] = 2000
    """Longest text one ``synthesize`` call accepts; the script splits longer text."""
    cost_per_char: ClassVar[float] = 0.002
    """Seconds of CPU per character, roughly: decides whether a worker pool pays."""

    @classmethod  # noqa: B027 - an optional hook: most engines need no check
    def check(cls) -> None:
        """Raise ``EngineUnavailable`` naming the fix when the engine cannot run here."""

    def prepare(self, voice: VoiceProfile, threads: int | None = None) -> None:  # noqa: B027
        """Load ``voice`` now (once per worker), using at most ``threads`` threads."""

    def timeout(self, text: str) -> float:
        """The longest one ``synthesize`` call for ``text`` may take before it is a hang."""
        return 60.0 + 0.1 * len(text)

    @classmethod
    def version(cls) -> str:
        """Engine and voice-data version, part of the cache key."""
        return "0"

    @classmethod
    def voice_version(cls, voice: VoiceProfile) -> str:
        """The identity of the voice data ``voice`` names, part of the cache key: a
        voice replaced in place (same name, new data) must not reuse old takes."""
        return ""

    def check_length(self, text: str) -> None:
        """Raise ``EngineError`` when ``text`` is longer than one call may be."""
        if len(text) > self.max_chars:
            raise EngineError(
                f"a text of {len(text)} characters is longer than {self.name} takes in one "
                f"call ({self.max_chars}); split it into sentences"
            )

    def voices(self) -> list[VoiceInfo]:
        return []

    @abstractmethod
    def synthesize(self, text: str, voice: VoiceProfile) -> AudioSegment:
        """Speak ``text`` with ``voice``: mono audio, no leading or trailing pause added."""

    def synthesize_timed(self, text: str, voice: VoiceProfile
                         ) -> tuple[AudioSegment, tuple[float, ...]]:  # fmt: skip
        """``synthesize``, with the start of each white-space word of ``text`` in seconds
        from the audio's first sample: one per word, in order, within the audio. An
        engine that cannot time words returns no times (the default), and its
        transcript is timed by the sentence."""
        return self.synthesize(text, voice), ()
