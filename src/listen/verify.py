"""The listening check: does each take say what its sentence says?

After synthesis an offline recogniser (``listen.sound.recognize``) transcribes every
take, and each is compared with the sentence's spoken text: the share of its words
heard, in order. Beside recognition, two checks any voice passes or fails alike: a
take with no sound in it, and a take far shorter than its text at the voice's pace in
this article (cut off).

Each take is heard where it is made, right after synthesis, in the same pool of
processes or cluster workers (``render_hearing``, ``TakeJob.hearing``), and what was
heard is kept beside the take in the cache: the check then only compares texts, and
checking a take again costs nothing. Takes made without it (cached by a render
without ``--verify``, or by a worker without the recogniser) are heard here, in a pool
of processes (one per core) that read them from the take cache.

The thresholds come from measurement on the sample (examples/night-trains.html; see
``bench/verify.py`` and the README): a take is judged by recognition only when its
sentence has ``MIN_WORDS`` words or more, and only for the voices a recogniser can
follow; pocketsphinx and Whisper tiny.en hear espeak-ng's formant speech too poorly
to tell a wrong take from a right one sentence by sentence, so espeak-ng takes get
the sound and length checks, and their score is reported.
"""

from __future__ import annotations

import difflib
import json
import multiprocessing
import re
import statistics
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from listen.config import Settings
from listen.errors import AudioError, ListenError, SourceError
from listen.models import EncodedTake, Heard, Program, Script, TakeRef, VoiceProfile
from listen.publish.catalog import CATALOG_NAME, Catalog
from listen.publish.folder import list_episodes
from listen.publish.sidecars import read_vtt
from listen.publish.tags import read_voice
from listen.sound.cache import TakeCache
from listen.sound.engines import get_engine
from listen.sound.executor import Executor, Finisher, TakeJob
from listen.sound.expected import word_counts
from listen.sound.recognize import (
    HEARD_RATE,
    Hearing,
    hear_spans,
    hear_takes,
    recognising_processes,
    recognizer_choice,
    second_opinion,
)
from listen.sound.synth import Line, by_segment, part_of, plan
from listen.sound.voices import load_profile
from listen.speech.script import speak_line

MIN_WORDS = 4
"""Shorter sentences are too short to judge: a name or a two-word heading is misheard
as often as not (pocketsphinx heard 0 of "By Marta Lindqvist")."""
THRESHOLDS = {("pocketsphinx", "piper"): (0.40, 0.60),
              ("faster-whisper", "piper"): (0.45, 0.60)}
"""A take is misheard when less than the first share of its words AND less than the
second share of its letters are heard in order, by recogniser and engine. The
letters forgive a recogniser that splits or joins words ("lighthouse keeper's" heard
as "like housekeepers"). Measured with Joe on the sample and the two-voices fixture
(61 sentences of 4+ words, bench/verify.py): pocketsphinx flagged none of them, and
flagged 57 to 58 of 61 when given another sentence's take; the words alone flagged a
4-word title in one take of three. Listening for the article's words
(``listen.sound.expected``), on the sample and eight English fixtures (``--settings``):
0 of 210 right takes flagged, 202 of 210 takes of another sentence caught."""
SHORTEST = 0.55
"""A take whose speech lasts less than this share of what its text takes at the
voice's pace in this article is cut off (the sample's shortest: 0.77 with Joe, 0.89
with espeak-ng; a take cut in half: 0.5)."""
SILENT_LUFS = -50.0
"""Quieter than this, a take has no speech (takes are mastered to about -19 LUFS)."""


@dataclass(frozen=True)
class Misheard:
    """A take that does not say its sentence."""

    index: int
    """The sentence's place in the script (0 is the first)."""
    expected: str
    heard: str
    why: str
    """``misheard``, ``silent`` or ``cut off``."""
    start: float = 0.0
    """Where the sentence starts in the episode, in seconds (after assembly)."""


@dataclass(frozen=True)
class Check:
    """The listening check of one article."""

    recognizer: str
    score: float | None
    """Share of the article's words heard, over every take; None when not checked."""
    takes: int
    misheard: tuple[Misheard, ...] = ()
    skipped: str = ""
    """Why recognition did not run ("" when it did)."""
    respoken: int = 0

    def timed(self, program: Program) -> Check:
        """The misheard takes with their start times in the episode."""
        return replace(self, misheard=tuple(
            replace(m, start=program.cues[m.index].start) for m in self.misheard
            if m.index < len(program.cues)))

    def as_json(self) -> dict[str, object]:
        return {
            "recognizer": self.recognizer, "score": self.score, "takes": self.takes,
            "respoken": self.respoken, "skipped": self.skipped,
            "misheard": [{"start": round(m.start, 2), "expected": m.expected,
                          "heard": m.heard, "why": m.why} for m in self.misheard],
        }


