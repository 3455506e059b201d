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
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from ..model import Claim, Mention, Quantity
from ..nlp import doc_text, new_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY"}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
WORDS: dict[str, float] = {w: i for i, w in enumerate(
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
         "pound": "GBP", "yen": "JPY", "rouble": "RUB", "ruble": "RUB", "hryvnia": "UAH",
         "peso": "MXN", "rupee": "INR", "yuan": "CNY", "renminbi": "CNY", "lira": "TRY",
         "shekel": "ILS", "ringgit": "MYR", "baht": "THB", "naira": "NGN"}
# Units that say what kind of amount a figure is, whatever it is an amount of.
MEASURED_UNITS = {"percent", "square kilometre", "square mile", "kilometre", "mile", "metre", "hectare",
                  "tonne", "barrel", "USD", "EUR", "GBP", "JPY", "RUB", "UAH", "MXN", "INR", "CNY", "TRY",
                  "ILS", "MYR", "THB", "NGN"}
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
             "strike": "struck", "beat": "beaten", "swim": "swum", "run": "run",
             "cost": "cost", "spread": "spread", "shut": "shut", "let": "let", "quit": "quit",
             "bet": "bet", "hurt": "hurt", "burst": "burst", "split": "split", "lay": "laid",
             "mean": "meant", "meet": "met", "become": "become", "come": "come", "sink": "sunk",
             "slide": "slid", "blow": "blown", "stand": "stood", "understand": "understood",
             "draw": "drawn", "fly": "flown", "forecast": "forecast", "freeze": "frozen",
             "hide": "hidden", "lend": "lent", "light": "lit", "overtake": "overtaken",
             "ride": "ridden", "shrink": "shrunk", "speak": "spoken",
             "spin": "spun", "stick": "stuck", "sting": "stung", "swear": "sworn",
             "teach": "taught", "tear": "torn", "think": "thought", "throw": "thrown",
             "undertake": "undertaken", "wear": "worn", "withdraw": "withdrawn",
             "feed": "fed", "feel": "felt", "hear": "heard", "read": "read", "rebuild": "rebuilt",
             "redo": "redone", "seek": "sought", "shed": "shed", "show": "shown", "sleep": "slept",
             "slit": "slit", "upset": "upset", "wind": "wound", "offset": "offset",
             "broadcast": "broadcast"}
FRACTIONS = {"half", "third", "quarter", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "two-thirds", "three-quarters", "one-third", "one-quarter", "one-fifth", "percentage"}
# Units of measure that are no counted things: "two inches thick", "180 degrees", "10 times".
MEASURING = {"inch", "foot", "feet", "yard", "pound", "lb", "lbs", "ounce", "kg", "kilogram", "gram",
             "degree", "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
             "time", "point", "fold", "mph", "acre", "gallon", "litre", "liter", "cent", "per", "bit",
             "byte", "gigabyte", "megabyte", "watt", "megawatt", "calorie", "metric", "ton"}
# Nouns of change: "a 39 percent jump in quarterly profit" measures the profit's change.
CHANGES = {"rise", "increase", "jump", "drop", "fall", "gain", "decline", "cut", "growth", "surge",
           "decrease", "hike", "slump", "climb", "dip", "boost", "plunge", "reduction", "loss",
           "rebound", "slide", "spike", "lead", "margin", "advantage", "edge", "swing"}
# Nouns whose "of" object is their value: "a rate of 20.8 percent", "a total of 300".
VALUE_NOUNS = {"rate", "total", "average", "backlog", "number", "amount", "level", "price", "value",
               "cost", "sum", "figure", "record", "high", "low", "peak", "budget", "deficit", "surplus",
               "turnout", "share", "stake", "count", "toll", "estimate", "tally", "majority", "minimum",
               "maximum", "fine", "penalty", "bill", "debt", "income", "revenue", "profit", "salary",
               "wage", "payment", "fee", "fund", "population", "capacity", "output", "volume", "range"}
CURRENCY_SIGNS = {"$", "€", "£", "US$", "C$", "A$", "HK$", "¥"}
# Words that a number names rather than counts: "Ch. 11", "No. 1", "Article 5".
NAMED_NUMBER = {"Ch", "Chap", "Chapter", "No", "Article", "Section", "Title", "Rule", "Page", "Room",
                "Highway", "Route", "Flight", "Proposition", "Prop", "Amendment", "Level", "Phase",
                "Episode", "Season", "Vol", "Volume", "UPDATE", "Update", "Gate", "Channel", "Exit",
                "Local"}  # a union's branch: "UNITE HERE Local 2"
YEAR_LIKE = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
PHONE_LIKE = re.compile(r"\d{3}[-. ]\d{3}[-. ]?\d{2,4}")
# An emergency number is a phone number too: "the 911 call", "dialled 999".
EMERGENCY = {"911", "999", "112"}
_EMERGENCY_AFTER = {"call", "caller", "dispatcher", "operator", "center", "centre", "response", "system", "line",
                    "tape", "recording", "service"}
# Thin, narrow no-break and no-break spaces group thousands ("1 500") in many languages.
THIN = "\u2009\u202f\u00a0"
# A number as written: digits with grouping commas (also the low quote some feeds put for one),
# a decimal point or comma, and thin-space groups of three.
NUMBER = re.compile(rf"\d(?:[\d,\u201a]|\.(?=\d)|[{THIN}](?=\d{{3}}(?!\d)))*")
RANGE = re.compile(rf"^(?:between\s+)?\d[\d,.{THIN}]*\s*(?:and|to|-|–)\s*\d[\d,.{THIN}]*$", re.I)
ENGLISH_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,500 and 1,500.25
DOTTED_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+")  # 1.500,50
DECIMAL_COMMA = re.compile(r"\d+,\d+")  # 63,2


