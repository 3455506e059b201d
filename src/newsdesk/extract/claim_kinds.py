"""What an attribution is: speech, a stance, another view, or no claim at all.

A ledger of who said what is only as good as its least credible entry. The parse and the tagger
find every construction shaped like an attribution ("Ukraine launched an offensive, hoping to
...", "the judge ordered it to pay", "Stocks seeing modest weakness"); this module keeps the
ones in which a source puts content forward, and says how:

- speech: the source communicated it (said, told, wrote, announced, according to, a quotation
  or a "Name: ..." headline);
- stance: the source took a position (warned, denied, urged, accused, insisted, praised, called
  for ...);
- other: the source holds a view or reports a finding (believes, expects, fears that; a poll,
  study or data show, find).

Everything else is an act, a plan or a wish described by the writer, and is no claim: its cue
word is in none of the lists, or the construction around it says so (a passive "was urged to",
a negation "did not respond", a modal "could support", an infinitive "to reveal", a participle
that only glosses an act "launched an offensive, hoping to", a view without a clause "worry
about a hard landing"). The lists are general English (the reporting verbs of style guides and
of PolNeAR's annotation), never particular sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache

SPEECH = frozenset({
    "say", "tell", "add", "write", "state", "announce", "report", "explain", "note", "comment",
    "remark", "reply", "respond", "answer", "declare", "tweet", "retweet", "post", "ask", "mention",
    "quote", "testify", "recall", "recount", "describe", "reveal", "disclose", "inform", "email",
    "shout", "yell", "chant", "speak", "talk", "continue", "tout", "brief", "relate", "publish",
    "detail", "outline", "list", "cite", "elaborate", "clarify", "reiterate", "repeat", "joke", "invoke",
    "quip", "muse", "recite", "exclaim", "whisper", "sing", "proclaim", "observe", "discuss",
    "debate", "point", "reference", "refer", "read", "lay", "weigh", "allude", "address",
    "interject", "pitch", "message", "text", "narrate",
})
STANCE = frozenset({
    "warn", "deny", "urge", "accuse", "insist", "claim", "argue", "allege", "assert", "contend",
    "maintain", "confirm", "admit", "acknowledge", "concede", "promise", "vow", "pledge",
    "threaten", "criticize", "criticise", "praise", "endorse", "call", "demand", "reject",
    "dismiss", "blame", "predict", "forecast", "caution", "condemn", "denounce",
    "welcome", "hail", "applaud", "lambast", "mock", "question",
    "dispute", "complain", "stress", "emphasize", "emphasise", "underscore", "suggest",
    "recommend", "propose", "plead", "counter", "rebut", "liken", "boast", "brag", "signal",
    "hint", "assure", "congratulate", "thank", "apologize", "apologise", "oppose", "support",
    "back", "echo", "decry", "lament", "label", "characterize", "characterise", "dub",
    "portray", "request", "implore", "advocate", "challenge", "charge", "protest", "offer",
    "vouch", "rebuke", "deride", "disavow", "repudiate", "chide", "assail", "credit",
    "acclaim", "commend", "salute", "pressure", "press", "lobby", "encourage", "invite", "beg",
    "appeal", "petition", "object", "concur", "disagree", "agree", "refute", "contest",
    "downplay", "highlight", "link", "paint", "rail", "bemoan", "chastise", "rip", "bristle",
    "lash", "attack", "blast", "slam", "hit", "defend", "target", "bash", "knock", "scold",
    "berate", "needle", "fault", "tout", "reaffirm", "remind", "cheer", "celebrate",
    "promote", "champion", "cast", "compare", "contrast", "shoot", "fire",
})
VIEW = frozenset({
    "believe", "think", "feel", "expect", "fear", "hope", "know", "doubt", "estimate", "find",
    "show", "indicate", "conclude", "consider", "view", "worry", "suspect", "see", "project",
    "anticipate", "imply", "calculate", "guess", "speculate", "reckon", "assume", "understand",
    "recognize", "recognise", "wonder", "determine", "judge", "deem", "regard", "suppose",
    "presume", "sense", "learn", "remember", "demonstrate", "prove", "document", "illustrate",
    # adjectives of a held view: "was sure Trump would win", "is confident that"
    "sure", "confident", "certain", "convinced", "aware", "optimistic", "pessimistic",
    "skeptical", "sceptical", "hopeful", "adamant", "worried", "concerned", "afraid", "unsure",
    "doubtful", "fearful",
})
VERBS = SPEECH | STANCE | VIEW
# Nouns that are someone's statement when they are that someone's ("Trump's claim that ...",
# "the ministry issued a statement saying ...", "experts raised concerns about ...").
SPEECH_NOUNS = frozenset({
    "statement", "interview", "remark", "comment", "tweet", "post", "message", "letter", "speech",
    "testimony", "announcement", "word", "email", "memo", "op-ed", "editorial", "report",
    "transcript", "quote", "explanation", "response", "reply", "answer",
})
STANCE_NOUNS = frozenset({
    "claim", "accusation", "allegation", "warning", "criticism", "condemnation",
    "promise", "pledge", "proposal", "demand", "denial", "complaint", "threat", "argument",
    "assertion", "insistence", "concern", "plea", "appeal", "endorsement",
    "objection", "praise", "rebuke", "suggestion", "recommendation", "request", "vow",
    "prediction", "forecast", "question", "challenge", "defense", "defence", "admission",
    "acknowledgement", "acknowledgment", "confirmation", "assurance", "support", "opposition",
    "misgiving", "reservation", "doubt", "frustration", "anger", "outrage", "dismay", "regret",
    "sympathy", "condolence", "gratitude", "skepticism", "scepticism", "disappointment", "alarm",
    "unease", "displeasure", "disapproval", "approval", "backing", "swipe", "jab",
    "dig", "shock", "surprise",
})
VIEW_NOUNS = frozenset({
    "view", "belief", "opinion", "assessment", "estimate", "fear", "hope", "finding", "conclusion",
    "analysis", "verdict", "position", "stance", "expectation", "judgment", "judgement",
    "understanding", "impression", "suspicion", "worry", "sense", "projection",
})
# Verbs that carry a statement noun or another cue word rather than being one ("issued a
# statement", "raised concerns", "used his speech to urge", "went on to explain").
LIGHT_VERBS = frozenset({
    "make", "issue", "release", "raise", "express", "voice", "launch", "post", "use",
    "give", "deliver", "offer", "go", "send", "publish", "level", "lodge", "renew", "take",
    "write", "sign", "put", "air", "pen", "tweet", "share", "have",
})
# Views that need a clause: "believes the plan will fail" is a view, "worry about a hard
# landing" or "hope to change that" a mood or a wish.
NEEDS_CLAUSE = frozenset({
    "believe", "think", "feel", "know", "fear", "hope", "doubt", "worry", "suspect", "assume",
    "recognize", "recognise", "understand", "wonder", "learn", "remember", "sense", "reckon",
    "suppose", "presume", "guess", "speculate", "imagine", "conclude", "determine", "find",
    "show", "indicate", "prove", "demonstrate", "imply", "see", "add", "continue", "post",
    "agree", "disagree", "concur", "observe", "charge", "read", "document", "illustrate", "say",
    "anticipate",
    "sure", "confident", "certain", "convinced", "aware", "optimistic", "pessimistic",
    "skeptical", "sceptical", "hopeful", "adamant", "worried", "concerned", "afraid", "unsure",
    "doubtful", "fearful",
})
# Verbs that are also acts of force or sport: a stance only when aimed at someone or for
# something said ("attacked her opponent as a fraud", "blasted the media for ..."), never at a
# place or a unit ("attacked the village", "defended their positions").
FORCE_VERBS = frozenset({"attack", "blast", "slam", "hit", "defend", "target", "bash", "knock", "rip", "lash"})
PLACE_NOUNS = frozenset({
    "city", "town", "village", "position", "positions", "territory", "line", "lines", "front",
    "region", "area", "border", "base", "bridge", "airport", "port", "building", "plant", "site",
    "troops", "forces", "army", "unit", "units", "convoy", "ship", "vessel", "tank", "tanks",
    "target", "targets", "infrastructure", "grid", "facility", "facilities", "home", "homes",
    "ball", "net", "wall", "road", "record", "high", "low", "lead", "title", "crown",
})
# What "called" is an act on: "called the police", "called an election", "called a halt".
CALLED_ACTS = frozenset({
    "police", "ambulance", "election", "elections", "vote", "meeting", "session", "strike",
    "halt", "time", "timeout", "number", "phone", "home", "doctor", "game", "match", "shot",
})
# Verbs of addressing: with no clause or object they tell to whom or how something was said
# ("was speaking to the Virginia delegation", "responded with logic", "tweeted at the wrong
# account"), not what.
ADDRESSING_VERBS = frozenset({"speak", "talk", "respond", "reply", "tweet", "write", "turn", "reach", "appeal"})
# ... unless a preposition names what about: "spoke of his flights", "talked about bringing
# communities together" (left to the rules of topics).
TOPIC_PREPS = frozenset({"about", "of", "on", "against"})
# What an empty content is made of: "a memo outlining the details", "discussed the issue".
EMPTY_NOUNS = frozenset({
    "detail", "details", "plan", "plans", "issue", "issues", "matter", "matters", "situation",
    "case", "thing", "things", "topic", "subject", "idea", "ideas", "measure", "measures", "step",
    "steps", "change", "changes", "term", "terms", "content", "contents", "option", "options",
    "it", "this", "that", "them", "him", "her", "these", "those", "something", "anything",
})
# ... unless their subject is evidence, which finds and shows things ("the study found a link").
EVIDENCE_NOUNS = frozenset({
    "study", "poll", "survey", "report", "data", "research", "analysis", "test", "figure",
    "statistic", "document", "record", "result", "review", "investigation", "audit", "census",
    "count", "estimate", "filing", "paper", "evidence", "probe", "inquiry", "experiment",
    "model", "projection", "index", "numbers", "testing", "average", "averages", "polling",
    "tally", "rating", "ratings", "forecast", "tracker", "chart", "map", "image", "photo",
    "photograph", "video", "footage", "recording", "tape", "email", "memo", "letter", "file",
    "files", "dna", "scan", "autopsy", "sample", "trial", "satellite", "imagery",
})
# Verbs by which a thing, not only a person, can "say" something: evidence shows, a move
# signals. As a participle hanging on an act ("is gauging buyer interest, signalling that it is
# prepared to exit") they are the writer's reading of the act, as "hoping to" is.
EVIDENTIAL = frozenset({
    "show", "signal", "indicate", "suggest", "demonstrate", "prove", "illustrate",
    "underline", "underscore", "highlight", "reflect", "mark", "see",
})
# Events and changes: what happens is reported, it puts nothing forward ("China Export Decline
# Shows Growth-Goal Challenge", "Mt.Gox Hack Reveals Bitcoin Balances", "the rally signals").
EVENT_NOUNS = frozenset({
    "decline", "rise", "fall", "drop", "increase", "decrease", "gain", "loss", "growth", "slump",
    "surge", "jump", "rally", "selloff", "sell-off", "crash", "plunge", "dip", "spike",
    "hack", "attack", "breach", "leak", "outage", "strike", "war", "crisis", "move", "shift",
    "day", "week", "weekend", "month", "year", "night", "morning", "evening", "season",
    "merger", "deal", "takeover", "bankruptcy", "collapse", "victory", "defeat", "win",
    "election", "vote", "result", "results", "performance", "turnout", "trend", "slowdown",
    "recovery", "downturn", "boom", "bust",
})
# Verbs of going over a topic: with a noun phrase after them ("also discussed what he used to
# call his persona", "debated the salience of ethnic ties") they name what was talked about, not
# what was said. ("laid out her proposals", "detailed foundation spending" report them.)
TOPIC_VERBS = frozenset({"discuss", "debate", "explore", "examine"})
# Pictures: what one shows without a clause is what it depicts ("File photo shows Izzat Ibrahim at
# the summit", "a video showing a suicide attack"), not a finding; "photographs show he
# attended" states one.
PICTURE_NOUNS = frozenset({"photo", "photograph", "picture", "image", "video", "footage", "clip", "still",
                           "screenshot", "snapshot"})
# Verbs of deliberating: with an object and no clause they tell what is being weighed ("are
# considering a $250,000 bounty"), not a view; "considers it a mistake" and "sees X as Y" are
# judged by the rule of views (which wants "as" or a clause).
DELIBERATING = frozenset({"consider", "mull", "ponder", "contemplate"})
# Objects that make a stance verb an act of sport or business: "claimed his maiden victory",
# "defended his title", "posted a 47 percent drop in earnings", "reported a loss".
NOT_STATEMENTS = frozenset({
    "victory", "win", "title", "crown", "prize", "medal", "gold", "silver", "bronze", "trophy",
    "championship", "cup", "seat", "life", "lives", "record", "lead", "place", "spot", "point",
    "result", "results", "loss", "losses", "profit", "profits", "earnings", "revenue", "sales",
    "drop", "rise", "increase", "decrease", "decline", "gain", "gains", "growth", "income",
    "deficit", "surplus", "quarter", "dividend", "goal", "goals", "run", "runs", "yard", "yards",
    "shot", "shots", "rebound", "rebounds", "assist", "assists", "wicket", "wickets",
})
# Bodies whose "rejected", "backed" or "approved" is a vote or a ruling, not a stance.
DECIDING_BODIES = frozenset({
    "voter", "voters", "electorate", "senate", "house", "parliament", "congress", "legislature",
    "assembly", "court", "judge", "jury", "panel", "committee", "council", "board", "lawmaker",
    "lawmakers", "legislator", "legislators", "shareholder", "shareholders", "regulator",
    "regulators", "tribunal", "commission",
})
# Cues that take what they report after them only: "X, Y said" reports, "X, Y posted" does not.
NOT_INVERTED = frozenset({
    "post", "cite", "quote", "list", "detail", "outline", "publish", "discuss", "debate",
    "describe", "mention", "tout", "highlight", "support", "back", "oppose", "endorse", "praise",
    "criticize", "criticise", "attack", "blast", "slam", "defend", "invoke", "reference", "refer",
    "address", "read", "promote", "champion", "welcome", "hail", "applaud", "condemn",
    "denounce", "reject", "dismiss", "urge", "ask", "call", "demand", "offer", "thank",
    "congratulate", "blame", "accuse", "link", "paint", "label", "dub", "liken",
})
# Works whose writing is an act ("wrote a memoir", "wrote the bill"), not a statement.
WRITINGS = frozenset({
    "book", "books", "memoir", "thesis", "dissertation", "article", "articles", "column", "novel",
    "essay", "piece", "paper", "song", "songs", "script", "screenplay", "bill", "law",
    "legislation", "code", "software", "program", "blog", "biography", "autobiography", "poem",
    "play", "chapter", "foreword", "introduction", "check", "cheque", "prescription", "ticket",
})
# Who a report relies on ("citing unnamed sources", "quoting intelligence officials").
SOURCE_NOUNS = frozenset({
    "source", "sources", "official", "officials", "people", "person", "report", "reports",
    "document", "documents", "data", "study", "figure", "figures", "statistic", "statistics",
    "analyst", "analysts", "expert", "experts", "agency", "newspaper", "media", "witness",
    "witnesses", "insider", "insiders", "diplomat", "diplomats", "executive", "executives",
})
MODALS = frozenset({"can", "could", "would", "might", "may", "should", "must", "will", "shall", "'ll", "wo", "ca",
                    "'d", "’d", "’ll"})
# Verbs with a particle that still report ("pointed out", "laid out", "lashed out at").
PHRASAL = frozenset({
    ("point", "out"), ("lay", "out"), ("speak", "out"), ("speak", "up"), ("call", "out"),
    ("call", "on"), ("call", "for"), ("lash", "out"), ("weigh", "in"), ("chime", "in"),
    ("hit", "back"), ("fire", "back"), ("shoot", "back"), ("push", "back"), ("spell", "out"),
    ("find", "out"), ("set", "out"), ("sound", "off"), ("go", "on"), ("play", "down"),
    ("write", "back"), ("talk", "up"), ("talk", "down"), ("rule", "out"), ("back", "up"),
    ("open", "up"), ("hold", "out"), ("single", "out"), ("cry", "out"), ("read", "out"),
    ("put", "forward"), ("put", "out"), ("give", "out"), ("shout", "out"), ("blurt", "out"),
    ("turn", "to"), ("warn", "off"), ("tell", "off"), ("own", "up"), ("speak", "about"),
})
# Verbs under which an infinitive cue is still said ("went on to explain", "used his speech
# to urge", "took the opportunity to warn").
CARRIERS = frozenset({"go", "continue", "use", "take", "proceed", "rise", "stand", "turn", "move", "appear", "seem"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def lemma_of(token) -> str:
    """The token's lemma; for a capitalised headline verb that the parse leaves as written
    ("Praises", "Endorses"), the lexicon's form of it."""
    lemma = token.lemma_.lower()
    if lemma in VERBS or token.pos_ == "NOUN":
        return lemma
    word = token.lower_
    for cut, add in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("d", "")):
        if word.endswith(cut) and word[:-len(cut)] + add in VERBS:
            return word[:-len(cut)] + add
    return lemma


