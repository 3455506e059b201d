"""Claim bounds a reader can take at their word.

The parse and the tagger bound speakers and contents by syntax, and syntax errs in known ways on
news text: a wire dateline read as part of the speaker ("BAGHDAD, Iraq - Authorities"), a
sentence cut at an abbreviation ("Hackers accuse Mt." / "Gox of ..."), a fragment of the
narration taken into the content ("after examining {Clinton's leg}, she insisted that ..."), a
quotation run on into the next sentence, a gloss of the writer's tacked on ("vowed to put him
down, prompting a petition"). Each repair here is a general rule of English news text; a claim
whose content is left empty by them is no claim.
"""

from __future__ import annotations

import re

from ..model import Span
from . import attribution_tagger

# Abbreviations that end with a period inside a sentence (titles, places, months, states,
# company suffixes): a period after them ends no sentence, so no speaker or content ends there.
ABBREVIATIONS = frozenset("""
mr mrs ms dr st mt ft no nos vs gen gov sen rep reps sens sgt lt col capt cmdr adm maj prof rev
hon jr sr messrs mssrs fr pres supt insp det inc corp co cos ltd bros jan feb mar apr jun jul aug
sep sept oct nov dec u.s u.k u.n e.u ala ariz ark calif colo conn del fla ga ill ind kan kans ky
la md mass mich minn miss mo mont neb nev okla ore pa penn tenn tex va vt wash wis wyo n.y n.j
n.c s.c n.h n.m n.d s.d d.c w.va approx est dept univ ave blvd p.m a.m
""".split())
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# A sentence end: . ! ? (closing quotes and brackets after it) before whitespace, or a line break.
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)|\n")
# A wire dateline or source tag at the start of a line, one or more of:
#   "BAGHDAD, Iraq - ", "LOS ANGELES (Reuters) - ", "JAKARTA (Antara): ", "AP - ",
#   "Canadian Press - ", "UPDATE 1-", "[METALS]-", "Ha Noi, Nov. 11 (VNA) - ",
#   "(OfficialWire) -- ", "12/16/04 -- " (a wire's tag in brackets, a date in figures)
_DATELINE_PART = re.compile(
    r"(?:"
    r"\([A-Z][^)\n]{1,40}\)\s*(?:--?|—|–)\s+"
    r"|\d{1,2}/\d{1,2}/\d{2,4}\s*(?:--?|—|–)\s+|"
    r"(?:UPDATE|CORRECTED|REFILE|WRAPUP|RPT|FACTBOX|ANALYSIS|EXCLUSIVE)\s?\d*\s*-\s*"
    r"|\[[A-Z][A-Z .&/-]+\]\s*-?\s*"
    r"|[A-Z][A-Za-z.&'/]*(?:\s[A-Z][A-Za-z.&'/]*){0,3}(?:,\s[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*){0,2}"
    r"(?:\s\d{1,2}(?:,\s\d{4})?)?)?"
    r"(?:\s?\([^)\n]{1,40}\))?\s*(?:--?|—|–)\s+"
    r"|[A-Z][A-Z./]+(?:\s[A-Z][A-Z./]+)*(?:,\s[A-Za-z.]+(?:\s[A-Za-z.]+){0,2})?\s?\([^)\n]{1,40}\)\s*:?\s*"
    r"|[A-Z][A-Z./]+(?:\s[A-Z][A-Z./]+)*,?\s[A-Z][a-z]{2,4}\.?\s\d{1,2}(?:,\s\d{4})?\s*(?:--?|—|–|:)\s*"
    r")"
)
TRIM = " \t\n,.;:!?\"'“”‘’—–-()[]"
CURRENCY = "$€£¥₹₽"
DAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
OPENING_QUOTES = "\"“‘'"
CLOSING_QUOTES = "\"”"
# Participles with which the writer adds the consequences of what was said: "vowed to put him
# down, prompting a Twitter hashtag", "said ..., sparking protests".
CONSEQUENCES = frozenset({
    "prompting", "sparking", "triggering", "drawing", "raising", "fueling", "fuelling", "causing",
    "provoking", "igniting", "spurring", "angering", "setting", "leading", "forcing", "stoking",
})
# How a content's fragment may hang on its cue: as what is said, not as when or why it was.
CONTENT_LINKS = frozenset({
    "ccomp", "xcomp", "dobj", "parataxis", "oprd", "attr", "acomp", "pobj", "prep", "dative",
    "conj", "obj", "csubj", "nsubj", "nsubjpass", "appos", "npadvmod",
})
EMPTY_WORDS = ("CCONJ", "SCONJ", "ADP", "DET", "PUNCT", "PART")
# Words that open a clause of time, reason or concession: such a fragment beside the content is
# the writer's ("While he acknowledged ..., Ham noted ...", "said as she marched").
ADVERBIAL_MARKS = frozenset({
    "while", "although", "though", "because", "since", "when", "after", "before", "as", "unless",
    "whereas", "once", "until", "despite", "whenever",
})