def find_quantities(doc: Doc, item: int) -> list[Quantity]:
    """Figures of a parsed item, in text order."""
    spans = _thin_space_groups(doc, [e for e in doc.ents if e.label_ in LABELS or _range_as_date(e)])
    spans += _vague_spans(doc)
    seen: set[int] = set()
    found = []
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if span.start in seen or _not_a_figure(span):
            continue
        span = _widen(doc, span)
        seen.update(range(span.start, span.end))
        figure = _quantity(span, item)
        if figure.value is not None or figure.low is not None or figure.high is not None:
            found.append(figure)  # not "as high as" cut from its number
    return found


def _thin_space_groups(doc: Doc, spans: list[Span]) -> list[Span]:
    """The tokenizer splits "1 500" (a thin space grouping thousands) into two numbers: join
    each span to the next when only a thin space and a group of three digits part them."""
    joined: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        last = joined[-1] if joined else None
        if (last is not None and span.start == last.end + 1 and doc[last.end].text in THIN
                and re.fullmatch(r"\d{3}", span[0].text) and last[-1].text[-1:].isdigit()):
            joined[-1] = new_span(doc, last.start, span.end, last.label_)
        else:
            joined.append(span)
    return joined


def _range_as_date(ent: Span) -> bool:
    # The model reads "between 10 and 20" as a DATE; small numbers are not years.
    found = RANGE.match(ent.text)
    return ent.label_ == "DATE" and bool(found) and all(
        parse_number(n) < 1000 for n in NUMBER.findall(ent.text))


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
                spans.append(new_span(doc, t.i, end, "CARDINAL"))
    return spans


def _not_a_figure(span: Span) -> bool:
    """Years, phone numbers, times of day, a bare "one", and numbers that are part of a name
    ("Highway 12", "CBS 6", "CSI 300", "Ch. 11") or of a label ("1080p", "UPDATE 2-") are
    numbers but not figures."""
    text = span.text.strip()
    if span.label_ == "CARDINAL" and (YEAR_LIKE.match(text) or text.lower() in ("one", "a", "only one", "just one")):
        return True
    if span.label_ == "CARDINAL" and (_named_number(span) or _label_number(span) or _reference(span)):
        return True
    if text in EMERGENCY and (_next_lemma(span) in _EMERGENCY_AFTER or (
            span.start > 0 and span.doc[span.start - 1].lemma_.lower() in ("call", "dial", "phone", "ring"))):
        return True
    if re.match(r"\d+;", text) and span.start_char > 0 and doc_text(span.doc)[span.start_char - 1] == "#":
        return True  # "#39;s": a character reference that lost its "&"
    # The model cuts phone numbers at the dash: look at what follows the span too.
    return bool(PHONE_LIKE.match(doc_text(span.doc)[span.start_char:span.start_char + 16]))


def _next_lemma(span: Span) -> str:
    return span.doc[span.end].lemma_.lower() if span.end < len(span.doc) else ""


def _named_number(span: Span) -> bool:
    """A number right after the name it belongs to: "Highway 12", "CBS 6", "Ch. 11"."""
    first = span[0]
    if first.i == 0 or not first.text[:1].isdigit():
        return False
    before = span.doc[first.i - 1]
    if before.text == "." and first.i >= 2 and span.doc[first.i - 2].text in NAMED_NUMBER:
        return True  # "Ch. 11", tokenized "Ch" "." "11"
    if before.text.rstrip(".") in NAMED_NUMBER or (before.is_upper and len(before.text) >= 2 and before.is_alpha):
        return True  # "Chapter 11", "CSI 300", "CBS 6"
    return (before.text[:1].isupper() and before.pos_ == "PROPN"
            and (first.head.i == before.i or before.head.i == first.i))


def _reference(span: Span) -> bool:
    """ "the two ships", "its 4 directors", "the other 14 candidates": a small number that
    refers to things already known rather than stating how many there are; after "these" or
    "those" a number of any size ("those forty-one principles")."""
    doc, i = span.doc, span.start
    if i == 0 or (len(span) != 1 and doc[i - 1].lower_ not in ("these", "those")):
        return False
    value = _word_number(span.text.lower()) if not span.text[:1].isdigit() else None
    if value is None and re.fullmatch(r"\d{1,2}", span.text):
        value = float(span.text)
    if value is None and re.fullmatch(r"\d[\d,]*", span.text):
        value = float(span.text.replace(",", ""))
    if value is None:
        return False
    if doc[i - 1].lower_ in ("these", "those"):
        return True  # "those forty-one principles": things named before, whatever their number
    if value >= 20:
        return False
    before = doc[i - 1]
    if before.lower_ in ("other", "first", "last", "remaining", "same") and i >= 2:
        before = doc[i - 2]
    return before.lower_ in ("the", "these", "those", "its", "their", "his", "her", "our", "my", "your", "both")


def _label_number(span: Span) -> bool:
    """ "9:32", "1080p", "3D", "2-'Favorable": digits glued to what is not a unit or scale."""
    text = span.text.strip()
    if re.search(r"\d:\d", text):
        return True
    glued = re.fullmatch(r"\d+(?:\.\d+)?([a-z]+)", text, re.I)
    if glued and glued.group(1).lower() not in SCALES and glued.group(1).lower() not in UNITS \
            and glued.group(1).lower() not in ("kg", "g", "lb", "lbs", "ft", "mph", "kmh", "st", "nd", "rd", "th"):
        return True
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return bool(re.fullmatch(r"\d+-", text) or (after is not None and after.text == "-" and after.whitespace_ == ""
                                                and span.end + 1 < len(span.doc)
                                                and span.doc[span.end + 1].text[:1] in "'\"‘“"))


