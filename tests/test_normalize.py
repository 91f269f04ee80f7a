"""Speech-text rules: one table of written → spoken examples per rule."""

from __future__ import annotations

import time

import pytest

from listen.speech import abbreviations
from listen.speech.initialisms import reads_as_word
from listen.speech.normalize import RULES, normalize


def _cases(*rows: tuple[str, str]) -> list[tuple[str, str]]:
    return list(rows)


UNICODE = _cases(
    ("“Curly” quotes", '"Curly" quotes'),
    ("it’s ‘fine’", "it's 'fine'"),
    ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
    ("no\u00a0break  and\ttabs", "no break and tabs"),
    ("„Deutsch“", '"Deutsch"'),
)
BRACKETS = _cases(
    ("[n]ow famous", "now famous"),
    ("[T]he court said", "The court said"),
    ("He said [sic] it.", "He said it."),
    ("Values[edit]", "Values"),  # a wiki's section edit link
    ("It ended […] badly.", "It ended badly."),
    ("It ended [...] badly.", "It ended badly."),
    ("It was true.[12]", "It was true."),
    ("he [the minister] agreed", "he the minister agreed"),
)
WEB = _cases(
    ("See https://www.example.com/path/to?q=1.", "See example dot com."),
    ("Visit www.example.org", "Visit example dot org"),
    ("at http://news.bbc.co.uk/x, then", "at news dot bbc dot co dot uk, then"),
    ("Write to jane.doe@example.com today", "Write to jane dot doe at example dot com today"),
    ("Follow @listen_audio now", "Follow at listen audio now"),
    ("Tagged #ClimateAction", "Tagged hashtag Climate Action"),
    ("It was #1 again", "It was number 1 again"),
    ("Bought on Amazon.com", "Bought on Amazon dot com"),
    ("Node.js and C# stay", "Node.js and C# stay"),
)
RANGES = _cases(
    ("In 2021-2022 it grew", "In 2021 to 2022 it grew"),
    ("the 1914–1918 war", "the 1914 to 1918 war"),
    ("the 2021-22 season", "the 2021 to 22 season"),
    ("from March 14-31", "from March 14 to 31"),
    ("see pages 33–54", "see pages 33 to 54"),
    ("see pp. 33-54", "see pages 33 to 54"),
    ("rose 10–15%", "rose 10 to 15 percent"),
    ("rose 10-15% a year", "rose 10 to 15 percent a year"),
    ("took 5-10 minutes", "took 5 to 10 minutes"),
    ("between 10-15 people", "between 10 and 15 people"),
    ("children aged 5–11", "children aged 5 to 11"),
    ("a 3-1 win", "a 3-1 win"),
    ("a 3–1 win", "a 3-1 win"),
    ("a 1–3 defeat", "a 1-3 defeat"),
    ("they won 2–3", "they won 2-3"),
    ("call 555-1234", "call 555-1234"),
    ("ISBN 978-3-16-148410-0", "I S B N 978-3-16-148410-0"),
    ("on 2021-03-04", "on 2021-03-04"),
    ("in 2021-03", "in 2021-03"),
)
TIMES = _cases(
    ("at 9:30 a.m. on Monday", "at 9:30 A M on Monday"),
    ("at 7pm sharp", "at 7 P M sharp"),
    ("until 11 PM", "until 11 P M"),
    ("It opens at 9 a.m.", "It opens at 9 A M."),
    ("at 9.30pm", "at 9:30 P M"),
    ("at 14:30", "at 14:30"),
)
ABBREVIATIONS = _cases(
    ("Dr. Smith arrived", "Doctor Smith arrived"),
    ("Mr. and Mrs. Jones", "Mr. and Missus Jones"),
    ("Mr. Jones and Ms. Lee", "Mister Jones and Miz Lee"),
    ("Prof. Chen spoke", "Professor Chen spoke"),
    ("St. Louis is big", "Saint Louis is big"),
    ("on Baker St. today", "on Baker Street today"),
    ("He lives on Baker St.", "He lives on Baker Street."),
    ("No. 5 was best", "number 5 was best"),
    ("I said no. Then", "I said no. Then"),
    ("fruit, e.g. apples", "fruit, for example apples"),
    ("E.g. apples", "For example apples"),
    ("books, e.g. The Hobbit", "books, for example The Hobbit"),
    ("one, i.e. this", "one, that is this"),
    ("apples, pears, etc.", "apples, pears, et cetera."),
    ("apples, etc. and more", "apples, et cetera and more"),
    ("Ali vs. Frazier", "Ali versus Frazier"),
    ("Roe v. Wade", "Roe versus Wade"),
    ("approx. 40", "approximately 40"),
    ("born c. 1950", "born circa 1950"),
    ("on Jan. 5", "on January 5"),
    ("Sept. 11 came", "September 11 came"),
    ("I met Jan. She", "I met Jan. She"),
    ("the U.S. Army", "the U S Army"),
    ("moved to the U.S.", "moved to the U S."),
    ("the U.K. and the U.S. The", "the U K and the U S. The"),
    ("J.R.R. Tolkien", "J R R Tolkien"),
    ("Martin Luther King Jr. spoke", "Martin Luther King Junior spoke"),
)
MONEY = _cases(
    ("It cost $5", "It cost 5 dollars"),
    ("only $1 each", "only 1 dollar each"),
    ("a $5.2 million deal", "a 5.2 million dollars deal"),
    ("raised $3m", "raised 3 million dollars"),
    ("a £1.5bn hole", "a 1.5 billion pounds hole"),
    ("€20 fee", "20 euros fee"),
    ("costs 20€", "costs 20 euros"),
    ("£4.99 a month", "4 pounds 99 a month"),
    ("$5.00 flat", "5 dollars flat"),
    ("US$5 each", "5 U S dollars each"),
    ("$5-10 million", "5 to 10 million dollars"),
    ("$1,000, he said", "1,000 dollars, he said"),
    ("10k fans", "10 thousand fans"),
    ("a 10K run", "a 10K run"),
    ("50¢ each", "50 cents each"),
)
UNITS = _cases(
    ("up 10%", "up 10 percent"),
    ("up 10 %", "up 10 percent"),
    ("20°C today", "20 degrees Celsius today"),
    ("68 °F", "68 degrees Fahrenheit"),
    ("1°C warmer", "1 degree Celsius warmer"),
    ("a 45° angle", "a 45 degrees angle"),
    ("at 100 km/h", "at 100 kilometres per hour"),
    ("at 100km/h", "at 100 kilometres per hour"),
    ("open 24/7", "open twenty-four seven"),
    ("after 9/11", "after nine eleven"),
    ("a 50/50 chance", "a fifty-fifty chance"),
    ("2½ cups", "2 and a half cups"),
    ("add ½ cup", "add one half cup"),
)
SIGNS = _cases(
    ("R&D spending", "R and D spending"),
    ("Tom & Jerry", "Tom and Jerry"),
    ("a +5 rise", "a plus 5 rise"),
    ("2 + 2 = 4", "2 plus 2 equals 4"),
    ("3 × 4", "3 times 4"),
    ("1920×1080 pixels", "1920 by 1080 pixels"),
    ("~5 years", "about 5 years"),
    ("C++ code", "C++ code"),
)
INITIALISMS = _cases(
    ("The ICJ ruled", "The I C J ruled"),
    ("at the BBC today", "at the B B C today"),
    ("the FBI and the CIA", "the F B I and the C I A"),
    ("NATO and NASA agreed", "NATO and NASA agreed"),
    ("OPEC and ASEAN met", "OPEC and ASEAN met"),
    ("it's OK", "it's OK"),
    ("three CEOs said", "three C E O's said"),
    ("the ICJ's view", "the I C J's view"),
    ("World War II ended", "World War II ended"),
    ("COVID-19 and MP3 files", "COVID-19 and MP3 files"),
    ("this is NOT fine", "this is NOT fine"),
    ("BREAKING NEWS FROM THE ICJ", "BREAKING NEWS FROM THE ICJ"),
    ("By JOHN SMITH", "By JOHN SMITH"),
    ("The ICJ", "The I C J"),
    ("the UCLA campus", "the U C L A campus"),
)
PAUSES = _cases(
    ("The city — London — is big.", "The city, London, is big."),
    ("The city—London—is big.", "The city, London, is big."),
    ("It was -- so to speak -- fine.", "It was, so to speak, fine."),
    ("It was - so to speak - fine.", "It was, so to speak, fine."),
    ("It was – so to speak – fine.", "It was, so to speak, fine."),
    ("He paused... then left.", "He paused, then left."),
    ("I don't know... Maybe.", "I don't know. Maybe."),
    ("And then…", "And then."),
    ("...and then", "and then"),
    ('"I was going to—" She stopped.', '"I was going to." She stopped.'),
    ('"Well..." he said.', '"Well," he said.'),
    ("Wait...?", "Wait ?"),
    ("Franco–Prussian war", "Franco-Prussian war"),
    ("— Hello, she said", "Hello, she said"),
    ("a well-known fact", "a well-known fact"),
)
TIDY = _cases(
    ("too  many   spaces ", "too many spaces"),
    ("It ended — .", "It ended."),
)