def dateline_end(text: str, pos: int) -> int:
    """Where the dateline at the start of the line holding `pos` ends (the line's start when it
    has none)."""
    start = text.rfind("\n", 0, pos) + 1
    while start < len(text) and text[start] in " \t":
        start += 1
    at = start
    for _ in range(4):
        match = _DATELINE_PART.match(text, at)
        if not match or match.end() >= len(text) or not text[match.end()].strip():
            break
        at = match.end()
    return at


def completed(text: str, end: int) -> int:
    """A content's end moved past a cut that ends no sentence: an abbreviation's period ("the
    Nov" of "the Nov. 3 vote") or a currency sign before its amount ("Mr. Hemming's $")."""
    if is_abbreviation_end(text, end):
        return sentence_end(text, end + 1)
    if end > 0 and text[end - 1] in CURRENCY:
        return sentence_end(text, end)
    return end


def is_abbreviation_end(text: str, dot: int) -> bool:
    """Is text[dot] a period that ends an abbreviation ("Mt.", "Dr.", "R-Ala.", "U.S.")?"""
    if dot >= len(text) or text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    return match is not None and match.group(1).lower().rsplit("-", 1)[-1] in ABBREVIATIONS


def sentence_end(text: str, pos: int) -> int:
    """The end of the sentence running at `pos` (before its final mark), passing over the
    periods of abbreviations."""
    for match in _END.finditer(text, pos, min(len(text), pos + 600)):
        if match.group(0) == "\n":
            return match.start()
        if match.group(0)[0] == "." and is_abbreviation_end(text, match.start()):
            continue
        return match.start()
    return min(len(text), pos + 600)


def repair_source(doc, text: str, spans: list[Span]) -> list[Span]:
    """The speaker without a dateline ("BAGHDAD, Iraq - Authorities" -> "Authorities"), not cut
    inside a name ("President Charles" -> "President Charles Phillips") or at a title's period
    ("the Rev" -> "the Rev. Peter Wherry"), and without the time of speaking ("A scholar on
    Tuesday" -> "A scholar")."""
    out = []
    for s, e in spans:
        e = _name_completed(doc, e)
        e = _without_time(doc, s, e)
        e = _before_clause(doc, s, e)
        line_start = dateline_end(text, s)
        if e <= line_start:
            continue  # the speaker is the dateline ("UPDATE 1-", "AP - ")
        if s < line_start:
            s = line_start
        # A double backslash is where a feed joined a headline to its text (AG News: "New Trojan
        # Targets Adware, two backslashes, Antivirus maker Symantec has reported ..."): the speaker
        # is after it. A single one only wraps a line ("a maker of", backslash, "networking gear").
        if "\\\\" in text[s:e]:
            s = text.rindex("\\\\", s, e) + 2
        if is_abbreviation_end(text, e):
            name = re.match(r"\.\s+((?:[A-Z][\w'’-]*\.?\s?){1,3})", text[e:e + 60])
            if name:
                e = e + name.end(1)
        span = trim(text, s, e)
        if span:
            out.append(span)
    return out


