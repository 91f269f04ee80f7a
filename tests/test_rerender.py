"""What a re-render makes again, and what the listener hears, with the tone engine.

The tone engine gives every character of the text it is handed the same length of
audio (``listen.sound.engines.tone``), so a cue's length in the WebVTT transcript
tells how many characters the engine spoke, and the take cache's folder tells how
many takes were made.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listen import pipeline
from listen.cli import app
from listen.config import load_settings
from listen.models import RenderHooks
from listen.sound.engines.tone import SAMPLE_RATE, samples_per_char

PAGE = Path(__file__).parent / "pages" / "harbour-ferry.html"
RATE = 4.0
SECONDS_PER_CHAR = samples_per_char(RATE) / SAMPLE_RATE
VTT_STEP = 0.001
"""WebVTT times are written in whole milliseconds."""
runner = CliRunner()


@dataclass(frozen=True)
class VttCue:
    start: float
    end: float
    text: str


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "voice.toml").write_text(f'engine = "tone"\nrate = {RATE}\n', encoding="utf-8")
    return tmp_path


def render(work: Path, config: str = "") -> dict[str, object]:
    """``listen render --json`` of the ferry page into work/out, sharing work/cache."""
    args = ["render", str(PAGE), "--out", str(work / "out"), "--cache", str(work / "cache"),
            "--voice", str(work / "voice.toml"), "--json"]
    if config:
        (work / "listen.toml").write_text(config, encoding="utf-8")
        args += ["--config", str(work / "listen.toml")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def takes_made(work: Path) -> int:
    """How many takes the cache holds: one file per distinct take ever made."""
    return sum(1 for _ in (work / "cache").glob("??/*.take"))


def vtt_cues(work: Path) -> list[VttCue]:
    (vtt,) = (work / "out").glob("*.vtt")
    cues = []
    for block in vtt.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        start, end = (_seconds(t) for t in lines[1].split(" --> "))
        text = re.sub(r"<\d\d:\d\d:\d\d\.\d\d\d>", "", " ".join(lines[2:]))  # word times
        cues.append(VttCue(start, end, text))
    return cues


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def spoken_segments(config: Path | None = None) -> list[dict[str, str]]:
    """The script's segments as ``listen script --format json`` prints them."""
    args = ["script", str(PAGE), "--format", "json"]
    result = runner.invoke(app, args + (["--config", str(config)] if config else []))
    assert result.exit_code == 0, result.stderr
    segments: list[dict[str, str]] = json.loads(result.stdout)["segments"]
    return segments


# --- what a re-render makes again -----------------------------------------------------


def test_a_lexicon_entry_alone_re_renders_the_sentence_it_respells(work: Path) -> None:
    assert render(work)["status"] == "rendered"
    before = takes_made(work)
    assert render(work)["status"] == "unchanged"
    changed = render(work, config='[lexicon]\n"rudder" = "rudd er"\n')
    assert changed["status"] == "rendered", "a new lexicon entry changes what is said"
    assert takes_made(work) == before + 1, "only the sentence with the respelled word"
    assert render(work, config='[lexicon]\n"rudder" = "rudd er"\n')["status"] == "unchanged"


def test_the_same_page_in_another_language_is_spoken_again(work: Path) -> None:
    render(work)
    before = takes_made(work)
    (work / "voice.toml").write_text(f'engine = "tone"\nrate = {RATE}\nlanguage = "de"\n',
                                     encoding="utf-8")
    assert render(work)["status"] == "rendered"
    assert takes_made(work) == 2 * before, "no take spoken in the old language is reused"


# --- what the listener hears -----------------------------------------------------------


def test_the_engine_speaks_the_spoken_form_not_the_written_one(work: Path) -> None:
    """The intro's date is written "October 2, 2026" and said in words: the take
    lasts as long as the words, and every cue as long as its sentence's spoken form."""
    render(work)
    cues = vtt_cues(work)
    spoken = [sentence for segment in spoken_segments() for sentence in _sentences(segment)]
    assert len(cues) == len(spoken)
    differs = [(cue, said) for cue, said in zip(cues, spoken, strict=True) if cue.text != said]
    assert differs, "the page has a sentence whose spoken form differs from its text"
    for cue, said in zip(cues, spoken, strict=True):
        assert cue.end - cue.start == pytest.approx(len(said) * SECONDS_PER_CHAR,
                                                    abs=2 * VTT_STEP), cue.text


def _sentences(segment: dict[str, str]) -> list[str]:
    """The spoken sentences of a segment, matched one to one with its written ones."""
    written = re.split(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])", segment["text"])
    said = re.split(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])", segment["speech"])
    assert len(written) == len(said), segment
    return said


def test_every_chapter_starts_with_its_first_cue(work: Path) -> None:
    """A chapter mark falls in the pause before its heading is said: after the cue
    before it ends, and no later than the heading's cue starts."""
    render(work)
    cues = vtt_cues(work)
    (chapters_file,) = (work / "out").glob("*.chapters.json")
    chapters = json.loads(chapters_file.read_text(encoding="utf-8"))["chapters"]
    assert [c["title"] for c in chapters] == ["Harbour ferry returns after storm repairs",
                                              "Timetable changes"]
    assert chapters[0]["startTime"] == 0.0
    for chapter in chapters[1:]:
        heading = next(i for i, cue in enumerate(cues) if cue.text == chapter["title"])
        assert cues[heading - 1].end - VTT_STEP <= chapter["startTime"], chapter
        assert chapter["startTime"] <= cues[heading].start + VTT_STEP, chapter


def test_a_re_render_speaks_only_the_sentence_that_changed(work: Path) -> None:
    """The take cache at work, seen through the progress a front end shows: after a
    lexicon entry, every take but the respelled sentence's comes from the cache."""
    first = speak_counts(work, lexicon={})
    assert first[0] == 0 and first[1] >= 10, "a first render speaks every sentence"
    done_before_speaking, total = speak_counts(work, lexicon={"rudder": "rudd er"})
    assert (done_before_speaking, total) == (first[1] - 1, first[1])


def speak_counts(work: Path, lexicon: dict[str, str]) -> tuple[int, int]:
    """(takes found in the cache, takes in all) of a forced render into work/out."""
    reports: list[tuple[int, int]] = []
    settings = replace(load_settings(None, out_dir=work / "out", cache_dir=work / "cache",
                                     voice=str(work / "voice.toml"), jobs=1),
                       lexicon=lexicon)
    pipeline.render(str(PAGE), settings, force=True,
                    hooks=RenderHooks(on_takes=lambda done, total: reports.append((done, total))))
    return reports[0]


def test_a_take_cache_that_cannot_be_written_says_how_to_move_it(work: Path) -> None:
    (work / "not-a-folder").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["render", str(PAGE), "--out", str(work / "out"), "--cache",
                                 str(work / "not-a-folder"), "--voice", str(work / "voice.toml")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "point the take cache at another folder with --cache" in result.stderr
    assert not (work / "out").exists() or not list((work / "out").glob("*.mp3"))
