"""An archive of generated articles in our own words, for the scale benchmarks.

Each article is a dated HTML page of ``paragraphs`` paragraphs made of sentences
picked (with a fixed seed) from the list below, so runs are repeatable.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

SENTENCES = (
    "The morning ferry left the harbour ten minutes late, held back by a thick bank of fog.",
    "Passengers waited under the station canopy, counting the minutes on the old clock.",
    "A signal engineer walked the length of the platform with a lamp and a notebook.",
    "The timetable had been printed in spring, and nobody had corrected it since.",
    "By noon the wind had turned, and the gulls followed the boat out past the breakwater.",
    "The council promised a new footbridge, but the budget was spent on the car park.",
    "Local bakers opened at five, when the first shift of dock workers came off duty.",
    "Nobody remembered when the lighthouse keeper's cottage had last been painted.",
    "The night train from the capital arrived with two carriages instead of six.",
    "Students on the late service read by the blue glow of their telephones.",
    "A retired captain told anyone who would listen about the storm of nineteen ninety.",
    "The fish market moved indoors after a long argument about the smell.",
    "Cyclists took the coast road on Sundays, racing the tide along the sea wall.",
    "Repairs to the swing bridge closed the harbour to sailing boats for a week.",
    "The ticket office kept a lost property shelf full of umbrellas and single gloves.",
    "In the evening the cafés by the quay put their chairs out and waited for the sun.",
)


def article_html(number: int, paragraphs: int, seed: int = 7) -> str:
    rng = random.Random(seed * 100_003 + number)
    date = datetime(2026, 1, 1, 8, tzinfo=timezone.utc) + timedelta(days=number)
    title = f"Harbour notes, number {number}"
    body = "".join(
        "<p>" + escape(" ".join(rng.choice(SENTENCES) for _ in range(4))) + "</p>"
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
