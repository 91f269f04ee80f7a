"""The episode page, ``<slug>.html``: the player and the whole transcript, on one page.

Everything from the article is escaped for where it lands; the page allows, by its
Content-Security-Policy, only its own script and stylesheet and the files beside it,
so it makes no request outside the output folder and runs nothing an article carries.
Without JavaScript it still shows the browser's audio controls, the chapters (as
links into the MP3) and the transcript. Each sentence is a ``<span>`` that names its
cue, from which the player plays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from listen.models import BlockKind, Program, Script, Segment, SegmentKind
from listen.publish.player import PlayerData, PlayerFiles, player_markup, stylesheet_link

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'")
"""Only the page's own files; ``blob:`` and ``connect-src`` let the player fetch the MP3
whole from a server that cannot send part of a file (then it could not seek)."""
TRANSCRIPT_HEADING = 2
"""The transcript's own heading; the article's headings are ranked below it."""


@dataclass(frozen=True)
class PageInfo:
    """What the page shows besides the player data: the article's date, as written in
    its language, and the files it points to."""

    date_text: str
    files: PlayerFiles


def render_page(script: Script, program: Program, data: PlayerData, info: PageInfo) -> str:
    """The episode page as HTML text (UTF-8)."""
    article = script.article
    labels = data["labels"]
    title = escape(article.title)
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{escape(article.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f'<link rel="icon" href="{escape(info.files.cover)}">',
        stylesheet_link(info.files).rstrip(),
        "</head>",
        '<body class="listen-page">',
        "<main>",
        _header(script, info, labels),
        player_markup(data, info.files, style=False),
        _chapters(program, info.files.audio, labels),
        _transcript(script, labels),
        _footer(script, labels),
        "</main>",
        "</body>",
        "</html>",
        "",
    ])


def _header(script: Script, info: PageInfo, labels: dict[str, str]) -> str:
    article = script.article
    byline = []
    if article.byline:
        byline.append(escape(labels["by"].format(names=article.byline)))
    if article.date and info.date_text:
        byline.append(f'<time datetime="{_iso_date(article.date)}">'
                      f"{escape(info.date_text)}</time>")
    site = f'<p class="listen-site">{escape(article.site)}</p>\n' if article.site else ""
    return (
        '<header class="listen-head">\n'
        f'<img class="listen-cover" src="{escape(info.files.cover)}" alt="" '
        'width="144" height="144">\n'
        f"<div>\n{site}<h1>{escape(article.title)}</h1>\n"
        + (f'<p class="listen-byline">{" · ".join(byline)}</p>\n' if byline else "")
        + "</div>\n</header>"
    )


def _iso_date(date: datetime) -> str:
    return date.date().isoformat() if date.tzinfo is None else date.isoformat()


def _chapters(program: Program, audio: str, labels: dict[str, str]) -> str:
    """The chapters as links into the MP3 (a media fragment, for readers without
    JavaScript), which the player turns into seeks."""
    if len(program.chapters) < 2:
        return ""
    items = "\n".join(
        f'<li><a href="{escape(audio)}#t={mark.start:.3f}" data-listen-seek="{mark.start:.3f}">'
        f"{escape(mark.title)}</a> <span class=\"listen-at\">{_clock(mark.start)}</span></li>"
        for mark in program.chapters
    )
    return (
        '<nav class="listen-toc" aria-labelledby="listen-chapters-title">\n'
        f'<h2 id="listen-chapters-title">{escape(labels["chapters"])}</h2>\n'
        f"<ol>\n{items}\n</ol>\n</nav>"
    )


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _transcript(script: Script, labels: dict[str, str]) -> str:
    body = "\n".join(_blocks(script))
    return (
        '<section class="listen-transcript" aria-labelledby="listen-transcript-title">\n'
        f'<h2 id="listen-transcript-title">{escape(labels["transcript"])}</h2>\n'
        f'<p class="listen-hint" hidden>{escape(labels["hint"])}</p>\n'
        f"{body}\n</section>"
    )


def _blocks(script: Script) -> Iterator[str]:
    """Each segment as its element; list items gathered into lists; every sentence a
    span named by its cue number."""
    levels = _heading_levels(script)
    cue = 0
    open_list = False
    for index, segment in enumerate(script.segments):
        is_item = segment.kind is SegmentKind.LIST_ITEM
        if open_list and not is_item:
            yield "</ul>"
        elif is_item and not open_list:
            yield "<ul>"
        open_list = is_item
        yield _element(segment, _sentences(segment, cue), levels.get(index, 0))
        cue += len(segment.sentences)
    if open_list:
        yield "</ul>"


def _sentences(segment: Segment, first_cue: int) -> str:
    return " ".join(
        f'<span class="listen-s" data-listen-cue="{first_cue + n}">{escape(s.text)}</span>'
        for n, s in enumerate(segment.sentences)
    )


def _element(segment: Segment, inner: str, level: int) -> str:
    kind = segment.kind
    if kind is SegmentKind.HEADING:
        return f"<h{level}>{inner}</h{level}>"
    if kind is SegmentKind.QUOTE:
        return f"<blockquote><p>{inner}</p></blockquote>"
    if kind is SegmentKind.LIST_ITEM:
        return f"<li>{inner}</li>"
    if kind in (SegmentKind.TITLE, SegmentKind.OUTRO):
        return f'<p class="listen-{kind.value}">{inner}</p>'
    return f"<p>{inner}</p>"


def _heading_levels(script: Script) -> dict[int, int]:
    """Page heading levels for the article's headings, by segment index: ranked below
    the transcript's heading, in the article's order of ranks, never skipping a level
    on the way down (h3 → h5), so a screen reader's outline has no holes."""
    article_levels = {b.id: b.level for b in script.article.blocks
                      if b.kind is BlockKind.HEADING}
    ranks = {level: rank for rank, level in enumerate(sorted(set(article_levels.values())))}
    levels, previous = {}, TRANSCRIPT_HEADING
    for index, segment in enumerate(script.segments):
        if segment.kind is SegmentKind.HEADING:
            wanted = TRANSCRIPT_HEADING + 1 + ranks.get(article_levels.get(segment.block, 0), 0)
            levels[index] = previous = min(wanted, previous + 1, 6)
    return levels


def _footer(script: Script, labels: dict[str, str]) -> str:
    """A link to the article itself, if its address is a web address (never a
    ``javascript:`` one)."""
    url = script.article.url or ""
    if urlsplit(url).scheme not in ("http", "https"):
        return ""
    where = script.article.site or urlsplit(url).hostname or url
    return (f'<footer class="listen-foot"><p><a href="{escape(url)}" rel="noreferrer">'
            f'{escape(labels["original"].format(site=where))}</a></p></footer>')
