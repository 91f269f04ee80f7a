"""Reading the page: a source in, the article a listener should hear out.

    source (path | URL | stdin) → load → Page → extract → Article

``load`` fetches and decodes (httpx, charset-normalizer); ``extract`` finds the
article and cleans it with lxml and BeautifulSoup: ``pagekind`` refuses what is no
article (a directory listing, a tag page, search results); ``cleanup`` walks the
tree and drops furniture, each piece with its reason (``furniture`` judges an
element, helped by ``patterns``, ``appeals``, ``stylesheet``, ``teasers``, ``tables``
and ``preformatted``), but never the article: ``prose`` weighs the page's running
text and a rule that would take most of it is held back. trafilatura then chooses
the main content, and ``floor`` checks that choice against trafilatura's on the
untouched page. ``blocks`` makes typed blocks in order, ``metadata`` reads JSON-LD,
OpenGraph and meta tags, ``markup`` holds small element readings; the language is
detected with py3langid. ``locate`` finds where narrated blocks lie in a page's own
markup, for ``listen embed``. Nothing here knows about speech, sound or publishing.
"""
