"""The privacy guard's findings at their fields: labels, boxes, and acting on one finding in place."""

from __future__ import annotations

import pytest

from forum import privacy
from forum.cases import guard


@pytest.mark.parametrize("text, words, label", [
    ("She lives on Mill Lane and wants warehouse work.", "Mill Lane", "street name"),
    ("He has the flat at Ashfield Court now, near the station.", "Ashfield Court", "street name"),
    ("He has just moved to BD3 and needs a bus pass.", "BD3", "postcode district"),
    ("She lives in Llanfairfechan now.", "Llanfairfechan", "town or village"),
    ("She works at Harbour View Car Wash three days a week.", "Harbour View Car Wash", "employer's name"),
    ("I met with tomasz yesterday about his CV.", "tomasz", "name"),
    ("Her number is 07700 900123.", "07700 900123", "phone number"),
])
def test_a_finding_is_labelled_from_its_rule_where_that_says_more(text, words, label):
    found = next(finding for finding in privacy.scan(text) if text[finding.start:finding.end] == words)
    assert guard.label_for(found) == label


def test_a_rule_without_a_label_of_its_own_falls_back_to_its_kind():
    finding = privacy.Finding("other", 0, 4, privacy.WARN, "A detail", rule_id="other.something_new")
    assert guard.label_for(finding) == "identifying detail"
    assert guard.label_for(privacy.Finding("name", 0, 4, privacy.WARN, "A name", rule_id=None)) == "name"
