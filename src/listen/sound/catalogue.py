"""Piper's voice catalogue: every voice it publishes, with its files, sizes and checksums.

The catalogue is Piper's ``voices.json`` (the rhasspy/piper-voices repository), one
entry per voice::

    "de_DE-thorsten-medium": {
      "key": "de_DE-thorsten-medium", "name": "thorsten", "quality": "medium",
      "language": {"code": "de_DE", "family": "de", "region": "DE",
                   "name_english": "German", "country_english": "Germany", …},
      "num_speakers": 1, "aliases": [],
      "files": {"de/de_DE/thorsten/medium/de_DE-thorsten-medium.onnx":
                  {"size_bytes": 63201294, "md5_digest": "…"}, "….onnx.json": {…}, …}}

Files are addressed relative to the catalogue's base, which is a setting
(``[voices] catalogue``, ``LISTEN_VOICES_URL``) so that a publisher without internet
can point listen at a mirror: a web server or a folder with the same layout.

The last copy fetched is kept beside the installed voices with the date it was
fetched, so listing works offline, and so the warning about a missing voice can name
one without a network request.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from listen.errors import DownloadError, OutputError, UnknownVoice
from listen.fsutil import write_atomic
from listen.sound.download import TIMEOUT, fetch_small, is_web_address, join
from listen.sound.languages import fit, primary, region

PIPER_CATALOGUE = "https://huggingface.co/rhasspy/piper-voices/resolve/main/"
"""Piper's own catalogue: ``voices.json`` and the voices' files under it."""
CATALOGUE_FILE = "voices.json"
MAX_AGE = timedelta(days=1)
"""A cached catalogue older than this is fetched again (a failed fetch keeps the old one)."""

QUALITIES = ("medium", "high", "low", "x_low")
"""Piper's qualities in the order listen prefers them: medium sounds nearly as good as
high at about half its size and synthesis time; low and x_low sound muffled."""

RECOMMENDED = {
    "en": "en_US-lessac-medium", "en-GB": "en_GB-alba-medium",
    "de": "de_DE-thorsten-medium", "fr": "fr_FR-siwis-medium",
    "es": "es_ES-davefx-medium", "es-MX": "es_MX-ald-medium",
    "it": "it_IT-paola-medium", "pt": "pt_BR-faber-medium",
    "pt-PT": "pt_PT-tugão-medium", "pl": "pl_PL-darkman-medium",
    "nl": "nl_BE-nathalie-medium", "ru": "ru_RU-irina-medium",
    "sv": "sv_SE-nst-medium", "da": "da_DK-talesyn-medium",
    "no": "no_NO-talesyn-medium", "fi": "fi_FI-harri-medium",
    "cs": "cs_CZ-jirka-medium", "uk": "uk_UA-ukrainian_tts-medium",
    "zh": "zh_CN-huayan-medium",
}
"""Well-known single-speaker voices, preferred for a language (or a language in one
region) when the catalogue has them; a name the catalogue lacks is passed over."""

_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|\d{3}))?",
                           re.IGNORECASE)
"""``de``, ``pt-BR``, ``pt_br``, ``zh-Hans-CN``: a language, not a voice's name."""
_SAFE_KEY = re.compile(r"\w[\w.-]*")


@dataclass(frozen=True)
class VoiceFile:
    path: str
    """Relative to the catalogue's base: ``de/de_DE/thorsten/medium/….onnx``."""
    size: int
    md5: str


@dataclass(frozen=True)
class CatalogueVoice:
    """One voice of the catalogue."""

    key: str
    """``de_DE-thorsten-medium``: the name it is installed under."""
    name: str
    language: str
    """``de_DE``."""
    language_name: str
    """In English: ``German``."""
    country: str
    quality: str
    speakers: int
    model: VoiceFile
    config: VoiceFile
    card: VoiceFile | None = None
    """The model card: where the voice comes from, and its licence."""
    aliases: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return sum(file.size for file in (self.model, self.config, self.card) if file)

    @property
    def described(self) -> str:
        """``German (Germany), medium quality, 63.2 MB``."""
        where = f" ({self.country})" if self.country else ""
        return (f"{self.language_name}{where}, {self.quality.replace('_', ' ')} quality, "
                f"{self.size / 1e6:.1f} MB")


