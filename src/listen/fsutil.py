"""Atomic file writes: a temporary file in the same folder, fsync, then rename.

A crash, a full disk or Ctrl-C never leaves a half-written file under the final name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from listen.errors import OutputError

OUT_FIX = "choose another folder with --out"
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


@contextlib.contextmanager
def atomic_writer(path: Path, *, fix: str = OUT_FIX) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``path`` only when the block ends cleanly.

    ``fix`` is what a failure's message tells the user to do about the folder."""
    folder = path.parent
    # Named before it exists, so a Ctrl-C at any moment after it is created (even
    # inside the call that creates it) finds the name to delete.
    tmp = folder / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
        except OSError as exc:
            raise OutputError(describe_os_error(exc, folder, fix)) from exc
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(describe_os_error(exc, path, fix)) from exc
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    """Delete a temporary file if it exists; never hide why the write failed."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes, *, fix: str = OUT_FIX) -> None:
    with atomic_writer(path, fix=fix) as handle:
        handle.write(data)


def describe_os_error(exc: OSError, where: Path, fix: str = OUT_FIX) -> str:
    """One line for a failed write: what went wrong with ``where``, and ``fix``."""
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device holding {where}: free some space and run " \
            f"again, or {fix}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write to {where}: {fix}"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):  # a file where a folder should be
        return f"cannot write to {where}: part of that path is a file, not a folder: {fix}"
    return f"cannot write {where}: {exc.strerror or exc}: {fix}"
