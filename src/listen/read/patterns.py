"""What page furniture looks like: tags, roles, class/id words and short texts (for ``cleanup``).

Each table maps a sign to a short, stable reason label recorded in ``Article.dropped``.
Class and id words match whole hyphen/underscore parts, so ``ad`` matches ``ad-slot``
but not ``header`` or ``load-more``.
"""

from __future__ import annotations

import re

# Tags dropped wholesale, with the reason recorded.
TAG_REASONS = {
    "nav": "navigation",
    "footer": "footer",
    "form": "form",
    "pre": "code",
    "iframe": "embed",
    "embed": "embed",
    "object": "embed",
    "video": "embed",
    "audio": "player",
    "button": "button",
    "select": "form",
    "dialog": "popup",
}
# A formula of more symbols than this is not read: "E = m c 2" (five) is an equation a
# listener can follow, a twenty-symbol derivation read symbol by symbol is not.
MAX_FORMULA_SYMBOLS = 10
# What a listener hears where a formula too long to read stood in a sentence.
A_FORMULA = {"en": "a formula", "de": "eine Formel", "fr": "une formule", "es": "una fórmula"}
# ``annotation`` is the TeX source of a MathML formula: never read out.
SILENT_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "link",
    "input",
    "annotation",
}
HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)
# Elements that draw a box of their own; text between them is an anonymous block.
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "li", "dd", "dt", "table", "tr",
    "td", "th", "blockquote", "pre", "figure", "form", "hr", "details", "address", "hgroup",
}
LOOSE_TEXT_CONTAINERS = ("div", "section", "article", "main", "td", "th", "center", "body", "li")
NEVER_BY_CLASS = {"html", "body", "main", "article", "h1"}
# Inside running text a class names styling or a link target far more often than
# furniture (Sphinx marks every link ``reference``); only these reasons apply there.
INLINE_TAGS = {"a", "span", "em", "strong", "b", "i", "u", "small", "font", "abbr", "code"}
INLINE_REASONS = {"footnote-marker", "hidden", "ad", "share", "player"}
ROLE_REASONS = {
    "navigation": "navigation",
    "contentinfo": "footer",
    "complementary": "aside",
    "banner": "header",
    "search": "navigation",
    "dialog": "popup",
    "alertdialog": "popup",
    "doc-noteref": "footnote-marker",
    "doc-backlink": "footnote-marker",
    "doc-endnotes": "footnotes",
    "doc-footnote": "footnotes",
}


def _tokens(*words: str) -> re.Pattern[str]:
    """Match a class or id made of hyphen/underscore parts, one of which is a listed word."""
    return re.compile(r"(?:^|[-_\s])(?:" + "|".join(words) + r")(?:$|[-_\s])", re.IGNORECASE)


