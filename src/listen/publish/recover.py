"""``listen feed recover``: rebuild a damaged catalog from what is on disk.

The catalog is the source of truth for the feed, and a podcast app knows an episode
by its guid and date: a new catalog that changed them would announce every episode
again. So each episode is rebuilt from, in order of trust for its guid and date:

1. the last good copy of the catalog (``catalog.sqlite.bak``, kept on every change),
   which also gives back what ``listen sync`` remembered (validators, listed URLs);
2. the catalog row every MP3 carries in its tag (TXXX ``listen:episode``);
3. ``feed.xml`` (the newest ``max_items`` episodes);
4. the MP3's plain tags, with the file's time as the date of an undated article.

Only episodes whose MP3 is in the folder come back; what could not be recovered
(a row whose MP3 is gone, a date guessed from a file's time) is listed. The damaged
catalog is moved aside, never deleted, and the feed is written again.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mutagen import MutagenError
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from listen.errors import FeedError
from listen.models import Channel, Episode
from listen.publish.catalog import BACKUP_NAME, CATALOG_NAME, Catalog, guid_for
from listen.publish.feed import FEED_NAME, FeedItem, read_feed, render_feed
from listen.publish.tags import CATALOG_FRAME

RECORD_VERSION = 1
_RECORD_FIELDS = ("id", "guid", "title", "link", "description", "pub_date", "duration",
                  "author", "image", "language", "fingerprint")


def episode_record(episode: Episode, *, dated: bool) -> str:
    """The catalog row an MP3 carries in its tag, as JSON."""
    values = {name: getattr(episode, name) for name in _RECORD_FIELDS}
    values.update(pub_date=episode.pub_date.isoformat(), dated=dated, v=RECORD_VERSION)
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


@dataclass
class Recovery:
    """What ``recover`` did: episodes by where their guid and date came from."""

    episodes: list[Episode] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    moved_to: Path | None = None
    """Where the damaged catalog was moved."""
    healthy: bool = False
    """The catalog was fine: nothing was changed."""


@dataclass(frozen=True)
class _Found:
    episode: Episode
    dated: bool
    source: str


def recover(out_dir: Path, *, now: datetime | None = None) -> Recovery:
    """Rebuild the catalog of ``out_dir``; the caller holds the folder lock."""
    path = out_dir / CATALOG_NAME
    if _healthy(path):
        with Catalog(path) as catalog:
            return Recovery(episodes=catalog.episodes(), healthy=True)
    report = Recovery()
    backup_rows, channel, sync_state = _from_backup(out_dir / BACKUP_NAME, report)
    feed_channel, feed_items = read_feed(out_dir / FEED_NAME)
    by_file = {item.audio_file: item for item in feed_items}
    found = []
    for mp3 in sorted(out_dir.glob("*.mp3")):
        episode = _recover_one(mp3, backup_rows.get(mp3.name), by_file.get(mp3.name), report)
        if episode is not None:
            found.append(episode)
    for name in sorted(set(backup_rows) | set(by_file)):
        if not (out_dir / name).is_file():
            report.problems.append(f"{name} is missing: its episode cannot come back")
    channel = channel or feed_channel
    if channel is None and found:
        report.problems.append("the show's settings ([show]) were in neither the catalog "
                               "copy nor feed.xml: run `listen feed rebuild --config "
                               "listen.toml` to write feed.xml")
    report.moved_to = _replace_catalog(out_dir, found, channel, sync_state, now)
    report.episodes = [item.episode for item in found]
    for item in found:
        report.sources[item.source] = report.sources.get(item.source, 0) + 1
    return report


def _healthy(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with Catalog(path) as catalog:
            catalog.episodes(limit=1)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(db.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            db.close()
    except (FeedError, sqlite3.Error):
        return False


_SyncState = tuple[list[tuple[str, ...]], list[tuple[str, ...]]]


def _from_backup(path: Path, report: Recovery
                 ) -> tuple[dict[str, _Found], Channel | None, _SyncState]:
    """The good copy's rows by audio file, its channel and what ``listen sync``
    remembered; nothing if it is unusable."""
    if not path.is_file():
        report.problems.append(f"no {BACKUP_NAME}: guids and dates come from the MP3s "
                               "and feed.xml")
        return {}, None, ([], [])
    try:
        with Catalog(path, read_only=True) as backup:
            rows = backup.rows()
            channel = backup.saved_channel()
            sync_state = backup.sync_state()
    except FeedError as exc:
        report.problems.append(f"{BACKUP_NAME} is unusable too ({exc})")
        return {}, None, ([], [])
    found = {row.audio_file: _Found(row, dated, "catalog copy") for row, dated in rows}
    return found, channel, sync_state


def _recover_one(mp3: Path, backup: _Found | None, item: FeedItem | None,
                 report: Recovery) -> _Found | None:
    tag = _read_tag(mp3)
    if tag is None:
        report.problems.append(f"{mp3.name} has no readable ID3 tag: left out")
        return None
    record = _record(tag)
    if backup is None and record is None and not _made_by_listen(tag):
        return None  # not ours (a jingle kept in the folder, say)
    found = record or backup or _from_feed_or_tags(mp3, tag, item, report)
    if backup is not None and found is not backup:
        # The MP3 may be newer than the copy (a render whose publish met the damaged
        # catalog), but the guid, and the first render's date, are the copy's.
        kept = found.episode.pub_date if found.dated else backup.episode.pub_date
        found = _Found(dataclasses.replace(found.episode, guid=backup.episode.guid,
                                           pub_date=kept), found.dated, backup.source)
    return _Found(_with_files(found.episode, mp3), found.dated, found.source)


def _read_tag(mp3: Path) -> Any:
    try:
        return ID3(str(mp3))  # type: ignore[no-untyped-call]
    except MutagenError:
        return None


def _made_by_listen(tag: Any) -> bool:
    frames = tag.getall("TXXX:generator")
    return bool(frames) and str(frames[0]).startswith("listen")


def _record(tag: Any) -> _Found | None:
    frames = tag.getall(f"TXXX:{CATALOG_FRAME}")
    if not frames:
        return None
    try:
        values: dict[str, Any] = json.loads(str(frames[0]))
        dated = bool(values.pop("dated"))
        values.pop("v", None)
        values["pub_date"] = datetime.fromisoformat(values["pub_date"])
        episode = Episode(**values, audio_file="", length=0)
    except (ValueError, KeyError, TypeError):
        return None
    return _Found(episode, dated, "MP3 tag")


def _from_feed_or_tags(mp3: Path, tag: Any, item: FeedItem | None,
                       report: Recovery) -> _Found:
    """An MP3 from before listen kept its catalog row in the tag."""
    url = str(tag["WOAS"].url) if "WOAS" in tag else ""
    episode_id = url or (item.link if item and item.link else mp3.resolve().as_uri())
    title = str(tag["TIT2"]) if "TIT2" in tag else mp3.stem
    tagged_date = _tag_date(tag)
    if item is not None and item.pub_date is not None:
        pub_date, source = item.pub_date, "feed.xml"
    elif tagged_date is not None:
        pub_date, source = tagged_date, "MP3 tag"
    else:
        pub_date = datetime.fromtimestamp(mp3.stat().st_mtime, timezone.utc).replace(
            microsecond=0)
        source = "file time"
        report.problems.append(f"{mp3.name}: date guessed from the file's time")
    episode = Episode(
        id=episode_id, guid=item.guid if item and item.guid else guid_for(episode_id),
        title=title, link=url, description=item.summary if item else "",
        pub_date=pub_date, audio_file="", length=0, duration=0.0,
        author=str(tag["TPE1"]) if "TPE1" in tag else "",
        image=item.image if item else "", language=item.language if item else "en",
    )
    return _Found(episode, tagged_date is not None, source)


def _tag_date(tag: Any) -> datetime | None:
    if "TDRC" not in tag:
        return None
    try:
        day = datetime.fromisoformat(str(tag["TDRC"])[:10])
    except ValueError:
        return None
    return day.replace(tzinfo=timezone.utc)


def _with_files(episode: Episode, mp3: Path) -> Episode:
    """The episode with its files as they are on disk now."""
    folder, stem = mp3.parent, mp3.stem
    transcript = f"{stem}.vtt" if (folder / f"{stem}.vtt").is_file() else ""
    chapters = f"{stem}.chapters.json" if (folder / f"{stem}.chapters.json").is_file() else ""
    duration = episode.duration or _mp3_duration(mp3)
    return dataclasses.replace(episode, audio_file=mp3.name, length=mp3.stat().st_size,
                               duration=duration, transcript_file=transcript,
                               chapters_file=chapters)


def _mp3_duration(mp3: Path) -> float:
    try:
        audio: Any = MP3(str(mp3))  # type: ignore[no-untyped-call]
        return float(audio.info.length)
    except MutagenError:
        return 0.0


def _replace_catalog(out_dir: Path, found: list[_Found], channel: Channel | None,
                     sync_state: _SyncState, now: datetime | None) -> Path | None:
    """Write the new catalog beside the damaged one, move that aside, put this in its
    place, then write the feed from it."""
    path = out_dir / CATALOG_NAME
    fresh = out_dir / f".{CATALOG_NAME}.recovered.tmp"
    fresh.unlink(missing_ok=True)
    with Catalog(fresh) as catalog, catalog.transaction():
        for item in found:
            catalog.upsert(item.episode, dated=item.dated)
        if channel is not None:
            catalog.save_channel(channel)
        catalog.restore_sync_state(*sync_state)
    moved = _move_aside(path, now or datetime.now(timezone.utc))
    fresh.replace(path)
    with Catalog(path) as catalog:
        if channel is not None:
            from listen.fsutil import write_atomic

            write_atomic(out_dir / FEED_NAME,
                         render_feed(channel, catalog.episodes(channel.max_items)))
        catalog.keep_backup()
    return moved


def _move_aside(path: Path, now: datetime) -> Path | None:
    """Keep the damaged catalog (and its journal files) under a dated name."""
    if not path.exists():
        return None
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            journal.replace(target.with_name(target.name + suffix))
    return target