def _widen(doc: Doc, span: Span) -> Span:
    """Take in bound words before the figure and its unit after it."""
    start, end = span.start, span.end
    if start > 0 and doc[start - 1].text in CURRENCY_SIGNS and doc[start - 1].whitespace_ == "":
        start -= 1  # the model leaves the sign out: "$" "474.99"
    for bound in sorted(BOUNDS, key=len, reverse=True):
        n = len(bound.split())
        if start >= n and doc[start - n:start].text.lower() == bound:
            start -= n
            break
    if end < len(doc) and doc[end].lower_.rstrip(".") in SCALES:
        end += 1  # "65m." is 65 million
    if end + 1 < len(doc) and doc[end].lower_ == "per" and doc[end + 1].lower_ == "cent":
        return new_span(doc, start, end + 2, span.label_)
    while end < len(doc) and _unit_word(doc[end]) and doc[end].pos_ in ("NOUN", "ADJ", "SYM"):
        end += 1
    return new_span(doc, start, end, span.label_)


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
    if _modifier(span):  # "a seven-page agreement": describes a thing, measures nothing named
        return Quantity(text=text, item=item, start=span.start_char, end=span.end_char,
                        value=value, low=low, high=high, unit=None, bound=bound)
    return Quantity(text=text, item=item, start=span.start_char, end=span.end_char,
                    value=value, low=low, high=high, unit=_unit(span), bound=bound,
                    measure=_measure(span), noun=_noun(span))


def _modifier(span: Span) -> bool:
    """A figure joined by a hyphen to the noun after it: "seven-page", "10-wicket", "64-bit"."""
    after = doc_text(span.doc)[span.end_char:span.end_char + 2]
    return len(after) == 2 and after[0] in "-\u2010\u2011" and after[1].isalpha()


def _noun(span: Span) -> str | None:
    """The lemma of what the figure counts or is an amount of ("territory" in "63.2% of the
    territory"), None when the parse names no such noun."""
    noun = _counted_noun(span)
    if noun is None or noun.pos_ not in ("NOUN", "PROPN") or not noun.is_alpha or noun.lemma_.lower() in CHANGES:
        return None
    lemma = noun.lemma_.lower()
    return None if lemma in UNITS or lemma in SCALES or lemma in WORDS else lemma


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


def parse_number(digits: str) -> float:
    """A number as written, in English first: "1,500" is 1500 and "1,500.5" 1500.5, while a
    comma that cannot group thousands is a decimal comma ("63,2" is 63.2, "1.500,50" is
    1500.5), and thin spaces group thousands ("1 500")."""
    text = re.sub(rf"[{THIN}]", "", digits.replace("\u201a", ",")).rstrip(",.")
    if ENGLISH_GROUPS.fullmatch(text):
        return float(text.replace(",", ""))
    if DOTTED_GROUPS.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", "."))
    # A version or a date ("5.3.1", "1.2.2020") is no number: its first part is read, never a crash.
    leading = re.match(r"\d+(?:\.\d+)?", text.replace(",", ""))
    return float(leading.group()) if leading else 0.0


def _number(digits: str, rest: str) -> float:
    value = parse_number(digits)
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
        before = "" if not word[0].isalpha() else "(?<![a-z])"  # "US$108" is dollars
        if re.search(rf"{before}{re.escape(word)}(?:s|es)?(?![a-z])", text):
            return UNITS[word]
    noun = _counted_noun(span)
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    if lemma in UNITS:  # "millions of euros"
        return UNITS[lemma]
    return "person" if lemma in PEOPLE else lemma if lemma.isalpha() and len(lemma) > 2 else None


def _counted_noun(span: Span) -> Token | None:
    """The noun the figure counts: its own noun ("300 soldiers", "seven employees of a
    company"), or the "of X" object ("63.2% of the territory", "hundreds of tons of sarin").
    A figure that ends its sentence ("a payoff of $137m. Yahoo's boss has ...") counts nothing
    after it, however the parse ran the sentences together."""
    found = _counted_noun_in(span)
    if found is not None and span.text.endswith(".") and found.i >= span.end:
        return None
    return found


def _counted_noun_in(span: Span) -> Token | None:
    root = span.root
    share = bool(re.search(r"%|\bper ?cent|\bpct\b", span.text.lower()))
    if share is False and _countable(root) and root.i >= span.start and not root.text[:1].isdigit():
        return root
    of = next((c for c in root.children if c.lower_ == "of"), None)
    if of is None and span.end < len(span.doc) and span.doc[span.end].lower_ == "of":
        of = span.doc[span.end]
    if of is not None:
        found = next((c for c in of.children if c.dep_ == "pobj"), None)
        if found is not None and not _countable(found):  # "3.15 million hours of work"
            inner = next((c for c in found.children if c.lower_ == "of"), None)
            found = next((c for c in inner.children if c.dep_ == "pobj"), None) if inner is not None else None
        return found if found is not None and _countable(found) else None
    head = root.head
    # "four health IT systems" counts systems, "five index mutual funds" funds (the parse makes
    # "index" a noun modifier of "funds").
    while head.dep_ in ("compound", "nmod") and head.head.i > head.i:
        head = head.head
    if root.dep_ in ("nummod", "compound") and head.pos_ == "NOUN" and head.i >= span.end and (
            not share or head.lemma_.lower() in CHANGES) and (_countable(head) or head.lemma_.lower() in CHANGES):
        return head  # a share is of something ("of the terminals"), never "a 51% claim"
    return None


def _countable(token: Token) -> bool:
    """A noun that names a thing counted, not a unit, scale, fraction or number word."""
    lemma = token.lemma_.lower()
    return (token.pos_ in ("NOUN", "PROPN") and token.tag_ != "CD" and lemma not in UNITS
            and lemma not in SCALES and lemma not in WORDS and lemma not in FRACTIONS
            and lemma not in MEASURING and token.lower_.rstrip(".") not in SCALES)


