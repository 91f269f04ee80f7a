"""What `listen render` makes of the publisher's settings and of a user's lists:
the album tag, the show's name, a local show cover, a voice for another language,
and comments in a --from-file list."""

from __future__ import annotations

import io
import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from mutagen.id3 import ID3
from PIL import Image
from typer.testing import CliRunner

from listen.cli import app
from localweb import serve_page

PAGES = Path(__file__).parent / "pages"
FERRY = PAGES / "harbour-ferry.html"
WEIR = PAGES / "weir-lead-image.html"
BASE_URL = "https://cdn.bayside.example/audio/"
ITUNES = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
runner = CliRunner()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "tone.toml").write_text('engine = "tone"\nrate = 4.0\n', encoding="utf-8")
    return tmp_path


def render(work: Path, *args: str, config: str = "") -> tuple[int, str, str]:
    """``listen render …`` into work/out with the tone voice: exit code, stdout, stderr."""
    if config:
        (work / "listen.toml").write_text(config, encoding="utf-8")
        args = (*args, "--config", str(work / "listen.toml"))
    result = runner.invoke(app, ["render", *args, "--out", str(work / "out"), "--cache",
                                 str(work / "cache"), "--voice", str(work / "tone.toml")])
    return result.exit_code, result.stdout, result.stderr


