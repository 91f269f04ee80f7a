"""Stage 4: every sentence spoken once, cached, in order, in a pool or in process."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import listen.sound.pool as pool
import listen.sound.synth as synth
from listen.errors import EngineError
from listen.models import (
    Article,
    EncodedTake,
    PauseKind,
    Pauses,
    Script,
    Segment,
    SegmentKind,
    Sentence,
    TakeRef,
    VoiceProfile,
)
from listen.sound.cache import TakeCache
from listen.sound.engines.tone import SAMPLE_RATE, expected_samples

if TYPE_CHECKING:
    from pydub import AudioSegment

TONE = VoiceProfile(name="tone", engine="tone", pauses=Pauses(350, 750, 1000, 1200))
ESPEAK = VoiceProfile(name="espeak", engine="pyttsx3", voice="gmw/en-us")


@dataclass(frozen=True)
class RecordingFinisher:
    """Wraps PCM plus its pause as the take's bytes, and logs each call to a file
    (one line per call, from any process) so tests can count syntheses."""

    log: str

    @property
    def key(self) -> str:
        return "raw-pcm-1"

    def __call__(self, audio: AudioSegment, pause_ms: int) -> EncodedTake:
        with open(self.log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {len(audio.raw_data) // 2}\n")
        pause = b"\0\0" * (audio.frame_rate * pause_ms // 1000)
        pcm = audio.raw_data + pause
        samples = len(pcm) // 2
        return EncodedTake(pcm, -(-samples // 1152), audio.frame_rate, len(audio.raw_data) // 2, 0)

    def calls(self) -> list[str]:
        path = Path(self.log)
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


@pytest.fixture
def finisher(tmp_path: Path) -> RecordingFinisher:
    return RecordingFinisher(str(tmp_path / "calls.log"))


@pytest.fixture
def cache(tmp_path: Path) -> TakeCache:
    return TakeCache(tmp_path / "cache")


def paragraph(*texts: str, after: PauseKind = PauseKind.PARAGRAPH) -> Segment:
    return Segment(SegmentKind.PARAGRAPH, tuple(Sentence(t, t) for t in texts), 0, after)


def script_of(*segments: Segment) -> Script:
    return Script(Article(title="Night trains", blocks=()), segments, ("Night trains",))


SCRIPT = script_of(
    Segment(SegmentKind.HEADING, (Sentence("Night trains", "Night trains"),), 0, PauseKind.HEADING),
    paragraph("The sleeper leaves at nine.", "By midnight the carriage is asleep.",
              "Dawn comes over the Alps."),
    paragraph("Tickets are cheap if booked early.", after=PauseKind.NONE),
)


def pause_samples(cache: TakeCache, ref: TakeRef) -> int:
    take = cache.get(ref.key)
    assert take is not None, "every take handed on is in the store"
    return len(take.mp3) // 2 - take.speech_samples


def test_one_take_per_sentence_in_order_with_its_pause(finisher: RecordingFinisher,
                                                      cache: TakeCache) -> None:
    takes = synth.synthesize(SCRIPT, TONE, finish=finisher, cache=cache, jobs=1)
    assert [len(segment) for segment in takes] == [1, 3, 1]
    for segment, segment_takes in zip(SCRIPT.segments, takes, strict=True):
        for sentence, take in zip(segment.sentences, segment_takes, strict=True):
            assert take.speech_samples == expected_samples(sentence.speech)
    def ms(milliseconds: int) -> int:
        return milliseconds * SAMPLE_RATE // 1000

    assert pause_samples(cache, takes[0][0]) == ms(1000)  # heading
    assert [pause_samples(cache, t) for t in takes[1]] == [ms(350), ms(350), ms(750)]
    assert pause_samples(cache, takes[2][0]) == 0  # PauseKind.NONE


def test_a_second_render_comes_from_the_cache(finisher: RecordingFinisher,
                                              cache: TakeCache) -> None:
    first = synth.synthesize(SCRIPT, TONE, finish=finisher, cache=cache, jobs=1)
    assert len(finisher.calls()) == 5
    progress: list[tuple[int, int]] = []
    second = synth.synthesize(SCRIPT, TONE, finish=finisher, cache=cache, jobs=1,
                              on_progress=lambda done, total: progress.append((done, total)))
    assert second == first
    assert len(finisher.calls()) == 5
    assert progress == [(5, 5)]


def test_only_the_edited_sentence_is_spoken_again(finisher: RecordingFinisher,
                                                  cache: TakeCache) -> None:
    synth.synthesize(SCRIPT, TONE, finish=finisher, cache=cache, jobs=1)
    edited = list(SCRIPT.segments)
    edited[1] = paragraph("The sleeper leaves at ten.", "By midnight the carriage is asleep.",
                          "Dawn comes over the Alps.")
    progress: list[tuple[int, int]] = []
    takes = synth.synthesize(script_of(*edited), TONE, finish=finisher, cache=cache, jobs=1,
                             on_progress=lambda done, total: progress.append((done, total)))
    assert len(finisher.calls()) == 6
    assert takes[1][0].speech_samples == expected_samples("The sleeper leaves at ten.")
    assert progress == [(4, 5), (5, 5)]


def test_a_new_pause_setting_re_finishes_only_the_takes_it_touches(
    finisher: RecordingFinisher, cache: TakeCache
) -> None:
    synth.synthesize(SCRIPT, TONE, finish=finisher, cache=cache, jobs=1)
    longer = replace(TONE, pauses=replace(TONE.pauses, paragraph=900))
    takes = synth.synthesize(SCRIPT, longer, finish=finisher, cache=cache, jobs=1)
    assert len(finisher.calls()) == 6  # only the paragraph's last sentence
    assert pause_samples(cache, takes[1][2]) == 900 * SAMPLE_RATE // 1000


def test_a_repeated_sentence_is_spoken_once(finisher: RecordingFinisher,
                                            cache: TakeCache) -> None:
    script = script_of(paragraph("Next stop.", "Next stop.", "Vienna."),
                       paragraph("Next stop.", "Vienna."))
    takes = synth.synthesize(script, TONE, finish=finisher, cache=cache, jobs=1)
    assert len(finisher.calls()) == 2  # same text and same pause: one take
    assert takes[0][0] == takes[0][1] == takes[1][0]
    assert takes[0][2] == takes[1][1]


def test_the_pool_gives_the_same_takes_in_the_same_order(
    finisher: RecordingFinisher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "POOL_STARTUP_SECONDS", 0.0)
    sentences = [f"Carriage {n} is {'very ' * (n % 7)}quiet." for n in range(40)]
    script = script_of(*(paragraph(*sentences[i : i + 4]) for i in range(0, 40, 4)))
    progress: list[int] = []
    pooled = synth.synthesize(script, TONE, finish=finisher, cache=TakeCache(tmp_path / "a"),
                              jobs=2, on_progress=lambda done, _total: progress.append(done))
    workers = {line.split()[0] for line in finisher.calls()}
    assert workers and str(os.getpid()) not in workers
    here = synth.synthesize(script, TONE, finish=finisher, cache=TakeCache(tmp_path / "b"),
                            jobs=1)
    assert pooled == here
    assert progress == list(range(41))
    words = [take.words for segment in pooled for take in segment]
    assert all(len(times) == 4 + n % 7 for n, times in enumerate(words)), \
        "each take's word times come back from its worker"


def test_few_misses_are_made_in_this_process(finisher: RecordingFinisher,
                                            cache: TakeCache) -> None:
    synth.synthesize(SCRIPT, TONE, finish=finisher, cache=cache)
    assert {line.split()[0] for line in finisher.calls()} == {str(os.getpid())}


def test_espeak_in_a_pool_speaks_every_sentence(
    finisher: RecordingFinisher, cache: TakeCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "POOL_STARTUP_SECONDS", 0.0)
    takes = synth.synthesize(SCRIPT, ESPEAK, finish=finisher, cache=cache, jobs=2)
    flat = [take for segment in takes for take in segment]
    assert all(take.speech_samples > 0.3 * 22050 for take in flat)
    shortest = min(range(5), key=lambda i: flat[i].speech_samples)
    assert shortest == 0  # "Night trains"
    assert str(os.getpid()) not in {line.split()[0] for line in finisher.calls()}


def test_a_failing_take_names_its_sentence(finisher: RecordingFinisher,
                                           cache: TakeCache) -> None:
    broken = replace(TONE, rate=0.0)
    with pytest.raises(EngineError, match="'The sleeper leaves at nine.'"):
        synth.synthesize(script_of(paragraph("The sleeper leaves at nine.")), broken,
                         finish=finisher, cache=cache, jobs=1)


def test_a_failing_take_in_the_pool_names_its_sentence(
    finisher: RecordingFinisher, cache: TakeCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "POOL_STARTUP_SECONDS", 0.0)
    too_long = "word " * 450
    script = script_of(paragraph("Fine.", too_long.strip(), "Also fine."))
    with pytest.raises(EngineError, match="could not speak the sentence 'word word"):
        synth.synthesize(script, ESPEAK, finish=finisher, cache=cache, jobs=2)


def test_a_voice_that_fails_to_load_in_the_workers_is_reported(
    finisher: RecordingFinisher, cache: TakeCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "POOL_STARTUP_SECONDS", 0.0)
    nobody = replace(ESPEAK, voice="no-such-voice")
    with pytest.raises(EngineError, match="no-such-voice"):
        synth.synthesize(SCRIPT, nobody, finish=finisher, cache=cache, jobs=2)


@pytest.mark.piper
def test_a_piper_voice_installed_again_with_a_new_model_speaks_again(
    finisher: RecordingFinisher, cache: TakeCache, tmp_path: Path
) -> None:
    """The cache knows a Piper model by its file, not its path: a voice re-installed
    at the same path with a new model must not reuse the old model's takes."""
    pytest.importorskip("piper")
    from listen.sound.engines.piper import default_model_path

    joe = default_model_path()
    model = tmp_path / "en_US-test-medium.onnx"
    model.write_bytes(joe.read_bytes())
    Path(f"{model}.json").write_bytes(Path(f"{joe}.json").read_bytes())
    voice = VoiceProfile(name="test", engine="piper", voice=str(model))
    script = script_of(paragraph("The sleeper leaves at nine."))
    synth.synthesize(script, voice, finish=finisher, cache=cache, jobs=1)
    synth.synthesize(script, voice, finish=finisher, cache=cache, jobs=1)
    assert len(finisher.calls()) == 1, "the same model: from the cache"
    model.write_bytes(joe.read_bytes() + b"\0")  # "installed again": another file
    synth.synthesize(script, voice, finish=finisher, cache=cache, jobs=1)
    assert len(finisher.calls()) == 2, "a new model: spoken again"