@pytest.mark.parametrize(
    ("written", "spoken"),
    [*UNICODE, *BRACKETS, *WEB, *RANGES, *TIMES, *ABBREVIATIONS, *MONEY, *UNITS, *SIGNS,
     *INITIALISMS, *PAUSES, *TIDY],
)
def test_english(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


@pytest.mark.parametrize(
    ("language", "written", "spoken"),
    [
        ("de", "Er sagte — leider — nein…", "Er sagte, leider, nein."),
        ("de", "Die ICJ tagt am 3. März um 10%.", "Die ICJ tagt am 3. März um 10%."),
        ("de", "„Zitat“ [sic] auf https://www.spiegel.de/politik/x-123.html",
         '"Zitat" auf spiegel.de'),
        ("fr", "Le prix : 5 € — environ.", "Le prix : 5 €, environ."),
        ("fr", "Dr. Martin vs. M. Dupont", "Dr. Martin vs. M. Dupont"),
        ("fr", "de 5 – 10 % — environ", "de 5 – 10 %, environ"),
        ("en-GB", "Dr. Who", "Doctor Who"),
    ],
)
def test_other_languages_get_only_neutral_rules(language: str, written: str, spoken: str) -> None:
    assert normalize(written, language) == spoken


@pytest.mark.parametrize(
    ("word", "said_as_word"),
    [("NATO", True), ("NASA", True), ("OPEC", True), ("ASEAN", True), ("CERN", True),
     ("OK", True), ("NOT", True), ("VIII", True), ("ICJ", False), ("ECHR", False),
     ("OSCE", False), ("USDA", False), ("IAEA", False), ("FBI", False), ("US", False),
     ("AI", False), ("GDP", False)],
)
def test_reads_as_word(word: str, said_as_word: bool) -> None:
    assert reads_as_word(word) is said_as_word


def test_abbreviation_table_is_unambiguous() -> None:
    words = [row.written.lower() for row in abbreviations.ABBREVIATIONS]
    assert len(words) == len(set(words))
    assert all(not row.written.endswith(".") for row in abbreviations.ABBREVIATIONS)
    assert abbreviations.MONTH_ABBREVIATIONS["Sept"] == "September"
    assert "May" not in abbreviations.MONTH_ABBREVIATIONS
    assert set(abbreviations.MONTH_ABBREVIATIONS.values()) == set(abbreviations.MONTHS) - {"May"}


def test_rules_have_unique_names_and_end_with_tidy() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert names[0] == "unicode" and names[-1] == "tidy"


@pytest.mark.parametrize("text", ["", " ", "—", "...", "[sic]", "$", "%", "#", "@", "&"])
def test_degenerate_input_does_not_fail(text: str) -> None:
    assert isinstance(normalize(text), str)


def test_a_long_article_normalises_fast() -> None:
    paragraph = (
        "Dr. Smith told the ICJ on Jan. 5 that U.S. costs rose 10–15% — about $5.2 million — "
        "in 2021-2022, e.g. at https://www.example.com/report; see pages 33–54. "
        "\u201cIt\u2019s not over\u2026\u201d she said at 9:30 a.m. via @listen_audio. "
    )
    article = paragraph * (5000 // len(paragraph.split()) + 1)
    assert len(article.split()) >= 5000
    started = time.perf_counter()
    normalize(article)
    assert time.perf_counter() - started < 0.1
