import csv
import re

from newsdesk.extract.entities import add_entity_rules, find_entities, gazetteer

from .conftest import AG_NEWS, need


def label_of(mentions, start, end):
    """The label of the mention that covers [start, end), or None."""
    return next((m.type for m in mentions if m.start <= start and end <= m.end), None)


def test_rules_added_once(nlp):
    add_entity_rules(nlp)
    assert nlp.pipe_names.count("newsdesk_entities") == 1
    assert nlp.pipe_names.index("newsdesk_entities") > nlp.pipe_names.index("ner")


def test_gazetteer_is_general():
    gazetteer.cache_clear()
    names = gazetteer()
    assert names["Kyiv"][0] == names["Kiev"][0] == "GPE"
    assert names["Zelensky"][0] == "PERSON" and names["North Korean"][0] == "NORP"
    assert names["Ukrainians"][0] == "NORP"
    assert "Reading" not in names and "Nice" not in names  # common English words


def test_kursk_names(nlp, kursk_lines):
    wanted = {"Ukraine": {"GPE", "LOC"}, "Russia": {"GPE", "LOC"}, "Kursk": {"GPE", "LOC"},
              "Kyiv": {"GPE", "LOC"}, "Zelenskyy": {"PERSON"}, "Trump": {"PERSON"},
              "Biden": {"PERSON"}, "North Korean": {"NORP"}}
    seen = set()
    for n, line in enumerate(kursk_lines, 1):
        mentions = find_entities(nlp(line), n)
        for m in mentions:
            assert line[m.start:m.end] == m.text
        for name, labels in wanted.items():
            for found in re.finditer(rf"\b{name}\b", line):
                label = label_of(mentions, found.start(), found.end())
                assert label in labels, f"{name!r} is {label} in line {n}: {line}"
                seen.add(name)
    assert seen == set(wanted)


def test_kursk_oblast_is_one_region(nlp):
    mentions = find_entities(nlp("Fighting went on in Russia's Kursk Oblast."), 1)
    assert ("Kursk Oblast", "GPE") in [(m.text, m.type) for m in mentions]


def test_lowercase_junk_dropped(nlp, kursk_lines):
    line = kursk_lines[10]  # the cookie-consent line: the model calls "scan" NORP
    assert all(m.text != "scan" for m in find_entities(nlp(line), 11))


def test_ag_news_common_entities_survive(nlp):
    rows = list(csv.reader(need(AG_NEWS).open(encoding="utf-8")))
    cases = {  # row index -> entities checked by reading the item
        1: [("Canada", "GPE")],
        2: [("University of Louisville", "ORG")],
        3: [("Mike Fitzpatrick", "PERSON")],
        9: [("UK", "GPE")],
        11: [("Apple Computer", "ORG")],
        12: [("Dutch", "NORP"), ("Apple Computer Inc.", "ORG"), ("Europe", "LOC")],
        13: [("Melbourne", "GPE"), ("Australia", "GPE")],
        17: [("NASA", "ORG")],
    }
    for row, expected in cases.items():
        found = {(m.text, m.type) for m in find_entities(nlp(rows[row][2]), row + 1)}
        for entity in expected:
            assert entity in found, f"row {row}: {entity} not in {sorted(found)}"


def test_dateline_in_capitals(nlp):
    mentions = find_entities(nlp("AMSTERDAM (Reuters) - A Dutch retailer beat Apple."), 1)
    assert ("AMSTERDAM", "GPE") in [(m.text, m.type) for m in mentions]


def _foreign(text, language):
    from newsdesk.extract.multilingual import entities_in_language
    from newsdesk.model import Item

    return [(m.text, m.type, text[m.start:m.end]) for m in entities_in_language(Item(n=1, text=text, language=language))]


def test_names_in_other_languages_under_their_english_names():
    assert _foreign("Российские войска вернули территорию, заявили в Министерстве обороны России.", "ru") == [
        ("Russian Armed Forces", "ORG", "Российские войска"),
        ("Russian Ministry of Defence", "ORG", "Министерстве обороны России")]
    assert ("Ukrainian Armed Forces", "ORG", "Генеральний штаб ЗСУ") in _foreign(
        "Генеральний штаб ЗСУ заявив про бої.", "uk")
    assert _foreign("Kremlsprecher Peskow sagte, Putin habe mit Selenskyj nicht gesprochen.", "de") == [
        ("Kremlin", "ORG", "Kremlsprecher"), ("Dmitry Peskov", "PERSON", "Peskow"),
        ("Vladimir Putin", "PERSON", "Putin"), ("Volodymyr Zelenskyy", "PERSON", "Selenskyj")]
    assert ("Kursk", "GPE", "Kursk") in _foreign("Die Kämpfe in der Region um Kursk dauern an.", "de")


def test_no_name_is_guessed_in_other_languages():
    # German capitalises every noun; a body of no named country names nobody in particular;
    # a one-word place at the start of a sentence may be a common word of the language.
    assert _foreign("Die Regierung plant eine neue Steuer für Unternehmen und Haushalte.", "de") == []
    assert _foreign("El ministerio de Defensa no dio detalles.", "es") == []
    assert _foreign("Como cada año, la feria abrió sus puertas.", "es") == []
