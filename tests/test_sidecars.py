"""Transcript and chapter files a podcast app would load."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from mutagen.id3 import ID3

from listen.models import ChapterMark, Cue, EpisodeTags, Program
from listen.publish.sidecars import render_chapters_json, render_srt, render_vtt
from listen.publish.tags import render_id3

PROGRAM = Program(
    cues=(
        Cue(0.0, 1.25, "Why Ships Wait"),
        Cue(2.5, 4.0, "Ports are <busy> & full --> queues."),
        Cue(3725.0, 3727.5, "An hour later."),
    ),
    chapters=(ChapterMark(0.0, 2.0, "Why Ships Wait"), ChapterMark(2.0, 3730.0, "The queue")),
    duration=3730.0,
    frames=161_500,
    sample_rate=44100,
    bitrate=64,
)
TIMING = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)$")


def seconds(parts: tuple[str, ...]) -> float:
    hours, minutes, secs, millis = (int(p) for p in parts)
    return hours * 3600 + minutes * 60 + secs + millis / 1000


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    header, *blocks = text.strip().split("\n\n")
    assert header == "WEBVTT"
    cues = []
    for block in blocks:
        _, timing, *lines = block.split("\n")
        match = TIMING.match(timing)
        assert match, timing
        cues.append((seconds(match.groups()[:4]), seconds(match.groups()[4:]), "\n".join(lines)))
    return cues


def test_vtt_parses_with_monotonic_times() -> None:
    cues = parse_vtt(render_vtt(PROGRAM))
    assert [c[0] for c in cues] == [0.0, 2.5, 3725.0]
    assert all(start < end for start, end, _ in cues)
    assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:], strict=False))
    assert cues[1][2] == "Ports are &lt;busy&gt; &amp; full --&gt; queues."


def test_srt_uses_commas_and_numbers() -> None:
    text = render_srt(PROGRAM)
    assert text.startswith("1\n00:00:00,000 --> 00:00:01,250\nWhy Ships Wait\n\n2\n")
    assert "01:02:05,000 --> 01:02:07,500" in text


def test_chapters_json_agrees_with_the_id3_chapters(tmp_path: Path) -> None:
    document = json.loads(render_chapters_json(PROGRAM))
    assert document["version"] == "1.2.0"
    tags = EpisodeTags("T", (), "A", None, "en", "", None, "", "joe")
    path = tmp_path / "tag.id3"
    path.write_bytes(render_id3(tags, PROGRAM))
    frames = sorted(ID3(str(path)).getall("CHAP"), key=lambda c: c.start_time)
    from_id3 = [(c.start_time / 1000, c.end_time / 1000, str(c.sub_frames["TIT2"])) for c in frames]
    from_json = [(c["startTime"], c["endTime"], c["title"]) for c in document["chapters"]]
    assert from_json == from_id3


STAMP = re.compile(r"<(\d\d):(\d\d):(\d\d)\.(\d\d\d)>")


def test_vtt_times_each_word_inside_its_cue_in_order() -> None:
    cue = Cue(10.0, 12.0, "Ports  are <busy> — full.", words=(10.05, 10.4, 10.9, 11.3, 11.3))
    program = replace(PROGRAM, cues=(cue,))
    (_start, _end, text), = parse_vtt(render_vtt(program))
    assert text == ("<00:00:10.050>Ports <00:00:10.400>are <00:00:10.900>&lt;busy&gt; "
                    "<00:00:11.300>— full.")
    stamps = [seconds(found.groups()) for found in STAMP.finditer(text)]
    assert stamps == sorted(set(stamps)) and all(10.0 < t < 12.0 for t in stamps)
    assert STAMP.sub("", text) == "Ports are &lt;busy&gt; — full."
    assert render_srt(program).splitlines()[2] == "Ports are <busy> — full."


def test_vtt_stamps_no_word_at_or_outside_the_cue_edges() -> None:
    cue = Cue(1.0, 2.0, "One two three", words=(1.0, 1.5, 2.0))
    (_s, _e, text), = parse_vtt(render_vtt(replace(PROGRAM, cues=(cue,))))
    assert text == "One <00:00:01.500>two three"


def test_vtt_is_by_the_sentence_when_the_words_do_not_fit_the_text() -> None:
    cues = (Cue(1.0, 2.0, "One two three", words=(1.1, 1.5)), Cue(2.5, 3.0, "Plain"))
    texts = [text for _s, _e, text in parse_vtt(render_vtt(replace(PROGRAM, cues=cues)))]
    assert texts == ["One two three", "Plain"]
