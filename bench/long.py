"""Peak memory and time of a 10-minute and a 2-hour render, each in a fresh process.

    .venv/bin/python bench/long.py                 # 10 and 120 minutes
    .venv/bin/python bench/long.py --minutes 10 30 # other sizes

Uses ``listen.pipeline.render`` when it is importable and given ``--pipeline``;
otherwise it composes the audio stages directly with synthetic speech-like takes
(noise in 4 Hz syllables, 22.05 kHz like Piper): master_take → encode_take, each
take's frames spooled to disk as the cache would hold them, then assemble and
write_mp3 streaming the spool into the file. The 2-hour peak RSS should be at most
1.2x the 10-minute one, and time should grow linearly.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SENTENCE_SECONDS = (2.1, 3.4, 1.2, 4.8, 2.7, 3.9, 1.8, 5.5)
SENTENCES_PER_PARAGRAPH = 5


def child(minutes: float, out: Path) -> dict[str, float]:
    """Render ``minutes`` of synthetic speech; report seconds and peak RSS in MB."""
    import numpy as np

    from listen.audio import AudioSegment
    from listen.encode import encode_take, write_mp3
    from listen.master import assemble, master_take
    from listen.models import Article, EncodedTake, Script, Segment, SegmentKind, Sentence

    started = time.perf_counter()
    rng = np.random.default_rng(0)
    spool_path = out.with_suffix(".spool")
    index: list[tuple[int, int, int, int, int]] = []
    with spool_path.open("wb") as spool:
        total, n = 0.0, 0
        while total < minutes * 60:
            seconds = SENTENCE_SECONDS[n % len(SENTENCE_SECONDS)]
            samples = int(seconds * 22050)
            t = np.arange(samples) / 22050
            envelope = np.clip(np.sin(2 * np.pi * 4 * t + n), 0, None)
            speech = rng.standard_normal(samples) * envelope * 3000
            segment = AudioSegment(data=speech.astype(np.int16).tobytes(), sample_width=2,
                                   frame_rate=22050, channels=1)  # fmt: skip
            last = n % SENTENCES_PER_PARAGRAPH == SENTENCES_PER_PARAGRAPH - 1
            pcm, speech_samples = master_take(segment, pause_ms=750 if last else 350,
                                              loudness=-19.0, true_peak=-1.0)  # fmt: skip
            take = encode_take(pcm, speech_samples=speech_samples)
            index.append(
                (spool.tell(), len(take.mp3), take.frames, speech_samples, take.lead_samples)
            )
            spool.write(take.mp3)
            total += take.duration
            n += 1
    synthesis_done = time.perf_counter()

    def takes() -> Iterator[EncodedTake]:
        with spool_path.open("rb") as spool:
            for offset, size, frames, speech_samples, lead in index:
                spool.seek(offset)
                yield EncodedTake(spool.read(size), frames, 44100, speech_samples, lead)

    paragraphs = [
        index[i : i + SENTENCES_PER_PARAGRAPH]
        for i in range(0, len(index), SENTENCES_PER_PARAGRAPH)
    ]
    segments = tuple(
        Segment(SegmentKind.PARAGRAPH, tuple(Sentence("x.", "x") for _ in p), chapter=i // 20)
        for i, p in enumerate(paragraphs)
    )
    chapters = tuple(f"Part {c}" for c in range(segments[-1].chapter + 1))
    script = Script(Article("Bench", ()), segments, chapters)
    first = next(takes())  # assemble reads the bitrate from the first take's bytes
    grouped = [
        [EncodedTake(b"", frames, 44100, speech, lead) for _, _, frames, speech, lead in p]
        for p in paragraphs
    ]  # the timeline needs frame counts only: no frames are held
    grouped[0][0] = first
    program = assemble(script, grouped)
    del grouped
    with out.open("wb") as handle:
        size = write_mp3(handle, takes(), program)
    spool_path.unlink()
    finished = time.perf_counter()
    return {
        "audio_minutes": program.duration / 60,
        "takes": len(index),
        "master_encode_s": synthesis_done - started,
        "write_s": finished - synthesis_done,
        "mp3_mb": size / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[10, 120])
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(child(args.child, Path(folder) / "bench.mp3")))
        return
    results = []
    for minutes in args.minutes:
        run = subprocess.run([sys.executable, __file__, "--child", str(minutes)],
                             capture_output=True, text=True, check=True)  # fmt: skip
        result = json.loads(run.stdout.strip().splitlines()[-1])
        results.append(result)
        per_minute = result["master_encode_s"] / result["audio_minutes"]
        print(f"{result['audio_minutes']:7.1f} min audio: {result['takes']} takes, "
              f"master+encode {result['master_encode_s']:.1f} s ({per_minute:.2f} s/min), "
              f"write {result['write_s']:.2f} s, {result['mp3_mb']:.1f} MB, "
              f"peak RSS {result['peak_rss_mb']:.0f} MB")  # fmt: skip
    if len(results) > 1:
        ratio = results[-1]["peak_rss_mb"] / results[0]["peak_rss_mb"]
        print(f"peak RSS ratio longest/shortest: {ratio:.2f} (must be <= 1.2)")


if __name__ == "__main__":
    main()
