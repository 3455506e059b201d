"""Claim attribution: who said what, with exact spans, from a spaCy parse.

A cascade per sentence: a cheap regex on cue words and quote marks skips most sentences
(speed matters at 100k items); then the dependency parse finds speech verbs with a subject
(the source) and a clausal complement (the content), "according to X" phrases, and quoted
text next to a cue ("\u201c...,\u201d he said."). Pronoun speakers take the actor of the last
named speaker of the item.

Then, where its model is installed, a tagger trained on PolNeAR (extract.neural_tagger, three
BiLSTMs; the CRF of extract.attribution_tagger where they are missing) labels source, cue and
content tokens with the rules' findings among its features; its spans, paired by nearness,
replace the rules' claims, and the rules' claims it did not touch stay.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Claim, Span
from ..nlp import doc_text
from . import attribution_tagger, claim_kinds, claim_spans, gender, neural_tagger
from .actors import is_pronoun, normalise_actor, speaker_role

# Verbs of speech and cognition that attribute content to their subject (lemmas).
SPEECH_VERBS = {
    "say", "tell", "claim", "deny", "announce", "warn", "insist", "add", "state", "report",
    "confirm", "believe", "think", "argue", "assert", "allege", "explain", "note",
    "acknowledge", "admit", "suggest", "predict", "estimate", "write", "tweet", "post",
    "declare", "reveal", "maintain", "contend", "stress", "emphasize", "emphasise",
    "indicate", "promise", "vow", "pledge", "comment", "remark", "reply", "respond",
    "answer", "conclude", "testify", "disclose", "concede", "recall", "observe", "accuse",
    "charge", "complain", "fear", "hope", "expect", "know", "suspect", "doubt",
    "forecast", "caution", "urge", "demand", "threaten", "boast", "brag", "joke",
    "quip", "signal", "hint", "imply", "assure", "reiterate", "repeat",
    "feel", "guess", "speculate", "calculate", "continue", "learn", "ask",
    "dispute", "describe", "criticize", "criticise", "propose", "mention", "cite",
}
# Verbs whose direct object is what is said ("denied the report", "announced a ceasefire").
OBJECT_CONTENT_VERBS = {"deny", "announce", "confirm", "reveal", "report", "disclose",
                        "admit", "acknowledge", "predict", "promise", "pledge", "vow",
                        "dispute", "describe", "criticize", "criticise", "propose", "mention",
                        "cite"}
# Cue verbs that themselves distance the reporter from the content.
HEDGING_CUES = {"claim", "allege", "contend", "insist", "suspect", "speculate", "guess"}
HEDGE_WORDS = re.compile(
    r"\b(reportedly|allegedly|purportedly|supposedly|apparently|unverified|unconfirmed|"
    r"could not be (?:independently )?verified|(?:appeared|appears|seemed|seems) to|"
    r"according to (?:unnamed |anonymous )?(?:sources|reports|media reports))\b",
    re.IGNORECASE,
)

QUOTE = re.compile(r"[\"“]([^\"“”\n]{2,}?)[\"”]")

CONTENT_DEPS = {"ccomp", "parataxis"}
# The verbs of saying proper, whose complement is always what was said.
SAY_VERBS = {"say", "tell", "add", "write", "state", "claim", "insist", "argue", "explain",
             "note", "warn", "announce", "declare", "assert", "reply", "respond", "tweet"}
# Verbs of stance and evaluation that news reports as attributions ("Obama endorsed Clinton",
# "Trump called for a ban", "Sanders wants to raise taxes", "polls show a tight race"), with
# the dependents that carry what is attributed. Lemmas from PolNeAR train's cue words.
STANCE_VERBS = {
    **dict.fromkeys(["call", "show", "find", "endorse", "support", "question", "praise",
                     "defend", "urge", "attack", "express", "view", "oppose", "consider",
                     "back", "blame", "dismiss", "reject", "denounce", "echo", "recognize",
                     "remind", "thank", "blast", "mock", "slam", "label", "characterize",
                     "applaud", "condemn", "welcome", "reaffirm", "challenge", "demand", "ask",
                     "accuse", "criticize", "criticise", "describe", "see"],
                    ("dobj", "oprd", "xcomp", "ccomp", "prep")),
    **dict.fromkeys(["want", "hope", "plan", "decline", "refuse", "intend", "prefer",
                     "seek", "promise", "vow", "pledge", "threaten", "expect"],
                    ("xcomp", "ccomp", "dobj")),
    **dict.fromkeys(["point", "refer", "talk", "speak", "focus", "respond", "react"], ("prep",)),
}
# Further cue verbs that PolNeAR's annotators mark as attributions in at least about half of
# their uses (counted on the train split, 5 uses or more), with the same dependents.
STANCE_VERBS.update(dict.fromkeys([
    "hop", "discuss", "worry", "highlight", "tout", "list", "portray", "order", "wonder", "deem",
    "decry", "lament", "rail", "quote", "reference", "voice", "chant", "plead", "title", "credit",
    "outline", "assail", "recount", "envision", "chide", "rebut", "document", "recite", "vouch",
    "bemoan", "articulate", "interject", "proclaim", "rebuke", "hail", "liken", "lash", "allude",
    "dub", "lambast", "balk", "deride", "interpret", "elaborate", "repudiate", "retweet",
    "retweete", "email", "shout", "yell", "clarify", "disavow", "tweet", "offer", "remember",
    "advocate", "convince", "persuade", "underscore", "apologize", "request", "recommend",
    "attribute", "detail", "congratulate", "invoke", "inform"],
    ("dobj", "oprd", "xcomp", "ccomp", "prep")))
STANCE_PREPS = {"for", "to", "on", "about", "as", "of", "against", "with", "at"}

# Cheap filter: word stems of the cue verbs and quote marks (over-matching is fine).
_CUE_STEMS = sorted({v[:5] if len(v) > 5 else v for v in SPEECH_VERBS | set(STANCE_VERBS)}
                    | {"said", "told", "thought", "knew", "known", "wrote", "written",
                       "found", "felt", "according", "sought", "saw", "seen", "shown",
                       "spoke", "spoken"})
CUE_FILTER = re.compile(r"\b(?:" + "|".join(map(re.escape, _CUE_STEMS)) + r")|[\"“”]", re.IGNORECASE)
# Verbs whose infinitive complement is a claim ("claimed to have shot down"), unlike
# "continued to fight" or "agreed to buy".
XCOMP_VERBS = {"claim", "allege", "deny", "admit", "promise", "vow", "pledge", "threaten",
               "expect", "hope", "report"}
# Wire-service datelines that lead a story: "WASHINGTON (Reuters) - ", "AFP - ".
DATELINE = re.compile(r"(?:[A-Z][A-Za-z.,' ]*\([^)]{1,40}\)\s*[-—–]+\s*"
                      r"|(?:AP|AFP|UPI|Reuters)\s*[-—–]+\s*)")
SUBJECT_DEPS = {"nsubj"}
TRIM = " \t\n,.;:!?\"'“”‘’—–-()"
# The gap allowed between a quote and its cue: '," he said' / ': "'.
NEAR = 4


# Cheap sentence ends for the cue filter: after . ! ? (and closing quotes), or a line break.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|vs|No)\.)(?<!\b(?:Mrs|Gen|Gov|Sen|Rep|Sgt)\.)"
    r"[\"'”’)]*\s+(?=[A-Z0-9\"'“‘(])|\n\s*")


KINDS = ("speech", "stance", "other")


def select(claims: list[Claim], kinds=None) -> list[Claim]:
    """The claims of the given kinds (all three when None), speech first, then stance, then
    other, each kind in text order (item, then position)."""
    from ..errors import NewsdeskError

    wanted = KINDS if kinds is None else tuple([kinds] if isinstance(kinds, str) else kinds)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise NewsdeskError(f"unknown claim kind(s): {', '.join(map(str, unknown))}; choose from {', '.join(KINDS)}",
                            code=2)
    rank = {kind: n for n, kind in enumerate(KINDS)}
    return sorted((c for c in claims if c.kind in wanted), key=lambda c: (rank[c.kind], c.item, c.start, c.end))


def cue_sentences_only(text: str) -> str | None:
    """The text with every sentence that cannot carry an attribution (no cue word, no quote
    mark) blanked out, offsets kept; None when no sentence can. spaCy then parses the blanks
    as whitespace, almost for free."""
    if not CUE_FILTER.search(text):
        return None
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start() - 1:match.start()] == "." and claim_spans.is_abbreviation_end(text, match.start() - 1):
            continue  # "Hackers accuse Mt. Gox of ...": one sentence
        pieces.append((start, match.end()))
        start = match.end()
    if start < len(text):
        pieces.append((start, len(text)))
    out = []
    for s, e in pieces:
        piece = text[s:e]
        out.append(piece if CUE_FILTER.search(piece) else re.sub(r"[^\n]", " ", piece))
    return "".join(out)


def find_claims(doc, item: int, learned: bool = True, tagger=None, text: str | None = None,
                claims_only: bool = True) -> list[Claim]:
    """All attributed statements of one item's parsed text, in text order: the rules' claims,
    revised by the learned tagger (extract.attribution_tagger; `tagger`, or the installed
    model) unless `learned` is off; then only those that state something, each with its kind
    (extract.claim_kinds), bounded as extract.claim_spans bounds them. `text` is the item's text
    when the doc was parsed from a copy with some sentences blanked (cue_sentences_only): the
    claims' words are taken from it. With `claims_only` off, attributions that state nothing (an
    act, a plan, a wish, a negated report: "She plans to apply to law school") are kept too, with
    the kind "act", as PolNeAR's annotation counts them."""
    parsed = doc_text(doc)
    text = text if text is not None and len(text) == len(parsed) else parsed
    if not CUE_FILTER.search(text):
        return []
    quotes = [(m.start(1), m.end(1)) for m in QUOTE.finditer(parsed)]
    found: list[Claim] = []
    for sent in doc.sents:
        if CUE_FILTER.search(sent.text):
            found += _sentence_claims(sent, quotes)
    found = _outermost(found, quotes)
    tagger = (tagger or neural_tagger.load() or attribution_tagger.load()) if learned else None
    if tagger is not None:
        found = learned_claims(doc, found, tagger)
    found = _statements(doc, text, sorted(found, key=lambda c: (c.start, c.end)), quotes, claims_only)
    found = _continued_quotes(text, found + _signed_quotes(text, found))
    return _with_actors(doc, found, item, text)


