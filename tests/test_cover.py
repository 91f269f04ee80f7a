"""Cover art: square JPEGs of the asked size, generated or cropped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from listen.errors import AudioError
from listen.publish.cover import make_cover, square_cover, title_layout


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("title", ["Hi", "A considerably longer headline about shipping " * 3])
def test_generated_cover_is_a_square_jpeg(title: str) -> None:
    image = opened(make_cover(title, "example.com", size=700))
    assert image.format == "JPEG" and image.size == (700, 700) and image.mode == "RGB"


def test_generated_cover_has_text_on_it() -> None:
    image = opened(make_cover("Why Ships Wait", "example.com", size=400)).convert("L")
    histogram = image.histogram()
    light = sum(histogram[201:])
    assert 0.01 < light / (400 * 400) < 0.5


def test_lead_image_is_cropped_to_a_square() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), (200, 30, 30)).save(buffer, "PNG")
    image = opened(square_cover(buffer.getvalue(), size=300))
    assert image.format == "JPEG" and image.size == (300, 300)


def test_unreadable_image_is_an_audio_error() -> None:
    with pytest.raises(AudioError, match="lead image"):
        square_cover(b"<html>not an image</html>")


TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


@pytest.mark.parametrize("name", ["The Platform", "Platformbetreiber", "Die Donaudampfschifffahrt"])
def test_a_site_name_is_set_on_word_boundaries(name: str) -> None:
    lines, type_size = title_layout(name, size=1400)
    assert [word for line in lines for word in line.split()] == name.split()
    assert all(line.split() for line in lines)  # no empty line, no word cut in two
    assert type_size >= 12
    TEST_OUTPUT.mkdir(exist_ok=True)  # the picture, for a person to look at
    cover = opened(make_cover(name, "Audio edition", size=700))
    cover.save(TEST_OUTPUT / f"cover-{name.replace(' ', '-').lower()}.png")


def test_a_word_too_wide_for_the_largest_type_shrinks_the_type() -> None:
    short_lines, short_size = title_layout("Hi", size=1400)
    lines, size = title_layout("Donaudampfschifffahrtsgesellschaftskapitänsmütze", size=1400)
    assert lines == ["Donaudampfschifffahrtsgesellschaftskapitänsmütze"]
    assert size < short_size
