"""The seed-demo cases and stories: shape, spread over themes, and free of personal identifiers."""
from __future__ import annotations

import re

import pytest

from forum.cases.models import Barrier, OutcomeType
from forum.demo import cases_content
from forum.demo.cases_content import CASES, STORIES

THEMES = {
    "mental-health", "confidence-and-motivation", "debt-and-money", "housing",
    "caring-responsibilities", "disability-and-long-term-conditions", "highly-qualified-jobseekers",
    "job-retention", "interview-skills", "in-work-progression", "employer-engagement",
    "criminal-convictions", "english-language-and-literacy", "digital-skills", "neurodiversity",
    "older-jobseekers", "young-people", "self-employment", "universal-credit-and-benefits",
    "access-to-work",
}
OUTCOME_TYPES = {kind.value for kind in OutcomeType}
BARRIERS = {barrier.value for barrier in Barrier}
AUTHORS = range(8)
CASE_PARTS = ("title", "situation", "tried", "ask")
STORY_PARTS = ("title", "situation", "what_worked", "outcome_text")

POSTS = [("case", i, p) for i, p in enumerate(CASES)] + [("story", i, p) for i, p in enumerate(STORIES)]


def _texts():
    """(where, text) for every piece of prose: titles, parts, outcome updates and replies."""
    for kind, i, post in POSTS:
        for field in ("title", "situation", "tried", "ask", "outcome_update", "what_worked",
                      "outcome_text"):
            if post.get(field):
                yield f"{kind} {i} {field}", post[field]
        for j, reply in enumerate(post["replies"]):
            yield f"{kind} {i} reply {j}", reply["body"]


TEXTS = list(_texts())

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
IDENTIFIER_PATTERNS = {
    "phone": re.compile(r"(?:\+44\s?\(?0?\)?\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"),
    "nino": re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I),
    "numeric date": re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    "written date": re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b"
                               rf"|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
                               rf"|\b(?:{MONTHS})\s+(?:19|20)\d{{2}}\b"),
    "year": re.compile(r"\b(?:19|20)\d{2}\b"),
    "age": re.compile(r"\baged?\s+\d+|\b\d+[\s-]years?[\s-]old\b|\b\d+\s*(?:yo|y/o|yrs)\b", re.I),
    "street": re.compile(r"\b\d+[a-z]?\s+[A-Z][a-z]+\s+(?:Road|Street|Lane|Avenue|Close|Drive|Way)\b"),
    "url": re.compile(r"https?://|www\.", re.I),
}
FIRST_NAMES = (
    "John", "Sarah", "Mohammed", "Muhammad", "Emma", "David", "Aisha", "James", "Michael",
    "Fatima", "Olivia", "Jack", "Amelia", "Daniel", "Chloe", "Ahmed", "Priya", "Thomas", "Laura",
    "Paul", "Karen", "Gary", "Claire", "Steven", "Lisa", "Darren", "Michelle", "Wayne", "Tracey",
    "Kevin", "Nicola", "Oliver", "Sophie", "Harry", "Jessica", "Ali", "Hassan", "Zainab", "Ravi",
    "Sanjay", "Agnieszka", "Piotr", "Tomasz", "Kwame", "Chinedu", "Sean", "Siobhan", "Rhys",
    "Callum", "Shauna",
)
NAME_RE = re.compile(r"\b(?:" + "|".join(FIRST_NAMES) + r")\b")
TITLE_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z]")


def test_counts():
    assert len(CASES) >= 24
    assert len(STORIES) >= 12
    assert 35 <= len(CASES) + len(STORIES) <= 45