# A paragraph that is a quotation signed with a dash: '"Donald Trump scares me." ― Krystal Correa'.
SIGNED_QUOTE = re.compile(r"[ \t]*[\"“](?P<quote>[^\n]+?)[\"”][ \t]*(?P<dash>[―—–]|--)[ \t]*"
                          r"(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})[ \t]*$", re.MULTILINE)


def _signed_quotes(text: str, claims: list[Claim]) -> list[Claim]:
    """Claims of the signed quotation paragraphs that no cue of `claims` lies in."""
    out = []
    for match in SIGNED_QUOTE.finditer(text):
        if any(c.cue_span and match.start() <= c.cue_span[0][0] < match.end() for c in claims):
            continue
        content = claim_spans.trim(text, match.start("quote"), match.end("quote"))
        if content is None:
            continue
        source, cue = (match.start("name"), match.end("name")), (match.start("dash"), match.end("dash"))
        out.append(Claim(speaker=match["name"], actor="", cue=match["dash"], content=text[content[0]:content[1]],
                         item=0, start=content[0], end=source[1], source_span=[source], cue_span=[cue],
                         content_span=[content], kind="speech"))
    return out


def _continued_quotes(text: str, claims: list[Claim]) -> list[Claim]:
    """A paragraph that is a quotation with no attribution of its own continues the speaker of
    the paragraph before, when that paragraph ends with a quoted claim (news carries a speaker
    over quote paragraphs): the quotation becomes more content of that claim."""
    out = sorted(claims, key=lambda c: (c.start, c.end))
    current = None  # index in `out` of the quoted claim the next paragraph may continue
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        own = [k for k, c in enumerate(out) if c.cue_span and start <= c.cue_span[0][0] < end]
        body = line.strip()
        if own:
            last = out[own[-1]]
            current = own[-1] if last.kind in ("speech", "stance") and _ends_quoted(text, last, end) else None
        elif body and body[0] in "\"“" and current is not None and not FURNITURE.match(text, start) and (
                not claim_spans.opens_a_turn(text, start, end)):
            span = _quotation(text, start + line.index(body[0]), end)
            if span:
                claim = out[current]
                out[current] = replace(claim, content_span=claim.content_span + [span],
                                       content=claim.content + " " + text[span[0]:span[1]],
                                       end=max(claim.end, span[1]))
            else:
                current = None
        elif body:
            current = None
        start = end + 1
    return out


def _ends_quoted(text: str, claim: Claim, line_end: int) -> bool:
    """The claim's last content fragment is a quotation, or its paragraph leaves one open."""
    s, e = claim.content_span[-1]
    line_start = text.rfind("\n", 0, s) + 1
    opened = text[line_start:line_end].count("“") - text[line_start:line_end].count("”")
    straight = text[line_start:line_end].count('"') % 2
    return any(q in text[max(0, s - 2):s] for q in "\"“") or opened > 0 or straight == 1


def _quotation(text: str, open_at: int, line_end: int) -> Span | None:
    """The quoted text of a paragraph opening with a quotation mark at `open_at`: to its closing
    mark, or to the end of the paragraph when the quotation runs on into the next one."""
    close = [i for i in range(open_at + 1, line_end) if text[i] in "\"”"]
    end = close[0] if close else line_end
    return claim_spans.trim(text, open_at + 1, end)


# Lines of page furniture that a scraper keeps inside an article: never a speaker or a claim.
FURNITURE = re.compile(
    r"^\W*(?:story|article) (?:continues|continued)\b|^\W*story highlights\b|^\W*advertisement\b"
    r"|^\W*(?:click|tap) here\b|^\W*(?:read|see) (?:more|also)\b|^\W*related:|^\W*sign up\b"
    r"|^\W*(?:photo|image|video)(?: credit)?:|^\W*(?:share|follow us) on\b"
    r"|^\W*follow\b[^\n]{0,40}\bon (?:twitter|facebook|instagram|x)\b", re.IGNORECASE | re.MULTILINE)
# Remains of HTML entities that lost their '&' ("#39;s", "quot;"): never a speaker.
ENTITY_REMAINS = re.compile(r"^(?:#\d+;|quot;|amp;|lt;|gt;|nbsp;)|&lt;|&gt;|https?:|www\.|href=", re.IGNORECASE)
GENERIC_SPEAKERS = {"you", "we", "i", "one", "us", "me", "this", "that", "these", "those"}
# A dateline or a leading time inside a speaker ("New Delhi, August 26", "Sunday,\\exit polls
# released by ..."; not "an analysis of PACs through Aug. 31"): the speaker ran over a dateline
# or a time adverbial, and nobody is named by it reliably.
DATED_SPEAKER = re.compile(
    r"(?:^|,\s*)(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? \d{1,2}\b"
    r"|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s*[,\\]")