def _measure(span: Span) -> str:
    """What the figure measures: "<counted noun phrase> <governing verb as participle>"; for a
    change ("a 39 percent jump in quarterly profit") the change and what changes."""
    noun = _counted_noun(span)
    own = {t.i for t in span if noun is None or t.i != noun.i}  # "300 soldiers" measures "soldiers"
    if noun is not None and noun.lemma_.lower() in CHANGES:
        changed = _changed(noun)
        return f"{noun.lemma_.lower()} in {_noun_phrase(changed, own)}" if changed is not None else ""
    phrase = _noun_phrase(noun, own) if noun is not None else ""
    verb = _governing_verb(span.root)
    if not phrase and verb is not None:
        thing = _object_changed(span.root, verb) or next(
            (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if thing is not None and thing.pos_ != "PRON":  # "which", "it" name nothing
            phrase = _noun_phrase(thing, own)
    if phrase and "percent" == _unit(span) and noun is not None and _of_object(span, noun):
        phrase = f"share of {phrase}"
        part = _part(verb) if verb is not None else _copula_subject(span.root)
        if part is not None:  # "the prison system accounts for 25 percent of the world's inmates"
            return f"{phrase} made up by {_noun_phrase(part, own)}"
        if _share_verb(verb):
            return ""  # a share of the whole whose part is not named (a pronoun) says nothing of it
    if not phrase:
        return ""  # a verb alone ("competed") says nothing about what is measured
    if verb is None or verb.lemma_.lower() in SPEECH | STATING or _no_participle(span, noun, verb):
        return phrase  # "46% of voters say ...": the share is of the voters, not of a saying
    if _acts_on_object(span, noun, verb):  # "terminals that stopped work", not "terminals stopped"
        # What it does as a clause ("set up to ...") is too long to say in a measure.
        return f"{phrase} that {_deed(verb)}" if any(c.dep_ == "dobj" and not _set_off(c) for c in verb.children) else phrase
    if verb.lower_ == "missing":  # "13 people are still missing": no one missed them
        return f"{phrase} missing"
    return f"{phrase} {participle(verb.lemma_.lower())}{_particle(verb)}"


def _particle(verb: Token) -> str:
    """The verb's particle, without which its participle says another thing: "laid off",
    "locked out" (not "laid", "locked")."""
    return "".join(f" {c.lower_}" for c in verb.children if c.dep_ == "prt" and c.i > verb.i)


def _no_participle(span: Span, noun: Token | None, verb: Token) -> bool:
    """Whether the verb's participle would misread what the figure counts: "be" and "include"
    say nothing ("there were two complaints" is not "complaints been"); a share of those by whom something is
    done reads as done to them ("viewed favorably by 37 percent of voters" is not "voters
    viewed"). A counted subject that acts on an object is `_acts_on_object`'s."""
    if verb.lemma_.lower() in ("be", "'s", "’s", "include") or verb.lower_ in ("'s", "’s"):
        return True  # "wounding seven, including four US soldiers": they were not "included"
    return span.root.head.dep_ == "agent" or (noun is not None and (noun.head.dep_ == "agent" or (
        noun.head.lower_ == "of" and noun.head.head.head.dep_ == "agent")))  # "escorted by two fighters"


def _acts_on_object(span: Span, noun: Token | None, verb: Token) -> bool:
    """Whether the counted subject is the verb's subject and the verb takes an object or a
    clause: its participle would read the subject as acted on ("three militants gunned down a
    Briton" is not "militants gunned")."""
    subject = noun if noun is not None and noun.dep_ == "nsubj" else span.root  # "thousands of employees set up"
    return subject.dep_ == "nsubj" and subject.head.i == verb.i and any(
        c.dep_ in ("dobj", "dative", "ccomp", "xcomp") and not _set_off(c) for c in verb.children)


def _set_off(child: Token) -> bool:
    """An "object" set off by a dash or a comma is an apposition the parse hung on the verb:
    "657 children died by suicide between 1993 and 2012 — an average of 33 a year"."""
    edge = child.left_edge.i
    return child.dep_ == "dobj" and edge > 0 and child.doc[edge - 1].text in ("—", "–", "-", "--", ",")


def _deed(verb: Token) -> str:
    """The verb as written with its auxiliaries, particle and object up to its head ("stopped work",
    "gunned down a Briton" of "a Briton in Riyadh"); a long one by its head word alone."""
    helpers = [c.text for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i]  # "can yield"
    words = helpers + [verb.text] + [c.text for c in verb.children if c.dep_ == "prt"]
    obj = next(c for c in verb.children if c.dep_ == "dobj" and not _set_off(c))
    head = obj.doc[obj.left_edge.i:obj.i + 1]  # "a Briton" of "a Briton in Riyadh"
    words.append(head.text if len(head) <= 3 else obj.text)
    return " ".join(words)


# Verbs by which a part is a share of a whole: the share is the subject's.
_SHARE_VERBS = {"account", "amount", "make", "represent", "comprise", "constitute", "form"}


def _part(verb: Token | None) -> Token | None:
    """The subject whose share a figure is ("Christians make up 1 percent of ..."), None when
    the verb is not one of a part, or its subject names nothing (a pronoun)."""
    if verb is None or not _share_verb(verb):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None and verb.dep_ in ("advcl", "acl", "conj"):  # "Hanging was the main method, accounting for"
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return subject if subject is not None and subject.pos_ in ("NOUN", "PROPN") else None


def _copula_subject(root: Token) -> Token | None:
    """ "Settlements are typically 1 percent to 2 percent of sales": the share is the subject's."""
    if root.dep_ != "attr" or root.head.lemma_.lower() != "be":
        return None
    subject = next((c for c in root.head.children if c.dep_ == "nsubj"), None)
    return subject if subject is not None and subject.pos_ in ("NOUN", "PROPN") else None


def _share_verb(verb: Token | None) -> bool:
    if verb is None or verb.lemma_.lower() not in _SHARE_VERBS:
        return False
    return verb.lemma_.lower() != "make" or any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children)


def _of_object(span: Span, noun: Token) -> bool:
    return noun.head.lower_ == "of" and noun.i not in range(span.start, span.end)


def _changed(change: Token) -> Token | None:
    """What a change noun is a change in: "jump in quarterly profit" -> "profit"."""
    for prep in change.children:
        if prep.lower_ in ("in", "of") and prep.dep_ == "prep":
            found = next((c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ not in ("DATE", "TIME")), None)
            if found is not None and found.pos_ in ("NOUN", "PROPN"):
                return found
    return None


def _object_changed(root: Token, verb: Token) -> Token | None:
    """The verb's object when the figure says by or to how much it changed: "raise supply
    quotas by one million barrels" measures the quotas, not OPEC."""
    if root.head.dep_ == "prep" and root.head.lower_ in ("by", "to") and root.head.head.i == verb.i:
        return next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
    return None


def _noun_phrase(noun: Token, figure: AbstractSet[int] = frozenset()) -> str:
    """The noun with its determiners, modifiers and participle clauses, without its
    prepositional phrases ("the territory captured by Ukraine", not "... in Kursk") and
    without the `figure`'s own tokens."""
    keep = [noun]
    for child in noun.children:
        if child.dep_ in ("det", "amod", "compound", "poss") and child.tag_ != "CD":
            keep.extend(child.subtree)
        elif child.dep_ == "acl":  # "captured by Ukraine", without where or when
            keep.append(child)
            for part in child.children:
                if part.dep_ in ("agent", "dobj", "prt"):
                    keep.extend(part.subtree)
    tokens = [t for t in sorted(keep, key=lambda t: t.i) if t.i not in figure and _same_paragraph(t, noun)]
    return " ".join(t.text for t in tokens if not (t.dep_ == "case" and t.text == "'s"))


def _same_paragraph(token: Token, noun: Token) -> bool:
    """No line break between the token and the noun: a heading or a timestamp's "ET" on the line
    before ("Conference Call", "Updated 12:43 p.m. ET") is no part of its noun phrase."""
    low, high = sorted((token.i, noun.i))
    return not any("\n" in t.text or "\n" in t.whitespace_ for t in token.doc[low:high])


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above the figure that is not a verb of saying; none when the figure
    hangs off another noun through a preposition ("the trial of three men")."""
    while token.head.i != token.i:
        prep = token.head
        while token.dep_ == "pobj" and prep.dep_ == "conj" and prep.head.pos_ == "ADP":
            prep = prep.head  # "at the federal level and in 12 states": "in" hangs on "at"
        if token.dep_ == "pobj" and prep.head.pos_ in ("NOUN", "PROPN") and token.head.lower_ != "of":
            return None
        if token.dep_ == "pobj" and prep.head.pos_ in ("VERB", "AUX") and (
                _circumstance(token.head, prep.head) or _recipient(token, prep.head) or _place(token)):
            return None  # "looking down on two sharks", "ran into trouble in 12 states": not what the verb measures
        if token.dep_ == "pobj" and token.head.lower_ == "of" and (
                token.head.head.pos_ == "NUM" or token.head.head.lower_ in _PARTS
                or token.head.head.lemma_.lower() in UNITS or token.head.head.lemma_.lower() in FRACTIONS):
            return None  # "two of the thousands of molecules captured", "1 percent of 100,000 bankers": the part, not the whole
        if token.dep_ == "pobj" and token.head.lower_ == "of" and _countable(token.head.head) \
                and token.head.head.lemma_.lower() not in VALUE_NOUNS | CHANGES:
            return None
        subject = token.dep_ in ("nsubj", "nsubjpass")
        token = token.head
        # A verb of stating is passed over when the figure is in what it states ("Goldman sees
        # 24%"), not when the figure counts who states ("27 companies reported").
        stating = token.lemma_.lower() in SPEECH | STATING and not subject
        if token.pos_ in ("VERB", "AUX") and not stating:
            return token if token.pos_ == "VERB" and not _classifies(token) else None
    return None


# Words that take a part of the figure's whole: "one of the 100 stations", "all but one of".
_PARTS = {"one", "all", "some", "most", "none", "each", "many", "few", "both", "several", "any", "half"}


def _recipient(token: Token, verb: Token) -> bool:
    """ "move to the 447 members", "benefits for millions of workers": a counted thing the
    verb's action goes to or is for is not what the verb amounts to (a sum "for $300 million"
    or a change "to 10%" is)."""
    return token.head.lower_ in ("to", "for", "toward", "towards") and _counts(token) and verb.lemma_.lower() not in CHANGES


def _counts(token: Token) -> bool:
    """Whether the figure's token counts things ("millions of workers", "three of its plants"),
    not a unit ("25 percent of") nor a sum ("$5")."""
    return _countable(token) or (token.lemma_.lower() not in UNITS and token.text not in UNITS and any(
        c.lower_ == "of" for c in token.children))


def _place(token: Token) -> bool:
    """ "cut 900 jobs at three of its plants": things counted where the verb happens are not what
    it amounts to (a price "at $5" or a level "at 5 percent" is)."""
    return token.head.lower_ == "at" and _counts(token) and token.lemma_.lower() not in VALUE_NOUNS | CHANGES


def _classifies(verb: Token) -> bool:
    """ "327 incidents fall under the definition": the verb sorts the things, nothing fell."""
    return verb.lemma_.lower() in ("fall", "come") and any(
        c.dep_ == "prep" and c.lower_ in ("under", "into", "within") for c in verb.children)


# Prepositions by which a figure says where, with what or about whom something happened, not
# how much of it happened ("looked down on two sharks", "work on four systems", "reminded of
# the millions of refugees"); "from" too, unless the verb is one of change ("fell from 10%").
_CIRCUMSTANCE = {"on", "in", "into", "with", "among", "through", "across", "within", "during", "onto", "upon",
                 "against", "near", "inside", "outside", "behind", "of", "from"}


def _circumstance(prep: Token, head: Token | None = None) -> bool:
    verb = (head if head is not None else prep.head).lemma_.lower()
    return prep.lower_ in _CIRCUMSTANCE and not (prep.lower_ == "from" and (verb in CHANGES or verb in (
        "rise", "fall", "grow", "drop", "increase", "decrease", "climb", "decline", "jump", "cut", "reduce")))


def participle(lemma: str) -> str:
    """The past participle of an English verb: control -> controlled, retake -> retaken."""
    if lemma in IRREGULAR:
        return IRREGULAR[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    # Short final stressed syllables double their consonant: stop -> stopped, control -> controlled.
    one_syllable = len(re.findall(r"[aeiouy]+", lemma)) == 1
    if re.search(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]$", lemma) and (
            (len(lemma) <= 4 and one_syllable) or lemma.endswith(("ol", "ur", "mit"))):
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


# Speakers that name no one: relative and demonstrative pronouns (personal ones: actors.is_pronoun).
_NO_ONE = {"which", "that", "who", "whom", "this", "these", "those", "there", "what", "here", "today",
           "today's", "yesterday", "tomorrow", "others", "some", "many", "most", "all", "both"}
# Verbs by which a party states a figure (said, reported, estimated, found, according to, ...);
# a figure inside what a party urges, wants or does ("knocked Kenya out with a seven-wicket
# win") is not stated by it.
STATING = set("""say tell report announce state add claim estimate show find write note cite conclude
    assert forecast predict project expect warn acknowledge admit confirm disclose reveal indicate
    suggest stress argue insist explain testify post publish release calculate count record tally
    put describe learn believe think allege document point see brag tout reckon calculate put
    recount quote accord concede maintain mention remark reply respond comment declare affirm
    emphasize emphasise underline observe specify list detail""".split())
_AUXILIARIES = set("""has have had is are was were be been being will would shall should may might can
    could must do does did also recently then just actually not n't never still later earlier
    already first previously again further repeatedly""".split())
_IRREGULAR_CUES = {"said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write",
                   "found": "find", "thought": "think", "saw": "see", "seen": "see", "sees": "see",
                   "put": "put", "puts": "put", "learnt": "learn", "forecast": "forecast"}


def key_figures(figures: list[Quantity], claims: list[Claim], mentions: Sequence[Mention] = (),
                texts: dict[int, str] | None = None) -> list[Quantity]:
    """The figures a brief lists as key, in the order of the items: each says what it measures
    and who states it. A figure is key when

    - a party states it: it lies in the content of a claim whose speaker is someone (not a
      pronoun or a time word, not a place labelling a headline's topic or a dateline, see
      `contrast.is_party`; `mentions`, the items' entities, let that check see places), by a
      cue that states (said, reported, estimated, found, according to: `stated_by`);
    - it has a value (a number, a range or a vague amount such as "several hundred");
    - it says what it measures: it counts, or is an amount of, a named thing (`noun`: "63.2% of
      the territory", "300 soldiers"), or it is in a unit (a share, money, an area, ...) whose
      measure names the thing whose amount it is ("the U.S. population increased"; never the
      speaker: verbs of stating are passed over, so "Goldman sees 24%" measures nothing);
    - it is shown whole (`shown_whole`, given the items' `texts`): not a rate without its "per
      hour", not a group's name ("the top 1 percent"), not cut inside a figure ("43 percent to").

    Figures that are not key stay in the claims that contain them."""
    from ..contrast import is_party

    places = [m for m in mentions if m.type in ("GPE", "LOC")]
    stated = {(q.item, q.start, q.end): c for c in claims for q in c.quantities}
    key = []
    for q in figures:
        claim = stated.get((q.item, q.start, q.end))
        if claim is None or q.speaker is None or not stated_by(claim) or not is_party(claim, places):
            continue
        if _has_value(q) and says_what_it_measures(q) and _names_a_party(q.speaker) and (
                texts is None or q.item not in texts or shown_whole(q, texts[q.item])):
            key.append(q)
    return sorted(key, key=lambda q: (q.item, q.start))


# Conjunctions and adverbs that open a clause of circumstance: what happened around a statement,
# told by the writer ("said as she and hundreds of others marched", "warned after hackers
# targeted two states", "Ohio, where 18 electoral votes are up for grabs").
_CIRCUMSTANCE_MARKS = {"as", "after", "when", "while", "before", "since", "until", "once", "whereas", "where"}


def stated_in(doc: Doc, q: Quantity, claim: Claim) -> bool:
    """Whether the claim's cue states the figure, as the parse of its sentence tells: not when
    the figure lies in a clause of circumstance that the cue is not in, and not when the cue
    lies in a subordinate clause that the figure is not in ("After Ayala said she would not
    seek it, Scott moved 29 cases": Ayala did not state the 29), nor in whom the cue addresses
    ("is warning four fund managers of ...")."""
    figure = doc.char_span(q.start, q.end, alignment_mode="expand")
    if not claim.cue_span or figure is None:
        return True
    cue = doc.char_span(claim.cue_span[0][0], claim.cue_span[0][1], alignment_mode="expand")
    if cue is None or cue.root.sent.start != figure.root.sent.start:
        return True  # a quotation running over sentences: the parse links nothing across them
    return not (_outside(figure.root, cue.root, _circumstantial) or _outside(cue.root, figure.root, _subordinate)
                or _addressed(figure.root, cue.root))


def _outside(token: Token, other: Token, kind) -> bool:
    """Whether a clause of `kind` holds `token` but not `other`."""
    while token.head.i != token.i:
        if kind(token) and not (token.left_edge.i <= other.i <= token.right_edge.i):
            return True
        token = token.head
    return False


# Cues whose object is whom they address: "is warning four fund managers of ..." states nothing
# about four.
_ADDRESSING = {"warn", "tell", "urge", "remind", "inform", "notify", "caution", "advise", "brief", "ask", "assure"}


def _addressed(figure: Token, cue: Token) -> bool:
    """Whether the figure lies in the cue's object when the cue addresses someone."""
    if cue.lemma_.lower() not in _ADDRESSING:
        return False
    token = figure
    while token.head.i != token.i:
        if token.head.i == cue.i:
            return token.dep_ in ("dobj", "dative")
        token = token.head
    return False


def _circumstantial(token: Token) -> bool:
    return token.dep_ in ("advcl", "relcl") and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in _CIRCUMSTANCE_MARKS and c.i < token.i for c in token.children)


def _subordinate(token: Token) -> bool:
    # The parser may read "After" as a preposition of the clause's verb.
    return token.dep_ == "advcl" and any(c.dep_ == "mark" or (c.dep_ == "prep" and c.lower_ in _CIRCUMSTANCE_MARKS
                                                              and c.i == token.left_edge.i) for c in token.children)


def stated_by(claim: Claim) -> bool:
    """Whether the claim's speaker states its content: a cue of saying, reporting, finding or
    estimating, and a speaker that names someone."""
    speaker = claim.speaker.strip().lower()
    if speaker in _NO_ONE or speaker.split()[-1:] and speaker.split()[-1] in ("today's", "yesterday's"):
        return False
    cue = claim.cue.strip().lower()
    if cue in (":", "according to") or cue.startswith("according to"):
        return True
    if claim.content.strip().lower().startswith(_DEEDS) or _RELATIVE.match(claim.content.strip()):
        return False  # "claimed responsibility for the siege, during which ...": a deed owned, nothing stated
    words = [w for w in re.findall(r"[a-z’']+", cue) if w not in _AUXILIARIES]
    if words and _cue_lemma(words[0]) in STATING:
        return True
    from .multilingual import states  # a cue in another language ("заявили", "teilte mit")

    return states(cue)


_DEEDS = ("responsibility", "credit", "victory", "the title", "the prize", "the seat")
# A content that opens a relative clause ("during which 320 hostages were killed") tells of
# something the writer describes, not of what the speaker said.
_RELATIVE = re.compile(r"(?:(?:during|in|at|after|before|since|from|through|on|under|with|by)\s+)?(?:which|whom|whose)\b", re.I)


def _cue_lemma(word: str) -> str:
    """A cue word's base form, enough to look it up in STATING: "estimated" -> "estimate"."""
    if word in _IRREGULAR_CUES:
        return _IRREGULAR_CUES[word]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            for candidate in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem):
                if candidate in STATING:
                    return candidate
    return word


# What follows a figure that makes it a rate ("150,000 attacks per second", "$12 an hour",
# "803 new residents every day", "25 percent annually"): shown without it, the figure misleads.
# "every" or "per" may come some words on, within the sentence ("40,000 variants of ad every
# day"); "a" only close by ("$12 an hour"), as "holding them for more than a month" is no rate.
_PERIODS = r"(?:second|minute|hour|day|night|week|month|year|quarter|capita|person|head|acre|household)(?!\w)"
_RATE_AFTER = re.compile(
    rf"^\s*(?:(?:[^\s.;:!?]+\s+){{0,10}}?(?:per|every|each)\s+{_PERIODS}|(?:[\w’'-]+\s+){{0,3}}?an?\s+{_PERIODS}"
    r"(?!\s+(?:ago|earlier|before|later|after))"
    r"|(?:[^\s.;:!?]+\s+){0,10}?per\s+(?:\d|hundred|thousand|million|billion)"
    r"|(?:[\w’'-]+\s+){0,3}?(?:annually|yearly|daily|weekly|monthly|hourly|a\s+piece|apiece)\b)", re.I)
# Before a figure: the base of a rate ("per 100,000"), one of a ratio ("1 in 4"), a group named by
# its share ("the top 1 percent", "the lower 95 percent").
_NOT_ALONE_BEFORE = re.compile(
    r"(?:\bper|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine)\s+(?:in|out\s+of)|\b(?:top|bottom|lower|upper|middle|richest|poorest|"
    r"wealthiest|lowest|highest)|\b(?:half|third|quarter|fifth|tenth|fraction|hundredth)s?\s+of"
    r")\s+$", re.I)
# After a figure: a rank ("the three largest counties"), or the rest of the figure it was cut
# from ("less than half of 1 percent", "more than half a percentage point", "sq km").
_NOT_ALONE_AFTER = re.compile(
    r"^\s+(?:largest|biggest|smallest|best|worst|richest|poorest|most|least|leading|top)\b"
    r"|^\s+(?:of\s+)?(?:a|an|one|\d[\d.,]*)\s*(?:%|percent|per\s+cent|percentage\s+points?)(?!\w)"
    r"|^\s*(?:sq|sq\.|square|cubic)\b"
    r"|^\s+block\b"  # an address: "the 3300 block of West Ohio Street"
    r"|^-\d", re.I)  # a score or a tally: "a 1-0 win", "the 51-49 vote"
_DAY_LIKE = re.compile(r"^\d{1,2}/\d{1,2}\b")  # "9/11", "24/7": a date or a name, not an amount
_CUT = re.compile(r"\s(?:to|and|or|of)$", re.I)  # "43 percent to": cut inside "43 percent to 38 percent"
# "three-fold (more)": a ratio whose base the figure does not give; "a five-mile radius": a size
# that describes a thing rather than an amount stated.
_RATIO = re.compile(r"fold$|-(?!(?:one|two|three|four|five|six|seven|eight|nine)\b)[a-z]+$", re.I)
# A short quotation whose words are capitalised: a title ("American Skin (41 Shots)"), whose
# numbers name, not count.
_QUOTED = re.compile(r"[\"“]([^\"“”\n]{1,80})[\"”]")


# One of a list of figures ("could grow to 20, 50 or 100 bombs"): the amount is the list's.
# (A year before the comma opens a sentence instead: "In 2014, 30 people died".)
# Number words too: "after five or six beers".
_NUMBER_WORD = r"\b(?:" + "|".join(w for w in WORDS if len(w) > 2 and w not in ("dozen", "half")) + r")"
_LIST_BEFORE = re.compile(r"(?<![\d,.])(?!(?:1[89]|20)\d\d,)\d[\d,.]*,\s+$|(?:\d|" + _NUMBER_WORD + r"),?\s+or\s+$", re.I)
_LIST_AFTER = re.compile(r"^(?:\s*,\s*[$€£]?\d[\d.]*)*,?\s+or\s+(?:[$€£]?\d|" + _NUMBER_WORD + r"\b)", re.I)
# Two figures run together: "four $50,000 payments" (a count, then each one's amount).
_TWO_FIGURES = re.compile(r"^(?:\d[\d,.]*|" + "|".join(w for w in WORDS if len(w) > 2) + r")\s+[$€£]?\d", re.I)
# A length that says where something is ("a community about 30 miles downriver", "50 miles above
# the surface"), not an amount of anything.
_LOCATED = re.compile(r"^\s+(?:above|below|downriver|upriver|downstream|upstream|away|off|offshore|inland|outside|"
                      r"from|(?:north|south|east|west)(?:east|west)?(?:ward)?)\b", re.I)
_AND_A = re.compile(r"\band\s+an?\s+$", re.I)  # "a million and a half people": the end of a figure
# A level a change starts from ("increased from $200 billion ... to $535 billion"): shown with
# the change's verb, it reads as the change.
_FROM = re.compile(r"\bfrom\s+$", re.I)


def shown_whole(q: Quantity, text: str) -> bool:
    """Whether the figure as shown is the whole figure, and an amount on its own."""
    before, after = text[max(0, q.start - 40):q.start], text[q.end:q.end + 100]
    return not (_RATE_AFTER.match(after) or _NOT_ALONE_BEFORE.search(before) or _NOT_ALONE_AFTER.match(after)
                or _DAY_LIKE.match(q.text) or _CUT.search(q.text) or _RATIO.search(q.text) or _in_title(q, text)
                or (q.unit in ("kilometre", "mile", "metre") and _LOCATED.match(after))
                or _TWO_FIGURES.match(q.text) or _AND_A.search(before) and q.text.lower().startswith(("half", "quarter"))
                or _LIST_AFTER.match(after) or _LIST_BEFORE.search(before)
                or (_FROM.search(before) and q.measure.split()[-1:] != [] and q.measure.split()[-1] in AMOUNT_VERBS))


def _in_title(q: Quantity, text: str) -> bool:
    """Whether the figure lies in a short quotation whose words all begin with a capital."""
    for found in _QUOTED.finditer(text, max(0, q.start - 80), min(len(text), q.end + 80)):
        if found.start(1) <= q.start and q.end <= found.end(1):
            words = [w for w in re.findall(r"[^\W\d_]+", found.group(1)) if len(w) > 3]
            return bool(words) and all(w[0].isupper() for w in words)
    return False


def _names_a_party(speaker: str | None) -> bool:
    """A speaker of one letter ("s" of "Let's say") or named by a pronoun ("its own website")
    names no party, nor a feed's outlet label run into the party ("washingtonpost.com - Aether
    Systems Inc., ...")."""
    words = (speaker or "").split()
    return bool(words) and len(" ".join(words)) > 1 and words[0].lower() not in ("its", "his", "her", "their") \
        and not _TWO_NAMES.match(speaker or "") and " - " not in (speaker or "")


# "the Washington Post, the Center for American Progress, ...": two named bodies run together
# (a source reporting on another), not one party with its description ("John Smith, the CEO").
_TWO_NAMES = re.compile(r"^the\s+[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*,\s+the\s+[A-Z][\w.&'’-]*\s+(?:[A-Z]|of\s+[A-Z]|for\s+[A-Z])")


def _has_value(q: Quantity) -> bool:
    return q.value is not None or (q.low is not None and q.high is not None)


# Verbs whose subject is what a sum or a share is an amount of: "the plan would cost $150
# billion", "profit fell 40 percent". With other verbs the subject is a holder or an agent
# ("Apple holds $214.9 billion", "his company earmarked $300 million", "Trump leads 47.1
# percent"), and the measure would name it instead of the thing measured.
AMOUNT_VERBS = {participle(v) for v in """cost rise fall grow expand increase decline drop jump climb gain
    hit reach total top exceed shrink slip plunge surge soar tumble slide sink dip contract""".split()}
# Counted nouns that say nothing of what is counted: "at least 28 times", "three things"; an
# article's own lists ("Two questions: ...", "five reasons"); a size in digits ("six figures").
_EMPTY_NOUNS = {"thing", "time", "way", "figure", "digit", "question", "reason", "lesson", "takeaway", "tip", "step", "idea",
                "answer", "type", "kind", "sort", "variety"}  # "162 types of armaments": types of what, unsaid


def says_what_it_measures(q: Quantity) -> bool:
    """Whether the figure names what it counts or is an amount of."""
    words = q.measure.casefold().split()
    if words[:1] in (["my"], ["our"], ["your"]) or words[-1:] == ["had"] or q.measure.casefold() == "others":
        return False  # "half of my family", "recordings had"
    if q.noun:
        return q.noun not in _EMPTY_NOUNS
    if q.unit not in MEASURED_UNITS or not words:
        return False
    return words[0] in CHANGES or words[:2] == ["share", "of"] or words[-1] in AMOUNT_VERBS