@dataclass(frozen=True)
class Catalogue:
    base: str
    fetched: datetime
    voices: tuple[CatalogueVoice, ...]
    note: str = ""
    """Why an old copy is shown (the catalogue could not be fetched), else ""."""

    def languages(self) -> int:
        return len({primary(voice.language) for voice in self.voices})


def catalogue_base(setting: str) -> str:
    """The catalogue's base from the setting ("" for Piper's own), with a final slash."""
    base = setting.strip() or PIPER_CATALOGUE
    return base if base.endswith("/") or not is_web_address(base) else base + "/"


def load_catalogue(setting: str, folder: Path, *, refresh: bool = False,
                   timeout: float = TIMEOUT) -> Catalogue:
    """The catalogue: the cached copy while it is young (and ``refresh`` is not asked),
    else fetched and cached; an old copy when fetching fails."""
    base = catalogue_base(setting)
    cached = cached_catalogue(setting, folder)
    if cached and not refresh and datetime.now(timezone.utc) - cached.fetched < MAX_AGE:
        return cached
    where = join(base, CATALOGUE_FILE)
    try:
        entries = _entries(fetch_small(where, timeout=timeout), where)
    except DownloadError as exc:
        if cached is None:
            raise
        return Catalogue(cached.base, cached.fetched, cached.voices, note=str(exc))
    fetched = datetime.now(timezone.utc).replace(microsecond=0)
    _store(folder, base, fetched, entries)
    return Catalogue(base, fetched, _voices(entries))


