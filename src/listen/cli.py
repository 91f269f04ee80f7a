"""The command line: a thin typer face over ``listen.pipeline``.

Every ``ListenError`` is caught in one place (``main``) and printed as one line,
``Error: …``, with exit code 1; Ctrl-C exits with 130. No traceback for a user's mistake.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from typer.core import TyperGroup

from listen import __version__
from listen.config import load_settings
from listen.errors import ListenError, SourceError
from listen.progress import RenderProgress


class _ListenGroup(TyperGroup):
    """The ``listen`` command group; lets ``render --verify`` go without a value
    (``--verify`` or ``--verify=strict``), which typer's options cannot express."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args[:1] == ["render"]:
            args = [f"{arg}=on" if arg == "--verify" else arg for arg in args]
        return list(super().parse_args(ctx, args))


app = typer.Typer(
    cls=_ListenGroup,
    name="listen",
    help="Turn a web article into an audio edition: MP3, transcript, chapters and a podcast feed.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
feed_app = typer.Typer(help="Look after the podcast feed in the output folder.",
                       no_args_is_help=True)
app.add_typer(feed_app, name="feed")

out_console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


F = TypeVar("F", bound=Callable[..., Any])


def friendly(command: F) -> F:
    """Turn our errors into one ``Error: …`` line and exit 1; Ctrl-C into exit 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ListenError as exc:
            err_console.print(f"[red]Error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("[red]Error:[/] interrupted; finished files and the feed are "
                              "intact: run the command again to finish", highlight=False)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


class ScriptFormat(str, Enum):
    script = "script"
    text = "text"
    json = "json"


OutOption = Annotated[
    Path | None,  # noqa: UP007 - typer needs Optional on Python 3.10
    typer.Option("--out", "-o", help="Output folder (default ./output)."),
]
ConfigOption = Annotated[
    Path | None,  # noqa: UP007
    typer.Option("--config", "-c", help="Publisher profile (default ./listen.toml)."),
]
VoiceOption = Annotated[
    str | None,  # noqa: UP007
    typer.Option("--voice", "-v", help="Voice profile name (see `listen voices`)."),
]
JobsOption = Annotated[
    int | None,  # noqa: UP007
    typer.Option(min=1, help="Synthesis worker processes (default: one per core)."),
]
ClusterOption = Annotated[
    str | None,  # noqa: UP007
    typer.Option(help="Make the takes on the Dask cluster whose scheduler is at this "
                      "address (tcp://host:8786); needs pip install 'listen[dask]'."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the MP3 paths.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per article.")]


def _version(value: bool) -> None:
    if value:
        out_console.print(f"listen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Turn a web article into an audio edition.

    Example: listen render https://example.com/news/story.html
    """


@app.command()
@friendly
def render(
    sources: Annotated[list[str] | None, typer.Argument(  # noqa: UP007
        help="Article files, folders of .html files, http(s) URLs, or - for stdin.")] = None,
    out: OutOption = None,
    voice: VoiceOption = None,
    base_url: Annotated[str | None, typer.Option(  # noqa: UP007
        help="Where the output folder is served; enclosure URLs start with it.")] = None,
    config: ConfigOption = None,
    from_file: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--from-file", help="A text file of sources, one per line (# comments).")] = None,
    cache: Annotated[Path | None, typer.Option(  # noqa: UP007
        help="Segment cache folder (default: the user cache folder).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Synthesise everything anew.")
                        ] = False,
    jobs: JobsOption = None,
    cluster: ClusterOption = None,
    force: Annotated[bool, typer.Option(help="Render even when nothing changed.")] = False,
    srt: Annotated[bool, typer.Option("--srt", help="Also write <slug>.srt.")] = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
    offline: Annotated[bool, typer.Option(
        "--offline", help="Fetch nothing: local files only, and a generated cover.")] = False,
    fetch_images: Annotated[bool | None, typer.Option(  # noqa: UP007
        "--fetch-images/--no-fetch-images",
        help="Download the article's lead image for the cover (default: only when the "
             "article itself is a URL).", show_default=False)] = None,
    verify: Annotated[str | None, typer.Option(  # noqa: UP007
        "--verify", metavar="[=strict]",
        help="Listen to every take with an offline recogniser and list those that do not "
             "say their sentence; --verify=strict speaks them again, and fails the render "
             "if they stay wrong.", show_default=False)] = None,
) -> None:
    """Render articles to MP3 and add them to output/feed.xml.

    Example: listen render examples/night-trains.html --base-url https://cdn.example.com/audio/
    """
    from listen.batch import Item

    settings = load_settings(config, out_dir=out, voice=voice, cache_dir=cache, jobs=jobs,
                             cluster=cluster, use_cache=False if no_cache else None,
                             srt=srt or None, offline=offline or None,
                             fetch_images=fetch_images, verify=verify,
                             **{"show.base_url": base_url})
    all_sources = _expand_sources(sources or [], from_file)
    results = _render_items([Item(source) for source in all_sources], settings, force=force,
                            quiet=quiet, as_json=as_json)
    if len(all_sources) > 1 and not quiet and not as_json:
        _summary(results)
    if any(isinstance(r, ListenError) for _s, r in results):
        raise typer.Exit(1)


def _render_items(items: list[Any], settings: Any, *, force: bool, quiet: bool,
                  as_json: bool) -> list[tuple[str, Any]]:
    """Render with progress, reporting each article as it finishes (batch.render_all).

    A lone article's error is raised, so it prints as the one ``Error:`` line."""
    from listen.batch import render_all

    def report(source: str, outcome: Any) -> None:
        if isinstance(outcome, ListenError):
            if len(items) == 1 and not as_json:
                raise outcome
            _report_failure(source, outcome, quiet, as_json)
        else:
            _report_result(outcome, quiet, as_json)

    progress = RenderProgress(err_console, enabled=not quiet and not as_json)
    with progress:
        stdin = sys.stdin.buffer if any(item.source == "-" for item in items) else None
        return render_all(items, settings, force=force, hooks_for=progress.article,
                          on_result=report, stdin=stdin)


@app.command()
@friendly
def sync(
    source: Annotated[str, typer.Argument(
        help="An RSS or Atom feed, a sitemap (index, .xml.gz) or a folder of pages; "
             "a URL or a path.")],
    out: OutOption = None,
    voice: VoiceOption = None,
    base_url: Annotated[str | None, typer.Option(  # noqa: UP007
        help="Where the output folder is served; enclosure URLs start with it.")] = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
    cluster: ClusterOption = None,
    limit: Annotated[int | None, typer.Option(  # noqa: UP007
        min=1, help="Render at most N articles this run (newest first); the rest wait.")
                     ] = None,
    since: Annotated[datetime | None, typer.Option(  # noqa: UP007
        formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"],
        help="Leave out articles the source dates before this day (YYYY-MM-DD).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run",
                                          help="List what would be rendered, and why.")
                       ] = False,
    prune: Annotated[bool, typer.Option(
        help="Take out of the feed the episodes whose articles left the source.")] = False,
    ignore_robots: Annotated[bool, typer.Option(
        "--ignore-robots", help="Fetch pages robots.txt disallows (your own site only).")
                             ] = False,
    wait: Annotated[bool, typer.Option(
        help="If another sync is running into the same folder, wait for it to end.")
                    ] = False,
    force: Annotated[bool, typer.Option(help="Render every listed article again.")] = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Render the new and changed articles of a site's feed, sitemap or folder.

    Example: listen sync https://example.com/feed.xml --base-url https://cdn.example.com/audio/
    """
    from listen.sync import SyncOptions
    from listen.sync import sync as run_sync

    settings = load_settings(config, out_dir=out, voice=voice, jobs=jobs, cluster=cluster,
                             **{"show.base_url": base_url})
    options = SyncOptions(limit=limit, since=_aware(since), dry_run=dry_run, prune=prune,
                          ignore_robots=ignore_robots, wait=wait, force=force)
    progress = RenderProgress(err_console, enabled=not quiet and not as_json)

    def report(item_source: str, outcome: Any) -> None:
        if isinstance(outcome, ListenError):
            _report_failure(item_source, outcome, quiet, as_json)
        else:
            _report_result(outcome, quiet, as_json)

    with progress:
        result = run_sync(source, settings, options, hooks_for=progress.article,
                          on_result=report)
    _sync_summary(result, quiet=quiet, as_json=as_json)
    if result.failed:
        raise typer.Exit(1)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=timezone.utc) if moment and moment.tzinfo is None else moment


def _sync_summary(result: Any, *, quiet: bool, as_json: bool) -> None:
    for decision in result.decisions:
        if decision.error is not None:
            _report_failure(decision.url, decision.error, quiet, as_json)
        elif as_json and not decision.render:
            out_console.print_json(json.dumps({"source": decision.url, "status": "skipped",
                                               "reason": decision.reason}), indent=None)
        elif as_json and result.outcomes == [] and decision.render:
            out_console.print_json(json.dumps({"source": decision.url, "status":
                                               "would render", "reason": decision.reason}),
                                   indent=None)
    if quiet or as_json:
        return
    dry = not result.outcomes and any(d.render for d in result.decisions)
    table = Table(title=f"listen sync{' (dry run)' if dry else ''}: {escape(result.source)}")
    for column in ("article", "result", "why"):
        table.add_column(column, overflow="fold")
    outcomes = dict(result.outcomes)
    for decision in result.decisions:
        table.add_row(escape(decision.url), *_sync_row(decision, outcomes.get(decision.url)))
    for url in result.pruned:
        table.add_row(escape(url), "removed", "left the source (--prune)")
    if result.decisions or result.pruned:
        err_console.print(table)
    err_console.print(_sync_line(result), highlight=False)


def _sync_row(decision: Any, outcome: Any) -> tuple[str, str]:
    if decision.error is not None:
        return "[red]failed[/]", escape(str(decision.error))
    if isinstance(outcome, ListenError):
        return "[red]failed[/]", escape(str(outcome))
    if outcome is not None:
        return "[green]rendered[/]", escape(decision.reason)
    if decision.render:
        return "would render", escape(decision.reason)
    return "skipped", escape(decision.reason)


def _sync_line(result: Any) -> str:
    counts = result.counts
    rendered = sum(1 for _s, o in result.outcomes if not isinstance(o, ListenError))
    failed = sum(1 for d in result.decisions if d.error) + sum(
        1 for _s, o in result.outcomes if isinstance(o, ListenError))
    unchanged = sum(1 for d in result.decisions if d.reason == "unchanged")
    would = sum(1 for d in result.decisions if d.render) if not result.outcomes else 0
    parts = [f"{len(result.decisions)} articles in the {result.kind}",
             f"{rendered} rendered" if not would else f"{would} would be rendered",
             f"{unchanged} unchanged", f"{failed} failed"]
    if result.departed:
        parts.append(f"{len(result.departed)} left the source"
                     + ("" if result.pruned else " (kept; --prune removes them)"))
    line = "; ".join(parts)
    requests = (f"{counts.requests} requests, {counts.conditional} conditional, "
                f"{counts.not_modified} answered 304 Not Modified")
    nothing = " Nothing new: nothing was spoken." if not rendered and not would else ""
    return f"sync: {line}. {requests}; {result.seconds:.1f} s.{nothing}"


def _expand_sources(sources: list[str], from_file: Path | None) -> list[str]:
    listed = list(sources)
    if from_file is not None:
        try:
            lines = from_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise SourceError(f"cannot read the list of sources {from_file} ({reason}): "
                              "check the path given to --from-file") from exc
        listed += _listed_sources(lines)
    if not listed:
        raise SourceError("no source given: name an article file, a URL, or - for stdin")
    expanded: list[str] = []
    for source in listed:
        path = Path(source)
        if source != "-" and "://" not in source and path.is_dir():
            pages = sorted(p for p in path.iterdir() if p.suffix.lower() in {".html", ".htm"})
            if not pages:
                raise SourceError(f"{source} is a folder with no .html files: name a page")
            expanded += [str(p) for p in pages]
        else:
            expanded.append(source)
    return expanded


_TRAILING_COMMENT = re.compile(r"\s+#.*$")
"""`` # note`` after a source; a ``#`` with no space before it is a URL's fragment."""


def _listed_sources(lines: list[str]) -> list[str]:
    """The sources of a --from-file list: blank lines, ``# comment`` lines and
    comments after a source left out."""
    sources = (_TRAILING_COMMENT.sub("", line).strip() for line in lines)
    return [source for source in sources if source and not source.startswith("#")]


def _stdin(source: str) -> Any:
    return sys.stdin.buffer if source == "-" else None


def _report_result(result: Any, quiet: bool, as_json: bool) -> None:
    if as_json:
        episode = result.episode
        out_console.print_json(json.dumps({
            "source": result.source, "status": result.status, "mp3": str(result.mp3),
            "title": episode.title, "duration": round(episode.duration, 3),
            "bytes": episode.length, "guid": episode.guid, "warnings": list(result.warnings),
            **({"verify": result.check.as_json()} if result.check else {}),
        }), indent=None)
        return
    out_console.print(str(result.mp3), highlight=False)
    if result.status == "unchanged" and not quiet:
        err_console.print("unchanged since its last render: skipped (--force renders it "
                          "again)", highlight=False)
    if not quiet:
        for warning in result.warnings:
            err_console.print(f"[yellow]Warning:[/] {escape(warning)}", highlight=False)


def _report_failure(source: str, exc: ListenError, quiet: bool, as_json: bool) -> None:
    if as_json:
        out_console.print_json(json.dumps({"source": source, "status": "failed",
                                           "error": str(exc)}), indent=None)
    else:
        err_console.print(f"[red]Error:[/] {escape(source)}: {escape(str(exc))}", highlight=False)


def _summary(results: list[tuple[str, Any]]) -> None:
    table = Table(title="listen render")
    for column in ("source", "result", "detail"):
        table.add_column(column)
    for source, result in results:
        if isinstance(result, ListenError):
            table.add_row(escape(source), "[red]failed[/]", escape(str(result)))
        elif result.status == "unchanged":
            table.add_row(escape(source), "skipped (unchanged)", escape(str(result.mp3)))
        else:
            table.add_row(escape(source), "[green]rendered[/]",
                          escape(str(result.mp3)) + _heard(result.check))
    err_console.print(table)


def _heard(check: Any) -> str:
    """The listening check in the summary's detail column."""
    if check is None or check.score is None:
        return "" if check is None else " (not checked by ear)"
    wrong = f", {len(check.misheard)} take(s) wrong" if check.misheard else ""
    return f" (heard {check.score:.0%} of the words{wrong})"


@app.command()
@friendly
def verify(
    episode: Annotated[str, typer.Argument(
        help="The episode: its MP3's path, or its file name in the output folder.")],
    out: OutOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Listen to a published episode with an offline recogniser and list the sentences
    it does not say (silent, cut off or misheard); exit code 1 if there are any.

    Example: listen verify output/the-night-train-is-back.mp3
    """
    from listen.verify import verify_episode

    settings = load_settings(config, out_dir=out)
    mp3, check = verify_episode(settings, episode)
    if as_json:
        out_console.print_json(json.dumps({"mp3": mp3, **check.as_json()}), indent=None)
    elif check.skipped:
        err_console.print(f"[yellow]Warning:[/] {escape(check.skipped)}", highlight=False)
    else:
        for m in check.misheard:
            out_console.print(f"{m.start:8.1f} s  {m.why}: expected {m.expected!r}, "
                              f"heard {m.heard!r}", highlight=False, markup=False)
        score = f"{check.score:.0%}" if check.score is not None else "no"
        err_console.print(f"{check.takes} sentences, {len(check.misheard)} not said as "
                          f"written; {check.recognizer} heard {score} of the words",
                          highlight=False)
    if check.misheard:
        raise typer.Exit(1)


@app.command()
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
    narration, _profile = prepare_script(source, settings, stdin=_stdin(source))
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


@app.command()
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


class _VoicesGroup(TyperGroup):
    """``listen voices --available [LANGUAGE]``: a word after ``--available`` is the
    language to list, not a sub-command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--available" in args:
            args = self._language_as_option(args)
        return super().parse_args(ctx, args)

    def _language_as_option(self, args: list[str]) -> list[str]:
        taking_value = False
        for at, arg in enumerate(args):
            if not taking_value and not arg.startswith("-") and arg not in self.commands:
                return [*args[:at], "--language", *args[at:]]
            taking_value = arg in ("--config", "-c", "--language")
        return args


voices_app = typer.Typer(cls=_VoicesGroup, no_args_is_help=False, rich_markup_mode="rich")
app.add_typer(voices_app, name="voices")


@app.command()
@friendly
def embed(
    article: Annotated[str | None, typer.Argument(  # noqa: UP007
        help="The publisher's article page: a file, an http(s) URL, or -.")] = None,
    episode: Annotated[str | None, typer.Option(  # noqa: UP007
        help="The episode: its id (`listen feed list`) or its MP3's path; default: the "
             "episode rendered from ARTICLE.")] = None,
    at: Annotated[str | None, typer.Option(  # noqa: UP007
        "--at", help="CSS selector of the element to put the player before (default: "
                     "after the headline).")] = None,
    out: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--out", "-o", help="Write the page to FILE (default: standard output).")] = None,
    snippet_of: Annotated[str | None, typer.Option(  # noqa: UP007
        "--snippet", metavar="ID", help="Print the lines to paste into a CMS template for "
                                        "episode ID (an id or an MP3's path) instead.")] = None,
    base_url: Annotated[str | None, typer.Option(  # noqa: UP007
        help="Where the output folder is served; the player's files are named under it.")
                        ] = None,
    config: ConfigOption = None,
) -> None:
    """Put the player into the publisher's own page, marking every narrated paragraph.

    Example: listen embed article.html --out article-with-audio.html
    """
    from listen.embedding import embed_page, snippet
    from listen.fsutil import write_atomic

    settings = load_settings(config, **{"show.base_url": base_url})
    if snippet_of is not None:
        if article is not None:
            raise SourceError("give ARTICLE or --snippet ID, not both")
        lines, warnings = snippet(settings, snippet_of)
        out_console.print(lines, highlight=False, markup=False, end="")
        _warn(warnings)
        return
    if article is None:
        raise SourceError("no article given: name the publisher's page (a file or URL), "
                          "or use --snippet ID")
    page = embed_page(article, settings, episode=episode, at=at, target=out,
                      stdin=_stdin(article))
    if out is None:
        sys.stdout.buffer.write(page.content)
        sys.stdout.buffer.flush()
    else:
        write_atomic(out, page.content, fix="choose another file with --out")
    if page.missing:
        shown = "; ".join(repr(text[:60]) for text in page.missing[:3])
        _warn([f"{len(page.missing)} narrated paragraph(s) not found on the page, so not "
               f"highlighted: {shown}"])
    _warn(page.warnings)


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        err_console.print(f"[yellow]Warning:[/] {escape(warning)}", highlight=False)


@voices_app.callback(invoke_without_command=True)
@friendly
def voices(
    ctx: typer.Context,
    available: Annotated[bool, typer.Option(
        "--available", help="List Piper's voice catalogue instead, marking what is installed; "
        "--available de lists one language.")] = False,
    language: Annotated[str | None, typer.Option(  # noqa: UP007
        "--language", hidden=True, help="The language --available lists.")] = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="With --available: fetch the catalogue again now.")] = False,
    config: ConfigOption = None,
) -> None:
    """List voice profiles and every engine voice, and say which espeak-ng is loaded;
    with --available, Piper's voices for every language, to install and remove.

    Example: listen voices --available de; listen voices install de
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings(config)
    if available or language:
        from listen.voicesview import catalogue_report

        for renderable in catalogue_report(settings, language or "", refresh=refresh):
            out_console.print(renderable)
        return
    from listen.doctor import voices_report

    for renderable in voices_report(settings):
        out_console.print(renderable)


@voices_app.command("install")
@friendly
def voices_install(
    voice: Annotated[str, typer.Argument(
        metavar="NAME|LANGUAGE",
        help="A voice of the catalogue (de_DE-thorsten-medium), a speaker (thorsten), or a "
             "language (de, pt-BR, German) for its best voice.")],
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Fetch the catalogue again first.")] = False,
    config: ConfigOption = None,
) -> None:
    """Download a Piper voice, check it, and make it a voice profile.

    Example: listen voices install de
    """
    from listen.voicesview import install_with_progress

    for line in install_with_progress(load_settings(config), voice, err_console,
                                      refresh=refresh):
        out_console.print(line, highlight=False, markup=False)


@voices_app.command("remove")
@friendly
def voices_remove(
    name: Annotated[str, typer.Argument(help="An installed voice (`listen voices` lists them).")],
    config: ConfigOption = None,
) -> None:
    """Delete an installed voice: its model, config, model card and profile.

    Example: listen voices remove de_DE-thorsten-medium
    """
    from listen.sound.installed import remove, voices_folder

    folder = voices_folder(load_settings(config).voices_folder)
    removed = remove(name, folder)
    out_console.print(f"removed {name} from {folder} ({', '.join(p.name for p in removed)})",
                      highlight=False, markup=False)


@app.command()
@friendly
def doctor(
    out: OutOption = None,
    config: ConfigOption = None,
    voice: VoiceOption = None,
    cluster: Annotated[str | None, typer.Option(  # noqa: UP007
        help="Also check the workers of this Dask scheduler: the same listen, "
             "distributed, engines and voices as here.")] = None,
) -> None:
    """Check engines, voices, the espeak-ng library, the cache and the output folder.

    Example: listen doctor --cluster tcp://scheduler:8786
    """
    from listen.doctor import cluster_report, doctor_report

    settings = load_settings(config, out_dir=out, voice=voice, cluster=cluster)
    for renderable in doctor_report(settings):
        out_console.print(renderable)
    if settings.cluster:
        for renderable in cluster_report(settings, settings.cluster):
            out_console.print(renderable)


@feed_app.command("list")
@friendly
def feed_list(
    out: OutOption = None,
    config: ConfigOption = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="One line per episode, tab-separated: id, title, date, duration, "
                        "file (what a pipe or a narrow terminal gets anyway).")] = False,
) -> None:
    """List the episodes in the catalog, newest first.

    Example: listen feed list --out output
    """
    from listen.publish.folder import list_episodes

    settings = load_settings(config, out_dir=out)
    rows = [(ep.id, ep.title, ep.pub_date.date().isoformat(), f"{ep.duration / 60:.1f} min",
             ep.audio_file) for ep in list_episodes(settings.out_dir)]
    if not rows:
        err_console.print(f"no episodes in {escape(str(settings.out_dir))}", highlight=False)
        return
    table = _episode_table(rows)
    if not plain and out_console.is_terminal and _fits(table):
        out_console.print(table)
        return
    for row in rows:  # ids whole, one line each: copied or cut -f1 intact
        typer.echo("\t".join(" ".join(cell.split()) for cell in row))


def _episode_table(rows: Sequence[tuple[str, ...]]) -> Table:
    table = Table()
    for column in ("id", "title", "date", "duration", "file"):
        # ids and file names are what `feed remove` takes: never folded or cut short
        table.add_column(column, no_wrap=column != "title")
    for row in rows:
        table.add_row(*map(escape, row))
    return table


def _fits(table: Table) -> bool:
    """Whether the table fits the terminal with its ids and file names unbroken."""
    unbounded = out_console.options.update(width=10_000)  # measures are capped at the width
    return Measurement.get(out_console, unbounded, table).minimum <= out_console.width


@feed_app.command("remove")
@friendly
def feed_remove(
    episode: Annotated[str, typer.Argument(
        metavar="EPISODE",
        help="The episode: its id, the article's URL, its slug, or its MP3's path.")],
    out: OutOption = None,
    config: ConfigOption = None,
) -> None:
    """Remove an episode from the catalog and the feed (its files stay).

    Example: listen feed remove output/harbour-ferry-returns.mp3
    """
    from listen.publish.folder import find_episode, unpublish

    settings = load_settings(config, out_dir=out)
    found = find_episode(settings.out_dir, episode)
    if found is None or not unpublish(settings.out_dir, found.id):
        raise SourceError(f"no episode {episode!r} in {settings.out_dir}: give its id, URL, "
                          "slug or MP3 path (`listen feed list` shows them)")
    out_console.print(f'removed "{found.title}" ({found.audio_file}, id {found.id}); its '
                      f"files stay in {settings.out_dir}", highlight=False, markup=False)


@feed_app.command("rebuild")
@friendly
def feed_rebuild(out: OutOption = None, config: ConfigOption = None) -> None:
    """Write feed.xml again from the catalog (after editing listen.toml, say).

    Example: listen feed rebuild --config listen.toml
    """
    from listen.pipeline import rebuild_feed

    settings = load_settings(config, out_dir=out)
    out_console.print(str(rebuild_feed(settings)))


@feed_app.command("recover")
@friendly
def feed_recover(out: OutOption = None, config: ConfigOption = None) -> None:
    """Rebuild a damaged catalog from its last good copy, feed.xml and the MP3s.

    Every episode keeps its guid and date, so podcast apps see nothing new.

    Example: listen feed recover --out output
    """
    from listen.publish.folder import recover_catalog

    settings = load_settings(config, out_dir=out)
    report = recover_catalog(settings.out_dir)
    catalog = settings.out_dir / "catalog.sqlite"
    if report.healthy:
        out_console.print(f"{catalog} is fine ({len(report.episodes)} episodes): "
                          "nothing to recover", highlight=False)
        return
    sources = ", ".join(f"{count} from the {source}" for source, count in
                        sorted(report.sources.items()))
    out_console.print(f"recovered {len(report.episodes)} episodes into {catalog}"
                      + (f" ({sources})" if sources else ""), highlight=False)
    if report.moved_to:
        out_console.print(f"the damaged catalog is kept as {report.moved_to}", highlight=False)
    for problem in report.problems:
        err_console.print(f"[yellow]Warning:[/] {escape(problem)}", highlight=False)


def main() -> None:
    """Console entry point, called by ``listen.__main__`` (``listen``, ``python -m listen``)."""
    app()
