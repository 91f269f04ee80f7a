"""Pronunciation lexicons: matching rules, shipped files, user files and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.errors import ConfigError
from listen.speech.lexicon import Lexicon, load_lexicon, shipped_lexicons


def _lexicon(**words: str) -> Lexicon:
    return Lexicon(tuple(words.items()))


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("The US and us", "The U S and us"),  # a key with a capital matches only itself
        ("nginx, Nginx, NGINX", "engine x, Engine x, Engine x"),  # lowercase key: any case
        ("Xi Jinping spoke; Xi left", "Shee Jin-ping spoke; Shee left"),  # phrase first
        ("Xi\u00a0Jinping spoke", "Shee Jin-ping spoke"),  # any whitespace inside a phrase
        ("the ICJ's ruling", "the I C J's ruling"),
        ("ICJs and XICJ and ICJX", "ICJs and XICJ and ICJX"),  # whole words only
        ("see nginx.conf", "see nginx.conf"),  # not inside a dotted name
        ("https://github.com/nginx and @nginx", "https://github.com/nginx and @nginx"),
        ("nginx.", "engine x."),
        ("C++ code", "C plus plus code"),
        ("", ""),
    ],
)
def test_apply(text: str, spoken: str) -> None:
    lexicon = Lexicon(
        (
            ("US", "U S"),
            ("nginx", "engine x"),
            ("Xi", "Shee"),
            ("Xi Jinping", "Shee Jin-ping"),
            ("ICJ", "I C J"),
            ("C++", "C plus plus"),
        )
    )
    assert lexicon.apply(text) == spoken


def test_a_period_ending_the_key_still_ends_the_sentence() -> None:
    lexicon = _lexicon(**{"usw.": "und so weiter"})
    assert lexicon.apply("Äpfel, Birnen usw.") == "Äpfel, Birnen und so weiter."
    assert lexicon.apply("Äpfel usw. und mehr") == "Äpfel und so weiter und mehr"


def test_later_entries_override_earlier_ones() -> None:
    assert Lexicon((("GIF", "gif"), ("GIF", "jif"))).apply("a GIF") == "a jif"


def test_empty_lexicon_returns_text_unchanged() -> None:
    assert Lexicon().apply("The ICJ") == "The ICJ"


def test_lexicon_is_hashable_and_comparable() -> None:
    assert hash(_lexicon(a="b")) == hash(_lexicon(a="b"))
    assert _lexicon(a="b") == _lexicon(a="b") != _lexicon(a="c")


def test_shipped_lexicons() -> None:
    assert {"en", "de", "fr"} <= set(shipped_lexicons())
    english = load_lexicon("en")
    assert english.apply("The ICJ, the ECHR and the OSCE met at NATO.") == (
        "The I C J, the E C H R and the O S C E met at Nato."
    )
    assert english.apply("nginx on GitHub, via PyPI and SQL") == (
        "engine x on Git hub, via Pie pee eye and S Q L"
    )
    assert english.phoneme("nginx") == "ˈɛndʒɪn ˈɛks"
    assert english.phoneme("unknown") is None


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        ("de", "Die SPD und die GmbH", "Die S P D und die G m b H"),
        ("de-AT", "Die NATO und die EU", "Die Nato und die E U"),
        ("fr", "La SNCF et l'OTAN", "La S N C F et l'Otan"),
        ("en_GB", "the ICJ", "the I C J"),
        ("xx", "the ICJ", "the ICJ"),  # no shipped lexicon: nothing applied
    ],
)
def test_language_lexicon_is_included(language: str, text: str, spoken: str) -> None:
    assert load_lexicon(language).apply(text) == spoken


def test_named_files_and_publisher_extra_override_in_order(tmp_path: Path) -> None:
    path = tmp_path / "house.toml"
    path.write_text('[words]\nICJ = "the world court"\nListen = "lissen"\n', encoding="utf-8")
    lexicon = load_lexicon("en", [str(path)], {"Listen": "listen app"})
    assert lexicon.apply("ICJ and Listen") == "the world court and listen app"


def test_a_shipped_lexicon_by_name() -> None:
    assert load_lexicon("en", ["de"]).apply("the ZDF") == "the Z D F"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[words]\nICJ = "I C J"\n[sounds]\nx = "y"\n', "unknown key 'sounds'"),
        ('ICJ = "I C J"\n', "unknown key 'ICJ'"),
        ("[words]\nICJ = 3\n", "needs a non-empty text value"),
        ('[words]\nICJ = ""\n', "needs a non-empty text value"),
        ('[words]\nICJ = "I C J\n', "not valid TOML"),
        ('words = "x"\n', "must be a table"),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        load_lexicon("en", [str(path)])
    assert str(path) in str(raised.value)


def test_missing_file_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_lexicon("en", [str(tmp_path / "missing.toml")])
    with pytest.raises(ConfigError, match="Shipped lexicons: de, en, fr"):
        load_lexicon("en", ["klingon"])


def test_bad_publisher_entry() -> None:
    with pytest.raises(ConfigError, match="listen.toml"):
        load_lexicon("en", (), {"ICJ": ""})


def test_shipped_files_load_cleanly() -> None:
    for name in shipped_lexicons():
        assert load_lexicon("xx", [name]).words
