"""The system voices through pyttsx3: espeak-ng on Linux, SAPI5 on Windows, NSSS on macOS.

pyttsx3 is imported here only, when the engine first speaks. Its 2.99 espeak driver
has traps, each handled below (measured in FINDINGS.md):

* ``runAndWait()`` returns while espeak-ng still synthesises on its own thread
  (nateshmbhat/pyttsx3#219): we call ``espeak_Synchronize`` after it, and still check
  every file (exists, is a WAV, has audio, lasts plausibly long for the text) and
  retry a bad take once;
* a new engine per call segfaults: one engine per process, reused;
* one call over about 14,700 characters segfaults: ``max_chars`` is 2,000;
* the driver prints "Audio saved to …" from espeak's thread: its ``print`` is
  rerouted to logging for that module only (swapping ``sys.stdout`` would also
  swallow whatever another thread, such as a progress bar, prints meanwhile).

Which libespeak-ng (Linux): the one in the ``espeakng-loader`` wheel, which every
``pip install listen`` brings, so a render speaks the same on every machine (a
cluster's workers included), and whose symbol table lets each take start from the
same state (``_espeak_state``: espeak-ng otherwise carries pitch-flutter and gain
state from one call to the next, so a take depended on what was spoken before).
Set ``LISTEN_ESPEAK=system`` to use a system one (``ctypes.util.find_library``)
instead, for its extra voices or distribution fixes; a stripped system library
cannot be reset, and ``version()`` says so. The library's version, origin and
reset are part of ``version()``, so switching re-renders cached takes.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import functools
import importlib.util
import itertools
import logging
import os
import shutil
import sys
import tempfile
import threading
import wave
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from listen.errors import EngineError, EngineUnavailable, UnknownVoice
from listen.models import VoiceInfo, VoiceProfile
from listen.sound.audio import segment_from_pcm
from listen.sound.engines._espeak_state import StateReset
from listen.sound.engines._guard import Watchdog
from listen.sound.engines.base import Engine

if TYPE_CHECKING:
    from pydub import AudioSegment

log = logging.getLogger(__name__)

ESPEAK_DEFAULT_WPM = 175
"""espeak-ng's own pace, which ``rate`` 1.0 means (pyttsx3 starts its driver at 200)."""
_WPM_RANGE = (80, 450)
"""espeak-ng's range without its optional sonic speed-up."""
_MIN_MS_PER_CHAR = 25.0
"""Shortest plausible audio per letter or digit at 175 wpm; English prose measures
about 52 ms, and 20 ms at 450 wpm (which the bound scales to 9.7 ms)."""
_MAX_MS_PER_CHAR = 400.0
_MAX_SLACK_MS = 3000.0

_library_path = ""
_library_handle: ctypes.CDLL | None = None
_state_reset: StateReset | None = None
_load_lock = threading.Lock()


def espeak_library() -> str:
    """The libespeak-ng file this process uses, loading it if needed ('' off Linux)."""
    if not sys.platform.startswith("linux"):
        return ""
    _load_espeak()
    return _library_path


def espeak_version() -> str:
    """espeak-ng's version string, for example ``1.52.0``."""
    handle = _load_espeak()
    info = handle.espeak_Info
    info.restype = ctypes.c_char_p
    info.argtypes = [ctypes.c_void_p]
    raw: bytes | None = info(None)
    return (raw or b"?").decode("utf-8", "replace").split()[0]


def _load_espeak() -> ctypes.CDLL:
    """Map a libespeak-ng into the process before pyttsx3 looks for one by name."""
    global _library_path, _library_handle, _state_reset
    with _load_lock:
        if _library_handle is None:
            _library_handle, _library_path = _open_preferred_library()
            _state_reset = StateReset(_library_handle, _library_path)
        return _library_handle


def state_reset() -> StateReset:
    """The reset of espeak-ng's carried-over state for the library in use."""
    _load_espeak()
    assert _state_reset is not None
    return _state_reset