# Checked in order; the first match gives the reason.
CLASS_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cookie", re.compile(r"cookie|consent|gdpr|onetrust|cmp-container", re.IGNORECASE)),
    (
        "footnotes",
        _tokens("footnotes?", "endnotes?", "references", "reflist", "refs", "citations", "notes"),
    ),
    ("footnote-marker", _tokens("footnote-ref", "fnref", "noteref", "cite-ref")),
    (
        "share",
        _tokens(
            "share",
            "sharing",
            "shares",
            "social",
            "sharedaddy",
            "addthis",
            "share-?bar",
            "sharebar",
            "social-?links",
            "social-?icons",
        ),
    ),
    (
        "related",
        re.compile(
            r"related|recommend|more-stories|read-?next|also-?read|you-?may|"
            r"outbrain|taboola|yarpp|further-reading|more-from|popular|trending|"
            r"referenced-(item|wide|group)",
            re.IGNORECASE,
        ),
    ),
    (
        "newsletter",
        re.compile(
            r"newsletter|subscri|signup|sign-up|mailchimp|mc4wp|optin|"
            r"paywall|membership|upsell",
            re.IGNORECASE,
        ),
    ),
    (
        "ad",
        _tokens(
            "ad",
            "ads",
            "adv",
            "advert",
            "adverts",
            "advertisement",
            "advertising",
            "adsbygoogle",
            "adslot",
            "adunit",
            "ad-?slot",
            "ad-?container",
            "dfp",
            "gpt",
            "sponsor",
            "sponsored",
            "promo",
            "promoted",
            "banner-ad",
        ),
    ),
    (
        "comments",
        _tokens(
            "comments?",
            "commentlist",
            "comment-list",
            "disqus",
            "disqus_thread",
            "respond",
            "responses",
            "discussion",
        ),
    ),
    ("breadcrumb", _tokens("breadcrumbs?", "crumbs")),
    (
        "navigation",
        _tokens(
            "nav",
            "navbar",
            "navigation",
            "menu",
            "pagination",
            "pager",
            "skip-link",
            "toc",
            "masthead",
            "site-header",
            "topbar",
        ),
    ),
    (
        "tags",
        _tokens(
            "tags",
            "tag-?list",
            "tagcloud",
            "post-tags",
            "entry-tags",
            "tag-links",
            "categories",
            "cat-links",
            "topics",
            "keywords",
        ),
    ),
    ("footer", _tokens("footer", "site-footer", "colophon", "entry-footer")),
    (
        "author-bio",
        re.compile(
            r"author-?bio|about-?the-?author|author-?box|author-?card|"
            r"contributor-?bio",
            re.IGNORECASE,
        ),
    ),
    (
        "byline",
        _tokens(
            "byline",
            "author",
            "authors",
            "post-author",
            "entry-meta",
            "post-meta",
            "article-meta",
            "meta",
            "dateline",
            "timestamp",
            "posted-on",
            "published",
            "pubdate",
            "date",
            "time",
            "reading-time",
            "read-time",
        ),
    ),
    (
        "player",
        _tokens(
            "player",
            "audio-player",
            "listen",
            "tts",
            "speechify",
            "text-to-speech",
            "beyondwords",
            "trinity-audio",
            "audio",
        ),
    ),
    ("pull-quote", _tokens("pullquote", "pull-quote", "pull", "blockquote-pull")),
    ("credit", _tokens("credit", "credits", "photo-credit", "image-credit", "copyright")),
    (
        "caption",
        _tokens(
            "caption",
            "wp-caption-text",
            "figcaption",
            "image-caption",
            "photo-caption",
            "thumbcaption",  # MediaWiki
            "gallerytext",
            "legend",
        ),
    ),
    ("popup", _tokens("modal", "popup", "overlay", "lightbox")),
    # Photo galleries and slideshows: captions of pictures the listener cannot see.
    ("gallery", _tokens("gallery", "slideshow", "carousel")),
    # Charts and interactive graphics: their titles and labels are not sentences.
    ("graphic", _tokens("interactive", "interactive-embedded", "datawrapper", "infogram", "chart")),
    ("sidebar", _tokens("sidebar", "widget", "widgets", "rail", "aside")),
    (
        "hidden",
        _tokens(
            "screen-reader-text",
            "sr-only",
            "visually-hidden",
            "visuallyhidden",
            "hidden",
            "print-only",
            "noprint",  # the tool bar of a page made to be printed (tools.ietf.org)
        ),
    ),
)
# What a listener should not hear even when it is most of the page (readers' comments
# included): these rules are never held back for holding the page's main text
# (``cleanup.clean_tree``).
LISTENER_REASONS = {
    "code", "table", "formula", "footnotes", "footnote-marker", "caption", "credit", "gallery",
    "graphic", "embed", "player", "comments", "teasers",
}
# What a heading may introduce and nothing else: when it is left out, so is the heading.
SECTION_CONTENT_REASONS = {
    "table", "code", "navigation", "formula", "graphic", "embed", "gallery", "teasers",
}
# The commentary of a live match or event is the article, though its class says
# "comment" (``live-match-comment``).
LIVE_COMMENTARY = _tokens("live", "liveblog", "liveticker", "ticker", "commentary")
# Reasons whose elements may outweigh the article (a gallery of fifty captioned
# pictures after a short story) and are dropped whatever their size.
ANY_SIZE = {"gallery"}
# Reasons a wrapper may match by accident (``post-meta-wrapper``): only short elements.
SHORT_ONLY = {
    "byline": 250,
    "player": 200,
    "credit": 250,
    "caption": 600,
    "hidden": 300,
    "popup": 1000,
}

