"""Renders that overlap, die or are interrupted (issue 6), through the real CLI.

Every render here is ``python -m listen render`` in its own process, with the "tone"
reference engine (instant and deterministic) and a take cache in tmp:

* two renders of two articles started at the same moment into one folder both land;
* a render SIGKILLed at several points (speaking, writing the MP3, after the MP3,
  publishing) never harms what the folder already held, never leaves a half-written
  file under a final name, and the next render cleans up after it;
* Ctrl-C (SIGINT to the render, or to its whole process group as a terminal sends
  it, workers included) ends with exit code 130 and one ``Error:`` line.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from mutagen.mp3 import MP3

from catalogcheck import catalog_guids
from listen.publish.feed import FEED_NAME, NAMESPACES
from listen.publish.folder import folder_lock
from listen.sound.audio import decode_mp3

HARBOUR = Path(__file__).parent / "pages" / "harbour-ferry.html"
HARBOUR_TITLE = "Harbour ferry returns after storm repairs"
LONG_TITLE = "The longest night train"
LONG_SLUG = "the-longest-night-train"
BASE_URL = "https://cdn.example.org/audio/"
TONE = 'engine = "tone"\nlanguage = "en"\nrate = 4.0\n'

CYCLE_LANES = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Council approves cycle lanes on the harbour road | The Bayside Courier</title>
<link rel="canonical" href="https://bayside-courier.example/news/cycle-lanes-approved">
<meta property="og:site_name" content="The Bayside Courier">
<meta property="og:title" content="Council approves cycle lanes on the harbour road">
<meta name="author" content="Owen Hartley">
<meta property="article:published_time" content="2026-10-03T17:05:00+01:00">
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article>
<h1>Council approves cycle lanes on the harbour road</h1>
<div class="byline">By Owen Hartley, 3 October 2026</div>
<p>Councillors voted by nine to four on Thursday night to paint protected cycle lanes
along the whole of the harbour road before the end of next spring.</p>
<p>The lanes will run from the ferry terminal to the old lifeboat station, and the
parking bays on the sea side of the road will move to the station car park.</p>
<h2>Shops are divided</h2>
<p>Several shopkeepers told the meeting that deliveries would suffer, while the
owner of the bicycle hire kiosk said the new lanes were overdue.</p>
<p>Work is due to begin in February, once the storm repairs to the pier are finished.</p>
</article></main>
<footer><p>© 2026 The Bayside Courier.</p></footer>
</body>
</html>
"""


def long_page(paragraphs: int) -> str:
    """A long article: headed parts of four distinct sentences a paragraph."""
    rng = random.Random(paragraphs)
    who = ["The night train", "A sleeper carriage", "The conductor", "Every passenger",
           "The dining car", "A signal box", "The station master", "A freight crew"]
    did = ["crossed", "waited beside", "rolled past", "followed", "reached", "passed under"]
    what = ["the frozen river", "a sleeping village", "the mountain pass", "the border post",
            "an empty platform", "the old viaduct", "a row of poplars", "the salt marsh"]
    when = ["before dawn", "in heavy snow", "just after midnight", "without a sound",
            "as the fog lifted", "under a full moon"]
    body = []
    for p in range(paragraphs):
        if p % 10 == 0:
            body.append(f"<h2>Part {p // 10 + 1} of the journey</h2>")
        sentences = [f"{rng.choice(who)} {rng.choice(did)} {rng.choice(what)} "
                     f"{rng.choice(when)} at mile {p * 4 + s}." for s in range(4)]
        body.append("<p>" + " ".join(sentences) + "</p>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{LONG_TITLE} | Rail Weekly</title>"
        '<meta property="og:site_name" content="Rail Weekly">'
        '<link rel="canonical" href="https://rail-weekly.example/longest-night-train">'
        f"</head><body><main><article><h1>{LONG_TITLE}</h1>"
        '<div class="byline">By Ana Lind</div>' + "\n".join(body)
        + "</article></main></body></html>"
    )


# --- running listen --------------------------------------------------------------------

