"""Stage 3: the narration script, what is said and in which order.

``build_script`` turns an ``Article`` into a ``Script``: a spoken intro (title,
byline, site, date), one segment per block, and a closing line. Every segment is
split into sentences; each keeps its written text (for the transcript) and its
speech (lexicon, then ``normalize``, for the engine).

Decisions a listener would notice:

- Quotes are read as written, without "Quote … end quote". A block quote is almost
  always introduced by the sentence before it ("She wrote:"), and the words around
  every quote would soon grate; the ``QUOTE`` segment kind lets the voice mark it.
- Every sentence's speech ends with a period, question or exclamation mark, so an
  engine closes the intonation of a heading or a list item as it would a sentence.
- Chapter 0 is the article title; each heading opens the next chapter, unless the
  chapter so far holds only headings (a heading right under another stays in it).
- Intro and outro words exist for English, German and French. For another language
  the intro is the title alone and there is no default outro.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from listen.errors import ConfigError, ExtractError
from listen.models import Article, BlockKind, PauseKind, Script, Segment, SegmentKind, Sentence
from listen.speech import abbreviations
from listen.speech.abbreviations import MONTHS, Use
from listen.speech.lexicon import Lexicon, load_lexicon
from listen.speech.normalize import clean, normalize, primary_language

MIN_MAX_CHARS = 40


@dataclass(frozen=True)
class ScriptOptions:
    """How an article becomes a script."""

    intro: bool = True
    """Open with the title, byline, site and date."""
    outro: bool = True
    """Close with a line naming the article and its site."""
    outro_text: str = ""
    """The closing line; empty for the default ("You've been listening to …"). It may
    use {title}, {byline}, {site} and {date}; if one of those is unknown for an
    article, the default is said instead."""
    intro_template: str = ""
    """An intro to say instead of the default, with the same fields as ``outro_text``."""
    lexicon: Lexicon | None = None
    """Respellings applied before ``normalize``; None for the shipped lexicon of the
    article's language."""
    max_chars: int = 2000
    """The engine's limit: no sentence's text or speech is longer."""

    def __post_init__(self) -> None:
        if self.max_chars < MIN_MAX_CHARS:
            raise ConfigError(f"max_chars is {self.max_chars}; it must be at least "
                              f"{MIN_MAX_CHARS} so a sentence fits.")


@dataclass(frozen=True)
class _Phrases:
    """Intro and outro wording in one language."""

    by: str
    published_by_on: str
    published_by: str
    published_on: str
    outro: str
    outro_byline: str
    outro_site: str
    and_: str
    months: tuple[str, ...]
    date: str
    first_day: str = "1"


_PHRASES = {
    "en": _Phrases(
        "By {byline}.", "Published by {site} on {date}.", "Published by {site}.",
        "Published on {date}.", "You've been listening to {title}", ", by {byline}",
        ", from {site}", "and",
        MONTHS, "{month} {day}, {year}",
    ),
    "de": _Phrases(
        "Von {byline}.", "Erschienen bei {site} am {date}.", "Erschienen bei {site}.",
        "Erschienen am {date}.", "Sie hörten {title}", ", von {byline}",
        ", erschienen bei {site}", "und",
        ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
         "September", "Oktober", "November", "Dezember"),
        "{day}. {month} {year}",
    ),
    "fr": _Phrases(
        "Par {byline}.", "Publié par {site} le {date}.", "Publié par {site}.",
        "Publié le {date}.", "Vous venez d'écouter {title}", ", de {byline}",
        ", publié par {site}", "et",
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
         "septembre", "octobre", "novembre", "décembre"),
        "{day} {month} {year}", first_day="1er",
    ),
}
_FIELD = re.compile(r"\{(title|byline|site|date)\}")
_FINAL_STOP = re.compile(r"[.!?…][\"')\]]*$")
_SOFT_END = re.compile(r"[,;:]+(?=[\"')\]]*$)")
_SPEAKABLE = re.compile(r"\w")
_CLAUSE_BREAK = re.compile(r"[;:,)](?= )| (?=[–—] )")
_SPACE = re.compile(r" ")
_NON_WORD = re.compile(r"\W+")
_DOUBLE_STOP = re.compile(r"\.\.$")


_Draft = tuple[SegmentKind, tuple[Sentence, ...], str]
"""A segment before chapters and pauses: its kind, sentences and block id."""


def build_script(article: Article, options: ScriptOptions = ScriptOptions()) -> Script:
    """The article as a sequence of spoken segments, with chapters and pauses."""
    lexicon = options.lexicon if options.lexicon is not None else _shipped(article.language)
    narrator = _Narrator(article.language, lexicon, options.max_chars)
    drafts: list[_Draft] = []
    if options.intro:
        drafts.append((SegmentKind.TITLE, narrator.lines(_intro(article, options)), ""))
    for block in article.blocks:
        said_in_intro = options.intro and block.kind is BlockKind.HEADING
        if said_in_intro and _repeats_title(block.text, article.title):
            continue  # the page's <h1>
        kind = SegmentKind(block.kind.value)
        drafts.append((kind, narrator.sentences(block.text), block.id))
    if options.outro:
        drafts.append((SegmentKind.OUTRO, narrator.sentences(_outro(article, options)), ""))
    drafts = [draft for draft in drafts if draft[1]]
    if not drafts:
        raise ExtractError("The article has no text to narrate: check the source, or the "
                           "site rules for it in listen.toml.")
    return _assemble(article, drafts)