TEXT_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gallery", re.compile(r"^(gallery|photos|slideshow)\s*:.{0,100}\b\d+ (photos|images)$", re.I)),
    (
        "navigation",
        re.compile(
            r"^(((jump|skip) to (the )?(main )?(content|navigation|search|menu|article)\W*)+"
            r"|(next|previous|prev|older|newer) (page|article|post|story)\b.{0,80}"
            r"|page \d+ of \d+)$",
            re.IGNORECASE,
        ),
    ),
    (
        "ad",
        re.compile(
            r"^(advertisement|advertising|anzeige|werbung|publicit[ée]|annonce|"
            r"sponsored( content)?|ad|ads|(story|article) continues below"
            r"( advertisement)?|continue reading (below|the main story))\W*$"
            r"|^\*?(anzeige|werbung)\s*[.:,*]",  # "Werbung. Dieser Beitrag enthält Werbung …"
            re.IGNORECASE,
        ),
    ),
    (
        "player",
        re.compile(
            r"^(listen to (this|the) (article|story|post)|audio version|"
            r"hear this (article|story)|listen now|play audio|"
            r"[ée]couter (l'|cet )article|artikel (anh[öo]ren|vorlesen)|"
            r"diesen artikel anh[öo]ren)\W*(\(?\d+(:\d\d)?\s*"
            r"(min|mins|minutes?|minuten)\.?\)?)?\W*$",
            re.IGNORECASE,
        ),
    ),
    (
        "related",
        re.compile(
            r"^(read more|continue reading|read next|read also|more stories|"
            r"related( (posts|articles|stories|content|news|links))?|"
            r"you (may|might) also (like|enjoy)|more from [\w .'-]{1,40}|"
            r"most (read|popular|viewed)|trending( now)?|recommended( for you)?|"
            r"weiterlesen|mehr zum thema|lesen sie auch|auch interessant|"
            r"das könnte (dich|sie) (auch )?interessieren|mehr (von|zu) [\w .'-]{1,40}|"
            r"weitere (artikel|beiträge|nachrichten|meldungen|themen|pressemitteilungen)\b"
            r"[^.!?]{0,40}|"
            r"(aktuelle|neueste) (berichte|artikel|beiträge|nachrichten)\b[^.!?]{0,40}|"
            r"meistgelesen(e|en)?( artikel)?|ähnliche artikel|verwandte artikel|"
            r"lire (la suite|aussi)|à lire aussi|sur le même (sujet|thème)|"
            r"(articles|contenus) (liés|similaires|recommandés)|(les )?plus lus|"
            r"leer más|(también )?te puede interesar|(noticias|artículos) relacionad[oa]s|"
            r"lo más leído|(ver|lee) también|"
            r"czytaj (też|także|więcej)|zobacz (też|także)|dowiedz się więcej|więcej informacji|"
            r"notas relacionadas|mehr themen|top-themen\b[^.!?]{0,40}|"
            r"weitere (informationen|tipps|tourentipps)\b[^.!?]{0,60}|mehr zum thema\b[^.!?]{0,40})"
            r"\W*$",
            re.IGNORECASE,
        ),
    ),
    (
        "share",
        re.compile(
            r"^(share( this( article| story| post)?)?|share on \w+|tweet|"
            r"copy link|((news|artikel|beitrag|seite) )?teilen|partager|compartir)\W*$",
            re.IGNORECASE,
        ),
    ),
    (
        "newsletter",
        re.compile(
            r"^((subscribe|sign up)( now| for free| today)?|"
            r"thanks for reading .{0,80}subscribe.*)\W*$",
            re.IGNORECASE,
        ),
    ),
    (
        "comments",
        re.compile(
            r"^((no|keine|\d+) (comments?|kommentare?|commentaires?|comentarios?)( yet| bisher)?"
            r"( \(.{0,80}\))?"
            r"|be the first to comment|log in to (comment|reply)|(sie (sind (aktuell )?nicht "
            r"eingeloggt|müssen (angemeldet|eingeloggt) sein)|du musst (angemeldet|eingeloggt) "
            r"sein).{0,60}"
            r"|(you must be logged in|log in|please log in) to (post|leave|write) a comment.{0,40}"
            r"|um einen kommentar zu (hinterlassen|schreiben|verfassen).{0,60})\W*$",
            re.IGNORECASE,
        ),
    ),
    (
        "tags",
        re.compile(
            r"^(category|categories|kategorie|kategorien|catégorie|categoría|rubrik|rubrique)"
            r"\s*:\s*[^.!?]{1,60}$",
            re.IGNORECASE,
        ),
    ),
    (
        "caption",  # a title picture's line, whatever it says
        re.compile(
            r"^(titelbild|beitragsbild|aufmacherbild|header image|featured image|image illustrative"
            r"|photo d'illustration|imagen de portada)\s*(:.{0,120})?$",
            re.IGNORECASE,
        ),
    ),
    (
        "caption",  # a picture's line with its credit after it, or its "Enlarge" button
        re.compile(
            r"^(?=.{5,160}©)[^©.!?]{5,160}[.!?]?\s*©\s*[\w .&/-]{2,50}$"
            r"|^(vergrößern|enlarge|agrandir|ampliar)\s+\S.{0,200}$",
            re.IGNORECASE,
        ),
    ),
    (
        "credit",
        re.compile(
            r"^\(?((all|top|lead|cover) )?(photo|photograph|image|illustration|portrait|artwork"
            r"|credit|foto|bild|photo credit|cr[ée]dit photo|cr[ée]dits? photos?|bildquelle"
            r"|fuente|quelle|source)s?\s*(:|©|by\b)|^\(?©"
            r"|^([\w.]{1,12}\s*/\s*)*(dpa|afp|ap|reuters|pap|kna|epd|apa|sda|efe|ansa)"
            r"(\s*/\s*[\w.]{1,12})*$",  # an agency's initials: "aja/PAP", "dpa/sda"
            re.IGNORECASE,
        ),
    ),
    (
        "byline",  # a date line, a reading time
        re.compile(
            r"^(last (modified|updated)|letzte (änderung|aktualisierung)|release date|"
            r"veröffentlich(t|ung)|publié le|publicado)\s*(am|on|le|el)?\s*:?\s*[\d./\s:-]*$"
            r"|^(\d+ min(ute)?s? read|lesezeit:? \d+ min\w*|temps de lecture.{0,20}"
            r"|tiempo de lectura.{0,20}|ten tekst przeczytasz.{0,40})$",
            re.IGNORECASE,
        ),
    ),
)
# A teaser line, judged on a whole block that is mostly a link or has no full stop:
# "Learn more about WebIDE", "[Read: Why Tunisia …]", "Related: …", "Lire aussi : …".
TEASER = re.compile(
    r"^\[?((learn|read|find out|see) more\b|(read|see|related|also read|lire( aussi)?"
    r"|à lire aussi|voir aussi|mehr zum thema|lesen sie (auch|mehr)|lea( también| más)?|mira"
    r"|puedes ver|te recomendamos|relacionad[oa]|czytaj (też|także|więcej))\s*:).{0,120}$",
    re.IGNORECASE,
)
TEASER_TAGS = {"p", "li", "div", "h2", "h3", "h4", "h5", "h6"}
# A credit names people or agencies: the words after "by" or ":" are capitalised.
CREDIT_WORDS_ALLOWED = {"for", "and", "via", "staff", "of", "the", "de", "van", "von", "da"}
TEXT_TAGS = {
    "p",
    "div",
    "span",
    "a",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "small",
    "em",
    "strong",
    "b",
    "i",
    "section",
    "aside",
    "figcaption",
    "font",
}
PAGE_CITATION = re.compile(r"^:\s?(pp?\.\s?)?\d+(\s?[–-]\s?\d+)?$")
MARKER_TEXT = re.compile(r"^\s*(\[?\(?\d{1,3}\)?\]?|\[?[a-z*†‡]\]?|↩\ufe0f?|\^)\s*$")
FOOTNOTE_HREF = re.compile(r"#(fn|cite|ref|note|footnote|_ftn|endnote)", re.IGNORECASE)

