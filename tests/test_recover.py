"""A damaged catalog loses nothing: a good copy is kept on every change, and
``listen feed recover`` rebuilds the catalog with the same guids and dates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3
from typer.testing import CliRunner

from listen.cli import app
from listen.config import Settings
from listen.errors import FeedError
from listen.models import Channel, Episode
from listen.pipeline import render
from listen.publish.catalog import BACKUP_NAME, CATALOG_NAME, Catalog
from listen.publish.feed import FEED_NAME

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "examples" / "night-trains.html", ROOT / "tests" / "pages" / "harbour-ferry.html",
         ROOT / "tests" / "fixtures" / "devnotes.html"]  # the last has no date of its own
LATER = ROOT / "tests" / "fixtures" / "ghost.html"
TONE = 'engine = "tone"\nlanguage = "en"\nrate = 4.0\n'
SHOW = Channel(title="Harbour desk", base_url="https://cdn.example/audio/",
               owner_email="audio@example.org")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "tone.toml").write_text(TONE)
    return Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                    voice=str(tmp_path / "tone.toml"), show=SHOW)


def rendered(settings: Settings) -> list[Episode]:
    for page in PAGES:
        render(str(page), settings)
    with Catalog.in_folder(settings.out_dir) as catalog:
        return catalog.episodes()


def overwrite_with_garbage(out: Path) -> None:
    (out / CATALOG_NAME).write_bytes(b"\x00garbage, not a database\xff" * 4096)
    for journal in ("-wal", "-shm"):
        (out / (CATALOG_NAME + journal)).unlink(missing_ok=True)


def recover(out: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["feed", "recover", "--out", str(out)])
    return result.exit_code, result.stdout, result.stderr


def catalog_of(out: Path) -> list[Episode]:
    with Catalog.in_folder(out) as catalog:
        return catalog.episodes()


def test_every_change_keeps_a_good_copy_beside_the_catalog(settings: Settings) -> None:
    before = rendered(settings)
    db = sqlite3.connect(settings.out_dir / BACKUP_NAME)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    finally:
        db.close()
    with Catalog(settings.out_dir / BACKUP_NAME, read_only=True) as copy:
        assert copy.episodes() == before


def test_a_catalog_overwritten_with_garbage_comes_back_whole(settings: Settings) -> None:
    before = rendered(settings)
    overwrite_with_garbage(settings.out_dir)
    with pytest.raises(FeedError, match="listen feed recover"):
        render(str(LATER), settings)
    code, stdout, _ = recover(settings.out_dir)
    assert code == 0, stdout
    assert f"recovered {len(PAGES)} episodes" in stdout
    assert catalog_of(settings.out_dir) == before  # guids, dates, files, fingerprints
    damaged = list(settings.out_dir.glob(f"{CATALOG_NAME}.damaged-*"))
    assert len(damaged) == 1 and damaged[0].read_bytes().startswith(b"\x00garbage")
    feed = feedparser.parse((settings.out_dir / FEED_NAME).read_bytes())
    assert {entry.id for entry in feed.entries} == {episode.guid for episode in before}
    # the next render works, and an unchanged article is still known as unchanged
    assert render(str(LATER), settings).status == "rendered"
    assert render(str(PAGES[2]), settings).status == "unchanged"
    assert len(catalog_of(settings.out_dir)) == len(PAGES) + 1


def test_without_the_copy_the_mp3s_bring_back_guids_and_dates(settings: Settings) -> None:
    before = rendered(settings)
    overwrite_with_garbage(settings.out_dir)
    (settings.out_dir / BACKUP_NAME).unlink()
    code, stdout, stderr = recover(settings.out_dir)
    assert code == 0 and "from the MP3 tag" in stdout
    assert f"no {BACKUP_NAME}" in stderr
    assert catalog_of(settings.out_dir) == before


def test_old_mp3s_without_their_row_come_back_from_the_feed(settings: Settings) -> None:
    before = rendered(settings)
    overwrite_with_garbage(settings.out_dir)
    (settings.out_dir / BACKUP_NAME).unlink()
    for mp3 in settings.out_dir.glob("*.mp3"):
        tag = ID3(str(mp3))
        tag.delall("TXXX:listen:episode")
        tag.save(v2_version=4)
    code, stdout, _ = recover(settings.out_dir)
    assert code == 0 and "from the feed.xml" in stdout
    after = {episode.audio_file: episode for episode in catalog_of(settings.out_dir)}
    for episode in before:
        again = after[episode.audio_file]
        assert (again.guid, again.pub_date, again.title) == (episode.guid, episode.pub_date,
                                                              episode.title)


def test_a_missing_mp3_is_named(settings: Settings) -> None:
    before = rendered(settings)
    overwrite_with_garbage(settings.out_dir)
    (settings.out_dir / before[0].audio_file).unlink()
    code, stdout, stderr = recover(settings.out_dir)
    assert code == 0 and f"recovered {len(PAGES) - 1} episodes" in stdout
    assert f"{before[0].audio_file} is missing" in stderr


def test_a_healthy_catalog_is_left_alone(settings: Settings) -> None:
    before = rendered(settings)
    code, stdout, _ = recover(settings.out_dir)
    assert code == 0 and "nothing to recover" in stdout
    assert catalog_of(settings.out_dir) == before
    assert not list(settings.out_dir.glob(f"{CATALOG_NAME}.damaged-*"))
