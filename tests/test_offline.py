"""What a render fetches: nothing for a local file unless asked, nothing at all offline.

A real web server on 127.0.0.1 serves the article and its lead image and records
every request; the MP3's embedded cover shows which image was used.
"""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3
from PIL import Image
from typer.testing import CliRunner

from listen.cli import app
from localweb import PORT_PLACEHOLDER, Site, serve_page

PAGE = Path(__file__).parent / "pages" / "weir-lead-image.html"
runner = CliRunner()


def _red_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (220, 20, 20)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def site() -> Iterator[Site]:
    """The article at /weir.html, its lead image at /lead.jpg (all red)."""
    with serve_page(PAGE, "/weir.html", {"/lead.jpg": ("image/jpeg", _red_jpeg())}) as served:
        yield served


@pytest.fixture
def work(tmp_path: Path, site: Site) -> Path:
    """A folder with the article saved as weir.html and a fast tone voice."""
    page = PAGE.read_text(encoding="utf-8").replace(PORT_PLACEHOLDER, site.url)
    (tmp_path / "weir.html").write_text(page, encoding="utf-8")
    (tmp_path / "tone.toml").write_text('engine = "tone"\nrate = 4.0\n', encoding="utf-8")
    return tmp_path


def render(work: Path, source: str, *options: str) -> tuple[int, dict[str, object], str]:
    result = runner.invoke(app, ["render", source, "--out", str(work / "out"), "--cache",
                                 str(work / "cache"), "--voice", str(work / "tone.toml"),
                                 "--json", *options])
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, report, result.stderr


def cover_is_the_lead_image(mp3: Path) -> bool:
    """The embedded cover is the red lead image, not the generated dark title card."""
    (picture,) = ID3(mp3).getall("APIC")
    with Image.open(io.BytesIO(picture.data)) as cover:
        red, green, blue = cover.convert("RGB").getpixel((5, 5))  # type: ignore[misc]
    return bool(red > 180 and green < 80 and blue < 80)


def test_a_local_file_makes_no_request_and_gets_the_generated_cover(
    work: Path, site: Site
) -> None:
    code, report, stderr = render(work, str(work / "weir.html"))
    assert code == 0, stderr
    assert site.requests == []
    assert not cover_is_the_lead_image(Path(str(report["mp3"])))


def test_a_local_file_fetches_its_lead_image_when_asked(work: Path, site: Site) -> None:
    code, report, stderr = render(work, str(work / "weir.html"), "--fetch-images")
    assert code == 0, stderr
    assert site.requests == ["/lead.jpg"]
    assert cover_is_the_lead_image(Path(str(report["mp3"])))


def test_a_url_fetches_the_page_and_its_lead_image(work: Path, site: Site) -> None:
    code, report, stderr = render(work, f"{site.url}/weir.html")
    assert code == 0, stderr
    assert site.requests == ["/weir.html", "/lead.jpg"]
    assert cover_is_the_lead_image(Path(str(report["mp3"])))


def test_no_fetch_images_keeps_a_url_render_to_the_page(work: Path, site: Site) -> None:
    code, report, stderr = render(work, f"{site.url}/weir.html", "--no-fetch-images")
    assert code == 0, stderr
    assert site.requests == ["/weir.html"]
    assert not cover_is_the_lead_image(Path(str(report["mp3"])))


def test_offline_refuses_a_url_and_fetches_nothing(work: Path, site: Site) -> None:
    result = runner.invoke(app, ["render", f"{site.url}/weir.html", "--offline",
                                 "--out", str(work / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {site.url}/weir.html is a web address, and "
                                    "offline listen fetches nothing: save the page")
    assert site.requests == []
    assert not (work / "out").exists()


def test_offline_in_listen_toml_wins_over_fetch_images(work: Path, site: Site) -> None:
    (work / "listen.toml").write_text("[render]\noffline = true\n", encoding="utf-8")
    code, report, stderr = render(work, str(work / "weir.html"), "--fetch-images",
                                  "--config", str(work / "listen.toml"))
    assert code == 0, stderr
    assert site.requests == []
    assert not cover_is_the_lead_image(Path(str(report["mp3"])))


def test_a_local_render_opens_no_connection_anywhere(
    work: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not just this server: no internet socket of the process connects anywhere."""
    connections: list[object] = []
    connect = socket.socket.connect

    def refuse(sock: socket.socket, address: Any) -> None:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return connect(sock, address)  # a local pipe, as multiprocessing uses
        connections.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    code, _, stderr = render(work, str(work / "weir.html"))
    assert code == 0, stderr
    assert connections == []
    monkeypatch.undo()
    code, _, stderr = render(work, str(work / "weir.html"), "--force", "--fetch-images")
    assert code == 0 and site.requests == ["/lead.jpg"], "the guard itself must not hide a fetch"
