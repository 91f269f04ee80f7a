"""The stages, wired in order: one source in, one audio edition out.

    1. load      source → Page
    2. extract   Page → Article
    3. script    Article → Script (normalised for speech, with chapters)
    4. synth     Script → takes: each sentence spoken, mastered and MP3-encoded, cached
    5. master    takes → Program (the timeline: cues and chapters)
    6. tags      Program → ID3v2.4 tag (cover, chapters, transcript)
    7. encode    tag + frames → <slug>.mp3, written atomically
    8. sidecars  Program → <slug>.vtt, <slug>.chapters.json (and .srt)
    9. publish   Episode → catalog row and feed.xml
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, BinaryIO

from listen import __version__
from listen.config import Settings, channel_for, show_title, voice_warning
from listen.episode import (
    episode_cover,
    episode_id_for,
    episode_tags,
    new_episode,
    previous_episode,
    slugify,
    source_url,
    unique_slug,
    write_page,
    write_sidecars,
)
from listen.errors import (
    AudioError,
    ConfigError,
    FeedError,
    OutputError,
    SourceError,
)
from listen.fsutil import atomic_writer, describe_os_error
from listen.models import (
    Channel,
    EncodedTake,
    Episode,
    Page,
    RenderHooks,
    Script,
    TakeRef,
    VoiceProfile,
)
from listen.publish.catalog import Catalog
from listen.publish.feed import check_category
from listen.publish.folder import folder_lock, publish, rebuild
from listen.publish.player import write_assets
from listen.publish.recover import episode_record
from listen.publish.showcover import LocalImage, is_local, read_local_image, show_cover_url
from listen.publish.tags import render_id3
from listen.read.extract import extract_article
from listen.read.load import load_page
from listen.sound.cache import TakeCache, default_cache_dir
from listen.sound.encode import write_mp3
from listen.sound.engines import get_engine
from listen.sound.executor import Executor
from listen.sound.finish import TakeFinisher
from listen.sound.master import assemble
from listen.sound.pool import LocalPool
from listen.sound.synth import synthesize
from listen.sound.voices import load_profile
from listen.speech.lexicon import load_lexicon
from listen.speech.script import ScriptOptions, build_script
from listen.verify import (
    Check,
    fail_if_misheard,
    listen_check,
    record_check,
    render_hearing,
    warnings_for,
)


@dataclass(frozen=True)
class RenderResult:
    """What one render produced, for the CLI's summary."""

    source: str
    status: str
    """``rendered`` or ``unchanged``."""
    mp3: Path
    episode: Episode
    warnings: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
    check: Check | None = None
    """The listening check (``--verify``), or None."""


def prepare_script(
    source: str, settings: Settings, *, stdin: BinaryIO | None = None, page: Page | None = None
) -> tuple[Script, VoiceProfile]:
    """Stages 1–3: what will be said, and by which voice (``page``: already loaded)."""
    if page is None and settings.offline and source_url(source):
        raise SourceError(f"{source} is a web address, and offline listen fetches nothing: "
                          "save the page and give its path, or leave out --offline")
    page = page or load_page(source, stdin=stdin)  # 1.
    article = extract_article(  # 2.
        page, rules=settings.sites, keep_captions=settings.keep_captions
    )
    profile = load_profile(settings.voice, article.language, settings.voices_dir,
                           settings.voices_folder, settings.parts)
    lexicon = load_lexicon(article.language, profile.lexicons, settings.lexicon)
    voices = (profile, *(voice for _part, voice in profile.parts))
    options = ScriptOptions(
        max_chars=min(get_engine(voice.engine).max_chars for voice in voices),
        intro=settings.intro,
        outro=settings.outro,
        outro_text=settings.outro_text,
        lexicon=lexicon,
        speech=settings.speech,
    )
    return build_script(article, options), profile  # 3.