def _statements(doc, text: str, claims: list[Claim], quotes: list[Span], claims_only: bool = True) -> list[Claim]:
    """The claims in which a credible speaker puts content forward, each with its kind (see
    extract.claim_kinds); acts, plans, wishes (unless not `claims_only`: kind "act"), page
    furniture and headline labels go."""
    starts = [t.idx for t in doc]
    out: list[Claim] = []
    for found in claims:
        claim = _repaired(doc, text, starts, found, quotes)
        kind = None
        if claim is not None and _credible_speaker(text, claim):
            source, cue, content = (_tokens(doc, starts, spans) for spans in (
                claim.source_span or [], claim.cue_span or [], claim.content_span))
            kind = claim_kinds.kind_of(doc, source, cue, content, _quoted(text, claim.content_span, quotes))
            if kind is not None and "&lt;" in claim.content:
                kind = None  # a content cut through by the markup of a link ("Co. &lt;A HREF=...")
        if claim is not None and kind is not None:
            out.append(replace(claim, kind=kind))
        elif not claims_only and found.source_span:
            out.append(replace(claim or found, kind="act"))
    return _outer_claims(out) if claims_only else out


def _outer_claims(claims: list[Claim]) -> list[Claim]:
    """A claim whose cue lies inside what another claim reports ('Limbaugh continued: "They are
    demanding this ... as he said"') is part of that content, not a claim of its own."""
    return [c for c in claims if not c.cue_span or not any(
        o is not c and any(s <= c.cue_span[0][0] and c.cue_span[0][1] <= e for s, e in o.content_span)
        for o in claims)]


def _repaired(doc, text: str, starts: list[int], claim: Claim, quotes: list[Span]) -> Claim | None:
    """The claim with the bounds of extract.claim_spans; None when no speaker or content is left."""
    if not claim.source_span:
        return None
    cue = _tokens(doc, starts, claim.cue_span or [])
    source = claim_spans.repair_source(doc, text, _subject_speaks(doc, starts, claim.source_span, cue))
    content = claim_spans.repair_content(doc, text, _without(claim.content_span, source), cue, quotes,
                                         source + list(claim.cue_span or []))
    if not source or not content:
        return None
    spans = source + list(claim.cue_span or []) + content
    return replace(claim, speaker=text[source[0][0]:source[-1][1]], source_span=source,
                   content=" ".join(text[s:e] for s, e in content), content_span=content,
                   start=min(s for s, _ in spans), end=max(e for _, e in spans))


def _without(spans: list[Span], cut: list[Span]) -> list[Span]:
    """The parts of `spans` outside `cut`."""
    out = list(spans)
    for cs, ce in cut:
        pieces = []
        for s, e in out:
            if ce <= s or e <= cs:
                pieces.append((s, e))
                continue
            if s < cs:
                pieces.append((s, cs))
            if ce < e:
                pieces.append((ce, e))
        out = pieces
    return out


def _subject_speaks(doc, starts: list[int], source: list[Span], cue: list) -> list[Span]:
    """The cue verb's own subject is its speaker: 'In a paper in {the journal Science}, a team of
    researchers described ...' is the team's, whatever the tagger marked."""
    if not cue:
        return source
    verb = _cue_root(cue)
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP", "PRP")
                and c.pos_ in ("NOUN", "PROPN")]
    tokens = _tokens(doc, starts, source)
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids]
    # Only a marked speaker inside a phrase of place or medium ("in the journal Science") or the
    # source of an "according to" that is not this cue ("Shipping lines warned of delays,
    # according to port data": the shipping lines warned); never the agent of a passive.
    if (verb.pos_ != "VERB" or not subjects or not roots or any(t.i in ids for t in subjects[0].subtree)
            or not all(r.dep_ == "pobj" and (r.head.lower_ in ("in", "on", "at") or (
                r.head.lower_ == "to" and r.head.head.lower_ == "according")) for r in roots)):
        return source
    return _fragments(doc, _span_tokens(subjects[0])) or source


def _tokens(doc, starts: list[int], spans: list[Span]) -> list:
    return [doc[i] for s, e in spans for i in attribution_tagger.tokens_in(doc, starts, s, e)
            if not doc[i].is_space]


def _credible_speaker(text: str, claim: Claim) -> bool:
    """A speaker that is someone: not page furniture ("Story continues below advertisement"),
    not the remains of an HTML entity ("#39;s"), not the reader or the writer ("you", "we"), not
    a span run over a date."""
    source = claim.source_span
    assert source is not None  # _repaired keeps only claims with a speaker
    s, e = source[0][0], source[-1][1]
    speaker = text[s:e]
    line_start = text.rfind("\n", 0, s) + 1
    if FURNITURE.match(text, line_start) or ENTITY_REMAINS.search(speaker) or DATED_SPEAKER.search(speaker):
        return False
    return speaker.lower() not in GENERIC_SPEAKERS


def _quoted(text: str, spans: list[Span], quotes: list[Span]) -> bool:
    """Every fragment of the content is (inside) a quotation."""
    def inside(s: int, e: int) -> bool:
        if any(qs <= s and e <= qe for qs, qe in quotes):
            return True
        before = text[max(0, s - 2):s]
        return any(mark in before for mark in "\"“'‘")
    return bool(spans) and all(inside(s, e) for s, e in spans)


def _with_actors(doc, claims: list[Claim], item: int, text: str | None = None) -> list[Claim]:
    """The claims with their item and normalised actor; a pronoun speaker takes the actor of
    the person or body it agrees with: "he"/"she" the nearest person named since the last named
    speaker whose gender the text does not contradict, else that speaker if it is one such
    person, else the last such person named before; "they" a plural. A pronoun that nothing
    agrees with stays unresolved (actor "") rather than named wrongly."""
    out, last_actor, last_at, last_source = [], "", -1, None
    said = [s for c in claims for s in c.content_span]
    found_people: list = []

    def people() -> list[tuple[int, int, str, str | None]]:
        # Found once an item's pronoun needs them: most items have none.
        if not found_people:
            whole = text if text is not None else doc_text(doc)
            found_people.extend(sorted(_people(doc, whole) + _roles(doc, whole, claims)) or [(-1, -1, "", None)])
        return found_people
    for found in claims:
        speaker = found.speaker
        at = found.source_span[0][0] if found.source_span else found.start
        actor = normalise_actor(_without_possessive(doc, found.source_span) or speaker)
        antecedent = _relative_antecedent(doc, found.source_span, found.cue_span)
        if antecedent:
            actor = last_actor = normalise_actor(antecedent)
            last_at = at
        elif is_pronoun(speaker):
            wanted = gender.pronoun_gender(speaker)
            if wanted:
                # Someone new is named after the last speaker's own words ("John Dickey, the chief
                # executive of the company that owns Mr. King's programming": not Mr. King).
                since = max(last_at, last_source.end_char if last_source is not None else -1)
                new = _person_antecedent(people(), wanted, since, at, said)
                if new is not None:
                    actor = new
                elif _agrees_person(last_source, _speaker_gender(last_source, people()), wanted):
                    actor = last_actor
                else:
                    actor = _last_person_before(people(), wanted, at)
            else:
                fallback = last_actor if _agrees(speaker, last_source) else ""
                plural = speaker.strip().lower() in gender.PLURAL
                # 'they' with nobody plural in sight stays unresolved rather than named wrongly.
                actor = (_antecedent(doc, speaker, last_at, at, said) or fallback
                         or ("" if plural else _last_name_before(doc, at)))
        elif found.source_span and _is_named(doc, found.source_span):
            last_actor, last_at, last_source = actor, at, _token_span(doc, found.source_span)
        out.append(replace(found, item=item, actor=actor, role=speaker_role(speaker)))
    return out


