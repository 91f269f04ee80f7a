"""``listen embed``: the publisher's page with the player in it, checked byte by byte.

Each page is rendered for real first (tone engine), then embedded through the CLI.
What the page narrates is read from ``listen script --format json``; which elements
carry marks is read from the written page with lxml.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from listen.cli import app
from playerkit import FIXTURES, PAGES, render_tone, runner

WORDPRESS = FIXTURES / "wordpress.html"
BAKERY = PAGES / "bakery-wordpress.html"
PLAYER = re.compile(r"\n<link rel=\"stylesheet\"[^\n]*\n<section class=\"listen-player\".*?"
                    r"</section>\n<script src=[^\n]*\n", re.DOTALL)
MARK = re.compile(r' data-listen-block="b\d+"')


def embed(*args: str, out_dir: Path | None = None) -> tuple[int, str, str]:
    env = {"LISTEN_OUT": str(out_dir)} if out_dir else {}
    result = runner.invoke(app, ["embed", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def narrated_blocks(page: Path) -> list[str]:
    result = runner.invoke(app, ["script", str(page), "--format", "json"])
    return [seg["text"] for seg in json.loads(result.stdout)["segments"]
            if seg["kind"] not in ("title", "outro")]


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _within(wanted: list[str], page: list[str], extra: int) -> bool:
    """``wanted`` in order in ``page``, which has at most ``extra`` words more (markers)."""
    remaining = iter(page)
    return all(word in remaining for word in wanted) and len(page) - len(wanted) <= extra


@pytest.fixture(scope="module", params=[WORDPRESS, BAKERY], ids=["wordpress", "bakery"])
def embedded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, Path, Path]:  # fmt: skip
    """(the original page, the output folder, the page with the player)."""
    work = tmp_path_factory.mktemp("embed")
    render_tone(request.param, work / "out")
    target = work / "site" / "article.html"
    target.parent.mkdir()
    code, _out, err = embed(str(request.param), "--out", str(target), out_dir=work / "out")
    assert code == 0, err
    return request.param, work / "out", target


def test_only_the_player_and_the_marks_differ(embedded: tuple[Path, Path, Path]) -> None:
    original, _out, target = embedded
    written = target.read_bytes().decode("utf-8")
    assert len(PLAYER.findall(written)) == 1
    assert MARK.sub("", PLAYER.sub("", written)).encode("utf-8") == original.read_bytes()


def test_every_narrated_block_is_marked_and_nothing_else(
    embedded: tuple[Path, Path, Path]
) -> None:
    original, _out, target = embedded
    tree = lxml.html.fromstring(target.read_bytes())
    marked: dict[str, list[str]] = {}
    for element in tree.xpath("//*[@data-listen-block]"):
        marked.setdefault(element.get("data-listen-block"), []).append(element.text_content())
    narrated = narrated_blocks(original)
    assert len(marked) == len(narrated)
    for text, pieces in zip(narrated, marked.values(), strict=True):
        assert _within(words(text), words(" ".join(pieces)), extra=2), text
    everything_marked = " ".join(" ".join(p) for p in marked.values())
    for left_out in ("Advertisement", "Share this", "Related", "Read more", "Footnotes",
                     "Notes", "Interview with the owner", "Budget Summary", "Subscribe"):
        assert left_out not in everything_marked


def test_a_paragraph_an_ad_cut_in_two_is_marked_in_both_halves(
    embedded: tuple[Path, Path, Path]
) -> None:
    _original, _out, target = embedded
    tree = lxml.html.fromstring(target.read_bytes())
    ids = [e.get("data-listen-block") for e in tree.xpath("//p[@data-listen-block]")]
    assert len(ids) == len(set(ids)) + 1, "one block spans two <p>, on each side of an ad"


def test_the_player_goes_after_the_headline_and_finds_its_files(
    embedded: tuple[Path, Path, Path]
) -> None:
    _original, out, target = embedded
    written = target.read_text(encoding="utf-8")
    assert re.search(r"</h1>\n<link rel=\"stylesheet\" href=\"../out/listen-player\.\w+\.css\">",
                     written)
    tree = lxml.html.fromstring(written)
    for url in tree.xpath("//audio/@src | //script/@src | //link[@rel='stylesheet']/@href"):
        if url.startswith("../out/"):
            assert (target.parent / url).is_file(), url
    assert tree.xpath("//audio/@src")[0] == "../out/" + next(out.glob("*.mp3")).name


def test_at_puts_the_player_before_the_chosen_element(tmp_path: Path) -> None:
    render_tone(BAKERY, tmp_path / "out")
    code, stdout, err = embed(str(BAKERY), "--at", ".entry-content", out_dir=tmp_path / "out")
    assert code == 0, err
    assert re.search(r"</section>\n<script src=\"[^\"]+\" defer></script>\n"
                     r"<div class=\"entry-content\">", stdout)


def test_a_page_in_windows_1252_keeps_its_bytes(tmp_path: Path) -> None:
    page = FIXTURES / "cp1252.html"
    render_tone(page, tmp_path / "out")
    target = tmp_path / "embedded.html"
    code, _out, err = embed(str(page), "--out", str(target), out_dir=tmp_path / "out")
    assert code == 0, err
    written = target.read_bytes()
    stripped = MARK.sub("", PLAYER.sub("", written.decode("cp1252"))).encode("cp1252")
    assert stripped == page.read_bytes()
    assert b' data-listen-block="b1"' in written


def test_the_snippet_names_the_files_under_the_base_url(tmp_path: Path) -> None:
    render_tone(BAKERY, tmp_path / "out")
    mp3 = next((tmp_path / "out").glob("*.mp3"))
    code, stdout, err = embed("--snippet", str(mp3), "--base-url", "https://cdn.example/audio")
    assert code == 0, err
    tree = lxml.html.fragment_fromstring(stdout, create_parent="div")
    assert tree.xpath("//audio/@src") == [f"https://cdn.example/audio/{mp3.name}"]
    script = tree.xpath("//script/@src")[0]
    assert re.fullmatch(r"https://cdn\.example/audio/listen-player\.[0-9a-f]{10}\.js", script)
    assert "data-listen-block" not in stdout
    assert len(stdout.splitlines()) <= 8, "a few lines to paste"


def test_the_snippet_without_a_base_url_warns(tmp_path: Path) -> None:
    render_tone(BAKERY, tmp_path / "out")
    result = runner.invoke(app, ["embed", "--snippet", "https://riverside-post.example/2026/09/"
                                 "bakery-ovens/"], env={"LISTEN_OUT": str(tmp_path / "out")})
    assert result.exit_code == 0, result.stderr
    assert "set [show] base_url" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    ([], "no article given"),
    ([str(BAKERY), "--snippet", "x"], "not both"),
    ([str(BAKERY), "--episode", "https://nowhere.example/"], "no episode"),
    ([str(BAKERY), "--episode", "gone.mp3"], "no such MP3"),
    ([str(BAKERY), "--at", "div[["], "not a CSS selector"),
    ([str(BAKERY), "--at", "#nothing-here"], "matches nothing"),
])
def test_mistakes_get_one_line_that_says_what_to_do(
    tmp_path: Path, args: list[str], message: str
) -> None:
    render_tone(BAKERY, tmp_path / "out")
    code, _out, err = embed(*args, out_dir=tmp_path / "out")
    assert code == 1
    assert err.startswith("Error: ") and message in err and "Traceback" not in err


def test_a_page_with_a_player_already_is_refused(tmp_path: Path) -> None:
    render_tone(BAKERY, tmp_path / "out")
    once = tmp_path / "once.html"
    assert embed(str(BAKERY), "--out", str(once), out_dir=tmp_path / "out")[0] == 0
    code, _out, err = embed(str(once), "--episode", str(next((tmp_path / "out").glob("*.mp3"))))
    assert code == 1 and "already carries a listen player" in err


def test_an_article_not_rendered_yet_is_named(tmp_path: Path) -> None:
    code, _out, err = embed(str(BAKERY), out_dir=tmp_path / "empty")
    assert code == 1 and "render the article first" in err