@lru_cache(maxsize=4096)
def word_kind(lemma: str, noun: bool = False) -> str | None:
    """The kind a cue word gives a claim, or None when it is no cue word."""
    if noun:
        if lemma in SPEECH_NOUNS:
            return "speech"
        if lemma in STANCE_NOUNS:
            return "stance"
        return "other" if lemma in VIEW_NOUNS else None
    if lemma in SPEECH:
        return "speech"
    if lemma in STANCE:
        return "stance"
    return "other" if lemma in VIEW else None


def kind_of(doc, source: list, cue: list, content: list, quoted: bool) -> str | None:
    """The claim's kind, or None when it is no claim. `source`, `cue` and `content` are the
    claim's tokens (the cue's in text order), `quoted` whether its content is a quotation."""
    return judge(doc, source, cue, content, quoted)[0]


def judge(doc, source: list, cue: list, content: list, quoted: bool) -> tuple[str | None, str]:
    """(kind, "") for a claim, (None, why not) for an attribution that is none: the reason names
    the rule ("negated", "passive", "no cue word: hope", ...), for benchmarks and debugging."""
    words = [t for t in cue if not t.is_space]
    if not words:
        return ("speech", "") if quoted else (None, "no cue")
    text = " ".join(t.lower_ for t in words)
    if text in (":", "--", "—", "―", "-"):
        if _names_a_speaker(source) and not _capitals_label(source, content) and (quoted or _has_clause(content)):
            return "speech", ""
        return None, "no speaker before the colon"
    if _only_circumstance(content, words):
        return None, "a circumstance, not a statement"  # '... chants of "Bobby!" {at a labor conference}, according to X'
    if text == "according to" or words[0].lower_ == "according":
        return "speech", ""
    root = _root(words)
    word = _cue_word(words, root)
    if word is None:
        return None, "no cue word: " + root.lemma_.lower()
    token, kind = word
    if token.pos_ == "NOUN" or (token.pos_ == "PROPN" and lemma_of(token) not in VERBS):
        if token.pos_ == "PROPN":
            return None, "capitalised headline word"  # "China Signals Demand Concerns"
        if _to_the_feeling_of(doc, token):
            return None, "a feeling at what happened"  # "peddled online to the alarm of experts"
        if kind == "other" and not quoted and not _has_clause(content):
            return None, "a view without a clause"  # "its view of the world"; "her view that ..." says
        return (kind, "") if _owns(token, root, source) else (None, "statement noun not the speaker's")
    verb = token
    why = (_not_stated(verb, root, source) or _asked(verb, source) or _compared(source) or _supposed(verb, source)
           or _subject_elsewhere(verb, source) or _gapped(verb) or ("" if quoted else _no_subject(content, verb)))
    if not why and (kind == "other" or lemma_of(verb) in EVIDENTIAL) and _glossing_participle(verb):
        why = "participle glossing an act"  # "is gauging buyer interest, signalling that ..."
    if not why and _head_noun(source) in EVENT_NOUNS:
        why = "an event is no source"  # "China Export Decline Shows ...": the writer's reading
    if not why:
        why = _misfit(lemma_of(verb), verb, source, content, quoted)
    return (None, why) if why else (kind, "")


