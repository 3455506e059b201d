import csv

import pytest

from newsdesk.extract.quantities import find_quantities, parse_number, participle
from newsdesk.nlp import load_spacy

from .conftest import DATA

KURSK = DATA / "kursk-snippets.txt"
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


def quantities(nlp, text):
    found = find_quantities(nlp(text), 1)
    for q in found:
        assert text[q.start:q.end] == q.text
    return found


def test_participle():
    assert [participle(v) for v in ("retake", "control", "capture", "kill", "carry", "stop")] == [
        "retaken", "controlled", "captured", "killed", "carried", "stopped"]


def test_kursk_figures(nlp):
    if not KURSK.exists():
        pytest.skip(f"shared data absent: {KURSK}")
    lines = KURSK.read_text(encoding="utf-8").splitlines()
    [share] = quantities(nlp, lines[2])
    assert (share.text, share.value, share.unit) == ("63.2%", 63.2, "percent")
    assert "territory" in share.measure and "retaken" in share.measure
    assert share.speaker is None and share.actor is None
    [area] = quantities(nlp, lines[8])
    assert area.text == "several hundred square kilometres"
    assert (area.value, area.low, area.high) == (None, 200, 900)
    assert (area.unit, area.bound) == ("square kilometre", "several")
    assert "territory" in area.measure and "controlled" in area.measure
    # "the first North Korean prisoners" and "early January" are not figures
    assert quantities(nlp, lines[0]) == []


def test_bounds_ranges_and_counts(nlp):
    found = quantities(nlp, "Between 10 and 20 people were injured, and at least 300 soldiers died.")
    assert [(q.value, q.low, q.high, q.unit) for q in found] == [
        (None, 10, 20, "person"), (300, 300, None, "person")]
    assert found[1].bound == "at least" and found[1].measure == "soldiers died"
    [dozens] = quantities(nlp, "Dozens of protesters were arrested.")
    assert (dozens.value, dozens.low, dozens.high) == (None, 24, 99)
    assert dozens.measure == "protesters arrested"


def test_not_figures(nlp):
    assert quantities(nlp, "Call 555-123-4567 for details. In 2016 he came first.") == []


def test_ag_news_figures(nlp):
    if not AG_NEWS.exists():
        pytest.skip(f"shared data absent: {AG_NEWS}")
    rows = list(csv.reader(AG_NEWS.open(encoding="utf-8")))
    # row 9: "... has recovered 36,000 stolen cards and 171 arrests - and estimates it saved 65m."
    cards, arrests, saved = quantities(nlp, rows[9][2])
    assert (cards.value, cards.unit, cards.measure) == (36000, "card", "stolen cards recovered")
    assert (arrests.value, arrests.unit) == (171, "arrest")
    assert saved.value == 65_000_000
    # row 6: "responsible for 70 percent of virus infections in 2004"
    share = next(q for q in quantities(nlp, rows[6][2]) if q.unit == "percent")
    assert (share.text, share.value, share.measure) == (
        "70 percent", 70, "share of virus infections")


@pytest.mark.parametrize("written, value", [
    ("1,500", 1500), ("1,500.25", 1500.25), ("12,000,000", 12_000_000), ("63.2", 63.2),
    ("63,2", 63.2), ("2,5", 2.5), ("1.500,50", 1500.5), ("1\u2009500", 1500),
    ("12\u202f000\u202f000", 12_000_000), ("1\u00a0500", 1500), ("150\u201a000", 150_000),
])
def test_parse_number(written, value):
    assert parse_number(written) == value


def test_decimal_commas_and_thin_spaces_in_text(nlp):
    [share] = quantities(nlp, "Russian forces have retaken 63,2 % of the territory, the ministry said.")
    assert (share.value, share.unit, share.noun) == (63.2, "percent", "territory")
    residents, soldiers = quantities(nlp, "The town has 1\u2009500 residents and 12\u202f000 soldiers.")
    assert (residents.text, residents.value) == ("1\u2009500 residents", 1500)
    assert soldiers.value == 12000
    [people] = quantities(nlp, "About 1,500 people were evacuated.")
    assert people.value == 1500


@pytest.mark.parametrize("text", [
    "Sbarro again files for Ch. 11 reorganization",
    "UPDATE 3-Pizza chain Sbarro files for bankruptcy",
    "He said CBS 6 informed him of the new lawsuit.",
    "Kristian had signed out of the prom at 9:32 p.m. on Saturday.",
    "Respawn considering patching 1080p support into Xbox One Titanfall",
    "China's CSI 300 Sinks to 5-Year Low",
])
def test_names_labels_and_times_are_not_figures(nlp, text):
    assert quantities(nlp, text) == []


