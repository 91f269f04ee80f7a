"""``listen sync``: a site's feed, sitemap or folder kept in step with its audio."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from listen.commands.console import err_console, friendly, out_console
from listen.commands.options import (
    ClusterOption,
    ConfigOption,
    JobsOption,
    JsonOption,
    OutOption,
    QuietOption,
    VoiceOption,
)
from listen.commands.report import report_failure, report_result
from listen.config import load_settings
from listen.errors import ListenError
from listen.progress import RenderProgress


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
            report_failure(item_source, outcome, quiet, as_json)
        else:
            report_result(outcome, quiet, as_json)

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
            report_failure(decision.url, decision.error, quiet, as_json)
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