# Headline labels before a colon that name a section, not a speaker ("Press Release: ...",
# "US open: Stocks fall ...", "UPDATE: ...").
SECTION_WORDS = frozenset({
    "release", "update", "updates", "breaking", "exclusive", "watch", "video", "videos", "photo",
    "photos", "live", "analysis", "opinion", "editorial", "review", "preview", "recap", "factbox",
    "timeline", "explainer", "open", "close", "markets", "market", "stocks", "news", "brief",
    "briefing", "podcast", "quiz", "poll", "column", "letters", "obituary", "correction", "watchlist",
})
SPEAKER_NOUNS = frozenset({
    "report", "reports", "study", "poll", "survey", "official", "officials", "source", "sources",
    "police", "analyst", "analysts", "expert", "experts", "minister", "spokesman", "spokeswoman",
    "spokesperson", "president", "leader", "leaders", "ceo", "chief", "head", "judge", "court",
    "government", "ministry", "army", "military", "doctor", "doctors", "witness", "witnesses",
    "lawyer", "lawyers", "prosecutor", "prosecutors", "regulator", "regulators", "economist",
    "economists", "investor", "investors", "residents", "union", "lawmaker", "lawmakers",
})


def _names_a_speaker(source: list) -> bool:
    """A speaker before a colon: a name or a speaker noun ("Graham:", "Report:", "LME
    officials:"), not a section label, a ticker or a dateline ("Press Release:", "(Nasdaq:")."""
    words = [t for t in source if not t.is_punct]
    if not words or any(t.text in "()[]" or t.like_num for t in source):
        return False
    head = _head_noun(words)
    if head in SECTION_WORDS:
        return False
    return head in SPEAKER_NOUNS or any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in words) or (
        all(t.pos_ == "PROPN" for t in words))