def repair_content(doc, text: str, spans: list[Span], cue: list, quotes: list[Span],
                   avoid: list[Span]) -> list[Span]:
    """The content without a dateline, run to the sentence's real end where an abbreviation cut
    it, its quotation closed, the writer's glosses and narration fragments left out; a repair
    never runs into the speaker or the cue (`avoid`)."""
    out = []
    for s0, e0 in spans:
        s, e = s0, e0
        line_start = dateline_end(text, s)
        if e <= line_start:
            continue
        if s < line_start:
            s = line_start
        e = completed(text, e)
        before = text[:s].rstrip()
        if before.endswith(".") and is_abbreviation_end(text, len(before) - 1):
            word = _WORD_BEFORE.search(text, max(0, len(before) - 13), len(before) - 1)
            if word and word.start() >= dateline_end(text, s) and word.group(1)[:1].isupper():
                s = word.start()
        if any(s < ae and as_ < e for as_, ae in avoid):
            s, e = s0, e0
        if is_abbreviation_end(text, e):
            continue  # cut mid-name where the text itself ends ("winner, Dr.")
        e = _quote_closed(text, s, e)
        s = _quote_opened(text, s, e, avoid)
        e = _without_consequences(text, s, e)
        e = _before_turn(text, s, e)
        span = trim(text, s, e)
        if span and not is_abbreviation_end(text, span[1]):  # not cut where the text is ("the No.")
            out.append(span)
    out = _attached(doc, text, out, cue, quotes)
    out = [_whole_clause(doc, text, span, cue, avoid) for span in out]
    if out:  # only the content's end: a piece before the cue ("what {the commander said} were ...") goes on in the next
        last = _closed_end(doc, text, _with_infinitive(doc, text, out[-1], cue, avoid), avoid)
        last = _before_next_clause(doc, text, last, cue, quotes) if last else last
        out = out[:-1] + [last] if last else []
    if len(out) == 1 and _only_adverbial(doc, out[0]):
        return []
    return out


def _before_next_clause(doc, text: str, span: Span, cue: list, quotes: list[Span]) -> Span | None:
    """A clause coordinated with the cue's verb, with a subject of its own, is the writer's next
    statement: "warned about {a strong euro} and investors grew wary" ends before "and". A
    quotation is left whole: the parse of spoken words is no guide to who says them."""
    s, e = span
    for verb in cue:
        for conj in (c for c in verb.children if c.dep_ == "conj" and s < c.idx < e):
            if any(qs <= conj.idx < qe for qs, qe in quotes):
                continue
            if not any(g.dep_ in ("nsubj", "nsubjpass") for g in conj.children):
                continue
            i = conj.left_edge.i
            while i > 0 and (doc[i - 1].dep_ == "cc" or doc[i - 1].is_punct or doc[i - 1].is_space):
                i -= 1
            if doc[i].idx > s:
                return trim(text, s, doc[i].idx)
    return span


# Cues whose object is then told what to do ("calls on Congress to pass", "pleading with
# officers not to shoot"); after other cues an infinitive is the writer's purpose ("invoked the
# rising seas to thrill his supporters").
CALLING_VERBS = frozenset({"call", "urge", "ask", "press", "plead", "appeal", "push", "implore", "beg",
                           "encourage", "challenge", "invite", "tell", "warn", "advise", "exhort"})


def _with_infinitive(doc, text: str, span: Span, cue: list, avoid: list[Span]) -> Span:
    """A content that is the object of a call runs on over what the object is called on to do:
    "calls on {Congress} to pass criminal justice reform" -> "Congress to pass ..."."""
    cue_ids = {t.i for t in cue}
    s, e = span
    for verb in (t for t in cue if t.lemma_.lower() in CALLING_VERBS):
        for child in verb.children:
            if child.dep_ not in ("xcomp", "advcl") or not any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                continue
            first = child.left_edge
            if first.i in cue_ids or first.idx < e or text[e:first.idx].strip(" \t") != "":
                continue  # only an infinitive right after the content
            end = child.right_edge.idx + len(child.right_edge)
            if not any(e <= as_ < end for as_, _ in avoid):
                return trim(text, s, end) or span
    return span


def _only_adverbial(doc, span: Span) -> bool:
    """A content that is only a clause of reason, time or concession of something outside it
    ("... by hand before buying -- {because children could choke on them}, advocates said"):
    the clause it explains is not in it."""
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
    if tokens is None or not len(tokens):
        return False
    root = tokens.root
    return root.dep_ == "advcl" and not tokens.start <= root.head.i < tokens.end and any(
        c.dep_ == "mark" and c.lower_ in ADVERBIAL_MARKS for c in root.children)


