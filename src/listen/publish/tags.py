# mypy: disable-error-code="no-untyped-call"
"""The ID3v2.4 tag: text frames, cover, transcript and CHAP/CTOC chapters.

mutagen lives only here. ``render_id3`` builds the tag in memory and returns its
bytes, so the pipeline can stream ``tag + Info frame + takes`` into one atomic file.
mutagen's frame classes are unannotated, hence the mypy pragma above.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TXXX,
    USLT,
    WOAS,
    BitPaddedInt,
    CTOCFlags,
    PictureType,
)

# ID3.save() orders frames by size (mutagen/id3/_tags.py, ID3Tags._write), which puts
# CHAP frames out of time order, and ffmpeg lists chapters in file order: so the
# frames are serialised here, in our order, with mutagen's own frame writer.
from mutagen.id3._tags import save_frame
from mutagen.id3._util import ID3SaveConfig

from listen.errors import AudioError, OutputError
from listen.models import EpisodeTags, Program

_V24 = ID3SaveConfig(v2_version=4)

_UTF8 = 3
_NO_OFFSET = 0xFFFFFFFF
"""CHAP byte offsets unused: players seek by time."""
_ISO_639_2 = {
    "ar": "ara", "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "en": "eng",
    "es": "spa", "fi": "fin", "fr": "fra", "he": "heb", "hi": "hin", "hu": "hun",
    "it": "ita", "ja": "jpn", "ko": "kor", "nl": "nld", "no": "nor", "pl": "pol",
    "pt": "por", "ro": "ron", "ru": "rus", "sv": "swe", "tr": "tur", "uk": "ukr",
    "zh": "zho",
}  # fmt: skip


def language_code(language: str) -> str:
    """ISO 639-2 code for an ISO 639-1 one (``en`` → ``eng``); ``und`` when unknown."""
    code = language.split("-")[0].split("_")[0].lower()
    if len(code) == 3 and code.isalpha():
        return code
    return _ISO_639_2.get(code, "und")


CATALOG_FRAME = "listen:episode"
"""The TXXX description of the frame that carries the episode's catalog row."""


def render_id3(tags: EpisodeTags, program: Program) -> bytes:
    """The complete ID3v2.4 tag, as bytes to put before the first MP3 frame."""
    frames = [*_text_frames(tags), *_chapter_frames(program)]
    if tags.cover:
        frames.append(APIC(encoding=_UTF8, mime=tags.cover_mime, type=PictureType.COVER_FRONT,
                           desc="Cover", data=tags.cover))  # fmt: skip
    try:
        body = b"".join(save_frame(frame, config=_V24) for frame in frames)
    except MutagenError as exc:
        raise AudioError(f"cannot build the ID3 tag for {tags.title!r}: {exc}") from exc
    return b"ID3" + bytes((4, 0, 0)) + BitPaddedInt.to_str(len(body), width=4) + body


def _text_frames(tags: EpisodeTags) -> list[Any]:
    lang = language_code(tags.language)
    frames: list[Any] = [
        TIT2(encoding=_UTF8, text=[tags.title]),
        TALB(encoding=_UTF8, text=[tags.album]),
        TLAN(encoding=_UTF8, text=[lang]),
        TCON(encoding=_UTF8, text=["Podcast"]),
        COMM(encoding=_UTF8, lang=lang, desc="", text=[tags.description]),
        USLT(encoding=_UTF8, lang=lang, desc="", text=tags.transcript),
        TXXX(encoding=_UTF8, desc="generator", text=[tags.generator]),
        TXXX(encoding=_UTF8, desc="voice", text=[tags.voice]),
    ]
    if tags.authors:
        frames.append(TPE1(encoding=_UTF8, text=list(tags.authors)))
    if tags.date:
        frames.append(TDRC(encoding=_UTF8, text=[tags.date.date().isoformat()]))
    if tags.url:
        frames.append(WOAS(url=tags.url))
    if tags.catalog:
        frames.append(TXXX(encoding=_UTF8, desc=CATALOG_FRAME, text=[tags.catalog]))
    return frames


def _chapter_frames(program: Program) -> list[Any]:
    """One CHAP per chapter (ids ``ch0``, ``ch1`` …) and a top-level, ordered CTOC."""
    chapters: list[Any] = []
    duration_ms = round(program.duration * 1000)
    for index, mark in enumerate(program.chapters):
        start = min(round(mark.start * 1000), duration_ms)
        end = min(max(round(mark.end * 1000), start), duration_ms)
        chapters.append(CHAP(element_id=f"ch{index}", start_time=start, end_time=end,
                             start_offset=_NO_OFFSET, end_offset=_NO_OFFSET,
                             sub_frames=[TIT2(encoding=_UTF8, text=[mark.title])]))  # fmt: skip
    if not chapters:
        return []
    toc = CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
               child_element_ids=[c.element_id for c in chapters],
               sub_frames=[TIT2(encoding=_UTF8, text=["Chapters"])])  # fmt: skip
    return [toc, *chapters]


def read_tags(path: Path) -> dict[str, Any]:
    """The tag of a finished MP3 as plain values: for tests and ``listen doctor``."""
    try:
        tag = ID3(str(path))
    except MutagenError as exc:
        raise OutputError(f"cannot read the ID3 tag of {path}: {exc}") from exc
    chapters = sorted(tag.getall("CHAP"), key=lambda chap: chap.start_time)
    shown = [key for key in tag if key[:1] == "T" and not key.startswith("TXXX")]  # TXXX:desc
    return {
        "version": tag.version,
        "text": {key: str(tag[key]) for key in shown},
        "chapters": [
            (c.start_time / 1000, c.end_time / 1000, str(c.sub_frames["TIT2"])) for c in chapters
        ],  # fmt: skip
        "has_cover": bool(tag.getall("APIC")),
    }


def read_voice(mp3: Path) -> str:
    """The voice profile an MP3 listen wrote was spoken with (TXXX ``voice``), or ""."""
    try:
        frames = ID3(mp3).getall("TXXX:voice")
    except (MutagenError, OSError):
        return ""
    return str(frames[0].text[0]) if frames and frames[0].text else ""