def _agrees(pronoun: str, source) -> bool:
    """'they' stands for a plural or a body ("officials", "the ministry"), never one person."""
    if source is None or pronoun.strip().lower() not in gender.PLURAL:
        return True
    root = source.root
    return root.tag_ in ("NNS", "NNPS") or root.ent_type_ in ("ORG", "GPE", "NORP") or any(
        t.lower_ in ("and", "&") for t in source)


def _agrees_person(source, source_gender: str | None, wanted: str) -> bool:
    """'he'/'she' stands for a speaker that is one person of a gender the text does not
    contradict: never "the Coast Guard", "police" or "officials"."""
    if source is None or source_gender not in (None, wanted):
        return False
    # A title or a role word makes a person of what the parse took for a body ("Mr. Qorvo").
    return source_gender == wanted or gender.one_person(source)


# How far back (in characters) a pronoun looks for someone new to stand for.
ANTECEDENT_REACH = 300
_CAPITALISED = re.compile(r"\b([A-Z][\w'’-]*?[\w-])(?:['’]s)?\b")


def _people(doc, text: str) -> list[tuple[int, int, str, str | None]]:
    """The item's mentions of people, (start, end, name, gender), in text order: the parse's
    persons (not a name that is only where something happened, "on Twitter"), a name the item
    gives a person elsewhere that the parse took for something else ("Army General John
    Campbell" ... "Campbell told"), and such names and titled names ("Mr. Obama") in the
    sentences that were not parsed (extract.claims.cue_sentences_only blanks those)."""
    surnames = gender.titled_surnames(text)
    persons = [e for e in doc.ents if e.label_ == "PERSON" and not _only_a_setting(e.root)]
    full: dict[str, set[str]] = {}
    for e in persons:
        words = [w for w in e.text.split() if w.lower().rstrip(".") not in gender.TITLES]
        if len(words) > 1:
            full.setdefault(words[-1], set()).add(" ".join(words))
        elif words:
            full.setdefault(words[0], set())
    known = set(full) | set(surnames)

    def mention(start: int, end: int, name: str, context: list[str]):
        bare = [w for w in name.split() if w.lower().rstrip(".") not in gender.TITLES]
        names = full.get(bare[-1], set()) if bare else set()
        # A surname alone is judged by the one full name the item gives it ("Clinton": "Hillary
        # Clinton"); the actor stays the name as written.
        whole = next(iter(names)) if len(bare) == 1 and len(names) == 1 else name
        return (start, end, normalise_actor(name), gender.gender_of(whole, context, surnames))

    out = [mention(e.start_char, e.end_char, e.text, _phrase_words(e)) for e in persons]
    out += [mention(e.start_char, e.end_char, e.text, _phrase_words(e)) for e in doc.ents
            if e.label_ != "PERSON" and e.text in known and not _only_a_setting(e.root)]
    taken = [(s, e) for s, e, _, _ in out]
    parsed = doc_text(doc)
    for match in _CAPITALISED.finditer(text):
        s, e = match.start(), match.end(1)
        # Only in a sentence that was not parsed (blanked): where the parse read a word, its
        # reading stands.
        if match[1] in known and not parsed[s:e].strip() and not any(ts <= s < te for ts, te in taken):
            out.append(mention(s, e, match[1], text[max(0, s - 6):s].split()[-1:]))
    return sorted(out)


def _phrase_words(entity) -> list[str]:
    """The words around a name in its own phrase that may tell a gender: "his wife Barbara",
    "actress Emma Stone", "Jane Doe, the captain's wife", "Mrs. Smith"."""
    root = entity.root
    words = [t.text for t in root.children if t.dep_ in ("compound", "amod", "appos", "nmod")
             and not entity.start <= t.i < entity.end]
    if root.dep_ in ("appos", "compound") and not entity.start <= root.head.i < entity.end:
        words.append(root.head.text)
    if entity.start > 0:
        words.append(entity.doc[entity.start - 1].text)  # a title the entity left out
    return words


def _speaker_gender(source, people: list[tuple[int, int, str, str | None]]) -> str | None:
    """The gender of a named speaker: a title or a role word of its own ("his wife Barbara"),
    else the person named in it."""
    if source is None:
        return None
    for t in source:
        found = gender.ROLE_WORDS.get(t.lower_) or (gender.TITLES.get(t.lower_.rstrip(".")) if t.text[:1].isupper() else None)
        if found:
            return found
    inside = [g for s, e, _, g in people if source.start_char <= s and e <= source.end_char and g]
    return inside[-1] if inside else None


def _person_antecedent(people, wanted: str, after: int, before: int, said: list[Span]) -> str | None:
    """The nearest person mentioned since the last named speaker (at `after`), outside what was
    said, whose gender does not contradict the pronoun's; None when none ('' when that is a
    person mentioned by role alone, whom the item names nowhere)."""
    after = max(after, before - ANTECEDENT_REACH)
    names = [name for s, e, name, g in people if after < s and e <= before and g in (None, wanted)
             and not any(cs <= s and e <= ce for cs, ce in said)]
    return names[-1] if names else None


# A sentence that opens on one person's role ("The president's Pacific roots also came into
# play."): its subject or its subject's owner, who a pronoun of the next sentence may stand for.
_ROLE_OPENING = re.compile(r"(?:^|(?<=[.!?])[\"”’)]*\s+|(?<=\n))The (?:[a-z]+ )?([a-z]+)(?:['’]s)?\b", re.MULTILINE)


def _roles(doc, text: str, claims: list[Claim]) -> list[tuple[int, int, str, str | None]]:
    """Mentions of one person by role alone, as _people gives names: a sentence's opening
    "The president('s)", and a speaker that is one such person and no name ("the captain's
    wife said"). Each stands for the one person the item titles so ("President Obama": Obama),
    or, when it titles nobody so, for nobody the item names (''): a pronoun after it is not
    given to someone named before."""
    found = [(m.start(1), m.end(1), m[1]) for m in _ROLE_OPENING.finditer(text) if m[1] in gender.ROLE_NOUNS]
    for claim in claims:
        source = _token_span(doc, claim.source_span)
        if (source is not None and not is_pronoun(claim.speaker) and not _is_named(doc, claim.source_span or [])
                and source.root.lower_ in gender.ROLE_NOUNS and source.root.tag_ == "NN"):
            found.append((source.root.idx, source.root.idx + len(source.root), source.root.lower_))
    out = []
    for start, end, role in found:
        titled = {m[1] for m in re.finditer(rf"\b(?:{role.capitalize()}|{role})\s+((?:[A-Z][\w.'’-]*\s+){{0,2}}[A-Z][\w'’-]+)", text)}
        surnames = {re.sub(r"['’]s$", "", t.split()[-1]) for t in titled}
        name = normalise_actor(min(titled, key=len)) if len(surnames) == 1 else ""
        out.append((start, end, name, gender.ROLE_WORDS.get(role) or (_people_gender(name, text) if name else None)))
    return out


def _people_gender(name: str, text: str) -> str | None:
    return gender.gender_of(name, [], gender.titled_surnames(text))


