"""An archive of generated articles in our own words, for the scale benchmarks.

Each article is a dated HTML page of ``paragraphs`` paragraphs of four sentences, each
put together (with a fixed seed, so runs repeat) from the parts below: articles share
almost no sentence, so the take cache does not shorten the benchmark.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

SUBJECTS = ("The morning ferry", "A signal engineer", "The night train", "The harbour master",
            "A retired captain", "The council", "The fish market", "A group of students",
            "The lighthouse keeper", "The ticket office", "A delivery van", "The swing bridge")
VERBS = ("waited beside", "walked past", "was delayed near", "turned back from",
         "was repaired at", "came slowly towards", "stopped outside", "was painted beside")
PLACES = ("the old station", "the breakwater", "the fish quay", "the coast road",
          "the canal lock", "the ferry terminal", "the bakery on the corner", "the sea wall",
          "the goods yard", "the pier", "the boatyard", "the lifeboat house")
TIMES = ("before dawn", "in the rain", "after the storm", "during the festival",
         "on a quiet Sunday", "late in the evening", "at the turn of the tide",
         "while the gulls circled")
ENDINGS = ("and nobody seemed surprised", "as the clock struck {n}",
           "for the {n}th time that year", "and the timetable was wrong again",
           "while {n} passengers watched", "before the lights came on")
"""Sentence parts: about 50 million sentences, so articles share almost no take."""


def sentence(rng: random.Random, number: int) -> str:
    ending = rng.choice(ENDINGS).format(n=rng.randint(2, 99) + number % 7)
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)} "
            f"{rng.choice(TIMES)}, {ending}.")


def article_html(number: int, paragraphs: int, seed: int = 7) -> str:
    rng = random.Random(seed * 100_003 + number)
    date = datetime(2026, 1, 1, 8, tzinfo=timezone.utc) + timedelta(days=number)
    title = f"Harbour notes, number {number}"
    body = "".join(
        "<p>" + escape(" ".join(sentence(rng, number) for _ in range(4))) + "</p>"
        for _ in range(paragraphs))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title>"
            f"<meta property='article:published_time' content='{date.isoformat()}'>"
            f"<meta name='author' content='Harbour Desk'></head><body><article>"
            f"<h1>{escape(title)}</h1>{body}</article></body></html>")


def write_archive(folder: Path, articles: int, paragraphs: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for number in range(1, articles + 1):
        page = folder / f"harbour-notes-{number:03d}.html"
        page.write_text(article_html(number, paragraphs), encoding="utf-8")
        pages.append(page)
    return pages