def test_currency_sign_left_out_by_the_model(nlp):
    [price] = quantities(nlp, "Xbox One Titanfall Bundle Price Drops to $474.99")
    assert (price.text, price.value, price.unit) == ("$474.99", 474.99, "USD")
    [oil] = quantities(nlp, "Oil falls below US$108 on China data")
    assert oil.unit == "USD"


def test_measure_leaves_out_the_figure_itself(nlp):
    [attacks] = quantities(nlp, "MtGox faced 150k DDoS attacks per second")
    assert attacks.noun == "attack" and "150k" not in attacks.measure


def test_a_count_before_a_noun_modifier_counts_the_head_noun(nlp):
    """Issue 16: "five index mutual funds" counts funds, not "index"."""
    [funds] = quantities(nlp, "Fidelity announced that it was cutting fees on five index mutual funds.")
    assert funds.noun == "fund" and funds.measure.endswith("funds")


def test_measures_that_would_misread_take_no_participle(nlp):
    """Issue 16: "be" says nothing ("complaints been"), and a counted subject that acts on an
    object would read as acted on ("militants gunned" for militants who gunned a man down): it
    takes the verb as written with its object ("militants that gunned down a Briton")."""
    [complaints] = quantities(nlp, "According to the Post, there were two separate complaints about him.")
    assert complaints.measure == "separate complaints"
    [militants] = quantities(nlp, "Three suspected militants gunned down a Briton in Riyadh, police said.")
    assert militants.measure == "suspected militants that gunned down a Briton"
    [died] = quantities(nlp, "At least 300 soldiers died in the attack, officials said.")
    assert died.measure == "soldiers died"  # no object: the participle reads right
    [missing] = quantities(nlp, "The authorities say at least 13 people are still missing after the floods.")
    assert missing.measure == "people missing"


def _shown_whole(nlp, text, figure):
    from newsdesk.extract.quantities import shown_whole

    [q] = [q for q in quantities(nlp, text) if q.text == figure]
    return shown_whole(q, text)


@pytest.mark.parametrize("text, figure", [
    ("They were using 40,000 different variants of ad every day, he said.", "40,000"),
    ("The A320 family has just 0.14 fatal accidents per million takeoffs, the study said.", "0.14"),
    ("The stockpile could grow to 20, 50 or 100 bombs within five years, the institute said.", "50"),
    ("The stockpile could grow to 20, 50 or 100 bombs within five years, the institute said.", "20"),
    ("The victim was found in the 3300 block of West Ohio Street, police said.", "3300"),
    ("He alleged that the company made four $50,000 payments to Cohen.", "four $50,000"),
])
def test_figures_not_shown_whole(nlp, text, figure):
    """A rate some words on, one of a list, an address, two figures run together: not key."""
    assert not _shown_whole(nlp, text, figure)


@pytest.mark.parametrize("text, figure", [
    ("The group will release seven hostages it has held for more than a month, it said.", "seven hostages"),
    ("In 2014, 30 people died on the road, police said.", "30 people"),
    ("He was sent home with a bus ticket and a $50 check, the prisoner said.", "$50"),
    ("Officials said 24 people died, 12 of them children.", "24 people"),
])
def test_figures_shown_whole(nlp, text, figure):
    assert _shown_whole(nlp, text, figure)


def test_who_states_a_figure_names_a_party_that_states_it():
    """A deed owned ("claimed responsibility for the siege, during which ... were killed") states
    nothing; a feed's outlet label run into the company is no one party."""
    from newsdesk.extract.quantities import _names_a_party, stated_by
    from newsdesk.model import Claim

    def claim(speaker, cue, content):
        return Claim(speaker=speaker, actor=speaker, cue=cue, content=content, item=1, start=0, end=1)

    assert not stated_by(claim("A rebel commander", "has claimed", "responsibility for the siege, during which 320 died"))
    assert stated_by(claim("The rebels", "claimed", "that 320 hostages died"))
    assert not _names_a_party("washingtonpost.com - Aether Systems Inc., a Maryland wireless data company")
    assert _names_a_party("Aether Systems Inc.")



def test_contents_and_lengths_that_state_no_amount(nlp):
    """Issue 16: a content that opens a relative clause is the writer's description; a length
    that says where a place is measures nothing."""
    from newsdesk.extract.quantities import stated_by
    from newsdesk.model import Claim

    assert not stated_by(Claim(speaker="A rebel commander", actor="A rebel commander", cue="has claimed",
                               content="during which more than 320 hostages were killed", item=1, start=0, end=1))
    assert not _shown_whole(nlp, "In Koyukuk, a community about 30 miles downriver, residents were preparing, he said.",
                            "about 30 miles")
    assert _shown_whole(nlp, "The troops advanced 30 miles in two days, the ministry said.", "30 miles")
    [employees] = quantities(nlp, "For five years, thousands of employees set up sham accounts to meet quotas.")
    assert employees.measure == "employees that set up sham accounts"