def _last_person_before(people, wanted: str, offset: int) -> str:
    """Fallback antecedent of 'he'/'she': the last person named before it whose gender does
    not contradict the pronoun's (never an organisation)."""
    names = [name for s, e, name, g in people if e <= offset and g in (None, wanted)]
    return names[-1] if names else ""


def _antecedent(doc, pronoun: str, after: int, before: int, said: list[Span]) -> str:
    """Who a pronoun speaker other than 'he'/'she' stands for when someone new came up since the
    last named speaker (at `after`): 'they' the nearest plural subject, outside what was said
    (`said`: the contents of the claims). '' when nobody new came up."""
    def outside(s: int, e: int) -> bool:
        return not any(cs <= s and e <= ce for cs, ce in said)

    after = max(after, before - ANTECEDENT_REACH)
    if pronoun.strip().lower() in gender.PLURAL:
        subjects = [t for t in doc if after < t.idx and t.idx + len(t) <= before and t.dep_ in ("nsubj", "nsubjpass")
                    and t.tag_ in ("NNS", "NNPS") and outside(t.idx, t.idx + len(t))]
        if subjects:
            noun = subjects[-1]
            return normalise_actor(doc[noun.left_edge.i:noun.i + 1].text)
    return ""


# Prepositions of place, way and motion: a name after them is where or how something happened
# ("cruised down the Danube", spaCy's "person" now and then), not someone who speaks next.
SETTING_PREPS = frozenset({"on", "in", "at", "via", "into", "onto", "down", "up", "along", "across", "through",
                           "past", "around", "toward", "towards", "near", "beside", "beneath", "under",
                           "behind", "outside", "inside"})
# Particles of motion over a place: the parse reads "cruised down the Danube" with "down" as a
# particle and the river as the verb's object.
MOTION_PARTICLES = frozenset({"down", "along", "across", "through", "past", "around"})


def _only_a_setting(token) -> bool:
    """The token is the object of a preposition of place or medium ("on Twitter", "at Trump
    Tower", "via Skype")."""
    if token.dep_ == "dobj" and any(c.dep_ == "prt" and c.lower_ in MOTION_PARTICLES for c in token.head.children):
        return True  # "cruised down the Danube": the parse makes "down" a particle
    return token.dep_ == "pobj" and token.head.lower_ in SETTING_PREPS


def _outermost(claims: list[Claim], quotes: list[Span]) -> list[Claim]:
    """An attribution inside what someone else is quoted as saying ('"I think we will win,"
    he said') is part of that content, not a claim of the item: keep the outer one."""
    def inside(cue: Span, spans) -> bool:
        return any(s <= cue[0] and cue[1] <= e for s, e in spans)

    kept = []
    for claim in claims:
        assert claim.cue_span is not None  # the rules' claims always have their cue
        cue = claim.cue_span[0]
        nested = any(other is not claim and inside(cue, other.content_span) for other in claims)
        if not nested and not inside(cue, quotes):
            kept.append(claim)
    return kept


def _sentence_claims(sent, quotes) -> list[Claim]:
    claims = []
    taken: set[int] = set()  # cue verbs already used, so conj verbs are not counted twice
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            claim = _according_to(token, sent)
        elif ((token.lemma_ in SPEECH_VERBS or token.lemma_ in STANCE_VERBS)
              and token.pos_ in ("VERB", "AUX") and token.i not in taken):
            claim = _speech_verb(token, quotes)
        else:
            continue
        if claim:
            taken.add(token.i)
            claims.append(claim)
    if not claims:
        claim = _colon_headline(sent)
        if claim:
            claims.append(claim)
    return claims


def _colon_headline(sent) -> Claim | None:
    """'Graham: Trump's rhetoric is destroying the party' (a headline or a lead): a short name
    before a colon at the start of the sentence is the speaker, the colon the cue."""
    colon = next((t for t in sent if t.text == ":"), None)
    if colon is None or colon.i == sent.start or colon.i - sent.start > 5 or sent.end - colon.i < 4:
        return None
    left = sent.doc[sent.start:colon.i]
    if not any(t.pos_ == "PROPN" for t in left) or any(
            t.pos_ not in ("PROPN", "NOUN", "DET", "ADJ", "PART", "PUNCT") or t.like_num for t in left):
        return None
    source = {t.i for t in left if not t.is_punct or t.i not in (left.start, left.end - 1)}
    content = {t.i for t in sent.doc[colon.i + 1:sent.end] if not t.is_space}
    spans = _fragments(sent.doc, content)
    if not spans:
        return None
    return _build(sent.doc, source, [colon], spans, ":", colon)


def _speech_verb(verb, quotes) -> Claim | None:
    subject = _subject(verb)
    # "you know", "you think" are fillers; "I believe", "we know" outside quotes are the
    # writer's own voice (quoted ones are the speaker's and are nested in their claim).
    if subject is None or subject.lower_ in ("you", "i", "we", "one"):
        return None
    if subject.tag_ in ("WDT", "WP"):
        if verb.dep_ != "relcl":
            return None
        # "Smith, who said ...": the speaker is the noun the relative clause hangs on.
        antecedent = verb.head
        source = set(range(antecedent.left_edge.i, antecedent.i + 1))
    else:
        source = _span_tokens(subject)
    if _fronted_question(verb, subject):
        return None
    doc = verb.doc
    cue = _cue_tokens(verb, source)
    content = _content_tokens(verb, source) - {t.i for t in cue}
    cue_region = source | {t.i for t in cue}
    if content:
        content_spans = _fragments(doc, content)
        # '"We will win," he said, "and soon."': a quote resuming after the cue.
        if content_spans and content_spans[0][0] < doc[min(cue_region)].idx:
            content_spans += [q for q in _adjacent_quote(doc, cue_region, quotes, before=False)
                              if not any(s < q[1] and q[0] < e for s, e in content_spans)]
    else:
        content_spans = _adjacent_quote(doc, cue_region, quotes)
    content_spans = _whole_quotes(doc, content_spans, quotes, cue_region)
    if not content_spans or (verb.lemma_ not in SPEECH_VERBS and _open_question(doc, content_spans)):
        return None
    return _build(doc, source, cue, content_spans, doc[cue[0].i:cue[-1].i + 1].text, verb)


def _open_question(doc, spans: list[Span]) -> bool:
    """'shows how they are adapting': a stance verb over a wh-clause states no claim."""
    first = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
    return first is not None and first[0].tag_ in ("WRB", "WP", "WDT") and first[0].lower_ != "that"


def _whole_quotes(doc, spans: list[Span], quotes: list[Span], cue_region: set[int]) -> list[Span]:
    """Content that is part of a quotation runs to the quotation's ends, across sentences:
    '"We won," he said. "It was close. Very close."' quotes two sentences after the cue. The
    quote may not reach into the source or cue."""
    first = doc[min(cue_region)].idx
    last_token = doc[max(cue_region)]
    last = last_token.idx + len(last_token)
    out = []
    for s, e in spans:
        for qs, qe in quotes:
            if qs <= s < qe or qs < e <= qe:
                if qe <= first or qs >= last:  # the quote lies wholly before or after the cue
                    trimmed = _trim(doc_text(doc), min(s, qs), max(e, qe), strip_that=False)
                    s, e = trimmed or (s, e)
                break
        out.append((s, e))
    return out


