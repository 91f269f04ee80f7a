"""The player: its shared assets, the data it reads, and the markup that holds both.

One script and one stylesheet (``assets/player.js`` and ``player.css``, plain files
shipped with the package) are copied into each output folder once, under names
that carry a hash of their content (``listen-player.3f2a91c0.js``): a browser never
keeps an old copy, and a page made by an older listen keeps the copy it was made with.

The player finds its data in a ``<script type="application/json">`` inside its own
element, which no browser executes, so a Content-Security-Policy allowing only our
script file holds; the JSON is escaped so that nothing in an article's text can end
that element. The data, version 1 (``PlayerData``)::

    {"v": 1, "id": <the episode's guid>, "title": …, "author": …, "lang": "en", "audio": "x.mp3",
     "cover": "x.jpg", "duration": 312.4, "labels": {…},
     "chapters": [{"start": 0.0, "title": …}],
     "paragraphs": [{"block": "b3", "cues": [
         {"start": 10.63, "end": 19.76, "text": "At 21:40 …", "words": [10.63, 11.02, …]}]}]}

``block`` is the article block the paragraph was read from ("" for the spoken intro
and outro); ``words``, present only where the engine timed them, holds the start of
each white-space separated word of ``text``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from listen.errors import OutputError
from listen.fsutil import write_atomic
from listen.models import Cue, Program, Script
from listen.publish.catalog import guid_for

DATA_VERSION = 1
_ASSETS = {"script": "player.js", "style": "player.css"}
_DATA_ELEMENT = re.compile(
    r'<script type="application/json" class="listen-data">(.*?)</script>', re.DOTALL
)

PlayerData = dict[str, Any]


@dataclass(frozen=True)
class PlayerFiles:
    """Where a page finds the player's files: names in the output folder, or URLs."""

    audio: str
    cover: str
    script: str
    style: str

    def under(self, prefix: str) -> PlayerFiles:
        """The same files below ``prefix`` (``../output/``, ``https://cdn…/audio/``)."""
        return PlayerFiles(*(prefix + name for name in
                             (self.audio, self.cover, self.script, self.style)))


@lru_cache(maxsize=1)
def _assets() -> dict[str, tuple[str, bytes]]:
    """Each asset's file name in an output folder, and its content."""
    folder = resources.files("listen.publish") / "assets"
    found = {}
    for role, name in _ASSETS.items():
        content = (folder / name).read_bytes()
        stem, suffix = name.rsplit(".", 1)
        digest = hashlib.sha256(content).hexdigest()[:10]
        found[role] = (f"listen-{stem}.{digest}.{suffix}", content)
    return found


def asset_names() -> tuple[str, str]:
    """The file names of the player's script and stylesheet in an output folder."""
    assets = _assets()
    return assets["script"][0], assets["style"][0]


def write_assets(out: Path) -> tuple[str, str]:
    """Copy the player's script and stylesheet into ``out`` unless already there."""
    for name, content in _assets().values():
        path = out / name
        if not path.is_file():
            write_atomic(path, content)
    return asset_names()


def player_data(
    script: Script, program: Program, *, episode_id: str, audio: str, cover: str
) -> PlayerData:
    """What the player needs to know about an episode: files, chapters and timed sentences."""
    article = script.article
    cues = iter(program.cues)
    paragraphs = [
        {"block": segment.block,
         "cues": [_cue(next(cues)) for _sentence in segment.sentences]}
        for segment in script.segments
    ]
    return {
        "v": DATA_VERSION,
        "id": guid_for(episode_id),  # not the id itself: for a file, that is a local path
        "title": article.title,
        "author": article.byline,
        "site": article.site or "",
        "lang": article.language,
        "audio": audio,
        "cover": cover,
        "duration": round(program.duration, 3),
        "labels": labels_for(article.language),
        "chapters": [{"start": round(c.start, 3), "title": c.title} for c in program.chapters],
        "paragraphs": paragraphs,
    }


def _cue(cue: Cue) -> dict[str, Any]:
    timed: dict[str, Any] = {"start": round(cue.start, 3), "end": round(cue.end, 3),
                             "text": cue.text}
    if cue.words and len(cue.words) == len(cue.text.split()):
        timed["words"] = [round(t, 3) for t in cue.words]
    return timed


def data_json(data: PlayerData) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element in any page encoding:
    ASCII only, with ``<``, ``>`` and ``&`` escaped, so ``</script>`` or ``<!--`` in an
    article's text cannot end the element."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def stylesheet_link(files: PlayerFiles) -> str:
    return f'<link rel="stylesheet" href="{escape(files.style)}">\n'


