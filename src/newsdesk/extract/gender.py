"""Which pronoun a speaker can be referred to by: "he"/"she" for one person whose gender the
text does not contradict, never for an organisation, a place, a nationality or a plural.

Evidence of a person's gender, in order: the text itself (a title, "Mr. Obama", "Mrs. Clinton",
anywhere in the item for that surname; a word of the person's own phrase, "his wife Barbara",
"actress Emma Stone"), then the first name, where the optional name data is installed
(nomquamgender: first names with the share of women who bear them, MIT licence; `pip install
newsdesk[names]`). An unknown or unisex name contradicts neither pronoun. Only general tables here.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

MALE, FEMALE = "m", "f"

# The pronouns of one person, with the gender each stands for.
PERSONAL = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
            "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
PLURAL = {"they", "them", "their"}

TITLES = {"mr": MALE, "mister": MALE, "sir": MALE, "lord": MALE, "king": MALE, "prince": MALE,
          "mrs": FEMALE, "ms": FEMALE, "miss": FEMALE, "madam": FEMALE, "madame": FEMALE, "dame": FEMALE,
          "lady": FEMALE, "queen": FEMALE, "princess": FEMALE, "duchess": FEMALE}
# Words of a person's own phrase that tell the gender ("his wife Barbara", "the boy's mother").
ROLE_WORDS = {
    **dict.fromkeys(["wife", "mother", "daughter", "sister", "widow", "girlfriend", "grandmother", "aunt",
                     "niece", "granddaughter", "bride", "fiancee", "fiancée", "actress", "waitress",
                     "stewardess", "heiress", "spokeswoman", "chairwoman", "congresswoman",
                     "businesswoman", "councilwoman", "policewoman", "sportswoman", "woman", "girl",
                     "mom", "mum", "grandma", "stepmother", "nun", "empress", "baroness", "countess"], FEMALE),
    **dict.fromkeys(["husband", "father", "son", "brother", "widower", "boyfriend", "grandfather",
                     "uncle", "nephew", "grandson", "groom", "fiance", "spokesman", "chairman",
                     "congressman", "businessman", "councilman", "policeman", "sportsman", "man", "boy",
                     "dad", "grandpa", "stepfather", "monk", "emperor", "baron"], MALE),
}
# Nouns of one person's role or kin: "the president's", "the captain's wife" may stand between a
# named speaker and the pronoun that refers to them.
ROLE_NOUNS = frozenset({
    "president", "minister", "secretary", "chancellor", "premier", "senator", "governor", "mayor",
    "general", "colonel", "captain", "admiral", "commander", "ambassador", "envoy", "judge", "chairman",
    "chairwoman", "pope", "candidate", "nominee", "commissioner", "sheriff", "detective", "professor",
    "coach", "lawyer", "director", "spokesman", "spokeswoman", "spokesperson", "prosecutor", "pilot",
    "driver", "victim", "suspect", "witness", "doctor", "actor", "singer", "owner", "founder",
} | set(ROLE_WORDS) - {"man", "woman", "boy", "girl"})
# Heads that name a body or a group, never one person ("the Coast Guard", "police").
COLLECTIVE = frozenset({
    "police", "government", "military", "army", "navy", "guard", "company", "firm", "ministry",
    "department", "agency", "court", "committee", "council", "board", "team", "union", "group", "party",
    "administration", "commission", "bank", "office", "authorities", "service", "force", "parliament",
    "congress", "senate", "campaign", "organization", "organisation", "network", "newspaper", "paper",
    "magazine", "station", "school", "university", "hospital", "club", "study", "report", "survey", "poll",
    "data", "statement", "website", "site", "embassy", "regime", "cabinet", "family", "staff", "crew",
    "coalition", "alliance", "federation", "association", "institute", "center", "centre", "foundation",
    "corporation", "industry", "people", "public", "media", "press", "prosecution", "defense", "defence",
    "house", "county", "city", "state", "country", "nation", "white", "kremlin", "pentagon",
})
# Words of the names of companies and institutions ("Acme Holdings", "Goldman Sachs Group").
ORG_WORDS = frozenset({
    "inc", "corp", "co", "ltd", "llc", "plc", "ag", "sa", "nv", "gmbh", "group", "international", "institute",
    "foundation", "fund", "partners", "capital", "holdings", "motors", "airlines", "airways", "systems",
    "technologies", "technology", "software", "news", "times", "post", "journal", "tribune", "herald", "watch",
    "energy", "insurance", "securities", "investments", "associates", "industries", "labs", "pharmaceuticals",
    "communications", "telecom", "entertainment", "records", "studios", "sports", "united", "city", "fc",
    "national", "federal", "general", "american", "reuters", "press", "council", "society", "trust",
})
# Entity labels of what is not one person.
NOT_PERSON_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})

# A title and the one name after it: news titles a surname ("Mr. Obama", "Mrs. Clinton's").
_TITLED = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord|Madame?)\.?\s+([A-Z][\w-]+)")
# Names this common and this one-sided in the name data count as evidence (p(woman) <= 0.1 or
# >= 0.9, the data's own default threshold; at least 100 bearers counted).
MIN_COUNT, ONE_SIDED = 100, 0.1


def pronoun_gender(pronoun: str) -> str | None:
    return PERSONAL.get(pronoun.strip().lower())


def titled_surnames(text: str) -> dict[str, str]:
    """Surname -> gender of the people the item names with a title ("Mr. Obama" -> m); a
    surname seen with both ("Mr. Clinton", "Mrs. Clinton") is left out."""
    seen: dict[str, set[str]] = {}
    for match in _TITLED.finditer(text):
        gender = TITLES[match[1].lower()]
        seen.setdefault(match[2], set()).add(gender)
    return {name: genders.pop() for name, genders in seen.items() if len(genders) == 1}


def gender_of(name: str, context_words: list[str], surnames: dict[str, str]) -> str | None:
    """The gender of a person named `name` (as full as the item gives it), from the words of its
    own phrase (`context_words`: a title, "wife"), then its own title, then the item's titles for
    its surname (`surnames`, see titled_surnames), then its first name; None when nothing tells."""
    for word in context_words:
        gender = ROLE_WORDS.get(word.lower()) or (TITLES.get(word.lower().rstrip(".")) if word[:1].isupper() else None)
        if gender:
            return gender
    words = name.split()
    if words and words[0].lower().rstrip(".") in TITLES and words[0][:1].isupper():
        return TITLES[words[0].lower().rstrip(".")]
    words = [w for w in words if w.lower().rstrip(".") not in TITLES]
    if not words:
        return None
    surname = re.sub(r"['’]s?$", "", words[-1])
    # A name alone is a surname more often than not in news ("Clinton", "Allen"): only a first
    # name before a surname is looked up.
    by_title, by_name = surnames.get(surname), first_name_gender(words[0]) if len(words) > 1 else None
    if by_title and by_name and len(words) > 1 and by_title != by_name:
        return None  # "Bill Clinton" where the item says "Mrs. Clinton": two people of one surname
    return by_title or by_name


def first_name_gender(first: str) -> str | None:
    return _first_names().get(first.lower().strip(".,'’"))


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    """First name -> gender, from nomquamgender's data where it is installed (read as text: the
    package's own module pulls pandas in); {} without it."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    if not path.exists():
        return {}
    out = {}
    # Each entry: "name": [sources, count, p(woman), ...].
    for match in re.finditer(r'"([a-z]+)": \[\d+, (\d+), ([\d.]+)', path.read_text(encoding="utf-8")):
        share = float(match[3])
        if int(match[2]) >= MIN_COUNT and min(share, 1 - share) <= ONE_SIDED:
            out[match[1]] = FEMALE if share > 0.5 else MALE
    return out


def one_person(span) -> bool:
    """A speaker's tokens (a spaCy span) can be one person: not an organisation, place or
    nationality, not a plural, not a coordination, not a body ("the Coast Guard", "police")."""
    root = span.root
    if root.tag_ in ("NNS", "NNPS") or any(t.lower_ in ("and", "&") for t in span):
        return False
    if root.ent_type_ == "PERSON" or any(t.ent_type_ == "PERSON" for t in span):
        return True
    if root.ent_type_ in NOT_PERSON_LABELS:
        # The parse calls many a rare person's name an organisation ("Xanthe Qorvo"): two or
        # three capitalised proper nouns with no word of a body's name may still be a person.
        return root.ent_type_ == "ORG" and _name_shaped(span)
    return root.lower_ not in COLLECTIVE


def _name_shaped(span) -> bool:
    words = [t for t in span if not t.is_punct]
    return 2 <= len(words) <= 3 and all(
        t.pos_ == "PROPN" and t.text[:1].isupper() and not t.text.isupper() and t.lower_ not in COLLECTIVE
        and t.lower_.rstrip(".") not in ORG_WORDS for t in words)
