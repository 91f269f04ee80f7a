"""The speech engines, found through the ``listen.engines`` entry-point group.

Built-ins (``pyttsx3``, ``piper``, ``tone``) register in pyproject.toml exactly as a
third-party engine would::

    [project.entry-points."listen.engines"]
    myengine = "my_package.engine:MyEngine"

Importing this package imports no engine library; ``get_engine`` imports only the
engine module named, and that module imports its library when it first speaks.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from listen.errors import ConfigError
from listen.sound.engines.base import Engine

__all__ = ["Engine", "engine_names", "get_engine"]

GROUP = "listen.engines"


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def engine_names() -> list[str]:
    """Names a voice profile's ``engine`` key may take, sorted."""
    return sorted(_entry_points())


def get_engine(name: str) -> type[Engine]:
    """The engine class registered as ``name``; a wrong name lists the valid ones."""
    points = _entry_points()
    if name not in points:
        valid = ", ".join(sorted(points)) or "none installed"
        raise ConfigError(f"no speech engine named {name!r}; choose one of: {valid}")
    try:
        engine = points[name].load()
    except (ImportError, AttributeError) as exc:
        raise ConfigError(
            f"the speech engine {name!r} cannot be loaded ({exc}); reinstall the package "
            f"that provides it ({points[name].value})"
        ) from exc
    if not (isinstance(engine, type) and issubclass(engine, Engine)):
        raise ConfigError(
            f"the entry point {name!r} ({points[name].value}) is not a listen Engine class"
        )
    return engine
