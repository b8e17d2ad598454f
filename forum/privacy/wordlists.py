"""Shipped word lists, loaded on first use and kept for the life of the process.

The files live in `data/` next to this module (see data/build_lists.py for where they come from).
Nothing here runs at import time: every loader is wrapped in functools.cache.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Word tokens for phrase matching: letters/digits with inner apostrophes or hyphens, and "&".
PHRASE_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|&")


def norm_token(tok: str) -> str:
    """Lower-case, straight apostrophe, "&" spelt "and": the form all list lookups use."""
    if tok == "&":
        return "and"
    tok = tok.lower()
    return tok.replace("’", "'") if "’" in tok else tok


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _word_set(name: str) -> frozenset[str]:
    return frozenset(w.lower() for line in _lines(name) for w in line.split())


def _phrase_set(name: str) -> frozenset[str]:
    """One phrase per line, stored as normalised tokens joined by single spaces."""
    return frozenset(
        " ".join(norm_token(t) for t in PHRASE_TOKEN.findall(line)) for line in _lines(name)
    )


@cache
def first_names() -> frozenset[str]:
    return _word_set("first_names.txt")


@cache
def surnames() -> frozenset[str]:
    return _word_set("surnames.txt")


@cache
def ambiguous_names() -> frozenset[str]:
    """First names that are also ordinary words (Hope, Will, May): need extra evidence."""
    return _word_set("ambiguous_names.txt")


@cache
def names_not_words() -> frozenset[str]:
    """First names that are dictionary words but nearly always people (Peter, Lee, Holly)."""
    return _word_set("names_not_words.txt")


@cache
def not_names() -> frozenset[str]:
    return _word_set("not_names.txt")


@cache
def english_words() -> frozenset[str]:
    return _word_set("words.txt") | _word_set("domain_words.txt")


@cache
def org_phrases() -> frozenset[str]:
    return _phrase_set("allow_orgs.txt")


@cache
def place_phrases() -> frozenset[str]:
    return _phrase_set("allow_places.txt")


@cache
def org_squashed() -> frozenset[str]:
    """Big organisations with spaces and punctuation removed ("johnlewis"), for domain checks."""
    return frozenset(re.sub(r"[^a-z0-9]", "", p.replace(" and ", "")) for p in org_phrases())


@cache
def public_domains() -> tuple[str, ...]:
    return tuple(line.lower() for line in _lines("allow_domains.txt"))


@cache
def phrase_first_words() -> frozenset[str]:
    return frozenset(p.split()[0] for p in org_phrases() | place_phrases())


@cache
def max_phrase_len() -> int:
    return max(len(p.split()) for p in org_phrases() | place_phrases())


def is_word(tok: str) -> bool:
    """An ordinary lower-case English word (SCOWL size 35)."""
    return tok.lower() in english_words()


def is_first_name(tok: str) -> bool:
    t = tok.lower()
    return t in first_names() and t not in not_names()


def is_surname(tok: str) -> bool:
    t = tok.lower()
    return t in surnames() and t not in not_names()


def is_ambiguous_name(tok: str) -> bool:
    return tok.lower() in ambiguous_names()


def load_all() -> None:
    """Warm every cache (for benchmarks, or a web worker at start-up)."""
    for loader in (first_names, surnames, ambiguous_names, names_not_words, not_names, english_words,
                   org_phrases, place_phrases, org_squashed, public_domains, phrase_first_words,
                   max_phrase_len):
        loader()