def _cue_tokens(verb, source: set[int]) -> list:
    """The cue as news and PolNeAR's guidelines bound it: the verb with its auxiliaries and
    negation right before it ('has said', 'did not say', 'also said'), its particle, and the
    preposition that introduces what is said ('called for', 'pointed to')."""
    doc = verb.doc
    first = last = verb.i
    while first - 1 >= 0 and first - 1 not in source:
        left = doc[first - 1]
        if left.head.i == verb.i and (left.dep_ in ("aux", "auxpass", "neg") or left.lower_ in ("also", "not")):
            first -= 1
        else:
            break
    right = doc[last + 1] if last + 1 < len(doc) else None
    if right is not None and right.head.i == verb.i and (
            right.dep_ == "prt" or (right.dep_ == "prep" and verb.lemma_ in STANCE_VERBS
                                    and right.lower_ in STANCE_PREPS
                                    and "prep" in STANCE_VERBS[verb.lemma_])):
        last += 1
    return [doc[i] for i in range(first, last + 1)]


def _fronted_question(verb, subject) -> bool:
    """'how important Kyiv believes it is': a wh-phrase moved in front of the speaker belongs to
    the content, which is then no statement of its own; such a sentence is not a claim."""
    return any(
        child.left_edge.tag_ in ("WRB", "WP", "WDT")
        for child in verb.children
        if child.i < subject.i and child.dep_ in ("acomp", "attr", "dobj", "advmod")
    )


def _subject(verb):
    """The nsubj of the verb; or, for a verb without one, of the verb it is conjoined to ('he
    said X and added Y') or that a participle hangs on ('he spoke, saying that X')."""
    head = verb
    for _ in range(3):
        for child in head.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if not (head.dep_ == "conj" or (head.dep_ == "advcl" and head.tag_ == "VBG")) or head.head is head:
            return None
        head = head.head
    return None


def _content_tokens(verb, source: set[int]) -> set[int]:
    """Token indices of what the verb attributes: its clausal complements; or, when the cue
    interrupts or follows the content ('X, he said, is Y'), the head clause minus the cue."""
    doc = verb.doc
    parts = [c for c in verb.children if c.dep_ in CONTENT_DEPS
             or (c.dep_ == "xcomp" and verb.lemma_ in XCOMP_VERBS)]
    if not parts and verb.lemma_ in OBJECT_CONTENT_VERBS:
        parts = [c for c in verb.children if c.dep_ == "dobj"]
    if not parts and verb.lemma_ in STANCE_VERBS:
        deps = STANCE_VERBS[verb.lemma_]
        parts = [c for c in verb.children if c.dep_ in deps and c.dep_ != "prep"]
        parts += [c for c in verb.children if c.dep_ == "prep" and "prep" in deps
                  and c.lower_ in STANCE_PREPS and any(g.dep_ == "pobj" for g in c.children)]
    tokens = set()
    for part in parts:
        tokens |= _span_tokens(part)
    if not tokens and verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
        tokens = _span_tokens(verb.head) - _span_tokens(verb)
    if not tokens and verb.lemma_ in SAY_VERBS:
        # A parse that missed the complement ('said earlier on Friday during a news
        # conference that ...'): what follows the verb, less who was told and when.
        for child in verb.rights:
            if child.dep_ in ("punct", "cc", "conj", "npadvmod", "advmod", "dative", "agent") or (
                    child.dep_ == "dobj" and verb.lemma_ == "tell") or _is_time(child):
                continue
            tokens |= _span_tokens(child)
    return {i for i in tokens - source if not doc[i].is_space}


def _is_time(token) -> bool:
    """'on Friday', 'during a news conference', 'earlier': when or where it was said."""
    if token.dep_ == "prep":
        return token.lower_ in ("on", "in", "at", "during", "after", "before", "since", "in", "from") and not any(
            c.dep_ in ("ccomp", "pcomp") for c in token.children)
    return token.ent_type_ in ("DATE", "TIME")


def _according_to(according, sent) -> Claim | None:
    """'according to X, ...' or '..., according to X': content is the rest of the sentence."""
    doc = according.doc
    to = doc[according.i + 1]
    if to.lower_ != "to":
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"] or [
        c for c in according.children if c.dep_ == "pobj"]
    if not objects:
        return None
    source = _span_tokens(objects[0])
    phrase = _span_tokens(according) | source | {to.i}
    # A relative clause or apposition in the phrase ('sources who ...') still belongs to it.
    phrase = set(range(min(phrase), max(phrase) + 1))
    content = {t.i for t in sent if t.i not in phrase and not t.is_space}
    spans = _fragments(doc, content)
    if not spans:
        return None
    return _build(doc, source, [according, to], spans, "according to", according)


def _adjacent_quote(doc, cue_tokens: set[int], quotes, before: bool = True) -> list[Span]:
    """A quotation that ends just before the source/cue (when `before`) or starts just
    after it: '"...," he said' / 'he said: "..."'."""
    first = doc[min(cue_tokens)].idx
    last_token = doc[max(cue_tokens)]
    last = last_token.idx + len(last_token)
    for start, end in quotes:
        ends_before = before and end <= first and _close(doc_text(doc)[end:first])
        starts_after = start >= last and _close(doc_text(doc)[last:start])
        if ends_before or starts_after:
            span = _trim(doc_text(doc), start, end, strip_that=False)  # '"That is wrong," he said'
            return [span] if span else []
    return []


def _close(gap: str) -> bool:
    """Only a few marks between a quote and its cue: '," ' or ': "'."""
    return len(gap) <= NEAR and not gap.strip(TRIM)


def _build(doc, source: set[int], cue_tokens, content: list[Span], cue: str, verb) -> Claim | None:
    text = doc_text(doc)
    source_spans = _fragments(doc, source)
    if not source_spans:
        return None
    cue_spans = [(cue_tokens[0].idx, cue_tokens[-1].idx + len(cue_tokens[-1]))]
    spans = source_spans + cue_spans + content
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    sentence = verb.sent.text
    hedges = [m.group(0) for m in HEDGE_WORDS.finditer(sentence)]
    if verb.lemma_ in HEDGING_CUES:
        hedges.append(verb.text)
    return Claim(
        speaker=text[source_spans[0][0]:source_spans[-1][1]],
        actor="",
        cue=cue,
        content=" ".join(text[s:e] for s, e in content),
        item=0,
        start=start,
        end=end,
        source_span=source_spans,
        cue_span=cue_spans,
        content_span=content,
        hedges=hedges,
        when=_when(verb),
    )


def _when(verb) -> str | None:
    """The time expression attached to the cue verb ('said on Friday', 'said Tuesday')."""
    for child in verb.children:
        if child.ent_type_ in ("DATE", "TIME") and child.dep_ in ("npadvmod", "tmod", "advmod"):
            return _span_text(child)
        if child.dep_ == "prep" and any(
                g.ent_type_ in ("DATE", "TIME") for g in child.children if g.dep_ == "pobj"):
            return _span_text(child)
    return None


def _span_text(token) -> str:
    doc = token.doc
    return doc[token.left_edge.i: token.right_edge.i + 1].text


def _span_tokens(token) -> set[int]:
    """The token's subtree, cut at paragraph breaks (a missed sentence boundary in a header
    must not pull a dateline into the speaker)."""
    doc = token.doc
    first, last = token.left_edge.i, token.right_edge.i
    for i in range(token.i - 1, first - 1, -1):
        if "\n" in doc[i].text_with_ws:
            first = i + 1
            break
    for i in range(token.i, last):
        if "\n" in doc[i].text_with_ws:
            last = i
            break
    return set(range(first, last + 1))


