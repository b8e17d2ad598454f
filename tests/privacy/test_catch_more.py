"""The kinds issue 22 asks the guard to catch more of, scored with the shared scorer.

catch_more.txt holds at least 10 labelled texts per new kind (streets named without a number,
postcode districts, small towns and villages, named small employers, names typed in lower case
or with accents, references of an unusual shape) and at least 30 clean texts with a trap for one
of those kinds. The case id's letters say which kind a text is about.

Targets from issue 22, on these texts together with the sample corpus and own_cases.txt: recall
at least 0.97 and precision at least 0.95 overall; no kind below 0.9 (recall per labelled kind,
precision per detector kind, and recall and precision within each new kind's texts); at most one
clean text in 30 flagged at all (warnings included).
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from forum.privacy import BLOCK, WARN, scan

from .corpus import catch_more_cases, group_of, own_cases, sample_cases, scorer

NEW_KINDS = {"ST": "address", "PD": "postcode", "TW": "other", "BZ": "other", "LN": "name",
             "RF": "claim_ref"}


def test_catch_more_is_enough_and_well_formed():
    cases = catch_more_cases()
    groups = Counter(group_of(c) for c in cases)
    assert set(groups) == set(NEW_KINDS) | {"CL"}, groups
    assert all(groups[g] >= 10 for g in NEW_KINDS), groups
    assert groups["CL"] >= 30, groups
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        text = case["text"]
        assert "[[" not in text and "{{" not in text and "]]" not in text and "}}" not in text
        for span in case["identifiers"] + case["traps"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"]:span["end"]].strip() == text[span["start"]:span["end"]]
        group = group_of(case)
        if group == "CL":
            assert case["identifiers"] == [], case["id"]
        else:
            # every text has at least one identifier of the kind it is about
            assert NEW_KINDS[group] in {s["kind"] for s in case["identifiers"]}, case["id"]


# -- the targets ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def combined():
    docs = list(sample_cases()) + list(own_cases()) + list(catch_more_cases())
    return docs, scorer().score(docs, scan)


def test_overall_recall_and_precision_on_every_corpus(combined):
    _docs, result = combined
    assert result["overall"]["recall"] >= 0.97, result["misses"]
    assert result["overall"]["precision"] >= 0.95, result["false_positives"]


def test_no_kind_below_0_9(combined):
    _docs, result = combined
    for kind, stats in result["recall_by_kind"].items():
        assert stats["recall"] >= 0.9, (kind, stats, [m for m in result["misses"] if m[1] == kind])
    for kind, stats in result["precision_by_detector_kind"].items():
        assert stats["precision"] >= 0.9, (kind, stats,
                                           [f for f in result["false_positives"] if f[1] == kind])


@pytest.mark.parametrize("group", sorted(NEW_KINDS))
def test_each_new_kind_is_caught_with_its_own_kind(group):
    docs = [c for c in catch_more_cases() if group_of(c) == group]
    result = scorer().score(docs, scan)
    assert result["overall"]["recall"] >= 0.9, (group, result["misses"])
    assert result["overall"]["precision"] >= 0.9, (group, result["false_positives"])
    # and mostly under the kind the author will see ("address" for a street, not "name")
    strict = scorer().score(docs, scan, strict=True)
    assert strict["recall_by_kind"][NEW_KINDS[group]]["recall"] >= 0.9, (group, strict["misses"])


def test_at_most_one_clean_text_in_30_is_flagged(combined):
    docs, result = combined
    counts = result["documents"]
    assert counts["clean_docs"] >= 60
    assert counts["clean_docs_flagged"] * 30 <= counts["clean_docs"], [
        (d["id"], [(d["text"][f.start:f.end], f.kind) for f in scan(d["text"])])
        for d in docs if not d["identifiers"] and scan(d["text"])]
    clean = [c for c in catch_more_cases() if group_of(c) == "CL"]
    flagged = [c["id"] for c in clean if scan(c["text"])]
    assert len(flagged) * 30 <= len(clean), flagged


# -- rule by rule: new phrasings (not the corpus strings) and their traps -------------------------

def found(text: str) -> list[tuple[str, str]]:
    return [(text[f.start:f.end], f.kind) for f in scan(text)]


def severity_of(text: str, words: str) -> str:
    return next(f.severity for f in scan(text) if text[f.start:f.end] == words)


@pytest.mark.parametrize("text, street", [
    ("He rents a bedsit on Gladstone Terrace near the park.", "Gladstone Terrace"),
    ("Her mum still lives at Primrose Gardens, so she is there most days.", "Primrose Gardens"),
    ("They were rehoused to Ferncliffe Avenue in the spring.", "Ferncliffe Avenue"),
    ("She works at the corner shop on Wellington Row.", "Wellington Row"),
    ("He is staying in a caravan off Quarry Lane.", "Quarry Lane"),
    ("The family have a council flat in Brookfield Mews.", "Brookfield Mews"),
    ("Home visit: Larch Close, very cluttered, dog in the garden.", "Larch Close"),
    ("Maen nhw'n byw ar Stryd Fawr.  She lives with her sister.", "Stryd Fawr"),
    ("He has moved to a flat on Ffordd y Felin.", "Ffordd y Felin"),
    ("She has a room at Cavendish House, a shared house for young people.", "Cavendish House"),
    ("His new place is Larkspur Court, a block of flats by the park.", "Larkspur Court"),
    ("She lives on New Road with her dad.", "New Road"),
])
def test_street_or_building_without_a_number(text, street):
    assert (street, "address") in found(text), found(text)


def test_a_street_where_someone_lives_blocks_and_one_they_go_to_warns():
    lives = "She lives on Rosemary Lane with her gran."
    goes = "He walks his dog along Rosemary Lane every morning before work."
    assert severity_of(lives, "Rosemary Lane") == BLOCK
    assert severity_of(goes, "Rosemary Lane") == WARN


@pytest.mark.parametrize("text", [
    "The Court heard that he had repaid the money.",
    "The Crown Court gave him a community order.",
    "She has a County Court judgment from years ago.",
    "He lives in a flat above a shop on the High Street.",
    "We met at the Jobcentre on Northgate Road to go through the form.",
    "He signs on at Jobcentre Plus on Mill Lane every fortnight.",
    "Our office has moved to Chantry Street, next to the bus station.",
    "We are now based at Kingsway House if anyone needs us.",
    "Close to the station is best, because she cannot drive.",
    "She signed up to the Way Forward course.",
    "Street food stalls are hiring for the summer.",
    "The training is at Westgate House on Tuesdays.",
    "There was a row at work about the rota.",
])
def test_street_traps(text):
    assert [k for _, k in found(text) if k == "address"] == [], found(text)


@pytest.mark.parametrize("text, code", [
    ("She has moved to NE23 to be near her sister.", "NE23"),
    ("He's living in WF10 now, closer to the depot.", "WF10"),
    ("They are over in CF5 with his mum.", "CF5"),
    ("Her family are all in DN32.", "DN32"),
    ("He travels in from TS6 for his appointments.", "TS6"),
    ("Her postcode district is BD3.", "BD3"),
])
def test_postcode_district_on_its_own(text, code):
    assert (code, "postcode") in found(text), found(text)


def test_other_mentions_of_a_district_are_found_too():
    text = "He lives in SR4. The food bank there covers SR4 only."
    assert [t for t, k in found(text) if k == "postcode"] == ["SR4", "SR4"]


@pytest.mark.parametrize("text", [
    "He was stuck in M62 traffic for an hour.",
    "She is on B12 injections and feels better.",
    "Her son is in S3 at the high school.",
    "Her daughter is in P6 and loves it.",
    "He sent in the UC50 and the SC2 in the same week.",
    "He has his C1 licence now.",
    "Take the A1 and turn off at the services.",
    "The course covers Level 2 and Level 3 maths.",
])
def test_postcode_district_traps(text):
    assert [k for _, k in found(text) if k == "postcode"] == [], found(text)


@pytest.mark.parametrize("text, place", [
    ("She works in Alnwick at the garden centre.", "Alnwick"),
    ("He commutes from Ashington every day.", "Ashington"),
    ("The family are from Amlwch, on Anglesey.", "Amlwch"),
    ("She is a cleaner at a school in Prestatyn.", "Prestatyn"),
    ("He's now in Stornoway with his sister.", "Stornoway"),
    ("She moved back to Llandrindod Wells after the break-up.", "Llandrindod Wells"),
    ("He grew up near Kirkcudbright and has no transport.", "Kirkcudbright"),
    # not in the gazetteer, but shaped like a Welsh or Scottish village
    ("She lives just outside Llanfihangelfach with her parents.", "Llanfihangelfach"),
])
def test_small_town_or_village(text, place):
    assert (place, "other") in found(text), found(text)


@pytest.mark.parametrize("text", [
    "He moved to Manchester for work and is much happier.",
    "She works in Leeds city centre.",
    "The job is in Cardiff Bay, near the station.",
    "The session is in March this year.",
    "He lives in hope that the tribunal goes his way.",
    "She spent years in Retail before moving into Care.",
    "I spoke to Ashley about the role.",
    "He grew up in the Highlands and misses the space.",
])
def test_small_town_traps(text):
    assert [k for _, k in found(text) if k == "other"] == [], found(text)


@pytest.mark.parametrize("text, firm", [
    ("He works at Sunrise Hand Car Wash at weekends.", "Sunrise Hand Car Wash"),
    ("She has a job with Jolly Good Cleaning Services.", "Jolly Good Cleaning Services"),
    ("Placement at Happy Paws Dog Grooming has gone well.", "Happy Paws Dog Grooming"),
    ("He has a Saturday job at Kings Road Barbers.", "Kings Road Barbers"),
    ("She works at Bella's Hair and Beauty three days a week.", "Bella's Hair and Beauty"),
    ("He got a job with Northgate Plumbing and Heating.", "Northgate Plumbing and Heating"),
])
def test_named_small_business(text, firm):
    assert any(k == "other" and firm in t for t, k in found(text)), found(text)


@pytest.mark.parametrize("text", [
    "He has a job at Tesco on nights.",
    "She got a placement at Costa Coffee.",
    "He works at Kwik Fit as a tyre fitter.",
    "She now works in Customer Services for a bank.",
    "She has a job in Children's Services at the council.",
    "He got a job with Mitie on a cleaning contract.",
    "The interview was at the Holiday Inn near the airport.",
    "He works at Halfords Autocentre as a trainee.",
])
def test_national_chain_and_department_traps(text):
    assert found(text) == []


@pytest.mark.parametrize("text, name", [
    ("bethany said she can't do Saturdays.", "bethany"),
    ("Home visit. pat said the damp is worse.", "pat"),
    ("met with ewa and her sister at the hub.", "ewa"),
    ("rang wojtek, no answer.", "wojtek"),
    ("Spoke to Seán about the forklift course.", "Seán"),
    ("Caught up with siobhán on the phone.", "siobhán"),
    ("Met Saoirse at the library.", "Saoirse"),
    ("and then will said he'd had enough of the agency.", "will"),
])
def test_name_in_a_speech_or_meeting_frame_any_case(text, name):
    assert (name, "name") in found(text), found(text)


def test_a_word_like_name_found_once_is_found_again_when_it_acts():
    text = "met mark and his mum today. mark is keen on the course but will need support."
    assert [t for t, k in found(text) if k == "name"] == ["mark", "mark"]


def test_accents_are_folded_for_the_name_lists():
    assert ("Łukasz", "name") in found("Łukasz came in with his brother.")
    assert ("zoë", "name") in found("spoke to zoë about her CV.")


@pytest.mark.parametrize("text", [
    "Mark the date in your diaries: the jobs fair is on 17 June.",
    "Will she cope with full-time hours? We agreed a phased start.",
    "Bill payments were the main worry.",
    "His nan said he was up early every day.",
    "I said I would ring back, and she said yes.",
    "we will see how he feels; i said i would mark it in the diary.",
    "We had a call with Acas about her rights.",
    "Hope was in short supply when she first came to us.",
])
def test_name_frame_traps(text):
    assert [k for _, k in found(text) if k == "name"] == [], found(text)


@pytest.mark.parametrize("text, ref", [
    ("Her claim ref is ZX81KQ4PL and the journal is not updating.", "ZX81KQ4PL"),
    ("UC ref: bk2n7qxc9 (please don't share).", "bk2n7qxc9"),
    ("His Access to Work ref is AW-7XQ2-K9PM.", "AW-7XQ2-K9PM"),
    ("The case number on the tribunal letter, once it came, was HQ7-22X9K.", "HQ7-22X9K"),
    ("Please quote TK4R9BQZ2 as the reference.", "TK4R9BQZ2"),
])
def test_reference_of_an_unusual_shape(text, ref):
    assert (ref, "claim_ref") in found(text), found(text)


@pytest.mark.parametrize("text", [
    "In his case the 18-month-old sanction was finally lifted.",
    "The vacancy reference is REQ2025XQ7 on the job board.",
    "The order number for the uniform is ORD99887KJ.",
    "The case number was missing from the letter.",
])
def test_reference_traps(text):
    assert [k for _, k in found(text) if k == "claim_ref"] == [], found(text)


@pytest.mark.parametrize("text", [
    "Thanks @alex.adviser, met with tomasz and he said the same as you.",
    "@sam.patel lives on Mill Lane too? No, I meant the participant.",
    "As @jo.bloggs said, in BD3 the buses are better.",
])
def test_a_member_handle_is_one_finding_the_guard_can_drop(text):
    """The guard drops findings inside a member's @mention; nothing may straddle one."""
    for m in re.finditer(r"@[\w.]+\w", text):
        s, e = m.span()
        for f in scan(text):
            if f.start < e and s < f.end:
                assert s <= f.start and f.end <= e, (text[f.start:f.end], f.kind)


@pytest.mark.parametrize("text", ["Over here.", "Over to you, see the reply above."])
def test_folded_accents_never_make_an_ordinary_word_a_name(text):
    """Folding the name "Över" to "over" must not turn a sentence's first word into a name."""
    assert [finding for finding in scan(text) if finding.kind == "name"] == []


def test_folded_accents_still_find_names():
    assert [finding.kind for finding in scan("siân said she would call back.")] == ["name"]
