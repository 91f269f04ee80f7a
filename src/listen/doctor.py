"""What ``listen voices`` and ``listen doctor`` report: engines, voices, cache, output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from listen.config import Settings
from listen.errors import EngineError, ListenError
from listen.sound.engines import engine_names, get_engine
from listen.sound.engines.piper_words import word_times_state
from listen.sound.voices import list_profiles, list_voices


def espeak_state() -> str:
    """Which libespeak-ng the pyttsx3 engine loads, or why it cannot."""
    try:
        from listen.sound.engines.pyttsx3 import espeak_library

        return espeak_library()
    except ListenError as exc:
        return f"unavailable ({exc})"


def voices_report(settings: Settings) -> Iterator[RenderableType]:
    profiles = Table(title="Voice profiles (use with --voice)")
    for column in ("name", "engine", "voice", "language", "rate"):
        profiles.add_column(column)
    for profile in list_profiles(settings.voices_dir, settings.voices_folder):
        profiles.add_row(profile.name, profile.engine, profile.voice or "(default)",
                         profile.language, f"{profile.rate:g}")
    yield profiles
    voices = Table(title="Engine voices")
    for column in ("engine", "id", "language", "available"):
        voices.add_column(column)
    for info in list_voices():
        state = "yes" if info.available else f"no: {info.why_not}"
        voices.add_row(escape(info.engine), escape(info.id), escape(info.language), escape(state))
    yield voices
    yield Text(f"espeak-ng library: {espeak_state()}")


def doctor_report(settings: Settings) -> Iterator[RenderableType]:
    checks = Table(title="listen doctor", show_header=False)
    checks.add_column("check")
    checks.add_column("result")
    for name in engine_names():
        checks.add_row(f"engine {name}", _engine_state(name))
    checks.add_row("espeak-ng", escape(espeak_state()))
    if "piper" in engine_names():
        checks.add_row("piper word times", escape(word_times_state()))
    checks.add_row("config", escape(str(settings.config_path or "none (defaults; see README)")))
    checks.add_row("voices folder", _installed_state(settings))
    checks.add_row("cache", _cache_state(settings))
    checks.add_row("output", _output_state(settings.out_dir))
    yield checks


def _engine_state(name: str) -> str:
    try:
        engine = get_engine(name)
        engine.check()
    except ListenError as exc:
        return f"[yellow]unavailable[/]: {escape(str(exc))}"
    return f"[green]ok[/] ({escape(engine.version())})"


def _installed_state(settings: Settings) -> str:
    from listen.sound.installed import installed_names, voices_folder

    folder = voices_folder(settings.voices_folder)
    names = installed_names(folder)
    listed = f"{len(names)} installed: {', '.join(names)}" if names else (
        "none installed: `listen voices install LANGUAGE`")
    return f"{escape(str(folder))} ({escape(listed)})"


def _cache_state(settings: Settings) -> str:
    from listen.sound.cache import TakeCache, default_cache_dir

    if not settings.use_cache:
        return "off"
    folder = settings.cache_dir or default_cache_dir()
    size = TakeCache(folder).size() if folder.exists() else 0
    return f"{escape(str(folder))} ({size / 1e6:.1f} MB)"


def _output_state(out: Path) -> str:
    from listen.publish.feed import FEED_NAME
    from listen.publish.folder import list_episodes

    if not out.exists():
        return f"{escape(str(out))} (not created yet)"
    feed = out / FEED_NAME
    if not feed.exists():
        return f"{escape(str(out))} (no feed yet)"
    try:
        count = len(list_episodes(out))
    except ListenError as exc:
        return f"{escape(str(out))}: [red]{escape(str(exc))}[/]"
    return f"{escape(str(out))}: {FEED_NAME} with {count} episode(s)"


def cluster_report(settings: Settings, address: str) -> Iterator[RenderableType]:
    """``listen doctor --cluster``: every worker compared with this client in what
    must match (listen, distributed, each engine and its voice data, the voice)."""
    from listen.sound.cluster import DaskCluster, differences, worker_facts
    from listen.sound.voices import load_profile

    profile = load_profile(settings.voice, "en", settings.voices_dir)
    here = worker_facts(profile)
    cluster = DaskCluster(address)
    try:
        workers = cluster.workers()
        facts = cluster.run_on_workers(worker_facts, profile)
    finally:
        cluster.close()
    table = Table(title=f"Dask cluster at {escape(address)}: {len(facts)} worker(s)")
    for column in ("worker", "threads", "listen", "voice " + escape(profile.name), "differs"):
        table.add_column(column, overflow="fold")
    mismatched = 0
    for worker, fact in sorted(facts.items()):
        found = differences(here, fact)
        mismatched += bool(found)
        table.add_row(escape(worker), str(workers.get(worker, {}).get("nthreads", "?")),
                      escape(fact["listen"]), escape(fact["voice"]),
                      "[red]" + escape("; ".join(found)) + "[/]" if found else "[green]no[/]")
    yield table
    if not facts:
        raise EngineError(f"the Dask scheduler at {address} has no workers: start some "
                          f"(dask worker {address})")
    if mismatched:
        raise EngineError(f"{mismatched} of {len(facts)} workers differ from this client: "
                          "install the same listen, engines and voices on every worker")
    yield Text(f"every worker matches this client (listen {here['listen']}, "
               f"{', '.join(sorted(here['engines']))})")
