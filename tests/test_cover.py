"""Cover art: square JPEGs of the asked size, generated or cropped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from listen.cover import make_cover, square_cover
from listen.errors import AudioError


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
