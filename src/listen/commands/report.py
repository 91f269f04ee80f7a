"""How each article's render is reported as it finishes, and the table after many:
a path per line, ``Warning:`` and ``Error:`` lines, or one JSON object per article."""

from __future__ import annotations

import json
from typing import Any

from rich.markup import escape
from rich.table import Table

from listen.commands.console import err_console, out_console
from listen.errors import ListenError


def report_result(result: Any, quiet: bool, as_json: bool) -> None:
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


def report_failure(source: str, exc: ListenError, quiet: bool, as_json: bool) -> None:
    if as_json:
        out_console.print_json(json.dumps({"source": source, "status": "failed",
                                           "error": str(exc)}), indent=None)
    else:
        err_console.print(f"[red]Error:[/] {escape(source)}: {escape(str(exc))}", highlight=False)


def render_summary(results: list[tuple[str, Any]]) -> None:
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
