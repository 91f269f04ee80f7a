"""Renders on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1. The same files as a local render, byte for byte (espeak-ng); a worker
killed mid-render; a scheduler that goes away; a mismatched worker refused."""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import needs
from daskcluster import LocalDaskCluster
from listen.batch import Item, render_all
from listen.config import Settings
from listen.errors import EngineError, ListenError
from listen.models import Channel, RenderHooks
from listen.pipeline import RenderResult, render
from listen.sound.cache import TakeCache

pytestmark = needs.needs(importlib.util.find_spec("distributed") is not None,
                         "no Dask: pip install 'listen[dask]' (the test extra brings it)")

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ROOT / "examples" / "night-trains.html",
    ROOT / "tests" / "pages" / "harbour-ferry.html",
    ROOT / "tests" / "fixtures" / "ghost.html",
    ROOT / "tests" / "fixtures" / "news-jsonld.html",
    ROOT / "tests" / "fixtures" / "wordpress.html",
]
ESPEAK = "espeak-en-us"
pytestmark = pytest.mark.slow


SHOW = Channel(title="Night desk", link="https://news.example/", author="Night desk",
               owner_email="audio@news.example", base_url="https://cdn.news.example/audio/")
"""A publisher's [show]: without it the feed's defaults come from whichever article
lands last, and several articles in flight may land in any order."""


def settings_for(tmp: Path, name: str, cluster: str | None = None) -> Settings:
    return Settings(out_dir=tmp / name / "out", cache_dir=tmp / name / "cache", voice=ESPEAK,
                    jobs=2, cluster=cluster, show=SHOW)


def published_files(out: Path) -> dict[str, bytes]:
    """Every file a listener, a browser or a podcast app sees (the catalog is ours)."""
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.suffix in {".mp3", ".vtt", ".json", ".xml", ".jpg", ".html", ".js", ".css"}}


def render_pages(settings: Settings, hooks: RenderHooks | None = None
                 ) -> list[tuple[str, RenderResult | ListenError]]:
    outcomes = render_all([Item(str(page)) for page in PAGES], settings,
                          hooks_for=lambda _source: hooks or RenderHooks())
    failures = [(source, error) for source, error in outcomes if isinstance(error, ListenError)]
    assert not failures
    return outcomes


@pytest.fixture(scope="module")
def local_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    settings = settings_for(tmp_path_factory.mktemp("local"), "local")
    render_pages(settings)
    return published_files(settings.out_dir)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalDaskCluster]:
    with LocalDaskCluster(tmp_path_factory.mktemp("dask")) as running:
        yield running


def test_a_cluster_render_equals_the_local_render(
    cluster: LocalDaskCluster, local_files: dict[str, bytes], tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, "cluster", cluster.address)
    render_pages(settings)
    files = published_files(settings.out_dir)
    assert sorted(files) == sorted(local_files)
    assert len([name for name in files if name.endswith(".mp3")]) == len(PAGES)
    for name, data in files.items():
        assert data == local_files[name], f"{name} differs from the local render"
    from distributed import Client

    from listen.sound.cluster import worker_facts

    with Client(cluster.address, set_as_default=False) as client:
        facts = client.run(worker_facts)
    assert len(facts) == 2
    assert all(fact["loaded"] == ["pyttsx3"] for fact in facts.values()), \
        "both workers made takes"


def test_a_second_cluster_render_makes_nothing(cluster: LocalDaskCluster, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "again", cluster.address)
    render_pages(settings)
    again = render_pages(replace(settings, out_dir=tmp_path / "again" / "out2"))
    progress: list[tuple[int, int]] = []
    hooks = RenderHooks(on_takes=lambda done, total: progress.append((done, total)))
    render(str(PAGES[1]), replace(settings, out_dir=tmp_path / "again" / "out3"), hooks=hooks)
    assert all(isinstance(result, RenderResult) for _source, result in again)
    assert progress and all(done == total for done, total in progress), "all from the cache"


def test_a_render_survives_a_killed_worker(
    local_files: dict[str, bytes], tmp_path: Path
) -> None:
    with LocalDaskCluster(tmp_path / "dask", workers=2) as cluster:
        victim = sorted(cluster.worker_pids().values())[0]
        killed = threading.Event()

        def kill_once(done: int, total: int) -> None:
            if done >= 5 and done < total and not killed.is_set():
                killed.set()
                os.kill(victim, signal.SIGKILL)

        settings = settings_for(tmp_path, "killed", cluster.address)
        render_pages(settings, RenderHooks(on_takes=kill_once))
        assert killed.is_set(), "a worker was killed during the render"
        assert cluster.workers[0].poll() is not None or cluster.workers[1].poll() is not None
    assert published_files(settings.out_dir) == local_files


def test_a_vanished_scheduler_is_a_clear_error_and_the_next_run_resumes(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "gone", None)
    cache = TakeCache(settings.cache_dir)  # type: ignore[arg-type]
    with LocalDaskCluster(tmp_path / "dask", workers=1) as cluster:
        settings = replace(settings, cluster=cluster.address)

        def kill_scheduler(done: int, total: int) -> None:
            if done >= 3 and cluster.scheduler and cluster.scheduler.poll() is None:
                cluster.kill_scheduler()

        with pytest.raises(EngineError, match="lost the Dask scheduler"):
            render(str(PAGES[0]), settings, hooks=RenderHooks(on_takes=kill_scheduler))
    assert not settings.out_dir.exists() or not list(settings.out_dir.glob("*.mp3"))
    assert not (settings.out_dir / "catalog.sqlite").exists()
    cached = len(list(cache.folder.glob("??/*.take")))
    assert cached >= 3
    first: list[int] = []
    hooks = RenderHooks(on_takes=lambda done, _total: first.append(done))
    result = render(str(PAGES[0]), replace(settings, cluster=None), hooks=hooks)
    assert result.status == "rendered"
    assert first[0] == cached, "the next run starts from the takes already made"