@pytest.fixture
def work(tmp_path: Path) -> Path:
    """tmp with a tone voice profile, the two short pages and a long one."""
    (tmp_path / "tone.toml").write_text(TONE)
    (tmp_path / "cycle-lanes.html").write_text(CYCLE_LANES, encoding="utf-8")
    (tmp_path / "long.html").write_text(long_page(40), encoding="utf-8")
    return tmp_path


def start(work: Path, source: Path | str, *extra: str, out: str = "out", cache: str = "cache",
          jobs: int = 1) -> subprocess.Popen[str]:
    """``listen render`` in a new process (and session, so a test can signal its group)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTEN_")}
    command = [sys.executable, "-m", "listen", "render", str(source), "--out", str(work / out),
               "--cache", str(work / cache), "--voice", str(work / "tone.toml"),
               "--base-url", BASE_URL, "--jobs", str(jobs), "--quiet", *extra]
    return subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_as_from_a_terminal)


def _as_from_a_terminal() -> None:
    """Ctrl-C handled as in a terminal, even when these tests run in a background job
    (a shell starts those with SIGINT ignored, and a child inherits that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def finish(process: subprocess.Popen[str], timeout: float = 180) -> tuple[int, str, str]:
    with process:
        stdout, stderr = process.communicate(timeout=timeout)
    return process.returncode, stdout, stderr


def render(work: Path, source: Path | str, *extra: str, cache: str = "cache") -> Path:
    code, stdout, stderr = finish(start(work, source, *extra, cache=cache))
    assert code == 0, stderr
    return Path(stdout.strip())


# --- what a folder must look like, whatever happened to it ------------------------------

def feed_items(out: Path) -> dict[str, tuple[str, str, int]]:
    """guid → (title, file name, enclosure length) of feed.xml, which must parse cleanly."""
    data = (out / FEED_NAME).read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    root = etree.fromstring(data)
    items = {}
    for item in root.xpath("//item", namespaces=NAMESPACES):
        enclosure = item.find("enclosure")
        name = enclosure.get("url").removeprefix(BASE_URL)
        items[item.findtext("guid")] = (item.findtext("title"), name,
                                        int(enclosure.get("length")))
    assert len(items) == len(parsed.entries), "a guid appears twice in the feed"
    return items


def check_folder(out: Path) -> tuple[dict[str, tuple[str, str, int]], set[str]]:
    """Feed and catalog agree, every enclosure is its file at its exact size, and no file
    under a final name is half-written. Returns the feed's items and the guids the feed
    holds beyond the catalog (at most the one a killed publish was committing)."""
    items = feed_items(out)
    in_catalog = catalog_guids(out)
    assert in_catalog <= set(items), "a catalog item is missing from the feed"
    for _title, name, length in items.values():
        assert (out / name).stat().st_size == length, f"{name}: enclosure length is stale"
    for mp3 in out.glob("*.mp3"):
        samples, rate = decode_mp3(mp3)
        assert abs(len(samples) / rate - MP3(mp3).info.length) < 0.5, f"{mp3.name} is cut short"
    for vtt in out.glob("*.vtt"):
        assert vtt.read_text(encoding="utf-8").startswith("WEBVTT"), vtt.name
    for chapters in out.glob("*.chapters.json"):
        assert json.loads(chapters.read_text(encoding="utf-8"))["chapters"], chapters.name
    return items, set(items) - in_catalog


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- two renders at once -----------------------------------------------------------------

def test_two_renders_started_at_once_into_one_folder_both_land(work: Path) -> None:
    out = work / "out"
    processes = [start(work, HARBOUR), start(work, work / "cycle-lanes.html")]
    results = [finish(process) for process in processes]
    for code, _stdout, stderr in results:
        assert code == 0, stderr
    mp3s = {Path(stdout.strip()) for _code, stdout, _stderr in results}
    assert len(mp3s) == 2

    items, extra = check_folder(out)
    assert extra == set()
    assert catalog_guids(out) == set(items)
    assert {title for title, _name, _length in items.values()} == {
        HARBOUR_TITLE, "Council approves cycle lanes on the harbour road"}
    assert {out / name for _title, name, _length in items.values()} == mp3s


def blocked_on_the_lock(pids: set[int]) -> int:
    """How many of ``pids`` wait for a flock (Linux /proc/locks: a waiter's line has ->)."""
    waiting = 0
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields and int(fields[fields.index("->") + 4]) in pids:
            waiting += 1
    return waiting


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")
def test_two_articles_with_one_title_rendered_at_once_keep_their_own_audio(work: Path) -> None:
    # Same title, different article (another canonical URL and first paragraph). The
    # test holds the folder's lock, so both renders finish their files and then queue
    # to publish: the moment at which they would race, made certain.
    out = work / "out"
    twin = HARBOUR.read_text(encoding="utf-8").replace(
        "news/harbour-ferry-returns", "news/harbour-ferry-returns-island-edition").replace(
        "The blue ferry that links the old town", "The red ferry that serves the north shore")
    (work / "twin.html").write_text(twin, encoding="utf-8")
    with folder_lock(out):
        processes = [start(work, HARBOUR), start(work, work / "twin.html")]
        deadline = time.monotonic() + 120
        while blocked_on_the_lock({p.pid for p in processes}) < 2:
            assert time.monotonic() < deadline, "the renders never reached publishing"
            assert all(p.poll() is None for p in processes), "a render ended early"
            time.sleep(0.05)
    results = [finish(process) for process in processes]
    for code, _stdout, stderr in results:
        assert code == 0, stderr
    items, _extra = check_folder(out)
    names = [name for _title, name, _length in items.values()]
    assert len(items) == 2
    assert len(set(names)) == 2, f"both items play one file: {names}"


# --- SIGKILL -----------------------------------------------------------------------------

KillPoint = Callable[[Path, float], bool]
"""(output folder, when this render started) → True once the render is there."""


def speaking(out: Path, started: float) -> bool:
    """Five takes of the long page are in its own cache: synthesis is under way."""
    return sum(1 for _ in (out.parent / "long-cache").rglob("*.take")) >= 5


def writing_the_mp3(out: Path, started: float) -> bool:
    return any(out.glob(f".{LONG_SLUG}.mp3.*.tmp"))


def _newer(path: Path, started: float) -> bool:
    try:
        return path.stat().st_mtime >= started
    except FileNotFoundError:
        return False


def after_the_mp3(out: Path, started: float) -> bool:
    return _newer(out / f"{LONG_SLUG}.mp3", started)


def publishing(out: Path, started: float) -> bool:
    return _newer(out / f"{LONG_SLUG}.chapters.json", started) or any(
        out.glob(f".{FEED_NAME}.*.tmp"))


def kill_at(work: Path, point: KillPoint) -> str:
    """Render the long page into ``work/out``; SIGKILL it once ``point`` holds.
    Returns what happened: ``killed``, or ``finished`` when it ended first."""
    out = work / "out"
    started = time.time() - 1  # mtime granularity
    process = start(work, work / "long.html", "--force", cache="long-cache")
    deadline = time.monotonic() + 120
    while process.poll() is None and not point(out, started):
        assert time.monotonic() < deadline, "the render never got there"
        time.sleep(0.001)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    code, _stdout, stderr = finish(process, timeout=60)
    if code == -signal.SIGKILL:
        return "killed"
    assert code == 0, stderr
    return "finished"


def test_sigkill_mid_render_leaves_the_earlier_edition_intact(work: Path) -> None:
    out = work / "out"
    earlier = render(work, HARBOUR)
    (earlier_guid,) = feed_items(out)
    earlier_hash, earlier_size = sha256(earlier), earlier.stat().st_size

    outcomes = {}
    for point in (speaking, writing_the_mp3, after_the_mp3, publishing):
        outcomes[point.__name__] = kill_at(work, point)
        items, extra = check_folder(out)
        assert items[earlier_guid] == (HARBOUR_TITLE, earlier.name, earlier_size)
        assert sha256(earlier) == earlier_hash, "the earlier MP3 changed"
        assert len(extra) <= 1, "only the episode being published may run ahead of the catalog"
        decode_mp3(earlier)
    print("kill outcomes:", outcomes)
    assert outcomes["speaking"] == "killed", outcomes

    # A killed publish may leave its feed temp file; the next publish sweeps it once it is
    # a minute old. Make sure there is one, and age every one of them.
    (out / f".{FEED_NAME}.killed01.tmp").write_bytes(b"<?xml version='1.0'?><rss")
    hour_ago = time.time() - 3600
    for temp in out.glob(f".{FEED_NAME}.*.tmp"):
        os.utime(temp, (hour_ago, hour_ago))

    later = render(work, work / "long.html", "--force", cache="long-cache")
    assert later == out / f"{LONG_SLUG}.mp3"
    items, extra = check_folder(out)
    assert extra == set() and catalog_guids(out) == set(items)
    assert {title for title, _name, _length in items.values()} == {HARBOUR_TITLE, LONG_TITLE}
    assert sha256(earlier) == earlier_hash
    assert not list(out.glob(f".{FEED_NAME}.*.tmp")), "stale feed temp files were not swept"


def test_the_next_render_sweeps_a_killed_renders_stale_temp_files(work: Path) -> None:
    # What a render SIGKILLed while writing leaves (the names atomic_writer gives).
    out = work / "out"
    out.mkdir()
    stale = [out / f".{LONG_SLUG}.mp3.k1ll3d.tmp", out / f".{LONG_SLUG}.vtt.k1ll3d.tmp",
             out / ".cover.jpg.k1ll3d.tmp"]
    hour_ago = time.time() - 3600
    for temp in stale:
        temp.write_bytes(b"\xff\xfb" * 1000)
        os.utime(temp, (hour_ago, hour_ago))
    render(work, HARBOUR)
    assert [t.name for t in stale if t.exists()] == []


# --- Ctrl-C ------------------------------------------------------------------------------

def running_in_group(pgid: int) -> list[int]:
    """The processes of group ``pgid`` still running. A zombie is not one: it has ended
    and waits for its parent, or, once that has gone, for PID 1, to collect its exit
    status (measured here: about 2 s after the render; in a container whose PID 1
    never collects, forever): counting them would make this test depend on PID 1.
    (What did make it fail at random, under load: a Ctrl-C landing the instant the take
    cache had created a temporary file, before its name was known to clean it up; see
    ``test_ctrl_c_while_a_take_is_kept_leaves_no_file_behind``.)"""
    if not Path("/proc").is_dir():  # no /proc to tell zombies apart: any process counts
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        state, group = fields[0], int(fields[2])
        if group == pgid and state not in ("Z", "X"):
            running.append(int(stat.parent.name))
    return running


@pytest.mark.parametrize(("jobs", "to_group"), [
    pytest.param(1, False, id="SIGINT to the render"),
    pytest.param(2, True, id="Ctrl-C to the process group, worker pool"),
])
def test_ctrl_c_is_exit_130_one_error_line_and_no_half_written_file(
    work: Path, jobs: int, to_group: bool,
) -> None:
    out = work / "out"
    render(work, HARBOUR)  # an earlier edition, which must come through untouched
    before = {path.name: sha256(path) for path in out.iterdir() if path.is_file()}
    process = start(work, work / "long.html", cache="long-cache", jobs=jobs)
    deadline = time.monotonic() + 120
    while not speaking(out, 0):
        assert process.poll() is None, "the render ended before it was interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    if to_group:
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    else:
        os.kill(process.pid, signal.SIGINT)
    code, stdout, stderr = finish(process, timeout=60)

    assert code == 130, stderr
    assert "Traceback" not in stdout + stderr
    assert stdout == ""
    assert stderr.startswith("Error: ") and stderr.count("\n") == 1, stderr
    assert "interrupted" in stderr and "run the command again" in stderr
    after = {path.name: sha256(path) for path in out.iterdir() if path.is_file()}
    assert after == before, "the interrupted render changed the output folder"
    assert not [p for p in work.rglob("*.tmp")], "temporary files were left"
    check_folder(out)
    # Forkserver and workers end with the render: measured 0.2-0.5 s on two busy cores
    # (load 8); 30 s is for a machine far busier than that.
    deadline = time.monotonic() + 30
    while running_in_group(process.pid):
        assert time.monotonic() < deadline, "a speech worker outlived the interrupted render"
        time.sleep(0.1)
