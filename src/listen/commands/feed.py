"""``listen feed``: the episodes in the output folder's catalog and feed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from listen.commands.console import err_console, friendly, out_console
from listen.commands.options import ConfigOption, OutOption
from listen.config import load_settings
from listen.errors import SourceError

feed_app = typer.Typer(help="Look after the podcast feed in the output folder.",
                       no_args_is_help=True)


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