def cached_catalogue(setting: str, folder: Path) -> Catalogue | None:
    """The last copy fetched from this catalogue, without any network request."""
    base = catalogue_base(setting)
    try:
        stored = json.loads(_cache_path(folder, base).read_text(encoding="utf-8"))
        fetched = datetime.fromisoformat(stored["fetched"])
        voices = _voices(stored["voices"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # none yet, or damaged: fetch again
    return Catalogue(base, fetched, voices)


def _cache_path(folder: Path, base: str) -> Path:
    """One cache file per catalogue, so a mirror and Piper's own never mix."""
    tag = hashlib.sha256(base.encode()).hexdigest()[:12]
    return folder / f".catalogue-{tag}.json"


def _store(folder: Path, base: str, fetched: datetime, entries: dict[str, Any]) -> None:
    record = {"base": base, "fetched": fetched.isoformat(), "voices": entries}
    # A cache that cannot be written costs only a fetch next time.
    with contextlib.suppress(OutputError):
        write_atomic(_cache_path(folder, base), json.dumps(record).encode(),
                     fix="set [voices] folder to a folder you can write to")


def parse_catalogue(data: bytes, where: str) -> tuple[CatalogueVoice, ...]:
    """Every voice of a ``voices.json`` that has a model and its config; sorted by key."""
    return _voices(_entries(data, where))


def _entries(data: bytes, where: str) -> dict[str, Any]:
    try:
        entries = json.loads(data)
    except ValueError as exc:
        raise DownloadError(f"{where} is not a voice catalogue (not JSON: {exc})") from exc
    if not isinstance(entries, dict):
        raise DownloadError(f"{where} is not a Piper voice catalogue (voices.json)")
    return entries


def _voices(entries: dict[str, Any]) -> tuple[CatalogueVoice, ...]:
    voices = (_voice(key, entry) for key, entry in sorted(entries.items()))
    return tuple(voice for voice in voices if voice is not None)


def _voice(key: str, entry: Any) -> CatalogueVoice | None:
    if not _SAFE_KEY.fullmatch(key):
        return None  # it becomes a file name: no folders, no hidden files
    try:
        files = entry["files"]
        model = next(path for path in files if path.endswith(".onnx"))
        config = f"{model}.json"
        language = entry["language"]
        return CatalogueVoice(
            key=key, name=str(entry.get("name", key)), language=str(language["code"]),
            language_name=str(language.get("name_english", language["code"])),
            country=str(language.get("country_english", "")),
            quality=str(entry.get("quality", "")),
            speakers=int(entry.get("num_speakers", 1)),
            model=_file(model, files[model]), config=_file(config, files[config]),
            card=_card(model, files),
            aliases=tuple(str(alias) for alias in entry.get("aliases", ())),
        )
    except (KeyError, TypeError, ValueError, StopIteration, AttributeError):
        return None  # an entry without a model and config cannot be installed


def _card(model: str, files: dict[str, Any]) -> VoiceFile | None:
    card = model.rsplit("/", 1)[0] + "/MODEL_CARD"
    return _file(card, files[card]) if card in files else None


def _file(path: str, entry: Any) -> VoiceFile:
    if path.startswith("/") or ".." in path.split("/"):
        raise ValueError(f"{path} leaves the catalogue")
    return VoiceFile(path, int(entry["size_bytes"]), str(entry.get("md5_digest", "")))


# --- choosing ----------------------------------------------------------------------------


def for_language(voices: tuple[CatalogueVoice, ...], language: str) -> list[CatalogueVoice]:
    """The voices that speak ``language``, best first: the article's (or the usual)
    region, the recommended voice, one speaker, medium quality, then by name."""
    fitting = [(rank, voice) for voice in voices
               if (rank := fit(voice.language, language)) is not None]
    fitting.sort(key=lambda pair: (pair[0], *_preference(pair[1], language)))
    return [voice for _rank, voice in fitting]


def _preference(voice: CatalogueVoice, language: str) -> tuple[bool, bool, int, str]:
    recommended = {RECOMMENDED.get(primary(language)), RECOMMENDED.get(_tag(language))}
    quality = QUALITIES.index(voice.quality) if voice.quality in QUALITIES else len(QUALITIES)
    return voice.key not in recommended, voice.speakers != 1, quality, voice.key


def _tag(language: str) -> str:
    code, area = primary(language), region(language)
    return f"{code}-{area}" if area else code


def recommended_key(language: str) -> str | None:
    """The voice to suggest for ``language`` when no catalogue has been fetched yet."""
    return RECOMMENDED.get(_tag(language)) or RECOMMENDED.get(primary(language))


def find_voice(catalogue: Catalogue, wanted: str) -> CatalogueVoice:
    """The voice ``wanted`` names: a key or alias (``de_DE-thorsten-medium``), a
    language (``de``, ``pt-BR``, ``German``: its best voice) or a speaker's name
    (``thorsten``: its best quality)."""
    text = wanted.strip()
    lowered = text.lower()
    for voice in catalogue.voices:
        if lowered == voice.key.lower() or lowered in (a.lower() for a in voice.aliases):
            return voice
    candidates = speaking(catalogue, text) or sorted(
        (v for v in catalogue.voices if v.name.lower() == lowered),
        key=lambda v: _preference(v, v.language))
    if candidates:
        return candidates[0]
    raise UnknownVoice(_no_such_voice(catalogue, text))


def speaking(catalogue: Catalogue, language: str) -> list[CatalogueVoice]:
    """The voices for a language given by tag (``de``, ``pt-BR``) or English name
    (``German``), best first; [] for anything else."""
    by_name = next((voice.language for voice in catalogue.voices
                    if voice.language_name.lower() == language.strip().lower()), None)
    tag = by_name or (language.strip() if _LANGUAGE_TAG.fullmatch(language.strip()) else "")
    return for_language(catalogue.voices, tag) if tag else []


def _no_such_voice(catalogue: Catalogue, wanted: str) -> str:
    names = sorted({v.key for v in catalogue.voices} | {v.language_name for v in catalogue.voices}
                   | {primary(v.language) for v in catalogue.voices})
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return (f"the voice catalogue has no voice or language {wanted!r}{hint}: "
            "`listen voices --available` lists them")
