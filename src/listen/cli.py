"""The command line: the ``listen`` app, its own commands (render, verify, embed,
doctor) and the command groups of ``listen.commands``, registered in the order
``listen --help`` lists them.

Every ``ListenError`` is caught in one place (``listen.commands.console.friendly``) and
printed as one line, ``Error: …``, with exit code 1; Ctrl-C exits with 130. No traceback
for a user's mistake.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from listen import __version__
from listen.commands.console import err_console, friendly, out_console, stdin_for
from listen.commands.feed import feed_app
from listen.commands.options import (
    ClusterOption,
    ConfigOption,
    JobsOption,
    JsonOption,
    OutOption,
    QuietOption,
    VoiceOption,
)
from listen.commands.report import render_summary, report_failure, report_result
from listen.commands.speech import say, script
from listen.commands.sync import sync
from listen.commands.voices import voices_app
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
        render_summary(results)
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
            report_failure(source, outcome, quiet, as_json)
        else:
            report_result(outcome, quiet, as_json)

    progress = RenderProgress(err_console, enabled=not quiet and not as_json)
    with progress:
        stdin = sys.stdin.buffer if any(item.source == "-" for item in items) else None
        return render_all(items, settings, force=force, hooks_for=progress.article,
                          on_result=report, stdin=stdin)


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
                      stdin=stdin_for(article))
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


# The commands, in the order `listen --help` lists them (command groups come last).
for command in (render, sync, verify, script, say, embed, doctor):
    app.command()(command)
app.add_typer(feed_app, name="feed")
app.add_typer(voices_app, name="voices")


def main() -> None:
    """Console entry point, called by ``listen.__main__`` (``listen``, ``python -m listen``)."""
    app()
