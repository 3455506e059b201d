"""Claims, figures and times in other languages (newsdesk.extract.multilingual): what each of ru,
uk, de, fr, es, pl, it reads in sentences written for these tests, through `newsdesk claims` and
the Python API, and floors on real articles (benchmarks/multilingual_claims.py: the SemEval-2022
Task 8 articles, both halves; precision on about 100 claims per half judged by reading, drawn per language).

    python benchmarks/multilingual_claims.py    # rates and precision per language, both halves, with the English rate
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import datetime

import pytest

from newsdesk import pipeline
from newsdesk.extract.multilingual import claims_in_language, figures_in_language, supports, times_in_language
from newsdesk.model import Item

from .conftest import ROOT, gate, need, run_cli

# Floors: tests/floors.toml [multilingual_claims] (measured values in its comments).

FRIDAY = datetime(2024, 8, 16)  # a Friday

# One sentence pair per language, written for these tests (not taken from any article).
SENTENCES = {
    "ru": ("Минобороны России заявило, что ВСУ потеряли более 1500 военных. «Противник отброшен», — сказал Песков.",
           [("Минобороны России", "Russian Ministry of Defence", "заявило"), ("Песков", "Dmitry Peskov", "сказал")]),
    "uk": ("Міністерство оборони України заявило, що ЗСУ контролюють 1150 квадратних кілометрів. "
           "«Операція триває», — сказав Зеленський у п'ятницю.",
           [("Міністерство оборони України", "Ukrainian Ministry of Defence", "заявило"),
            ("Зеленський", "Volodymyr Zelenskyy", "сказав")]),
    "de": ("Das russische Verteidigungsministerium teilte mit, die Angreifer hätten 2.000 Soldaten verloren.",
           [("Das russische Verteidigungsministerium", "Russian Ministry of Defence", "teilte mit")]),
    "fr": ("Selon Kyiv, l'armée contrôle 1 150 kilomètres carrés. Le ministère russe de la Défense a affirmé "
           "que 63,2 % des assaillants avaient été repoussés vendredi dernier.",
           [("Kyiv", "Government of Ukraine", "Selon"),
            ("Le ministère russe de la Défense", "Russian Ministry of Defence", "a affirmé")]),
    "es": ("El Ministerio de Defensa ruso afirmó que las tropas ucranianas perdieron 3.500 soldados.",
           [("El Ministerio de Defensa ruso", "Russian Ministry of Defence", "afirmó")]),
    "pl": ("Rosyjskie Ministerstwo Obrony poinformowało, że Ukraina straciła 2 tys. żołnierzy.",
           [("Rosyjskie Ministerstwo Obrony", "Russian Ministry of Defence", "poinformowało")]),
    "it": ("Il ministero della Difesa russo ha dichiarato che le truppe ucraine hanno perso 2.000 soldati.",
           [("Il ministero della Difesa russo", "Russian Ministry of Defence", "ha dichiarato")]),
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_claims_in_each_language_have_speaker_cue_content_and_exact_spans(language):
    text, expected = SENTENCES[language]
    found = claims_in_language(Item(n=1, text=text, language=language, published=FRIDAY))
    assert [(c.speaker, c.actor, c.cue) for c in found] == expected
    for c in found:
        assert text[c.start:c.end] in text and c.start < c.end
        for start, end in c.content_span:
            assert text[start:end] == c.content  # exact offsets into Item.text
        assert c.speaker in text and c.cue.split()[0] in text


@pytest.mark.parametrize("language, text, wanted", [
    ("fr", "Selon Kyiv, 63,2 % du territoire est contrôlé.", ("63,2 %", 63.2, "percent")),
    ("de", "Der Sprecher sagte, 15.000 Menschen seien geflohen.", ("15.000 Menschen", 15000.0, "person")),
    ("ru", "Противник потерял 1,5 тыс. военных, заявили в штабе.", ("1,5 тыс. военных", 1500.0, "person")),
    ("es", "Según Kiev, el ejército controla 1.000 kilómetros cuadrados.", ("1.000 kilómetros cuadrados", 1000.0,
                                                                          "square kilometre")),
    ("pl", "Według Kijowa wojsko kontroluje 1000 kilometrów kwadratowych.", ("1000 kilometrów kwadratowych", 1000.0,
                                                                              "square kilometre")),
    ("uk", "ЗСУ контролюють 1150 квадратних кілометрів.", ("1150 квадратних кілометрів", 1150.0, "square kilometre")),
    ("it", "Secondo Kiev, l'esercito controlla il 12,5% della regione.", ("12,5%", 12.5, "percent")),
])
def test_figures_read_with_the_language_number_conventions(language, text, wanted):
    figures = figures_in_language(Item(n=1, text=text, language=language))
    assert wanted in [(q.text, q.value, q.unit) for q in figures]
    for q in figures:
        assert text[q.start:q.end] == q.text


def test_figure_in_words_has_a_range():
    text = "Украинские войска заняли несколько сотен квадратных километров, сообщили в Киеве."
    [figure] = figures_in_language(Item(n=1, text=text, language="ru"))
    assert figure.unit == "square kilometre" and text[figure.start:figure.end] == figure.text
    assert (figure.low or 0) >= 200 and (figure.high or 0) <= 1000


@pytest.mark.parametrize("language, text, date", [
    ("ru", "В пятницу в Минобороны заявили об ударе.", "2024-08-16"),
    ("ru", "Во вторник в Минобороны заявили об ударе.", "2024-08-13"),
    ("de", "Am vergangenen Freitag teilte das Ministerium mit, es gebe Verluste.", "2024-08-09"),
    ("fr", "Vendredi dernier, le ministère a affirmé que les pertes étaient lourdes.", "2024-08-09"),
    ("pl", "We wtorek rzecznik powiedział, że wojsko się wycofało.", "2024-08-13"),
    ("es", "El 12 de agosto de 2024 el ministerio afirmó que hubo pérdidas.", "2024-08-12"),
])
def test_dates_resolved_against_publication(language, text, date):
    found = times_in_language(Item(n=1, text=text, language=language, published=FRIDAY), FRIDAY)
    assert date in [m.date for m in found]


# Constructions beyond "speaker cue that ...", one sentence each, written for these tests:
# (language, text, (speaker, cue, content)).
CONSTRUCTIONS = [
    ("es", "«Las tropas no se retirarán», dijo.", ("dijo", "dijo", "Las tropas no se retirarán")),
    ("pl", "Dodał, że wojsko kontroluje całą granicę.", ("Dodał", "Dodał", "wojsko kontroluje całą granicę")),
    ("fr", "Olaf Scholz, le ministre des Finances, a déclaré que la crise était grave.",
     ("Olaf Scholz, le ministre des Finances", "a déclaré", "la crise était grave")),
    ("de", "Das Duo schlug laut Polizei ein Fenster ein.", ("Polizei", "laut", "Das Duo schlug ein Fenster ein")),
    ("fr", "Huawei a annoncé une série de mises à jour de sa gamme Mate.",
     ("Huawei", "a annoncé", "une série de mises à jour de sa gamme Mate")),
    ("de", "Der Ministerpräsident hat die Lockerung der Einreiseregeln kritisiert.",
     ("Der Ministerpräsident", "kritisiert", "die Lockerung der Einreiseregeln")),
    ("de", "„Wir haben den richtigen Verein gewählt“, fand Dittmann.",
     ("Dittmann", "fand", "Wir haben den richtigen Verein gewählt")),
    ("it", "La polizia ha detto di aver localizzato l'auto.", ("La polizia", "ha detto", "aver localizzato l'auto")),
    ("it", "Il motivo, ha detto il ministro, è la crisi economica.", ("il ministro", "ha detto", "Il motivo è la crisi economica")),
    ("it", "Testimoni hanno detto che l'auto è finita nello stagno, ha detto David Ray.",
     ("David Ray", "ha detto", "Testimoni hanno detto che l'auto è finita nello stagno")),
    ("de", "Die Hälfte der Befragten ist einer neuen Umfrage zufolge eher skeptisch.",
     ("einer neuen Umfrage", "zufolge", "Die Hälfte der Befragten ist eher skeptisch")),
    ("de", "Der Flughafen ist nach US-Angaben seit Montag geschlossen.",
     ("US", "nach US-Angaben", "Der Flughafen ist seit Montag geschlossen")),
    ("de", "Die Ministerin spricht von einem schweren Fehler.", ("Die Ministerin", "spricht von", "einem schweren Fehler")),
    ("de", "Allerdings betonte der 37-Jährige klar: „Wir bleiben.“", ("der 37-Jährige", "betonte", "Wir bleiben")),
    ("fr", "Le maire s'oppose à la fermeture de la gare.", ("Le maire", "s'oppose à", "la fermeture de la gare")),
    ("it", "Il portavoce della società Mario Rossi, ha dichiarato: «Siamo pronti a trattare».",
     ("Il portavoce della società Mario Rossi", "ha dichiarato", "Siamo pronti a trattare")),
    # A citing phrase names the speaker's own source: neither speaker, content nor a claim of its own.
    ("ru", "Войска продвинулись на 10 км, как сообщает ТАСС со ссылкой на источник в силовых структурах.",
     ("ТАСС", "как сообщает", "Войска продвинулись на 10 км")),
    ("fr", "Deutsche Telekom doit recevoir une partie des papiers, comme l'a rapporté mardi l'agence Bloomberg, "
           "citant des personnes proches des plans.",
     ("l'agence Bloomberg", "a rapporté", "Deutsche Telekom doit recevoir une partie des papiers")),
    ("de", "Die Truppen rückten vor, berichtete die Agentur Reuters unter Berufung auf Regierungskreise.",
     ("die Agentur Reuters", "berichtete", "Die Truppen rückten vor")),
    # The subject before an "according to" set off by commas is what is said too.
    ("ru", "Войска, по словам Пескова, продвинулись на 10 км.", ("Пескова", "по словам", "Войска продвинулись на 10 км")),
    # A name set off after the speaker at the sentence's end is the speaker's.
    ("fr", "Nous sommes prêts à négocier, a affirmé le porte-parole du Kremlin, Dmitri Peskov.",
     ("le porte-parole du Kremlin, Dmitri Peskov", "a affirmé", "Nous sommes prêts à négocier")),
    ("fr", "D'après le JDD toutefois, un report des élections serait à l'étude.",
     ("le JDD", "D'après", "un report des élections serait à l'étude")),
    ("ru", "«Мы готовы», — заметил Песков.", ("Песков", "заметил", "Мы готовы")),
    # A quotation that ends its clause ("sei „...“") is said with the words before it.
    ("de", "Der Rückgang sei „größer als in Italien“, sagte der Minister.",
     ("der Minister", "sagte", "Der Rückgang sei „größer als in Italien“")),
    ("es", "Se tendrá que garantizar la “limpieza y desinfección constantes”, enfatizó el biólogo.",
     ("el biólogo", "enfatizó", "Se tendrá que garantizar la “limpieza y desinfección constantes”")),
    # ... but a quotation after a comma is a clause of its own.
    ("fr", "Pour la structure Miléna, « les drames sont à craindre », assure la directrice.",
     ("la directrice", "assure", "les drames sont à craindre")),
    # "and" between two capitalised words after "of" joins one name.
    ("es", "«Este país lo merece», dijo el líder socialista de Castilla y León.",
     ("el líder socialista de Castilla y León", "dijo", "Este país lo merece")),
    ("es", "El presidente de Castilla y León dijo que la región está preparada.",
     ("El presidente de Castilla y León", "dijo", "la región está preparada")),
    # A capitalised article after "of" opens a name inside the speaker, not the sentence.
    ("fr", "Le leader de La France insoumise a aussitôt dénoncé une nouvelle attaque.",
     ("Le leader de La France insoumise", "a aussitôt dénoncé", "une nouvelle attaque")),
    # A name that ends the sentence after a phrase of time and place is the speaker, with its title.
    ("pl", "\"Mamy prawo wymagać więcej\" – napisał w oświadczeniu Marek Wierzba.",
     ("Marek Wierzba", "napisał", "Mamy prawo wymagać więcej")),
    ("pl", "Szpitale będą dostępne – zaznaczył na antenie radiowej Trójki minister zdrowia Łukasz Szumowski.",
     ("minister zdrowia Łukasz Szumowski", "zaznaczył", "Szpitale będą dostępne")),
    ("pl", "Nie było manipulacji – napisała w sobotę na Facebooku Agnieszka Szydłowska.",
     ("Agnieszka Szydłowska", "napisała", "Nie było manipulacji")),
    # ... not a recipient's name.
    ("it", "«Non chiuderemo la scuola», ha detto al Detroit Free Press.",
     ("ha detto", "ha detto", "Non chiuderemo la scuola")),
    # A quotation that opens what is said ends it when the sentence goes on after its close.
    ("ru", "Министр объяснил, что «переговоры продолжатся в пятницу», после того как встретился с послом.",
     ("Министр", "объяснил", "переговоры продолжатся в пятницу")),
    # "это" after a cue opens its object, never its speaker.
    ("ru", "Иван Петров, 20 лет, назвал это «большим грехом», когда обнаружил картину.",
     ("Иван Петров, 20 лет", "назвал", "большим грехом")),
    # A reflexive possessive belongs to the object: the speaker is the name after it.
    ("ru", "свою радость по поводу этой победы Анна написала в подписи: «Какое начало года».",
     ("Анна", "написала", "Какое начало года")),
    # A relative clause closed by a comma before a cue, then a named speaker: an inverted speaker still.
    ("es", "Las escuelas cierran por el virus, que ya ha matado a 107 personas, informó la ministra Lucia Azzolina.",
     ("la ministra Lucia Azzolina", "informó", "Las escuelas cierran por el virus, que ya ha matado a 107 personas")),
    # A web address names a source.
    ("ru", "Цены выросли на 5%, сообщает Lenta.ru.", ("Lenta.ru", "сообщает", "Цены выросли на 5%")),
    ("fr", "Les prix ont augmenté en Espagne, selon le site billiger-mietwagen.de.",
     ("le site billiger-mietwagen.de", "selon", "Les prix ont augmenté en Espagne")),
    # A quotation before a cue that holds another one opened after a stop: the cue attributes the last.
    ("fr", '"Je suis choqué par ces suggestions. "En Belgique, ils gagnent moins qu\'ici", a-t-il déclaré au journal.',
     ("il", "a-t-il déclaré", "En Belgique, ils gagnent moins qu'ici")),
    # A headline's speaker before a colon and a quotation may have a phrase of place after it.
    ("fr", "Scholz au Bundestag de Berlin : « La crise montre à quel point nous sommes vulnérables » Mise à jour du 25 mars",
     ("Scholz", ":", "La crise montre à quel point nous sommes vulnérables")),
    # ... but a quoted title of two words is part of what is said.
    ("pl", "Jacek Kurski: „Sylwester marzeń” to nowa polska tradycja",
     ("Jacek Kurski", ":", "Sylwester marzeń” to nowa polska tradycja")),
    # A pronoun that the cue is said to comes between it and what it is about.
    ("ru", "Я рассказал ей об инциденте на этой неделе.", ("Я", "рассказал", "об инциденте на этой неделе")),
]

# Several sentences, written for these tests: (language, text, [(speaker, cue, content), ...]).
PASSAGES = [
    # A quotation on its own goes on with the speaker of the claim before it.
    ("ru", "«Мы готовы к переговорам», — сказал министр. «Решение будет принято в пятницу». Зал опустел.",
     [("министр", "сказал", "Мы готовы к переговорам"), ("министр", "«", "Решение будет принято в пятницу")]),
    # "Das sagte X" with where it was said after the speaker points back to the sentence before.
    ("de", "Die Brücke bleibt bis Mai gesperrt. Dies sagte der Bürgermeister am Montag vor Journalisten in Bonn.",
     [("der Bürgermeister", "sagte", "Die Brücke bleibt bis Mai gesperrt")]),
    # Reported speech in the subjunctive goes on past a sentence of the writer's own.
    ("de", "Die Straße sei gesperrt, sagte ein Sprecher der Polizei. Der Unfall geschah gegen Mitternacht. "
           "Der Fahrer sei leicht verletzt worden.",
     [("ein Sprecher der Polizei", "sagte", "Die Straße sei gesperrt"),
      ("ein Sprecher der Polizei", "sei", "Der Fahrer sei leicht verletzt worden")]),
    # ... but not past a sentence with a source of its own.
    ("de", "Die Straße sei gesperrt, sagte ein Sprecher der Polizei. Nach einem Bericht des Senders war es glatt. "
           "Der Fahrer sei leicht verletzt worden.",
     [("ein Sprecher der Polizei", "sagte", "Die Straße sei gesperrt"),
      ("Senders", "Nach einem Bericht des", "war es glatt"),
      ("Senders", "sei", "Der Fahrer sei leicht verletzt worden")]),
    # ... and a cue that closes such a sentence with no speaker of its own is not what is said.
    ("de", "Die Straße sei gesperrt, sagte ein Sprecher der Polizei. Der Fahrer werde am Montag vorgeführt, hieß es.",
     [("ein Sprecher der Polizei", "sagte", "Die Straße sei gesperrt"),
      ("ein Sprecher der Polizei", "werde", "Der Fahrer werde am Montag vorgeführt")]),
    # "According to" with a possessive stands for the last speaker named.
    ("ru", "Песков заявил, что переговоры возможны. По его словам, войска продвинулись на 10 км.",
     [("Песков", "заявил", "переговоры возможны"), ("его", "По его словам", "войска продвинулись на 10 км")]),
    ("de", "Der Minister sagte, die Lage sei ernst. Seiner Ansicht nach rückten die Truppen vor.",
     [("Der Minister", "sagte", "die Lage sei ernst"), ("Seiner", "Seiner Ansicht nach", "rückten die Truppen vor")]),
    ("pl", "Minister powiedział, że sytuacja jest poważna. Jego zdaniem wojska posunęły się naprzód.",
     [("Minister", "powiedział", "sytuacja jest poważna"), ("Jego", "Jego zdaniem", "wojska posunęły się naprzód")]),
    # A quotation left open after a quoted claim (a paragraph that goes on) is that speaker's, one sentence.
    ("ru", "«Мне повезло», — сказал Дю Вен. «Я вырос в саду и работал поваром. Магазин открыт по субботам.",
     [("Дю Вен", "сказал", "Мне повезло"), ("Дю Вен", "«", "Я вырос в саду и работал поваром")]),
    # What a cue says ends before a second cue joined to it by "and"/"but", a claim of its own.
    ("fr", "La ministre a confirmé qu'elle ne se présenterait pas, mais a ajouté qu'elle resterait présidente du parti.",
     [("La ministre", "a confirmé", "elle ne se présenterait pas"),
      ("La ministre", "a ajouté", "elle resterait présidente du parti")]),
    ("ru", "Песков заявил, что переговоры возможны, и добавил, что войска продвинулись на 10 км.",
     [("Песков", "заявил", "переговоры возможны"), ("Песков", "добавил", "войска продвинулись на 10 км")]),
    # ... not before a cue inside what is said ("no creen que").
    ("es", "Lieb dijo que los investigadores no creen que el ataque haya sido al azar.",
     [("Lieb", "dijo", "los investigadores no creen que el ataque haya sido al azar")]),
    # A headline that runs into the text without a stop is not what is said: a capitalised
    # function word after a lower-case word opens a sentence ...
    ("es", "Aumenta la seguridad en cárceles de Zacatecas El número de presos creció un 20%, según el gobierno.",
     [("el gobierno", "según", "El número de presos creció un 20%")]),
    ("ru", "Год начался неблагоприятно В последнее время цены выросли, сказал министр.",
     [("министр", "сказал", "В последнее время цены выросли")]),
    # ... not a name that opens with an article ("El Salvador").
    ("es", "La agencia informó que el presidente visitó El Salvador ayer.",
     [("La agencia", "informó", "el presidente visitó El Salvador ayer")]),
    ("es", "Los bomberos de Los Angeles dijeron que el fuego sigue activo.",
     [("Los bomberos de Los Angeles", "dijeron", "el fuego sigue activo")]),
    # A dateline (a place in capitals, an agency, a dash) ends the headline that runs into the text.
    ("fr", "Les usines ferment PARIS (Reuters) - Les usines ferment faute de gaz, a déclaré le ministre.",
     [("le ministre", "a déclaré", "Les usines ferment faute de gaz")]),
    # A capitalised pronoun after a lower-case word opens a sentence too (a headline ran into the text).
    ("fr", "Le maire dénonce ses adversaires Il a aussitôt annoncé sa démission.",
     [("Le maire", "dénonce", "ses adversaires"), ("Il", "a aussitôt annoncé", "sa démission")]),
    # ... also after a quotation that ends the headline.
    ("fr", "Le maire exige un vote - sinon la ville « cessera d'exister » Les élus ont publié mardi une lettre.",
     [("Le maire", "exige", "un vote - sinon la ville « cessera d'exister")]),
    # A full stop glued to the next sentence (the space lost in scraping) ends a sentence all the same.
    ("de", "Die Beamten fanden Werkzeuge.Nach Angaben der Polizisten konnte die Polizei das Geschäft zuordnen.",
     [("Polizisten", "Nach Angaben der", "konnte die Polizei das Geschäft zuordnen")]),
    ("es", 'El socialista argumentó que la investidura "es la victoria de la esperanza".En este sentido, la portavoz calla.',
     [("El socialista", "argumentó", 'la investidura "es la victoria de la esperanza')]),
    # A text cut off after "..., ha detto" lost nothing of what was said.
    ("it", "Il sindaco ha parlato a lungo. «Non chiuderemo la scuola», ha detto", [("ha detto", "ha detto", "Non chiuderemo la scuola")]),
]


@pytest.mark.parametrize("language, text, wanted", PASSAGES)
def test_constructions_across_sentences(language, text, wanted):
    found = claims_in_language(Item(n=1, text=text, language=language))
    assert [(c.speaker, c.cue, c.content) for c in found] == wanted


@pytest.mark.parametrize("language, text, wanted", CONSTRUCTIONS)
def test_constructions_beyond_speaker_cue_that(language, text, wanted):
    found = claims_in_language(Item(n=1, text=text, language=language))
    assert [(c.speaker, c.cue, c.content) for c in found] == [wanted]


@pytest.mark.parametrize("language, text", [
    ("de", "Berlin: Gruppe attackiert Polizisten am Kottbusser Tor."),    # a place heads a headline
    ("fr", "Il a été déclaré inapte par le médecin du club."),            # passive: no one speaks
    ("de", "Es gibt da diese Geschichte eines jungen Mannes aus Köln."),  # "gibt" without its particle
    ("it", "I proprietari la pensano allo stesso modo, il loro cane che dorme porta pace."),
    # A relative clause before an object cue's comma is inside its subject: the words after are the object.
    ("fr", "Il se pourrait que le président, qui doit parler ce soir, annonce le report des élections."),
    # A relative clause after one apposition of several does not tell whose it is.
    ("ru", "Анна Петрова, 31 год, официант из Москвы, которая год назад жила в приюте, сказала, что вещи случаются."),
    ("fr", "Le couple a demandé aux clients de payer ce qu'ils pensaient."),  # "ce que": what, not that
    ("fr", "A titre d'exemple, il cite la sortie du charbon."),              # "cite" names an example, says nothing
    ("fr", "Dernier jour, le ministre de la Santé affirmait."),            # a fronted time is not what is said
])
def test_no_claim_where_no_one_is_quoted(language, text):
    assert claims_in_language(Item(n=1, text=text, language=language)) == []


def test_unsupported_language_gets_nothing_rather_than_a_guess():
    assert not supports("zh") and supports("de-AT")
    assert claims_in_language(Item(n=1, text="国防部表示，部队已撤离。", language="zh")) == []


def test_newsdesk_claims_reads_other_languages_and_keeps_the_ledger_complete():
    items = [Item(n=1, text=SENTENCES["ru"][0], language="ru", published=FRIDAY),
             Item(n=2, text=SENTENCES["de"][0], language="de", published=FRIDAY),
             Item(n=3, text="Ukraine's defence ministry said its troops held 1,150 square kilometres.", language="en"),
             Item(n=4, text="国防部表示，部队已撤离了该地区的所有阵地并且正在重新部署。", language="zh")]
    ledger = pipeline.claims(items)
    actors = {(c.item, c.actor) for c in ledger.claims}
    assert {(1, "Russian Ministry of Defence"), (1, "Dmitry Peskov"), (2, "Russian Ministry of Defence")} <= actors
    assert any(c.item == 3 for c in ledger.claims)
    notes = {e.n: e.reason for e in ledger.items}
    assert notes[1] is None and notes[2] is None  # read, not left out
    assert notes[4] and "zh" in notes[4]  # said why nothing was read
    russian = next(c for c in ledger.claims if c.item == 1 and c.actor == "Russian Ministry of Defence")
    assert [(q.value, q.speaker) for q in russian.quantities] == [(1500.0, "Минобороны России")]


def test_cli_claims_json_has_foreign_claims_with_exact_spans(tmp_path):
    pile = tmp_path / "pile.txt"
    pile.write_text(SENTENCES["fr"][0] + "\n" + SENTENCES["pl"][0] + "\n", encoding="utf-8")
    result = run_cli("claims", str(pile), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    out = json.loads(result.stdout)
    lines = pile.read_text(encoding="utf-8").splitlines()
    claims = out["claims"]
    assert {"Russian Ministry of Defence", "Government of Ukraine"} <= {c["actor"] for c in claims}
    for c in claims:
        text = lines[c["item"] - 1]
        assert text[c["start"]:c["end"]] and c["content"] in text


# ---------------------------------------------------------------- real articles


def _bench():
    if "multilingual_claims_bench" not in sys.modules:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        spec = importlib.util.spec_from_file_location("multilingual_claims_bench", ROOT / "benchmarks" / "multilingual_claims.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["multilingual_claims_bench"]


@pytest.fixture(scope="module")
def real():
    bench = _bench()
    need(bench.PAIRS)
    arts = [a for a in bench.articles() if a.language in bench.LANGUAGES]
    found = bench.foreign_claims(arts)
    return bench, arts, found


@pytest.mark.slow
@pytest.mark.parametrize("half", ["tune", "hold"])
def test_claims_per_article_in_each_language(real, half):
    bench, arts, found = real
    rates = bench.rates(arts, found, None)
    lowest = min(c / n for language in bench.LANGUAGES for n, c in [rates[(language, half)]])
    gate("multilingual_claims", {f"rate_{half}": lowest})


@pytest.mark.slow
@pytest.mark.parametrize("half", ["tune", "hold"])
def test_judged_precision(real, half):
    bench, arts, found = real
    judged = bench.precision(arts, found, bench.read_labels())
    pooled = sum((judged[(language, half)] for language in bench.LANGUAGES), Counter())
    n, precision, lenient = bench.scores(pooled)
    assert n >= 90, f"labels lost: {n} judged claims still found ({pooled['stale']} stale)"
    gate("multilingual_claims", {f"precision_{half}": precision, f"lenient_{half}": lenient})


# The sixth round: error classes of a fresh draw of articles no rule was written from
# (benchmarks/multilingual_claims.py --fresh 1), as sentences written for these tests.
NOT_ATTRIBUTIONS = [
    # A German cue before an auxiliary of the passive is acted on, not spoken.
    ("de", "Käme das Wort von einem Populisten, könnte man davon ausgehen, dass dies als Offenbarung "
           "undemokratischer, autoritärer Haltung kritisiert würde."),
    # A participle with no auxiliary in its sentence is an idiom, not a verb with a subject.
    ("de", "Kurz gesagt: Die Stadt will das Geld für neue Radwege ausgeben."),
    # A speaker after a preposition is its object, a time or a place, not the subject.
    ("de", "Im Laufe der Woche kündigte auch Österreich an, die Grenzen wieder zu öffnen."),
    ("fr", "Beaucoup d'habitants ici en Provence croient que la sécheresse va durer."),
    # A German relative pronoun after a comma opens a clause whose cue comes last.
    ("de", "Der Fahrer wollte den Radler überholen, das er mit einem lauten Hupen ankündigte."),
    # A cue right after "und" shares the subject before it: the noun phrase after it is its object.
    ("de", 'Nun berichteten die Denkmalpfleger der Behörde und forderten eine "schlichte Gestaltung", da die alte Farbe fehlt.'),
    # A lower-case verb inside a German speaker: the span ran across the speaker into what is said.
    ("de", "Laut Müller verfügen die USA über ein großes Heer, das Washington nicht einsetzen will."),
    ("de", "Der Bürgermeister soll Medienberichten zufolge am Montag zurücktreten."),
    # ... or "and" then a verb after the source of "laut".
    ("de", "Die Frau wurde in Graz infiziert, laut Behörden in Graz und ist in Quarantäne."),
    # "gemäß" alone is conformity, not a source.
    ("de", "Fast alle Kandidaten sollen vom Rat ausgeschlossen worden sein, der gemäß der Verfassung über sie wacht."),
    # A French verb of another sense ("lancer" a product) attributes only a quotation.
    ("fr", "La société Ludo Inc., un éditeur de jeux mobiles, a lancé Ferme Verte le 20 avril."),
]


@pytest.mark.parametrize("language, text", NOT_ATTRIBUTIONS)
def test_sixth_round_no_claim_from_constructions_that_attribute_nothing(language, text):
    assert claims_in_language(Item(n=1, text=text, language=language)) == []


# Guards against over-reach: the same guards leave these attributions alone.
STILL_READ = [
    # An adjective before its noun inside a speaker is no verb.
    ("de", "Eine Gruppe internationaler Juristen kritisiert die Entscheidung des Gerichts scharf.",
     [("Eine Gruppe internationaler Juristen", "kritisiert", "die Entscheidung des Gerichts scharf")]),
    # A relative clause set off by commas has verbs of its own.
    ("de", "Trump, der sich im November um eine zweite Amtszeit bewirbt, hofft, dass die Preise sinken.",
     [("Trump, der sich im November um eine zweite Amtszeit bewirbt", "hofft", "die Preise sinken")]),
    # A participle with its auxiliary is a verb.
    ("de", "Der Minister hat am Montag gesagt, dass die Schulen offen bleiben.",
     [("Der Minister", "gesagt", "die Schulen offen bleiben")]),
    # Russian names an office by a place: its speaker preposition stays.
    ("ru", "В Минобороны заявили, что войска отошли от границы.",
     [("Минобороны", "заявили", "войска отошли от границы")]),
    # "lancer" with a quotation attributes it.
    ("fr", "« Nous ne reculerons pas », a lancé le maire devant la mairie.",
     [("le maire", "a lancé", "Nous ne reculerons pas")]),
]


@pytest.mark.parametrize("language, text, wanted", STILL_READ)
def test_sixth_round_guards_leave_attributions_alone(language, text, wanted):
    found = claims_in_language(Item(n=1, text=text, language=language))
    assert [(c.speaker, c.cue, c.content) for c in found] == wanted


SIXTH_ROUND_SPANS = [
    # Two sources joined by "and" after "according to" are one phrase.
    ("de", "Laut Polizei und Feuerwehr wurde niemand verletzt.",
     [("Polizei und Feuerwehr", "Laut", "wurde niemand verletzt")]),
    ("de", "Gemäß Angaben der Polizei wurde niemand verletzt.",
     [("Polizei", "Gemäß Angaben der", "wurde niemand verletzt")]),
    # What is said after "selon X, qui ..., " starts after the clause about the source.
    ("fr", "Selon le journal local, qui relate les faits, deux voitures ont brûlé dans la nuit.",
     [("le journal local", "Selon", "deux voitures ont brûlé dans la nuit")]),
    # A caption's closing bracket with no opening one is not what is said.
    ("fr", "Les cas se multiplient. (Photo d'archive) Ces patients ne montraient aucun symptôme, ont expliqué des médecins.",
     [("des médecins", "ont expliqué", "Ces patients ne montraient aucun symptôme")]),
    # A dateline whose bracket holds an agency and a date, with no dash, ends the headline.
    ("fr", "Accord sur un plan de relance BERLIN (Agence Nord / Presse - 04 juin 2020) La coalition a adopté un plan, "
           "a déclaré le ministre.",
     [("le ministre", "a déclaré", "La coalition a adopté un plan")]),
]


@pytest.mark.parametrize("language, text, wanted", SIXTH_ROUND_SPANS)
def test_sixth_round_spans_start_where_what_is_said_starts(language, text, wanted):
    found = claims_in_language(Item(n=1, text=text, language=language))
    assert [(c.speaker, c.cue, c.content) for c in found] == wanted


def test_sixth_round_subjunctive_in_a_subordinate_clause_does_not_go_on_with_reported_speech():
    # The writer's sentence after a claim has a subjunctive only inside a "dass" clause.
    text = ("Die Zeitung berichtete, der Minister sei nicht zufrieden. Das erinnert an einen alten Fall, "
            "als er zugab, dass er den Bericht nie gelesen habe.")
    found = claims_in_language(Item(n=1, text=text, language="de"))
    assert [(c.speaker, c.cue) for c in found] == [("Die Zeitung", "berichtete")]
    # ... but a main clause in that mood with a relative clause after it does go on.
    text = "Der Sprecher sagte, die Lage sei ruhig. Die Männer seien im Wasser verschwunden, das sehr kalt gewesen sei."
    found = claims_in_language(Item(n=1, text=text, language="de"))
    assert [(c.cue, c.content) for c in found][1] == ("seien", "Die Männer seien im Wasser verschwunden, das sehr kalt gewesen sei")
