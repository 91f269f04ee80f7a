"""Reading the page: a source in, the article a listener should hear out.

    source (path | URL | stdin) → load → Page → extract → Article

``load`` fetches and decodes (httpx, charset-normalizer); ``extract`` finds the
article (trafilatura is the floor) and cleans it with lxml and BeautifulSoup:
``cleanup`` walks the tree and says why each part is left out, helped by
``patterns`` (the words furniture is known by), ``markup`` (element readings),
``tables``, ``preformatted``, ``blocks`` (typed blocks in order) and ``metadata``
(JSON-LD, OpenGraph, meta tags). The language is detected with py3langid.
``locate`` finds where narrated blocks lie in a page's own markup, for ``listen embed``.
Nothing here knows about speech, sound or publishing.
"""
