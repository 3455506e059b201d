"""Figures: numbers with their unit, bound words and what they measure, read off the parse.

Candidates are spaCy's CARDINAL/PERCENT/MONEY/QUANTITY entities plus vague amounts the model
does not always label ("several hundred", "dozens of"). Each is widened to its bound words
("at least", "nearly") and unit, and its `measure` is the noun it counts (the "of X" object,
or the noun the number modifies) followed by the governing verb as a past participle:
"retook 63.2% of the territory captured by Ukraine" -> "share of the territory captured by
Ukraine retaken".

Vague amounts have value None and a low/high reading: "several hundred" = 200-900,
"a few hundred" = 200-500, "hundreds (of)" = 200-999, "dozens (of)" = 24-99,
"thousands (of)" = 2,000-9,999, "tens of thousands" = 20,000-99,999, and so on.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..model import Quantity
from ..nlp import doc_text

LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY"}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90, "a": 1, "an": 1, "dozen": 12, "half": 0.5})
# Bound words, longest first, and which side of the range the figure bounds.
BOUNDS = {"at least": "low", "more than": "low", "over": "low", "upwards of": "low",
          "as many as": "high", "as much as": "high", "up to": "high", "at most": "high",
          "no more than": "high", "less than": "high", "fewer than": "high", "under": "high",
          "nearly": "high", "almost": "high", "about": None, "around": None, "roughly": None,
          "approximately": None, "some": None, "an estimated": None, "several": None,
          "a few": None, "dozens of": None, "hundreds of": None, "thousands of": None,
          "tens of thousands of": None, "millions of": None}
# Vague amounts: words -> (low, high).
VAGUE = {"several hundred": (200, 900), "a few hundred": (200, 500), "several thousand":
         (2000, 9000), "a few thousand": (2000, 5000), "several million": (2e6, 9e6),
         "dozens": (24, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
         "tens of thousands": (20000, 99999), "hundreds of thousands": (200000, 999999),
         "millions": (2e6, 9.99e6), "several dozen": (24, 99), "a few dozen": (24, 60)}
VAGUE_START = re.compile(r"^(several|a few|dozens|hundreds|thousands|tens|millions)\b", re.I)
UNITS = {"%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
         "square kilometre": "square kilometre", "square kilometer": "square kilometre",
         "sq km": "square kilometre", "km2": "square kilometre", "square mile": "square mile",
         "kilometre": "kilometre", "kilometer": "kilometre", "km": "kilometre",
         "mile": "mile", "metre": "metre", "meter": "metre", "hectare": "hectare",
         "tonne": "tonne", "ton": "tonne", "barrel": "barrel",
         "$": "USD", "dollar": "USD", "usd": "USD", "€": "EUR", "euro": "EUR", "£": "GBP",
         "pound": "GBP", "yen": "JPY", "rouble": "RUB", "ruble": "RUB", "hryvnia": "UAH"}
PEOPLE = set("people person persons soldier troop civilian resident worker employee child "
             "man woman fighter prisoner refugee casualty victim migrant student patient "
             "citizen voter member officer journalist hostage passenger".split())
SPEECH = {"say", "tell", "report", "claim", "announce", "state", "add", "estimate", "accord"}
IRREGULAR = {"take": "taken", "retake": "retaken", "give": "given", "hold": "held",
             "keep": "kept", "lose": "lost", "win": "won", "make": "made", "fight": "fought",
             "send": "sent", "leave": "left", "build": "built", "buy": "bought", "sell": "sold",
             "bring": "brought", "catch": "caught", "find": "found", "get": "got",
             "have": "had", "do": "done", "go": "gone", "see": "seen", "rise": "risen",
             "fall": "fallen", "grow": "grown", "shoot": "shot", "hit": "hit", "cut": "cut",
             "put": "put", "set": "set", "spend": "spent", "pay": "paid", "lead": "led",
             "seize": "seized", "flee": "fled", "break": "broken", "drive": "driven",
             "write": "written", "steal": "stolen", "choose": "chosen", "be": "been",
             "say": "said", "begin": "begun", "eat": "eaten", "know": "known",
             "strike": "struck", "beat": "beaten", "swim": "swum", "run": "run"}
YEAR_LIKE = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
PHONE_LIKE = re.compile(r"\d{3}[-. ]\d{3}[-. ]?\d{2,4}")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
RANGE = re.compile(r"^(?:between\s+)?\d[\d,.]*\s*(?:and|to|-|–)\s*\d[\d,.]*$", re.I)


def find_quantities(doc: Doc, item: int) -> list[Quantity]:
    """Figures of a parsed item, in text order."""
    spans = [e for e in doc.ents if e.label_ in LABELS or _range_as_date(e)] + _vague_spans(doc)
    seen: set[int] = set()
    found = []
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if span.start in seen or _not_a_figure(span):
            continue
        span = _widen(doc, span)
        seen.update(range(span.start, span.end))
        found.append(_quantity(span, item))
    return found


def _range_as_date(ent: Span) -> bool:
    # The model reads "between 10 and 20" as a DATE; small numbers are not years.
    found = RANGE.match(ent.text)
    return ent.label_ == "DATE" and bool(found) and all(
        float(n.replace(",", "")) < 1000 for n in NUMBER.findall(ent.text))


def _vague_spans(doc: Doc) -> list[Span]:
    """ "several hundred", "dozens of": amounts without digits that the model may not label."""
    spans = []
    for t in doc:
        if VAGUE_START.match(t.text) and (t.i == 0 or doc[t.i - 1].lower_ not in ("a", "of")):
            end = t.i + 1
            while end < len(doc) and doc[end].lower_ in ("few", "hundred", "thousand", "million",
                                                         "of", "dozen", "thousands", "hundreds"):
                end += 1
            while end > t.i + 1 and doc[end - 1].lower_ == "of":
                end -= 1
            text = doc[t.i:end].text.lower()
            if text in VAGUE:
                spans.append(Span(doc, t.i, end, label="CARDINAL"))
    return spans


def _not_a_figure(span: Span) -> bool:
    """Years, phone numbers and a bare "one" are numbers but not figures."""
    text = span.text.strip()
    if span.label_ == "CARDINAL" and (YEAR_LIKE.match(text) or text.lower() in ("one", "a")):
        return True
    # The model cuts phone numbers at the dash: look at what follows the span too.
    return bool(PHONE_LIKE.match(doc_text(span.doc)[span.start_char:span.start_char + 16]))


def _widen(doc: Doc, span: Span) -> Span:
    """Take in bound words before the figure and its unit after it."""
    start, end = span.start, span.end
    for bound in sorted(BOUNDS, key=len, reverse=True):
        n = len(bound.split())
        if start >= n and doc[start - n:start].text.lower() == bound:
            start -= n
            break
    if end < len(doc) and doc[end].lower_.rstrip(".") in SCALES:
        end += 1  # "65m." is 65 million
    while end < len(doc) and _unit_word(doc[end]) and doc[end].pos_ in ("NOUN", "ADJ", "SYM"):
        end += 1
    return Span(doc, start, end, label=span.label_)


def _unit_word(token: Token) -> bool:
    lemma = token.lemma_.lower()
    return lemma in UNITS or lemma == "square" or lemma in PEOPLE or token.text in UNITS


def _quantity(span: Span, item: int) -> Quantity:
    text = span.text
    lower = _unescape(text.lower())
    bound = next((b for b in sorted(BOUNDS, key=len, reverse=True) if lower.startswith(b + " ")
                  or lower == b), None)
    value, low, high = _values(lower)
    if bound and value is not None and BOUNDS[bound] == "low":
        low = value
    elif bound and value is not None and BOUNDS[bound] == "high":
        high = value
    return Quantity(text=text, item=item, start=span.start_char, end=span.end_char,
                    value=value, low=low, high=high, unit=_unit(span), bound=bound,
                    measure=_measure(span))


def _values(lower: str) -> tuple[float | None, float | None, float | None]:
    """(value, low, high): ranges and vague amounts have no single value."""
    for words, (low, high) in VAGUE.items():
        found = re.search(rf"\b{words}\b(?:\s+(thousand|million|billion))?", lower)
        if found:  # "several hundred thousand" scales the reading
            scale = SCALES[found.group(1)] if found.group(1) else 1
            return None, float(low) * scale, float(high) * scale
    numbers = [_number(m.group(), lower[m.end():]) for m in NUMBER.finditer(lower)]
    if len(numbers) >= 2 and re.search(r"\bbetween\b|\d\s*(?:-|–|to)\s*\d", lower):
        return None, min(numbers[:2]), max(numbers[:2])
    if numbers:
        return numbers[0], None, None
    value = _word_number(lower)
    return value, None, None


def _number(digits: str, rest: str) -> float:
    value = float(digits.replace(",", ""))
    scale = re.match(r"\s*([a-z]+)", rest)
    return value * SCALES.get(scale.group(1), 1) if scale else value


def _word_number(lower: str) -> float | None:
    """ "two hundred", "a dozen", "fifty thousand" -> float."""
    total, current, found = 0.0, 0.0, False
    for word in re.findall(r"[a-z]+", lower):
        if word in WORDS:
            current += WORDS[word] if word != "dozen" else (current or 1) * 11
            found = True
        elif word in SCALES and found and len(word) > 2:
            total += (current or 1) * SCALES[word]
            current = 0.0
    return total + current if found else None


def _unescape(text: str) -> str:
    # Numeric character references, also without their "&" ("#36;10 million" is "$10 million").
    return re.sub(r"&?#(\d+);", lambda m: chr(int(m.group(1))), text)


def _unit(span: Span) -> str | None:
    text = _unescape(span.text.lower())
    for word in sorted(UNITS, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(word)}(?:s|es)?(?![a-z])", text):
            return UNITS[word]
    noun = _counted_noun(span)
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    return "person" if lemma in PEOPLE else lemma if lemma.isalpha() and len(lemma) > 2 else None


def _counted_noun(span: Span) -> Token | None:
    """The noun the figure counts: its own noun ("300 soldiers"), or the "of X" object."""
    root = span.root
    of = next((c for c in root.children if c.lower_ == "of"), None)
    if of is None and span.end < len(span.doc) and span.doc[span.end].lower_ == "of":
        of = span.doc[span.end]
    if of is not None:
        return next((c for c in of.children if c.dep_ == "pobj"), None)
    if (root.pos_ in ("NOUN", "PROPN") and root.lemma_.lower() not in UNITS
            and root.tag_ != "CD" and root.lower_.rstrip(".") not in SCALES):
        return root
    if root.dep_ == "nummod" and root.head.pos_ == "NOUN" and root.head.i >= span.end:
        return root.head
    return None


def _measure(span: Span) -> str:
    """What the figure measures: "<counted noun phrase> <governing verb as participle>"."""
    noun = _counted_noun(span)
    phrase = _noun_phrase(noun) if noun is not None else ""
    verb = _governing_verb(span.root)
    if not phrase and verb is not None:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        phrase = _noun_phrase(subject) if subject is not None else ""
    if phrase and "percent" == _unit(span) and noun is not None:
        phrase = f"share of {phrase}"
    if not phrase:
        return ""  # a verb alone ("competed") says nothing about what is measured
    return phrase if verb is None else f"{phrase} {participle(verb.lemma_.lower())}"


def _noun_phrase(noun: Token) -> str:
    """The noun with its determiners, modifiers and participle clauses, without its
    prepositional phrases ("the territory captured by Ukraine", not "... in Kursk")."""
    keep = [noun]
    for child in noun.children:
        if child.dep_ in ("det", "amod", "compound", "poss") and child.tag_ != "CD":
            keep.extend(child.subtree)
        elif child.dep_ == "acl":  # "captured by Ukraine", without where or when
            keep.append(child)
            for part in child.children:
                if part.dep_ in ("agent", "dobj", "prt"):
                    keep.extend(part.subtree)
    tokens = sorted(keep, key=lambda t: t.i)
    return " ".join(t.text for t in tokens if not (t.dep_ == "case" and t.text == "'s"))


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above the figure that is not a verb of saying."""
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() not in SPEECH:
            return token if token.pos_ == "VERB" else None
    return None


def participle(lemma: str) -> str:
    """The past participle of an English verb: control -> controlled, retake -> retaken."""
    if lemma in IRREGULAR:
        return IRREGULAR[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    # Short final stressed syllables double their consonant: stop -> stopped, control -> controlled.
    if re.search(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]$", lemma) and (
            len(lemma) <= 4 or lemma.endswith(("ol", "ur", "mit"))):
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"