def _open_preferred_library() -> tuple[ctypes.CDLL, str]:
    system = _system_library() if os.environ.get("LISTEN_ESPEAK") == "system" else None
    if system:
        return ctypes.CDLL(system), _mapped_path("libespeak-ng") or system
    try:
        import espeakng_loader
    except ImportError as exc:
        system = _system_library()
        if system:
            return ctypes.CDLL(system), _mapped_path("libespeak-ng") or system
        raise EngineUnavailable(
            "espeak-ng is not installed: reinstall listen, which brings it "
            "(pip install --force-reinstall listen), or install it (apt install espeak-ng)"
        ) from exc
    path = str(espeakng_loader.get_library_path())
    # pyttsx3's later dlopen("libespeak-ng.so.1") finds this library by its soname.
    # Not RTLD_GLOBAL, as FINDINGS.md had it: piper's espeakbridge.so embeds its own
    # espeak-ng and exports the same symbols; with ours in the global scope they
    # interpose on its internal calls and Piper segfaults in a process that has both.
    handle = ctypes.CDLL(path)
    os.environ["ESPEAK_DATA_PATH"] = str(espeakng_loader.get_data_path())
    return handle, path


def _system_library() -> str | None:
    try:
        found = ctypes.util.find_library("espeak-ng")
        if found:
            ctypes.CDLL(found)
        return found
    except OSError:
        return None


def _mapped_path(fragment: str) -> str:
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    paths = (line.split(maxsplit=5)[-1] for line in maps.splitlines() if fragment in line)
    return next(paths, "")


class _BadTake(Exception):
    """The driver returned without a usable file; worth one retry."""


@dataclass(frozen=True)
class _Settings:
    voice_id: str
    wpm: int


class _Speaker:
    """The one pyttsx3 engine of this process, its voices and a scratch folder."""

    def __init__(self) -> None:
        if sys.platform.startswith("linux"):
            _load_espeak()
        try:
            import pyttsx3

            self._engine: Any = pyttsx3.init()
        except (ImportError, OSError, RuntimeError) as exc:
            raise EngineUnavailable(
                f"the system speech engine cannot start ({exc}); on Linux install "
                "espeak-ng (apt install espeak-ng), or use Piper: pip install 'listen[piper]'"
            ) from exc
        self.driver: str = str(getattr(self._engine, "driver_name", "espeak"))
        self.is_espeak = self.driver == "espeak"
        if self.is_espeak:
            _quiet_espeak_driver()
        self.default_wpm = ESPEAK_DEFAULT_WPM if self.is_espeak else self._current_wpm()
        self.voices = self._list_voices()
        self._applied: _Settings | None = None
        self._lock = threading.Lock()
        self._watchdog = Watchdog("espeak-ng" if self.is_espeak else f"pyttsx3 ({self.driver})")
        self._folder = Path(tempfile.mkdtemp(prefix="listen-pyttsx3-"))
        atexit.register(shutil.rmtree, self._folder, True)
        self._numbers = itertools.count()

    def _current_wpm(self) -> int:
        return int(self._engine.getProperty("rate") or 200)

    def _list_voices(self) -> list[VoiceInfo]:
        infos = []
        for voice in self._engine.getProperty("voices"):
            languages = [str(lang) for lang in (voice.languages or []) if lang]
            language = languages[0] if languages else ""
            infos.append(VoiceInfo("pyttsx3", str(voice.id), str(voice.name), language))
        return infos

    def resolve_voice(self, wanted: str, language: str) -> str:
        """A voice id: the one ``wanted`` names, else the best for ``language``."""
        if wanted:
            return self._named_voice(wanted)
        return self._voice_for_language(language)

    def _named_voice(self, wanted: str) -> str:
        folded = wanted.casefold()
        for info in self.voices:
            names = (info.id.casefold(), info.name.casefold(), info.id.casefold().split("/")[-1])
            if folded in names:
                return info.id
        raise UnknownVoice(
            f"{self.driver} has no voice {wanted!r}; `listen voices` lists the installed ones"
        )

    def _voice_for_language(self, language: str) -> str:
        wanted = language.casefold().replace("_", "-")
        primary = wanted.split("-")[0]
        by_language = {info.language.casefold().replace("_", "-"): info.id for info in self.voices}
        for candidate in (wanted, primary):
            if candidate in by_language:
                return by_language[candidate]
        for code, voice_id in sorted(by_language.items()):
            if code.startswith(primary + "-"):
                return voice_id
        if not self.is_espeak and not any(by_language):
            return ""  # SAPI5/NSSS may not report languages: keep the system default voice
        raise UnknownVoice(
            f"{self.driver} has no voice for the language {language!r}; "
            "`listen voices` lists the installed ones, pick one with --voice"
        )

    def words_per_minute(self, rate: float) -> int:
        wpm = round(self.default_wpm * rate)
        return max(_WPM_RANGE[0], min(_WPM_RANGE[1], wpm)) if self.is_espeak else wpm

    def speak(self, text: str, settings: _Settings, timeout: float) -> AudioSegment:
        with self._lock:
            problem = ""
            for _attempt in range(2):
                path = self._folder / f"take-{next(self._numbers)}.wav"
                try:
                    call = functools.partial(self._speak_once, text, settings, path)
                    return self._watchdog.run(call, timeout)
                except _BadTake as exc:
                    problem = str(exc)
                    self._applied = None  # set voice and rate again before the retry
                    log.debug("retrying a bad take (%s): %.60s", problem, text)
                finally:
                    path.unlink(missing_ok=True)
            raise EngineError(f"{self.driver} gave no usable audio twice ({problem})")

    def _speak_once(self, text: str, settings: _Settings, path: Path) -> AudioSegment:
        self._apply(settings)
        if self.is_espeak:
            state_reset()()  # the take must not depend on what was spoken before
        self._engine.save_to_file(text, str(path))
        self._engine.runAndWait()
        if self.is_espeak:
            _synchronize()
        return _read_checked(path, text, settings.wpm / self.default_wpm)

    def _apply(self, settings: _Settings) -> None:
        if settings == self._applied:
            return
        if self.is_espeak:
            _apply_to_espeak(settings)
        else:
            if settings.voice_id:
                self._engine.setProperty("voice", settings.voice_id)
            self._engine.setProperty("rate", settings.wpm)
        self._applied = settings


