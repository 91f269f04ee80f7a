"""Publishing: keep the catalog and ``feed.xml`` of an output folder in step.

Every change runs under an exclusive lock on the output folder, so two renders
into one folder take turns and both land their items. Within the lock, one catalog
transaction spans the whole change: the row is written, the feed is rendered from
the catalog and replaced atomically, and only then does the transaction commit.

So a crash (even SIGKILL) at any point leaves a feed that parses and holds every
item the catalog holds: before the feed's rename, both are as they were; between
the rename and the commit, the feed also carries the episode being published, whose
files are already in place (the pipeline writes them first), and the next publish
renders the feed from the catalog again. A killed writer may leave temporary
files (``.<name>.*.tmp``) behind; the next publish sweeps those older than a minute.

The lock is re-entrant within a process: the pipeline holds it while it names and
writes an episode's files, then publishes them, so two renders of articles with
the same title cannot pick the same file name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from listen.errors import FeedError
from listen.fsutil import write_atomic
from listen.models import Channel, Episode
from listen.publish.catalog import CATALOG_NAME, Catalog
from listen.publish.feed import FEED_NAME, check_category, render_feed

LOCK_NAME = ".listen.lock"
"""The lock file, on Windows only; elsewhere the folder itself is locked."""
STALE_TEMP_SECONDS = 60.0

_held: dict[Path, int] = {}
"""Locks this process holds, by folder, with how many times each is entered."""


def publish(out_dir: Path, channel: Channel, episode: Episode, *, dated: bool = False) -> Episode:
    """Add or replace ``episode`` in the catalog and feed of ``out_dir``; return it as stored.

    Call it after the episode's files are written. ``dated`` is True when
    ``episode.pub_date`` is the article's own date; otherwise a re-render keeps the
    first render's date (see ``Catalog.upsert``). The enclosure length is taken
    from the audio file on disk.
    """
    check_category(channel.category, channel.subcategory)  # before touching the catalog
    with folder_lock(out_dir):
        # Under the lock: if two renders of one article raced, this is the file that won.
        episode = _with_file_length(out_dir, episode)
        sweep_stale_temp_files(out_dir)
        with Catalog.in_folder(out_dir) as catalog, catalog.transaction():
            stored = catalog.upsert(episode, dated=dated)
            _write_feed(out_dir, channel, catalog)
    return stored


def unpublish(out_dir: Path, id: str) -> bool:
    """Take an article out of the catalog and feed (its files stay); True if it was there.

    The feed is rendered with the channel it was last rendered with, kept in the catalog.
    """
    with folder_lock(out_dir), _existing_catalog(out_dir) as catalog, catalog.transaction():
        if not catalog.remove(id):
            return False
        if channel := catalog.saved_channel():
            _write_feed(out_dir, channel, catalog)
    return True


def rebuild(out_dir: Path, channel: Channel) -> Path:
    """Render ``feed.xml`` again from the catalog, e.g. after changing listen.toml."""
    check_category(channel.category, channel.subcategory)
    with folder_lock(out_dir), _existing_catalog(out_dir) as catalog, catalog.transaction():
        _write_feed(out_dir, channel, catalog)
    return out_dir / FEED_NAME


def list_episodes(out_dir: Path) -> list[Episode]:
    """Every episode in the catalog of ``out_dir``, newest first."""
    with _existing_catalog(out_dir) as catalog:
        return catalog.episodes()


def find_episode(out_dir: Path, reference: str) -> Episode | None:
    """The episode of ``out_dir`` that ``reference`` names, as a user would type it:
    its id or guid, the article's URL (with or without the final slash), the source
    file's path, the path or name of its MP3 (or of another of its files), or its slug.

    A path into another folder is an error that names the ``--out`` to give.
    """
    episodes = list_episodes(out_dir)
    ref = reference.strip()
    path = Path(ref)
    if path.name != ref and path.suffix in _EPISODE_SUFFIXES:
        _check_in_folder(path, out_dir)
    matchers = (
        lambda ep: ref in (ep.id, ep.guid),
        lambda ep: ref.startswith(("http://", "https://"))
        and ref.rstrip("/") in (ep.id.rstrip("/"), ep.link.rstrip("/")),
        lambda ep: path.name in (ep.audio_file, ep.transcript_file, ep.chapters_file),
        lambda ep: ep.audio_file == f"{ref}.mp3",
        lambda ep: "://" not in ref and ep.id == path.resolve().as_uri(),
    )
    for names in matchers:
        found = next((ep for ep in episodes if names(ep)), None)
        if found is not None:
            return found
    return None


_EPISODE_SUFFIXES = (".mp3", ".vtt", ".json", ".srt")


def _check_in_folder(path: Path, out_dir: Path) -> None:
    if path.parent.resolve() != out_dir.resolve():
        raise FeedError(f"{path} is not in the output folder {out_dir}: add --out {path.parent}")


@contextlib.contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold the exclusive publishing lock of ``out_dir``; wait while another holds it.

    The operating system drops the lock when its holder dies, so no stale lock can
    outlive a killed render. (``flock`` may not lock across machines on NFS.)
    Entering it again in the same process, while it is held, does not wait.
    """
    key = out_dir.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = _open_lock(out_dir)
    except OSError as exc:
        raise FeedError(f"cannot lock {out_dir}: {exc.strerror or exc}") from exc
    try:
        _lock(fd)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            _unlock(fd)
    finally:
        os.close(fd)


def sweep_stale_temp_files(out_dir: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete the temporary files (``.<name>.*.tmp``) a killed render or publish left;
    return what was deleted.

    Called under the lock: every write of ours into the output folder happens under
    it, so none is running; the age test spares a writer that does not take the lock.
    """
    deadline = time.time() - older_than
    swept = []
    for temp in sorted(out_dir.glob(".*.*.tmp")):
        with contextlib.suppress(OSError):
            if temp.stat().st_mtime < deadline:
                temp.unlink()
                swept.append(temp)
    return swept


def _write_feed(out_dir: Path, channel: Channel, catalog: Catalog) -> None:
    """Render the feed from the catalog (inside its transaction) and replace feed.xml."""
    catalog.save_channel(channel)
    write_atomic(out_dir / FEED_NAME, render_feed(channel, catalog.episodes(channel.max_items)))


@contextlib.contextmanager
def _existing_catalog(out_dir: Path) -> Iterator[Catalog]:
    if not (out_dir / CATALOG_NAME).is_file():
        raise FeedError(
            f"no catalog in {out_dir}: render an article there first, or point --out"
            " at the folder you render into"
        )
    with Catalog.in_folder(out_dir) as catalog:
        yield catalog


def _with_file_length(out_dir: Path, episode: Episode) -> Episode:
    """The episode with its enclosure length read from disk; its files must exist."""
    for name in (episode.audio_file, episode.transcript_file, episode.chapters_file):
        if name and not (out_dir / name).is_file():
            raise FeedError(
                f"{out_dir / name} is missing: publish an episode after writing its files"
            )
    size = (out_dir / episode.audio_file).stat().st_size
    return episode if size == episode.length else dataclasses.replace(episode, length=size)


if sys.platform == "win32":
    import msvcrt

    def _open_lock(out_dir: Path) -> int:
        """Windows cannot lock a folder: lock a file in it."""
        return os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT)

    def _lock(fd: int) -> None:
        while True:  # LK_LOCK gives up after 10 s; keep waiting as flock does
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _open_lock(out_dir: Path) -> int:
        """Lock the folder itself, so no lock file is left in it."""
        return os.open(out_dir, os.O_RDONLY)

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
