"""The show's cover in the feed (``itunes:image``).

Three cases: the publisher's image URL, used as given; their local JPEG or PNG, copied
into the output folder and served from ``base_url`` beside the episodes; else a square
cover generated from the show's title once per folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from listen.errors import ConfigError
from listen.fsutil import write_atomic
from listen.publish.cover import check_show_image, make_cover
from listen.publish.feed import served_url

GENERATED_COVER = "cover.jpg"


@dataclass(frozen=True)
class LocalImage:
    """The publisher's own show cover, a local file, read and checked."""

    path: Path
    data: bytes
    warning: str
    """About its shape or size; "" when Apple would take it."""


def is_local(image: str) -> bool:
    """Whether ``[show] image`` names a local file rather than a URL."""
    return bool(image) and "://" not in image


def read_local_image(image: str) -> LocalImage | None:
    """The show's own cover when ``image`` names a local file, else None.

    Raises ConfigError when the file cannot be read or is no JPEG or PNG: call it
    before the slow work, so the mistake shows at once.
    """
    if not is_local(image):
        return None
    path = Path(image)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the show image {path} ({exc.strerror or exc}): "
                          "fix [show] image in listen.toml") from exc
    return LocalImage(path, data, check_show_image(data, str(path)))


def show_cover_url(
    out: Path, image: str, base_url: str, title: str, local: LocalImage | None
) -> tuple[str, list[str]]:
    """The URL the feed gives for the show's cover, and what to tell the publisher:
    ``local`` copied into ``out`` (said when it is copied, not on every render), else
    ``image`` as given, else a cover generated from ``title``."""
    if local is not None:
        target = out / local.path.name
        copied = not target.is_file() or target.read_bytes() != local.data
        if copied:
            write_atomic(target, local.data)
        url = served_url(base_url, target.name)
        note = (f"the show image {local.path} was copied to {target}; the feed gives it as "
                f"{url}" if copied else "")
        return url, [w for w in (local.warning, note) if w]
    if image:
        return image, []
    path = out / GENERATED_COVER
    if not path.exists():
        write_atomic(path, make_cover(title, "Audio edition", size=1400))
    return served_url(base_url, GENERATED_COVER), []