def _apply_to_espeak(settings: _Settings) -> None:
    """Set voice and rate straight away, and wait until espeak-ng has applied them.

    Through pyttsx3 2.99 the rate is lost in about one process of three: its
    ``setProperty`` queues ``espeak_SetParameter`` on espeak-ng's command queue, and
    the ``endLoop`` that ``runAndWait`` runs next sees the queue busy and calls
    ``espeak_Cancel``, which flushes it, so the text is spoken at the old rate.
    """
    from pyttsx3.drivers import _espeak

    if settings.voice_id and _espeak.SetVoiceByName(settings.voice_id.encode()) != 0:
        raise EngineError(f"espeak-ng cannot load the voice {settings.voice_id!r}")
    _espeak.SetParameter(_espeak.RATE, settings.wpm, 0)
    _synchronize()


def _quiet_espeak_driver() -> None:
    """Send the driver's "Audio saved to …" line to our log instead of stdout."""
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None:
        driver.print = _driver_message  # type: ignore[attr-defined]


def _driver_message(*parts: object, **_options: object) -> None:
    log.debug(" ".join(str(part) for part in parts))


def _synchronize() -> None:
    """Wait until espeak-ng has delivered all audio (see the module docstring)."""
    from pyttsx3.drivers import _espeak

    synchronize = getattr(_espeak, "Synchronize", None)
    if callable(synchronize):
        synchronize()


