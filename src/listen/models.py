"""The frozen values passed from one stage to the next.

Each stage is one function from one of these to the next (see ARCHITECTURE.md):
``Page`` → ``Article`` → ``Script`` → takes (``EncodedTake``) → ``Program`` → files.
Nothing here imports an outside library, so every layer may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class BlockKind(str, Enum):
    """What a piece of article text is, as a reader sees it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"


class SegmentKind(str, Enum):
    """What a narration segment is; ``TITLE`` is the spoken intro."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    OUTRO = "outro"


class PauseKind(str, Enum):
    """Which pause of the voice profile follows a take."""

    NONE = "none"
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    INTRO = "intro"


@dataclass(frozen=True)
class Page:
    """A loaded HTML document, decoded to text."""

    html: str
    """The markup, decoded."""
    source: str
    """What the user named: a path, a URL or ``-``."""
    url: str | None
    """The final URL after redirects, or None for files and stdin."""
    fetched_at: datetime
    """When it was read (aware, UTC)."""
    encoding: str
    """The charset the bytes were decoded with."""


@dataclass(frozen=True)
class Block:
    """One piece of the article body, in reading order."""

    kind: BlockKind
    text: str
    """Clean text as a reader sees it: no markup, footnote markers or ad labels."""
    level: int = 0
    """Heading level 1–6; 0 for other kinds."""
    id: str = ""
    """The block's identity in its article (``b1``, ``b2`` … in reading order), which
    the script's segments and the cues carry, so the player can find the block."""


@dataclass(frozen=True)
class Dropped:
    """A piece of the page left out of the narration, and why."""

    text: str
    reason: str
    """A short, stable label such as ``share``, ``related``, ``footnote-marker``."""


@dataclass(frozen=True)
class Article:
    """The article as a listener should hear it, with its metadata."""

    title: str
    blocks: tuple[Block, ...]
    authors: tuple[str, ...] = ()
    date: datetime | None = None
    """Publication date, timezone-aware when the page says so."""
    site: str | None = None
    """The site or publication name."""
    language: str = "en"
    """ISO 639-1 code (``en``, ``de`` …)."""
    url: str | None = None
    """Canonical URL."""
    image: str | None = None
    """Lead image URL (absolute) if the page names one."""
    description: str | None = None
    dropped: tuple[Dropped, ...] = ()
    notes: tuple[str, ...] = ()
    """How the article was found where it was not plain sailing: a cleanup rule held
    back because its element held the article, a fall back to trafilatura's choice."""

    @property
    def byline(self) -> str:
        """Authors joined for speech: ``A``, ``A and B``, ``A, B and C``."""
        names = list(self.authors)
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Sentence:
    """One sentence: as written (for the transcript) and as spoken (for the engine)."""

    text: str
    speech: str


@dataclass(frozen=True)
class Segment:
    """One heading, paragraph, quote or list item of the narration."""

    kind: SegmentKind
    sentences: tuple[Sentence, ...]
    chapter: int
    """Index into ``Script.chapters``."""
    pause_after: PauseKind = PauseKind.PARAGRAPH
    block: str = ""
    """The ``Block.id`` it was made from; empty for the spoken intro and outro."""

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def speech(self) -> str:
        return " ".join(s.speech for s in self.sentences)


@dataclass(frozen=True)
class Script:
    """What will be spoken, in order, split into chapters."""

    article: Article
    segments: tuple[Segment, ...]
    chapters: tuple[str, ...]
    """Chapter titles; the first is the intro (the article title)."""


@dataclass(frozen=True)
class Pauses:
    """Silence after a take, in milliseconds, by ``PauseKind``."""

    sentence: int = 350
    paragraph: int = 800
    heading: int = 1100
    """After a heading, and before one (the paragraph ending before it)."""
    intro: int = 1200
    """After the spoken intro (title, byline, site)."""

    def after(self, kind: PauseKind) -> int:
        return 0 if kind is PauseKind.NONE else int(getattr(self, kind.value))


@dataclass(frozen=True)
class VoiceProfile:
    """How an article is voiced and mastered; loaded from ``voices/<name>.toml``."""

    name: str
    engine: str
    """Entry-point name of the engine: ``pyttsx3``, ``piper``, ``tone`` …"""
    voice: str = ""
    """Engine voice id or model path; empty for the engine's default for ``language``."""
    language: str = "en"
    rate: float = 1.0
    """Speed multiplier: 1.0 is the engine's normal pace."""
    variation: float | None = None
    """Engine-specific expressiveness (Piper noise scale); None for the voice's default."""
    pauses: Pauses = field(default_factory=Pauses)
    loudness: float = -19.0
    """Integrated loudness target in LUFS (mono; -16 is usual for stereo)."""
    true_peak: float = -1.0
    """True-peak ceiling in dBTP."""
    lexicons: tuple[str, ...] = ()
    """Lexicon names (``en``) or paths, applied in order."""
    parts: tuple[tuple[str, VoiceProfile], ...] = ()
    """Other voices for parts of the article, by part (``title``, ``intro``,
    ``heading``, ``quote``, ``outro``): each already given this profile's loudness,
    true peak and pauses, so every take is finished alike."""

    def for_part(self, part: str) -> VoiceProfile:
        """The voice that speaks ``part`` of the article: its own, else this one."""
        return next((voice for name, voice in self.parts if name == part), self)


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine offers, for ``listen voices``."""

    engine: str
    id: str
    name: str
    language: str
    available: bool = True
    why_not: str = ""


class _Timed:
    """Durations of a take, from the MP3 frames it occupies (1,152 samples each)."""

    frames: int
    sample_rate: int

    @property
    def samples(self) -> int:
        return self.frames * 1152

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate


@dataclass(frozen=True)
class Heard:
    """What a speech recogniser heard in a take (the listening check, ``--verify``)."""

    recognizer: str
    """The recogniser and its settings (``pocketsphinx``, ``faster-whisper:MODEL`` …)."""
    text: str
    """The words heard, lower case."""
    loudness: float
    """Integrated loudness of the take's speech, LUFS (-inf for silence)."""


