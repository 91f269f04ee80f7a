"""How the commands talk to the user: standard output and error, standard input,
and one ``Error: …`` line for our errors."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from listen.errors import ListenError

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


def stdin_for(source: str) -> Any:
    """Standard input's bytes for the source ``-``; None for any other source."""
    return sys.stdin.buffer if source == "-" else None