def _capitals_label(source: list, content: list) -> bool:
    """A label in capitals before a colon over a text in ordinary case is a dateline or a
    section of the wire ("BAGHDAD: Members of ...", "LME ASIAN WRAP: Copper price falls"), not
    a speaker: a headline names its speaker as it writes the rest ("Trump: ..."). A single
    acronym ("NATO:", "IMF:") that is no place still speaks."""
    words = [t for t in source if t.is_alpha]
    said = [t for t in content if t.is_alpha and len(t) > 1]
    if not words or not all(t.text.isupper() and len(t) > 1 for t in words):
        return False
    if not said or sum(t.text.isupper() for t in said) * 2 > len(said):
        return False  # the whole text is in capitals: its case tells nothing
    return len(words) > 1 or _is_place(words[0]) or _is_place_name(words[0].text.title())


def _root(words):
    inside = {t.i for t in words}
    return next((t for t in words if t.head.i not in inside or t.head.i == t.i), words[0])


def _cue_word(words, root):
    """(token, kind) of the word that makes the cue a cue: its root, or for a light verb or an
    unknown root ("issued a statement", "used his speech to urge") another of its words."""
    lemma = lemma_of(root)
    noun = root.pos_ == "NOUN" or (root.pos_ == "PROPN" and lemma not in VERBS)
    if root.pos_ == "VERB" and lemma == "put" and any(c.lower_ == "it" for c in root.children):
        return root, "speech"  # "as she put it"
    if lemma == "make" and any(c.lemma_.lower() == "clear" for c in root.children):
        return root, "speech"  # "made it clear that"
    kind = word_kind(lemma, noun)
    if kind and not (lemma in LIGHT_VERBS and lemma not in SPEECH | STANCE | VIEW):
        return root, kind
    if lemma in LIGHT_VERBS or kind is None:
        for token in words:
            if token.i == root.i or token.is_punct:
                continue
            other = word_kind(lemma_of(token), token.pos_ in ("NOUN", "PROPN"))
            if other and token.pos_ in ("VERB", "NOUN", "PROPN", "ADJ"):
                return token, other
        if lemma in LIGHT_VERBS:  # "issued a statement" with the noun outside the cue
            for child in root.children:
                if child.dep_ == "dobj" and word_kind(child.lemma_.lower(), True):
                    return child, word_kind(child.lemma_.lower(), True)
    return (root, kind) if kind else None