# Words that cannot end what was said while the phrase they open goes on after the content:
# "a forum sponsored {by} NBC News", "raw power {that} experts say put ...", "the {Nov}".
_OPENING_WORDS = ("ADP", "DET", "SCONJ")


def _closed_end(doc, text: str, span: Span, avoid: list[Span]) -> Span | None:
    """A content that stops inside a phrase runs on to the phrase's end: a preposition over its
    object ("sponsored by" -> "sponsored by NBC News"), a bracket to its closing mark ("Office(R"
    -> "Office(R) 12 - Home Edition"). A content whose last word opens a phrase that cannot be
    reached so (a determiner, a relative pronoun whose clause is the speaker's: "raw power that
    some experts say put ...") is cut where nothing whole was said: None."""
    s, e = span
    if text.count("(", s, e) > text.count(")", s, e):
        close = text.find(")", e, sentence_end(text, e) + 1)
        whole = trim(text, s, sentence_end(text, close)) if close >= 0 else None
        if whole and not any(e <= as_ < whole[1] for as_, _ in avoid):
            e = whole[1]
    tokens = doc.char_span(s, e, alignment_mode="expand")
    if tokens is None or not len(tokens):
        return (s, e)
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words:
        return None
    last = words[-1]
    objects = [c for c in last.children if c.dep_ == "pobj" and c.i > last.i]
    if last.pos_ == "ADP" and objects:
        end = objects[0].right_edge.idx + len(objects[0].right_edge)
        if not any(e <= as_ < end for as_, _ in avoid):
            return trim(text, s, end) or (s, e)
        return None
    if last.head.i <= last.i or last.head.sent != last.sent:
        return (s, e)  # the last word's phrase is inside the content (or the parse ran on)
    if last.pos_ in _OPENING_WORDS or last.tag_ in ("WDT", "WP") or last.dep_ == "compound":
        return None  # "dismissed {David} Blunkett's claim": a name cut off from its head
    return (s, e)


def _whole_clause(doc, text: str, span: Span, cue: list, avoid: list[Span]) -> Span:
    """A content that is the cue's clausal complement starts where the clause does ("said on
    Friday {demarcation of the border could begin immediately}", not "{could begin
    immediately}"), short of the speaker and the cue."""
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
    cue_ids = {t.i for t in cue}
    if tokens is None or not cue_ids:
        return span
    root = tokens.root
    if root.dep_ not in ("ccomp", "xcomp") or root.head.i not in cue_ids:
        return span
    # Only its missing beginning (the clause's subject): where it ends the tagger knows better.
    first = doc[root.left_edge.i]
    s, e = min(span[0], first.idx), span[1]
    s = max(s, dateline_end(text, s))
    if re.search(r"[.!?][\"'”’)]*\s", text[s:span[0]]):
        return span  # never into the sentence before (a parse that ran two together)
    if any(s < ae and as_ < e for as_, ae in avoid) or any(t.i in cue_ids for t in doc[root.left_edge.i:tokens.start]):
        return span
    that = re.match(r"that\s+", text[s:e], re.IGNORECASE)
    if that and first.lower_ == "that" and first.dep_ != "mark":
        that = None  # "That is wrong, he said": the clause's subject, not a complementiser
    if that:  # the complementiser is the cue's, not the content's
        s += that.end()
    return trim(text, s, e) or span


def _name_completed(doc, end: int) -> int:
    """Run a speaker that stops inside a name over the name's next words: a proper noun that
    the last word modifies ("Charles" -> "Charles Phillips")."""
    token = doc.char_span(end - 1, end, alignment_mode="expand")
    if token is None:
        return end
    last = token[-1]
    while last.i + 1 < len(doc):
        nxt = doc[last.i + 1]
        if nxt.pos_ != "PROPN" or last.head.i != nxt.i or nxt.ent_iob_ != "I":
            break  # the name goes on only inside one entity ("Charles Phillips", not "Warren Hammers")
        last = nxt
    return max(end, last.idx + len(last))


