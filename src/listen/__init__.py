"""listen: turn a web article into an audio edition.

The public names, in one place. Stages are reached through ``render`` and
``prepare_script``; they load lazily so ``import listen`` stays light (no speech
engine, no command-line library).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from listen.errors import (
    AudioError,
    ConfigError,
    EngineError,
    EngineUnavailable,
    ExtractError,
    FeedError,
    ListenError,
    OutputError,
    SourceError,
    UnknownVoice,
)
from listen.models import (
    Article,
    Block,
    BlockKind,
    Channel,
    Episode,
    Page,
    Program,
    Script,
    Segment,
    SegmentKind,
    Sentence,
    VoiceProfile,
)

if TYPE_CHECKING:
    from listen.config import Settings, load_settings
    from listen.pipeline import RenderResult, prepare_script, render

__version__ = "0.1.0"

__all__ = [
    "Article",
    "AudioError",
    "Block",
    "BlockKind",
    "Channel",
    "ConfigError",
    "EngineError",
    "EngineUnavailable",
    "Episode",
    "ExtractError",
    "FeedError",
    "ListenError",
    "OutputError",
    "Page",
    "Program",
    "RenderResult",
    "Script",
    "Segment",
    "SegmentKind",
    "Sentence",
    "Settings",
    "SourceError",
    "UnknownVoice",
    "VoiceProfile",
    "__version__",
    "load_settings",
    "prepare_script",
    "render",
]

_LAZY = {
    "Settings": "listen.config",
    "load_settings": "listen.config",
    "RenderResult": "listen.pipeline",
    "prepare_script": "listen.pipeline",
    "render": "listen.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'listen' has no attribute {name!r}")