def _owns(noun, root, source: list) -> bool:
    """A statement noun is a claim of the source that owns it: its possessor or compound
    ("Trump's claim", "the Philadelphia proposal"), the subject of the light verb that makes it
    ("experts raised concerns", "the ministry issued a statement"), or the source its clause
    hangs on ("a statement by the ministry")."""
    ids = {t.i for t in source}
    for child in noun.children:
        if child.i in ids and child.dep_ in ("poss", "compound", "nmod", "amod"):
            return True
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of") and any(g.i in ids for g in child.subtree):
            return True
    verb = noun.head
    while verb.dep_ in ("conj", "prep", "pobj") and verb.head.i != verb.i:
        verb = verb.head
    if noun.dep_ in ("dobj", "pobj", "attr", "conj") and verb.pos_ in ("VERB", "AUX") and (
            verb.lemma_.lower() in LIGHT_VERBS):
        return any(c.dep_ in ("nsubj", "nsubjpass") and c.i in ids for c in verb.children) or (
            verb.dep_ == "relcl" and verb.head.i in ids)
    return False


def _not_stated(verb, root, source: list) -> str:
    """Why the verb states nothing of its source ('' when it does): negated ("did not
    respond"), a modal or an infinitive ("could support", "ECB to reveal"), passive ("US urged
    to", "a general accused of")."""
    for v in {verb, root}:
        children = list(v.children)
        if any(c.dep_ == "neg" for c in children):
            return "negated"
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in children):
            return "modal"
        if _passive(v) and not _agent_speaks(v, source):
            return "passive"
        if v.tag_ == "VBN" and v.dep_ in ("acl", "amod", "advcl") and not _agent_speaks(v, source) and not any(
                c.dep_ == "dobj" for c in children):
            return "participle, passive"  # "a general accused of ...", not a mis-parsed "lawmakers repeated the claims"
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in children) and v.head.lemma_.lower() not in CARRIERS:
            return "infinitive"
    if verb.tag_ == "VBN" and verb.dep_ == "ROOT" and not any(c.dep_.startswith("aux") for c in verb.children):
        # A headline's bare participle with an infinitive after it is passive: "US urged to
        # export more LNG", "Americans said to be riding".
        if any(c.dep_ == "xcomp" for c in verb.children) and not any(c.dep_ == "dobj" for c in verb.children):
            return "headline passive"
    if any(c.dep_ == "csubj" for c in verb.children):
        return "clausal subject"  # "That two hosts would sign up ... says something": a fact
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    if particle and (verb.lemma_.lower(), particle) not in PHRASAL:
        return "particle"  # "showed up", "laid off", "turned down"
    if verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD") and not any(
            c.dep_ in ("nsubj", "dobj", "ccomp") for c in verb.children) and not _agent_speaks(verb, source):
        return "participle, passive"  # "the business incubator touted as ..."
    if verb.lemma_.lower() in ("urge", "ask", "call", "press", "encourage", "pressure") and not any(
            c.dep_ in ("dobj", "dative", "prep", "ccomp", "nsubj") for c in verb.children) and any(
            c.dep_ == "xcomp" for c in verb.children):
        return "urged by someone else"  # "US urged to export"
    return ""


def _asked(verb, source: list) -> str:
    """A question with the auxiliary before the speaker ("Is it suggesting the jet shot it
    down?", "So are they seriously suggesting ...?") asks whether the source says something; it
    reports no claim (the writer's question, or someone's, about it)."""
    if not source or not verb.sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
        return ""
    first = min(t.i for t in source)
    if any(c.dep_ in ("aux", "auxpass") and c.i < first for c in verb.children):
        return "a question, not a statement"
    return ""


