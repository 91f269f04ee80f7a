"""What a third-party speech engine imports: the interface, in one public place.

An engine is a package with an ``Engine`` subclass, registered in its own
``pyproject.toml`` under the entry-point group listen reads::

    [project.entry-points."listen.engines"]
    myengine = "my_package.engine:MyEngine"

A voice profile then says ``engine = "myengine"``. The built-in engines live in
``listen.sound.engines`` and register through the same group.
"""

from __future__ import annotations

from listen.errors import EngineError, EngineUnavailable
from listen.models import VoiceInfo, VoiceProfile
from listen.sound.engines import GROUP, Engine, engine_names, get_engine

__all__ = [
    "GROUP",
    "Engine",
    "EngineError",
    "EngineUnavailable",
    "VoiceInfo",
    "VoiceProfile",
    "engine_names",
    "get_engine",
]
