"""The catalog: one SQLite row per article, the source of truth for ``feed.xml``.

The catalog lives in the output folder as ``catalog.sqlite``. It runs in WAL mode with
a busy timeout, so a second render waits for the first instead of failing, and every
write is one transaction: a crash leaves the previous state, never half a row.

Re-rendering an article replaces its row (new length, duration, files) but keeps
its guid, so podcast apps do not list it twice, and keeps its first ``pub_date``
unless the caller says the date is the article's own (``dated=True``): a render time
must never be re-stamped, or apps would announce the episode as new on each render.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from listen.errors import FeedError
from listen.models import Channel, Episode

CATALOG_NAME = "catalog.sqlite"
BACKUP_NAME = CATALOG_NAME + ".bak"
"""The last good copy of the catalog, kept beside it on every change (``keep_backup``)."""
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS episodes (
    id TEXT PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    description TEXT NOT NULL,
    pub_date TEXT NOT NULL,         -- ISO 8601 with the original offset
    audio_file TEXT NOT NULL,
    length INTEGER NOT NULL,
    duration REAL NOT NULL,
    author TEXT NOT NULL,
    image TEXT NOT NULL,
    transcript_file TEXT NOT NULL,
    chapters_file TEXT NOT NULL,
    language TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pub_order INTEGER NOT NULL,     -- microseconds since the epoch, for sorting
    dated INTEGER NOT NULL          -- 1 when pub_date is the article's own date
);
CREATE INDEX IF NOT EXISTS episodes_newest ON episodes (pub_order DESC, id);
CREATE TABLE IF NOT EXISTS channel (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL              -- JSON of the Channel the feed was last rendered with
);
CREATE TABLE IF NOT EXISTS fetched (  -- listen sync: what each URL's server said last time
    url TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    body TEXT NOT NULL,             -- SHA-256 of the body kept in the cache
    checked TEXT NOT NULL           -- when (ISO 8601)
);
CREATE TABLE IF NOT EXISTS synced (   -- listen sync: which episode each listed URL became
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    episode_id TEXT NOT NULL,
    PRIMARY KEY (source, url)
);
"""
_CHECKS = """CREATE TABLE IF NOT EXISTS checks (  -- the listening check (render --verify)
    id TEXT PRIMARY KEY,            -- the episode's id
    data TEXT NOT NULL              -- JSON: recogniser, score, takes, the takes misheard
)"""
_FIELDS = tuple(field.name for field in dataclasses.fields(Episode))
_SELECT = f"SELECT {', '.join(_FIELDS)} FROM episodes"
_STORED = (*_FIELDS, "pub_order", "dated")
_INSERT = (
    f"INSERT OR REPLACE INTO episodes ({', '.join(_STORED)})"
    f" VALUES ({', '.join(':' + name for name in _STORED)})"
)
# The queries, named: each says what it reads or keeps.
_DELETE_EPISODE = "DELETE FROM episodes WHERE id = ?"
_SELECT_EPISODE = f"{_SELECT} WHERE id = ?"
_SELECT_NEWEST = f"{_SELECT} ORDER BY pub_order DESC, id LIMIT ?"
_SELECT_ROWS = f"SELECT {', '.join(_FIELDS)}, dated FROM episodes ORDER BY pub_order DESC, id"
_SELECT_FETCHED = "SELECT etag, last_modified, body, checked FROM fetched WHERE url = ?"
_KEEP_FETCHED = "INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?, ?)"
_KEEP_CHECK = "INSERT OR REPLACE INTO checks VALUES (?, ?)"
_SELECT_CHECK = "SELECT data FROM checks WHERE id = ?"
_SELECT_SYNCED = "SELECT url, episode_id FROM synced WHERE source = ?"
_FORGET_SYNCED = "DELETE FROM synced WHERE source = ? AND url = ?"
_KEEP_SYNCED = "INSERT OR REPLACE INTO synced VALUES (?, ?, ?)"
_ALL_FETCHED = "SELECT * FROM fetched"
_ALL_SYNCED = "SELECT * FROM synced"
_KEEP_CHANNEL = "INSERT OR REPLACE INTO channel (id, data) VALUES (1, ?)"
_SELECT_CHANNEL = "SELECT data FROM channel WHERE id = 1"
_SELECT_KEPT = "SELECT guid, pub_date, pub_order, dated FROM episodes WHERE id = ?"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def guid_for(id: str) -> str:
    """The article's permanent guid: a UUIDv5 of its id (canonical URL, else source)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, id))


class _Kept(NamedTuple):
    """What a re-render keeps of an existing row."""

    guid: str
    pub_date: str
    pub_order: int
    dated: int


class Catalog:
    """The episodes of one output folder; use as a context manager, or call ``close``."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """Open (or create) the catalog at ``path``; ``read_only`` opens an existing
        one, such as the backup copy, without changing anything in it."""
        self.path = path
        self._db = _connect(path, read_only)
        try:
            _prepare(self._db, path, read_only)
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def in_folder(cls, out_dir: Path) -> Catalog:
        return cls(out_dir / CATALOG_NAME)

    def __enter__(self) -> Catalog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group reads and writes: they commit when the block ends cleanly, or none do.

        Takes the write lock at the start (``BEGIN IMMEDIATE``), so what the block
        reads stays true until it commits. Nested use joins the outer transaction.
        """
        if self._db.in_transaction:
            yield
            return
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.rollback()
            raise
        with self._guard():
            self._db.commit()

    def upsert(self, episode: Episode, *, dated: bool = False) -> Episode:
        """Store ``episode``, replacing the article's row; return what was stored.

        An existing row keeps its guid, and its ``pub_date`` too unless ``dated``
        says ``episode.pub_date`` is the article's own date (which may have been
        corrected since). A new row takes ``episode.pub_date`` as given, and
        ``episode.guid`` or, when that is empty, ``guid_for(episode.id)``.
        """
        _check_aware(episode.pub_date)
        with self.transaction():
            kept = self._kept(episode.id)
            with self._guard():
                self._db.execute(_INSERT, _row_for(episode, kept, dated))
            stored = self.get(episode.id)
        assert stored is not None
        return stored

    def remove(self, id: str) -> bool:
        """Delete the article's row; True if there was one."""
        with self.transaction(), self._guard():
            cursor = self._db.execute(_DELETE_EPISODE, (id,))
        return cursor.rowcount > 0

    def get(self, id: str) -> Episode | None:
        with self._guard():
            row = self._db.execute(_SELECT_EPISODE, (id,)).fetchone()
        return None if row is None else _episode_from(row)

    def episodes(self, limit: int | None = None) -> list[Episode]:
        """Newest first; episodes of the same instant in order of id."""
        with self._guard():
            rows = self._db.execute(
                _SELECT_NEWEST,
                (-1 if limit is None else limit,),
            ).fetchall()
        return [_episode_from(row) for row in rows]

    def keep_backup(self) -> Path:
        """Copy the catalog, as committed, to ``BACKUP_NAME`` beside it; return the copy.

        The copy is made with SQLite's backup API into a temporary file, checked, and
        renamed over the previous copy, so the previous good copy stays until a new
        good one replaces it. ``listen feed recover`` starts from it.
        """
        backup = self.path.with_name(BACKUP_NAME)
        temp = backup.with_name(f".{backup.name}.{os.getpid()}.tmp")
        try:
            copy = sqlite3.connect(temp, isolation_level=None)
            try:
                with self._guard():
                    self._db.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise FeedError(f"the copy of {self.path} failed its check: kept the "
                                    f"previous {backup.name}")
            finally:
                copy.close()
            _fsync(temp)
            os.replace(temp, backup)
        except (OSError, sqlite3.Error) as exc:
            raise FeedError(f"cannot keep a copy of the catalog in {backup}: {exc}") from exc
        finally:
            temp.unlink(missing_ok=True)
        return backup

    def rows(self) -> list[tuple[Episode, bool]]:
        """Every episode with its ``dated`` flag, newest first (for recovery)."""
        with self._guard():
            rows = self._db.execute(
                _SELECT_ROWS
            ).fetchall()
        return [(_episode_from(row[:-1], row.keys()[:-1]), bool(row[-1])) for row in rows]

    def fetched(self, url: str) -> tuple[str, str, str, str] | None:
        """``(etag, last_modified, body digest, checked)`` remembered for ``url``."""
        with self._guard():
            row = self._db.execute(_SELECT_FETCHED, (url,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]), str(row[3]))

    def remember_fetch(self, url: str, *fields: str) -> None:
        """Remember ``(etag, last_modified, body digest, checked)`` for ``url``."""
        with self.transaction(), self._guard():
            self._db.execute(_KEEP_FETCHED,
                             (url, *fields))

    def remember_check(self, id: str, data: str) -> None:
        """Keep the listening check of an episode (JSON, from ``listen.verify``).

        Its table is made on first use, so a catalog needs no new schema for it."""
        with self.transaction(), self._guard():
            self._db.execute(_CHECKS)
            self._db.execute(_KEEP_CHECK, (id, data))

    def check(self, id: str) -> str | None:
        """The listening check last kept for an episode, or None."""
        with self._guard():
            try:
                row = self._db.execute(_SELECT_CHECK, (id,)
                                       ).fetchone()
            except sqlite3.OperationalError:  # no check kept in this catalog yet
                return None
        return None if row is None else str(row[0])

    def synced(self, source: str) -> dict[str, str]:
        """URL → episode id of every article ``listen sync SOURCE`` has rendered."""
        with self._guard():
            rows = self._db.execute(_SELECT_SYNCED,
                                    (source,)).fetchall()
        return {str(url): str(episode) for url, episode in rows}

    def record_synced(self, source: str, url: str, episode_id: str | None) -> None:
        """Remember which episode ``url`` of ``source`` became (None: forget it)."""
        with self.transaction(), self._guard():
            if episode_id is None:
                self._db.execute(_FORGET_SYNCED, (source, url))
            else:
                self._db.execute(_KEEP_SYNCED,
                                 (source, url, episode_id))

    def sync_state(self) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """Every ``fetched`` and ``synced`` row, to carry over into a rebuilt catalog."""
        with self._guard():
            fetched = [tuple(row) for row in self._db.execute(_ALL_FETCHED)]
            synced = [tuple(row) for row in self._db.execute(_ALL_SYNCED)]
        return fetched, synced

    def restore_sync_state(self, fetched: list[tuple[str, ...]],
                           synced: list[tuple[str, ...]]) -> None:
        with self.transaction(), self._guard():
            self._db.executemany(_KEEP_FETCHED,
                                 fetched)
            self._db.executemany(_KEEP_SYNCED, synced)

    def save_channel(self, channel: Channel) -> None:
        """Remember the channel the feed is rendered with, for changes that name none."""
        data = json.dumps(dataclasses.asdict(channel), sort_keys=True)
        with self.transaction(), self._guard():
            self._db.execute(_KEEP_CHANNEL, (data,))

    def saved_channel(self) -> Channel | None:
        with self._guard():
            row = self._db.execute(_SELECT_CHANNEL).fetchone()
        if row is None:
            return None
        known = {field.name for field in dataclasses.fields(Channel)}
        return Channel(**{k: v for k, v in json.loads(row[0]).items() if k in known})

    def _kept(self, id: str) -> _Kept | None:
        with self._guard():
            row = self._db.execute(
                _SELECT_KEPT, (id,)
            ).fetchone()
        return None if row is None else _Kept(*row)

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _feed_error(exc, self.path) from exc


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            return _read_only(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: Catalog.transaction begins and commits explicitly. The wait for
        # another writer is set once, by _prepare's first statement (busy_timeout).
        db = sqlite3.connect(path, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise FeedError(f"cannot open the catalog {path}: {exc}; check --out") from exc
    db.row_factory = sqlite3.Row
    return db


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FeedError(f"no catalog at {path}")
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    db.row_factory = sqlite3.Row
    return db


def _prepare(db: sqlite3.Connection, path: Path, read_only: bool) -> None:
    """Set WAL mode and durability, check the file, create the schema if new."""
    if read_only:
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise _feed_error(exc, path) from exc
        if version != SCHEMA_VERSION:
            raise FeedError(f"{path} is not a catalog of this listen (schema {version})")
        return
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed row survives power loss, as the fsynced feed.xml does.
        db.execute("PRAGMA synchronous = FULL")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise FeedError(
                f"the catalog {path} was made by a newer listen (schema {version}):"
                " upgrade listen to publish into this folder"
            )
        if version < SCHEMA_VERSION:
            db.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
    except sqlite3.Error as exc:
        raise _feed_error(exc, path) from exc


def _feed_error(exc: sqlite3.Error, path: Path) -> FeedError:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return FeedError(
            f"the catalog {path} stayed locked by another listen for"
            f" {BUSY_TIMEOUT_MS / 1000:g} s: wait for it to finish and run again"
        )
    # Plain DatabaseError (not its Operational/Integrity subclasses) means a bad file:
    # "file is not a database", "database disk image is malformed".
    if type(exc) is sqlite3.DatabaseError or "malformed" in message:
        return FeedError(
            f"the catalog {path} is damaged ({message}): run `listen feed recover"
            f" --out {path.parent}`, which rebuilds it from its last good copy, feed.xml"
            " and the MP3s, with the same guids and dates"
        )
    return FeedError(f"cannot use the catalog {path}: {message}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_aware(moment: datetime) -> None:
    if moment.utcoffset() is None:
        raise FeedError(f"an episode date must carry a time zone, got {moment!r}: "
                        "report this as a bug in listen")


def _row_for(episode: Episode, kept: _Kept | None, dated: bool) -> dict[str, Any]:
    row = dataclasses.asdict(episode)
    row.update(
        guid=episode.guid or guid_for(episode.id),
        pub_date=episode.pub_date.isoformat(),
        pub_order=(episode.pub_date - _EPOCH) // timedelta(microseconds=1),
        dated=int(dated),
    )
    if kept is not None:
        row["guid"] = kept.guid
        if not dated:
            row.update(pub_date=kept.pub_date, pub_order=kept.pub_order, dated=kept.dated)
    return row


def _episode_from(row: sqlite3.Row | tuple[Any, ...], keys: list[str] | None = None) -> Episode:
    names = keys if keys is not None else row.keys()  # type: ignore[union-attr]
    values = dict(zip(names, row, strict=True))
    values["pub_date"] = datetime.fromisoformat(values["pub_date"])
    return Episode(**values)
