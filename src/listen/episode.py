"""The files and rows that make one episode: its name, catalog key and row, cover,
ID3 tags, sidecars and page (the render's stages 6 to 9 put them in place)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

from listen import __version__
from listen.errors import ListenError
from listen.fsutil import write_atomic
from listen.models import (
    Article,
    Episode,
    EpisodeTags,
    Program,
    Script,
    VoiceProfile,
)
from listen.publish.catalog import CATALOG_NAME, Catalog, guid_for
from listen.publish.cover import make_cover, square_cover
from listen.publish.folder import list_episodes
from listen.publish.page import PageInfo, render_page
from listen.publish.player import PlayerFiles, player_data, write_assets
from listen.publish.sidecars import render_chapters_json, render_srt, render_vtt
from listen.read.load import fetch_bytes
from listen.speech.script import spoken_date

PAGE_COVER_SIZE = 512
"""The episode page's cover, in pixels: shown at 144 px and on lock screens."""


def source_url(source: str) -> str | None:
    """The source when it is a web address, else None."""
    return source if source.startswith(("http://", "https://")) else None


def slugify(title: str, max_length: int = 80) -> str:
    """ASCII, lower-case, hyphenated; the same title always gives the same slug."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "article-" + hashlib.sha1(title.encode()).hexdigest()[:8]


def episode_id_for(source: str, article: Article) -> str:
    """The catalog key of the article read from ``source``."""
    return article.url or _source_id(source, article)


def _source_id(source: str, article: Article) -> str:
    """The catalog key of an article without a canonical URL: its URL or file, and
    for standard input its title, so two piped articles do not replace each other."""
    if source == "-":
        return "stdin:" + hashlib.sha1(article.title.encode()).hexdigest()[:16]
    return source_url(source) or Path(source).resolve().as_uri()


def unique_slug(out: Path, slug: str, episode_id: str) -> str:
    """Keep the title's slug unless another article already owns that file name."""
    for episode in _safe_list(out):
        if episode.audio_file == f"{slug}.mp3" and episode.id != episode_id:
            return f"{slug}-{hashlib.sha1(episode_id.encode()).hexdigest()[:6]}"
    return slug


def previous_episode(out: Path, episode_id: str) -> Episode | None:
    if not (out / CATALOG_NAME).exists():
        return None
    with Catalog.in_folder(out) as catalog:
        return catalog.get(episode_id)


def _safe_list(out: Path) -> list[Episode]:
    return list_episodes(out) if (out / CATALOG_NAME).exists() else []


def episode_cover(article: Article, fetch: bool) -> tuple[bytes, str]:
    """The article's lead image made square (when ``fetch`` allows downloading it),
    else a generated title card."""
    if article.image and fetch:
        try:
            data, _type = fetch_bytes(article.image)
            return square_cover(data), ""
        except ListenError as exc:
            note = f"lead image not used ({exc}); a generated cover was embedded instead"
            return make_cover(article.title, article.site or ""), note
    return make_cover(article.title, article.site or ""), ""


def episode_tags(
    script: Script, profile: VoiceProfile, cover: bytes, show: str, record: str
) -> EpisodeTags:
    article = script.article
    transcript = "\n\n".join(seg.text for seg in script.segments)
    return EpisodeTags(
        title=article.title,
        authors=article.authors,
        album=show,
        date=article.date,
        language=article.language,
        description=article.description or _first_paragraph(script),
        url=article.url,
        transcript=transcript,
        voice=profile.name,
        cover=cover,
        generator=f"listen {__version__}",
        catalog=record,
    )


def _first_paragraph(script: Script) -> str:
    for seg in script.segments:
        if seg.kind.value == "paragraph":
            return seg.text
    return script.article.title


def write_sidecars(out: Path, slug: str, program: Program, srt: bool) -> dict[str, Path]:
    files = {
        "vtt": (out / f"{slug}.vtt", render_vtt(program)),
        "chapters": (out / f"{slug}.chapters.json", render_chapters_json(program)),
    }
    if srt:
        files["srt"] = (out / f"{slug}.srt", render_srt(program))
    for path, text in files.values():
        write_atomic(path, text.encode("utf-8"))
    return {name: path for name, (path, _text) in files.items()}


def write_page(
    out: Path, slug: str, script: Script, program: Program, cover: bytes, episode_id: str
) -> dict[str, Path]:
    """The episode page, its cover (small: it is shown at 144 px and on lock screens),
    and the player's shared script and stylesheet."""
    script_name, style_name = write_assets(out)
    files = PlayerFiles(f"{slug}.mp3", f"{slug}.jpg", script_name, style_name)
    data = player_data(script, program, episode_id=episode_id, audio=files.audio,
                       cover=files.cover)
    article = script.article
    date_text = spoken_date(article.date, article.language) if article.date else ""
    page = render_page(script, program, data, PageInfo(date_text, files))
    paths = {"page": out / f"{slug}.html", "cover": out / files.cover}
    write_atomic(paths["cover"], square_cover(cover, PAGE_COVER_SIZE))
    write_atomic(paths["page"], page.encode("utf-8"))
    return paths


def new_episode(
    article: Article,
    episode_id: str,
    slug: str,
    program: Program,
    fingerprint: str,
    previous: Episode | None,
) -> Episode:
    """The catalog row this render will publish (its length is read from disk then).

    Its date is the article's own, else the first render's, as the catalog keeps it."""
    first_render = previous.pub_date if previous else None
    return Episode(
        id=episode_id,
        guid=previous.guid if previous else guid_for(episode_id),
        title=article.title,
        link=article.url or "",
        description=article.description or "",
        pub_date=article.date or first_render or datetime.now(timezone.utc).replace(microsecond=0),
        audio_file=f"{slug}.mp3",
        length=0,
        duration=program.duration,
        author=article.byline,
        image=article.image or "",
        transcript_file=f"{slug}.vtt",
        chapters_file=f"{slug}.chapters.json",
        language=article.language,
        fingerprint=fingerprint,
    )