def _before_clause(doc, start: int, end: int) -> int:
    """A speaker is a noun phrase: cut it before a verb that heads a clause of its own ("Sbarro
    files for Chapter 11, vows ..." -> "Sbarro"); a relative clause stays ("officials who ...")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return end
    for token in span[1:]:
        if token.pos_ in ("VERB", "AUX") and token.dep_ in ("ROOT", "conj", "ccomp", "parataxis") and not any(
                a.dep_ in ("relcl", "acl", "advcl", "appos") and a.i >= span.start for a in token.ancestors):
            before = [t for t in span if t.i < token.i and not t.is_punct and not t.is_space]
            return before[-1].idx + len(before[-1]) if before else end
    return end


def _without_time(doc, start: int, end: int) -> int:
    """Cut a time of speaking off a speaker's end ("a scholar on Tuesday", "officials Friday")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return end
    cut = len(span)
    while cut > 1 and (span[cut - 1].ent_type_ in ("DATE", "TIME") or span[cut - 1].is_space
                       or span[cut - 1].lower_ in ("on", "in", "at")):
        cut -= 1
    time = span[cut:]
    words = [t for t in time if not t.is_space]
    if not words or not (words[0].lower_ in ("on", "in", "at", "last", "this", "yesterday", "today", "tonight")
                         or words[0].lower_ in DAYS):
        return end  # "Mr. King, 82" keeps the age
    if span[cut - 1].tag_ in ("VBN", "VBD"):
        return end  # "a poll released last week": the speaker's own time
    return span[cut - 1].idx + len(span[cut - 1])


# What is left of an HTML entity that lost its '&' ("quot;", "#39;"), at a content's edge.
_ENTITY_END = re.compile(r"(?:^|\s|;)&?(?:quot|amp|#\d+);?$")
_ENTITY_START = re.compile(r"^&?(?:quot|amp|#\d+);")


def trim(text: str, start: int, end: int) -> Span | None:
    """Punctuation and quote marks off both edges, and dangling words off the end ("he may be
    fit, after" -> "he may be fit")."""
    while True:
        while start < end and text[start] in TRIM:
            start += 1
        while end > start and text[end - 1] in TRIM:
            end -= 1
        entity = _ENTITY_END.search(text, start, end)
        if entity and entity.start() > start:
            end = entity.start()
            continue
        entity = _ENTITY_START.match(text, start, end)
        if entity:
            start = entity.end()
            continue
        update = re.search(r"\s\(\d{1,2}\)?$", text[start:end])  # a wire update number: "... (2)"
        if update:
            end = start + update.start()
            continue
        last = re.search(r"(?:^|\s)(and|or|but|after|before|while|because|the|a|an)$",
                         text[start:end], re.IGNORECASE)
        if not last or last.start(1) == 0:
            break
        end = start + last.start(1)
    return (start, end) if end > start else None


def _quote_closed(text: str, s: int, e: int) -> int:
    """A content that opens with a quotation ends where that quotation ends with its sentence:
    '"... Proud to say it! #nasty." That back and forth ...' stops at the closing mark."""
    opening = text[max(0, s - 2):s]
    if not any(q in opening for q in "\"“"):
        return e
    for i in range(s, e):
        if text[i] in CLOSING_QUOTES and i > s and text[i - 1] in ".!?" and text[i + 1:e].strip(TRIM):
            return i
    return e


def _quote_opened(text: str, s: int, e: int, avoid: list[Span]) -> int:
    """A content that ends with a quotation just before its speaker ('... there is no indication
    the hit happened—"Although I believe ...," Tarbell wrote') begins where the quotation does."""
    if not avoid or min(a for a, _ in avoid) < e or not any(q in text[e:e + 3] for q in "\"”"):
        return s
    for i in range(e - 1, s, -1):
        if text[i] == "“" or (text[i] == '"' and not text[i - 1].isalnum()):
            return i + 1
        if text[i] == "”":
            break
    return s


def _without_consequences(text: str, s: int, e: int) -> int:
    """Cut ', prompting ...' (CONSEQUENCES) off the end of a content."""
    for match in re.finditer(r",\s+(\w+)\b", text[s:e]):
        if match.group(1).lower() in CONSEQUENCES:
            return s + match.start()
    return e


