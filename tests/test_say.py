"""``listen say``: each misreading the speech text once had, in its language, through
the command a publisher uses to check a line; and what ``say`` prints and writes."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listen.cli import app
from listen.sound.audio import decode_mp3

runner = CliRunner()


def say(*args: str, config: Path | None = None) -> str:
    options = ["--config", str(config)] if config else []
    result = runner.invoke(app, ["say", *options, *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def spoken(language: str, text: str, config: Path | None = None) -> str:
    """What ``listen say --spoken`` prints: the speech text alone, on one line."""
    printed = say("--language", language, "--spoken", "--", text, config=config)
    assert printed.count("\n") == 1, printed
    return printed.strip()


# Each reading the issue found wrong, as a listener heard it, and as it must be said.
MISREADINGS = [
    # ("$300M" was "300 dollarsM")
    ("en", "The merger is worth $300M.", "The merger is worth three hundred million dollars."),
    # ("10km" was "ten K M")
    ("en", "She ran 10km before work.", "She ran ten kilometres before work."),
    # ("03/18/2026" was "zero three slash eighteen slash …")
    ("en", "The vote is on 03/18/2026.", "The vote is on March eighteenth, twenty twenty-six."),
    # ("WWII" was "W W I I")
    ("en", "He served in WWII as a medic.", "He served in World War Two as a medic."),
    # ("Inc." was said like "ink")
    ("en", "Shares of Orbit Inc. rose.", "Shares of Orbit Incorporated rose."),
    # ("am 14. Januar" was "am vierzehn Januar")
    ("de", "Die Wahl ist am 14. Januar.", "Die Wahl ist am vierzehnten Januar."),
    # ("1,2 Mrd. Euro" was "M R D", with a sentence break after "Mrd.")
    ("de", "Das Land zahlt 1,2 Mrd. Euro für Schulen.",
     "Das Land zahlt eins Komma zwei Milliarden Euro für Schulen."),
    # ("9.30 Uhr" was "neun Punkt dreißig Uhr")
    ("de", "Der Zug fährt um 9.30 Uhr.", "Der Zug fährt um neun Uhr dreißig."),
    # ("env. 3 M€" was "env", "M", "€")
    ("fr", "Le chantier coûte env. 3 M€.", "Le chantier coûte environ trois millions d'euros."),
    # ("11e arrondissement" was "onze e")
    ("fr", "Elle habite le 11e arrondissement.", "Elle habite le onzième arrondissement."),
    # ("EE.UU." was "e e punto u u")
    ("es", "El viaje a EE.UU. se retrasó.", "El viaje a Estados Unidos se retrasó."),
    # ("Q150 millones" was "Q ciento cincuenta millones", not quetzales)
    ("es", "El puente costó Q150 millones.",
     "El puente costó ciento cincuenta millones de quetzales."),
    # NeMo's own misreadings of real sentences: "1.000" as a decimal, a football score
    # as a date, a German date in the nominative after "am"
    ("de", "Rund 1.000 Fans kamen.", "Rund eintausend Fans kamen."),
    ("en", "The derby ended 2-2 again.", "The derby ended two to two again."),
    ("es", "Llegaron 1.000 aficionados.", "Llegaron mil aficionados."),
]


@pytest.mark.parametrize(("language", "written", "said"), MISREADINGS,
                         ids=[written for _l, written, _s in MISREADINGS])
def test_each_misreading_is_now_said_right(language: str, written: str, said: str) -> None:
    assert spoken(language, written) == said


def test_an_abbreviation_does_not_end_the_sentence_unless_it_does() -> None:
    assert spoken("de", "Es kostet 1,2 Mrd. Euro. Die Regierung zahlt.") == (
        "Es kostet eins Komma zwei Milliarden Euro. Die Regierung zahlt.")
    assert spoken("de", "Es kostet 1,2 Mrd. Die Regierung zahlt.") == (
        "Es kostet eins Komma zwei Milliarden. Die Regierung zahlt.")


def test_say_shows_each_rule_and_what_it_changed() -> None:
    printed = say("--language", "en", "--", "Dr. Lee paid $5 on 03/18/2026.")
    lines = printed.splitlines()
    assert lines[0] == "written  Dr. Lee paid $5 on 03/18/2026."
    assert lines[1] == ("spoken   Doctor Lee paid five dollars on March eighteenth, "
                        "twenty twenty-six.")
    assert "  money: $5 → five dollars" in lines
    assert "  abbreviations: Dr. → Doctor" in lines
    assert "  dates: 03/18/2026 → March eighteenth, twenty twenty-six" in lines


def test_say_applies_the_lexicon_and_shows_it(tmp_path: Path) -> None:
    config = tmp_path / "listen.toml"
    config.write_text('[lexicon]\nOrbit = "Or bit"\n', encoding="utf-8")
    printed = say("--language", "en", "--", "Orbit Inc. grew.", config=config)
    assert "spoken   Or bit Incorporated grew." in printed
    assert "  lexicon: Orbit → Or bit" in printed


def test_listen_toml_extends_the_speech_data(tmp_path: Path) -> None:
    config = tmp_path / "listen.toml"
    config.write_text(
        '[speech.en.units]\nnmi = ["nautical mile", "nautical miles"]\n'
        '[speech.en.abbreviations.before_name]\nCllr = "Councillor"\n'
        '[speech.de.currencies]\n"₴" = ["Hrywnja", "Hrywnja", "f", "Kopeke", "Kopeken"]\n',
        encoding="utf-8",
    )
    assert spoken("en", "Cllr. Ray sailed 12 nmi.", config) == (
        "Councillor Ray sailed twelve nautical miles.")
    assert spoken("de", "Es kostet 1 ₴.", config) == "Es kostet eine Hrywnja."
    assert spoken("en", "Cllr. Ray sailed 12 nmi.") == "Cllr. Ray sailed twelve nmi."


def test_a_bad_speech_table_is_one_line_error(tmp_path: Path) -> None:
    config = tmp_path / "listen.toml"
    config.write_text('[speech.en.unitz]\nnmi = ["a", "b"]\n', encoding="utf-8")
    result = runner.invoke(app, ["say", "--config", str(config), "--language", "en", "--", "x"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: [speech.en]: unknown table 'unitz'")
    assert "Traceback" not in result.stderr
    config.write_text('[speech.en.units]\nnmi = "nautical mile"\n', encoding="utf-8")
    result = runner.invoke(app, ["say", "--config", str(config), "--language", "en", "--", "x"])
    assert result.exit_code == 1
    assert "'nmi' must be [\"one\", \"other\"]" in result.stderr


def test_say_detects_the_language_when_none_is_given() -> None:
    assert say("--spoken", "--", "Die Sitzung beginnt am 14. Januar um 9.30 Uhr.").strip() == (
        "Die Sitzung beginnt am vierzehnten Januar um neun Uhr dreißig.")


@pytest.mark.parametrize("suffix", [".mp3", ".wav"])
def test_say_out_speaks_the_line_to_a_file(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"line{suffix}"
    result = runner.invoke(app, ["say", "--voice", "espeak-en-us", "--out", str(out), "--",
                                 "The merger is worth $300M."])
    assert result.exit_code == 0, result.stderr
    if suffix == ".mp3":
        samples, rate = decode_mp3(out)
        seconds = len(samples) / rate
    else:
        with wave.open(str(out)) as wav:
            seconds = wav.getnframes() / wav.getframerate()
    # "three hundred million dollars" takes well over a second; "300M" would not
    assert 2.0 < seconds < 8.0
    assert not list(tmp_path.glob("*.tmp*")), "no half-written file is left behind"


def test_say_out_refuses_other_formats(tmp_path: Path) -> None:
    result = runner.invoke(app, ["say", "--voice", "espeak-en-us", "--out",
                                 str(tmp_path / "line.ogg"), "--", "Hello."])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write line.ogg: name a .mp3 or .wav file")
    assert not (tmp_path / "line.ogg").exists()


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Ferry fares rise</title></head><body><article><h1>Ferry fares rise</h1>
<p>The harbour board raised fares by 12% on 03/18/2026, to $4.50 a trip.</p>
<p>Dr. Okafor said the new boats reach 40 km/h.</p></article></body></html>"""


def test_script_spoken_explain_traces_rules_per_sentence(tmp_path: Path) -> None:
    page = tmp_path / "fares.html"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["script", str(page), "--spoken", "--explain"])
    assert result.exit_code == 0, result.stderr
    assert "raised fares by twelve percent on March eighteenth" in result.stdout
    assert "Speech rules" in result.stderr
    rows = [line for line in result.stderr.splitlines() if "│" in line]
    cells = [[cell.strip() for cell in row.split("│")[1:-1]] for row in rows]
    assert ["2", "money", "$4.50", "four dollars fifty cents"] in cells
    assert ["2", "measures", "12%", "twelve percent"] in cells
    assert ["3", "abbreviations", "Dr.", "Doctor"] in cells
