"""Property tests: scan never raises on any Unicode text and its findings are well formed."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.privacy import BLOCK, KINDS, WARN, scan

# Fragments that exercise every rule, so random text often sits right next to real matches.
FRAGMENTS = [
    "Olga Brennan", "olga", "Mrs Okafor", "her son Tyler", "07700 900123", "+44 (0)7700 900123",
    "(0113) 496 0123", "JG 10 37 45 B", "943 476 5919", "LS9 6QT", "ls96qt", "lives in M14",
    "27 Mill Lane", "Flat 8, Bridge House", "DOB 14/03/1987", "ref REF-010-019", "@stacey_creates",
    "Instagram under saffi.bakes", "www.x.co.uk", "a@b.com", "jo at gmail dot com", "VW18 UFA",
    "reg av72 ocp", "passport 482098033", "DOBSO954287S92NR", "is from Kington, a small place",
    "Meadowbank Juniors", "the only welder at Moss & Clegg Builders", "Hope", "Will", "May",
    "£12.21", "0800 138 1111", "gov.uk/x", "the M62", "John Lewis", "St Helens", "Zoë", "İstanbul",
    "\u00a0", "\n", "’s", "-", ".", ",", "(", ")", "&", "@", "#",
]


def check(text: str) -> None:
    found = scan(text)
    previous_end = 0
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= previous_end  # sorted and non-overlapping
        previous_end = f.end
        assert f.kind in KINDS and f.severity in (BLOCK, WARN)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_unicode_text(text):
    check(text)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30)
       .map(lambda parts: " ".join(parts)))
def test_identifier_soup(text):
    check(text)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join))
def test_fragments_glued_together(text):
    check(text)
