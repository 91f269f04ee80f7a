"""``listen voices``: the voices listen can speak with, and Piper's to install and remove."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from listen.commands.console import err_console, friendly, out_console
from listen.commands.options import ConfigOption
from listen.config import load_settings


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
