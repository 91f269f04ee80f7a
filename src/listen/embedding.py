"""``listen embed``: the publisher's own page with the player in it, or the snippet.

The article page is read as bytes; the player is inserted after the headline (or
where ``--at`` says) and every narrated block of the page is marked with
``data-listen-block``; every other byte stays as it was. The player's data is read
from the episode page that ``listen render`` wrote, so the highlight follows the
audio as it was rendered.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import BinaryIO

from listen.config import Settings
from listen.episode import episode_id_for
from listen.errors import FeedError, SourceError
from listen.models import Page
from listen.publish.catalog import CATALOG_NAME, Catalog
from listen.publish.player import (
    PlayerData,
    PlayerFiles,
    player_markup,
    read_player_data,
    write_assets,
)
from listen.read.extract import extract_article
from listen.read.load import load_page_bytes
from listen.read.locate import locate

MARK = "data-listen-block"


@dataclass(frozen=True)
class Embedded:
    """The page with the player, and what could not be marked."""

    content: bytes
    missing: tuple[str, ...]
    """The text of each narrated paragraph not found on the page (not highlighted)."""
    warnings: tuple[str, ...] = ()


def embed_page(
    source: str,
    settings: Settings,
    *,
    episode: str | None = None,
    at: str | None = None,
    target: Path | None = None,
    stdin: BinaryIO | None = None,
) -> Embedded:
    """``source`` with the player of ``episode`` (default: the episode rendered from it)
    inserted, for writing to ``target`` (default: the current folder's standard output)."""
    page, raw = load_page_bytes(source, stdin=stdin)
    if MARK in page.html or "data-listen-player" in page.html:
        raise SourceError(f"{source} already carries a listen player: embed into the "
                          "publisher's original page")
    if episode is None:
        article = extract_article(page, rules=settings.sites,
                                  keep_captions=settings.keep_captions)
        episode = episode_id_for(source, article)
    folder, data = episode_data(settings.out_dir, episode)
    blocks = [(para["block"], " ".join(cue["text"] for cue in para["cues"]))
              for para in data["paragraphs"] if para["block"]]
    placement = locate(page.html, blocks, title=data["title"], at=at)
    page_folder = target.parent if target else Path.cwd()
    files = _files(folder, data, settings.show.base_url, page_folder)
    inserts = [(offset, f' {MARK}="{escape(block)}"') for offset, block in placement.marks]
    inserts.append((placement.player_at, "\n" + player_markup(data, files)))
    content, warning = _splice(page, raw, inserts)
    missing = tuple(text for block, text in blocks if block in placement.missing)
    return Embedded(content, missing, (warning,) if warning else ())


def snippet(settings: Settings, episode: str) -> tuple[str, tuple[str, ...]]:
    """The lines to paste into a CMS template for ``episode``, and any warning."""
    folder, data = episode_data(settings.out_dir, episode)
    base = settings.show.base_url
    warnings = () if base else (
        "no base URL: the snippet names the files without a folder; set [show] base_url "
        "(or --base-url) to where the output folder is served",)
    return player_markup(data, _files(folder, data, base, None)), warnings


def episode_data(out_dir: Path, episode: str) -> tuple[Path, PlayerData]:
    """The output folder and player data of ``episode``: an MP3's path, or an id in the
    catalog of ``out_dir``."""
    if episode.lower().endswith(".mp3") and "://" not in episode:
        mp3 = Path(episode)
        if not mp3.is_file():
            raise SourceError(f"no such MP3: {episode}: give the path of an MP3 that listen "
                              "rendered, or the episode's id (`listen feed list`)")
        folder, page = mp3.parent, mp3.with_suffix(".html")
    else:
        folder = out_dir
        if not (out_dir / CATALOG_NAME).is_file():
            raise FeedError(f"no episodes in {out_dir}: render the article first (listen "
                            "render ARTICLE), or give the path of its MP3 with --episode")
        with Catalog.in_folder(out_dir) as catalog:
            found = catalog.get(episode)
        if found is None:
            raise SourceError(f"no episode {episode!r} in {out_dir}: render the article "
                              "first, or name the episode with --episode (`listen feed list`)")
        page = out_dir / Path(found.audio_file).with_suffix(".html").name
    if not page.is_file():
        raise SourceError(f"no episode page {page}: render the article again with "
                          "listen render --force")
    return folder, read_player_data(page)


def _files(folder: Path, data: PlayerData, base_url: str, page_folder: Path | None
           ) -> PlayerFiles:  # fmt: skip
    """Where the inserted player finds its files: under the base URL where the output
    folder is served, else relative to the folder the page is written to."""
    script, style = write_assets(folder)
    files = PlayerFiles(data["audio"], data["cover"], script, style)
    if base_url:
        return files.under(base_url.rstrip("/") + "/")
    if page_folder is None:
        return files
    relative = Path(os.path.relpath(folder.resolve(), page_folder.resolve())).as_posix()
    return files if relative == "." else files.under(relative + "/")


def _splice(page: Page, raw: bytes, inserts: list[tuple[int, str]]) -> tuple[bytes, str]:
    """The page's bytes with ``inserts`` (offset in the decoded text, text) put in.

    Each stretch of the page between two inserts is encoded back with the page's own
    charset; when that does not give the original bytes (the page had bytes its
    charset cannot hold, which decoding replaced), the page is written re-encoded,
    with a warning."""
    encoding = page.encoding
    text = page.html
    try:
        encoded = text.encode(encoding)
    except UnicodeEncodeError:
        encoded = b""
    exact = raw.endswith(encoded) and len(raw) - len(encoded) <= 4  # at most a BOM before
    pieces = [raw[: len(raw) - len(encoded)] if exact else b""]
    last = 0
    for offset, insert in sorted(inserts, key=lambda item: item[0]):
        pieces.append(text[last:offset].encode(encoding, "xmlcharrefreplace"))
        pieces.append(insert.encode(encoding, "xmlcharrefreplace"))
        last = offset
    pieces.append(text[last:].encode(encoding, "xmlcharrefreplace"))
    warning = "" if exact else (f"{page.source} has bytes that are not valid {encoding}; "
                                "the copy holds them replaced")
    return b"".join(pieces), warning
