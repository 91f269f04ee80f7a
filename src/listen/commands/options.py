"""The options several commands share, typed once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