def feed(work: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((work / "out" / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def show_image(work: Path) -> str:
    tree = etree.fromstring((work / "out" / "feed.xml").read_bytes())
    return str(tree.find("channel/itunes:image", namespaces=ITUNES).get("href"))


# --- the album tag and the show's name -----------------------------------------------

def test_the_album_tag_is_the_show_title_like_the_feed(work: Path) -> None:
    code, mp3, stderr = render(work, str(FERRY), config='[show]\ntitle = "Bayside Audio"\n')
    assert code == 0, stderr
    assert ID3(mp3.strip())["TALB"].text == ["Bayside Audio"]
    assert feed(work).feed.title == "Bayside Audio"


def test_without_a_show_title_the_album_is_the_site_name(work: Path) -> None:
    code, mp3, stderr = render(work, str(FERRY))
    assert code == 0, stderr
    assert ID3(mp3.strip())["TALB"].text == ["The Bayside Courier"]
    assert feed(work).feed.title == "The Bayside Courier"


def test_a_page_with_no_site_name_is_published_under_its_host_name(work: Path) -> None:
    with serve_page(WEIR, "/river/weir.html") as site:
        code, mp3, stderr = render(work, f"{site.url}/river/weir.html", "--no-fetch-images")
    assert code == 0, stderr
    assert feed(work).feed.title == "127.0.0.1"
    assert ID3(mp3.strip())["TALB"].text == ["127.0.0.1"]
    assert 'feed title defaults to the host name "127.0.0.1"' in stderr
    assert "set [show] title" in stderr


# --- the publisher's own show cover, a local file ------------------------------------

def _image(path: Path, size: tuple[int, int], kind: str = "PNG",
           colour: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


SHOW = f'[show]\ntitle = "Bayside Audio"\nbase_url = "{BASE_URL}"\nimage = "art/show.png"\n'


def test_a_local_show_image_is_copied_and_served_from_base_url(work: Path) -> None:
    data = _image(work / "art" / "show.png", (1400, 1400))
    code, _, stderr = render(work, str(FERRY), config=SHOW)
    assert code == 0, stderr
    assert (work / "out" / "show.png").read_bytes() == data
    assert show_image(work) == BASE_URL + "show.png"
    assert f"the show image {work / 'art' / 'show.png'} was copied to" in stderr
    code, _, stderr = render(work, str(FERRY), "--force", config=SHOW)
    assert code == 0 and "copied" not in stderr, "said once, not on every render"


def test_a_new_show_image_in_the_same_file_is_published_without_force(work: Path) -> None:
    _image(work / "art" / "show.png", (1400, 1400))
    assert render(work, str(FERRY), config=SHOW)[0] == 0
    data = _image(work / "art" / "show.png", (1400, 1400), colour=(200, 160, 20))
    code, _, stderr = render(work, str(FERRY), config=SHOW)
    assert code == 0 and "unchanged" not in stderr
    assert (work / "out" / "show.png").read_bytes() == data


def test_a_show_image_apple_would_refuse_for_its_size_is_warned_about(work: Path) -> None:
    _image(work / "art" / "show.png", (600, 400))
    code, _, stderr = render(work, str(FERRY), config=SHOW)
    assert code == 0, stderr
    assert "show.png is 600x400 pixels: Apple Podcasts wants a square of 1400 to 3000" in stderr


def test_a_show_image_that_is_no_jpeg_or_png_stops_before_speaking(work: Path) -> None:
    _image(work / "art" / "show.png", (1400, 1400), kind="GIF")
    code, _, stderr = render(work, str(FERRY), config=SHOW)
    assert code == 1
    assert "show.png is a GIF picture: podcast directories take JPEG or PNG" in stderr
    assert not list((work / "out").glob("*.mp3"))


def test_feed_rebuild_serves_a_local_show_image_too(work: Path) -> None:
    assert render(work, str(FERRY))[0] == 0
    data = _image(work / "art" / "show.png", (1600, 1600))
    (work / "listen.toml").write_text(SHOW, encoding="utf-8")
    result = runner.invoke(app, ["feed", "rebuild", "--out", str(work / "out"),
                                 "--config", str(work / "listen.toml")])
    assert result.exit_code == 0, result.stderr
    assert show_image(work) == BASE_URL + "show.png"
    assert (work / "out" / "show.png").read_bytes() == data


def test_a_bad_base_url_option_is_one_line_naming_the_option(work: Path) -> None:
    result = runner.invoke(app, ["render", str(FERRY), "--base-url", "cdn.example/audio",
                                 "--out", str(work / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --base-url 'cdn.example/audio' does not start "
                                    'with https:// (or http://): write the full address, '
                                    'like "https://cdn.example/audio"')
    assert not (work / "out").exists()


# --- a voice chosen for another language ---------------------------------------------

def test_an_english_voice_in_listen_toml_on_a_french_article_is_warned_about(
    tmp_path: Path,
) -> None:
    """The case as a publisher meets it: the real espeak-ng voice, set in listen.toml."""
    (tmp_path / "listen.toml").write_text('[render]\nvoice = "espeak-en-us"\n',
                                          encoding="utf-8")
    result = runner.invoke(app, ["render", str(PAGES / "french-bakery.html"), "--config",
                                 str(tmp_path / "listen.toml"), "--out", str(tmp_path / "out"),
                                 "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "voice" in line)
    assert warning.startswith("Warning: the voice 'espeak-en-us' speaks English, but the "
                              "article is in French (fr)")
    assert "leave voice unset" in warning and "the default for French is 'espeak-fr'" in warning


def test_a_voice_that_fits_gets_no_voice_warning(work: Path) -> None:
    code, _, stderr = render(work, str(FERRY))  # tone.toml: English, as the page
    assert code == 0 and "Warning:" in stderr and "speaks" not in stderr


def test_a_tone_voice_on_a_french_article_is_warned_about_in_json_too(work: Path) -> None:
    code, stdout, _ = render(work, str(PAGES / "french-bakery.html"), "--json")
    report = json.loads(stdout)
    assert code == 0
    assert any("speaks English" in w and "French (fr)" in w for w in report["warnings"])


# --- --from-file lists ---------------------------------------------------------------

def test_from_file_leaves_out_comments_after_a_source(work: Path) -> None:
    with serve_page(WEIR, "/weir.html") as site:
        (work / "sources.txt").write_text(
            "# the week's stories\n"
            f"{FERRY}   # the ferry story\n"
            f"{site.url}/weir.html#top\t# a fragment is part of the address\n"
            "   # an indented comment\n", encoding="utf-8")
        code, stdout, stderr = render(work, "--from-file", str(work / "sources.txt"), "--json",
                                      "--no-fetch-images")
    assert code == 0, stderr
    reports = [json.loads(line) for line in stdout.splitlines()]
    assert [r["source"] for r in reports] == [str(FERRY), f"{site.url}/weir.html#top"]
    assert site.requests == ["/weir.html"], "the fragment stays in the address, not the path"
    assert all(r["status"] == "rendered" for r in reports)