def _to_the_feeling_of(doc, noun) -> bool:
    """'to the alarm of experts', 'to the dismay of his rivals': how someone took what happened,
    not what they put forward ("raised the alarm that ..." is)."""
    before = doc.text[max(0, noun.idx - 20):noun.idx]
    after = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
    return after is not None and after.lower_ == "of" and re.search(
        r"(?:^|[^A-Za-z])to\s+(?:the|his|her|their|its|our|my)\s+$", before, re.IGNORECASE) is not None


def _supposed(verb, source: list) -> str:
    """'Let's say you think a degree will cost $160,000': the writer's supposition, put to the
    reader; "let us say" of someone quoted is one too. Nobody states it."""
    if verb.head.lemma_.lower() == "let" and verb.dep_ in ("ccomp", "xcomp") and any(
            t.lower_ in ("'s", "’s", "us", "s") for t in source):
        return "a supposition, not a statement"
    return ""


def _compared(source: list) -> str:
    """A speaker named only to compare with ("Like an evil genius announcing his demands, EA
    has let the world know ...") says nothing: nobody announced anything."""
    ids = {t.i for t in source}
    roots = [t for t in source if t.head.i not in ids]
    if any(r.dep_ == "pobj" and r.head.lower_ in ("like", "unlike") for r in roots):
        return "a comparison, not a speaker"
    return ""


def _subject_elsewhere(verb, source: list) -> str:
    """The cue verb has a subject of its own outside the speaker: 'When {Banya} heard the voices
    of his colleagues on the radio calling for ...' (the voices call), '{The bonanza} many
    believe ...' (many believe). A relative pronoun or a personal pronoun subject is left to
    the speaker's resolution."""
    ids = {t.i for t in source}
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")]
    outside = [s for s in subjects if not any(t.i in ids for t in s.subtree)]
    names_go_on = bool(source) and source[-1].pos_ == "PROPN"  # "Captain Inzamam" of "Inzamam-ul-Haq"
    nearer = [s for s in outside if ids and max(ids) < s.i < verb.i and not (names_go_on and s.pos_ == "PROPN")]
    if outside and (len(outside) == len(subjects) or nearer):
        return "the cue's subject is not the speaker"  # none of them in it, or one nearer the verb
    return ""


# Nouns a relative clause can hang on without a pronoun and without a gap in what is said.
SETTING_NOUNS = frozenset({"time", "times", "way", "day", "moment", "year", "week", "reason", "place", "night",
                           "morning", "point"})


def _gapped(verb) -> str:
    """The cue opens a relative clause on something it says ("an affair {she} says she had with
    Trump", "raw power that experts say put the products on par"): what is said has a gap where
    that thing belongs, so the content misstates it. Not a relative whose own pronoun is the
    speaker ("officials who said") or a setting ("the meeting at which she said")."""
    if verb.dep_ != "relcl" or verb.head.lemma_.lower() in SETTING_NOUNS:
        return ""  # "the third time AROS said it had ...": when, not what
    if any(t.tag_ in ("WP", "WDT", "WRB") for t in verb.subtree if t.i < verb.i):
        return ""  # "which critics accuse of ...", "which he acknowledged has made ...": the pronoun holds the place
    return "a relative clause on what is said"


def _no_subject(content: list, verb) -> str:
    """A content clause of the cue that lost its subject ("said on Friday demarcation of the
    border {could begin immediately}": a bad parse took the subject into the time)."""
    ids = {t.i for t in content}
    heads = [t for t in content if t.head.i not in ids]
    if len(heads) != 1:
        return ""
    head = heads[0]
    if head.dep_ != "ccomp" or head.head.i != verb.i or head.pos_ not in ("VERB", "AUX"):
        return ""
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in head.children):
        return ""
    words = [t for t in content if not t.is_punct and not t.is_space]
    opens = words[0].i == head.i or (words[0].head.i == head.i and words[0].dep_ in ("aux", "auxpass", "neg"))
    finite = any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children) or head.tag_ in ("VBD", "VBZ", "VBP")
    return "a clause without its subject" if opens and finite else ""  # it starts at its predicate


def _passive(verb) -> bool:
    """A passive verb; "who's called for" has an 's that stands for "has"."""
    children = list(verb.children)
    if any(c.dep_ == "nsubjpass" for c in children):
        return True
    return any(c.dep_ == "auxpass" and c.lower_ not in ("'s", "’s") for c in children)


def _agent_speaks(verb, source: list) -> bool:
    """'was said by X': the passive's agent is the source."""
    ids = {t.i for t in source}
    return any(c.dep_ == "agent" and any(g.i in ids for g in c.subtree) for c in verb.children)


def _glossing_participle(verb) -> bool:
    """'Ukraine launched an offensive, hoping to ...': a participle without a subject of its own,
    hanging on a verb that is no cue, glosses the act; 'urged both sides to talk, saying ...'
    hangs on a cue and is said."""
    if verb.tag_ != "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return False
    if verb.dep_ not in ("advcl", "xcomp", "pcomp", "conj"):
        return False
    head = verb.head
    while head.dep_ in ("prep", "pcomp") and head.head.i != head.i:
        head = head.head
    # "released statements, suggesting ...": a light verb that makes a statement is a cue too.
    statement = head.lemma_.lower() in LIGHT_VERBS and any(
        c.dep_ == "dobj" and word_kind(c.lemma_.lower(), True) for c in head.children)
    return head.pos_ in ("VERB", "AUX") and word_kind(head.lemma_.lower()) is None and not statement


