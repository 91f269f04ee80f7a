"""A take depends only on its text, voice and settings, never on what was said before.

espeak-ng carries pitch-flutter, roughness and gain state from one call to the next
(see ``listen.sound.engines._espeak_state``); the engine resets it before each take.
"""

from __future__ import annotations

import pytest

from listen.models import VoiceProfile
from listen.sound.engines import pyttsx3 as espeak_engine
from listen.sound.engines.pyttsx3 import Pyttsx3Engine

VOICE = VoiceProfile(name="espeak", engine="pyttsx3", voice="gmw/en-us")
SENTENCES = (
    "The night train leaves the harbour at nine.",
    "By midnight the carriage is asleep, and the conductor walks the corridor.",
    "Sleeper services are coming back across the continent.",
    "A berth costs less than a hotel room, and the view is better.",
)


def speak_in_order(order: tuple[int, ...]) -> dict[int, bytes]:
    engine = Pyttsx3Engine()
    return {index: engine.synthesize(SENTENCES[index], VOICE).raw_data for index in order}


def test_the_library_in_use_can_be_reset() -> None:
    assert espeak_engine.state_reset().available
    assert "state reset" in Pyttsx3Engine.version()


def test_the_same_sentences_in_two_orders_give_the_same_takes() -> None:
    forwards = speak_in_order((0, 1, 2, 3))
    backwards = speak_in_order((3, 1, 0, 2))  # in the same process, after the first run
    for index in range(len(SENTENCES)):
        assert forwards[index] == backwards[index], f"sentence {index} depends on the order"


def test_without_the_reset_the_order_would_change_the_takes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The state is real: skip the reset and the same sentence comes out differently."""
    monkeypatch.setattr(espeak_engine.StateReset, "__call__", lambda self: None)
    forwards = speak_in_order((0, 1, 2, 3))
    backwards = speak_in_order((3, 2, 1, 0))
    assert any(forwards[index] != backwards[index] for index in range(len(SENTENCES)))