# Telling preformatted prose from code (``preformatted._read_preformatted``).
WORD = re.compile(r"[^\W\d_]{2,}")
CODE_SYMBOL = re.compile(r"[{}\[\]();=<>$#\\|*_/+&%@:`~^]")
# Running heads and feet of a paginated plain-text document (RFCs, Internet-Drafts),
# and the page numbers that end table-of-contents lines with dot leaders.
RUNNING_HEAD = re.compile(r"^\s*(?:RFC \d+|Internet[- ]Draft) {2,}\S", re.IGNORECASE)
PAGE_FOOT = re.compile(r"\[Page \d+\]$")
PAGE_NUMBER = re.compile(r"\d+$")
PROMPT = re.compile(r"^[^\S\n]*(?:\$|>>>|%|[A-Z]:\\>)[^\S\n]", re.MULTILINE)
# A word, maybe a closing bracket or quote, then a stop and the next word or the end.
SENTENCE_PUNCTUATION = re.compile(r"[^\W_]{2}[)\"'”’]?(?:[.,;]\s+[^\W_]|[.!?]\s*$)")
FULL_STOP = re.compile(r"[^\W_]{2}[)\"'”’]?[.!?](?:\s|$)")
# Columns: words set apart by runs of spaces (a title page, a table, an address block).
COLUMNS = re.compile(r"\S {3,}\S")
# A numbered section title in a plain-text document: "3.  Protocol Overview", "4.2 Limits".
SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
