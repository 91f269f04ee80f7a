"""Files beside the MP3: a WebVTT and an SRT transcript, Podcasting 2.0 chapters.

Where the cues carry word times, the WebVTT's cue text carries them too, as inline
timestamps (``first <00:00:01.250>second <00:00:01.610>third``), which players that
show karaoke-style captions follow; SRT has no such thing and stays by the sentence.

Pure functions from a ``Program`` to text; the pipeline writes them atomically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from listen.errors import OutputError
from listen.models import Cue, Program

CHAPTERS_VERSION = "1.2.0"


def _clock(seconds: float, separator: str) -> str:
    """``HH:MM:SS.mmm`` (or with ``,`` for SRT), rounded to the millisecond."""
    total_ms = _millis(seconds)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _vtt_text(text: str) -> str:
    """Cue text escaped for WebVTT: ``&``, ``<`` and ``>`` (so ``-->`` cannot appear)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _timing(cue: Cue, separator: str) -> str:
    return f"{_clock(cue.start, separator)} --> {_clock(cue.end, separator)}"


def render_vtt(program: Program) -> str:
    """A WebVTT transcript: one numbered cue per sentence, its words timed where the
    engine timed them."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(program.cues, start=1):
        blocks.append(f"{number}\n{_timing(cue, '.')}\n{_vtt_payload(cue)}")
    return "\n\n".join(blocks) + "\n"


def _vtt_payload(cue: Cue) -> str:
    """The cue's text, each word after an inline ``<00:00:01.250>`` timestamp of when
    it starts. WebVTT wants each timestamp after the cue's start, before its end and
    after the one before; a word whose start would break that (it starts with the
    word before, say) shares the word before's."""
    words = cue.text.split()
    if not cue.words or len(cue.words) != len(words):
        return _vtt_text(" ".join(words))
    last, end = _millis(cue.start), _millis(cue.end)
    timed = []
    for word, start in zip(words, cue.words, strict=True):
        if last < _millis(start) < end:
            last = _millis(start)
            timed.append(f"<{_clock(start, '.')}>{_vtt_text(word)}")
        else:
            timed.append(_vtt_text(word))
    return " ".join(timed)


def _millis(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def render_srt(program: Program) -> str:
    """The same transcript as SubRip (``,`` before the milliseconds)."""
    blocks = [
        f"{number}\n{_timing(cue, ',')}\n{_one_line(cue.text)}"
        for number, cue in enumerate(program.cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n"


def _one_line(text: str) -> str:
    """A blank line would end the cue early: keep each sentence on one line."""
    return " ".join(text.split())


def render_chapters_json(program: Program) -> str:
    """Podcasting 2.0 JSON chapters (``startTime``/``endTime`` in seconds)."""
    chapters = [
        {"startTime": round(mark.start, 3), "endTime": round(mark.end, 3), "title": mark.title}
        for mark in program.chapters
    ]
    document = {"version": CHAPTERS_VERSION, "chapters": chapters}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_WORD_TIME = re.compile(r"<\d+:\d\d:\d\d\.\d+>")
"""An inline word timestamp (``_vtt_payload``)."""
_CUE_TIMING = re.compile(r"(\d+):(\d\d):(\d\d\.\d+) --> (\d+):(\d\d):(\d\d\.\d+)")


def read_vtt(path: Path) -> list[Cue]:
    """The cues of a WebVTT transcript listen wrote (``render_vtt``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read the transcript {path} ({exc}): render the "
                          "article again") from exc
    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if _CUE_TIMING.match(line)), None)
        if timing is None:
            continue
        h1, m1, s1, h2, m2, s2 = _CUE_TIMING.match(lines[timing]).groups()  # type: ignore[union-attr]
        body = _WORD_TIME.sub("", " ".join(lines[timing + 1:]))
        body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append(Cue(int(h1) * 3600 + int(m1) * 60 + float(s1),
                        int(h2) * 3600 + int(m2) * 60 + float(s2), body))
    return cues