def render(
    source: str,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    hooks: RenderHooks | None = None,
    force: bool = False,
    executor: Executor | None = None,
    page: Page | None = None,
) -> RenderResult:
    """Render one source into ``settings.out_dir``; skip it when nothing changed.

    ``executor`` makes the takes (one shared by a batch of renders); without one, a
    local pool, or the cluster ``settings.cluster`` names, serves this render alone.
    ``page`` is the source already loaded (``listen sync`` fetches its own).
    """
    hooks = hooks or RenderHooks()
    hooks.on_stage("reading")
    planned = _plan(source, settings, stdin, page)
    script, profile, finisher = planned.script, planned.profile, planned.finisher
    article = script.article
    out = settings.out_dir
    episode_id, fingerprint, previous = planned.episode_id, planned.fingerprint, planned.previous
    if not force and planned.status == "unchanged" and previous:
        write_assets(out)
        return RenderResult(source, "unchanged", out / previous.audio_file, previous)
    show_image = _check_before_speaking(out, settings)
    web_address = source_url(source)
    show = show_title(settings, article, web_address)

    with _take_store(settings) as store, _executor(settings, executor) as makers:
        hooks.on_stage("speaking")
        hearing = render_hearing(settings, script, profile)  # --verify: heard as made
        takes = synthesize(  # 4.
            script, profile, finish=finisher, cache=store, jobs=settings.jobs,
            on_progress=hooks.on_takes, executor=makers, hearing=hearing,
        )
        check = None
        if settings.verify:  # the listening check; strict: wrong takes spoken again
            hooks.on_stage("listening")
            check, takes = listen_check(settings, script, profile, takes, store,
                                        hearing=hearing, finish=finisher, executor=makers)
        hooks.on_stage("mastering")
        intro, outro = _bumpers(settings, finisher)
        program = assemble(script, takes, intro=intro, outro=outro)  # 5.
        if check is not None:
            check = check.timed(program)
            if settings.verify == "strict":
                fail_if_misheard(check)
        cover, cover_warning = episode_cover(article, _fetch_images(source, settings))
        hooks.on_stage("publishing")
        # Under the folder lock from naming the files to publishing them, so two
        # renders of articles with the same title cannot pick the same file name.
        with folder_lock(out):
            slug = unique_slug(out, slugify(article.title), episode_id)
            mp3_path = out / f"{slug}.mp3"
            episode = new_episode(article, episode_id, slug, program, fingerprint, previous)
            dated = article.date is not None
            # The MP3 carries its own catalog row, so `listen feed recover` can rebuild it.
            record = episode_record(episode, dated=dated)
            tag = render_id3(episode_tags(script, profile, cover, show, record), program)  # 6.
            with atomic_writer(mp3_path) as handle:  # 7.
                handle.write(tag)
                write_mp3(handle, _frames(store, takes, intro, outro), program)
            sidecars = write_sidecars(out, slug, program, settings.srt)  # 8.
            sidecars |= write_page(out, slug, script, program, cover, episode_id)
            cover_url, image_warnings = show_cover_url(
                out, settings.show.image, settings.show.base_url, show, show_image)
            channel, show_warnings = channel_for(settings, article, cover_url, web_address)
            episode = publish(out, channel, episode, dated=dated)  # 9.
            if check is not None:
                record_check(out, episode.id, check)
    warnings = [voice_warning(settings, profile, article.language), *show_warnings,
                *image_warnings, cover_warning, *(warnings_for(check) if check else [])]
    return RenderResult(source, "rendered", mp3_path, episode, tuple(w for w in warnings if w),
                        (mp3_path, *sidecars.values()), check)


@dataclass(frozen=True)
class _Planned:
    """Stages 1–3 done, and how the result compares with the last render."""

    script: Script
    profile: VoiceProfile
    finisher: TakeFinisher
    episode_id: str
    fingerprint: str
    previous: Episode | None
    status: str
    """``new``, ``changed``, ``audio missing``, ``page missing`` or ``unchanged``."""


def _plan(source: str, settings: Settings, stdin: BinaryIO | None, page: Page | None
          ) -> _Planned:
    script, profile = prepare_script(source, settings, stdin=stdin, page=page)
    episode_id = episode_id_for(source, script.article)
    finisher = TakeFinisher(profile.loudness, profile.true_peak, settings.bitrate)
    fingerprint = _fingerprint(script, profile, finisher, settings)
    previous = previous_episode(settings.out_dir, episode_id)
    mp3 = settings.out_dir / previous.audio_file if previous else None
    if previous is None or mp3 is None:
        status = "new"
    elif previous.fingerprint != fingerprint:
        status = "changed"
    elif not mp3.is_file():
        status = "audio missing"
    elif not mp3.with_suffix(".html").is_file():
        status = "page missing"  # rendered by a listen without episode pages
    else:
        status = "unchanged"
    return _Planned(script, profile, finisher, episode_id, fingerprint, previous, status)


def render_status(source: str, settings: Settings, *, page: Page | None = None
                  ) -> tuple[str, Episode | None]:
    """What ``render`` would do with ``source`` now, without speaking: ``new``,
    ``changed`` (its script, voice or settings), ``audio missing``, ``page missing`` or
    ``unchanged``; and the episode it has in the catalog."""
    planned = _plan(source, settings, None, page)
    return planned.status, planned.previous


def _fetch_images(source: str, settings: Settings) -> bool:
    """Whether to download the lead image: never offline; by default only for a page
    that was itself fetched, so a local file's render makes no network request."""
    if settings.offline:
        return False
    if settings.fetch_images is not None:
        return settings.fetch_images
    return source_url(source) is not None