def _fragments(doc, tokens: set[int]) -> list[Span]:
    """Contiguous runs of the token set as trimmed character spans (content may be cut in
    two by the attribution: '"We will win," he said, "and soon."')."""
    runs: list[list[int]] = []
    for i in sorted(tokens):
        # Whitespace tokens (a non-breaking space) do not split a run.
        if runs and all(doc[k].is_space for k in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    spans = []
    for n, run in enumerate(runs):
        first, last = doc[run[0]], doc[run[-1]]
        # A leading "that" goes when it introduces the clause, not when it is its subject
        # ("That is wrong, the minister said").
        lead = next((doc[k] for k in run if not (doc[k].is_punct or doc[k].is_space)), first)
        strip = n == 0 and (lead.lower_ != "that" or lead.dep_ == "mark")
        span = _trim(doc_text(doc), first.idx, last.idx + len(last), strip_that=strip)
        if span:
            spans.append(span)
    return spans


def _trim(text: str, start: int, end: int, strip_that: bool = True) -> Span | None:
    """Drop punctuation and quote marks at the edges, and a leading complementiser 'that'."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    dateline = DATELINE.match(text, start, end)
    if dateline:
        return _trim(text, dateline.end(), end, strip_that)
    if strip_that and re.match(r"that\s", text[start:end], re.IGNORECASE):
        return _trim(text, start + 5, end, strip_that=False)
    return (start, end) if end > start else None


def _is_named(doc, spans: list[Span]) -> bool:
    """A speaker whose head names someone (a proper noun or a named entity), not
    'officials' nor 'a report by Reuters'."""
    span = _token_span(doc, spans)
    if span is None:
        return False
    return span.root.pos_ == "PROPN" or span.root.ent_type_ in ("PERSON", "ORG", "GPE")


def _token_span(doc, spans: list[Span] | None):
    """The tokens from the first fragment's start to the last one's end, or None."""
    return doc.char_span(spans[0][0], spans[-1][1], alignment_mode="expand") if spans else None


def _without_possessive(doc, spans: list[Span] | None) -> str:
    """A possessive speaker without its 's ("Mr. Trump" of "Mr. Trump's claim that ..."), or ''
    ("Moody's said ..." is a name, not a possessive)."""
    span = _token_span(doc, spans)
    if span is None or len(span) < 2 or span[-1].tag_ != "POS" or span.root.dep_ != "poss":
        return ""
    return doc[span.start:span.end - 1].text


def _relative_antecedent(doc, spans: list[Span] | None, cue_spans: list[Span] | None) -> str:
    """The noun phrase a relative-pronoun speaker of this cue stands for ('Juanita Broaddrick,
    who said ...' -> 'Juanita Broaddrick'), or ''."""
    span, cue = _token_span(doc, spans), _token_span(doc, cue_spans)
    if (span is None or cue is None or len(span) != 1 or span[0].tag_ not in ("WP", "WDT")
            or span[0].head.dep_ != "relcl" or not cue.start <= span[0].head.i < cue.end):
        return ""
    noun = span[0].head.head
    # "both Democrats and Republicans, who have questioned ...": the whole coordination.
    end = max([noun.i] + [c.i for c in noun.conjuncts if c.i > noun.i and c.i < span[0].i])
    return doc[_phrase_start(noun):end + 1].text


# How a word before a noun belongs to its phrase: "United Airlines' parent company".
_PHRASE_DEPS = frozenset({"compound", "amod", "det", "poss", "nummod", "case", "nmod", "quantmod", "advmod"})


def _phrase_start(noun) -> int:
    """Where the noun phrase ending at `noun` starts: over the words before it that modify it
    (or a word of it), never over a clause a bad parse hung on it ("Record fuel costs ...
    contributed to a loss for United Airlines #39; parent company, which warned")."""
    doc, start = noun.doc, noun.i
    while start > 0:
        word = doc[start - 1]
        if word.dep_ not in _PHRASE_DEPS or not start <= word.head.i <= noun.i:
            break
        start -= 1
    return start


def _last_name_before(doc, offset: int) -> str:
    """Fallback antecedent for a pronoun: the last PERSON or ORG entity before it."""
    names = [e for e in doc.ents if e.label_ in ("PERSON", "ORG") and e.end_char <= offset]
    return normalise_actor(names[-1].text) if names else ""


# --- the learned tagger's spans, paired into claims ---------------------------------------------

# The cue words whose syntactic reach the tagger's features describe.
CUE_LEMMAS = frozenset(SPEECH_VERBS | set(STANCE_VERBS) | attribution_tagger.CUE_NOUNS)
# How much farther a source or content in another sentence than its cue may lie, in tokens,
# before a cue of its own sentence is preferred.
OTHER_SENTENCE = 20
# Verbs of doing that PolNeAR's annotators sometimes read as intentions ('agreed to buy'); in
# a ledger of who said what they are acts, not claims.
ACTION_VERBS = {"agree", "continue", "begin", "start", "try", "manage", "fail", "keep"}


def learned_claims(doc, rule_claims: list[Claim], tagger, keep_rules: bool = True) -> list[Claim]:
    """The claims of the tagger's spans: each source and content span goes to its nearest cue
    (of its own sentence first). The rules' claims whose cue the tagger left untouched are kept
    (`keep_rules`): the tagger was trained on long articles, the rules also know headlines."""
    rules = attribution_tagger.rule_labels(doc, rule_claims)
    tag = neural_tagger.tag if isinstance(tagger, neural_tagger.Model) else attribution_tagger.tag
    labels = tag(doc, rules, CUE_LEMMAS, tagger)
    runs = attribution_tagger.runs(doc, labels)
    relations = pair_spans(doc, runs)
    tagged = {i for _, first, last in runs for i in range(first, last + 1)}
    claims = [c for c in (_relation_claim(doc, r, rule_claims, relations, tagged) for r in relations) if c]
    if keep_rules:
        taken = [s for c in claims for s in (c.source_span or []) + (c.cue_span or []) + c.content_span]
        claims += [c for c in rule_claims if not _overlaps(c.cue_span or [], taken)]
    return claims


def pair_spans(doc, runs) -> list[dict]:
    """[{"cue": run, "SRC": [runs], "CON": [runs]}] for each tagged cue, in text order."""
    cues = [r for r in runs if r[0] == "CUE"]
    relations = [{"cue": c, "SRC": [], "CON": []} for c in cues]
    paragraph = {}
    for n, indices in enumerate(attribution_tagger.paragraphs(doc)):
        paragraph.update(dict.fromkeys(indices, n))
    sentence = {i: n for n, sent in enumerate(doc.sents) for i in range(sent.start, sent.end)}
    for run in runs:
        kind, first, _ = run
        if kind == "CUE":
            continue
        near = [(k, _distance(sentence, run, c)) for k, c in enumerate(cues)
                if paragraph.get(c[1]) == paragraph.get(first)]
        if near:
            k = min(near, key=lambda kd: kd[1])[0]
            relations[k][kind].append(run)
    return relations


def _distance(sentence: dict[int, int], run, cue) -> int:
    """Tokens between a run and a cue, plus OTHER_SENTENCE when neither end of the run shares
    the cue's sentence (`sentence`: token index -> sentence number)."""
    gap = run[1] - cue[2] if run[1] > cue[2] else cue[1] - run[2]
    same = sentence[cue[1]] in (sentence[run[1]], sentence[run[2]])
    return gap + (0 if same else OTHER_SENTENCE)


def _relation_claim(doc, relation: dict, rule_claims: list[Claim], relations: list[dict], tagged: set[int]) -> Claim | None:
    _, first, last = relation["cue"]
    cue_tokens = _rule_cue(doc, first, last, rule_claims) or [doc[i] for i in range(first, last + 1)]
    verb = _cue_root(cue_tokens)
    if verb.lemma_ in ACTION_VERBS:
        return None
    # 'X reportedly claimed Y': PolNeAR marks the adverb as the cue of an outer, unnamed report;
    # the ledger's claim is X's, cued by the verb, which the rules have.
    if verb.pos_ == "ADV" and _rule_cue(doc, verb.head.i, verb.head.i, rule_claims):
        return None
    # 'said:' is PolNeAR's cue; a claim's cue is the word.
    while len(cue_tokens) > 1 and cue_tokens[-1].is_punct:
        cue_tokens.pop()
    source = _speaker_run(doc, relation["SRC"], verb)
    cue_region = source | set(range(first, last + 1))
    content = {i for _, a, b in relation["CON"] for i in range(a, b + 1)}
    if content:
        content = _whole_constituents(doc, content, cue_region, tagged)
    elif source:
        # A speaker and a cue but no content tagged: the parse's complement of the cue.
        content = _content_tokens(verb, cue_region) - tagged
    fragments = _fragments(doc, content)
    if not fragments:
        return None
    if not source:
        source = _inherited_source(doc, relation, rule_claims, relations)
    if not source or not _reads_as_claim(doc, source, fragments, cue_tokens):
        return None
    text = doc_text(doc)
    cue_start, cue_end = cue_tokens[0].idx, cue_tokens[-1].idx + len(cue_tokens[-1])
    cue = text[cue_start:cue_end]
    # One name for that cue whatever its case, as the rules give it.
    return _build(doc, source, cue_tokens, fragments, "according to" if cue.lower() == "according to" else cue, verb)


def _speaker_run(doc, runs: list, verb) -> set[int]:
    """The tokens of the one source run that speaks for the cue: of several ('Warren, who has
    not endorsed anyone, told reporters'), the run holding the cue's subject, else the nearest."""
    if len(runs) > 1:
        subject = _subject(verb)
        holding = [r for r in runs if subject is not None and r[1] <= subject.i <= r[2]]
        runs = holding or [min(runs, key=lambda r: min(abs(r[1] - verb.i), abs(r[2] - verb.i)))]
    return {i for _, a, b in runs for i in range(a, b + 1)}


# Words a speaker does not end with (it may end in a dash or a comma) and a one-word content
# is not.
_OPEN_ENDS = ("CCONJ", "SCONJ", "ADP", "DET")
_EMPTY_WORDS = _OPEN_ENDS + ("PUNCT",)


def _reads_as_claim(doc, source: set[int], content: list[Span], cue_tokens) -> bool:
    """A ledger entry a reader can use: the speaker is a noun phrase (not a clause such as
    "Ukraine aimed to challenge ...", not a bare possessive such as "Ukraine's" of "Ukraine's
    focus shows ..." unless it owns the cue: "Trump's claim that ..."), and the content is at
    most two pieces (a quote cut by its "he said"), not scattered words."""
    last = doc[max(source)]
    if len(content) > 2 or last.pos_ in _OPEN_ENDS:
        return False  # scattered content, or a speaker cut off mid-phrase ("Weapons and")
    only = _token_span(doc, content) if len(content) == 1 else None
    if only is not None and len(only) == 1 and only[0].pos_ in _EMPTY_WORDS:
        return False  # a content of one word that says nothing ("The")
    cue = {t.i for t in cue_tokens}
    roots = [doc[i] for i in source if doc[i].head.i not in source or doc[i].head.i == i]
    if any(_in_clausal_subject(r, cue) for r in roots) or _clause_opens(doc, min(source)):
        return False
    return all(r.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X") and (r.dep_ != "poss" or r.head.i in cue)
               for r in roots)


def _in_clausal_subject(token, cue: set[int]) -> bool:
    """ "That two hosts would sign up ... says something about ...": a speaker inside a clause
    that is itself the cue's subject names no one who speaks; the clause is what "says"."""
    while token.head.i != token.i and token.i not in cue:
        if token.dep_ in ("csubj", "csubjpass") and token.head.i in cue:
            return True
        token = token.head
    return False


def _clause_opens(doc, first: int) -> bool:
    """A speaker right after a sentence's opening "That" or "Whether" is the subject of a
    clause that is itself the subject (the parser may read "That" as a determiner)."""
    for opener in (doc[first], doc[first - 1] if first > 0 else None):
        if opener is not None and opener.lower_ in ("that", "whether") and opener.is_sent_start \
                and opener.dep_ != "nsubj":
            return True
    return False


def _whole_constituents(doc, content: set[int], others: set[int], tagged: set[int]) -> set[int]:
    """Content runs completed to the phrases they begin: a content is a constituent ('Kyiv
    says troops are fighting in Kursk, where Ukraine launched an incursion': the relative
    clause belongs to it), within its sentence and short of any other tagged token."""
    out = set(content)
    for i in content:
        token = doc[i]
        if token.head.i in content and token.head is not token:
            continue
        sent = token.sent
        for j in range(token.left_edge.i, token.right_edge.i + 1):
            if sent.start <= j < sent.end and j not in others and j not in tagged and not doc[j].is_space:
                out.add(j)
    return out


def _rule_cue(doc, first: int, last: int, rule_claims: list[Claim]) -> list:
    """The rules' cue where they found one on the tagged cue: they bound it by the guidelines
    ('said', not 'said on Friday') and know its verb (hedging cues like 'claimed')."""
    span = [(doc[first].idx, doc[last].idx + len(doc[last]))]
    starts = [t.idx for t in doc]
    for claim in rule_claims:
        if claim.cue_span and claim.cue != "according to" and _overlaps(claim.cue_span, span):
            s, e = claim.cue_span[0]
            return [doc[i] for i in attribution_tagger.tokens_in(doc, starts, s, e)]
    return []


def _cue_root(tokens):
    """The cue's syntactic head: its token whose head lies outside it."""
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head is t), tokens[0])