def _misfit(lemma: str, verb, source: list, content: list, quoted: bool) -> str:
    """Why what the verb says is no statement ('' when it is): a view needs a clause ('believes
    the plan will fail', not 'worry about a hard landing'), a stance no trophy or balance sheet
    ('claimed his maiden victory', 'posted a drop in earnings'), a body that decides votes."""
    if quoted:
        return ""
    subject = _head_noun(source)
    if lemma in NEEDS_CLAUSE and not _has_clause(content) and not (
            lemma == "say" and _head_noun(content) in ("yes", "no", "so")):
        evidence = subject in EVIDENCE_NOUNS or (lemma == "show" and source and source[-1].ent_type_ == "ORG")
        if not (lemma in ("find", "show", "indicate", "prove", "demonstrate", "document", "illustrate") and evidence):
            if not (lemma in ("see", "view", "consider") and any(t.lower_ == "as" for t in content)):
                return "no clause: " + lemma
    if lemma in ("show", "reveal", "depict") and subject in PICTURE_NOUNS and not _has_clause(content):
        return "what a picture shows"
    if lemma in DELIBERATING and not _has_clause(content) and not any(t.lower_ == "as" for t in content):
        return "a deliberation, not a view"
    if lemma == "see" and _perceived(verb, content):
        return "what was seen"  # "saw his side reclaim fourth spot"; "sees that rates will rise" is a view
    if lemma == "feel" and any(c.dep_ in ("acomp", "oprd", "ccomp") and c.tag_ in ("JJ", "VBN") and not any(
            g.dep_ in ("nsubj", "nsubjpass") for g in c.children) for c in verb.children):
        return "a feeling, not a view"  # "citizens feel stung after ..."; "feel that ..." is a view
    if lemma == "weigh" and not any(c.dep_ in ("prt", "prep") and c.lower_ == "in" and c.i == verb.i + 1
                                    for c in verb.children):
        return "an act of weighing"  # "leaders weigh plans"; "weighed in on" is said
    if content and content[0].i < verb.i and lemma in NOT_INVERTED:
        return "reported before its cue"  # "{Mt. Gox CEO's blog hacked}; alleged balances posted"
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    others = [c for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp", "prep", "advcl")]
    if lemma == "call" and objects and not others and objects[0].lemma_.lower() in CALLED_ACTS:
        return "an act of calling"  # "called the police" is an act; "called for", "called it a disgrace" are not
    if lemma == "call" and objects and _summoned(others):
        return "an act of calling"  # "called Democratic bigwigs to the stage"
    if lemma in ADDRESSING_VERBS and not _has_clause(content) and _opens_with_addressee(verb, content):
        return "whom it was said to, not what"  # "speaks to Denny Fenn, director of ..., about the findings"
    if lemma in ADDRESSING_VERBS and not _has_clause(content) and not any(
            c.dep_ in ("ccomp", "xcomp", "dobj", "prt") or (c.dep_ == "prep" and c.lower_ in TOPIC_PREPS)
            for c in verb.children):
        return "whom or how it was said to, not what"  # "was speaking to the delegation", "responded with logic"
    if lemma in FORCE_VERBS and not (_defends_a_position(objects) if lemma == "defend" else _aimed_at_someone(objects, others)):
        return "an act of force"
    if lemma in ("shoot", "fire") and not any(c.dep_ == "prt" and c.lower_ == "back" for c in verb.children):
        return "an act of force"  # "fired back at Christie" is said; "fired his director" is not
    if lemma == "cast" and not any(t.lower_ == "as" for t in content):
        return "an act of casting"  # "cast the Clintons as the establishment" is a stance
    if not _has_clause(content) and len([t for t in content if not t.is_punct]) <= 4 and (
            _head_noun(content) in EMPTY_NOUNS):
        return "empty content"
    if lemma in ("claim", "defend", "post", "report", "add", "record", "win", "take", "play") and (
            any(t.lemma_.lower() in NOT_STATEMENTS for t in content[:6] if t.pos_ == "NOUN")
            or (objects and objects[0].like_num) or _number_after(verb)):
        return "a win or a balance sheet"
    if lemma in TOPIC_VERBS and not any(t.lower_ == "as" for t in content) and _names_a_topic(content, lemma):
        return "a topic gone over"  # "also discussed what he used to call his persona"
    if lemma == "ask" and not _has_clause(content) and not any(
            c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "for") for c in verb.children):
        return "a topic asked about"  # "asked Clinton about her email scandal"
    if lemma == "charge" and not any(c.dep_ == "ccomp" for c in verb.children):
        return "an act of law"  # "charged an officer with murder"; "charged that ..." is said
    if lemma == "offer" and not any(c.dep_ in ("xcomp", "ccomp") for c in verb.children):
        return "an offer of goods"  # "offering fans the same features"; "offered to monitor" is said
    if lemma in ("cite", "quote") and not _has_clause(content) and _head_noun(content) in SOURCE_NOUNS:
        return "whom a report relies on"  # "reported, citing unnamed sources"
    if lemma == "write" and objects and objects[0].lemma_.lower() in WRITINGS and not _has_clause(content):
        return "an act of writing"  # "wrote a master's thesis on ..."
    if lemma == "lay" and not any(c.dep_ == "prt" for c in verb.children):
        return "an act of laying"  # "laying pipelines"; "laid out her proposals" is said
    if lemma == "threaten" and not _has_clause(content) and not any(
            c.dep_ in ("xcomp", "ccomp") for c in verb.children):
        return "a danger, not a threat"  # "reliance on Russian gas threatens Europe"
    if lemma in ("reject", "approve", "back", "support", "oppose", "endorse", "pass") and subject in DECIDING_BODIES:
        return "a vote or a ruling"
    return ""


