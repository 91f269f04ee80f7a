"""Speech-text cost against the espeak-ng render of the same article, in the same run.

    .venv/bin/python bench/speech.py                  # 35-minute English article, German
                                                      # and French pages of 10 minutes
    .venv/bin/python bench/speech.py --minutes 60 15

Each page is generated here (our own sentences, dense with what the speech rules
work on: money, dates, times, units, ranges, scores, ordinals, roman numerals,
abbreviations). For each page, in fresh processes:

* speech: ``build_script`` on the extracted article (sentence splitting, lexicon
  and every normalisation rule), cold: loading the speech data and num2words,
  compiling the rules, then the whole article;
* render: ``listen render`` of the same page with espeak-ng (no cache), the time the
  speech text is one part of.

Goal: speech text at most 5% of the render, for every page.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

WORDS_PER_MINUTE = 138
"""espeak-ng's pace with listen's pauses (bench/long.py): sizes the article."""

NAMES = ("Okafor", "Lindqvist", "Moreau", "García", "Brandt", "Nakamura", "Rossi", "Dubois")
MONTHS = {
    "en": ("January", "March", "May", "July", "September", "November"),
    "de": ("Januar", "März", "Mai", "Juli", "September", "November"),
    "fr": ("janvier", "mars", "mai", "juillet", "septembre", "novembre"),
}
SENTENCES = {
    "en": (
        "On {month} {day}, {year}, the council approved ${money}M for the {noun}, up {pct}% "
        "from {year2}.",
        "Dr. {name} said the {noun} would open at {hour}:{mm} a.m. on {m2}/{day}/{year}.",
        "The {noun} is {km} km long and cost £{x}.{y}bn, about {lo}–{hi}% more than planned.",
        "In the {decade}s, {name} Inc. sold {count:,} units; the team won {s1}-{s2} at home.",
        "Queen Elizabeth II visited in {year}, when it reached {temp}°C and trains ran at "
        "{speed} km/h.",
        "Sen. {name} finished {ordinal} of {count:,} runners, between {lo}-{hi} minutes behind.",
        "Chapter IV of the report, e.g. the {noun} budget, lists €{x}.{y} million for "
        "{year}-{next_year}.",
    ),
    "de": (
        "Am {day}. {month} {year} beschloss der Rat {x},{y} Mrd. Euro für die {noun_de}, "
        "z. B. für {count_de} Schulen.",
        "Die Sitzung beginnt um {hour}.{mm} Uhr; Dr. {name} sprach von {lo}-{hi} Prozent mehr.",
        "Der Zug fährt {km} km mit {speed} km/h, Bayern gewann {s1}:{s2} gegen Köln.",
        "Seit {year} stieg der Preis um {pct} % auf {x},{y} €, ca. {count_de} Menschen zahlten.",
        "Die {ordinal_de}. Etappe endet am {day}.{m2}.{year} nach {hour} Std. Fahrt.",
    ),
    "fr": (
        "Le {day} {month} {year}, le conseil a voté env. {money} M€ pour le {ordinal_fr}e "
        "arrondissement.",
        "La réunion commence à {hour}h{mm} ; M. {name} a évoqué {lo} à {hi} % de hausse.",
        "Le train parcourt {km} km à {speed} km/h, le PSG a gagné {s1}-{s2} samedi.",
        "Louis XIV régnait au XVIIe siècle ; la ville compte {count_fr} habitants en {year}.",
        "Mme {name} a payé {x},{y} € le {day}/{m2}/{year}, soit {pct} % de plus.",
    ),
}
NOUNS = ("bridge", "harbour", "library", "rail link", "hospital", "ferry terminal")
NOUNS_DE = ("Brücke", "Bahnstrecke", "Bibliothek", "Klinik", "Fähre")


def _values(rng: random.Random, language: str) -> dict[str, object]:
    hi = rng.randint(20, 60)
    count = rng.randint(1200, 980000)
    year = rng.randint(1950, 2025)
    return {
        "month": rng.choice(MONTHS[language]), "day": rng.randint(2, 28),
        "year": year, "next_year": f"{(year + 1) % 100:02}", "year2": rng.randint(1990, 2020),
        "money": rng.randint(2, 900), "noun": rng.choice(NOUNS),
        "noun_de": rng.choice(NOUNS_DE), "pct": rng.randint(2, 40), "name": rng.choice(NAMES),
        "hour": rng.randint(1, 11), "mm": rng.choice(("05", "15", "30", "45")),
        "m2": rng.randint(1, 12), "km": rng.randint(3, 900), "x": rng.randint(1, 9),
        "y": rng.randint(1, 9), "lo": hi - rng.randint(5, 15), "hi": hi,
        "decade": rng.choice((1960, 1970, 1980, 1990)), "count": count,
        "count_de": f"{count:,}".replace(",", "."), "count_fr": f"{count:,}".replace(",", " "),
        "s1": rng.randint(2, 5), "s2": rng.randint(0, 1), "temp": rng.randint(-10, 40),
        "speed": rng.randint(60, 320), "ordinal": rng.choice(("21st", "3rd", "12th", "42nd")),
        "ordinal_de": rng.randint(2, 21), "ordinal_fr": rng.randint(2, 20),
    }


def page_html(language: str, minutes: float) -> str:
    """A news page of our own in ``language`` that takes about ``minutes`` to speak."""
    rng = random.Random(f"{language}{minutes}")
    templates = SENTENCES[language]
    body: list[str] = []
    words = n = 0
    while words < minutes * WORDS_PER_MINUTE:
        if n % 40 == 0:
            body.append(f"<h2>{n // 40 + 1}</h2>")
        text = " ".join(rng.choice(templates).format(**_values(rng, language)) for _ in range(4))
        body.append(f"<p>{text}</p>")
        words += len(text.split())
        n += 4
    title = {"en": "Council budget", "de": "Haushalt des Rates", "fr": "Budget du conseil"}
    return (f"<!DOCTYPE html><html lang='{language}'><head><meta charset='utf-8'>"
            f"<title>{title[language]}</title></head><body><article><h1>{title[language]}</h1>"
            + "".join(body) + "</article></body></html>")


def speech_child(page: str) -> dict[str, float]:
    """Seconds to build the script of ``page``, cold, in this fresh process."""
    import time

    from listen.read.extract import extract_article
    from listen.read.load import load_page
    from listen.speech.script import build_script

    article = extract_article(load_page(page))
    started = time.perf_counter()
    script = build_script(article)
    seconds = time.perf_counter() - started
    sentences = sum(len(segment.sentences) for segment in script.segments)
    return {"seconds": seconds, "sentences": sentences}


def render_child(page: str, out: str, voice: str) -> dict[str, float]:
    import time

    from listen.config import load_settings
    from listen.pipeline import render

    # espeak-ng for every language: the default English voice is Piper's when installed
    settings = load_settings(None, out_dir=Path(out), use_cache=False, voice=voice or None)
    started = time.perf_counter()
    result = render(page, settings)
    return {"seconds": time.perf_counter() - started,
            "audio_minutes": result.episode.duration / 60}


def _run(function: str, *args: str) -> dict[str, float]:
    code = (f"import json, sys; sys.path.insert(0, sys.argv[1]); from speech import {function};"
            f"print(json.dumps({function}(*sys.argv[2:])))")
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), *args],
                          capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs=2, default=[35, 10],
                        metavar=("ENGLISH", "OTHERS"))
    args = parser.parse_args()
    pages = [("en", args.minutes[0]), ("de", args.minutes[1]), ("fr", args.minutes[1])]
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="listen-bench-speech-") as tmp:
        for language, minutes in pages:
            page = Path(tmp) / f"{language}.html"
            page.write_text(page_html(language, minutes), encoding="utf-8")
            speech = _run("speech_child", str(page))
            voice = "espeak-en-us" if language == "en" else ""  # others: espeak-ng's voice
            render = _run("render_child", str(page), str(Path(tmp) / f"out-{language}"), voice)
            ratio = speech["seconds"] / render["seconds"]
            worst = max(worst, ratio)
            print(f"{language}: {render['audio_minutes']:5.1f} min of audio, "
                  f"{speech['sentences']:.0f} sentences: speech text {speech['seconds']:.2f} s, "
                  f"espeak render {render['seconds']:.1f} s, ratio {ratio:.1%}", flush=True)
    print(f"worst ratio {worst:.1%}  (goal <= 5%)")


if __name__ == "__main__":
    main()