def _key(text):
    """The key figures of one item as brief() picks them: (figure, measure)."""
    from newsdesk.extract.quantities import key_figures
    from newsdesk.model import Item
    from newsdesk.pipeline import claims_in

    claims = claims_in(Item(n=1, text=text), load_spacy()(text))
    return [(q.text, q.measure) for q in key_figures([q for c in claims for q in c.quantities], claims,
                                                     texts={1: text})]


def test_measures_keep_the_particle_and_read_agents_and_places_right(nlp):
    """Issue 16, fifth round: "laid off", not "laid"; fighters that escort are not "escorted";
    plants where jobs are cut were not cut; "including four soldiers" includes nothing."""
    *_, share = quantities(nlp, "Agere Systems Inc. said Wednesday it will lay off 500 employees, or 7.6 per cent of "
                                "its workforce, as part of a corporate restructuring.")
    assert share.measure == "share of its workforce laid off"
    [fighters] = [q for q in quantities(nlp, "The plane made an emergency landing in Amsterdam on Thursday, escorted by "
                                             "two Dutch F-16 jet fighters, the airline said.") if q.text == "two"]
    assert not fighters.measure.endswith("escorted")
    [plants] = [q for q in quantities(nlp, "Eastman Kodak Co. announced Tuesday it will cut nearly 900 jobs at three of its "
                                           "manufacturing facilities in Europe.") if q.text == "three"]
    assert not plants.measure.endswith("cut")
    [rate] = quantities(nlp, "The productivity of America's workers grew at a 1.8 percent annual rate in the third "
                             "quarter, the government reported Tuesday.")
    assert rate.measure.endswith("grown")  # a rate "at" which it grew is what grew, no place
    [soldiers] = [q for q in quantities(nlp, "A car bomb exploded Sunday, killing three people and wounding seven, including "
                                             "four US soldiers, the military said.") if q.text == "four"]
    assert soldiers.measure == "US soldiers"
    children, *_ = quantities(nlp, "The researchers found that 657 children between the ages of five and 11 died by "
                                   "suicide between 1993 and 2012 — an average of nearly 33 children each year.")
    assert children.measure == "children died"  # an apposition after a dash is no object they acted on


def test_names_phone_numbers_and_references_are_no_figures(nlp):
    """A union's "Local 2", the "911 call", "only one part"."""
    found = [q.text for q in quantities(nlp, "It has locked out UNITE HERE Local 2 employees from 10 hotels.")]
    assert found == ["10"]
    assert "911" not in [q.text for q in quantities(nlp, "Minutes elapsed between the 911 call and the arrival.")]
    assert quantities(nlp, "Lawrie says technology is only one part of the CRM equation.") == []


def test_shares_name_their_part_or_are_not_key(nlp):
    """A share "accounting for" the whole in a clause without its own subject takes the
    clause's; one whose part is the subject of "are" names it."""
    [hanging, *_] = quantities(nlp, "Hanging was the predominant method of suicide, accounting for 78.2 percent of the "
                                    "total suicides, according to the results.")
    assert not hanging.measure.endswith("accounted")
    [settlements] = quantities(nlp, "Settlements involving the act are typically 1 percent to 2 percent of sales, "
                                    "Carroll said.")
    assert "made up by Settlements" in settlements.measure


def test_measures_stop_at_a_line_break_and_currencies_are_units(nlp):
    """A heading on the line before ("Conference Call") is no part of the measure; pesos are
    money, so the measure is what rose, not "pesos"."""
    text = "Conference Call\n\nWalmex's first-quarter net income rose 4.5 percent to 4.71 billion pesos, the company said."
    rise, pesos = quantities(nlp, text)
    assert "Conference" not in rise.measure and "income" in rise.measure
    assert pesos.unit == "MXN" and "income" in pesos.measure


def test_figures_the_speaker_does_not_state_are_not_key():
    """Whom a cue warns is no figure it states; "five or six" is one figure, not two."""
    assert _key("The Ontario Securities Commission is warning four Canadian mutual fund managers of potential "
                "enforcement proceedings for improper trading.") == []
    assert _key("After five or six beers, we're just kind of like smooching on each other, Urie said.") == []
    assert _key("Officials said the attack killed 20 people.") == [("20 people", "people killed")]
