"""The settings of a render, and their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listen.models import Channel, SiteRule

MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
"""What an MPEG-1 Layer III stream at 44.1 kHz can carry."""


@dataclass(frozen=True)
class Settings:
    """Everything one render needs beyond the source."""

    out_dir: Path = Path("output")
    voice: str | None = None
    """Voice profile name; None picks the best installed voice for the article's language."""
    voices_dir: Path | None = None
    """A folder of user voice profiles that override shipped ones by name."""
    cache_dir: Path | None = None
    """None: the user cache folder."""
    use_cache: bool = True
    jobs: int | None = None
    """Worker processes for synthesis; None: one per core."""
    cluster: str | None = None
    """A Dask scheduler's address (``tcp://host:8786``): takes are made on its workers."""
    show: Channel = field(default_factory=Channel)
    """``[show]``: the podcast the feed describes; empty values come from the article."""
    intro: bool = True
    """Speak "<title>. By <authors>. Published by <site> on <date>." first."""
    outro: bool = True
    outro_text: str = ""
    keep_captions: bool = False
    intro_audio: Path | None = None
    """A WAV, FLAC or MP3 played before the narration (a jingle)."""
    outro_audio: Path | None = None
    bitrate: int = 64
    srt: bool = False
    """Also write ``<slug>.srt``."""
    lexicon: Mapping[str, str] = field(default_factory=dict)
    """Publisher pronunciations: word or phrase → respelling."""
    speech: Mapping[str, Any] = field(default_factory=dict)
    """``[speech.<language>.<table>]``: additions to the speech data (units, currencies,
    abbreviations …), by language; checked when a script is built."""
    sites: Mapping[str, SiteRule] = field(default_factory=dict)
    config_path: Path | None = None
    offline: bool = False
    """Fetch nothing: no URL sources, no lead images (the cover is generated)."""
    fetch_images: bool | None = None
    """Fetch the article's lead image for the cover; None: only for a URL source,
    so a render of a local file makes no network request unless asked."""
    voices_url: str = ""
    """``[voices] catalogue``: where ``listen voices`` finds Piper's voice catalogue (an
    address or a folder, for a mirror); "" for Piper's own."""
    voices_folder: Path | None = None
    """``[voices] folder``: where ``listen voices install`` puts voices; None: the user
    data folder."""
    verify: str = ""
    """``--verify``: "" (off), ``on`` (report takes that do not say their sentence) or
    ``strict`` (speak them again, and fail the render if they stay wrong)."""
    whisper_model: Path | None = None
    """A faster-whisper (CTranslate2) model folder for the listening check; None:
    pocketsphinx for English, no check for other languages."""
    parts: Mapping[str, str] = field(default_factory=dict)
    """``[render.parts]``: voice profiles for parts of the article (title, intro,
    heading, quote, outro), over the voice profile's own ``[parts]``."""