# Where a transcript passes to another voice: a stage note ("(CROSSTALK.)", "(LAUGHTER)") or a
# paragraph that opens with the next speaker's label ('"WALLACE: ...'). No content runs past it:
# what follows is not the speaker's.
_STAGE_NOTE = re.compile(
    r"\(?\s*(?:CROSSTALK|LAUGHTER|LAUGHS|APPLAUSE|INAUDIBLE|UNINTELLIGIBLE|COMMERCIAL BREAK"
    r"|(?:BEGIN|END) VIDEO(?: CLIP)?)\b")
_LABEL = re.compile(r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}:")


def _before_turn(text: str, s: int, e: int) -> int:
    """The content's end, short of the next turn of a transcript."""
    note = _STAGE_NOTE.search(text, s, e)
    end = note.start() if note else e
    for label in _LABEL.finditer(text, s, end):
        line_start = text.rfind("\n", 0, label.start()) + 1
        if not text[max(line_start, s):label.start()].strip(" \t\"“") and (line_start > 0 or s == 0):
            return max(line_start, s)
    return end


def opens_a_turn(text: str, start: int, end: int) -> bool:
    """The paragraph text[start:end] opens with a stage note or another speaker's label: it
    continues no quotation of the paragraph before."""
    body = start + len(text[start:end]) - len(text[start:end].lstrip(" \t\"“"))
    return bool(_STAGE_NOTE.match(text, body, end) or _LABEL.match(text, body, end))


def _attached(doc, text: str, spans: list[Span], cue: list, quotes: list[Span]) -> list[Span]:
    """The fragments of a content that are what was said: quoted, or hanging on the cue as its
    complement, or on another fragment. A fragment hanging on the cue as a time or reason
    ("when she resigned", "While he acknowledged ...") or on words outside the claim ("after
    examining {Clinton's leg}, she insisted that ...") is narration."""
    if len(spans) < 2:
        return spans if spans and not _lone_word(doc, text, spans[0]) else []
    starts = [t.idx for t in doc]
    cue_ids = {t.i for t in cue}
    token_sets = [{i for i in attribution_tagger.tokens_in(doc, starts, s, e) if not doc[i].is_space} for s, e in spans]
    everything = set().union(*token_sets)
    kept = []
    for span, ids in zip(spans, token_sets):
        first = doc[min(ids)] if ids else None
        if first is None or all(doc[i].pos_ in EMPTY_WORDS for i in ids) or (
                first.lower_ in ADVERBIAL_MARKS and first.dep_ in ("mark", "advmod", "prep")):
            continue  # "{after} revealing ...", "{While he acknowledged ...}, Ham noted ..."
        if _in_quotes(text, span, quotes) and len(text[span[0]:span[1]].split()) > 4:
            kept.append(span)
            continue
        roots = [doc[i] for i in ids if doc[i].head.i not in ids or doc[i].head.i == i]
        if any(_hangs_well(r, cue_ids, everything - ids) for r in roots):
            kept.append(span)
    if len(kept) == 1 and _lone_word(doc, text, kept[0]):
        return []
    return kept


def _hangs_well(root, cue_ids: set[int], other: set[int]) -> bool:
    if root.head.i == root.i or root.head.i in other:
        return True
    if root.head.i in cue_ids or root.i in cue_ids:
        return root.dep_ in CONTENT_LINKS
    return False


def _lone_word(doc, text: str, span: Span) -> bool:
    """A content of one function word, pronoun or auxiliary ('what', 'him', 'after', 'will' of
    "technology they hope will help") says nothing."""
    words = text[span[0]:span[1]].split()
    if len(words) != 1:
        return False
    token = doc.char_span(span[0], span[1], alignment_mode="expand")
    return token is not None and len(token) == 1 and token[0].pos_ in EMPTY_WORDS + ("PRON", "AUX")


def _in_quotes(text: str, span: Span, quotes: list[Span]) -> bool:
    s, e = span
    return any(qs <= s and e <= qe for qs, qe in quotes) or any(q in text[max(0, s - 2):s] for q in "\"“")
