"""The command line end to end, with the real espeak-ng voice, real MP3 and real feed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from typer.testing import CliRunner

from listen.cli import app
from listen.sound.audio import decode_mp3

PAGE = Path(__file__).parent / "pages" / "harbour-ferry.html"
TITLE = "Harbour ferry returns after storm repairs"
BASE_URL = "https://cdn.bayside-courier.example/audio/"
ITUNES = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
runner = CliRunner()


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    out = tmp_path_factory.mktemp("out")
    cache = tmp_path_factory.mktemp("cache")
    code, stdout, stderr = run("render", str(PAGE), "--out", str(out), "--cache", str(cache),
                               "--voice", "espeak-en-gb",
                               "--base-url", BASE_URL)
    assert code == 0, stderr
    return out, stdout, stderr


def test_render_prints_the_mp3_path(rendered: tuple[Path, str, str]) -> None:
    out, stdout, _ = rendered
    assert stdout.strip() == str(out / "harbour-ferry-returns-after-storm-repairs.mp3")


def test_mp3_decodes_fully_and_carries_the_title(rendered: tuple[Path, str, str]) -> None:
    out, stdout, _ = rendered
    mp3 = Path(stdout.strip())
    assert ID3(mp3)["TIT2"].text == [TITLE]
    samples, rate = decode_mp3(mp3)
    decoded = len(samples) / rate
    assert decoded > 20, "six short paragraphs and an intro take well over 20 s to speak"
    assert abs(MP3(mp3).info.length - decoded) < 0.5


def test_feed_item_points_at_the_file_with_its_exact_size(
    rendered: tuple[Path, str, str],
) -> None:
    out, stdout, _ = rendered
    mp3 = Path(stdout.strip())
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.title == TITLE
    (enclosure,) = entry.enclosures
    assert int(enclosure.length) == mp3.stat().st_size
    assert enclosure.href == BASE_URL + mp3.name
    assert enclosure.type == "audio/mpeg"


def test_sidecars_are_written(rendered: tuple[Path, str, str]) -> None:
    out, stdout, _ = rendered
    stem = Path(stdout.strip()).stem
    assert (out / f"{stem}.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    chapters = json.loads((out / f"{stem}.chapters.json").read_text(encoding="utf-8"))
    assert [c["title"] for c in chapters["chapters"]] == [TITLE, "Timetable changes"]


def test_unchanged_article_is_skipped_and_stays_one_item(
    rendered: tuple[Path, str, str],
) -> None:
    out, stdout, _ = rendered
    before = Path(stdout.strip()).stat().st_mtime_ns
    code, again, _ = run("render", str(PAGE), "--out", str(out), "--voice", "espeak-en-gb",
                         "--base-url", BASE_URL, "--no-cache", "--json")
    assert code == 0
    assert json.loads(again)["status"] == "unchanged"
    assert Path(stdout.strip()).stat().st_mtime_ns == before
    assert len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 1


def test_a_new_base_url_is_not_skipped_as_unchanged(rendered: tuple[Path, str, str]) -> None:
    out, _, _ = rendered
    code, again, _ = run("render", str(PAGE), "--out", str(out), "--voice", "espeak-en-gb",
                         "--base-url", "https://media.example/", "--json")
    assert code == 0 and json.loads(again)["status"] == "rendered"
    (entry,) = feedparser.parse((out / "feed.xml").read_bytes()).entries
    assert entry.enclosures[0].href.startswith("https://media.example/")
    run("render", str(PAGE), "--out", str(out), "--voice", "espeak-en-gb", "--base-url",
        BASE_URL, "--json")


def test_warnings_name_what_to_set_in_listen_toml(rendered: tuple[Path, str, str]) -> None:
    _, _, stderr = rendered
    assert "Warning:" in stderr
    assert "[show] title" in stderr


def test_script_json_has_the_article_and_what_was_dropped() -> None:
    code, stdout, _ = run("script", str(PAGE), "--format", "json")
    assert code == 0
    script = json.loads(stdout)
    assert script["title"] == TITLE
    assert script["byline"] == "Priya Castell"
    assert script["site"] == "The Bayside Courier"
    assert script["language"] == "en-GB"
    assert script["date"].startswith("2026-10-02")
    kinds = [s["kind"] for s in script["segments"]]
    assert kinds[0] == "title" and "heading" in kinds and "paragraph" in kinds
    assert {"text", "reason"} <= set(script["dropped"][0])


def test_script_text_reads_the_body_and_nothing_else() -> None:
    code, stdout, _ = run("script", str(PAGE))
    assert code == 0
    order = ["blue ferry", "rudder and two propeller", "Timetable changes",
             "every forty minutes", "counted the days"]
    positions = [stdout.find(text) for text in order]
    assert -1 not in positions and positions == sorted(positions), positions
    for junk in ("Listen to the article", "Read more", "Pier fund", "Share on", "[1]",
                 "repair bill", "newsletter", "Dockside Beans", "Advertisement",
                 "All rights reserved"):
        assert junk not in stdout, junk


def test_script_text_format_is_the_article_without_intro_or_closing_line() -> None:
    code, narration, _ = run("script", str(PAGE))
    assert code == 0
    code, text, _ = run("script", str(PAGE), "--format", "text")
    assert code == 0
    said = narration.strip().split("\n\n")
    assert said[0].startswith(TITLE) and "Published by The Bayside Courier" in said[0]
    assert said[-1].startswith("You've been listening to")
    # The article's own text: its <h1> (which the intro says instead), then the body.
    assert text.strip().split("\n\n") == [TITLE, *said[1:-1]]


def test_script_reads_stdin() -> None:
    code, stdout, _ = run("script", "-", input=PAGE.read_bytes())
    assert code == 0
    assert "blue ferry" in stdout


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    png = tmp / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    empty = tmp / "empty.html"
    empty.write_bytes(b"")
    bare = tmp / "bare.html"
    bare.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    return {
        "missing": ([str(tmp / "nope.html")], "no such file"),
        "png": ([str(png)], "PNG image, not a web page"),
        "empty": ([str(empty)], "empty"),
        "no article": ([str(bare)], "no article text"),
        "unknown voice": ([str(PAGE), "--voice", "nobody"], "nobody"),
    }


@pytest.mark.parametrize("case", ["missing", "png", "empty", "no article", "unknown voice"])
def test_bad_input_is_one_line_exit_1_and_no_file(tmp_path: Path, case: str) -> None:
    args, words = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out"
    code, stdout, stderr = run("render", *args, "--out", str(out), "--no-cache")
    assert code == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert words.lower() in lines[0].lower()
    assert "Traceback" not in stdout + stderr
    assert not out.exists() or not any(out.iterdir())


def test_version_and_python_dash_m() -> None:
    code, stdout, _ = run("--version")
    assert code == 0 and stdout.startswith("listen ")
    result = subprocess.run([sys.executable, "-m", "listen", "--help"], capture_output=True,
                            text=True)
    assert result.returncode == 0
    assert "render" in result.stdout and "script" in result.stdout


def test_voices_lists_profiles_and_the_espeak_library() -> None:
    code, stdout, _ = run("voices")
    assert code == 0
    assert "espeak-en-gb" in stdout and "joe" in stdout
    assert "libespeak-ng" in stdout


def test_doctor_reports_engines_and_output(tmp_path: Path) -> None:
    code, stdout, _ = run("doctor", "--out", str(tmp_path))
    assert code == 0
    assert "engine pyttsx3" in stdout and "espeak-ng" in stdout


def test_script_prints_as_written_and_spoken(sample_article: Path) -> None:
    code, written, _ = run("script", str(sample_article))
    assert code == 0
    assert "2023–2024" in written and "€29" in written
    code, spoken, _ = run("script", str(sample_article), "--spoken")
    assert code == 0
    assert "twenty twenty-three to twenty twenty-four" in spoken
    assert "twenty-nine euros" in spoken
    assert "Doctor Elise Brandt" in spoken


def test_feed_rebuild_applies_a_new_listen_toml(rendered: tuple[Path, str, str],
                                                tmp_path: Path) -> None:
    out, _, _ = rendered
    config = tmp_path / "listen.toml"
    for explicit in ("true", "false"):
        config.write_text(f'[show]\ntitle = "Bayside Audio"\nexplicit = {explicit}\n',
                          encoding="utf-8")
        code, stdout, stderr = run("feed", "rebuild", "--out", str(out), "--config", str(config))
        assert code == 0, stderr
        feed = feedparser.parse((out / "feed.xml").read_bytes())
        assert feed.feed.title == "Bayside Audio"
        assert len(feed.entries) == 1
        tree = etree.fromstring((out / "feed.xml").read_bytes())
        assert tree.findtext("channel/itunes:explicit", namespaces=ITUNES) == explicit


def test_feed_list_and_remove(rendered: tuple[Path, str, str], tmp_path: Path) -> None:
    out, _, _ = rendered
    code, stdout, _ = run("feed", "list", "--out", str(out))
    assert code == 0 and "Harbour" in stdout and re.search(r"\d\.\d min", stdout)
    assert "https://bayside" in stdout and "ferry-returns" in stdout, "the id is cut short"
    code, _, stderr = run("feed", "remove", "https://nowhere.example/x", "--out", str(out))
    assert code == 1 and stderr.startswith("Error: no episode")
