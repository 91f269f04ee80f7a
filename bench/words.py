"""Word times with Piper: their accuracy, and what timing words costs synthesis.

    .venv/bin/python bench/words.py                    # examples/night-trains.html, joe
    .venv/bin/python bench/words.py --source page.html --out rendered/   # reuse a render

Accuracy: the page is rendered with the ``joe`` voice (``listen render --no-cache``),
and the start of every written word in its VTT is compared with where pocketsphinx's
forced alignment (an independent recogniser, tests/wordalign.py) hears it begin,
over every word written as it is spoken and every cue pocketsphinx can align. Also
shown: where both put words that follow at least 150 ms of silence, against the
moment the sound rises there (which neither of them reads), so the aligner's own
lean is visible.

Cost: the sample's sentences are spoken by two Piper engines in one process, one
sentence each in turn: listen's (the patched model, phoneme durations read, each
word phonemized and aligned) and one loading the unpatched model, which times no
words. The ratio of their CPU seconds is the cost; 1.00 is none.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from listen.models import VoiceProfile  # noqa: E402
from wordalign import (  # noqa: E402
    RATE,
    decode,
    paired_starts,
    read_timed_vtt,
    spoken_sentences,
)

SAMPLE = ROOT / "examples" / "night-trains.html"
JOE = VoiceProfile("joe", "piper")
QUIET_DB, LOUD_DB = -50.0, -35.0
"""A word begins after silence when 150 ms before it stay under QUIET_DB; its sound
rises at the first 5 ms window over LOUD_DB."""


def render(source: str, out: Path) -> Path:
    from typer.testing import CliRunner

    from listen.cli import app

    result = CliRunner().invoke(app, ["render", source, "--out", str(out), "--voice", "joe",
                                      "--no-cache", "--quiet"])
    if result.exit_code:
        raise SystemExit(result.stderr)
    return Path(result.stdout.strip())


def percentiles(errors: list[float]) -> str:
    size = sorted(abs(error) for error in errors)
    return (f"median {1000 * statistics.median(size):3.0f} ms, 90th percentile "
            f"{1000 * size[int(0.9 * len(size))]:3.0f} ms, signed median "
            f"{1000 * statistics.median(errors):+3.0f} ms")


def after_silence(pairs: list[tuple[float, float]], pcm: np.ndarray
                  ) -> tuple[list[float], list[float]]:  # fmt: skip
    """Ours and pocketsphinx's start minus the sound's rise, for words after silence."""
    ours, heard = [], []
    for start, theirs in pairs:
        rise = _rise(pcm, start, RATE // 200)
        if rise is not None:
            ours.append(start - rise)
            heard.append(theirs - rise)
    return ours, heard


def _rise(pcm: np.ndarray, near: float, window: int) -> float | None:
    first = int((near - 0.25) * RATE)
    piece = pcm[max(0, first): int((near + 0.15) * RATE)].astype(np.float64) / 32768
    if first < 0 or len(piece) < window * 80:
        return None
    levels = 20 * np.log10(np.sqrt(np.mean(
        piece[: len(piece) // window * window].reshape(-1, window) ** 2, axis=1)) + 1e-9)
    for index in range(30, len(levels)):
        if levels[index] > LOUD_DB:
            return (first + index * window) / RATE if levels[index - 30: index].max() < \
                QUIET_DB else None
    return None


def accuracy(source: str, out: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="listen-bench-words-") as temp:
        mp3 = next(out.glob("*.mp3")) if out else render(source, Path(temp) / "out")
        cues = read_timed_vtt(mp3.with_suffix(".vtt"))
        spoken = spoken_sentences(source)
        pcm = decode(mp3)
    pairs, skipped = paired_starts(cues, spoken, pcm)
    errors = [ours - heard for ours, heard in pairs]
    print(f"word starts against pocketsphinx's alignment: {len(errors)} words in "
          f"{len(cues) - skipped} of {len(cues)} cues: {percentiles(errors)}")
    ours, heard = after_silence(pairs, pcm)
    print(f"words after silence ({len(ours)}), start minus the sound's rise: listen "
          f"{1000 * statistics.median(ours):+.0f} ms, pocketsphinx "
          f"{1000 * statistics.median(heard):+.0f} ms (medians)")


def cost(source: str, rounds: int) -> None:
    from listen.sound.engines import piper, piper_words

    started = time.perf_counter()
    piper_words.aligned_model(piper.default_model_path())
    print(f"patched model ready in {time.perf_counter() - started:.2f} s (made once per "
          f"machine; kept in {piper_words.default_cache_dir() / piper_words.FOLDER})")
    timed = piper.PiperEngine()
    timed.prepare(JOE, threads=1)
    plain = piper.PiperEngine()
    piper.aligned_model = str  # type: ignore[assignment]  # the model as installed
    try:
        plain.prepare(JOE, threads=1)
    finally:
        piper.aligned_model = piper_words.aligned_model
    sentences = spoken_sentences(source)
    spent = {"timed": 0.0, "plain": 0.0}
    words = 0
    for _ in range(rounds):
        for text in sentences:
            for name, engine in (("timed", timed), ("plain", plain)):
                before = time.process_time()
                _audio, starts = engine.synthesize_timed(text, JOE)
                spent[name] += time.process_time() - before
                words += len(starts) if name == "timed" else 0
    print(f"synthesis CPU, {len(sentences)} sentences x {rounds}: timing words "
          f"{spent['timed']:.2f} s, without {spent['plain']:.2f} s: ratio "
          f"{spent['timed'] / spent['plain']:.3f} ({words} words timed)")


def main(argv: Any = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=str(SAMPLE))
    parser.add_argument("--out", type=Path, help="a folder holding a joe render of source")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    accuracy(args.source, args.out)
    cost(args.source, args.rounds)


if __name__ == "__main__":
    main()