def _inherited_source(doc, relation: dict, rule_claims: list[Claim], relations: list[dict]) -> set[int]:
    """A source the tagger left to another cue ('Trump said X and added Y': one speaker, two
    cues) or that only the rules found for this cue."""
    _, first, last = relation["cue"]
    root = _cue_root([doc[i] for i in range(first, last + 1)])
    head = root.head if root.dep_ in ("conj", "advcl", "xcomp", "ccomp") else None
    for other in relations:
        if other is not relation and other["SRC"] and head is not None and other["cue"][1] <= head.i <= other["cue"][2]:
            return {i for _, a, b in other["SRC"] for i in range(a, b + 1)}
    cue_start, cue_end = doc[first].idx, doc[last].idx + len(doc[last])
    for claim in rule_claims:
        if claim.source_span and _overlaps(claim.cue_span or [], [(cue_start, cue_end)]):
            starts = [t.idx for t in doc]
            return {i for s, e in claim.source_span for i in attribution_tagger.tokens_in(doc, starts, s, e)}
    # 'Trump, who called X a disgrace, wants Y': the speaker of the sentence's nearest cue.
    sent = doc[first].sent
    near = [o for o in relations if o is not relation and o["SRC"] and doc[o["cue"][1]].sent == sent]
    if near:
        other = min(near, key=lambda o: abs(o["cue"][1] - first))
        return {i for _, a, b in other["SRC"] for i in range(a, b + 1)}
    return set()


def _overlaps(spans: list[Span], others: list[Span]) -> bool:
    return any(s < oe and os < e for s, e in spans for os, oe in others)
