"""Speech text: an Article in, a Script out.

    Article → script → Script (segments → sentences, each written and spoken)

``script`` builds the intro, the segments, sentences, pauses and chapters;
``normalize`` turns each sentence's written form into what an engine is given,
with ``numbers``, ``abbreviations`` and ``initialisms``; ``lexicon`` applies the
pronunciation lexicons (TOML data, shipped in ``voices/lexicons/`` and the
publisher's own). Pure Python and data: no outside library lives here.
"""