def _opens_with_addressee(verb, content: list) -> bool:
    """The content starts with whom the verb was addressed to ("speaks to {Denny Fenn, ...,
    about ...}"): a person spoken to is never what was said."""
    words = [t for t in content if not t.is_punct and not t.is_space]
    return bool(words) and any(
        c.dep_ == "prep" and c.lower_ in ("to", "with") and words[0].i in {g.i for g in c.subtree if g.i != c.i}
        for c in verb.children)


def _perceived(verb, content: list) -> bool:
    """'saw X do Y': a past "saw" with a bare infinitive is what the source watched happen; a
    view takes a finite clause ("sees that ...", "sees X as Y"), and a headline's present "Sees
    Gazprom Charging 37% More" forecasts."""
    if verb.tag_ not in ("VBD", "VBN"):
        return False
    ids = {t.i for t in content}
    heads = [t for t in content if t.head.i not in ids]
    return any(h.head.i == verb.i and h.dep_ in ("ccomp", "xcomp") and h.tag_ == "VB" and not any(
        c.dep_ in ("mark", "aux") for c in h.children) for h in heads)


def _number_after(verb) -> bool:
    """A number right after the verb ("Jack added 13 and ...", "posted 5"): points or sums, not
    something said (which takes "that" or a clause: "added that 13 were hurt")."""
    nxt = verb.i + 1
    return nxt < len(verb.doc) and verb.doc[nxt].like_num and verb.doc[nxt].dep_ not in ("nsubj", "nsubjpass")


def _summoned(others: list) -> bool:
    """'called X to the stage / into his office': a place someone is called to, not a
    statement ("called on X to", "called X a liar" and "called X to say" are)."""
    return not any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in others) and any(
        c.dep_ == "prep" and c.lower_ in ("to", "into", "onto", "up") and any(
            g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN") for g in c.children) for c in others)


def _only_circumstance(content: list, cue: list) -> bool:
    """A content that is a prepositional phrase with no verb in it, not hanging on the cue
    ('... chants of "Bobby!" {at a labor conference in Williamsburg last month}, according to
    X'): where or when, nothing put forward. 'warned {against hackers}' and 'described {as an
    intentional act}' are the cue's own complements."""
    words = [t for t in content if not t.is_punct and not t.is_space]
    cue_ids = {t.i for t in cue}
    return bool(words) and words[0].pos_ == "ADP" and words[0].lower_ != "as" and (
        words[0].head.i not in cue_ids) and not any(t.pos_ in ("VERB", "AUX") for t in words)


def _names_a_topic(content: list, lemma: str) -> bool:
    """The content is a noun phrase (its head a noun or a free relative "what he used to call
    ..."), not a clause that states something. After "discuss" only a free relative counts:
    "went on to discuss recently released polls, including ..." goes on to report them."""
    words = [t for t in content if not t.is_punct]
    if not words or any(t.dep_ == "mark" and t.lower_ == "that" for t in words):
        return False
    ids = {t.i for t in words}
    heads = [t for t in words if t.head.i not in ids or t.head.i == t.i]
    if not heads:
        return False
    head = heads[0]
    if words[0].lower_ in ("what", "whatever") and words[0].tag_ in ("WP", "WDT"):
        return True
    return lemma != "discuss" and head.pos_ in ("NOUN", "PROPN", "PRON") and head.lower_ not in ("that",)


def _aimed_at_someone(objects: list, others: list) -> bool:
    """'attacked Machado', 'blasted the media for ...', 'hit Trump over his taxes': a person or a
    body, or a reason given; not a place, a unit or a ball."""
    if any(c.dep_ == "prep" and c.lower_ in ("for", "as", "over") for c in others) or any(
            c.dep_ in ("ccomp", "oprd") for c in others):
        return True
    if not objects:
        return False
    head = objects[0]
    if _is_place(head) or head.lemma_.lower() in PLACE_NOUNS or head.like_num:
        return False
    return head.ent_type_ in ("PERSON", "ORG", "NORP") or head.pos_ in ("PRON", "PROPN") or head.lemma_.lower() in (
        "media", "press", "critic", "critics", "opponent", "opponents", "rival", "rivals", "administration",
        "government", "policy", "policies", "plan", "proposal", "decision", "remarks", "comments", "record")


def _defends_a_position(objects: list) -> bool:
    """'defended his executive actions' is a stance; 'defended the city', 'defended his title'
    are acts of war or sport."""
    if not objects:
        return False
    head = objects[0]
    return not (_is_place(head) or head.lemma_.lower() in PLACE_NOUNS | NOT_STATEMENTS or head.like_num)


def _is_place(token) -> bool:
    """The token, with what it heads before it or alone, names a place (see _is_place_name)."""
    return _is_place_name(token.doc[token.left_edge.i:token.i + 1].text) or _is_place_name(token.text)


def _is_place_name(name: str) -> bool:
    """A place by the gazetteer of extract.entities (spaCy alone reads "Machado" as a place)."""
    from .entities import gazetteer

    return gazetteer().get(name, ("",))[0] in ("GPE", "LOC", "FAC")


def _head_noun(tokens: list) -> str:
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    return heads[0].lemma_.lower() if heads else ""


def _has_clause(content: list) -> bool:
    """The content holds a clause: a finite verb, a verb with its own subject (the tagger reads
    "The port reopened on Monday, X said" as a participle), or a 'whether'/'how' question."""
    return any(t.tag_ in FINITE_TAGS for t in content) or any(
        t.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) for t in content) or any(
        t.lower_ in ("whether", "how", "why", "what", "if") for t in content[:1])