@pytest.mark.parametrize("kind,i,post", POSTS, ids=[f"{k}-{i}" for k, i, _ in POSTS])
def test_post_shape(kind, i, post):
    parts = CASE_PARTS if kind == "case" else STORY_PARTS
    for part in parts:
        assert isinstance(post[part], str) and post[part].strip(), part
    assert len(post["title"]) <= 150
    assert post["title"] == post["title"].strip()
    assert 1 <= len(post["themes"]) <= 3
    assert len(set(post["themes"])) == len(post["themes"])
    assert set(post["themes"]) <= THEMES
    assert isinstance(post["anonymous"], bool)
    assert post["author"] in AUTHORS and type(post["author"]) is int
    assert type(post["days_ago"]) is int and 1 <= post["days_ago"] <= 120
    assert len(post["replies"]) <= 4
    for reply in post["replies"]:
        assert set(reply) == {"author", "body", "anonymous"}
        assert reply["author"] in AUTHORS and type(reply["author"]) is int
        assert reply["author"] != post["author"]
        assert isinstance(reply["body"], str) and reply["body"].strip()
        assert isinstance(reply["anonymous"], bool)
    if kind == "case":
        assert isinstance(post["outcome_update"], str)
        assert isinstance(post["resolved"], bool)
        if post["resolved"]:
            assert post["outcome_update"].strip()
        if post["outcome_update"]:  # what happened, on the one vocabulary
            assert post["outcome_types"] and set(post["outcome_types"]) <= OUTCOME_TYPES
            assert bool(post.get("barriers")) == ("barrier_removed" in post["outcome_types"])
            assert set(post.get("barriers", [])) <= BARRIERS
    else:
        assert post["outcome_types"] and set(post["outcome_types"]) <= OUTCOME_TYPES


def test_every_theme_used():
    used = {t for _, _, post in POSTS for t in post["themes"]}
    assert used == THEMES


def test_module_theme_slugs_match():
    assert set(cases_content.THEME_SLUGS) == THEMES


def test_realistic_mix():
    anonymous = sum(post["anonymous"] for _, _, post in POSTS)
    assert 0.15 <= anonymous / len(POSTS) <= 0.35
    assert sum(1 for c in CASES if not c["replies"]) >= 2  # some unanswered cases
    with_update = [c for c in CASES if c["outcome_update"]]
    assert 4 <= len(with_update) <= 10
    assert 3 <= sum(c["resolved"] for c in CASES) < len(with_update) + 1
    assert len({post["days_ago"] for _, _, post in POSTS}) >= 30
    assert len({post["author"] for _, _, post in POSTS}) == 8
    assert len({kind for s in STORIES for kind in s["outcome_types"]}) >= 5
    titles = [post["title"] for _, _, post in POSTS]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("where,text", TEXTS, ids=[w for w, _ in TEXTS])
def test_no_identifier_patterns(where, text):
    for label, pattern in IDENTIFIER_PATTERNS.items():
        assert not pattern.search(text), f"{label} in {where}: {pattern.search(text).group()!r}"
    assert not NAME_RE.search(text), f"first name in {where}: {NAME_RE.search(text).group()!r}"
    assert not TITLE_RE.search(text), f"title and name in {where}"


def test_screen_catches_identifiers():
    """The screen above is not vacuous: it finds each kind of identifier it is meant to."""
    samples = [
        "call 07700 900123", "ring 0161 496 0000", "email jo@example.org", "lives at SW1A 1AA",
        "NI number QQ 12 34 56 C", "born 12/03/1990", "on 3 March 2024", "she is aged 45",
        "a 45-year-old man", "lives at 12 Acacia Road",
    ]
    for sample in samples:
        assert any(p.search(sample) for p in IDENTIFIER_PATTERNS.values()), sample
    assert NAME_RE.search("I met Sarah today")
    assert not NAME_RE.search("I met the jobseeker today")


def _privacy_scan():
    try:
        from forum.privacy import scan
    except ImportError:
        return None
    return scan


def test_privacy_guard_finds_nothing_blocking():
    scan = _privacy_scan()
    if scan is None:
        pytest.skip("forum.privacy.scan is not available")
    problems = []
    for where, text in TEXTS:
        for finding in scan(text):
            if finding.severity == "block":
                problems.append((where, finding.kind, text[finding.start:finding.end], finding.reason))
    assert problems == []
