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

app = typer.Typer(
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
    jobs: Annotated[int | None, typer.Option(  # noqa: UP007
        min=1, help="Synthesis worker processes (default: one per core).")] = None,
    force: Annotated[bool, typer.Option(help="Render even when nothing changed.")] = False,
    srt: Annotated[bool, typer.Option("--srt", help="Also write <slug>.srt.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the MP3 paths.")
                     ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article.")
                       ] = False,
    offline: Annotated[bool, typer.Option(
        "--offline", help="Fetch nothing: local files only, and a generated cover.")] = False,
    fetch_images: Annotated[bool | None, typer.Option(  # noqa: UP007
        "--fetch-images/--no-fetch-images",
        help="Download the article's lead image for the cover (default: only when the "
             "article itself is a URL).", show_default=False)] = None,
) -> None:
    """Render articles to MP3 and add them to output/feed.xml.

    Example: listen render examples/night-trains.html --base-url https://cdn.example.com/audio/
    """
    from listen.pipeline import RenderResult
    from listen.pipeline import render as render_one

    settings = load_settings(config, out_dir=out, voice=voice, cache_dir=cache, jobs=jobs,
                             use_cache=False if no_cache else None, srt=srt or None,
                             offline=offline or None, fetch_images=fetch_images,
                             **{"show.base_url": base_url})
    all_sources = _expand_sources(sources or [], from_file)
    results: list[tuple[str, RenderResult | ListenError]] = []
    progress = RenderProgress(err_console, enabled=not quiet and not as_json)
    with progress:
        for source in all_sources:
            hooks = progress.article(source)
            try:
                result = render_one(source, settings, stdin=_stdin(source), hooks=hooks,
                                    force=force)
            except ListenError as exc:
                hooks.on_stage("failed")
                if len(all_sources) == 1 and not as_json:
                    raise
                results.append((source, exc))
                _report_failure(source, exc, quiet, as_json)
                continue
            hooks.on_stage(result.status)
            results.append((source, result))
            _report_result(result, quiet, as_json)
    if len(all_sources) > 1 and not quiet and not as_json:
        _summary(results)
    if any(isinstance(r, ListenError) for _s, r in results):
        raise typer.Exit(1)


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
            table.add_row(escape(source), "[green]rendered[/]", escape(str(result.mp3)))
    err_console.print(table)


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
) -> None:
    """Check engines, voices, the espeak-ng library, the cache and the output folder.

    Example: listen doctor
    """
    from listen.doctor import doctor_report

    settings = load_settings(config, out_dir=out)
    for renderable in doctor_report(settings):
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


def main() -> None:
    """Console entry point, called by ``listen.__main__`` (``listen``, ``python -m listen``)."""
    app()