def player_markup(data: PlayerData, files: PlayerFiles, *, style: bool = True) -> str:
    """The player as it is put into a page: stylesheet (unless the page's head links
    it), the audio element with its data, and the script. Without JavaScript the
    browser's own audio controls remain."""
    labels = data["labels"]
    return (
        (stylesheet_link(files) if style else "")
        + f'<section class="listen-player" data-listen-player '
        f'aria-label="{escape(labels["player"])}" lang="{escape(data["lang"])}">\n'
        f'<audio controls preload="metadata" src="{escape(files.audio)}"></audio>\n'
        f'<p class="listen-fallback"><a href="{escape(files.audio)}" download>'
        f'{escape(labels["download"])}</a></p>\n'
        f'<script type="application/json" class="listen-data">{data_json(data)}</script>\n'
        f"</section>\n"
        f'<script src="{escape(files.script)}" defer></script>\n'
    )


def read_player_data(page: Path) -> PlayerData:
    """The player data inside an episode page that listen wrote."""
    try:
        html = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read the episode page {page} ({exc}): render the "
                          "article again") from exc
    found = _DATA_ELEMENT.search(html)
    data = json.loads(found.group(1)) if found else None
    if not isinstance(data, dict) or data.get("v") != DATA_VERSION:
        raise OutputError(f"{page} holds no player data this listen can read: render the "
                          "article again with --force")
    return data


# ── labels, in the article's language ────────────────────────────────────────

_LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "player": "Audio edition", "listen": "Listen", "resume": "Resume",
        "pause": "Pause", "min": "min", "back": "Back 15 seconds",
        "forward": "Forward 15 seconds", "previous": "Previous paragraph",
        "next": "Next paragraph", "speed": "Speed", "chapters": "Chapters",
        "seek": "Position", "download": "Download the MP3",
        "follow": "Back to the reading position", "transcript": "Transcript",
        "by": "By {names}", "original": "Read the article at {site}",
        "hint": "Click, tap or press Enter on a sentence to listen from there.",
        "playing_from": "Playing from: {text}", "speed_now": "Speed {rate}",
        "chapter_now": "Chapter: {title}", "resumed": "Resuming at {time}",
        "position": "{time} of {total}", "hour": ["hour", "hours"],
        "minute": ["minute", "minutes"], "second": ["second", "seconds"],
    },
    "de": {
        "player": "Audiofassung", "listen": "Anhören", "resume": "Weiterhören",
        "pause": "Pause", "min": "Min.", "back": "15 Sekunden zurück",
        "forward": "15 Sekunden vor", "previous": "Voriger Absatz", "next": "Nächster Absatz",
        "speed": "Tempo", "chapters": "Kapitel", "seek": "Position",
        "download": "MP3 herunterladen", "follow": "Zurück zur Vorlesestelle",
        "transcript": "Text", "by": "Von {names}", "original": "Den Artikel bei {site} lesen",
        "hint": "Klicken oder tippen Sie auf einen Satz oder drücken Sie darauf die "
                "Eingabetaste, um ab dort zu hören.",
        "playing_from": "Wiedergabe ab: {text}", "speed_now": "Tempo {rate}",
        "chapter_now": "Kapitel: {title}", "resumed": "Weiter bei {time}",
        "position": "{time} von {total}", "hour": ["Stunde", "Stunden"],
        "minute": ["Minute", "Minuten"], "second": ["Sekunde", "Sekunden"],
    },
    "fr": {
        "player": "Version audio", "listen": "Écouter", "resume": "Reprendre",
        "pause": "Pause", "min": "min", "back": "Reculer de 15 secondes",
        "forward": "Avancer de 15 secondes", "previous": "Paragraphe précédent",
        "next": "Paragraphe suivant", "speed": "Vitesse", "chapters": "Chapitres",
        "seek": "Position", "download": "Télécharger le MP3",
        "follow": "Revenir au passage lu", "transcript": "Transcription", "by": "Par {names}",
        "original": "Lire l’article sur {site}",
        "hint": "Cliquez ou touchez une phrase, ou appuyez sur Entrée, pour écouter à "
                "partir de là.",
        "playing_from": "Lecture à partir de : {text}", "speed_now": "Vitesse {rate}",
        "chapter_now": "Chapitre : {title}", "resumed": "Reprise à {time}",
        "position": "{time} sur {total}", "hour": ["heure", "heures"],
        "minute": ["minute", "minutes"], "second": ["seconde", "secondes"],
    },
}


def labels_for(language: str) -> dict[str, Any]:
    """The player's words in ``language`` (``de-AT`` → German), English when we lack it."""
    return _LABELS.get(language.split("-")[0].lower(), _LABELS["en"])