@lru_cache(maxsize=8)
def _shipped(language: str) -> Lexicon:
    return load_lexicon(language)


def _repeats_title(text: str, title: str) -> bool:
    """The page's <h1> is the title, which the intro has already said."""
    return _squashed(text) == _squashed(title) != ""


def _squashed(text: str) -> str:
    return _NON_WORD.sub("", clean(text)).casefold()


# ── sentences as spoken ───────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Narrator:
    language: str
    lexicon: Lexicon
    max_chars: int

    def speak(self, text: str) -> str:
        return _end_with_stop(normalize(self.lexicon.apply(text), self.language))

    def sentences(self, text: str) -> tuple[Sentence, ...]:
        """``text`` split into sentences, each short enough for the engine."""
        return self.lines(split_sentences(text, self.language))

    def lines(self, lines: list[str]) -> tuple[Sentence, ...]:
        return tuple(s for line in lines for s in self._fit(clean(line)))

    def _fit(self, text: str) -> Iterator[Sentence]:
        """Sentences of at most ``max_chars``, in text and in speech; none silent."""
        pending = [text] if text else []
        while pending:
            piece = pending.pop()
            if len(piece) > self.max_chars:
                pending.extend(reversed(_cut(piece, self.max_chars)))
                continue
            speech = self.speak(piece)
            if len(speech) <= self.max_chars or len(piece) == 1:
                if _SPEAKABLE.search(speech):
                    yield Sentence(piece, _truncate(speech, self.max_chars))
                continue
            pending.extend(reversed(_cut(piece, len(piece) // 2)))


def _end_with_stop(speech: str) -> str:
    """A sentence ends with . ! or ?, so the engine's intonation closes it."""
    if not speech or _FINAL_STOP.search(speech):
        return speech
    if _SOFT_END.search(speech):
        return _SOFT_END.sub(".", speech)
    return speech + "."


def _cut(text: str, limit: int) -> list[str]:
    """``text`` in two, the head at most ``limit`` long: at the last clause boundary in
    the second half of the window, else at the last space, else hard."""
    window = text[: limit + 1]
    clause = [m.start() + (m.group() != " ") for m in _CLAUSE_BREAK.finditer(window)]
    clause = [at for at in clause if limit // 2 <= at <= limit]
    spaces = [m.start() for m in _SPACE.finditer(window) if 0 < m.start() <= limit]
    at = clause[-1] if clause else spaces[-1] if spaces else max(1, limit)
    head, tail = text[:at].rstrip(), text[at:].lstrip()
    return [part for part in (head, tail) if part]


def _truncate(speech: str, limit: int) -> str:
    """Last resort for a piece that cannot be split further."""
    if len(speech) <= limit:
        return speech
    cut = speech.rfind(" ", 0, limit)
    return speech[: cut if cut > 0 else limit]


# ── sentence splitting ────────────────────────────────────────────────────────

_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[¿¡]*(\w)")
_DOTTED = re.compile(r"(?:\w\.)+\w")
_ORDINAL_DOT_LANGUAGES = frozenset(
    [
        "de", "da", "nb", "no", "nn", "fi", "is", "cs", "sk", "hu", "pl", "sl", "hr", "sr",
        "et", "lv", "lt", "tr"
    ]
)


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences of ``text``; not split at "Dr.", "U.S. Army", "e.g.", "3.5",
    "J. R. R.", "No. 5", nor at an ellipsis inside a quotation."""
    text = clean(text)
    language = primary_language(language)
    sentences, start = [], 0
    for match in _CANDIDATE.finditer(text):
        if _ends_sentence(text, match, language):
            sentences.append(text[start : match.end()].strip())
            start = match.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _ends_sentence(text: str, match: re.Match[str], language: str) -> bool:
    following = _NEXT_WORD.match(text, match.end())
    if following is None or not (following[1].isupper() or following[1].isdigit()):
        return False
    marks = match.group().rstrip()
    punctuation = marks.rstrip("\"'”’»)]")
    if "..." in punctuation or "…" in punctuation:
        return len(punctuation) < len(marks)  # only as '…" He said'
    if "!" in punctuation or "?" in punctuation:
        return True
    token_start = text.rfind(" ", 0, match.start()) + 1
    token = text[token_start : match.start()].lstrip("\"'“‘«([").rstrip("\"'”’»)]")
    next_word = text[following.start(1) :].split(" ", 1)[0]
    return _period_ends(token, next_word, language)


def _period_ends(token: str, next_word: str, language: str) -> bool:
    """Whether a period after ``token``, before a capital or digit, ends a sentence."""
    word = token.lower().rstrip(".")
    abbreviation = abbreviations.find(word)
    may_end = abbreviation is not None and abbreviation.can_end
    if abbreviation is not None and not may_end and (
        abbreviation.use is not Use.BEFORE_NUMBER or next_word[:1].isdigit()
    ):
        return False  # "Dr. Smith", "incl. VAT", "No. 5"
    if len(word) == 1 and word.isalpha():
        return language == "en" and token == "I"  # initials, but "… than I. Then"
    if _DOTTED.fullmatch(word) or may_end:  # "U.S.", "etc."
        return abbreviations.opens_sentence(next_word) if language == "en" else may_end
    return not (word.isdigit() and language in _ORDINAL_DOT_LANGUAGES)  # "am 3. März"


# ── intro and outro ───────────────────────────────────────────────────────────


def _values(article: Article) -> dict[str, str]:
    phrases = _PHRASES.get(primary_language(article.language))
    names = [clean(name) for name in article.authors if clean(name)]
    joiner = f" {phrases.and_} " if phrases else ", "
    byline = ", ".join(names[:-1]) + joiner + names[-1] if len(names) > 1 else "".join(names)
    return {
        "title": clean(article.title),
        "byline": byline,
        "site": clean(article.site or ""),
        "date": spoken_date(article.date, article.language) if article.date else "",
    }


def spoken_date(date: datetime, language: str = "en") -> str:
    """ "March 4, 2026" in English, "4. März 2026" in German; ISO for other languages."""
    phrases = _PHRASES.get(primary_language(language))
    if phrases is None:
        return date.date().isoformat()
    day = phrases.first_day if date.day == 1 else str(date.day)
    return phrases.date.format(month=phrases.months[date.month - 1], day=day, year=date.year)


def _filled(template: str, values: dict[str, str]) -> str | None:
    """The template with its fields filled, or None when one of them is unknown."""
    if not template.strip() or any(not values[f] for f in _FIELD.findall(template)):
        return None
    return _FIELD.sub(lambda m: values[m[1]], template)


def _intro(article: Article, options: ScriptOptions) -> list[str]:
    values = _values(article)
    custom = _filled(options.intro_template, values)
    if custom is not None:
        return split_sentences(custom, article.language)
    phrases = _PHRASES.get(primary_language(article.language))
    lines = [_with_stop(values["title"])]
    if phrases is None:
        return lines
    site, date = values["site"], values["date"]
    if values["byline"]:
        lines.append(phrases.by.format(byline=values["byline"]))
    if site and date:
        lines.append(phrases.published_by_on.format(site=site, date=date))
    elif site or date:
        wording = phrases.published_by if site else phrases.published_on
        lines.append(wording.format(site=site, date=date))
    return [_DOUBLE_STOP.sub(".", line) for line in lines]  # "By Jane Doe Jr.."


def _outro(article: Article, options: ScriptOptions) -> str:
    values = _values(article)
    custom = _filled(options.outro_text, values)
    phrases = _PHRASES.get(primary_language(article.language))
    if custom is not None or phrases is None or not values["title"]:
        return custom or ""
    line = phrases.outro.format(title=values["title"].rstrip(".!?:;,"))
    if values["byline"]:
        line += phrases.outro_byline.format(byline=values["byline"])
    if values["site"]:
        line += phrases.outro_site.format(site=values["site"])
    return _with_stop(line)


def _with_stop(line: str) -> str:
    return line if not line or _FINAL_STOP.search(line) else line + "."


# ── segments, chapters and pauses ─────────────────────────────────────────────


def _assemble(article: Article, drafts: list[_Draft]) -> Script:
    chapters = [clean(article.title) or clean(article.site or "") or "Introduction"]
    kinds = [kind for kind, _, _ in drafts]
    segments: list[Segment] = []
    chapter_has_body = False
    for index, (kind, sentences, block) in enumerate(drafts):
        if kind is SegmentKind.HEADING and chapter_has_body:
            chapters.append(" ".join(s.text for s in sentences))
            chapter_has_body = False
        chapter_has_body = chapter_has_body or kind is not SegmentKind.HEADING
        segments.append(Segment(kind, sentences, len(chapters) - 1, _pause_after(kinds, index),
                                block))
    return Script(article=article, segments=tuple(segments), chapters=tuple(chapters))


def _pause_after(kinds: list[SegmentKind], index: int) -> PauseKind:
    """The intro's pause after the intro; a heading's before and after a heading."""
    if index == len(kinds) - 1:
        return PauseKind.PARAGRAPH
    if kinds[index] is SegmentKind.TITLE:
        return PauseKind.INTRO
    if SegmentKind.HEADING in (kinds[index], kinds[index + 1]):
        return PauseKind.HEADING
    return PauseKind.PARAGRAPH
