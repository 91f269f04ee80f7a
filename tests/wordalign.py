"""Word starts checked against an independent forced alignment, for the word-timing
tests and ``bench/words.py``.

The published files are read with nothing of listen's: the MP3 decoded by ffmpeg,
the VTT's inline timestamps parsed here. pocketsphinx (CMU's offline recogniser, its
bundled en-us model and dictionary) is told the words each cue speaks and finds where
each one starts in that cue's audio (its alignment mode). A written word is compared
when it is the same word as the spoken one it stands for (letters and digits, case
aside), so "$5" (spoken "five dollars") is left out; a cue is left out when one of its
spoken words is not in pocketsphinx's dictionary.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import numpy as np

RATE = 16000
"""pocketsphinx's en-us model is trained on 16 kHz speech."""
FRAMES_PER_SECOND = 100
MARGIN = 0.2
"""Seconds of audio either side of a cue given to the aligner (it allows silence)."""
_TIMING = re.compile(r"(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})")
_STAMP = re.compile(r"^<(\d+):(\d\d):(\d\d\.\d{3})>")


@dataclass(frozen=True)
class TimedCue:
    start: float
    end: float
    words: tuple[str, ...]
    stamps: tuple[float | None, ...]
    """Each word's own inline timestamp; None for a word that shares the one before."""

    def times(self) -> list[float]:
        """When each word starts: its stamp, else the last stamp before it, else the cue's start."""
        found, last = [], self.start
        for stamp in self.stamps:
            last = stamp if stamp is not None else last
            found.append(last)
        return found


def _seconds(hours: str, minutes: str, seconds: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def read_timed_vtt(path: Path) -> list[TimedCue]:
    """The cues of a WebVTT file with the inline timestamp of each word."""
    cues = []
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        timing = _TIMING.search(block)
        assert timing, block
        words, stamps = [], []
        for token in lines[-1].split(" "):
            stamp = _STAMP.match(token)
            stamps.append(_seconds(*stamp.groups()) if stamp else None)
            words.append(_STAMP.sub("", token).replace("&lt;", "<").replace("&gt;", ">")
                         .replace("&amp;", "&"))
        g = timing.groups()
        cues.append(TimedCue(_seconds(*g[:3]), _seconds(*g[3:]), tuple(words), tuple(stamps)))
    return cues


def spoken_sentences(source: str) -> list[str]:
    """What listen gave the engine for each cue of ``source``: its sentences' spoken form."""
    from listen.read.extract import extract_article
    from listen.read.load import load_page
    from listen.speech.script import build_script

    script = build_script(extract_article(load_page(source)))
    return [sentence.speech for segment in script.segments for sentence in segment.sentences]


def decode(mp3: Path) -> np.ndarray:
    """The MP3 as 16 kHz mono int16, decoded by ffmpeg (it honours the gapless header)."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "s16le",
               "-ac", "1", "-ar", str(RATE), "-"]
    return np.frombuffer(subprocess.run(command, capture_output=True, check=True).stdout,
                         dtype=np.int16)


def decoder() -> Any:
    from pocketsphinx import Decoder

    return Decoder(samprate=RATE, loglevel="FATAL")


def heard_starts(aligner: Any, pcm: np.ndarray, cue: TimedCue, spoken: str
                 ) -> list[float] | None:  # fmt: skip
    """Where pocketsphinx hears each white-space word of ``spoken`` begin within the
    cue's audio (seconds in the programme); None when it cannot align the cue."""
    parts = [(index, piece) for index, word in enumerate(spoken.split())
             for piece in _pieces(word)]
    if not parts or any(aligner.lookup_word(piece) is None for _index, piece in parts):
        return None
    first = max(0, int((cue.start - MARGIN) * RATE))
    aligner.set_align_text(" ".join(piece for _index, piece in parts))
    aligner.start_utt()
    aligner.process_raw(pcm[first: int((cue.end + MARGIN) * RATE)].tobytes(), full_utt=True)
    aligner.end_utt()
    found = [s for s in aligner.seg() if s.word not in ("<s>", "</s>", "<sil>")
             and not s.word.startswith(("[", "+"))]
    if len(found) != len(parts):
        return None
    starts: dict[int, float] = {}
    for (index, _piece), segment in zip(parts, found, strict=True):
        starts.setdefault(index, first / RATE + segment.start_frame / FRAMES_PER_SECOND)
    return [starts[index] for index in range(len(spoken.split()))]


def _pieces(word: str) -> list[str]:
    """A spoken word as the dictionary spells it: lower case, no punctuation, split at
    hyphens ("twenty-one" is "twenty" "one")."""
    plain = re.sub(r"[^\w'-]", "", word.lower().replace("’", "'"))
    return [piece for piece in plain.split("-") if piece.strip("'")]


def _key(word: str) -> str:
    return "".join(char for char in word.casefold() if char.isalnum())


def paired_starts(cues: Sequence[TimedCue], spoken: Sequence[str], pcm: np.ndarray
                  ) -> tuple[list[tuple[float, float]], int]:  # fmt: skip
    """(our start, pocketsphinx's) for every written word that is its spoken word, over
    every cue pocketsphinx aligns; and how many cues it could not align."""
    aligner, pairs, skipped = decoder(), [], 0
    for cue, speech in zip(cues, spoken, strict=True):
        heard = heard_starts(aligner, pcm, cue, speech)
        if heard is None:
            skipped += 1
            continue
        ours = cue.times()
        same = SequenceMatcher(None, [_key(w) for w in cue.words],
                               [_key(w) for w in speech.split()], autojunk=False)
        for written, said, size in same.get_matching_blocks():
            pairs += [(ours[written + i], heard[said + i]) for i in range(size)]
    return pairs, skipped


def word_errors(cues: Sequence[TimedCue], spoken: Sequence[str], pcm: np.ndarray
                ) -> tuple[list[float], int]:  # fmt: skip
    """Our start minus pocketsphinx's for each word ``paired_starts`` pairs; and how
    many cues pocketsphinx could not align."""
    pairs, skipped = paired_starts(cues, spoken, pcm)
    return [ours - heard for ours, heard in pairs], skipped
