"""Peak memory and time of real renders of a ~10-minute and a ~2-hour article.

    .venv/bin/python bench/long.py                    # 10 and 120 minutes, espeak-ng
    .venv/bin/python bench/long.py --minutes 10 30    # other sizes
    .venv/bin/python bench/long.py --voice joe        # Piper (slow: ~0.04 x real time)

Each size is a generated article (distinct sentences, headings every few paragraphs)
rendered by ``listen.pipeline.render`` in a fresh process with caching off, so every
take is synthesised, mastered, encoded and spooled. The child reports its own peak
RSS (the main process, which assembles and writes the MP3) and its workers' peak.
Goal: the 2-hour main-process peak at most 1.2x the 10-minute one, and render time
growing linearly with length.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS_PER_MINUTE = 138
"""espeak-ng's pace with listen's pauses, measured: sizes the article."""
NOUNS = ("train", "station", "ticket", "carriage", "border", "timetable", "driver",
         "platform", "sleeper", "journey", "valley", "bridge", "harbour", "city", "night")
VERBS = ("crosses", "reaches", "leaves", "follows", "passes", "circles", "joins", "waits for")
ADJECTIVES = ("quiet", "crowded", "late", "early", "northern", "old", "narrow", "bright")


def sentence(rng: random.Random, n: int) -> str:
    noun, other = rng.sample(NOUNS, 2)
    return (f"The {rng.choice(ADJECTIVES)} {noun} {rng.choice(VERBS)} the {other} "
            f"number {n} at {rng.randint(1, 12)} o'clock, {rng.choice(ADJECTIVES)} as ever.")


def article_html(minutes: float) -> str:
    """A WordPress-like page whose body takes about ``minutes`` to speak."""
    rng = random.Random(minutes)
    words_needed, words, n = minutes * WORDS_PER_MINUTE, 0, 0
    body: list[str] = []
    while words < words_needed:
        if n % 40 == 0:
            body.append(f"<h2>Part {n // 40 + 1} of the journey</h2>")
        text = " ".join(sentence(rng, n + i) for i in range(4))
        body.append(f"<p>{text}</p>")
        words += len(text.split())
        n += 4
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>A {minutes:g}-minute journey</title>"
        "<meta property='og:site_name' content='Bench Gazette'></head><body><article>"
        f"<h1>A {minutes:g}-minute journey</h1>" + "".join(body) + "</article></body></html>"
    )


def child(page: Path, out: Path, voice: str) -> dict[str, float]:
    from listen.config import load_settings
    from listen.pipeline import render

    settings = load_settings(None, out_dir=out, voice=voice, use_cache=False)
    started = time.perf_counter()
    result = render(str(page), settings)
    return {
        "seconds": time.perf_counter() - started,
        "audio_minutes": result.episode.duration / 60,
        "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "mp3_mb": result.mp3.stat().st_size / 1e6,
    }


def measure(minutes: float, voice: str, folder: Path) -> dict[str, float]:
    page = folder / f"long-{minutes:g}.html"
    page.write_text(article_html(minutes), encoding="utf-8")
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from long import child;"
        "from pathlib import Path;"
        "print(json.dumps(child(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(page),
         str(folder / f"out-{minutes:g}"), voice],
        capture_output=True, text=True, check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[10, 60, 120])
    parser.add_argument("--voice", default="espeak-en-us")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="listen-bench-") as tmp:
        for minutes in args.minutes:
            row = measure(minutes, args.voice, Path(tmp))
            rows.append(row)
            print(f"{row['audio_minutes']:7.1f} min of audio: {row['seconds']:7.1f} s "
                  f"({row['seconds'] / row['audio_minutes']:.2f} s per audio minute), "
                  f"main process peak RSS {row['main_rss_mb']:.0f} MB, "
                  f"workers {row['workers_rss_mb']:.0f} MB, MP3 {row['mp3_mb']:.1f} MB",
                  flush=True)
    small, large = rows[0], rows[-1]
    print(f"peak RSS ratio (largest / smallest, main process): "
          f"{large['main_rss_mb'] / small['main_rss_mb']:.2f}  (goal <= 1.2)")
    # Linear growth: a fixed start-up cost plus a constant cost per audio minute, so
    # the marginal seconds per audio minute between sizes stay about the same.
    for before, after in zip(rows, rows[1:], strict=False):
        marginal = (after["seconds"] - before["seconds"]) / (
            after["audio_minutes"] - before["audio_minutes"])
        print(f"marginal cost {before['audio_minutes']:.0f} -> {after['audio_minutes']:.0f} "
              f"min: {marginal:.2f} s per audio minute")


if __name__ == "__main__":
    main()
