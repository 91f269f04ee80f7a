"""The feed's channel and the show's title: the ``[show]`` settings, with what the
publisher left unset filled from the article."""

from __future__ import annotations

from listen.config.settings import Settings
from listen.models import Article, Channel


def channel_for(
    settings: Settings, article: Article, cover_url: str, source_url: str | None = None
) -> tuple[Channel, list[str]]:
    """The feed's channel, filling what the publisher left unset from the article
    (and from ``source_url``, the address the page was fetched from, if any).

    Returns the channel and one warning per default a publisher should set.
    """
    show = settings.show
    name = publisher_name(article, source_url, show.link)
    warnings = []
    if not show.title:
        warnings.append(_title_warning(article, name))
    if not show.base_url:
        warnings.append("no base URL: the feed's enclosures point at local file names; "
                        "set [show] base_url (or --base-url) to where output/ is served")
    if not show.owner_email:
        warnings.append("Apple Podcasts wants an owner e-mail: set [show] owner_email")
    title = show.title or name or UNNAMED_SHOW
    channel = Channel(
        title=title,
        link=show.link or _origin(article.url) or _origin(source_url) or show.base_url or "",
        description=show.description
        or (f"Articles from {name}, read aloud." if name else "Articles, read aloud."),
        language=show.language or article.language,
        author=show.author or name,
        owner_name=show.owner_name or show.author or name or title,
        owner_email=show.owner_email,
        category=show.category,
        subcategory=show.subcategory,
        explicit=show.explicit,
        image=cover_url,
        base_url=show.base_url,
        max_items=show.max_items,
    )
    return channel, warnings


UNNAMED_SHOW = "Articles read aloud"
"""The show's title when neither listen.toml nor the page names one."""


def show_title(settings: Settings, article: Article, source_url: str | None = None) -> str:
    """The show's title, as the feed's channel and the MP3's album tag give it."""
    return (settings.show.title or publisher_name(article, source_url, settings.show.link)
            or UNNAMED_SHOW)


def publisher_name(article: Article, source_url: str | None = None, link: str = "") -> str:
    """The site's name, else the host name of the article's canonical URL, of the
    address it was fetched from, or of ``[show] link``; "" when none is known."""
    hosts = (_host(url).removeprefix("www.") for url in (article.url, source_url, link))
    return article.site or next((host for host in hosts if host), "")


def _title_warning(article: Article, name: str) -> str:
    if article.site:
        return f'feed title defaults to the site name "{name}": set [show] title'
    if name:
        return (f'feed title defaults to the host name "{name}" (the page names no site): '
                "set [show] title")
    return (f'feed title defaults to "{UNNAMED_SHOW}" (the page names no site and has no '
            "URL): set [show] title")


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or "" if url else ""


def _origin(url: str | None) -> str:
    from urllib.parse import urlsplit

    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""