@dataclass(frozen=True)
class EncodedTake(_Timed):
    """One sentence, mastered, with its pause, encoded as a self-contained MP3 stream.

    Independently encoded streams concatenate into a valid stream; junctions fall
    inside pauses. Times come from the frames actually written.
    """

    mp3: bytes
    frames: int
    """MP3 frames in ``mp3`` (1,152 samples each)."""
    sample_rate: int
    speech_samples: int
    """Samples of speech before the pause, at ``sample_rate``."""
    lead_samples: int
    """Samples the decoder outputs before the first speech sample (encoder delay)."""
    words: tuple[float, ...] = ()
    """Start of each white-space word of the text spoken, in seconds from the first
    speech sample, where the engine times words; empty otherwise."""
    heard: Heard | None = None
    """What the worker that made the take heard in it, when the render asked for the
    listening check; kept beside the take in the cache (``TakeCache.keep_heard``)."""

    @property
    def size(self) -> int:
        return len(self.mp3)

    def ref(self, key: str) -> TakeRef:
        """This take's timing, and the key its frames are stored under."""
        return TakeRef(key, self.frames, self.sample_rate, self.speech_samples,
                       self.lead_samples, self.size, self.words)


@dataclass(frozen=True)
class TakeRef(_Timed):
    """A finished take kept in the take store: its timing and where its frames are.

    Synthesis hands these on instead of the frames, so memory does not grow with
    the article: the frames are read back one take at a time as the MP3 is written.
    """

    key: str
    frames: int
    sample_rate: int
    speech_samples: int
    lead_samples: int
    size: int
    """Bytes of MP3 frames."""
    words: tuple[float, ...] = ()
    """As ``EncodedTake.words``."""


@dataclass(frozen=True)
class Cue:
    """A timed line of the transcript (one sentence)."""

    start: float
    end: float
    text: str
    block: str = ""
    """The ``Block.id`` of the article block the sentence came from ("" for intro and outro)."""
    words: tuple[float, ...] = ()
    """Start time of each word of ``text`` (split at white space), where the engine
    reports them; empty for sentence timing only."""


@dataclass(frozen=True)
class ChapterMark:
    start: float
    end: float
    title: str


@dataclass(frozen=True)
class Program:
    """The timeline of the finished audio: where each sentence and chapter lies."""

    cues: tuple[Cue, ...]
    chapters: tuple[ChapterMark, ...]
    duration: float
    frames: int
    sample_rate: int
    bitrate: int
    """kbit/s"""


@dataclass(frozen=True)
class Channel:
    """The podcast show a feed describes: ``[show]`` in ``listen.toml``, where an
    empty value means "drawn from the article" (see ``config.channel_for``)."""

    title: str = ""
    """Show title; default: the article's site name."""
    link: str = ""
    """The site's home page; default: the article URL's origin."""
    description: str = ""
    language: str = ""
    """Default: the article's language."""
    author: str = ""
    owner_name: str = ""
    owner_email: str = ""
    category: str = "News"
    """An Apple Podcasts category."""
    subcategory: str = ""
    explicit: bool = False
    image: str = ""
    """URL of the square show cover, 1400 to 3000 px; default: the generated cover."""
    base_url: str = ""
    """Where the output folder is served, e.g. ``https://cdn.example.com/audio/``;
    enclosure URLs are made from it."""
    max_items: int = 100


@dataclass(frozen=True)
class Episode:
    """One catalog row: an article's rendered audio edition."""

    id: str
    """Stable key: the canonical URL, else the source."""
    guid: str
    title: str
    link: str
    description: str
    pub_date: datetime
    """Aware datetime; the article's date, else the first render's time."""
    audio_file: str
    """File name in the output folder."""
    length: int
    """The MP3's exact size in bytes."""
    duration: float
    """Seconds."""
    author: str = ""
    image: str = ""
    transcript_file: str = ""
    chapters_file: str = ""
    language: str = "en"
    fingerprint: str = ""
    """Hash of the script, voice and settings rendered; an unchanged article is skipped."""


@dataclass(frozen=True)
class SiteRule:
    """Per-domain extraction fixes from ``listen.toml`` ``[sites."example.com"]``."""

    keep: tuple[str, ...] = ()
    """CSS selectors whose elements are the article body (first match wins)."""
    skip: tuple[str, ...] = ()
    """CSS selectors removed before extraction."""


@dataclass(frozen=True)
class EpisodeTags:
    """What tags.py writes into the MP3's ID3v2.4 tag."""

    title: str
    authors: tuple[str, ...]
    album: str
    """Show or site name."""
    date: datetime | None
    language: str
    description: str
    url: str | None
    transcript: str
    """The full narration text (USLT)."""
    voice: str
    """Voice profile name, written to TXXX:voice."""
    cover: bytes = b""
    cover_mime: str = "image/jpeg"
    generator: str = "listen"
    catalog: str = ""
    """The episode's catalog row as JSON (TXXX ``listen:episode``), for ``feed recover``."""


def _ignore_stage(_stage: str) -> None:
    return None


@dataclass(frozen=True)
class RenderHooks:
    """Callbacks a front end passes to a render to show progress; all optional."""

    on_stage: Callable[[str], None] = _ignore_stage
    """Called with ``reading``, ``speaking``, ``mastering``, ``publishing``."""
    on_takes: Callable[[int, int], None] | None = None
    """Called with (takes done, takes in all) as sentences are spoken."""
