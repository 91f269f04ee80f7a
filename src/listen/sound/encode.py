"""MP3 encoding: one self-contained stream per take, then one file for the programme.

lameenc lives only here. Each take is encoded alone, so a worker process can
finish it and the cache can keep its frames; the main process only concatenates
frames behind a Xing/LAME "Info" header (lameenc writes none), streamed.

Timing facts this module relies on (measured with lameenc 1.7, LAME 3.100):

- a take of ``n`` samples becomes ``ceil((n + 1681) / 1152)`` frames: LAME puts
  576 samples of encoder delay before the audio and at least 576 of padding after;
- a decoder adds 529 samples of its own delay, so the first sample of a take comes
  out 1,105 samples (25 ms) after the take's first frame starts.

``encode_take`` trims or pads the take's trailing pause so the take fills whole
frames exactly: the pause a listener hears is then the pause asked for (±13 ms),
instead of the pause plus about 51 ms of delay and padding at every junction.
"""

from __future__ import annotations

import itertools
import math
import struct
from collections.abc import Iterable
from typing import BinaryIO

import lameenc
import numpy as np

from listen.errors import AudioError
from listen.models import EncodedTake, Program
from listen.sound.audio import Samples

FRAME_SAMPLES = 1152
ENCODER_DELAY = 576
DECODER_DELAY = 529
LEAD_SAMPLES = ENCODER_DELAY + DECODER_DELAY
MIN_PADDING = 576
DEFAULT_QUALITY = 7
"""LAME's ``-q`` (0 best, 9 fastest). 7 is about 1.5x as fast as 3 and measured
no worse on speech at 64 kbit/s (see the report in bench/ and the tests)."""

_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_SAMPLE_RATES = (44100, 48000, 32000)


def encode_take(
    pcm: Samples,
    *,
    speech_samples: int,
    sample_rate: int = 44100,
    bitrate: int = 64,
    quality: int = DEFAULT_QUALITY,
) -> EncodedTake:
    """Encode one mastered take (int16 mono, speech then pause) as its own MP3 stream."""
    if pcm.ndim != 1 or pcm.dtype != np.int16:
        raise AudioError("encode_take needs mono int16 PCM: master the take first")
    fitted = _fit_to_frames(pcm, speech_samples)
    mp3 = _lame_encode(fitted, sample_rate=sample_rate, bitrate=bitrate, quality=quality)
    frames = count_frames(mp3)
    return EncodedTake(
        mp3=mp3,
        frames=frames,
        sample_rate=sample_rate,
        speech_samples=speech_samples,
        lead_samples=LEAD_SAMPLES,
    )


def frames_for(samples: int) -> int:
    """How many frames LAME writes for ``samples`` samples of input."""
    return math.ceil((samples + LEAD_SAMPLES + MIN_PADDING) / FRAME_SAMPLES)


def _fit_to_frames(pcm: Samples, speech_samples: int) -> Samples:
    """Trim or zero-pad the pause so the take, with delay and padding, fills whole frames."""
    frames = max(round(len(pcm) / FRAME_SAMPLES), frames_for(speech_samples))
    wanted = frames * FRAME_SAMPLES - LEAD_SAMPLES - MIN_PADDING
    if wanted <= len(pcm):
        return pcm[:wanted]
    return np.concatenate([pcm, np.zeros(wanted - len(pcm), dtype=np.int16)])


def _lame_encode(pcm: Samples, *, sample_rate: int, bitrate: int, quality: int) -> bytes:
    try:
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(bitrate)
        encoder.set_in_sample_rate(sample_rate)
        encoder.set_out_sample_rate(sample_rate)  # LAME would resample for low bitrates
        encoder.set_channels(1)
        encoder.set_quality(quality)
        return bytes(encoder.encode(pcm.tobytes())) + bytes(encoder.flush())
    except Exception as exc:  # lameenc raises bare RuntimeErrors
        raise AudioError(f"the MP3 encoder failed ({exc}): check the bitrate {bitrate}") from exc


def _frame_length(header: int) -> int:
    """Bytes in an MPEG-1 Layer III frame, from its 4-byte header."""
    if header >> 21 != 0x7FF or (header >> 17) & 3 != 1 or (header >> 19) & 3 != 3:
        raise AudioError("not an MPEG-1 Layer III stream: the encoder output is corrupt")
    bitrate = _BITRATES[(header >> 12) & 15] * 1000
    sample_rate = _SAMPLE_RATES[(header >> 10) & 3]
    return 144 * bitrate // sample_rate + ((header >> 9) & 1)


def count_frames(mp3: bytes) -> int:
    """Count the frames of a bare MP3 stream (no ID3 tag), checking every header."""
    offset = frames = 0
    while offset < len(mp3):
        offset += _frame_length(int.from_bytes(mp3[offset : offset + 4], "big"))
        frames += 1
    if offset != len(mp3):
        raise AudioError("the MP3 stream ends inside a frame: the encoder output is corrupt")
    return frames


