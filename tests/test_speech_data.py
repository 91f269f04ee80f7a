"""The speech data files: complete, checked, extendable, and all a language needs."""

from __future__ import annotations

import pytest

from listen.errors import ConfigError
from listen.speech.abbreviations import table
from listen.speech.language import load_speech_data, shipped_languages
from listen.speech.normalize import normalize
from listen.speech.reader import reader_for
from listen.speech.sentences import split_sentences

WORDS_THE_RULES_SAY = ("point", "minus", "plus", "to", "score", "and", "per", "dot", "at",
                       "number", "comma")


def test_english_german_french_and_spanish_ship() -> None:
    assert {"en", "de", "fr", "es"} <= set(shipped_languages())


@pytest.mark.parametrize("code", ["en", "de", "fr", "es"])
def test_each_shipped_language_is_complete(code: str) -> None:
    data = load_speech_data(code)
    assert data is not None
    assert len(data.months) == 12 and len(data.weekdays) == 7
    assert all(1 <= month <= 12 for month in data.month_abbreviations.values())
    missing = [key for key in WORDS_THE_RULES_SAY if key not in data.words]
    assert not missing, f"{code}.toml [words] lacks {missing}"
    assert data.units and data.currencies and data.abbreviations
    written = [row.written if row.use == "words" else row.written.lower()
               for row in data.abbreviations if row.use not in ("after_word", "may_end")]
    assert len(written) == len(set(written)), "an abbreviation listed twice where it ends"


def test_a_publisher_extends_tables_and_lists() -> None:
    extra = {"units": {"nmi": ["nautical mile", "nautical miles"]},
             "ranges": {"score_words": ["thrashing"]},
             "abbreviations": {"anywhere": {"approx": "roughly"}}}
    data = load_speech_data("en", extra)
    shipped = load_speech_data("en")
    assert data is not None and shipped is not None
    assert data.units["nmi"].other == "nautical miles"
    assert data.units["km"] == shipped.units["km"]
    assert data.strings("ranges", "score_words")[-1] == "thrashing"
    assert "win" in data.strings("ranges", "score_words")
    reader = reader_for("en", extra)
    assert normalize("approx. 40 nmi", reader=reader) == "roughly forty nautical miles"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"unitz": {}}, "unknown table 'unitz'"),
        ({"units": {"nmi": "nautical mile"}}, "must be [\"one\", \"other\"]"),
        ({"words": {"to": 3}}, "'to' must be text"),
        ({"abbreviations": {"sometimes": {"x": "y"}}}, "unknown table [abbreviations.sometimes]"),
        ({"currencies": {"₴": ["hryvnia"]}}, "must name the currency and its minor unit"),
        ({"dates": {"month_abbreviations": {"Jan": "one"}}}, "map to numbers"),
    ],
)
def test_a_bad_table_is_a_config_error_that_says_what_to_write(
    extra: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_speech_data("en", extra)


ITALIAN = {
    "numbers": {"decimal_mark": ",", "group_marks": ["."]},
    "words": {"point": "virgola", "to": "a", "and": "e", "minus": "meno"},
    "units": {"km": ["chilometro", "chilometri"], "%": ["per cento", "per cento"]},
    "currencies": {"€": ["euro", "euro", "centesimo", "centesimi"]},
    "dates": {
        "day": "cardinal", "first_day": "primo", "day_month_year": "{day} {month} {year}",
        "months": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
                   "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    },
    "abbreviations": {"anywhere": {"ca": "circa"}, "before_name": {"Sig": "signor"}},
}


def test_a_new_language_is_data_only() -> None:
    """Italian has no shipped file: a publisher's tables are all it takes."""
    assert reader_for("it") is None
    reader = reader_for("it", ITALIAN)
    assert reader is not None
    assert normalize("Il Sig. Rossi pagò 1.250,50 € il 3 marzo 2026, ca. 12 km e 5,5 %.",
                     reader=reader) == (
        "Il signor Rossi pagò milleduecentocinquanta euro cinquanta centesimi il tre marzo "
        "duemilaventisei, circa dodici chilometri e cinque virgola cinque per cento.")
    assert split_sentences("Pagò ca. 12 euro. Poi partì.", "it", reader=reader) == [
        "Pagò ca. 12 euro.", "Poi partì."]


@pytest.mark.parametrize(
    ("language", "text", "sentences"),
    [
        ("de", "Es kostet 1,2 Mrd. Euro. Die Bahn zahlt.",
         ["Es kostet 1,2 Mrd. Euro.", "Die Bahn zahlt."]),
        ("de", "Es kostet 1,2 Mrd. Die Bahn zahlt.", ["Es kostet 1,2 Mrd.", "Die Bahn zahlt."]),
        ("de", "Er kaufte z. B. Äpfel. Dann ging er.", ["Er kaufte z. B. Äpfel.", "Dann ging er."]),
        ("fr", "Il coûte env. 3 M€. Le maire a signé.",
         ["Il coûte env. 3 M€.", "Le maire a signé."]),
        ("es", "Lo dijo el Sr. García. Luego se fue.", ["Lo dijo el Sr. García.", "Luego se fue."]),
        ("es", "Viajó a EE.UU. El viaje fue largo.", ["Viajó a EE.UU.", "El viaje fue largo."]),
    ],
)
def test_the_splitter_reads_each_languages_abbreviations(
    language: str, text: str, sentences: list[str]
) -> None:
    assert split_sentences(text, language) == sentences


def test_month_abbreviations_are_known_to_the_splitter() -> None:
    reader = reader_for("en")
    assert reader is not None
    found = table(reader).find("sept")
    assert found is not None and found.use == "before_number"
