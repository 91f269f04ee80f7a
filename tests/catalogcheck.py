"""A check shared by the publishing and render-safety tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from listen.publish.catalog import CATALOG_NAME
from listen.publish.folder import list_episodes


def catalog_guids(out: Path) -> set[str]:
    """The guids the catalog holds, after SQLite's own integrity check passes."""
    db = sqlite3.connect(out / CATALOG_NAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    return {episode.guid for episode in list_episodes(out)}
