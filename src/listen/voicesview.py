"""What ``listen voices --available`` shows, and ``listen voices install`` with its
progress bar."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, RenderableType
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from listen.config import Settings
from listen.errors import UnknownVoice
from listen.sound.catalogue import Catalogue, find_voice, load_catalogue, speaking
from listen.sound.engines.piper import INSTALL_HINT
from listen.sound.installed import InstalledFiles, install, installed_names, voices_folder
from listen.sound.voices import load_profile, piper_installed


def catalogue_report(settings: Settings, language: str = "", *, refresh: bool = False
                     ) -> Iterator[RenderableType]:
    """The catalogue as a table (one language's voices, best first, when ``language``
    is given), what is installed marked, and where and when it was fetched."""
    folder = voices_folder(settings.voices_folder)
    catalogue = load_catalogue(settings.voices_url, folder, refresh=refresh)
    voices = speaking(catalogue, language) if language else sorted(
        catalogue.voices, key=lambda voice: (voice.language, voice.key))
    if not voices:
        raise UnknownVoice(f"the voice catalogue has no voice for {language!r}: "
                           "`listen voices --available` lists every language")
    installed = set(installed_names(folder))
    table = Table(title="Piper voices" + (f" for {escape(language)}, best first"
                                          if language else ""))
    for column in ("voice", "language", "quality", "size", "installed"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for voice in voices:
        where = f"{voice.language_name} ({voice.country})" if voice.country else (
            voice.language_name)
        speakers = f", {voice.speakers} speakers" if voice.speakers > 1 else ""
        table.add_row(escape(voice.key), escape(where), voice.quality + speakers,
                      f"{voice.size / 1e6:.0f} MB", "yes" if voice.key in installed else "")
    yield table
    fetched = catalogue.fetched.strftime("%Y-%m-%d %H:%M UTC")
    yield Text(f"{len(catalogue.voices)} voices in {catalogue.languages()} languages, from "
               f"{catalogue.base}, fetched {fetched}")
    yield from _stale(catalogue)
    how = (f"listen voices install {language} (the first), or install NAME" if language
           else "listen voices install NAME, or a language: listen voices install de")
    yield Text(f"Install one: {how}")


def _stale(catalogue: Catalogue) -> Iterator[Text]:
    if catalogue.note:
        fetched = catalogue.fetched.strftime("%Y-%m-%d %H:%M UTC")
        yield Text(f"Warning: could not fetch the catalogue again, so this is the copy of "
                   f"{fetched}: {catalogue.note}", style="yellow")


def install_with_progress(settings: Settings, wanted: str, console: Console, *,
                          refresh: bool = False) -> list[str]:
    """Install the voice ``wanted`` names, showing its download on ``console``; returns
    what to tell the user: where it is, how to use it, whether it is now the default."""
    folder = voices_folder(settings.voices_folder)
    catalogue = load_catalogue(settings.voices_url, folder, refresh=refresh)
    for warning in _stale(catalogue):
        console.print(warning)
    voice = find_voice(catalogue, wanted)
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(voice.key, total=voice.size)
        install(voice, catalogue.base, folder,
                on_progress=lambda received: progress.advance(task, received))
    lines = [f"installed {voice.key} in {folder}: {voice.described}", _how_to_use(
        settings, voice.key, voice.language, voice.language_name)]
    if voice.card is not None:
        card = InstalledFiles(folder, voice.key).card
        lines.append(f"where it comes from, and its licence: {card}")
    return lines


def _how_to_use(settings: Settings, key: str, language: str, language_name: str) -> str:
    if not piper_installed():
        return f"to speak with it, install Piper first: {INSTALL_HINT}"
    folder = voices_folder(settings.voices_folder)
    default = load_profile(None, language, settings.voices_dir, folder).name
    chosen = (f"{language_name} articles are now read by it by default" if default == key
              else f"{language_name} articles are read by {default!r} by default; this one "
                   "when named")
    return f"{chosen}: listen render ARTICLE --voice {key}"
