"""The MP3 file: an Info header that tells players the truth, frames any decoder accepts."""

from __future__ import annotations

import io
import struct
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from mutagen.mp3 import MP3

from listen.errors import AudioError
from listen.models import EncodedTake, Program
from listen.sound.audio import decode_mp3
from listen.sound.encode import FRAME_SAMPLES, count_frames, encode_take, write_mp3

RATE = 44100


def take(seconds: float, pause: float, seed: int) -> EncodedTake:
    rng = np.random.default_rng(seed)
    speech = (rng.standard_normal(int(seconds * RATE)) * 3000).astype(np.int16)
    pcm = np.concatenate([speech, np.zeros(int(pause * RATE), dtype=np.int16)])
    return encode_take(pcm, speech_samples=len(speech))


def program_of(takes: list[EncodedTake]) -> Program:
    frames = sum(t.frames for t in takes)
    duration = (frames * FRAME_SAMPLES - takes[0].lead_samples) / RATE
    return Program(
        cues=(), chapters=(), duration=duration, frames=frames, sample_rate=RATE, bitrate=64
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Program, int]:
    takes = [take(0.5 + 0.37 * i, 0.35 + 0.1 * (i % 3), seed=i) for i in range(12)]
    program = program_of(takes)
    path = tmp_path_factory.mktemp("mp3") / "episode.mp3"
    with path.open("wb") as handle:
        size = write_mp3(handle, takes, program)
    return path, program, size


def info_fields(data: bytes) -> tuple[int, int, int, int]:
    """Frames, bytes, encoder delay and padding from the Info/LAME header of mono MPEG-1."""
    assert data[21:25] == b"Info"
    frames, size = struct.unpack(">II", data[29:37])
    assert data[141:150] == b"LAME3.100"
    packed = int.from_bytes(data[162:165], "big")
    return frames, size, packed >> 12, packed & 0xFFF


def test_lameenc_writes_no_header_of_its_own() -> None:
    mp3 = take(1.0, 0.3, seed=1).mp3
    assert b"Xing" not in mp3[:400] and b"Info" not in mp3[:400]


def test_take_fills_whole_frames_and_the_pause_it_asked_for() -> None:
    encoded = take(1.0, 0.5, seed=2)
    assert encoded.frames == count_frames(encoded.mp3)
    assert encoded.samples == pytest.approx(1.5 * RATE, abs=FRAME_SAMPLES / 2)


def test_info_header_counts_every_frame(written: tuple[Path, Program, int]) -> None:
    path, program, size = written
    data = path.read_bytes()
    frames, total, delay, padding = info_fields(data)
    assert frames == program.frames == count_frames(data) - 1
    assert total == len(data) == size
    assert (delay, padding) == (576, 529)


def test_mutagen_length_matches_the_decoded_length(written: tuple[Path, Program, int]) -> None:
    path, program, _ = written
    samples, rate = decode_mp3(path)
    info = MP3(str(path)).info
    assert info.length == pytest.approx(len(samples) / rate, abs=0.5)
    assert len(samples) / rate == pytest.approx(program.duration, abs=0.001)
    assert info.bitrate == pytest.approx(64000, abs=500) and info.channels == 1


def test_ffmpeg_decodes_without_complaint(written: tuple[Path, Program, int]) -> None:
    path, program, _ = written
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    )
    assert result.stderr == b""
    assert len(result.stdout) // 2 == round(program.duration * RATE)


def test_unseekable_stream_gets_a_valid_file() -> None:
    takes = [take(0.8, 0.3, seed=s) for s in range(3)]
    program = program_of(takes)

    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    pipe = Pipe()
    size = write_mp3(pipe, takes, program)
    frames, total, _, _ = info_fields(pipe.getvalue())
    assert frames == program.frames and size == len(pipe.getvalue())
    assert abs(total - size) < 10  # an estimate, but a close one


def test_frame_count_mismatch_is_an_error() -> None:
    takes = [take(0.8, 0.3, seed=1)]
    wrong = program_of(takes + takes)
    with pytest.raises(AudioError):
        write_mp3(io.BytesIO(), takes, wrong)


def test_stereo_or_float_input_is_refused() -> None:
    with pytest.raises(AudioError):
        encode_take(np.zeros(1000), speech_samples=1000)