def _file_stamp(path: Path | None) -> str:
    """A file's identity for the fingerprint: replacing a jingle in place re-renders."""
    if path is None:
        return ""
    try:
        stat = path.stat()
    except OSError:
        return str(path)
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def _check_before_speaking(out: Path, settings: Settings) -> LocalImage | None:
    """What would fail after minutes of synthesis, checked now: the feed's category,
    the publisher's own show cover, intro and outro files, and whether the output
    folder takes files. Returns the show cover when it is a local file, read."""
    check_category(settings.show.category, settings.show.subcategory)
    show_image = read_local_image(settings.show.image)
    for path in (settings.intro_audio, settings.outro_audio):
        if path is not None and not path.is_file():
            raise ConfigError(f"the intro/outro audio {path} is not a file: fix intro_audio "
                              "or outro_audio in listen.toml")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out)) from exc
    return show_image


def _fingerprint(
    script: Script, profile: VoiceProfile, finisher: TakeFinisher, settings: Settings
) -> str:
    payload = {
        "speech": [[s.speech for s in seg.sentences] for seg in script.segments],
        "text": [seg.text for seg in script.segments],
        "chapters": script.chapters,
        "profile": asdict(profile),
        "finish": finisher.key,
        "bumpers": [_file_stamp(settings.intro_audio), _file_stamp(settings.outro_audio)],
        "show": asdict(settings.show),
        "srt": settings.srt,
        "meta": [script.article.title, script.article.authors, str(script.article.date)],
        "version": __version__,
    }
    if is_local(image := settings.show.image):  # replacing the cover file re-renders
        payload["show_image"] = _file_stamp(Path(image))
    blob = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()


@contextlib.contextmanager
def _take_store(settings: Settings) -> Iterator[TakeCache]:
    """The take cache; with caching off, a temporary one that spools this render."""
    if settings.use_cache:
        yield TakeCache(settings.cache_dir or default_cache_dir())
        return
    with tempfile.TemporaryDirectory(prefix="listen-takes-") as folder:
        yield TakeCache(Path(folder))


def open_executor(settings: Settings) -> Executor:
    """Where takes are made: the Dask cluster ``settings.cluster`` names, else a local
    pool of ``settings.jobs`` workers (Dask is imported only for a cluster)."""
    if settings.cluster:
        from listen.sound.cluster import DaskCluster

        return DaskCluster(settings.cluster)
    return LocalPool(settings.jobs)


@contextlib.contextmanager
def _executor(settings: Settings, shared: Executor | None) -> Iterator[Executor]:
    """The batch's executor, or one for this render alone."""
    if shared is not None:
        yield shared
        return
    with open_executor(settings) as own:
        yield own


def _frames(
    store: TakeCache,
    takes: Sequence[Sequence[TakeRef]],
    intro: EncodedTake | None,
    outro: EncodedTake | None,
) -> Iterator[EncodedTake]:
    """Every take's frames in programme order, read back one take at a time."""
    if intro:
        yield intro
    for ref in (ref for segment in takes for ref in segment):
        take = store.get(ref.key)
        if take is None:
            raise AudioError(f"a cached take vanished from {store.folder} while writing: "
                             "render again, or use --no-cache")
        yield take
    if outro:
        yield outro


def _bumpers(
    settings: Settings, finisher: TakeFinisher
) -> tuple[EncodedTake | None, EncodedTake | None]:
    """The publisher's intro (half a second of silence after it) and outro, if set."""
    intro, outro = settings.intro_audio, settings.outro_audio
    return (finisher.bumper(intro, 500) if intro else None,
            finisher.bumper(outro, 0) if outro else None)


def rebuild_feed(settings: Settings) -> Path:
    """Render feed.xml again from the catalog: the channel of the last render, with
    whatever the current listen.toml sets ([show]) on top."""
    out = settings.out_dir
    with Catalog.in_folder(out) as catalog:
        stored = catalog.saved_channel()
    if stored is None:
        raise FeedError(f"no feed to rebuild in {out}: render an article there first")
    channel = replace(stored, **_show_overrides(settings))
    if (local := read_local_image(settings.show.image)) is not None:
        image, _said = show_cover_url(out, "", channel.base_url, channel.title, local)
        channel = replace(channel, image=image)
    return rebuild(out, channel)


def _show_overrides(settings: Settings) -> dict[str, Any]:
    """What the current settings say about the show: every text they set, and with a
    listen.toml also its flags and numbers (``explicit = false`` must be able to win)."""
    changes: dict[str, Any] = {}
    for f in fields(Channel):
        value = getattr(settings.show, f.name)
        if (value if isinstance(value, str) else settings.config_path is not None):
            changes[f.name] = value
    return changes
