"""Speech-text rules: written → spoken, per language and per class, in our own sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listen.speech.initialisms import reads_as_word
from listen.speech.normalize import RULES, Change, normalize


def _cases(*rows: tuple[str, str]) -> list[tuple[str, str]]:
    return list(rows)


# ── typography: every language ────────────────────────────────────────────────

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
    ("too  many   spaces ", "too many spaces"),
    ("It ended — .", "It ended."),
)


@pytest.mark.parametrize(("written", "spoken"), [*UNICODE, *BRACKETS, *PAUSES])
@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it"])
def test_typography_is_the_same_in_every_language(language: str, written: str,
                                                  spoken: str) -> None:
    assert normalize(written, language) == spoken


# ── English ───────────────────────────────────────────────────────────────────

EN_WEB = _cases(
    ("See https://www.example.com/path/to?q=1.", "See example dot com."),
    ("at http://news.bbc.co.uk/x, then", "at news dot bbc dot co dot uk, then"),
    ("Write to jane.doe@example.com today", "Write to jane dot doe at example dot com today"),
    ("Follow @listen_audio now", "Follow at listen audio now"),
    ("Tagged #ClimateAction", "Tagged hashtag Climate Action"),
    ("It was #1 again", "It was number one again"),
    ("Node.js and C# stay", "Node.js and C# stay"),
)
EN_MONEY = _cases(
    ("The deal is worth $300M to them.",
     "The deal is worth three hundred million dollars to them."),
    ("Shares fell to £12.40 on Tuesday.", "Shares fell to twelve pounds forty pence on Tuesday."),
    ("The firm raised €1.2bn last year.", "The firm raised one point two billion euros last year."),
    ("Tickets cost $15-$20 at the door.",
     "Tickets cost fifteen dollars to twenty dollars at the door."),
    ("Refunds of 50¢ each were paid.", "Refunds of fifty cents each were paid."),
    ("The fund holds CHF 250 million.",
     "The fund holds two hundred and fifty million Swiss francs."),
    ("It costs US$5 each.", "It costs five U S dollars each."),
    ("It was $2.00 flat.", "It was two dollars flat."),
    ("Plans start at $9/mo for students.", "Plans start at nine dollars per month for students."),
    ("Only $1 left", "Only one dollar left"),
)
EN_MEASURES = _cases(
    ("He ran 10km in 42 minutes.", "He ran ten kilometres in forty-two minutes."),
    ("It reached 180 km/h.", "It reached one hundred and eighty kilometres per hour."),
    ("It hit -5°C overnight and 68 °F by noon.",
     "It hit minus five degrees Celsius overnight and sixty-eight degrees Fahrenheit by noon."),
    ("The flat is 85 m² and uses 3,200 kWh.",
     "The flat is eighty-five square metres and uses three thousand two hundred kilowatt hours."),
    ("She is 1.72 m tall.", "She is one point seven two metres tall."),
    ("A 1°C rise", "A one degree Celsius rise"),
    ("Output rose 4.5% this year.", "Output rose four point five percent this year."),
    ("They shipped 100 million kg of grain.",
     "They shipped one hundred million kilograms of grain."),
    ("a 2x4 m stage", "a two by four metres stage"),
    ("It is 0.1 M in size", "It is zero point one M in size"),  # not metres: capital M
)
EN_DATES = _cases(
    ("It happened on March 4, 2026 in Ohio.",
     "It happened on March fourth, twenty twenty-six in Ohio."),
    ("The law took effect on 4 March 2026.",
     "The law took effect on the fourth of March twenty twenty-six."),
    ("Deadline: 03/18/2026.", "Deadline: March eighteenth, twenty twenty-six."),
    ("The report is dated 2026-03-18.", "The report is dated March eighteenth, twenty twenty-six."),
    ("On the 26th of May the river rose.", "On the twenty-sixth of May the river rose."),
    ("Filed Jan. 15 and heard SEPT. 3", "Filed January fifteenth and heard September third"),
    ("He was born in 1994 and moved in 2006.",
     "He was born in nineteen ninety-four and moved in two thousand and six."),
    ("The 1990s were calm; the '80s were not.",
     "The nineteen nineties were calm; the eighties were not."),
    ("We saw growth in Q2 2024.", "We saw growth in the second quarter of twenty twenty-four."),
    ("Caesar died in 44 BC.", "Caesar died in forty-four B C."),
    ("You may 15 times", "You may fifteen times"),  # "may" the verb is no month
)
EN_TIMES = _cases(
    ("Doors open at 9:30 a.m. and close at 5pm.",
     "Doors open at nine thirty A M and close at five P M."),
    ("The train leaves at 14:05.", "The train leaves at fourteen oh five."),
    ("The meeting runs 2pm-5pm EST.", "The meeting runs two P M to five P M E S T."),
    ("It opens at 9 a.m.", "It opens at nine A M."),
    ("She won in 2:03:45", "She won in two hours three minutes and forty-five seconds"),
)
EN_RANGES = _cases(
    ("The 2019–2021 figures are final.",
     "The twenty nineteen to twenty twenty-one figures are final."),
    ("Prices rose 10–15% in 2021-22.",
     "Prices rose ten to fifteen percent in twenty twenty-one to twenty-two."),
    ("Between 10-15 people came.", "Between ten and fifteen people came."),
    ("They won 3-1 at home.", "They won three to one at home."),
    ("The match ended 2-2.", "The match ended two to two."),
    ("The 1-3 defeat hurt.", "The one to three defeat hurt."),  # rising, but a score
    ("Call 2-5 later", "Call two-five later"),  # no context: left for the engine
    ("Read chapters 3-5 first.", "Read chapters three to five first."),
    ("The vote was 7–2.", "The vote was seven to two."),
    ("It took 5-10 minutes.", "It took five to ten minutes."),
)
EN_NUMBERS = _cases(
    ("She finished 21st and he was 3rd.", "She finished twenty-first and he was third."),
    ("About 1,234,567 people live there.",
     "About one million two hundred and thirty-four thousand five hundred and sixty-seven "
     "people live there."),
    ("Add 3/4 cup and 2 1/2 cups.", "Add three quarters cup and two and a half cups."),
    ("Agent 007 read ISBN 978-3-16-148410-0.",
     "Agent zero zero seven read I S B N nine seven eight, three, one six, one four eight four "
     "one zero, zero."),
    ("Call +1 (555) 123-4567 today.",
     "Call plus one, five five five, one two three, four five six seven today."),
    ("The host is 192.168.0.1 now",
     "The host is one nine two dot one six eight dot zero dot one now"),
    ("Its 3th edition", "Its three th edition"),  # not an ordinal: left as written
    ("It grew 10x in 3 years.", "It grew ten times in three years."),
    ("It is open 24/7", "It is open twenty-four seven"),
    ("She scored 1/5 in the test", "She scored 1/5 in the test"),  # a date or a fraction
)
EN_NAMES_AND_ABBREVIATIONS = _cases(
    ("Queen Elizabeth II and Henry VIII", "Queen Elizabeth the second and Henry the eighth"),
    ("Chapter IV describes World War II.", "Chapter four describes World War two."),
    ("Sam and I went to Schedule IV hearings.", "Sam and I went to Schedule four hearings."),
    ("Dr. Smith met Sen. Warren at St. Paul's", "Doctor Smith met Senator Warren at Saint Paul's"),
    ("He lives on Baker St.", "He lives on Baker Street."),
    ("They met on Baker St. The road was shut.", "They met on Baker Street. The road was shut."),
    ("Acme Inc. and Widgets Ltd. merged.", "Acme Incorporated and Widgets Limited merged."),
    ("WWII ended; the U.S. signed.", "World War Two ended; the U S signed."),
    ("Orig. title: The Long Road", "Original title: The Long Road"),
    ("fruit, e.g. apples", "fruit, for example apples"),
    ("apples, pears, etc.", "apples, pears, et cetera."),
    ("Roe v. Wade", "Roe versus Wade"),
    ("born c. 1950", "born circa nineteen fifty"),
    ("No. 5 was best", "number five was best"),
    ("I said no. Then", "I said no. Then"),
    ("J.R.R. Tolkien", "J R R Tolkien"),
    ("R&D spending", "R and D spending"),
    ("2 + 2 = 4", "two plus two equals four"),
    ("The ICJ and NATO met", "The I C J and NATO met"),
    ("BREAKING NEWS FROM THE ICJ", "BREAKING NEWS FROM THE ICJ"),
)


@pytest.mark.parametrize(
    ("written", "spoken"),
    [*EN_WEB, *EN_MONEY, *EN_MEASURES, *EN_DATES, *EN_TIMES, *EN_RANGES, *EN_NUMBERS,
     *EN_NAMES_AND_ABBREVIATIONS],
)
def test_english(written: str, spoken: str) -> None:
    assert normalize(written, "en") == spoken


# ── German ────────────────────────────────────────────────────────────────────

GERMAN = _cases(
    ("Am 14. Januar 2026 tritt es in Kraft.",
     "Am vierzehnten Januar zweitausend sechsundzwanzig tritt es in Kraft."),
    ("Der Vertrag wurde am 3.10.1990 unterzeichnet.",
     "Der Vertrag wurde am dritten Oktober neunzehnhundert neunzig unterzeichnet."),
    ("Bis zum 5. Mai bleibt sie gesperrt.", "Bis zum fünften Mai bleibt sie gesperrt."),
    ("Die Wahl am 24.09. brachte 33,1 Prozent.",
     "Die Wahl am vierundzwanzigsten September brachte dreiunddreißig Komma eins Prozent."),
    ("Sie beginnt um 9.30 Uhr und endet gegen 18 Uhr.",
     "Sie beginnt um neun Uhr dreißig und endet gegen achtzehn Uhr."),
    ("Der Zug fährt um 1 Uhr ab.", "Der Zug fährt um ein Uhr ab."),
    ("Der Konzern verlor 1,2 Mrd. Euro.", "Der Konzern verlor eins Komma zwei Milliarden Euro."),
    ("Rund 3 Mio. Menschen leben dort.", "Rund drei Millionen Menschen leben dort."),
    ("Das Paket kostet 4,99 € und wiegt 2,5 kg.",
     "Das Paket kostet vier Euro neunundneunzig Cent und wiegt zwei Komma fünf Kilogramm."),
    ("Erlaubt sind 120 km/h.", "Erlaubt sind einhundert zwanzig Kilometer pro Stunde."),
    ("Es waren 45-50 Minuten Fahrt.", "Es waren fünfundvierzig bis fünfzig Minuten Fahrt."),
    ("Bayern gewann 2:0 gegen Dortmund.", "Bayern gewann zwei zu null gegen Dortmund."),
    ("Das Spiel endete 3:1.", "Das Spiel endete drei zu eins."),
    ("Sie siegten 21:15.", "Sie siegten einundzwanzig zu fünfzehn."),  # no "um": a score
    ("Es beginnt um 21:15.", "Es beginnt um einundzwanzig Uhr fünfzehn."),
    ("Es dauert von 2 bis 5.", "Es dauert von zwei bis fünf."),
    ("Die Sitzung ist am 5.", "Die Sitzung ist am fünften."),
    ("Rund 1.000 Menschen kamen.", "Rund eintausend Menschen kamen."),
    ("Die Inflation lag bei 2,4 %.", "Die Inflation lag bei zwei Komma vier Prozent."),
    ("Sie wurde 1994 geboren.", "Sie wurde neunzehnhundert vierundneunzig geboren."),
    ("Es kamen 1500 Menschen.", "Es kamen eintausend fünfhundert Menschen."),  # a count
    ("Ludwig XIV. war König; Kapitel IV folgt.",
     "Ludwig der vierzehnte war König; Kapitel vier folgt."),
    ("Er wurde beim 100. Geburtstag geehrt.", "Er wurde beim hundertsten Geburtstag geehrt."),
    ("Die 3. Liga spielt am Samstag.", "Die dritte Liga spielt am Samstag."),
    ("In den 1990er-Jahren und den 80ern",
     "In den neunzehnhundert neunziger-Jahren und den achtzigern"),
    ("Das kostet z. B. 5 Euro, d. h. wenig.",
     "Das kostet zum Beispiel fünf Euro, das heißt wenig."),
    ("Hr. Müller traf Dr. Weber.", "Herr Müller traf Doktor Weber."),
    ("Die Nr. 5 ist frei.", "Die Nummer fünf ist frei."),
    ("Er ist ca. 3 Std. gelaufen.", "Er ist circa drei Stunden gelaufen."),
    ("Es sind 1 Stunde und 1 Tag vergangen.", "Es sind eine Stunde und ein Tag vergangen."),
    ("Ruf 030 1234567 an.", "Ruf null drei null, eins zwei drei vier fünf sechs sieben an."),
    ("Die ICJ tagt.", "Die ICJ tagt."),  # no English spelling of initialisms
)
FRENCH = _cases(
    ("Le projet coûte env. 3 M€ et vise le 11e arrondissement.",
     "Le projet coûte environ trois millions d'euros et vise le onzième arrondissement."),
    ("La réunion a lieu le 1er mars 2026 à 18h30.",
     "La réunion a lieu le premier mars deux mille vingt-six à dix-huit heures trente."),
    ("Le train part à 00h25 et arrive à 9 h.",
     "Le train part à zéro heure vingt-cinq et arrive à neuf heures."),
    ("Il est né le 14/07/1989 à Lyon.",
     "Il est né le quatorze juillet mille neuf cent quatre-vingt-neuf à Lyon."),
    ("Les 17/18 juin, la fête aura lieu.", "Les dix-sept et dix-huit juin, la fête aura lieu."),
    ("Le budget atteint 1,5 milliard d'euros.",
     "Le budget atteint un virgule cinq milliard d'euros."),
    ("Environ 21 personnes et 1 voiture.", "Environ vingt et une personnes et une voiture."),
    ("Limitée à 130 km/h sur 45 km.",
     "Limitée à cent trente kilomètres heure sur quarante-cinq kilomètres."),
    ("Louis XIV et François Ier ont régné ; le XIXe siècle suit.",
     "Louis quatorze et François premier ont régné ; le dix-neuvième siècle suit."),
    ("Lisez l'acte III et la Ve République.", "Lisez l'acte trois et la cinquième République."),
    ("Le chat et Ce livre", "Le chat et Ce livre"),  # "Le", "Ce" are no roman numerals
    ("Mme Dupont et M. Martin ont signé.", "Madame Dupont et Monsieur Martin ont signé."),
    ("La population est de 2 175 601 habitants.",
     "La population est de deux millions cent soixante-quinze mille six cent un habitants."),
    ("Il a mangé 3/4 du gâteau.", "Il a mangé trois quarts du gâteau."),
    ("La 2e édition et la 1re place.", "La deuxième édition et la première place."),
    ("Le n° 5 coûte 4,50 €.", "Le numéro cinq coûte quatre euros cinquante centimes."),
    ("Il a couru 10 000 m en 27 min.", "Il a couru dix mille mètres en vingt-sept minutes."),
    ("Le PSG a gagné 3-1.", "Le PSG a gagné trois à un."),
)
SPANISH = _cases(
    ("EE.UU. invirtió Q150 millones en Guatemala.",
     "Estados Unidos invirtió ciento cincuenta millones de quetzales en Guatemala."),
    ("El gobierno destinó 2.500 millones de euros y 1.000 dólares.",
     "El gobierno destinó dos mil quinientos millones de euros y mil dólares."),
    ("Unas 200 personas y 21 mujeres asistieron.",
     "Unas doscientas personas y veintiuna mujeres asistieron."),
    ("Asistieron 200 mil personas.", "Asistieron doscientas mil personas."),
    ("Subió en 2021 y 21 dólares", "Subió en dos mil veintiuno y veintiún dólares"),
    ("La reunión fue el 1 de enero de 2026 a las 23:30.",
     "La reunión fue el primero de enero de dos mil veintiséis a las veintitrés y media."),
    ("Llegó el 14/03/2024 a las 9:05 a.m.",
     "Llegó el catorce de marzo de dos mil veinticuatro a las nueve y cinco de la mañana."),
    ("El precio subió un 3,5 % hasta 12,50 €.",
     "El precio subió un tres coma cinco por ciento hasta doce euros cincuenta céntimos."),
    ("Felipe VI y Benedicto XVI, en el siglo XXI.",
     "Felipe sexto y Benedicto dieciséis, en el siglo veintiuno."),
    ("El Sr. García y la Dra. López viven en la Avda. Libertador.",
     "El señor García y la doctora López viven en la avenida Libertador."),
    ("El Real Madrid ganó 2-0 y antes 1-1.", "El Real Madrid ganó dos a cero y antes uno a uno."),
    ("Quedó en 2.º lugar y ella en 3.ª posición; fue el 1.er día.",
     "Quedó en segundo lugar y ella en tercera posición; fue el primer día."),
    ("Llegó a 40 °C en 2 h.", "Llegó a cuarenta grados centígrados en dos horas."),
    ("La población es de 1.234.567 habitantes.",
     "La población es de un millón doscientos treinta y cuatro mil quinientos sesenta y siete "
     "habitantes."),
    ("Más de 1 millón de personas y 1 de cada 3.",
     "Más de un millón de personas y uno de cada tres."),
    ("2 + 2 - 1 = 3", "dos más dos menos uno es igual a tres"),
)


@pytest.mark.parametrize(("written", "spoken"), GERMAN)
def test_german(written: str, spoken: str) -> None:
    assert normalize(written, "de") == spoken


@pytest.mark.parametrize(("written", "spoken"), FRENCH)
def test_french(written: str, spoken: str) -> None:
    assert normalize(written, "fr") == spoken


@pytest.mark.parametrize(("written", "spoken"), SPANISH)
def test_spanish(written: str, spoken: str) -> None:
    assert normalize(written, "es") == spoken


# ── regions ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("language", "written", "spoken"),
    [
        ("es-CO",
         "El dólar subió a $4.000 en Bogotá.", "El dólar subió a cuatro mil pesos en Bogotá."),
        ("es", "Costó $5 en Miami.", "Costó cinco dólares en Miami."),
        ("es-MX", "Pesa 1,234 kg y 2.5 t.",
         "Pesa mil doscientos treinta y cuatro kilogramos y dos punto cinco toneladas."),
        ("es", "Pesa 1,234 kg y 1,234.5 t.",
         "Pesa uno coma doscientos treinta y cuatro kilogramos y mil doscientos treinta y "
         "cuatro punto cinco toneladas."),
        ("en-GB", "Due 03/04/2026.", "Due the third of April twenty twenty-six."),
        ("en-US", "Due 03/04/2026.", "Due March fourth, twenty twenty-six."),
        ("en", "Due 25/12/2026.", "Due December twenty-fifth, twenty twenty-six."),  # no 25th month
    ],
)
def test_the_page_region_decides_what_is_ambiguous(language: str, written: str,
                                                  spoken: str) -> None:
    assert normalize(written, language) == spoken


def test_a_language_without_speech_data_gets_only_typography() -> None:
    assert normalize("Il 3 marzo — costa 5 € [sic]…", "it") == "Il 3 marzo, costa 5 €."


# ── do no harm ────────────────────────────────────────────────────────────────

_WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèàçñ'", min_size=1, max_size=12), min_size=1,
    max_size=12,
).map(" ".join).filter(lambda t: not t.startswith("'") and "''" not in t)


@settings(max_examples=150, deadline=None)
@given(text=_WORDS, language=st.sampled_from(["en", "de", "fr", "es"]))
def test_plain_lower_case_words_come_out_unchanged(text: str, language: str) -> None:
    assert normalize(text, language) == " ".join(text.split())


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=80), language=st.sampled_from(["en", "de", "fr", "es", "it"]))
def test_any_text_normalises_without_error(text: str, language: str) -> None:
    assert isinstance(normalize(text, language), str)


@pytest.mark.parametrize("text", ["", " ", "—", "...", "[sic]", "$", "%", "#", "@", "&", "1.", "-"])
def test_degenerate_input_does_not_fail(text: str) -> None:
    assert isinstance(normalize(text), str)


def test_lone_signs_are_named() -> None:
    assert normalize("/$€£ and $#%", "en") == "slash dollar euro pound and dollar hash percent"


# ── the rules themselves ──────────────────────────────────────────────────────


def test_rules_have_unique_names_and_typography_around_them() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert names[0] == "unicode" and names[-1] == "tidy"
    assert [r.name for r in RULES if r.neutral] == [
        "unicode", "editorial brackets", "web addresses", "dashes and ellipses", "tidy"]


def test_trace_names_each_rule_that_changed_something() -> None:
    trace: list[Change] = []
    normalize("Dr. Lee paid $5 on 03/18/2026.", "en", trace=trace)
    spans = {change.rule: change.spans() for change in trace}
    assert spans["money"] == [("$5", "five dollars")]
    assert spans["abbreviations"] == [("Dr.", "Doctor")]
    assert spans["dates"] == [("03/18/2026", "March eighteenth, twenty twenty-six")]
    assert "measures" not in spans


@pytest.mark.parametrize(
    ("word", "said_as_word"),
    [("NATO", True), ("NASA", True), ("OPEC", True), ("ASEAN", True), ("CERN", True),
     ("OK", True), ("NOT", True), ("VIII", True), ("ICJ", False), ("ECHR", False),
     ("OSCE", False), ("USDA", False), ("IAEA", False), ("FBI", False), ("US", False),
     ("AI", False), ("GDP", False)],
)
def test_reads_as_word(word: str, said_as_word: bool) -> None:
    assert reads_as_word(word) is said_as_word
