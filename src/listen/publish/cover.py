"""Square cover art: generated from the title, or cropped from the lead image.

Pillow lives only here. The generated cover uses Pillow's own scalable font
(``ImageFont.load_default(size=…)``, Pillow ≥ 10.1), so no system font is needed.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from listen.errors import AudioError, ConfigError

_MARGIN = 0.09
"""Of the side: the text never comes closer to the edge."""
_JPEG_QUALITY = 88
_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
SHOW_COVER_SIDES = (1400, 3000)
"""Apple Podcasts' smallest and largest side of a show's square cover, in pixels."""


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A dark background and a light accent of one hue, chosen by the title's hash."""
    hue = hashlib.sha256(seed.encode()).digest()[0] / 255

    def rgb(lightness: float, saturation: float) -> tuple[int, int, int]:
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
        return round(red * 255), round(green * 255), round(blue * 255)

    return rgb(0.16, 0.45), rgb(0.72, 0.75)


def _font(size: int) -> _Font:
    return ImageFont.load_default(size=size)


_MAX_LINES = 6


def _fit_title(draw: ImageDraw.ImageDraw, title: str, width: int, height: int) -> tuple[str, _Font]:
    """The largest font size at which the title, broken only between words, fits the box.

    A word is never split across lines ("The Pla / tform"): when the longest word
    does not fit the width, the type shrinks until it does.
    """
    for size in range(height // 3, 11, -4):
        font = _font(size)
        lines = _wrap_words(draw, title, font, width)
        if lines is None or len(lines) > _MAX_LINES:
            continue
        text = "\n".join(lines)
        left, top, right, bottom = draw.multiline_textbbox(
            (0, 0), text, font=font, spacing=size // 5
        )
        if right - left <= width and bottom - top <= height:
            return text, font
    return textwrap.shorten(title, 60), _font(12)


def _wrap_words(
    draw: ImageDraw.ImageDraw, title: str, font: _Font, width: int
) -> list[str] | None:
    """Whole words on each line, as many as fit ``width``; None when one word alone does not."""
    lines: list[str] = []
    for word in title.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        elif draw.textlength(word, font=font) <= width:
            lines.append(word)
        else:
            return None
    return lines


def _title_box(size: int) -> tuple[int, int]:
    margin = round(size * _MARGIN)
    return size - 2 * margin, round(size * 0.62)


def title_layout(title: str, size: int = 1400) -> tuple[list[str], int]:
    """How ``make_cover`` sets a title on a cover ``size`` pixels wide: lines and type size."""
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text, font = _fit_title(draw, title.strip() or "Untitled", *_title_box(size))
    return text.split("\n"), round(font.size) if isinstance(font, ImageFont.FreeTypeFont) else 12


def make_cover(title: str, site: str, size: int = 1400) -> bytes:
    """A square JPEG: the title large and wrapped, the site name under an accent rule."""
    background, accent = _palette(title + site)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    margin = round(size * _MARGIN)
    text, font = _fit_title(draw, title.strip() or "Untitled", *_title_box(size))
    spacing = round(font.size / 5) if isinstance(font, ImageFont.FreeTypeFont) else 4
    draw.multiline_text(
        (margin, margin * 1.4), text, font=font, fill=(250, 248, 242), spacing=spacing
    )
    rule_y = size - margin - round(size * 0.085)
    draw.rectangle(
        (margin, rule_y, margin + round(size * 0.16), rule_y + max(4, size // 110)), accent
    )
    site_font = _font(max(12, size // 22))
    draw.text((margin, rule_y + size // 40), site.strip()[:48], font=site_font, fill=accent)
    return _jpeg(image)


def square_cover(image_bytes: bytes, size: int = 1400) -> bytes:
    """The article's lead image, centre-cropped to a square ``size`` pixels wide, as JPEG."""
    try:
        with Image.open(io.BytesIO(image_bytes)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise AudioError(f"cannot read the article's lead image ({exc})") from exc
    return _jpeg(ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS))


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=_JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def check_show_image(data: bytes, name: str) -> str:
    """A publisher's own show cover against Apple's rules: JPEG or PNG, square,
    1400 to 3000 pixels a side.

    Raises ConfigError for a file that is not a JPEG or PNG image (directories refuse
    the feed); returns a warning for a wrong shape or size, else "".
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ConfigError(f"the show image {name} is not a picture ({exc}): give a square "
                          "JPEG or PNG in [show] image") from exc
    if kind not in {"JPEG", "PNG"}:
        raise ConfigError(f"the show image {name} is a {kind} picture: podcast directories "
                          "take JPEG or PNG; convert it, or name another file in [show] image")
    low, high = SHOW_COVER_SIDES
    if width != height or not low <= width <= high:
        return (f"the show image {name} is {width}x{height} pixels: Apple Podcasts wants a "
                f"square of {low} to {high}")
    return ""
