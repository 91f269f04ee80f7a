"""``listen script`` and ``listen say``: what listen reads, and how it says it."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from listen.commands.console import err_console, friendly, out_console, stdin_for
from listen.commands.options import ConfigOption, VoiceOption
from listen.config import load_settings


class ScriptFormat(str, Enum):
    script = "script"
    text = "text"
    json = "json"


@friendly
def script(
    source: Annotated[str, typer.Argument(help="An article file, an http(s) URL, or -.")],
    fmt: Annotated[ScriptFormat, typer.Option(
        "--format", "-f",
        help="script: the narration, intro and closing line included; text: the article's "
             "own text, without them; json: the narration's segments and the metadata.")
                   ] = ScriptFormat.script,
    explain: Annotated[bool, typer.Option(help="Also show what was left out, and why.")
                       ] = False,
    spoken: Annotated[bool, typer.Option(
        help="Print the text as the engine will say it (ranges, symbols, lexicon applied).")
                      ] = False,
    voice: VoiceOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the narration script without synthesising.

    Example: listen script examples/night-trains.html --explain --spoken
    """
    from listen.pipeline import prepare_script
    from listen.scriptview import script_as_json, script_as_text

    settings = load_settings(config, voice=voice)
    if fmt is ScriptFormat.text:  # the article alone: no generated intro or closing line
        settings = dataclasses.replace(settings, intro=False, outro=False)
    narration, _profile = prepare_script(source, settings, stdin=stdin_for(source))
    if fmt is ScriptFormat.json:
        out_console.print(json.dumps(script_as_json(narration), ensure_ascii=False, indent=2),
                          highlight=False, markup=False)
    else:
        out_console.print(script_as_text(narration, spoken=spoken), highlight=False,
                          markup=False)
    if explain:
        _explain(narration)
    if explain and spoken:
        _explain_speech(narration, _profile, settings)


def _explain(narration: Any) -> None:
    table = Table(title="Left out")
    table.add_column("reason")
    table.add_column("text")
    for dropped in narration.article.dropped:
        text = dropped.text if len(dropped.text) <= 100 else dropped.text[:97] + "…"
        table.add_row(escape(dropped.reason), escape(text))
    err_console.print(table)
    for note in narration.article.notes:  # how the article was found, where it was not plain
        err_console.print(f"Note: {escape(note)}", highlight=False)


def _explain_speech(narration: Any, profile: Any, settings: Any) -> None:
    """Per sentence, which speech rules changed what."""
    from listen.speech.lexicon import load_lexicon
    from listen.speech.script import page_language

    language = page_language(narration.article)
    lexicon = load_lexicon(narration.article.language, profile.lexicons, settings.lexicon)
    table = Table(title="Speech rules")
    for column in ("#", "rule", "written", "spoken"):
        table.add_column(column, overflow="fold")
    number = 0
    for segment in narration.segments:
        for sentence in segment.sentences:
            number += 1
            for rule, written, said in _changes(sentence.text, language, lexicon, settings):
                table.add_row(str(number), rule, escape(written), escape(said))
    err_console.print(table)


def _changes(text: str, language: str, lexicon: Any, settings: Any) -> list[tuple[str, str, str]]:
    """(rule, written, spoken) for each stretch of ``text`` a speech rule changed."""
    from listen.speech.normalize import Change
    from listen.speech.script import speak_line

    trace: list[Change] = []
    speak_line(text, language, lexicon=lexicon, speech=settings.speech, trace=trace)
    return [(change.rule, written, said) for change in trace if change.rule not in _QUIET_RULES
            for written, said in change.spans()]


_QUIET_RULES = frozenset(["unicode", "tidy"])
"""Rules that only mend typography: not worth a row in ``--explain``."""


@friendly
def say(
    text: Annotated[str, typer.Argument(help="The line, as written on the page.")],
    language: Annotated[str | None, typer.Option(  # noqa: UP007
        "--language", "-l",
        help="Its language, with a region if it matters: en, de, fr, es-CO … "
             "(default: the voice's, else detected).")] = None,
    spoken: Annotated[bool, typer.Option(
        help="Print only the speech text: what the engine is given.")] = False,
    voice: VoiceOption = None,
    out: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--out", "-o", help="Also speak it into this .mp3 or .wav file.")] = None,
    config: ConfigOption = None,
) -> None:
    """Show how listen says a line (numbers, dates, money, abbreviations, lexicon) and
    which rules changed what; --out speaks it to a file.

    Example: listen say "Am 14. Januar kostete es 1,2 Mrd. Euro." --language de
    """
    from listen.speech.lexicon import load_lexicon
    from listen.speech.normalize import Change
    from listen.speech.script import speak_line

    settings = load_settings(config, voice=voice)
    profile = _say_profile(settings, language) if settings.voice or out else None
    language = language or (profile.language if profile else None) or _detected(text)
    lexicon = load_lexicon(language, profile.lexicons if profile else (), settings.lexicon)
    trace: list[Change] = []
    speech = speak_line(text, language, lexicon=lexicon, speech=settings.speech, trace=trace)
    if spoken:
        out_console.print(speech, highlight=False, markup=False)
    else:
        out_console.print(f"[bold]written[/]  {escape(text)}", highlight=False)
        out_console.print(f"[bold]spoken[/]   {escape(speech)}", highlight=False)
        for change in trace:
            if change.rule not in _QUIET_RULES:
                for written, said in change.spans():
                    out_console.print(f"  [dim]{escape(change.rule)}:[/] {escape(written)} → "
                                      f"{escape(said)}", highlight=False)
    if out is not None and profile is not None:
        from listen.sound.preview import speak_to_file

        speak_to_file(speech, profile, out, bitrate=settings.bitrate)
        if not spoken:
            err_console.print(f"wrote {escape(str(out))}", highlight=False)


def _say_profile(settings: Any, language: str | None) -> Any:
    from listen.sound.voices import load_profile

    return load_profile(settings.voice, language or "en", settings.voices_dir,
                        settings.voices_folder)


def _detected(text: str) -> str:
    from listen.read.extract import detect_language

    return detect_language(text)
