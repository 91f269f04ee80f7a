"""The one error root, and its tree.

Every message says what to do next. The CLI catches ``ListenError`` in one place,
prints ``Error: <message>`` and exits with code 1.

    ListenError
    ├── SourceError          the source cannot be read (missing, binary, empty, HTTP error)
    ├── ExtractError         no article text in the page
    ├── ConfigError          bad listen.toml, voice profile or lexicon
    │   └── UnknownVoice     no such voice profile
    ├── EngineError          a speech engine failed
    │   └── EngineUnavailable  the engine is not installed (names the pip command)
    ├── AudioError           mastering, encoding or intro/outro audio failed
    ├── OutputError          an output file cannot be written (permissions, full disk)
    ├── DownloadError        a voice or the voice catalogue cannot be fetched or fails its checksum
    └── FeedError            the catalog or feed cannot be read or written
"""

from __future__ import annotations


class ListenError(Exception):
    """Root of every error listen raises on purpose; its message is for the user."""


class SourceError(ListenError):
    pass


class ExtractError(ListenError):
    pass


class ConfigError(ListenError):
    pass


class UnknownVoice(ConfigError):
    pass


class EngineError(ListenError):
    pass


class EngineUnavailable(EngineError):
    pass


class AudioError(ListenError):
    pass


class OutputError(ListenError):
    pass


class FeedError(ListenError):
    pass


class DownloadError(ListenError):
    pass
