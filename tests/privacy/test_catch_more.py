"""The kinds issue 22 asks the guard to catch more of, scored with the shared scorer.

catch_more.txt holds at least 10 labelled texts per new kind (streets named without a number,
postcode districts, small towns and villages, named small employers, names typed in lower case
or with accents, references of an unusual shape) and at least 30 clean texts with a trap for one
of those kinds. The case id's letters say which kind a text is about.
"""
from __future__ import annotations

from collections import Counter

from .corpus import catch_more_cases, group_of

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