def words(text: str) -> list[str]:
    """Lower-case words with British and American spellings made alike
    (travellers/travelers, centre/center, colour/color, specialised/specialized)."""
    found = []
    for word in re.findall(r"[a-z0-9']+", text.lower().replace("’", "'")):
        word = word.replace("'", "")
        word = re.sub(r"our(s?)$", r"or\1", word)
        word = re.sub(r"re(s?)$", r"er\1", word)
        found.append(word.replace("ll", "l").replace("ise", "ize"))
    return found


def share_heard(expected: Sequence[str], heard: Sequence[str]) -> float:
    """The share of ``expected`` words heard, in order (1.0 for no words)."""
    return _in_order(list(expected), list(heard))


def letters_heard(expected: Sequence[str], heard: Sequence[str]) -> float:
    """The share of ``expected``'s letters heard, in order, word breaks ignored."""
    return _in_order("".join(expected), "".join(heard))


def _in_order(expected: Sequence[str], heard: Sequence[str]) -> float:
    if not expected:
        return 1.0
    matcher = difflib.SequenceMatcher(None, expected, heard, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def hear(cache: TakeCache, keys: Sequence[str], hearing: Hearing) -> list[Heard]:
    """What ``hearing``'s recogniser hears in each take: what was kept beside the take
    when it was heard before (where it was made), else heard now and kept."""
    found: dict[str, Heard] = {}
    missing = []
    for key in dict.fromkeys(keys):
        kept = cache.heard(key, hearing.recognizer)
        if kept is None:
            missing.append(key)
        else:
            found[key] = kept
    for key, heard in zip(missing, _hear_now(cache, missing, hearing), strict=True):
        cache.keep_heard(key, heard)
        found[key] = heard
    return [found[key] for key in keys]


def _hear_now(cache: TakeCache, keys: Sequence[str], hearing: Hearing) -> list[Heard]:
    """Hear takes from the cache, in a pool of processes when there are enough takes
    to pay for starting them."""
    processes = recognising_processes(len(keys))
    if processes <= 1:
        return hear_takes(str(cache.folder), keys, hearing) if keys else []
    batches = [list(keys[start::processes * 4]) for start in range(processes * 4)]
    batches = [batch for batch in batches if batch]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    count = len(batches)
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        results = list(pool.map(hear_takes, [str(cache.folder)] * count, batches,
                                [hearing] * count))
    heard: dict[str, Heard] = {}
    for batch, found in zip(batches, results, strict=True):
        heard.update(zip(batch, found, strict=True))
    return [heard[key] for key in keys]


def judge(lines: Sequence[Line], takes: Sequence[TakeRef], heard: Sequence[Heard],
          recognizer: str, names: Collection[int] = ()) -> Check:
    """Compare each take with its sentence (``heard``: what was heard in each take);
    the sentences at ``names`` are judged by sound and length only (``names_said``)."""
    paces = _paces(lines, takes)
    misheard, total, matched = [], 0, 0.0
    family = recognizer.split(":", 1)[0]
    for index, (line, take, found) in enumerate(zip(lines, takes, heard, strict=True)):
        expected, got = words(line.text), words(found.text)
        share = share_heard(expected, got)
        total += len(expected)
        matched += share * len(expected)
        shares = (share, letters_heard(expected, got))
        why = _why(line.profile, take, len(expected), shares, found.loudness, paces.get(
            line.profile.name), "" if index in names else family)
        if why:
            misheard.append(Misheard(index, line.text, found.text, why))
    return Check(family, matched / total if total else None, len(takes), tuple(misheard))


def _why(voice: VoiceProfile, take: TakeRef, count: int, shares: tuple[float, float],
         loudness: float, pace: float | None, recognizer: str) -> str:
    """Why a take does not say its sentence; "" when it does, or cannot be judged
    (``recognizer`` "": by sound and length only)."""
    if count < MIN_WORDS:
        return ""
    if loudness < SILENT_LUFS:
        return "silent"
    if pace and take.speech_samples / take.sample_rate < SHORTEST * pace * count:
        return "cut off"
    least = THRESHOLDS.get((recognizer, voice.engine))
    if least is not None and shares[0] < least[0] and shares[1] < least[1]:
        return "misheard"
    return ""


def _paces(lines: Sequence[Line], takes: Sequence[TakeRef]) -> dict[str, float]:
    """Each voice's median seconds per word in this article (takes of 4+ words)."""
    seconds: dict[str, list[float]] = {}
    for line, take in zip(lines, takes, strict=True):
        count = len(words(line.text))
        if count >= MIN_WORDS:
            seconds.setdefault(line.profile.name, []).append(
                take.speech_samples / take.sample_rate / count)
    return {name: statistics.median(values) for name, values in seconds.items()}


def check_takes(
    script: Script, profile: VoiceProfile, takes: list[list[TakeRef]], cache: TakeCache,
    hearing: Hearing, *, respeak: Respeak | None = None,
) -> tuple[Check, list[list[TakeRef]]]:
    """The listening check of a render's takes; with ``respeak`` (``--verify=strict``),
    the takes found wrong are spoken once more, fresh, and heard again. Returns the
    check and the takes (the re-spoken ones replaced)."""
    lines = plan(script, profile)
    flat = [take for segment in takes for take in segment]
    recognizer = hearing.recognizer

    def hear_again(indices: list[int], careful: str) -> list[Heard]:
        return hear(cache, [flat[index].key for index in indices],
                    replace(hearing, recognizer=careful))

    heard = hear(cache, [take.key for take in flat], hearing)
    names = names_said(script)
    check = _judged_twice(lines, flat, heard, recognizer, hear_again, names)
    if respeak is None or not check.misheard:
        return check, takes
    wrong = [m.index for m in check.misheard]
    fresh = respeak([lines[index] for index in wrong], [flat[index].key for index in wrong])
    for index, take in zip(wrong, fresh, strict=True):
        flat[index] = take
    again = hear(cache, [take.key for take in fresh], hearing)
    for index, result in zip(wrong, again, strict=True):
        heard[index] = result
    check = _judged_twice(lines, flat, heard, recognizer, hear_again, names)
    return replace(check, respoken=len(wrong)), by_segment(script, flat)


def names_said(script: Script) -> frozenset[int]:
    """The sentences made of the article's names: the spoken intro after the title
    (byline, site and date) and the outro (the title again, byline and site).
    Recognisers miss names as often as not (pocketsphinx heard "By Callum Reid and
    Anita Szabo." as "like hell on reagan and the the shot lol", with its careful
    settings too), so these are judged by sound and length only."""
    parts = [part_of(segment.kind, index) for segment in script.segments
             for index in range(len(segment.sentences))]
    return frozenset(i for i, part in enumerate(parts) if part in ("intro", "outro"))


def _judged_twice(lines: Sequence[Line], takes: Sequence[TakeRef], heard: list[Heard],
                  recognizer: str, hear_again: Callable[[list[int], str], list[Heard]],
                  names: Collection[int] = ()) -> Check:
    """``judge``, where a take found misheard is heard again by the recogniser's
    second opinion (``second_opinion``) and flagged only if that mishears it too:
    the careful search costs about 3x the fast one, paid for the few suspects only."""
    check = judge(lines, takes, heard, recognizer, names)
    careful = second_opinion(recognizer)
    suspects = [m.index for m in check.misheard if m.why == "misheard"]
    if careful is None or not suspects:
        return check
    for index, result in zip(suspects, hear_again(suspects, careful), strict=True):
        heard[index] = result
    return judge(lines, takes, heard, recognizer, names)


Respeak = Callable[[Sequence[Line], Sequence[str]], list[TakeRef]]
"""Speaks lines again, fresh, replacing the cached takes under the keys given."""


def fail_if_misheard(check: Check) -> None:
    """``--verify=strict``: an error listing the takes still wrong after re-speaking."""
    if check.misheard:
        listed = "; ".join(f"{m.why} at {m.start:.1f} s: expected {m.expected[:50]!r}, "
                           f"heard {m.heard[:50]!r}" for m in check.misheard[:5])
        raise AudioError(f"{len(check.misheard)} take(s) still do not say their sentence "
                         f"after speaking them again ({listed}): check the voice, or render "
                         "with --verify (not strict) to publish anyway")


def warnings_for(check: Check) -> list[str]:
    """One warning per take found wrong, with its time, expected and heard text."""
    if check.skipped:
        return [check.skipped]
    return [f"the take at {m.start:.1f} s is {m.why}: expected {m.expected!r}, "
            f"heard {m.heard!r}" for m in check.misheard]


def listen_check(
    settings: Settings, script: Script, profile: VoiceProfile, takes: list[list[TakeRef]],
    cache: TakeCache, *, hearing: Hearing | None, finish: Finisher, executor: Executor,
) -> tuple[Check, list[list[TakeRef]]]:
    """``render --verify``: the check of a render's takes, heard as ``hearing`` (the
    render's ``render_hearing``; None: no recogniser knows the language, said in
    ``skipped``)."""
    if hearing is None:
        _none, why = recognizer_choice(script.article.language, settings.whisper_model)
        return Check("", None, sum(map(len, takes)), skipped=why), takes
    respeak = (respeaker(cache, finish, executor, hearing) if settings.verify == "strict"
               else None)
    return check_takes(script, profile, takes, cache, hearing, respeak=respeak)


def render_hearing(settings: Settings, script: Script, profile: VoiceProfile
                   ) -> Hearing | None:
    """How a render's takes are heard as they are made (``--verify``): the recogniser
    for the article's language, listening for its sentences; None when no check is
    asked for, or no recogniser knows the language."""
    language = script.article.language
    recognizer, _why = recognizer_choice(language, settings.whisper_model)
    if not (settings.verify and recognizer):
        return None
    return Hearing(recognizer, language,
                   word_counts(line.text for line in plan(script, profile)))


def respeaker(cache: TakeCache, finish: Finisher, executor: Executor, hearing: Hearing
              ) -> Respeak:
    """Speaks lines again by ``executor`` (fresh, not from the cache), replacing the
    cached takes; each new take is heard where it is made."""
    def respeak(lines: Sequence[Line], keys: Sequence[str]) -> list[TakeRef]:
        unique = dict(zip(keys, lines, strict=True))
        jobs = [TakeJob(*line, finish, get_engine(line.profile.engine).version(), key,
                        hearing) for key, line in unique.items()]
        fresh: dict[str, TakeRef] = {}

        def store(job: TakeJob, take: EncodedTake) -> None:
            cache.path(job.key).unlink(missing_ok=True)  # the wrong take goes
            fresh[job.key] = cache.put(job.key, take).ref(job.key)

        executor.make(jobs, store)
        return [fresh[key] for key in keys]

    return respeak


def record_check(out: Path, episode_id: str, check: Check) -> None:
    """Keep the check in the output folder's catalog, beside the episode."""
    with Catalog.in_folder(out) as catalog:
        catalog.remember_check(episode_id, json.dumps(check.as_json(), ensure_ascii=False))


def verify_episode(settings: Settings, episode: str) -> tuple[str, Check]:
    """``listen verify EPISODE``: the listening check of a published episode (its MP3
    path, or its file name or slug in the output folder), from the MP3 and its VTT.

    Each transcript cue is heard and compared with the cue's text as listen says it
    (the VTT does not say which cues are the intro and outro, so their names are
    judged too); the voice is the one the MP3's tag names (a cast's part voices are
    judged as the main voice). The check is kept in the catalog. Returns the MP3's
    path and the check."""
    mp3 = _episode_mp3(settings.out_dir, episode)
    out = mp3.parent
    row = next((e for e in (list_episodes(out) if (out / CATALOG_NAME).exists() else [])
                if e.audio_file == mp3.name), None)
    language = row.language if row else "en"
    cues = read_vtt(mp3.with_suffix(".vtt"))
    recognizer, why = recognizer_choice(language, settings.whisper_model)
    if not recognizer:
        return str(mp3), Check("", None, len(cues), skipped=why)
    voice = _voice_of(mp3, settings, language)
    lines = [Line(speak_line(cue.text, language, speech=settings.speech), 0, voice)
             for cue in cues]
    spans = [TakeRef("", 0, HEARD_RATE, int((cue.end - cue.start) * HEARD_RATE), 0, 0)
             for cue in cues]
    times = [(cue.start, cue.end) for cue in cues]
    hearing = Hearing(recognizer, language, word_counts(line.text for line in lines))
    heard = hear_spans(mp3, times, hearing)
    check = _judged_twice(lines, spans, heard, recognizer, lambda indices, careful: hear_spans(
        mp3, [times[index] for index in indices], replace(hearing, recognizer=careful)))
    check = replace(check, misheard=tuple(replace(m, start=cues[m.index].start)
                                          for m in check.misheard))
    if row is not None:
        record_check(out, row.id, check)
    return str(mp3), check


def _episode_mp3(out: Path, episode: str) -> Path:
    for path in (Path(episode), out / episode, out / f"{episode}.mp3"):
        if path.suffix == ".mp3" and path.is_file():
            return path
    raise SourceError(f"no episode {episode!r}: give its MP3's path, or its file name in "
                      f"{out} (`listen feed list` shows them)")


def _voice_of(mp3: Path, settings: Settings, language: str) -> VoiceProfile:
    """The voice profile the MP3's tag names; without one, judged as Piper's."""
    name = read_voice(mp3)
    try:
        return load_profile(name or None, language, settings.voices_dir,
                            settings.voices_folder)
    except ListenError:
        return VoiceProfile(name=name or "unknown", engine="piper")
