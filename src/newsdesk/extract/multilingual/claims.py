"""Claims in other languages by rule: who said what, with exact spans, without a parser.

No dependency parser with weights installs from PyPI for most of these languages, so the
claims come from the cue words of `data/cues_xx.tsv` and the places that news puts a speaker
and what is said around them. For each cue verb, in this order:

1. parenthetical: "как заявили в Минобороны, ...", "wie das Ministerium mitteilte, ...",
   "comme l'a indiqué Kyiv", "según informó el ministerio" (what is said is the rest of the
   sentence);
2. anaphoric: "Об этом заявили в Минобороны России.", "Das teilte das Ministerium mit.",
   "Poinformował o tym sztab." (what is said is the sentence before);
3. after what is said: "«...», — заявил Песков.", "..., teilte das Verteidigungsministerium
   mit.", "..., a déclaré le ministre.", "..., dijo el portavoz.", "..., so der Sprecher.";
4. speaker first: "Минобороны России заявило, что ...", "Le ministère a affirmé que ...",
   "В Кремле заявили, что ...", "Der Sprecher sagte, die Truppen hätten ...";
5. speaker after the cue, what is said after both: "Am Freitag teilte das Ministerium mit,
   dass ...", "В пятницу заявили в Минобороны, что ...".

Then "according to" phrases ("по словам X", "laut X", "selon X", "según X", "według X",
"secondo X", "X zufolge"), with what is said on the other side of the comma, and a short name
before a colon at the start of a headline ("Песков: ..."). A cue inside a quotation, or
inside what another claim says, is part of that content and not a claim of the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from ...model import Claim, Item, Quantity, Span
from .actors import actor_table, normalise_foreign
from .lexicon import Table, Token, table, tokens
from .sentences import complete_end, quotations, sentence_spans, without_trailer
from .times import TimePhrase, time_phrases

SUPPORTED = ("ru", "uk", "de", "fr", "es", "pl", "it")
TRIM = " \t\n,.;:!?\"'«»„“”‚‘’‹›—–-()[]"
MAX_SPEAKER_WORDS = 10
# "And" in the languages whose "of" joins a name's parts ("de Castilla y León").
AND_WORDS = {"y", "e", "et", "ed", "und", "i"}
# Words that join a second cue to a first one ("..., mais a ajouté que", "... и добавил, что").
BUT_WORDS = {"и", "а", "но", "і", "та", "але", "mais", "pero", "ma", "ale", "oraz", "aber"}
# Words a claim's content needs at least: "«Нет», — сказал он" is a claim, a stray word is not.
MIN_CONTENT_WORDS = 2
# Words (a recipient, "told reporters") allowed between a cue and the "that" of what is said.
MAX_GAP_WORDS = 3
MAX_PP_GAP_WORDS = 7
BEFORE_CUE = set(",—–-:") | set("»“”’›\"'")
OPEN_QUOTES = set("«„‚‹“\"")
CLOSE_QUOTES = set("»“”’›\"'")
CLAUSE_MARKS = set(",;:—–(")
# Actor kinds (data/actors_multilingual.tsv) that speak for themselves before a headline's colon.
SPEAKER_KINDS = ("ministry", "government", "military", "spokes", "role", "org", "person")
# Marks inside an object that a cue reports ("la mort de 3 soldats", "l'accord UE-Chine").
OBJECT_MARKS = set("%-'’/&")
# Languages whose finite verb carries its subject ("Dodał, że ...", "..., dijo.", "Come ha
# spiegato, ..."): a cue verb with no speaker of its own speaks for the last named speaker.
PRO_DROP = {"es", "it", "pl", "ru", "uk"}
# Words between two commas before a cue that can be an apposition to its speaker ("Olaf Scholz,
# le ministre des Finances, a déclaré").
MAX_APPOSITION_WORDS = 14
MAX_HEAD_WORDS = 14  # the title or name before an apposition
# Words a sentence may go on after "..., X said" when what is said is not a quotation.
MAX_TAIL_WORDS = 3
# Tokens from a cue that closes a sentence of reported speech to its end, the stop included
# (", hieß es aus Polizeikreisen.").
MAX_SAID_TAIL_TOKENS = 6
# Words before a cue set off by commas early in a sentence ("Il motivo, ha detto, è ..."); later,
# the cue follows what is said ("..., sagte Orban, der ...").
MAX_LEAD_WORDS = 5
# Words from an auxiliary or "as" to a cue at the end of its clause ("hat ... kritisiert").
MAX_FRAME_WORDS = 14
MAX_SETTING_WORDS = 6  # a phrase of place after a speaker: "à Luton près de Londres"
# Words of a speaker whose cue reports an object ("Huawei a annoncé ..."): a compact one.
MAX_OBJECT_SPEAKER_WORDS = 6
MAX_QUOTED_TAIL_WORDS = 20  # after a quotation: "«...», ha detto a migliaia di fedeli radunati ..."
# Words of an "according to" source up to its comma ("selon une analyse de la plateforme X,").
MAX_ACCORDING_WORDS = 12
# Words (time, adverbs, an auxiliary) between a relative pronoun and its cue: "который ранее
# заявил", "qui a également déclaré".
MAX_RELATIVE_GAP = 3
MAX_RELATIVE_HEAD_WORDS = 5  # longer, the words before a relative pronoun are a clause, not a name
# Sentences in a row that reported speech may go on in the subjunctive after its cue (German
# Konjunktiv I): further on, the mood more often belongs to someone else.
MAX_SUBJUNCTIVE_RUN = 4
# Tokens from a German cue to its particle: "kündigte Kultusminister Alexander Lorz (CDU) am
# Donnerstag im hessischen Landtag in Wiesbaden an" holds a speaker, a time and a place.
MAX_PARTICLE_WORDS = 20
# The endings of web addresses that name a source ("Lenta.ru", "billiger-mietwagen.de").
WEB_DOMAINS = {"com", "org", "net", "info", "eu", "de", "at", "ch", "fr", "be", "es", "it", "pl", "ru", "ua", "uk", "by", "kz"}
# Languages that capitalise a pronoun of address inside a sentence ("Sie", "Lei"): there a
# capitalised pronoun does not open a sentence.
POLITE_CAPITALS = {"de", "it"}
# A stop, space and an opening mark before a word, inside a quotation: another one opens there.
_REOPENED = re.compile(r"[.!?…]\s+[«„“\"]\w")
MAX_RELATIVE_OPENING = 12  # tokens of a clause about the speaker: "Selon X, qui relate les faits, ..."
MAX_DATELINE_TOKENS = 12  # inside a dateline's bracket: "(UrduPoint News / Sputnik - 04 juin 2020)"
MAX_QUOTE_GAP = 6  # characters from a quotation's closing mark to its cue or speaker: "», — "


@dataclass
class _Sentence:
    start: int
    end: int
    toks: list[Token]


@dataclass
class _Context:
    text: str
    language: str
    cues: Table
    actors: Table
    quotes: list[Span]
    times: list[TimePhrase]
    sentences: list[_Sentence] = field(default_factory=list)
    # The cue verb's own span when it can stand for its subject (PRO_DROP), set per cue.
    dropped: Span | None = None
    # Whether the cue takes what it reports as an object ("a annoncé une série de ..."), per cue.
    object_cue: bool = False
    needs_particle: bool = False  # "gab ... bekannt": without its particle, "gab" reports nothing
    governs: bool = False  # "warnt vor", "s'oppose à": what is said is the object of the cue's preposition

    def is_time(self, tok: Token) -> bool:
        return any(t.start <= tok.start and tok.end <= t.end for t in self.times)

    def time_at(self, tok: Token) -> TimePhrase | None:
        return next((t for t in self.times if t.start <= tok.start and tok.end <= t.end), None)

    def has(self, kind: str, tok: Token) -> bool:
        return self.cues.has(kind, tok.text)

    def is_actor(self, toks: list[Token], i: int) -> bool:
        for kind in ("place", "ministry", "portfolio", "government", "military", "spokes", "role", "org", "person", "actor"):
            if self.actors.match(kind, toks, i)[0]:
                return True
        return False


@dataclass
class _Found:
    """A claim as found, before its actor is known."""

    speaker: list[Span]
    cue: list[Span]
    content: list[Span]
    hedging: bool = False
    pronoun: bool = False
    when: TimePhrase | None = None
    anaphoric: bool = False  # what is said is the sentence before ("Об этом заявили ...")


def claims_in_language(item: Item, language: str | None = None, figures: list[Quantity] | None = None) -> list[Claim]:
    """The attributed claims of an item in another language (see the module doc), in text
    order: none from the unfinished tail of a cut-off text; each with its actor normalised
    across languages, its time resolved against the item's publication date, and the figures
    inside what it says (newsdesk.extract.multilingual.figures, when `figures` is not given)."""
    language = _base(language or item.language)
    if language not in SUPPORTED or not item.text.strip():
        return []
    published = item.published.date() if isinstance(item.published, datetime) else item.published
    # The text without an agency's trailing code ("./tas/DP/mis"), which would end its last sentence.
    found = find_claims(item.text[:without_trailer(item.text)], language, published)
    done = complete_end(item.text, language)
    claims = _with_actors(item, [f for f in found if _end(f) <= done or _said_before_end(item.text, f)], language, published)
    if not claims:
        return []
    if figures is None:
        from .figures import figures_in_language

        figures = figures_in_language(item, language)
    as_of = published.isoformat() if published else None
    return [_with_figures(c, figures, as_of) for c in claims]


def _said_before_end(text: str, claim: _Found) -> bool:
    """Whether a claim in the unfinished tail of a text is whole all the same: it ends the text
    with its cue and speaker, after what is said ("«...», ha detto"; "..., sagte ein Sprecher"),
    so the cut took nothing of what is said (a text may lack only its final stop)."""
    if _end(claim) < len(text.rstrip()):
        return False
    said = max(e for _, e in claim.content)
    return said <= min(s for s, _ in claim.cue) and said <= min(s for s, _ in claim.speaker)


def _base(language: str | None) -> str:
    return (language or "").split("-")[0].split("_")[0].lower()


def find_claims(text: str, language: str, published=None) -> list[_Found]:
    """The claims of a text as spans (speaker, cue, content), in text order."""
    ctx = _Context(text, language, table(f"cues_{language}.tsv"), actor_table(language), quotations(text),
                   time_phrases(text, language, published))
    ctx.sentences = [_Sentence(a, b, tokens(text, a, b, language))
                     for s, e in sentence_spans(text, language) for a, b in _without_seams(ctx, s, e)]
    found: list[_Found] = []
    run: tuple[_Found, int] | None = None  # the claim that reported speech goes on from, and how far
    for index, sent in enumerate(ctx.sentences):
        own = _sentence_claims(ctx, index, sent)
        if own:
            run = (own[-1], 0)
        elif run is not None and run[1] < MAX_SUBJUNCTIVE_RUN:
            # A sentence of the writer's own may come between ("Aktuell finden die Spiele ...
            # statt. Demnach werde ..."): the run goes on past it, within its length.
            more = _subjunctive(ctx, sent, run[0])
            gap = not more and run[1] + 1 < MAX_SUBJUNCTIVE_RUN and not _attributes(ctx, sent)
            run = (run[0], run[1] + 1) if more or gap else None
            own = [more] if more else []
        else:
            run = None
        found += [c for c in (_reshaped(ctx, sent, c) for c in own) if c is not None]
    return _outermost(_continued_quotes(ctx, found), ctx.quotes)


# ------------------------------------------------------------------ guards
# Checks on a claim as read, from the error classes of articles that no rule was written from
# (the sixth round's fresh draw): each names a construction in which the cue's reading is not an
# attribution, or a span that takes in words of another part of the sentence. A doubtful claim is
# dropped rather than emitted wrong.

PASSIVE_AFTER = {"würde", "würden"}  # "... als Entgleisung kritisiert würde": werden in its second subjunctive
AUXILIARY = {"ist", "sind", "war", "waren", "sei", "seien", "habe", "hätte", "hätten", "wäre", "wären"}


def _reshaped(ctx: _Context, sent: _Sentence, claim: _Found) -> _Found | None:
    """The claim, its content cut where a span opens with words that belong elsewhere, or None
    where a guard finds its cue or its speaker no attribution."""
    toks = sent.toks
    cue = next((k for k, t in enumerate(toks) if t.start == claim.cue[0][0]), None)
    if cue is None:
        return claim
    last = max((k for k in range(cue, len(toks)) if toks[k].end <= claim.cue[0][1]), default=cue)
    # A cue verb, with its auxiliary when it frames the clause ("hat ... kritisiert"); not
    # "according to", a quotation's verb or the mood of reported speech.
    entries = [ctx.cues.match("verb", toks, k) for k in range(cue, last + 1)]
    verb = any(n for n, _ in entries)
    if verb and (_passive_cue(ctx, toks, last) or _bare_participle(ctx, toks, cue, last)):
        return None
    if any(n and "quoted" in entry.value.split(",") for n, entry in entries) \
            and not any(_quote_around(ctx, span) for span in claim.content):
        return None
    if claim.speaker and not claim.pronoun:
        a = next((k for k, t in enumerate(toks) if t.start == claim.speaker[0][0]), None)
        b = max((k for k, t in enumerate(toks) if t.end <= claim.speaker[-1][1]), default=None)
        if a is not None and b is not None and a <= b:
            if verb and b < cue and (_complement_speaker(ctx, toks, a) or _relative_speaker(ctx, toks, a)):
                return None
            if verb and a > last and _coordinated_cue(ctx, toks, cue):
                return None
            if _verb_in_speaker(ctx, toks, a, b):
                return None
    speaker_end = max((e for _, e in claim.speaker), default=-1)
    content = [c for c in (_past_relative_opening(ctx, span, speaker_end) for span in claim.content) if c]
    if not content:
        return None
    return replace(claim, content=content)


def _quote_around(ctx: _Context, span: Span) -> bool:
    """Whether what is said is a quotation, give or take its marks: "«...», a lancé X"."""
    return any(qs - 1 <= span[0] and span[1] <= qe + 1 for qs, qe in ctx.quotes)


def _passive_cue(ctx: _Context, toks: list[Token], last: int) -> bool:
    """"..., könnte man davon ausgehen, dass dies ... kritisiert würde": in German a cue right
    before an auxiliary of the passive is acted on, not spoken; whoever speaks is not named."""
    nxt = toks[last + 1] if last + 1 < len(toks) else None
    return ctx.language == "de" and nxt is not None and (ctx.has("passive", nxt) or nxt.lower in PASSIVE_AFTER)


def _bare_participle(ctx: _Context, toks: list[Token], cue: int, last: int) -> bool:
    """"Kurz gesagt: ...", "wie angekündigt": a German participle with no auxiliary anywhere in
    its sentence is an idiom or an adjective, not a verb with a subject who said something."""
    if ctx.language != "de" or cue != last or not ctx.has("participle", toks[cue]):
        return False
    return not any(ctx.has("perfect_aux", t) or ctx.has("passive", t) or t.lower in AUXILIARY
                   or t.lower in PASSIVE_AFTER for t in toks)


def _complement_speaker(ctx: _Context, toks: list[Token], a: int) -> bool:
    """"Im Laufe der Woche kündigte auch Deutschland an", "Beaucoup de gens ici en Bulgarie
    croient": a speaker read before its cue right after a preposition is that preposition's
    object (a time, a place), not the subject. Russian and Ukrainian name an office by a place
    ("В Минобороны заявили"): their speaker prepositions stay."""
    if a == 0 or ctx.language in ("ru", "uk"):
        return False
    before = toks[a - 1]
    return ctx.has("preposition", before) and not ctx.has("of", before) and not ctx.has("speaker_prep", before) \
        or ctx.language == "de" and before.lower in ("im", "am", "beim", "zum", "zur", "vom")


def _relative_speaker(ctx: _Context, toks: list[Token], a: int) -> bool:
    """"..., das sie mit einem langen Horn ankündigte": a German speaker that opens with a
    lower-case article right after a comma is a relative pronoun and its clause, whose cue
    comes last; the antecedent is a thing, or the relative rule would have read it."""
    return ctx.language == "de" and 0 < a < len(toks) and toks[a - 1].text == "," \
        and toks[a].text[:1].islower() and ctx.has("article", toks[a])


def _coordinated_cue(ctx: _Context, toks: list[Token], cue: int) -> bool:
    """"... berichteten die Denkmalpfleger und forderten eine „monochrome Gestaltung“": a cue
    right after "and" shares the subject of the verb before it; the noun phrase after it is its
    object, not a speaker."""
    return cue > 0 and toks[cue - 1].lower in AND_WORDS and ctx.language == "de"


def _verb_in_speaker(ctx: _Context, toks: list[Token], a: int, b: int) -> bool:
    """"Laut Trump verfügen die USA über ...", "Merkel soll Medienberichten zufolge": German
    capitalises its nouns, so a lower-case word right after a capitalised one inside a speaker,
    and no article, preposition, conjunction or adverb, is the clause's verb: the span runs
    across the speaker into what is said."""
    if ctx.language != "de":
        return False
    function = ("article", "preposition", "of", "stop", "adverb", "that", "speaker_prep", "recipient")
    verbal = ("hedge", "perfect_aux", "passive", "subjunctive")
    # A clause set off by a comma ("Trump, der sich um eine Wiederwahl bewirbt") has verbs of its own.
    b = next((k - 1 for k in range(a + 1, b + 1) if toks[k].text == ","), b)
    for k in range(a + 1, b + 1):
        tok, before = toks[k], toks[k - 1]
        # "laut Behörden in Kärnten und ist in Quarantäne": "and" then a verb goes on with the clause.
        joined = before.lower in AND_WORDS and k - 1 > a
        if not (tok.is_word and tok.text[:1].islower() and (before.text[:1].isupper() and before.is_word or joined)) \
                or any(ctx.has(kind, tok) for kind in function) or ctx.is_time(tok) \
                or not joined and any(ctx.has(kind, before) for kind in function):
            continue
        # An adjective comes before its noun ("eine Gruppe internationaler Rechtswissenschaftler").
        noun_next = k < b and toks[k + 1].is_word and toks[k + 1].text[:1].isupper()
        if not noun_next or any(ctx.has(kind, tok) for kind in verbal):
            return True
    return False


def _past_relative_opening(ctx: _Context, span: Span, speaker_end: int) -> Span | None:
    """"Selon les informations du Progrès, qui relate les faits, deux départs de feu ...": what
    is said that opens, right after the speaker and its comma, with a relative pronoun begins
    with a clause about the speaker; it starts after that clause's comma. And "(Image
    d'archive) Ces personnes ...": a caption's closing bracket with no opening one in what is
    said starts it after the bracket."""
    text = ctx.text
    first = tokens(text, span[0], span[1], ctx.language)
    after_speaker = 0 <= speaker_end <= span[0] and text[speaker_end:span[0]].strip() == ","
    if after_speaker and len(first) > 2 and first[0].text[:1].islower() and ctx.has("relative", first[0]) \
            and not ctx.has("that", first[0]):
        # The clause about the speaker is short; a comma inside a number ("6,06") ends nothing.
        comma = next((t for t in first[1:MAX_RELATIVE_OPENING] if t.text == "," and text[t.end:t.end + 1].isspace()), None)
        if comma is None:
            return None  # no end to the clause about the speaker: what is said is not clear
        span = _trimmed(text, comma.end, span[1]) or span
    head = text[span[0]:span[1]]
    close = head.find(")")
    if 0 <= close and "(" not in head[:close] and len(head[:close].split()) <= MAX_TAIL_WORDS:
        cut = _trimmed(text, span[0] + close + 1, span[1])
        if cut and _words(text, cut) >= MIN_CONTENT_WORDS:
            return cut
    return span


def _without_seams(ctx: _Context, start: int, end: int) -> list[Span]:
    """A sentence cut where a headline or subheading runs into the text without a stop ("...
    centros penitenciarios El gobierno de Zacatecas informó que ...", "... 2020 начался
    неблагоприятно В последнее время ..."): what is said does not run across the seam."""
    toks = tokens(ctx.text, start, end, ctx.language)
    cuts = [toks[k].start for k in range(1, len(toks) - 1) if _seam(ctx, toks, k)]
    bounds = [start] + cuts + [end]
    return [(a, b) for a, b in zip(bounds, bounds[1:])]


def _seam(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether toks[k] opens a sentence with no stop before it: a capitalised function word
    (article, preposition, conjunction, adverb, "according to") or pronoun right after a word
    that is not one, with a lower-case word after it, outside quotations; or the text after a
    dateline. A name that opens with an article
    has a capital after it ("El Salvador", "Die Welt")."""
    tok, before, after = toks[k], toks[k - 1], toks[k + 1]
    if _after_dateline(toks, k) and not _inside(tok, ctx.quotes):
        return True
    if before.text in CLOSE_QUOTES and k > 1 and toks[k - 2].is_word and any(qe == before.start for _, qe in ctx.quotes):
        before = toks[k - 2]  # "... l'UE « cessera d'exister » Les politiciens ont publié ...": a headline's quotation
    if not (tok.text[:1].isupper() and before.is_word and after.is_word and after.text[:1].islower()):
        return False
    if _inside(tok, ctx.quotes):
        return False
    function = ("article", "preposition", "stop", "adverb", "of", "that")
    if any(ctx.has(kind, before) for kind in function):
        return False
    if ctx.language not in POLITE_CAPITALS and ctx.has("pronoun", tok):
        return True  # "Macron dénonce ses accusateurs Il a de nouveau riposté"
    return any(ctx.has(kind, tok) for kind in function) or bool(ctx.cues.match("according", toks, k)[0])


def _after_dateline(toks: list[Token], k: int) -> bool:
    """Whether toks[k], a capitalised word, opens the text after a dateline: a place in capitals,
    with an agency in brackets or not, then a dash ("... la semaine prochaine BERLIN (Reuters) -
    L'Allemande ..."): what comes before it is the headline."""
    if k < 2 or not toks[k].text[:1].isupper():
        return False
    if toks[k - 1].text == ")":
        # "BERLIN (UrduPoint News / Sputnik - 04 juin 2020) La coalition ...": no dash, the
        # agency and the date in the bracket.
        opening = next((j for j in range(k - 2, max(-1, k - 2 - MAX_DATELINE_TOKENS), -1)
                        if toks[j].text in "().!?"), None)
        j = opening - 1 if opening is not None and toks[opening].text == "(" else -1
    elif toks[k - 1].text in "-–—":
        j = k - 2
        if toks[j].text == ")":
            opening = _opening_bracket(toks, j)
            j = opening - 1 if opening is not None else -1
    else:
        return False
    return j >= 0 and len(toks[j].text) >= 3 and toks[j].text.isupper() and toks[j].text.isalpha()


def _continued_quotes(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """«Это такой замечательный город», — сказал Хенман. «Это действительно красивый город.»:
    a sentence that is a quotation and nothing else, right after a claim whose content is a
    quotation, goes on with the same speaker's words (as a quoted paragraph does). The opening
    quote mark is its cue; a run stops at the first sentence that is not such a quotation, and a
    quotation that another claim attributes (an anaphoric "Das sagte Y.") is left to that claim."""
    added: list[_Found] = []
    said: _Found | None = None  # the quoted claim of the sentence before
    covered = 0  # the end of the last quotation taken, which may run over several sentences
    for sent in ctx.sentences:
        if sent.start < covered:
            continue
        own = [f for f in found if sent.start <= f.cue[0][0] < sent.end]
        if own:
            said = own[-1]
            continue
        quote = _whole_quote(ctx, sent) or _open_quote(ctx, sent, said)
        if said is None or quote is None:
            said = None
            continue
        mark = (quote[0] - 1, quote[0])
        content = _trimmed(ctx.text, quote[0], quote[1])
        if content is None or _words(ctx.text, content) < MIN_CONTENT_WORDS + 1:
            said = None
            continue
        said = _Found(said.speaker, [mark], [content], said.hedging, said.pronoun)
        added.append(said)
        covered = quote[1]
    kept = [c for c in added if not any(_overlaps(c.content[0], s) for f in found for s in f.content)]
    return found + kept if kept else found


def _quoted(ctx: _Context, claim: _Found) -> bool:
    """Whether what a claim says is a quotation (its content lies inside one)."""
    s, e = claim.content[0]
    return any(qs <= s and e <= qe for qs, qe in ctx.quotes)


def _whole_quote(ctx: _Context, sent: _Sentence) -> Span | None:
    """The quotation that a sentence is, from its first mark to its last (it may run on over
    the next sentences), or None when the sentence says anything outside it."""
    toks = sent.toks
    if not toks or toks[0].text not in OPEN_QUOTES:
        return None
    quote = next((q for q in ctx.quotes if q[0] == toks[0].end), None)
    if quote is None:
        return None
    tail = ctx.text[quote[1] + 1:max(sent.end, quote[1] + 1)]
    if quote[1] < sent.end and any(ch.isalnum() for ch in tail):
        return None  # "«...», fügte sie hinzu": the sentence goes on after the quotation
    if quote[1] > sent.end:
        after = next((s for s in ctx.sentences if s.start <= quote[1] < s.end), None)
        if after is not None and any(ch.isalnum() for ch in ctx.text[quote[1] + 1:after.end]):
            return None  # a quotation over sentences that ends with its own attribution
    return quote


def _open_quote(ctx: _Context, sent: _Sentence, said: _Found | None) -> Span | None:
    """«...», — сказал Дю Вен. «Я вырос в саду ... была моей. (no closing mark): a quoted
    paragraph that goes on into the next one opens with a mark and leaves it unclosed, and a
    text that lost its paragraph breaks shows it as a sentence that opens a quotation and never
    closes it. After a quoted claim, that sentence alone (where the quotation ends is lost) is
    the same speaker's."""
    toks = sent.toks
    if said is None or not _quoted(ctx, said) or not toks or toks[0].text not in OPEN_QUOTES:
        return None
    if any(qs <= toks[0].end <= qe for qs, qe in ctx.quotes):
        return None  # a mark that does close is a quotation of its own
    if any(t.text in OPEN_QUOTES or t.text in CLOSE_QUOTES for t in toks[1:]):
        return None  # another mark in the sentence: not one plain unclosed quotation
    if len(toks) < 3 or toks[-1].text[:1] not in ".!?…" or not toks[-2].is_word or toks[-2].end != toks[-1].start:
        return None  # no full stop after a whole word: the text was cut ("„Die Vergütung ist nur bei einer Störun")
    return (toks[0].end, toks[-2].end)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _attributes(ctx: _Context, sent: _Sentence) -> bool:
    """Whether a sentence holds a cue word though no claim was read from it ("hieß es", "Nach
    einem Bericht des RBB", "wird vorgeworfen"): someone else may speak from there on."""
    toks = sent.toks
    return any(ctx.cues.match(kind, toks, k)[0] for k in range(len(toks))
               for kind in ("verb", "according", "according_after"))


def _subjunctive(ctx: _Context, sent: _Sentence, said: _Found) -> _Found | None:
    """"Die Regierung wolle davon ablenken." after "..., sagte der Sprecher.": in a language that
    marks reported speech by the verb's mood (German Konjunktiv I, kind `subjunctive`), a sentence
    in that mood right after a claim goes on with what its speaker said. The mood word is the
    cue; a sentence that speaks in the first person or opens a quotation is no report."""
    toks = sent.toks
    if not toks or toks[0].text in OPEN_QUOTES or _inside(toks[0], ctx.quotes):
        return None
    if any(ctx.has("first_person", t) for t in toks):
        return None
    mood = next((t for k, t in enumerate(toks) if k and t.text[:1].islower() and ctx.has("subjunctive", t)
                 and not _inside(t, ctx.quotes) and not _subordinate(ctx, toks, k)), None)
    if mood is None:
        return None
    content = _trimmed(ctx.text, sent.start, _before_said_tail(ctx, toks, sent.end))
    if content is None or _words(ctx.text, content) < MIN_CONTENT_WORDS + 1:
        return None
    return _Found(said.speaker, [(mood.start, mood.end)], [content], said.hedging, said.pronoun)


def _subordinate(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether toks[k] stands in a subordinate clause ("..., obwohl sie selbst zugeben musste,
    dass sie es gar nicht gelesen habe"): its clause, from the last comma or colon, opens with a
    subordinating conjunction or a relative pronoun. The mood there is the grammar of the
    conjunction or of another's words inside the writer's sentence, not the report of the
    speaker before."""
    j = k
    while j > 0 and toks[j - 1].text not in ",;:–—(":
        j -= 1
    opening = [t for t in toks[j:k][:2] if t.is_word]
    return any(ctx.has("subordinator", t) for t in opening) or j > 0 and bool(opening) \
        and ctx.has("relative_subject", opening[0]) and opening[0].text[:1].islower()


def _before_said_tail(ctx: _Context, toks: list[Token], end: int) -> int:
    """Where a sentence of reported speech ends before a short cue clause of its own after a
    comma that named no speaker ("Er werde am Montag vorgeführt, hieß es."): the cue says who
    said it, not what was said; else `end`."""
    for k in range(max(1, len(toks) - MAX_SAID_TAIL_TOKENS), len(toks)):
        if toks[k - 1].text == "," and ctx.cues.match("verb", toks, k)[0] and not _inside(toks[k], ctx.quotes):
            return toks[k - 1].start
    return end


def _sentence_claims(ctx: _Context, index: int, sent: _Sentence) -> list[_Found]:
    toks, found = sent.toks, list[_Found]()
    i = 0
    while i < len(toks):
        claim, used = None, 1
        n, entry = ctx.cues.match("verb", toks, i)
        if n and not _noun_cue(ctx, toks, i):
            claim = _verb_claim(ctx, index, sent, i, n, entry.value, found)
            used = n
        if claim is None:
            n = ctx.cues.match("according_own", toks, i)[0]
            if n:
                claim, used = _according_own(ctx, sent, i, n), n
        if claim is None:
            n, entry = ctx.cues.match("according", toks, i)
            if n:
                claim = _according_compound(ctx, sent, i, n) if "compound" in entry.value \
                    else _according(ctx, sent, i, n, "inside" in entry.value)
                used = n
        if claim is None and ctx.cues.match("according_after", toks, i)[0]:
            claim = _according_after(ctx, sent, i)
        if claim is None and ctx.cues.has("quote_verb", toks[i].text):
            claim = _quote_verb(ctx, sent, i)
        if claim is not None:
            found.append(claim)
        i += used
    found = _without_citing(ctx, found)
    if not found:
        claim = _colon_headline(ctx, sent)
        if claim:
            found.append(claim)
    return found


def _citing(ctx: _Context, toks: list[Token], k: int) -> int:
    """The tokens of a "citing" phrase's cue at toks[k] ("со ссылкой на", "citant", "unter
    Berufung auf"), else 0: a source's own source, which ends the speaker before it."""
    n, entry = ctx.cues.match("according", toks, k)
    return n if n and "citing" in entry.value.split(",") else 0


def _without_citing(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """"..., comme l'a rapporté Bloomberg, citant des sources.": a citing phrase right after
    another claim's speaker names where that speaker had it from, so it is part of that claim
    and no claim of its own (its content would hold the other's attribution)."""
    ends = [max(e for _, e in f.speaker) for f in found if f.speaker]
    def follows(claim: _Found) -> bool:
        start = claim.cue[0][0]
        return any(e <= start and not ctx.text[e:start].strip(" ,") for e in ends)
    kept = []
    for claim in found:
        toks = tokens(ctx.text, claim.cue[0][0], claim.cue[0][1], ctx.language)
        if toks and _citing(ctx, toks, 0) and follows(claim):
            continue
        kept.append(claim)
    return kept


def _noun_cue(ctx: _Context, toks: list[Token], i: int) -> bool:
    """Whether a cue word right after an article is a noun ("el comunicado", "il comunicato",
    "die Angaben"): an article that is also a clitic pronoun ("comme le dit") does not count,
    and in German only a capitalised word is a noun ("Merkel, die sagte" is a relative clause)."""
    if i == 0 or not ctx.has("article", toks[i - 1]) or ctx.has("clitic", toks[i - 1]):
        return False
    return ctx.language != "de" or toks[i].text[:1].isupper()


# ------------------------------------------------------------------ cue verbs


def _verb_claim(ctx: _Context, index: int, sent: _Sentence, i: int, n: int, flags: str, found: list[_Found]) -> _Found | None:
    toks = sent.toks
    first, last = i, i + n - 1
    if _inside(toks[first], ctx.quotes):
        return None
    first = _with_auxiliary(ctx, toks, first)
    hedging = "hedging" in flags
    particle = _particle(ctx, toks, last, flags)
    if particle is None and "strict" in flags:
        return None  # "warfen" is no "warfen ... vor"
    cue = [(toks[first].start, toks[last].end)]
    if particle is not None:
        cue.append((toks[particle].start, toks[particle].end))
    inner = _inner_pronoun(toks, first, last)
    ctx.dropped = _dropped_subject(ctx, toks, first, last, flags)
    ctx.object_cue = "object" in flags
    ctx.needs_particle = "particle=" in flags
    ctx.governs = "governs" in flags
    if "post" in flags:
        return _after_content(ctx, index, sent, first, last, cue, hedging, inner, particle)
    if "gerund" in flags:
        return _gerund(ctx, sent, first, last, cue, hedging, found)
    attempts = [_parenthetical, _anaphoric, _after_content, _relative, _speaker_first, _speaker_after, _framed]
    if "governs" in flags:
        # "sprach von Rufmord", "warnt vor Reisen": the words after the cue are what is said.
        attempts = [_relative, _speaker_first, _framed]
    for attempt in attempts:
        claim = attempt(ctx, index, sent, first, last, cue, hedging, inner, particle)
        if claim is not None:
            return claim
    return _same_speaker(ctx, sent, first, last, cue, hedging, particle, found)


def _with_auxiliary(ctx: _Context, toks: list[Token], first: int) -> int:
    """The cue's first token with its auxiliary ("a déclaré", "ha detto", "a également
    déclaré")."""
    k = first - 1
    while k >= 0 and ctx.has("adverb", toks[k]) and first - k <= 2:
        k -= 1
    if k >= 0 and ctx.has("aux", toks[k]):
        return k
    return first


def _particle(ctx: _Context, toks: list[Token], last: int, flags: str) -> int | None:
    """The separable particle of a German cue ("teilte ... mit"), in its clause."""
    wanted = next((f.split("=", 1)[1] for f in flags.split(",") if f.startswith("particle=")), None)
    if not wanted:
        return None
    options = set(wanted.split("|"))
    for k in range(last + 1, min(len(toks), last + MAX_PARTICLE_WORDS + 1)):
        tok = toks[k]
        if tok.lower in options:
            # "mit" is also a preposition: as a particle it ends the clause.
            if k + 1 >= len(toks) or not toks[k + 1].is_word or ctx.has("that", toks[k + 1]):
                return k
        if tok.text in ",;:" or ctx.has("that", tok):
            return None
    return None


def _dropped_subject(ctx: _Context, toks: list[Token], first: int, last: int, flags: str) -> Span | None:
    """The cue's span as its own subject in a language that drops pronouns: a finite verb
    ("dijo", "ha detto", "dodał"), not an impersonal one ("сообщается", "se informó", "mówi
    się") nor a bare participle ("detto", "informado")."""
    if ctx.language not in PRO_DROP or "impersonal" in flags:
        return None
    if first > 0 and ctx.has("impersonal", toks[first - 1]) or last + 1 < len(toks) and ctx.has("impersonal", toks[last + 1]):
        return None
    if first == last and ctx.has("participle", toks[first]):
        return None
    return (toks[first].start, toks[last].end)


def _inner_pronoun(toks: list[Token], first: int, last: int) -> Span | None:
    """The pronoun inside a French inverted cue ("a-t-il déclaré", "explique-t-elle")."""
    import re

    for k in range(first, last + 1):
        found = re.search(r"-(?:t-)?(il|elle|on|ils|elles)$", toks[k].text)
        if found:
            return (toks[k].start + found.start(1), toks[k].start + found.end(1))
    return None


def _parenthetical(ctx, index, sent, first, last, cue, hedging, inner, particle) -> _Found | None:
    """"как заявили в Минобороны, ...", "wie das Ministerium mitteilte, ...", "..., comme l'a
    indiqué le ministère."""
    toks = sent.toks
    k = first - 1
    if k >= 0 and ctx.has("clitic", toks[k]):
        k -= 1
    if k >= 0 and ctx.has("as", toks[k]) and _clause_start(ctx, toks, k):
        speaker = _speaker_forward(ctx, toks, last + 1, particle)
        if inner and not speaker:
            speaker = (None, inner)
        if not speaker and ctx.dropped and _ends_clause(ctx, toks, last + 1):
            speaker = (None, ctx.dropped)  # "Jak dodał, ...", "Come ha spiegato, ..."
        if not speaker:
            return None
        end_index = speaker[0][1] if speaker[0] else last
        as_index = k
    elif 1 <= k <= MAX_LEAD_WORDS and toks[k].text == "," and _between_commas(ctx, toks, last):
        # "Il motivo, ha detto, è ...", "El Gobierno, dijo el ministro, no ...": a cue set off
        # by commas inside what is said.
        speaker = _speaker_forward(ctx, toks, last + 1, particle)
        if not speaker and ctx.dropped and toks[last + 1].text == ",":
            speaker = (None, ctx.dropped)
        if not speaker:
            return None
        end_index = speaker[0][1] if speaker[0] else last
        named = _name_after(toks, end_index + 1) if speaker[0] else None
        if named is not None:
            speaker, end_index = ((speaker[0][0], named), None), named
        as_index = k
    else:
        # "wie das Ministerium mitteilte": the speaker between "as" and a final cue.
        speaker_span = _speaker_backward(ctx, toks, first - 1)
        if not speaker_span:
            return None
        a, _b = speaker_span
        if a == 0 or not ctx.has("as", toks[a - 1]) or not _clause_start(ctx, toks, a - 1):
            return None
        as_index, end_index = a - 1, last
        speaker = (speaker_span, None)
    after = _past_citing(ctx, toks, _after_setting(ctx, toks, end_index + 1))
    if after < len(toks) and toks[after].text not in ",.;:!?—–)":
        return None  # the parenthetical must end at a comma or the sentence's end
    content = _outside(ctx, sent, as_index, after)
    if not content:
        return None
    return _made(ctx, toks, speaker, cue, content, hedging, first, after)


def _past_citing(ctx: _Context, toks: list[Token], k: int) -> int:
    """Past a citing phrase at toks[k] (after its comma: "comme l'a rapporté Bloomberg, citant
    des proches du dossier.", "как сообщает ТАСС со ссылкой на источник, ..."), to the next
    comma or the sentence's end: who the speaker had it from is not what was said."""
    start = k + 1 if k < len(toks) and toks[k].text == "," else k
    if start >= len(toks) or not _citing(ctx, toks, start):
        return k
    end = start
    while end < len(toks) and toks[end].text not in ",;:—–" and not (toks[end].text in ".!?" and end == len(toks) - 1):
        end += 1
    return end


def _name_after(toks: list[Token], k: int, most: int = 4) -> int | None:
    """"..., заявил представитель Кремля, Дмитрий Песков.": the last token of a name set off by
    a comma at toks[k] that ends the sentence, an apposition to the speaker before it (not
    what is said)."""
    if k >= len(toks) or toks[k].text != ",":
        return None
    end = len(toks) - 1 if toks[-1].text in ".!?" else len(toks)
    words = toks[k + 1:end]
    if not 1 <= len(words) <= most or not all(t.is_word and t.text[:1].isupper() for t in words):
        return None
    return end - 1


def _setting(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether the sentence ends, from toks[k], with a short phrase of time and place (each
    word after a time word or a preposition) and no cue, "that" or conjunction in it."""
    while k < len(toks) and ctx.is_time(toks[k]):
        k += 1
    rest = [t for t in toks[k:] if t.is_word]
    if not rest or not ctx.has("preposition", rest[0]) or len(rest) > MAX_PP_GAP_WORDS:
        return False
    return not any(ctx.has("that", t) or ctx.has("stop", t) or ctx.cues.match("verb", [t], 0)[0] for t in rest)


def _anaphoric(ctx, index, sent, first, last, cue, hedging, inner, particle) -> _Found | None:
    """"Об этом заявили в Минобороны.", "Das teilte das Ministerium mit.", "Poinformował o tym
    sztab.": what is said is the sentence before."""
    toks = sent.toks
    before = None
    for a in range(0, first):
        n, _entry = ctx.cues.match("anaphor", toks, a)
        if n and a + n == first and _only_marks_before(toks, a):
            before = a
            break
    start = last + 1
    if before is None:
        n, _entry = ctx.cues.match("anaphor", toks, start)
        if not n or not _only_marks_before(toks, first):
            return None
        start += n
    if index == 0:
        return None
    speaker = _speaker_forward(ctx, toks, start, particle)
    if not speaker and inner:
        speaker = (None, inner)
    if not speaker:
        return None
    end = speaker[0][1] if speaker[0] else last
    rest = [t for t in toks[end + 1:] if t.is_word and not ctx.is_time(t)]
    if particle is not None:
        rest = [t for t in rest if t.start > toks[particle].start]
    if rest and speaker[0] and end + 1 < len(toks) and _recipient(ctx, toks, speaker[0][0], end + 1) \
            and len(rest) <= MAX_PP_GAP_WORDS:
        rest = []  # "Das sagte Cavusoglu der „Bild“.": to whom it was said
    if rest and speaker[0] and end + 1 < len(toks) and toks[end + 1].text == ",":
        rest = []  # "Так сказал X, начав Новый год.": a phrase set off after the speaker
    if rest and speaker[0] and _setting(ctx, toks, end + 1):
        rest = []  # "Dies sagte Trump am Sonntag vor Journalisten in Washington.": where it was said
    if rest:
        return None  # the sentence goes on: it says something itself
    previous = ctx.sentences[index - 1]
    content = _trimmed(ctx.text, previous.start, previous.end)
    if content is None or "\n\n" in ctx.text[previous.end:sent.start]:
        return None
    return replace(_made(ctx, toks, speaker, cue, [content], hedging, first, end + 1), anaphoric=True)


def _after_content(ctx, index, sent, first, last, cue, hedging, inner, particle) -> _Found | None:
    """"«...», — заявил Песков.", "..., teilte das Verteidigungsministerium mit.", "..., a
    déclaré le ministre.", "..., so der Sprecher."."""
    toks = sent.toks
    k = first - 1
    marks = []
    while k >= 0 and not toks[k].is_word and toks[k].text in BEFORE_CUE:
        marks.append(toks[k].text)
        k -= 1
    quote = _quote_before(ctx, toks[first].start)
    if not marks or k < 0 and (quote is None or not set(marks) & set("—–-")):
        return None  # "«...?» — спросил он.": a sentence may open with the dash after a quotation
    speaker = _speaker_forward(ctx, toks, last + 1, particle) or _name_past_setting(ctx, toks, last + 1)
    if inner:
        speaker = (None, inner)
    if speaker and speaker[0] and quote is None and marks == [","] and _relative_clause_before(ctx, toks, k) \
            and not _named(ctx, toks, *speaker[0]):
        return None
    quoted = quote is not None
    if not speaker and ctx.dropped and _ends_clause(ctx, toks, last + 1, recipient=True) \
            and _short_tail(ctx, toks, last + 1, MAX_QUOTED_TAIL_WORDS if quoted else MAX_TAIL_WORDS):
        speaker = (None, ctx.dropped)  # "«...», dijo.", "«...», ha detto a migliaia di fedeli ..."
    if not speaker:
        return None
    end_index = speaker[0][1] if speaker[0] else last
    if particle is not None:
        end_index = max(end_index, particle)
    if quote is not None and _quoted_fragment(ctx, sent, quote):
        # "Der Rückgang sei „größer als in Italien“, sagte ...": the words before the quotation
        # are said too.
        # The closing mark stays, as the opening one does.
        opened = _trimmed(ctx.text, sent.start, quote[1])
        content = (opened[0], quote[1] + 1) if opened else None
    elif quote is not None:
        content = _trimmed(ctx.text, _last_opening(ctx.text, quote), quote[1])
    else:
        content = _after_dash(ctx.text, _trimmed(ctx.text, sent.start, toks[k].end))
    if content is None or _words(ctx.text, content) < MIN_CONTENT_WORDS:
        return None
    return _made(ctx, toks, speaker, cue, [content], hedging, first, end_index + 1)


def _relative_clause_before(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether the words before a cue's comma, back to the comma before them, are a relative
    clause ("Il se pourrait que le président, qui doit parler ce soir, annonce le report des
    élections"): the comma may close it inside the cue's own subject, and then the words after
    the cue are its object. Only a named speaker after the cue settles it ("..., que ya ha
    cobrado la vida a 107 personas, informó la ministra de Educación, Lucia Azzolina"). (After a
    dash, a relative clause ends direct speech: "..., które były podniszczone – przekonuje".)"""
    j = k
    while j > 0 and toks[j - 1].text != ",":
        j -= 1
    return j > 0 and j <= k and ctx.has("relative", toks[j])


def _named(ctx: _Context, toks: list[Token], a: int, b: int) -> bool:
    """Whether toks[a..b] hold a name (a capitalised word after the first) or an actor's words."""
    return any(toks[m].text[:1].isupper() and m > a or ctx.is_actor(toks, m) for m in range(a, b + 1))


def _quoted_fragment(ctx: _Context, sent: _Sentence, quote: Span) -> bool:
    """Whether a quotation before a cue is the end of its clause rather than all that is said:
    it opens inside the sentence, right after words of its clause (no comma, colon, dash or
    quote mark of their own), and its first letter is lower-case ("se tendrá que garantizar la
    “limpieza y desinfección”"). After a comma, a quotation is a clause of its own ("Pour la
    structure X, « les drames sont à craindre », assure ...")."""
    before = ctx.text[sent.start:quote[0] - 1]
    first = next((ch for ch in ctx.text[quote[0]:quote[1]] if ch.isalpha()), "")
    if quote[0] <= sent.start or not first.islower() or len(before.split()) < 2 or before.rstrip().endswith(","):
        return False
    if any(ch in before for ch in ":—–") or any(ch in OPEN_QUOTES or ch in CLOSE_QUOTES for ch in before):
        return False
    # Words with a cue of their own ("Il a dit que « ... »") have their own speaker.
    words = tokens(ctx.text, sent.start, quote[0] - 1, ctx.language)
    return not any(ctx.cues.match(kind, words, k)[0] for k in range(len(words)) for kind in ("verb", "according"))


def _name_past_setting(ctx: _Context, toks: list[Token], k: int) -> tuple | None:
    """"– napisała w sobotę na Facebooku Agnieszka Szydłowska.", "– zaznaczył na antenie Trójki
    minister zdrowia Łukasz Szumowski.": a speaker named at the sentence's end, after a short
    phrase of time and place that opens right after the cue; a name of two or more capitalised
    words, with the title before it (kind role of the actor table)."""
    end = len(toks) - 1 if toks and toks[-1].text in ".!?" else len(toks)
    if k >= end or not (ctx.is_time(toks[k]) or ctx.has("preposition", toks[k])):
        return None
    if not all(t.is_word for t in toks[k:end]):
        return None
    start = end
    # A capitalised word right after a preposition is the setting's ("na Facebooku").
    while start > k + 1 and toks[start - 1].text[:1].isupper() and not ctx.has("preposition", toks[start - 2]):
        start -= 1
    if end - start < 2 or start - k > MAX_SETTING_WORDS:
        return None
    # A setting has a common noun or a time ("w oświadczeniu", "w sobotę"); "al Detroit Free
    # Press" is a recipient.
    if not any(ctx.is_time(t) or t.text[:1].islower() and not ctx.has("preposition", t) for t in toks[k:start]):
        return None
    for j in range(max(k + 1, start - MAX_TAIL_WORDS), start):
        lower = all(t.text[:1].islower() and not ctx.has("preposition", t) for t in toks[j:start])
        if lower and ctx.actors.match("role", toks, j)[0]:
            return (j, end - 1), None
    return (start, end - 1), None


def _last_opening(text: str, quote: Span) -> int:
    """Where the quotation before a cue opens: after the last opening mark that follows a stop
    inside it, when there is one ("Je suis choqué ... à l'étranger. "En Belgique ..., ils gagnent
    moins qu'ici", a-t-il déclaré): a quotation left unclosed before it (a mark lost, or the
    writer's words in between) pairs its mark with this one's close, and the cue attributes the
    last."""
    opened = [m.end() - 1 for m in _REOPENED.finditer(text, quote[0], quote[1])]
    return opened[-1] if opened else quote[0]


def _quote_before(ctx: _Context, start: int) -> Span | None:
    """The quotation that closes right before `start`, with only its closing mark, a comma, a
    dash and spaces between ("«...», — сказал"): what is said, however many sentences it has."""
    for qs, qe in ctx.quotes:
        if qe <= start and start - qe <= MAX_QUOTE_GAP and all(ch.isspace() or ch in BEFORE_CUE for ch in ctx.text[qe:start]):
            return (qs, qe)
    return None


def _relative(ctx, index, sent, first, last, cue, hedging, inner, particle) -> _Found | None:
    """"Грегори Эндрюс, который сказал 7NEWS, что ...", "l'ambassadrice, qui a souligné qu'...",
    "Scholz, der am Freitag sagte, ...": a cue in a relative clause speaks for the noun phrase
    before its comma. German puts the cue at the clause's end, so the relative pronoun may lie
    further back there."""
    toks = sent.toks
    most = MAX_FRAME_WORDS if ctx.language == "de" else MAX_RELATIVE_GAP
    r = first - 1
    while r > 0 and first - r <= most and toks[r].is_word and not ctx.has("relative_subject", toks[r]):
        if ctx.language != "de" and not (ctx.is_time(toks[r]) or ctx.has("adverb", toks[r]) or ctx.has("clitic", toks[r])
                                         or ctx.has("aux", toks[r])):
            return None  # "que le ministre a dit": another subject inside the clause
        r -= 1
    if r < 2 or not ctx.has("relative_subject", toks[r]) or toks[r - 1].text != ",":
        return None
    span = _speaker_backward(ctx, toks, r - 2) or _apposition_speaker(ctx, toks, r - 2)
    if not span or not any(toks[m].text[:1].isupper() or ctx.is_actor(toks, m) for m in range(span[0], span[1] + 1)):
        return None  # "..., ce qui a ..." names no one
    span = _antecedent(ctx, toks, span)
    content = _content_after(ctx, sent, particle if particle is not None else last)
    if content is None:
        return None
    spans, hedged = content
    return _made(ctx, toks, (span, None), cue, spans, hedging or hedged, span[0], first)


def _antecedent(ctx: _Context, toks: list[Token], span: tuple[int, int]) -> tuple[int, int]:
    """The noun phrase a relative pronoun refers to, out of the words before its comma: a long
    stretch ("Птица была снята ... местным жителем Грегори Эндрюсом") is a clause whose last
    name is the speaker, so it keeps only its closing run of capitalised words."""
    a, b = span
    if sum(t.is_word for t in toks[a:b + 1]) <= MAX_RELATIVE_HEAD_WORDS:
        return span
    k = b
    while k > a and (toks[k - 1].text[:1].isupper() or toks[k - 1].text == "."):
        k -= 1
    return (k, b) if toks[k].text[:1].isupper() else span


def _gerund(ctx, sent, first, last, cue, hedging, found: list[_Found]) -> _Found | None:
    """"..., подчеркнув, что ...", "..., añadiendo que ...", "..., ajoutant que ...": a gerund
    after a comma speaks for the subject of its sentence: the speaker of the claim before it in
    the sentence, else a name or an actor that opens the sentence."""
    toks = sent.toks
    k = first - 1
    while k > 0 and ctx.has("adverb", toks[k]):
        k -= 1
    if k < 1 or toks[k].text != ",":
        return None
    content = _content_after(ctx, sent, last)
    if content is None:
        return None
    spans, hedged = content
    previous = next((f for f in reversed(found) if sent.start <= f.cue[0][0] < sent.end), None)
    if previous is not None:
        return _Found(previous.speaker, cue, spans, hedging or hedged, previous.pronoun)
    span = _opening_subject(ctx, toks, k)
    if span is None:
        return None
    return _made(ctx, toks, (span, None), cue, spans, hedging or hedged, first, last + 1)


def _opening_subject(ctx: _Context, toks: list[Token], end: int) -> tuple[int, int] | None:
    """The subject that opens a sentence, before toks[end]: after time words and adverbs, an
    actor's words or a run of capitalised words (joined by "of" words); an actor or two
    capitalised words at least, so that a capitalised first word alone is no speaker."""
    a = 0
    while a < end and (ctx.is_time(toks[a]) or ctx.has("adverb", toks[a]) or not toks[a].is_word):
        a += 1
    k, named, capitals = a, False, 0
    while k < end and k - a < MAX_HEAD_WORDS:
        n = max((ctx.actors.match(kind, toks, k)[0] for kind in SPEAKER_KINDS + ("place", "ministry", "portfolio")),
                default=0)
        if n:
            named, k = True, k + n
        elif toks[k].is_word and toks[k].text[:1].isupper():
            capitals, k = capitals + 1, k + 1
        elif ctx.has("of", toks[k]) and k > a:
            k += 1
        elif k > a and ctx.language != "de" and _genitive_link(ctx, toks, k, end):
            k += 1  # "Департамент полиции Элизабеттауна": a lower-case noun between two names
        else:
            break
    if k == a or not (named or capitals >= 2) or k >= end or not toks[k].is_word:
        return None  # the subject must be followed by its verb
    span = _trim_speaker(ctx, toks, a, k - 1)
    return span if span and _valid_speaker(ctx, toks, *span) else None


def _genitive_link(ctx: _Context, toks: list[Token], k: int, end: int) -> bool:
    """Whether toks[k], a lower-case word, joins a capitalised word before it to one right after
    it inside a subject ("Департамент полиции Элизабеттауна")."""
    tok = toks[k]
    if not tok.is_word or not tok.text[:1].islower() or ctx.has("stop", tok) or ctx.cues.match("verb", toks, k)[0]:
        return False
    return k + 1 < end and toks[k + 1].is_word and toks[k + 1].text[:1].isupper() and toks[k - 1].text[:1].isupper()


def _speaker_first(ctx, index, sent, first, last, cue, hedging, inner, particle) -> _Found | None:
    """"Минобороны России заявило, что ...", "В Кремле заявили: ...", "Le ministère a affirmé
    que ...", "Der Sprecher sagte, die Truppen hätten ..."."""
    toks = sent.toks
    if first > 0 and ctx.has("passive", toks[first - 1]):
        return None  # "Cette réélection a été qualifiée de « regrettable »": no one speaks
    span = _speaker_backward(ctx, toks, first - 1) or _apposition_speaker(ctx, toks, first - 1) \
        or _subject_comma(ctx, toks, first)
    if not span:
        return None
    if ctx.object_cue and (particle is not None and particle > last + 1 or ctx.governs):
        # "Bahn kündigt zusammenhängendes WLAN-Netz ... an": the object before the particle;
        # "s'oppose à la taxation des « petits épargnants »": the object, quotation and all.
        found = _object_claim(ctx, sent, span, first, last, cue, hedging, particle)
        if found is not None:
            return found
    content = _content_after(ctx, sent, particle if particle is not None else last)
    if content is None:
        return _said_before(ctx, sent, span, first, last, cue, hedging, particle) or \
            _object_claim(ctx, sent, span, first, last, cue, hedging, particle)
    spans, hedged = content
    return _made(ctx, toks, (span, None), cue, spans, hedging or hedged, span[0], first)


def _subject_comma(ctx: _Context, toks: list[Token], first: int) -> tuple[int, int] | None:
    """"L'organizzatore della divisione sanitaria SIPTU Paul Bell, ha dichiarato: ...": a subject
    that opens the sentence, set off from its cue by a stray comma (as translated news often has
    it); a name or an actor, not a fronted phrase ("In risposta, ha detto")."""
    if first < 2 or toks[first - 1].text != ",":
        return None
    span = _speaker_backward(ctx, toks, first - 2)
    if span is None or not _only_marks_before(toks, span[0]) or ctx.has("preposition", toks[span[0]]):
        return None
    named = any(toks[m].text[:1].isupper() and m > span[0] or ctx.is_actor(toks, m) for m in range(span[0], span[1] + 1))
    return span if named else None


def _object_claim(ctx, sent, span, first, last, cue, hedging, particle) -> _Found | None:
    """"Huawei a annoncé une série de mises à jour", "Минобороны подтвердило гибель трёх
    военных", "Das Ministerium kündigte neue Maßnahmen an": a cue that takes what it reports
    as its object (flag `object`), the object up to the clause's end (or the particle)."""
    toks = sent.toks
    if not ctx.object_cue or ctx.needs_particle and particle is None or first > 0 and ctx.has("passive", toks[first - 1]):
        return None
    if ctx.has("participle", toks[first]) and first == last:
        return None  # "Neuer Streik bei Lufthansa angekündigt"
    words = [t for t in toks[span[0]:span[1] + 1] if t.is_word]
    if len(words) > MAX_OBJECT_SPEAKER_WORDS or any(ctx.has("passive", t) or ctx.language == "de" and ctx.has("preposition", t)
                                                    and not ctx.has("of", t) for t in words):
        return None  # "Il a été déclaré inapte": no one speaks; "Szenen vor dem Weißen Haus kündigte"
    k = last + 1
    while k < len(toks) and (ctx.is_time(toks[k]) or ctx.has("adverb", toks[k])):
        k += 1
    k = _past_setting(ctx, toks, k, particle)
    if k >= len(toks) or not toks[k].is_word or ctx.has("preposition", toks[k]) and not ctx.has("article", toks[k]) \
            or ctx.has("stop", toks[k]) or ctx.has("pronoun", toks[k]) or ctx.has("passive", toks[k]):
        return None
    end = k
    stop = particle if particle is not None and particle > k else len(toks)
    while end < stop and (toks[end].is_word or toks[end].text in OBJECT_MARKS or toks[end].text in "«»„“”\"") \
            and not ctx.cues.match("verb", toks, end)[0] and not ctx.has("that", toks[end]) \
            and not (ctx.has("stop", toks[end]) and not ctx.has("of", toks[end]) and not _inside(toks[end], ctx.quotes)):
        end += 1  # to the clause's end: "versprach Mässigung und durfte ..." stops at "und" (not in a quotation)
    if end == k or end < len(toks) and end != particle and toks[end].text not in ",;:.!?)—–" and not ctx.has("stop", toks[end]):
        return None
    content = _trimmed(ctx.text, toks[k].start, toks[end - 1].end)
    if content is None or _words(ctx.text, content) < MIN_CONTENT_WORDS:
        return None
    return _made(ctx, toks, (span, None), cue, [content], hedging, span[0], first)


def _past_setting(ctx: _Context, toks: list[Token], k: int, particle: int | None) -> int:
    """Past a short phrase of time or place that opens the object of a cue closed by its
    particle ("kündigte am Wochenende einen weiteren Streik an"): the object starts at the
    article after it; else k."""
    if particle is None or k >= particle or not ctx.has("preposition", toks[k]) or ctx.has("article", toks[k]):
        return k
    for j in range(k + 1, min(particle, k + MAX_SETTING_WORDS)):
        if not toks[j].is_word or ctx.has("stop", toks[j]):
            return k
        if ctx.has("article", toks[j]):
            return j
    return k


def _apposition_speaker(ctx: _Context, toks: list[Token], end: int) -> tuple[int, int] | None:
    """A speaker with an apposition between commas before its cue ("Olaf Scholz, le ministre
    des Finances, a déclaré que", "La portavoz, Morgan Ortagus, insistió"): the name before
    the first comma, up to the end of the apposition."""
    k = end
    while k >= 0 and (ctx.is_time(toks[k]) or ctx.has("adverb", toks[k])):
        k -= 1
    if k < 1 or toks[k].text != ",":
        return None
    j = k - 1
    while j >= 0 and toks[j].text != "," and k - j <= MAX_APPOSITION_WORDS:
        tok = toks[j]
        opening = _opening_bracket(toks, j)
        if opening is not None:
            j = opening - 1  # "chef des chrétiens-démocrates (CDU) de la chancelière"
            continue
        if tok.text in ".;:!?()" or ctx.has("that", tok) or ctx.cues.match("verb", toks, j)[0] \
                or ctx.cues.match("according", toks, j)[0]:
            return None
        j -= 1
    if j < 1 or toks[j].text != "," or j == k - 1 or ctx.has("stop", toks[j + 1]) and not ctx.has("relative", toks[j + 1]):
        return None  # "..., und die Regierung hat ..., sagte": a clause, not an apposition
    head = _speaker_backward(ctx, toks, j - 1, MAX_HEAD_WORDS)
    if head is None and all(not t.is_word or ctx.has("adverb", t) or ctx.is_time(t) for t in toks[:j]):
        # "Inoltre, la NCTA, ha affermato": a fronted adverb, then the speaker set off by commas.
        own = _trim_speaker(ctx, toks, j + 1, k - 1)
        head = own if own and _valid_speaker(ctx, toks, *own) else None
        if head is None or not any(toks[m].text[:1].isupper() or ctx.is_actor(toks, m) for m in range(head[0], head[1] + 1)):
            return None
        return head
    if head is None or ctx.has("preposition", toks[head[0]]) or sum(t.is_word for t in toks[head[0]:head[1] + 1]) > MAX_HEAD_WORDS:
        return None
    if ctx.has("relative", toks[j + 1]) and not all(not t.is_word or ctx.is_time(t) or ctx.has("adverb", t) for t in toks[:head[0]]):
        # "Анна Петрова, 31 год, официант из Москвы, которая ..., сказала": the words before a
        # relative clause are one apposition of several, not the name it refers to.
        return None
    # A name or an actor, not a fronted phrase ("Pese a ello, ahora ..., asegura").
    if not any(toks[m].text[:1].isupper() and m > head[0] or ctx.is_actor(toks, m) for m in range(head[0], k)):
        return None
    return head[0], k - 1


def _said_before(ctx, sent, span, first, last, cue, hedging, particle) -> _Found | None:
    """"«...», Giuliani ha detto ai giornalisti.", "«...» — Песков сказал.": the speaker
    between what is said and the cue; the sentence may go on a few words after the cue, or
    more when what is said is a quotation."""
    toks = sent.toks
    k = span[0] - 1
    marks = []
    while k >= 0 and not toks[k].is_word and toks[k].text in BEFORE_CUE:
        marks.append(toks[k].text)
        k -= 1
    if not marks or k < 0 or marks[0] not in ",—–":
        return None
    quote = _quote_before(ctx, toks[span[0]].start)
    end = particle if particle is not None else last
    if quote is None and not _short_tail(ctx, toks, end + 1) or end + 1 < len(toks) and ctx.has("passive", toks[end + 1]):
        return None  # "..., da die Polizei angekündigt wurde": passive, no one speaks
    if quote:
        content = _trimmed(ctx.text, _last_opening(ctx.text, quote), quote[1])
    else:
        content = _after_dash(ctx.text, _trimmed(ctx.text, sent.start, toks[k].end))
    if content is None or _words(ctx.text, content) < MIN_CONTENT_WORDS:
        return None
    if all(ctx.is_time(t) for t in tokens(ctx.text, *content, ctx.language) if t.is_word):
        return None  # "Dernier jour, le ministre affirmait ...": a fronted time, not what is said
    span = _before_setting(ctx, toks, span)
    return _made(ctx, toks, (span, None), cue, [content], hedging, span[0], end + 1)


def _before_setting(ctx: _Context, toks: list[Token], span: tuple[int, int]) -> tuple[int, int]:
    """A speaker between what is said and a cue at the end of its clause, without the auxiliary
    that opens the clause and the setting after it ("..., wird Manager Oliver Kreuzer in einer
    Mitteilung zitiert" is Manager Oliver Kreuzer)."""
    a, b = span
    if a < b and (ctx.has("passive", toks[a]) or ctx.has("perfect_aux", toks[a])):
        a += 1
    for m in range(a + 1, b + 1):
        if ctx.has("preposition", toks[m]) and not ctx.has("of", toks[m]):
            return _trim_speaker(ctx, toks, a, m - 1) or (a, b)
    return a, b


def _speaker_after(ctx, index, sent, first, last, cue, hedging, inner, particle) -> _Found | None:
    """"Am Freitag teilte das Ministerium mit, dass ...", "В пятницу заявили в Минобороны, что
    ...", "Ajoute-t-il : ..."."""
    toks = sent.toks
    if not _clause_start(ctx, toks, first, allow_words=True):
        return None
    before = first - 2 if first >= 2 and ctx.has("clitic", toks[first - 1]) else first - 1
    if before >= 0 and ctx.has("relative", toks[before]):
        return None  # "который сказал 7NEWS, что", "quien le explicó": the speaker is before, not after
    speaker = _speaker_forward(ctx, toks, last + 1, particle)
    if inner:
        speaker = (None, inner)
    if not speaker and ctx.dropped and _clause_start(ctx, toks, first) and _said_next(ctx, toks, last + 1) and (all(
            not t.is_word or ctx.is_time(t) or ctx.has("adverb", t) for t in toks[:first])
            or toks[first - 1].text == "," and ctx.has("preposition", toks[0])):  # "En lo que respecta a X, dijo que"
        speaker = (None, ctx.dropped)  # "Dodał, że ...", "Agregó que ..."
    if not speaker:
        return None
    end_index = speaker[0][1] if speaker[0] else last
    content = _content_after(ctx, sent, max(end_index, particle if particle is not None else -1))
    if content is None:
        return None
    spans, hedged = content
    return _made(ctx, toks, speaker, cue, spans, hedging or hedged, first, end_index + 1)


def _framed(ctx, index, sent, first, last, cue, hedging, inner, particle) -> _Found | None:
    """A cue at the end of its clause, framed by an auxiliary (German "Borissow hat die
    Lockerung ... kritisiert", "..., wie Gove am Dienstag dem Sender LBC sagte"): the speaker
    before the frame's opening word, what is said after the cue or, for a cue that reports an
    object, between."""
    toks = sent.toks
    end = max(last, particle if particle is not None else last) + 1
    if end < len(toks) and toks[end].text not in ",.;:!?)—–":
        return None
    opening = next((h for h in range(first - 1, max(-1, first - MAX_FRAME_WORDS), -1)
                    if not toks[h].is_word or ctx.has("perfect_aux", toks[h]) or ctx.has("as", toks[h])), None)
    if opening is None or not toks[opening].is_word or opening == first - 1:
        return None
    if ctx.has("as", toks[opening]):
        # "..., wie Staatsminister Michael Gove am Dienstag dem Radiosender LBC sagte."
        if not _clause_start(ctx, toks, opening):
            return None
        speaker = _speaker_forward(ctx, toks, opening + 1, None)
        if not speaker or not speaker[0]:
            return None
        content = _outside(ctx, sent, opening, end)
        return _made(ctx, toks, speaker, cue, content, hedging, opening, end) if content else None
    span = _speaker_backward(ctx, toks, opening - 1)
    if not span:
        return None
    said = _content_after(ctx, sent, end - 1)
    if said is not None:
        return _made(ctx, toks, (span, None), cue, said[0], hedging or said[1], span[0], end)
    if not ctx.object_cue:
        return None
    k = opening + 1
    while k < first and (ctx.is_time(toks[k]) or ctx.has("adverb", toks[k])):
        k += 1
    between = _trimmed(ctx.text, toks[k].start, toks[first - 1].end) if k < first else None
    if between is None or _words(ctx.text, between) < MIN_CONTENT_WORDS:
        return None
    return _made(ctx, toks, (span, None), cue, [between], hedging, span[0], end)


def _same_speaker(ctx, sent, first, last, cue, hedging, particle, found: list[_Found]) -> _Found | None:
    """"X заявил, что ..., и добавил, что ...": a second cue joined by "and" has the speaker
    of the claim before it in the sentence."""
    toks = sent.toks
    if not found or first == 0 or not ctx.has("stop", toks[first - 1]):
        return None
    previous = found[-1]
    if not (sent.start <= previous.cue[0][0] < sent.end):
        return None
    content = _content_after(ctx, sent, particle if particle is not None else last)
    if content is None:
        return None
    spans, hedged = content
    return _Found(previous.speaker, cue, spans, hedging or hedged, previous.pronoun)


# ------------------------------------------------------------------ "according to"


def _according(ctx: _Context, sent: _Sentence, i: int, n: int, inside: bool = False) -> _Found | None:
    """"По словам X, ...", "..., selon Kyiv.", "Laut dem Ministerium haben ...", "Według
    sztabu, ...": the speaker after the words, what is said on the other side."""
    toks = sent.toks
    if _inside(toks[i], ctx.quotes) or i == 0 and n == len(toks):
        return None
    if ctx.cues.match("verb", toks, i + n)[0]:
        return None  # "según informó el ministerio": the cue verb's own rule reads it ("as")
    if _clause_start(ctx, toks, i, allow_words=False, allow_time=True):
        speaker = _according_speaker(ctx, toks, i + n, i)
    elif inside:
        # Inside a clause ("Das Duo schlug laut Polizei ein Fenster ein"): the noun phrase only.
        speaker = _according_phrase(ctx, toks, i + n)
    else:
        return None
    if not speaker:
        return None
    a, b = speaker
    if not _valid_speaker(ctx, toks, a, b):
        return None
    rest = b + 1
    while rest < len(toks) and toks[rest].text[:1].islower() and ctx.has("adverb", toks[rest]):
        rest += 1  # the adverb trimmed off the speaker ("D'après le JDD toutefois, ...") is no content either
    content = _outside(ctx, sent, i, _past_citing(ctx, toks, rest))
    if not content:
        return None
    cue = [(toks[i].start, toks[i + n - 1].end)]
    return _made(ctx, toks, (speaker, None), cue, content, False, i, b + 1)


def _according_own(ctx: _Context, sent: _Sentence, i: int, n: int) -> _Found | None:
    """"По его словам, ...", "Seiner Ansicht nach ...", "Jego zdaniem ...", "À son avis, ...":
    "according to" with a possessive for its source, which (as a pronoun does) stands for the
    last speaker named; it opens a clause or is set off by commas, and what is said is the rest."""
    toks = sent.toks
    if _inside(toks[i], ctx.quotes) or not _clause_start(ctx, toks, i, allow_words=False, allow_time=True):
        return None
    own = next((k for k in range(i, i + n) if ctx.has("possessive", toks[k])), None)
    if own is None:
        return None
    content = _outside(ctx, sent, i, i + n)
    if not content:
        return None
    cue = [(toks[i].start, toks[i + n - 1].end)]
    return _made(ctx, toks, ((own, own), None), cue, content, False, i, i + n)


def _according_compound(ctx: _Context, sent: _Sentence, i: int, n: int) -> _Found | None:
    """"Die Botschaft ist nach US-Angaben die größte", "Nach RTL-Angaben war es ...": the source
    is the first part of the compound that ends the words (flag `compound`), what is said the
    rest of the sentence."""
    toks = sent.toks
    last = toks[i + n - 1]
    cut = last.text.rfind("-")
    if _inside(toks[i], ctx.quotes) or cut < 1:
        return None
    source = (last.start, last.start + cut)
    content = _outside(ctx, sent, i, i + n)
    if not content:
        return None
    cue = [(toks[i].start, last.end)]
    return _Found([source], cue, content)


def _according_speaker(ctx: _Context, toks: list[Token], start: int, opening: int) -> tuple[int, int] | None:
    """The source after "according to": up to the next comma (or the sentence's end) when that
    is near, else the noun phrase the words begin (articles, names, actors)."""
    end = start
    while end < len(toks) and (toks[end].text not in ",.;:!?()—–" or _web_dot(toks, end)) and end - start <= MAX_ACCORDING_WORDS \
            and not (end > start and _citing(ctx, toks, end)):
        end += 1
    cited = end < len(toks) and end > start and _citing(ctx, toks, end)  # "как сообщает ТАСС со ссылкой на ..."
    # At the sentence's start, what is said follows the source: a source up to the sentence's end
    # would leave nothing, so only a comma closes it there ("Laut dem Ministerium haben ...").
    # Up to the sentence's end only after a comma ("..., selon Kyiv."): inside a clause the source
    # is its noun phrase ("habe es dabei nach Berichten der dpa nicht gegeben").
    set_off = opening == 0 or not toks[opening - 1].is_word
    # (The words may be several: "Nach einem Bericht des RBB ..." opens the sentence too.)
    closes = ",;:()—–" if _only_marks_before(toks, opening) or not set_off else ",.;:!?()—–"
    bracket = _closing_bracket(toks, end) if end < len(toks) else None
    if bracket is not None:
        after = bracket + 1  # "... de Seguridad Pública (SESNSP)."
        if after >= len(toks) or toks[after].text in closes:
            end = after
    if end > start and (end >= len(toks) and closes != ",;:()—–" or end < len(toks) and toks[end].text in closes or cited) \
            and end - start <= MAX_ACCORDING_WORDS:
        return _trim_speaker(ctx, toks, start, end - 1)
    # No comma near: the noun phrase right after the words.
    return _according_phrase(ctx, toks, start)


def _according_phrase(ctx: _Context, toks: list[Token], start: int) -> tuple[int, int] | None:
    """The noun phrase an "according to" opens: articles, names, actors ("laut einem Bericht
    des RBB", "selon Kyiv")."""
    k = start
    seen_content = False
    while k < len(toks) and toks[k].is_word and k - start < 6:
        tok = toks[k]
        if ctx.has("of", tok) or ctx.has("article", tok) and not seen_content:
            k += 1
            continue
        if seen_content and tok.lower in AND_WORDS and k + 1 < len(toks) and toks[k + 1].text[:1].isupper():
            k += 1  # "laut Polizei und Feuerwehr": two sources, one phrase
            continue
        if ctx.has("article", tok) or ctx.has("stop", tok) or ctx.has("preposition", tok):
            break  # "laut Polizei ein Fenster": a new phrase; "laut und deutlich": no source
        named = tok.text[:1].isupper() or ctx.is_actor(toks, k) or ctx.has("pronoun", tok)
        if ctx.language == "de" and not named and seen_content:
            break  # German nouns are capitalised: a lower-case word after one ends the phrase
        if ctx.language != "de" and seen_content and not named:
            break
        if not named and ctx.language != "de":
            break
        seen_content = seen_content or named
        k += 1
    return _trim_speaker(ctx, toks, start, k - 1) if seen_content else None


def _according_after(ctx: _Context, sent: _Sentence, i: int) -> _Found | None:
    """"Dem Ministerium zufolge ...", "Angaben des Ministeriums zufolge ..."."""
    toks = sent.toks
    span = _phrase_before(ctx, toks, i - 1) if ctx.language == "de" else None
    span = span or _speaker_backward(ctx, toks, i - 1)
    if not span:
        return None
    content = _outside(ctx, sent, span[0], i + 1)
    if not content:
        return None
    cue = [(toks[i].start, toks[i].end)]
    return _made(ctx, toks, (span, None), cue, content, False, span[0], i + 1)


def _phrase_before(ctx: _Context, toks: list[Token], end: int) -> tuple[int, int] | None:
    """The German noun phrase that ends at toks[end], back to its article ("... weltweit einer
    neuen Studie zufolge" is "einer neuen Studie"), across a genitive ("Angaben des
    Ministeriums"); None when no article opens it near (the clause's own rule reads it)."""
    k = end
    while k >= 0 and end - k < MAX_SPEAKER_WORDS and toks[k].is_word:
        if ctx.has("article", toks[k]):
            genitive = ctx.has("of", toks[k]) and k > 0 and toks[k - 1].is_word and _noun(toks[k - 1]) \
                and not ctx.has("article", toks[k - 1])
            if not genitive:
                span = _trim_speaker(ctx, toks, k, end)
                return span if span and k < end and _valid_speaker(ctx, toks, *span) else None
        elif ctx.has("stop", toks[k]) or ctx.has("that", toks[k]) or ctx.cues.match("verb", toks, k)[0]:
            return None
        k -= 1
    return None


def _quote_verb(ctx: _Context, sent: _Sentence, i: int) -> _Found | None:
    """"„Wir haben den richtigen Verein“, fand Dittmann.": in a language whose nouns are
    capitalised (kind `quote_verb`), a lower-case word right after a quotation and its comma,
    followed by its subject, is the verb that attributes the quotation, whatever verb it is."""
    toks = sent.toks
    tok = toks[i]
    if i < 2 or toks[i - 1].text != "," or toks[i - 2].text not in CLOSE_QUOTES or not tok.text[:1].islower():
        return None
    # A conjunction after the quotation ("..., da die Farbe fehlt") opens a clause: it is no verb.
    if any(ctx.has(kind, tok) for kind in ("stop", "article", "preposition", "pronoun", "that", "of", "adverb", "passive",
                                           "perfect_aux", "subordinator")):
        return None
    quote = next((q for q in ctx.quotes if q[1] == toks[i - 2].start), None)
    if quote is None or _inside(tok, ctx.quotes):
        return None
    speaker = _speaker_forward(ctx, toks, i + 1, None)
    if not speaker or not speaker[0]:
        return None
    a, b = speaker[0]
    if not (toks[a].text[:1].isupper() or ctx.has("article", toks[a]) or ctx.has("pronoun", toks[a])):
        return None
    content = _trimmed(ctx.text, quote[0], quote[1])
    if content is None or _words(ctx.text, content) < MIN_CONTENT_WORDS:
        return None
    return _made(ctx, toks, speaker, [(tok.start, tok.end)], [content], False, i, b + 1)


def _colon_headline(ctx: _Context, sent: _Sentence) -> _Found | None:
    """"Песков: ...", "Selenskyj: ...", "Kremlin : ...": a known actor or a name of two words
    or more before a colon at the start of a sentence."""
    toks = sent.toks
    colon = next((k for k, t in enumerate(toks[:6]) if t.text == ":"), None)
    if colon is None or colon == 0 or len(toks) - colon < 4:
        return None
    left = toks[:colon]
    if not all(t.is_word for t in left):
        return None
    quoted = colon + 1 < len(toks) and toks[colon + 1].text in OPEN_QUOTES
    placed = _before_place(ctx, left) if quoted else None
    if placed:
        left = left[:placed]  # "Scholz au Bundestag de Berlin : « ... »": the speaker, then where
    actor = any(ctx.is_actor(toks, k) for k in range(len(left)))
    name = (len(left) >= 2 or placed) and all(t.text[:1].isupper() for t in left)
    if not (actor or name) or any(ctx.has("stop", t) or ctx.has("preposition", t) for t in left):
        return None
    # A place or a heading ("USA: ...", "Rapporto: ...", "Возвращение Tiger Global: ...") names a
    # topic, not a speaker: only a quotation after it is said; a speaker who is a person, an office
    # or an organisation may be followed by what they said in plain words.
    # A document word alone ("Rapporto: ...", "Bericht: ...") is a heading: whose report it is
    # the headline does not say.
    kinds = SPEAKER_KINDS if len(left) > 1 else tuple(k for k in SPEAKER_KINDS if k != "spokes")
    speaks = any(ctx.actors.match(kind, toks, k)[0] for kind in kinds for k in range(len(left))) \
        and not all(t.text.isupper() and len(t.text) > 3 for t in left)
    if not (speaks or quoted):
        return None
    # A quotation after the colon is what is said, not the words that run on after its close (a
    # quoted title of a word or two is part of the words: "Kurski: „Sylwester marzeń” to ...").
    content = _trimmed(ctx.text, toks[colon].end, sent.end)
    said = _quote_or_rest(ctx, sent, toks[colon].end) if quoted else None
    if said and _words(ctx.text, said) > MIN_CONTENT_WORDS:
        content = said
    if content is None or _words(ctx.text, content) < (2 if quoted else 3):
        return None
    return _Found([(left[0].start, left[-1].end)], [(toks[colon].start, toks[colon].end)], [content])


def _before_place(ctx: _Context, left: list[Token]) -> int | None:
    """Where a headline's speaker ends before a phrase of place ("Scholz au Bundestag de Berlin",
    "Merkel in Brüssel"): at a preposition after capitalised words, with a capitalised word
    after it; else None."""
    k = next((k for k in range(1, len(left)) if ctx.has("preposition", left[k]) and not ctx.has("of", left[k])), None)
    if k is None or not all(t.text[:1].isupper() for t in left[:k]):
        return None
    return k if any(t.text[:1].isupper() for t in left[k + 1:]) else None


# ------------------------------------------------------------------ speakers


def _speaker_forward(ctx: _Context, toks: list[Token], start: int, particle: int | None) -> tuple | None:
    """The speaker that follows a cue: after time words, adverbs and a preposition such as
    "в" ("заявили в Минобороны"), up to a comma, a conjunction, "that", the particle or the
    end."""
    k = start
    while k < len(toks) and (ctx.is_time(toks[k]) or ctx.has("adverb", toks[k]) or k == particle):
        k += 1
    if k < len(toks) and ctx.has("speaker_prep", toks[k]):
        k += 1
    a = k
    if k < len(toks) and ctx.has("pronoun", toks[k]) and k != particle:
        if k > 0 and toks[k].text[:1].isupper() and ctx.has("polite", toks[k]):
            return None  # "stimmen Sie ... zu": the reader addressed, no one speaks
        return (k, k), None  # "sagte er dem Sender": the pronoun is the whole speaker
    words = 0
    while k < len(toks) and k != particle:
        tok = toks[k]
        if not tok.is_word:
            if tok.text == "." and k > a and len(toks[k - 1].text) == 1 and toks[k - 1].text.isupper():
                k += 1  # an initial: "В. Путин"
                continue
            if k > a and _web_dot(toks, k):
                k += 2  # a site's name: "billiger-mietwagen.de", "Lenta.ru"
                continue
            if tok.text in "«»„“”\"" and _name_quote(toks, k, a):
                k += 1
                continue
            closing = _closing_bracket(toks, k) if k > a else None
            if closing is not None:
                k = closing + 1  # "le Financial Times (FT)"
                continue
            break
        if ctx.is_time(tok) or ctx.has("that", tok) or k > a and (_recipient(ctx, toks, a, k) or _citing(ctx, toks, k)):
            break
        if ctx.has("stop", tok) and not _joins_titles(ctx, toks, k, a) and not _joins_names(ctx, toks, k):
            break
        if ctx.has("preposition", tok) and not ctx.has("of", tok):
            # "das Ministerium in Moskau": a place keeps the speaker going.
            if k > a and k + 1 < len(toks) and ctx.actors.match("place", toks, k + 1)[0] and toks[k + 1].text[:1].isupper():
                k += 2
                words += 1
                continue
            break
        words += 1
        if words > MAX_SPEAKER_WORDS:
            return None
        k += 1
    if k == a:
        return None
    span = _trim_speaker(ctx, toks, a, k - 1)
    if span is not None and ctx.language == "de":
        span = _noun_end(ctx, toks, *span)
    if span is None or not _valid_speaker(ctx, toks, *span):
        return None
    return span, None


def _web_dot(toks: list[Token], k: int) -> bool:
    """Whether toks[k] is the dot inside a web address ("billiger-mietwagen.de", "Lenta.ru"):
    no space on either side, a short lower-case domain after it."""
    if toks[k].text != "." or k < 1 or k + 1 >= len(toks):
        return False
    name, domain = toks[k - 1], toks[k + 1]
    return name.is_word and name.end == toks[k].start and domain.start == toks[k].end \
        and domain.text in WEB_DOMAINS


def _noun_end(ctx: _Context, toks: list[Token], a: int, b: int) -> tuple[int, int]:
    """A German speaker ends at a noun: adjectives come before it, so lower-case words after
    the last noun are an adverb of the clause ("betonte der Trainer klar: ...")."""
    end = b
    while end > a and toks[end].is_word and not _noun(toks[end]) and not ctx.has("pronoun", toks[end]):
        end -= 1
    return (a, end) if _noun(toks[end]) or ctx.has("pronoun", toks[end]) else (a, b)


def _joins_titles(ctx: _Context, toks: list[Token], k: int, a: int) -> bool:
    """"Vizekanzler und Sportminister Werner Kogler": in German, "und" between two nouns of
    one speaker, the second followed by a name, joins two titles of one person."""
    if ctx.language != "de" or toks[k].lower != "und" or k == a or k + 2 >= len(toks):
        return False
    return all(toks[j].is_word and _noun(toks[j]) and not ctx.cues.match("verb", toks, j)[0] for j in (k - 1, k + 1, k + 2))


def _joins_names(ctx: _Context, toks: list[Token], k: int) -> bool:
    """"el líder socialista de Castilla y León", "le président de Rhénanie et Palatinat": an
    "and" between two capitalised words after "of" joins the two parts of one name, which
    the speaker keeps."""
    if toks[k].lower not in AND_WORDS or k < 2 or k + 1 >= len(toks) or not ctx.has("of", toks[k - 2]):
        return False
    return all(toks[j].is_word and toks[j].text[:1].isupper() for j in (k - 1, k + 1))


def _recipient(ctx: _Context, toks: list[Token], a: int, k: int) -> bool:
    """Whether toks[k] opens the recipient after a speaker that follows its cue (kind
    `recipient`: "sagte Kogler der Kronen Zeitung", "sagte der Sprecher den Journalisten"): a
    dative article; one that is also genitive ("der") only after a speaker that opens without
    an article ("der Sprecher der Polizei" is one speaker)."""
    entry = ctx.cues.entry("recipient", toks[k].text)
    if entry is None:
        return False
    return "genitive" not in entry.value or not ctx.has("article", toks[a])


def _name_quote(toks: list[Token], k: int, a: int) -> bool:
    """A quote mark around a name inside a speaker ("агентство «Интерфакс»")."""
    return k > a or (k + 2 < len(toks) and toks[k + 1].text[:1].isupper())


def _speaker_backward(ctx: _Context, toks: list[Token], end: int, most: int = MAX_SPEAKER_WORDS,
                      join_names: bool = True) -> tuple[int, int] | None:
    """The speaker before a cue, back to the start of its clause: adverbs and time words next
    to the cue are left out; "В Кремле заявили" leaves out its "в"; a clause that starts with
    another phrase ("На фоне этого Песков заявил") keeps the part that names someone."""
    k = end
    while k >= 0 and (ctx.is_time(toks[k]) or ctx.has("adverb", toks[k]) or _time_bracket(ctx, toks, k)):
        opening = _opening_bracket(toks, k, marks=".") if toks[k].text == ")" else None
        k = (opening if opening is not None else k) - 1
    last = k
    words = 0
    while k >= 0:
        tok = toks[k]
        if not tok.is_word:
            if tok.text == "." and k > 0 and len(toks[k - 1].text) == 1 and toks[k - 1].text.isupper():
                k -= 1
                continue
            if tok.text in "«»„“”\"" and (k < last or tok.text in "»“”\""):
                k -= 1
                continue
            opening = _opening_bracket(toks, k)
            if opening is not None:
                k = opening - 1  # "la Asamblea Nacional Constituyente (ANC) de Venezuela"
                continue
            break
        if ctx.is_time(tok) or ctx.has("stop", tok) and not (join_names and _joins_names(ctx, toks, k)) \
                or ctx.has("that", tok):
            break
        if (ctx.cues.match("verb", toks, k)[0] and not (k > 0 and ctx.has("article", toks[k - 1]))) \
                or ctx.cues.match("according", toks, k)[0]:
            break  # a cue word after an article is a noun: "El comunicado agregó"
        words += 1
        if words > most + 2:
            # A name joined by "y" may make the speaker too long: its last part, as before.
            return _speaker_backward(ctx, toks, end, most, join_names=False) if join_names else None
        k -= 1
    a: int | None = k + 1
    if a is None or a > last:
        return None
    a = _clause_speaker(ctx, toks, a, last)
    if a is None:
        return None
    a = _sentence_opening(ctx, toks, a, last)
    span = _trim_speaker(ctx, toks, a, last)
    if span is None or not _valid_speaker(ctx, toks, *span):
        return None
    if sum(t.is_word for t in toks[span[0]:span[1] + 1]) > most:
        return _speaker_backward(ctx, toks, end, most, join_names=False) if join_names else None
    return span


def _sentence_opening(ctx: _Context, toks: list[Token], a: int, last: int) -> int:
    """Where a sentence that runs on from a headline without a stop starts among the words
    a..last before a cue: at its last capitalised article ("Allongement de la vie active Le SPD
    qualifie", "Marchanzeiger Eine Gruppe ... hat"), which opens a sentence and nothing else."""
    for k in range(last, a, -1):
        # After "of", a capitalised article opens a name inside the speaker ("Le leader de La
        # France insoumise", "el director de El País").
        if toks[k].text[:1].isupper() and ctx.has("article", toks[k]) and toks[k - 1].is_word and not ctx.has("of", toks[k - 1]):
            return k
    return a


def _opening_bracket(toks: list[Token], k: int, marks: str = "") -> int | None:
    """The "(" of a short bracket that closes at toks[k] (an abbreviation: "(ANC)", "(FT)"),
    with `marks` allowed inside it ("(2. Januar)")."""
    if toks[k].text != ")":
        return None
    for j in range(k - 1, max(-1, k - 5), -1):
        if toks[j].text == "(":
            return j if j > 0 else None
        if not toks[j].is_word and toks[j].text not in marks:
            return None
    return None


def _time_bracket(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether toks[k] closes a bracket of a date after a time ("am Donnerstag (2. Januar)")."""
    opening = _opening_bracket(toks, k, marks=".")
    return opening is not None and opening > 0 and ctx.is_time(toks[opening - 1]) \
        and any(t.text.isdigit() for t in toks[opening + 1:k])


def _after_setting(ctx: _Context, toks: list[Token], k: int) -> int:
    """Past the time words and a short phrase of place after a parenthetical's speaker ("comme
    l'a annoncé la compagnie jeudi à Luton près de Londres."), where it ends at a comma or the
    sentence's end; else k."""
    j = k
    while j < len(toks) and ctx.is_time(toks[j]):
        j += 1
    if j < len(toks) and ctx.has("preposition", toks[j]):
        m = j
        while m < len(toks) and (toks[m].is_word and not ctx.has("stop", toks[m]) and not ctx.has("that", toks[m])):
            m += 1
        if m - j <= MAX_SETTING_WORDS and (m >= len(toks) or toks[m].text in ",.;!?"):
            return m
    return j if j > k and (j >= len(toks) or toks[j].text in ",.;!?") else k


def _closing_bracket(toks: list[Token], k: int) -> int | None:
    """The ")" of a short bracket that opens at toks[k] ("(FT)", "(CDU)")."""
    if toks[k].text != "(":
        return None
    for j in range(k + 1, min(len(toks), k + 5)):
        if toks[j].text == ")":
            return j if j > k + 1 else None
        if not toks[j].is_word:
            return None
    return None


def _clause_speaker(ctx: _Context, toks: list[Token], a: int, last: int) -> int | None:
    """Where the speaker starts in the words a..last before a cue: after a leading "в"/"у"
    ("В Кремле заявили"); after a leading prepositional phrase, at its first word that names
    an actor, else at its first capitalised word ("На фоне этого Песков заявил")."""
    preps = [k for k in range(a, last + 1) if ctx.has("preposition", toks[k]) and not ctx.has("of", toks[k])]
    if not preps:
        return a
    if preps == [a] and ctx.has("speaker_prep", toks[a]) and a + 1 <= last:
        return a + 1
    # The phrase a preposition opens runs into the speaker's words: find where a name starts.
    if preps[0] != a:
        return a  # "войска в Курской области": a modifier inside the speaker
    for k in range(a + 1, last + 1):
        if ctx.is_actor(toks, k) or ctx.has("pronoun", toks[k]):
            return k
    for k in range(a + 2, last + 1):
        if toks[k].text[:1].isupper():
            return k
    return None


def _trim_speaker(ctx: _Context, toks: list[Token], a: int, b: int) -> tuple[int, int] | None:
    """Without the articles, prepositions, quote marks and adverbs left at its ends, and without
    the object before a name that a reflexive possessive opens."""
    reflexive = [m for m in range(a, b + 1) if ctx.has("reflexive", toks[m])]
    if reflexive:
        # "свою радость по поводу этой вехи Миналинтач написала": a reflexive possessive refers
        # to the subject, so it and the words after it are the object, up to the closing name.
        a = b
        while a > reflexive[-1] + 1 and toks[a - 1].is_word and toks[a - 1].text[:1].isupper():
            a -= 1
        if a <= reflexive[-1] or not toks[a].text[:1].isupper():
            return None
    while a <= b and (not toks[a].is_word and toks[a].text not in "«„\"" or ctx.has("speaker_prep", toks[a]) and a < b
                      and toks[a + 1].text[:1].isupper()):
        a += 1
    while b >= a and not (b - 1 > a and _web_dot(toks, b - 1)) \
            and (not toks[b].is_word and toks[b].text not in "»“”\"" and _opening_bracket(toks, b) is None or ctx.has("of", toks[b])
                      or ctx.has("article", toks[b]) or ctx.has("preposition", toks[b]) or ctx.has("perfect_aux", toks[b])
                      # "D'après le JDD toutefois, ...": an adverb after the name is the sentence's.
                      or b > a and toks[b].text[:1].islower() and ctx.has("adverb", toks[b])):
        b -= 1
    return (a, b) if a <= b else None


def _valid_speaker(ctx: _Context, toks: list[Token], a: int, b: int) -> bool:
    """A speaker is a noun phrase: not a lone pronoun of no one ("это", "es", "on"), not a
    function word, and in German it has a noun (a capitalised word)."""
    words = [t for t in toks[a:b + 1] if t.is_word]
    if not words:
        return False
    if len(words) == 1 and (ctx.has("not_speaker", words[0]) and not ctx.has("pronoun", words[0])):
        return False
    if any(ctx.has("that", t) for t in words):
        return False
    if ctx.has("anaphor", words[0]) and ctx.has("not_speaker", words[0]) \
            and not (ctx.has("pronoun", words[0]) or ctx.has("article", words[0])):
        return False  # "назвал это «большим грехом»": "это" opens the cue's object, never its speaker
    content = [t for t in words if not (ctx.has("article", t) or ctx.has("of", t) or ctx.has("preposition", t))]
    if not content or all(ctx.has("not_speaker", t) for t in content):
        return False
    if ctx.language == "de":
        # A pronoun is a speaker on its own ("sagte er"), not at the end of other words
        # ("so schwerwiegend sie auch ist").
        return any(_noun(t) for t in content) or len(content) == 1 and ctx.has("pronoun", content[0])
    return not all(t.text.isdigit() for t in content)


def _noun(tok: Token) -> bool:
    """A German noun: its first letter is a capital ("Sprecher", "37-Jährige")."""
    letter = next((ch for ch in tok.text if ch.isalpha()), "")
    return letter.isupper()


# ------------------------------------------------------------------ what is said


def _content_after(ctx: _Context, sent: _Sentence, last: int) -> tuple[list[Span], bool] | None:
    """What is said after a cue (and its speaker): a "that" clause, a colon, a quotation,
    "о/об/про ..." (ru, uk, pl), or in German a clause after a comma; with whether a "that"
    word distances the reporter ("якобы")."""
    toks = sent.toks
    k = last + 1
    gap = 0
    while k < len(toks):
        tok = toks[k]
        n, entry = ctx.cues.match("that", toks, k)
        if n and _relative_head(ctx, toks, k):
            return None  # "a demandé aux clients de payer ce qu'ils pensaient": "what", not "that"
        if n:
            span = _trimmed(ctx.text, toks[k + n - 1].end, _content_end(ctx, sent, toks[k + n - 1].end))
            return ([span], "hedging" in entry.value) if span and _words(ctx.text, span) >= MIN_CONTENT_WORDS else None
        if tok.text == ":" or tok.text in OPEN_QUOTES:
            start = tok.end if tok.text == ":" else tok.start
            span = _quote_or_rest(ctx, sent, start)
            return ([span], False) if span else None
        if ctx.has("to", tok) and k + 1 < len(toks) and ctx.has("infinitive", toks[k + 1]):
            # "ha detto di aver localizzato ...": what is said is the infinitive clause.
            span = _trimmed(ctx.text, toks[k + 1].start, _content_end(ctx, sent, tok.end))
            return ([span], False) if span and _words(ctx.text, span) >= MIN_CONTENT_WORDS else None
        if ctx.cues.match("about", toks, k)[0] and gap == 0:
            span = _trimmed(ctx.text, tok.start, _content_end(ctx, sent, tok.start))
            return ([span], False) if span and _words(ctx.text, span) >= MIN_CONTENT_WORDS else None
        if tok.text == ",":
            recipient = gap <= MAX_PP_GAP_WORDS and ctx.has("preposition", toks[last + 1])  # "sagte im Radio, er sei ..."
            opens = k + 1 < len(toks) and toks[k + 1].is_word and (not ctx.has("stop", toks[k + 1]) or ctx.has("not_speaker", toks[k + 1]))
            if ctx.language == "de" and opens and (gap == 0 or recipient):  # "Maas betonte, es sei nötig"
                span = _trimmed(ctx.text, tok.end, _content_end(ctx, sent, tok.end))
                return ([span], False) if span and _words(ctx.text, span) >= 3 else None
            if gap > 0 and not (k + 1 < len(toks) and ctx.cues.match("that", toks, k + 1)[0]):
                return None  # "la pensano allo stesso modo, il loro ... che": the phrase ended
            k += 1
            continue
        if not tok.is_word:
            return None
        if ctx.is_time(tok) or ctx.has("adverb", tok) or gap == 0 and ctx.has("dative", tok):
            k += 1  # "рассказал ей об инциденте": a pronoun the cue was said to is no gap
            continue
        gap += 1
        # "ha detto ai giornalisti alla Casa Bianca che": a gap that opens with a preposition
        # (a recipient, a place) may run longer.
        opener = next((t for t in toks[last + 1:k + 1] if t.is_word), tok)
        allowed = MAX_PP_GAP_WORDS if ctx.has("preposition", opener) else MAX_GAP_WORDS
        if gap > allowed or ctx.cues.match("verb", toks, k)[0]:
            return None
        k += 1
    return None


def _relative_head(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether the "that" word at toks[k] follows a pronoun that makes it a relative one ("ce
    qu'ils pensaient", "lo que pensaba", "то, что он думал"): it opens a thing, not what is said."""
    j = k - 1 if k > 0 and toks[k - 1].text != "," else k - 2
    return j >= 0 and ctx.has("relative_head", toks[j])


def _content_end(ctx: _Context, sent: _Sentence, start: int) -> int:
    """Where what is said ends: the sentence's end, or the end of a quotation it opens
    (which may run across sentences)."""
    for qs, qe in ctx.quotes:
        if start <= qs - 1 <= start + 3 and qe > sent.end:
            return qe
        if start <= qs - 1 <= start + 3 and _closed_before_clause(ctx, sent, qs, qe):
            return qe
    toks = sent.toks
    for k in range(1, len(toks)):
        if toks[k].start > start and _second_cue(ctx, toks, k) and not _inside(toks[k], ctx.quotes):
            return toks[k - 1].start if toks[k - 1].text == "," else toks[k].start
    return sent.end


def _closed_before_clause(ctx: _Context, sent: _Sentence, qs: int, qe: int) -> bool:
    """Whether a quotation that opens what is said closes inside the sentence right before a
    stop or a comma ("объяснил, что «...». указывая на то, что ...", "сказала, что «...», после
    того, как она получила ..."): the words after it are the writer's, not the speaker's. A
    quotation of a word or two is a name or a term inside the clause ("что «Нафтогаз», ...")."""
    if qe >= sent.end or _words(ctx.text, (qs, qe)) < MIN_CONTENT_WORDS + 1:
        return False
    after = ctx.text[qe + 1:sent.end].lstrip()
    return after[:1] in (".", "!", "?", ",", ";") and any(ch.isalpha() for ch in after)


def _second_cue(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether toks[k] joins a second cue with a clause of its own to the same speaker ("...,
    mais a ajouté qu'elle resterait", "..., y destacó que", "... и добавил, что"): what the
    first cue says ends before it (the second is a claim of its own)."""
    if toks[k].lower not in AND_WORDS | BUT_WORDS:
        return False
    j = k + 1
    while j < len(toks) and j - k <= 3 and (ctx.has("aux", toks[j]) or ctx.has("adverb", toks[j]) or ctx.has("clitic", toks[j])):
        j += 1
    n = ctx.cues.match("verb", toks, j)[0]
    if not n or j + n >= len(toks):
        return False
    after = toks[j + n]
    return bool(ctx.cues.match("that", toks, j + n)[0]) or after.text in ",:"


def _quote_or_rest(ctx: _Context, sent: _Sentence, start: int) -> Span | None:
    """A quotation that opens at `start` (to its end), else the rest of the sentence."""
    text = ctx.text
    k = start
    while k < len(text) and text[k].isspace():
        k += 1
    for qs, qe in ctx.quotes:
        if qs - 1 == k:
            return _trimmed(text, qs, qe)
    return _trimmed(text, start, sent.end)


def _outside(ctx: _Context, sent: _Sentence, a: int, b: int) -> list[Span]:
    """What a sentence says outside the attribution toks[a:b] ("как заявили в X", "selon X"):
    the words before it and the words after it, each at least MIN_CONTENT_WORDS words."""
    toks = sent.toks
    spans = []
    # Set off by commas inside what is said ("Войска, по словам Пескова, продвинулись ..."), the
    # words before are its subject, however short.
    set_off = a > 1 and toks[a - 1].text == "," and b < len(toks) and toks[b].text == "," \
        and not any(ctx.has("stop", t) or ctx.has("adverb", t) for t in toks[:a - 1])
    if a > 0:
        before = _trimmed(ctx.text, sent.start, toks[a - 1].end)
        if before and (_words(ctx.text, before) >= MIN_CONTENT_WORDS or set_off):
            spans.append(_after_dash(ctx.text, before))
    if b < len(toks):
        after = _trimmed(ctx.text, toks[b].start, sent.end)
        if after and _words(ctx.text, after) >= MIN_CONTENT_WORDS:
            spans.append(after)
    return [s for s in spans if s]


def _after_dash(text: str, span: Span | None) -> Span | None:
    """Without the dash that opens direct speech ("— Мы готовы")."""
    if span is None:
        return None
    return _trimmed(text, span[0], span[1])


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return (start, end) if end > start else None


def _words(text: str, span: Span) -> int:
    return len(text[span[0]:span[1]].split())


# ------------------------------------------------------------------ helpers


def _clause_start(ctx: _Context, toks: list[Token], k: int, allow_words: bool = False, allow_time: bool = True) -> bool:
    """Whether toks[k] opens a clause: the sentence's start, after a comma, dash, colon,
    bracket or quote, or after a conjunction; with `allow_words`, after a fronted time or
    adverb too ("Am Freitag teilte ..."), or any one word (German verb second)."""
    j = k - 1
    while j >= 0 and ((allow_time and ctx.is_time(toks[j])) or ctx.has("adverb", toks[j])):
        j -= 1
    if j < 0:
        return True
    tok = toks[j]
    if not tok.is_word:
        return tok.text in CLAUSE_MARKS or tok.text in OPEN_QUOTES or tok.text in "»“”"
    if ctx.has("stop", tok):
        return True
    return allow_words and j < k - 1


def _ends_clause(ctx: _Context, toks: list[Token], k: int, recipient: bool = False) -> bool:
    """Whether the clause ends at toks[k] (after time words and adverbs): the sentence's end or
    a comma; with `recipient`, a prepositional phrase may follow ("dijo a la prensa")."""
    while k < len(toks) and (ctx.is_time(toks[k]) or ctx.has("adverb", toks[k])):
        k += 1
    if k >= len(toks):
        return True
    tok = toks[k]
    if not tok.is_word:
        return tok.text in ",.;!?)—–"
    return recipient and ctx.has("preposition", tok) and not ctx.has("that", tok)


def _between_commas(ctx: _Context, toks: list[Token], last: int) -> bool:
    """Whether a cue after a comma is closed by another comma within a speaker's length, with
    neither "that" nor a quotation after it ("..., dodał, że" is no parenthesis)."""
    for k in range(last + 1, min(len(toks), last + MAX_SPEAKER_WORDS + 2)):
        tok = toks[k]
        if tok.text == ",":
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            return nxt is not None and nxt.is_word and not ctx.has("that", nxt)
        if not tok.is_word and tok.text not in ".":
            return False
        if ctx.has("that", tok) or ctx.has("stop", tok) or ctx.cues.match("verb", toks, k)[0]:
            return False
    return False


def _said_next(ctx: _Context, toks: list[Token], k: int) -> bool:
    """Whether what is said opens right after toks[k-1] (after adverbs, time words and
    commas): a "that" word, a colon or a quotation ("Agregó que", "Dodał, że", not "Pensa a
    Chuck Yeager che")."""
    while k < len(toks) and (toks[k].text == "," or ctx.is_time(toks[k]) or ctx.has("adverb", toks[k])):
        k += 1
    if k < len(toks) and ctx.has("preposition", toks[k]):
        # "Informó a la Dirección General de Servicios Consulares que ...": a recipient.
        j = k + 1
        while j < len(toks) and j - k <= MAX_PP_GAP_WORDS and toks[j].is_word and not ctx.cues.match("that", toks, j)[0] \
                and not ctx.cues.match("verb", toks, j)[0]:
            j += 1
        k = j if j < len(toks) and ctx.cues.match("that", toks, j)[0] else k
    return k < len(toks) and (ctx.cues.match("that", toks, k)[0] > 0 or toks[k].text == ":" or toks[k].text in OPEN_QUOTES)


def _short_tail(ctx: _Context, toks: list[Token], k: int, most: int = MAX_TAIL_WORDS) -> bool:
    """Whether the sentence ends within `most` words (time words aside) after toks[k], with no
    "that" and no cue among them: "..., dijo a la prensa." and not "..., apunta a promover ..."."""
    end = next((j for j in range(k, len(toks) - 1) if toks[j].text == "," and _gerund_at(ctx, toks, j + 1)), len(toks))
    tail = [j for j in range(k, end) if toks[j].is_word and not ctx.is_time(toks[j])]  # "..., dijo, añadiendo que"
    return len(tail) <= most and not any(ctx.has("that", toks[j]) or ctx.cues.match("verb", toks, j)[0] for j in tail)


def _gerund_at(ctx: _Context, toks: list[Token], k: int) -> bool:
    n, entry = ctx.cues.match("verb", toks, k)
    return bool(n) and "gerund" in entry.value


def _only_marks_before(toks: list[Token], k: int) -> bool:
    return all(not t.is_word for t in toks[:k])


def _inside(tok: Token, quotes: list[Span]) -> bool:
    return any(s <= tok.start and tok.end <= e for s, e in quotes)


def _made(ctx: _Context, toks: list[Token], speaker, cue: list[Span], content: list[Span], hedging: bool,
          region_start: int, region_end: int) -> _Found:
    """The claim, with the time expression of its attribution (between its speaker, its cue
    and what is said) as its `when`."""
    span, inner = speaker
    if span is not None:
        a, b = span
        source = [(toks[a].start, toks[b].end)]
        pronoun = len([t for t in toks[a:b + 1] if t.is_word]) == 1 \
            and (ctx.has("pronoun", toks[a]) or ctx.has("possessive", toks[a]))
    else:
        source, pronoun = [inner], True
    lo = min(s for s, _ in source + cue)
    hi = max(e for _, e in source + cue)
    when = next((t for t in ctx.times if lo - 2 <= t.end and t.start <= hi + 2
                 and not any(s <= t.start < e for s, e in content)), None)
    return _Found(source, cue, content, hedging, pronoun, when)


def _outermost(found: list[_Found], quotes: list[Span]) -> list[_Found]:
    """One claim per cue, and none whose cue lies inside what another claim says."""
    kept: list[_Found] = []
    for claim in found:
        cue = claim.cue[0]
        # A claim in the sentence that an anaphoric claim points back to stays: it is reported
        # as said, and the report is then attributed as a whole.
        nested = any(other is not claim and not other.anaphoric and _holds(other, cue)
                     # "X said that ..., said Y": each holds the other's cue; Y's, which holds
                     # X's words too, stays.
                     and not (_holds(claim, other.cue[0]) and _content_start(claim) < _content_start(other))
                     for other in found)
        if not nested and not any(k.cue[0] == cue for k in kept):
            kept.append(claim)
    return sorted(kept, key=lambda c: _start(c))


def _holds(claim: _Found, span: Span) -> bool:
    """Whether what `claim` says holds `span`."""
    return any(s <= span[0] and span[1] <= e for s, e in claim.content)


def _content_start(claim: _Found) -> int:
    return min(s for s, _ in claim.content)


def _start(claim: _Found) -> int:
    return min(s for s, _ in claim.speaker + claim.cue + claim.content)


def _end(claim: _Found) -> int:
    return max(e for _, e in claim.speaker + claim.cue + claim.content)


# ------------------------------------------------------------------ records


def _with_actors(item: Item, found: list[_Found], language: str, published) -> list[Claim]:
    """Claims with their actor normalised across languages; a pronoun takes the actor of the
    last named speaker before it."""
    text = item.text
    hedge_words = table(f"cues_{language}.tsv")
    out, last_actor = [], ""
    for f in found:
        speaker = text[f.speaker[0][0]:f.speaker[-1][1]]
        if f.pronoun:
            actor = last_actor
        else:
            actor = normalise_foreign(speaker, language)
            last_actor = actor or last_actor
        spans = f.speaker + f.cue + f.content
        hedges = _hedges(text, f, hedge_words, language)
        out.append(Claim(
            speaker=speaker, actor=actor, cue=" ".join(text[s:e] for s, e in f.cue),
            content=" ".join(text[s:e] for s, e in f.content), item=item.n,
            start=min(s for s, _ in spans), end=max(e for _, e in spans),
            source_span=list(f.speaker), cue_span=list(f.cue), content_span=list(f.content),
            hedges=hedges, when=text[f.when.start:f.when.end] if f.when else None,
            date=f.when.date if f.when else None, role=_role(speaker, language)))
    return out


def _hedges(text: str, claim: _Found, words: Table, language: str) -> list[str]:
    """Hedge words in the claim's sentence region, and a hedging cue."""
    lo, hi = _start(claim), _end(claim)
    toks = tokens(text, lo, hi, language)
    found = []
    for k in range(len(toks)):
        n, _entry = words.match("hedge", toks, k)
        if n:
            found.append(text[toks[k].start:toks[k + n - 1].end])
    if claim.hedging:
        found.append(" ".join(text[s:e] for s, e in claim.cue))
    return found


def _role(speaker: str, language: str) -> str | None:
    """The title words before a known person's name ("Президент Украины" of "Президент
    Украины Владимир Зеленский"), or None."""
    toks = [t for t in tokens(speaker, language=language) if t.is_word]
    words = actor_table(language)
    for k in range(len(toks)):
        if words.match("person", toks, k)[0]:
            # The name starts at the capitalised words just before the surname.
            start = k
            while start > 0 and toks[start - 1].text[:1].isupper() and not any(
                    words.match(kind, toks, start - 1)[0] for kind in ("role", "place", "org", "ministry", "spokes")):
                start -= 1
            return speaker[:toks[start].start].strip(" ,") or None
    return None


def _with_figures(claim: Claim, figures: list[Quantity], published: str | None) -> Claim:
    """The figures inside what the claim says: stated by its speaker, as of its date."""
    inside = [replace(q, speaker=claim.speaker, actor=claim.actor, as_of=claim.date or published)
              for q in figures if any(s <= q.start and q.end <= e for s, e in claim.content_span)]
    return replace(claim, quantities=inside) if inside else claim
