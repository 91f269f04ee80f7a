"""`listen feed list` and `listen feed remove` take what a user has at hand."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from listen.cli import app

PAGES = Path(__file__).parent / "pages"
FERRY = PAGES / "harbour-ferry.html"
FERRY_URL = "https://bayside-courier.example/news/harbour-ferry-returns"
FERRY_MP3 = "harbour-ferry-returns-after-storm-repairs.mp3"
WEIR = PAGES / "weir-lead-image.html"
WEIR_MP3 = "the-weir-at-millbrook-is-rebuilt.mp3"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with two episodes: one with a canonical URL, one from a file."""
    work = tmp_path_factory.mktemp("feed")
    (work / "tone.toml").write_text('engine = "tone"\nrate = 4.0\n', encoding="utf-8")
    code, _, stderr = run("render", str(FERRY), str(WEIR), "--out", str(work / "out"),
                          "--voice", str(work / "tone.toml"), "--cache", str(work / "cache"))
    assert code == 0, stderr
    return work / "out"


@pytest.fixture
def out(rendered: Path, tmp_path: Path) -> Path:
    """A copy of the rendered folder, for a test to remove from."""
    return Path(shutil.copytree(rendered, tmp_path / "out"))


def titles(out: Path) -> list[str]:
    return [entry.title for entry in feedparser.parse((out / "feed.xml").read_bytes()).entries]


@pytest.mark.parametrize(
    ("reference", "gone"),
    [
        (FERRY_URL, FERRY_MP3),                       # the id
        (FERRY_URL + "/", FERRY_MP3),                 # the URL with a final slash
        ("{out}/" + FERRY_MP3, FERRY_MP3),            # the MP3's path
        (FERRY_MP3, FERRY_MP3),                       # the MP3's file name
        (FERRY_MP3.removesuffix(".mp3"), FERRY_MP3),  # the slug
        ("{out}/" + WEIR_MP3.replace(".mp3", ".vtt"), WEIR_MP3),  # another of its files
        (str(WEIR), WEIR_MP3),                        # the source file's path
        (WEIR.as_uri(), WEIR_MP3),                    # its id
    ],
)
def test_remove_takes_what_a_user_has_and_says_what_it_removed(
    out: Path, reference: str, gone: str
) -> None:
    code, stdout, stderr = run("feed", "remove", reference.replace("{out}", str(out)),
                               "--out", str(out))
    assert code == 0, stderr
    title = ("Harbour ferry returns after storm repairs" if gone == FERRY_MP3
             else "The weir at Millbrook is rebuilt")
    assert stdout.startswith(f'removed "{title}" ({gone}, id ')
    assert titles(out) == [t for t in titles_before() if t != title]
    assert (out / gone).is_file(), "its files stay"


def titles_before() -> list[str]:
    return ["The weir at Millbrook is rebuilt", "Harbour ferry returns after storm repairs"]


def test_remove_a_relative_mp3_path_from_the_folder_above(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(out.parent)
    code, stdout, stderr = run("feed", "remove", f"out/{WEIR_MP3}", "--out", "out")
    assert code == 0, stderr
    assert titles(out) == ["Harbour ferry returns after storm repairs"]


def test_an_mp3_of_another_folder_names_the_out_to_give(out: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / FERRY_MP3
    code, _, stderr = run("feed", "remove", str(other), "--out", str(out))
    assert code == 1
    assert stderr.startswith(f"Error: {other} is not in the output folder {out}")
    assert f"--out {other.parent}" in stderr
    assert len(titles(out)) == 2


def test_an_unknown_episode_is_one_line_that_says_what_to_give(out: Path) -> None:
    code, _, stderr = run("feed", "remove", "no-such-story", "--out", str(out))
    assert code == 1
    assert stderr.startswith("Error: no episode 'no-such-story' in")
    assert "id, URL, slug or MP3 path" in stderr and "listen feed list" in stderr
    assert len(titles(out)) == 2


def test_list_piped_is_one_line_per_episode_with_ids_whole(rendered: Path) -> None:
    result = runner.invoke(app, ["feed", "list", "--out", str(rendered)],
                           env={"COLUMNS": "300"})  # wide enough, but not a terminal
    code, stdout = result.exit_code, result.stdout
    assert code == 0
    rows = [line.split("\t") for line in stdout.splitlines()]
    assert [row[0] for row in rows] == [WEIR.as_uri(), FERRY_URL]
    assert [row[4] for row in rows] == [WEIR_MP3, FERRY_MP3]
    assert rows[1][1:3] == ["Harbour ferry returns after storm repairs", "2026-10-02"]
    assert re.fullmatch(r"\d+\.\d min", rows[1][3])


def in_terminal(columns: int, *args: str) -> str:
    """Run ``listen`` in a real pseudo-terminal ``columns`` wide; what it shows."""
    import pty
    import termios
    from fcntl import ioctl

    leader, follower = pty.openpty()
    ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "NO_COLOR"}}
    process = subprocess.Popen([sys.executable, "-m", "listen", *args], stdin=follower,
                               stdout=follower, stderr=follower, env={**env, "TERM": "xterm"})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode()).replace("\r\n", "\n")


posix_terminal = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


@posix_terminal
def test_list_is_a_table_on_a_wide_terminal(rendered: Path) -> None:
    shown = in_terminal(200, "feed", "list", "--out", str(rendered))
    assert "┃ id" in shown and "┃ file" in shown
    row = next(line for line in shown.splitlines() if FERRY_URL in line)
    assert FERRY_MP3 in row, "the id and the file whole on one row"


@posix_terminal
def test_list_on_a_narrow_terminal_prints_ids_whole_not_a_folded_table(rendered: Path) -> None:
    shown = in_terminal(60, "feed", "list", "--out", str(rendered))
    assert "┃" not in shown and "…" not in shown
    assert [line.split("\t")[0] for line in shown.splitlines()] == [WEIR.as_uri(), FERRY_URL]


@posix_terminal
def test_plain_prints_lines_even_on_a_wide_terminal(rendered: Path) -> None:
    shown = in_terminal(200, "feed", "list", "--plain", "--out", str(rendered))
    assert "┃" not in shown
    assert shown.splitlines()[1].startswith(FERRY_URL + "\tHarbour ferry")