def _read_checked(path: Path, text: str, speed: float) -> AudioSegment:
    """The take's audio, or ``_BadTake`` when the file is missing, empty or truncated."""
    if not path.is_file():
        raise _BadTake("no file was written")
    try:
        with wave.open(str(path), "rb") as wav:
            frames, rate, width = wav.getnframes(), wav.getframerate(), wav.getsampwidth()
            pcm = wav.readframes(frames)
            channels = wav.getnchannels()
    except (wave.Error, EOFError, OSError) as exc:
        raise _BadTake(f"not a valid WAV file: {exc}") from exc
    if frames == 0 or not pcm:
        raise _BadTake("the file holds no audio")
    _check_duration(frames / rate * 1000, text, speed)
    segment = segment_from_pcm(pcm, rate, width)
    return segment.set_channels(1) if channels != 1 else segment


def _check_duration(milliseconds: float, text: str, speed: float) -> None:
    spoken = sum(char.isalnum() for char in text)
    shortest = spoken * _MIN_MS_PER_CHAR / speed
    longest = spoken * _MAX_MS_PER_CHAR / speed + _MAX_SLACK_MS
    if milliseconds < shortest:
        raise _BadTake(f"{milliseconds:.0f} ms of audio is too short for {spoken} letters")
    if milliseconds > longest:
        raise _BadTake(f"{milliseconds:.0f} ms of audio is too long for {spoken} letters")


_speaker_instance: _Speaker | None = None
_speaker_lock = threading.Lock()


def _speaker() -> _Speaker:
    """The process's one engine: a second pyttsx3 engine segfaults (FINDINGS.md)."""
    global _speaker_instance
    with _speaker_lock:
        if _speaker_instance is None:
            _speaker_instance = _Speaker()
            atexit.register(_release_speaker)
        return _speaker_instance


def _release_speaker() -> None:
    """Drop the engine before interpreter teardown: pyttsx3's ``DriverProxy.__del__``
    needs ``contextlib``, which is gone by then ("Exception ignored in ...")."""
    global _speaker_instance
    _speaker_instance = None


class Pyttsx3Engine(Engine):
    """System voices; ``voice`` is an espeak-ng identifier (``gmw/en-us``) or name."""

    name: ClassVar[str] = "pyttsx3"
    extra: ClassVar[str | None] = None
    max_chars: ClassVar[int] = 2000
    cost_per_char: ClassVar[float] = 0.0001
    """Rough seconds of CPU per character, which synth uses to choose a pool."""

    @classmethod
    def check(cls) -> None:
        if importlib.util.find_spec("pyttsx3") is None:
            raise EngineUnavailable("pyttsx3 is missing: pip install --force-reinstall listen")
        if sys.platform.startswith("linux"):
            try:
                _load_espeak()
            except OSError as exc:
                raise EngineUnavailable(
                    f"libespeak-ng cannot be loaded ({exc}): install espeak-ng "
                    "(apt install espeak-ng) or pip install --force-reinstall espeakng-loader"
                ) from exc

    @classmethod
    def version(cls) -> str:
        try:
            own = version("pyttsx3")
        except PackageNotFoundError:
            own = "?"
        if not sys.platform.startswith("linux"):
            return f"pyttsx3 {own}; {sys.platform}"
        origin = "bundled" if "espeakng_loader" in espeak_library() else "system"
        reset = "state reset" if state_reset().available else "no state reset"
        return f"pyttsx3 {own}; espeak-ng {espeak_version()} ({origin}, {reset})"

    def voices(self) -> list[VoiceInfo]:
        return list(_speaker().voices)

    def prepare(self, voice: VoiceProfile, threads: int | None = None) -> None:
        """Start the engine and check the voice now, before the first text."""
        _speaker().resolve_voice(voice.voice, voice.language)

    def timeout(self, text: str) -> float:
        """Seconds one call may take before it counts as hung."""
        return 20.0 + 0.02 * len(text)

    def synthesize(self, text: str, voice: VoiceProfile) -> AudioSegment:
        self.check_length(text)
        speaker = _speaker()
        if not text.strip():
            return segment_from_pcm(b"", 22050)
        settings = _Settings(
            speaker.resolve_voice(voice.voice, voice.language),
            speaker.words_per_minute(voice.rate),
        )
        return speaker.speak(text, settings, self.timeout(text))