def write_mp3(handle: BinaryIO, takes: Iterable[EncodedTake], program: Program) -> int:
    """Write the Info header frame then every take's frames; return the bytes written.

    The header is written first with the byte count expected from ``program``; when
    ``handle`` can seek it is rewritten at the end with the exact count.
    """
    remaining = iter(takes)
    first = next(remaining, None)
    first_lead = first.lead_samples if first else LEAD_SAMPLES
    header = info_frame(program, audio_bytes=_expected_bytes(program), lead=first_lead)
    start = handle.tell() if handle.seekable() else 0
    handle.write(header)
    frames = written = 0
    for take in itertools.chain([first] if first else [], remaining):
        handle.write(take.mp3)
        frames += take.frames
        written += len(take.mp3)
    if frames != program.frames:
        raise AudioError(f"wrote {frames} MP3 frames but the programme has {program.frames}")
    if handle.seekable():
        end = handle.tell()
        handle.seek(start)
        handle.write(info_frame(program, audio_bytes=written, lead=first_lead))
        handle.seek(end)
    return len(header) + written


def _expected_bytes(program: Program) -> int:
    return round(program.frames * 144 * program.bitrate * 1000 / program.sample_rate)


def info_frame(program: Program, *, audio_bytes: int, lead: int) -> bytes:
    """The Xing "Info" frame (CBR) with a LAME extension giving the encoder delay.

    Gapless decoders (ffmpeg, browsers, Apple) skip ``lead`` samples, so the
    programme's time 0 is the first take's first sample. Padding is declared as the
    decoder delay only: nothing is cut from the end (it is pause), so the decoded
    length is exactly ``program.duration``.
    """
    header = _info_header(_info_bitrate(program), program.sample_rate)
    size = _frame_length(int.from_bytes(header, "big"))
    total_bytes = size + audio_bytes
    toc = bytes(min(255, i * 256 // 100) for i in range(100))
    xing = b"Info" + struct.pack(">III", 0x0F, program.frames, total_bytes) + toc
    xing += struct.pack(">I", 100)
    lame = _lame_extension(program, lead=lead, total_bytes=total_bytes)
    body = header + bytes(17) + xing + lame
    body += struct.pack(">H", crc16(body))
    return body + bytes(size - len(body))


_INFO_BYTES = 4 + 17 + 120 + 34 + 2
"""Header, side info, Xing part, LAME extension and CRC of the Info frame."""


def _info_bitrate(program: Program) -> int:
    """The programme's bitrate, or the lowest above it whose frame holds the Info tag.

    At 32 to 48 kbit/s a 44.1 kHz frame is too small for it; decoders skip the Info
    frame, so it may be larger than the audio's (LAME does the same).
    """
    for bitrate in _BITRATES:
        frame_bytes = 144 * bitrate * 1000 // program.sample_rate
        if bitrate >= program.bitrate and frame_bytes >= _INFO_BYTES:
            return bitrate
    return program.bitrate


def _info_header(bitrate: int, sample_rate: int) -> bytes:
    try:
        rate_index = _BITRATES.index(bitrate)
        sr_index = _SAMPLE_RATES.index(sample_rate)
    except ValueError as exc:
        raise AudioError(f"no MPEG-1 frame at {bitrate} kbit/s and {sample_rate} Hz") from exc
    # sync, MPEG-1, Layer III, no CRC | bitrate, rate, no padding | mono, original
    return bytes((0xFF, 0xFB, rate_index << 4 | sr_index << 2, 0xC4))


def _lame_extension(program: Program, *, lead: int, total_bytes: int) -> bytes:
    """LAME tag fields after the Xing part, up to (not including) the tag CRC."""
    delay = lead - DECODER_DELAY
    padding = DECODER_DELAY
    return (
        b"LAME3.100"
        + bytes((0x01, 0x00))  # tag revision 0, CBR; lowpass unknown
        + bytes(8)  # peak amplitude and ReplayGain: not stored
        + bytes((0x00, min(program.bitrate, 255)))  # flags and ATH; CBR bitrate
        + bytes((delay >> 4, (delay & 0xF) << 4 | padding >> 8, padding & 0xFF))
        + bytes(4)  # misc, MP3 gain, preset and surround
        + struct.pack(">I", total_bytes)
        + bytes(2)  # music CRC: left 0 (optional; no decoder we know checks it)
    )


def _crc16_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC16 = _crc16_table()


def crc16(data: bytes) -> int:
    """CRC-16/ARC, as the LAME tag uses for its own checksum."""
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ _CRC16[(crc ^ byte) & 0xFF]
    return crc
