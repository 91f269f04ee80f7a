"""The narration script as ``listen script`` prints it: plain text or JSON."""

from __future__ import annotations

from typing import Any

from listen.models import Script


def script_as_text(script: Script, *, spoken: bool = False) -> str:
    """The segments, one a paragraph, separated by blank lines: as written (the
    transcript), or as the engine will be given them (``spoken``)."""
    return "\n\n".join(seg.speech if spoken else seg.text for seg in script.segments)


def script_as_json(script: Script) -> dict[str, Any]:
    article = script.article
    return {
        "title": article.title,
        "byline": article.byline,
        "authors": list(article.authors),
        "date": article.date.isoformat() if article.date else None,
        "site": article.site,
        "language": article.language,
        "url": article.url,
        "image": article.image,
        "description": article.description,
        "chapters": list(script.chapters),
        "segments": [
            {
                "kind": segment.kind.value,
                "text": segment.text,
                "speech": segment.speech,
                "chapter": segment.chapter,
                "pause_after": segment.pause_after.value,
            }
            for segment in script.segments
        ],
        "dropped": [{"text": d.text, "reason": d.reason} for d in article.dropped],
        "notes": list(article.notes),
    }
