"""Speech text: an Article in, a Script out.

    Article → script → Script (segments → sentences, each written and spoken)

``script`` builds the intro, the segments, sentences (split by ``sentences``),
pauses and chapters; ``lexicon`` applies the pronunciation lexicons (TOML data,
shipped in ``voices/lexicons/`` and the publisher's own); ``normalize`` turns each
sentence's written form into what an engine is given, with one module per class of
rule: ``web``, ``abbreviations``, ``cardinals`` (telephone numbers, fractions, every
number left), ``clock``, ``dates``, ``years``, ``ranges``, ``money``, ``measures``,
``ordinals`` (and roman numerals), ``signs``, ``initialisms``.

The rules read one language's speech data (``language``: ``languages/<code>.toml``
and a publisher's ``[speech.<code>]`` tables) through a ``reader.Reader``, which also
holds the number words (``numbers``: num2words, the one outside library here).
"""