def test_a_cluster_left_without_workers_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dask waits for ever for a worker to come back; a render stops with an error
    once the cluster has had none for NO_WORKERS_SECONDS (shortened here)."""
    import listen.sound.cluster

    monkeypatch.setattr(listen.sound.cluster, "NO_WORKERS_SECONDS", 3.0)
    settings = settings_for(tmp_path, "workerless", None)
    with LocalDaskCluster(tmp_path / "dask", workers=1) as cluster:
        settings = replace(settings, cluster=cluster.address)
        [only] = cluster.worker_pids().values()

        def kill_the_worker(done: int, total: int) -> None:
            if done >= 3 and cluster.workers[0].poll() is None:
                os.kill(only, signal.SIGKILL)

        with pytest.raises(EngineError, match="has had no workers for 3 s"):
            render(str(PAGES[0]), settings, hooks=RenderHooks(on_takes=kill_the_worker))
    assert not settings.out_dir.exists() or not list(settings.out_dir.glob("*.mp3"))


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    settings = replace(settings_for(tmp_path, "nowhere"), cluster="tcp://127.0.0.1:9")
    with pytest.raises(EngineError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        render(str(PAGES[1]), settings)
    assert not (settings.out_dir / "catalog.sqlite").exists()


def test_a_worker_with_other_voices_refuses_the_take(cluster: LocalDaskCluster,
                                                     tmp_path: Path) -> None:
    from listen.models import VoiceProfile
    from listen.sound.cluster import DaskCluster
    from listen.sound.executor import TakeJob
    from listen.sound.finish import TakeFinisher

    job = TakeJob("Hello there.", 350, VoiceProfile("e", "pyttsx3", voice="gmw/en-us"),
                  TakeFinisher(-19.0, -1.0), "pyttsx3 0.0; espeak-ng 0.1 (elsewhere)", "k" * 64)
    with DaskCluster(cluster.address) as executor, pytest.raises(EngineError,
                                                                 match="same listen"):
        executor.make([job], lambda _job, _take: None)


def test_doctor_finds_every_worker_matching(cluster: LocalDaskCluster) -> None:
    from typer.testing import CliRunner

    from listen.cli import app

    result = CliRunner().invoke(app, ["doctor", "--cluster", cluster.address,
                                      "--voice", ESPEAK])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "2 worker(s)" in result.stdout and "every worker matches" in result.stdout


@needs.needs(ctypes.util.find_library("espeak-ng") is not None,
             "needs a system libespeak-ng besides the bundled one: apt-get install espeak-ng")
def test_doctor_and_the_render_refuse_a_worker_with_another_espeak(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from listen.cli import app

    other = {1: {"LISTEN_ESPEAK": "system"}}  # the distribution's espeak-ng, not the wheel's
    with LocalDaskCluster(tmp_path / "dask", workers=2, worker_env=other) as cluster:
        result = CliRunner().invoke(app, ["doctor", "--cluster", cluster.address,
                                          "--voice", ESPEAK])
        assert result.exit_code == 1
        assert "1 of 2 workers differ" in result.stderr
        assert "pyttsx3:" in result.stdout and "(system" in result.stdout


def test_word_times_come_back_from_the_workers(tmp_path: Path) -> None:
    """The tone engine times every word: a cluster render's VTT carries the same
    inline word timestamps as a render here."""
    voice = tmp_path / "tone.toml"
    voice.write_text('engine = "tone"\nrate = 4.0\n', encoding="utf-8")
    vtts = []
    with LocalDaskCluster(tmp_path / "dask", workers=1) as cluster:
        for name, address in (("here", None), ("cluster", cluster.address)):
            settings = replace(settings_for(tmp_path, name, address), voice=str(voice))
            result = render(str(PAGES[1]), settings)
            vtts.append(result.mp3.with_suffix(".vtt").read_text(encoding="utf-8"))
    here, there = vtts
    assert there.count("<00:") > 100, "words timed"
    assert there == here


def test_a_voice_per_part_renders_on_the_cluster_as_here(
    cluster: LocalDaskCluster, tmp_path: Path
) -> None:
    """Quotes in a second voice: each worker loads both voices and keeps them, and the
    episode equals the local render's, byte for byte."""
    article = ROOT / "tests" / "fixtures" / "two-voices.html"
    parts = {"quote": "espeak-en-gb", "heading": "espeak-en-gb"}
    here = replace(settings_for(tmp_path, "here"), parts=parts)
    there = replace(settings_for(tmp_path, "there", cluster.address), parts=parts)
    render(str(article), here)
    render(str(article), there)
    local, remote = published_files(here.out_dir), published_files(there.out_dir)
    assert sorted(remote) == sorted(local)
    for name, data in remote.items():  # an undated article is dated by its render: the
        if name.endswith((".mp3", ".vtt", ".chapters.json")):  # feed and tag differ
            assert _audio(data) == _audio(local[name]), f"{name} differs from the local render"
    plain = render(str(article), settings_for(tmp_path, "plain"))
    assert _audio(plain.mp3.read_bytes()) != _audio(
        next(here.out_dir.glob("*.mp3")).read_bytes()), "the quotes were in another voice"


def _audio(data: bytes) -> bytes:
    """An MP3's frames without its ID3v2 tag (whose size is in its header)."""
    if not data.startswith(b"ID3"):
        return data
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    return data[10 + size:]
