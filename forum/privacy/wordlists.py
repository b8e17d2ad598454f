"""Shipped word lists, loaded on first use and kept for the life of the process.

The files live in `data/` next to this module (see tools/build_privacy_lists.py and data/README.md for where they come from).
Nothing here runs at import time: every loader is wrapped in functools.cache.
"""
from __future__ import annotations

import re
import unicodedata
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


# Letters that do not decompose into a base letter plus an accent under NFKD.
_UNFOLDABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                             "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th",
                             "ð": "d", "’": "'"})


def fold(word: str) -> str:
    """Accents dropped for matching: "Siân" -> "Sian", "Łukasz" -> "Lukasz", "Zoë" -> "Zoe"."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNFOLDABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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


def _with_folded(words: frozenset[str]) -> frozenset[str]:
    """The set plus every entry with its accents dropped, so "sian" finds "siân" and back;
    never a folded form that is an ordinary word ("Över" must not make "Over" a name)."""
    folded = (fold(w) for w in words if not w.isascii())
    return words | frozenset(w for w in folded if w not in words and w not in english_words())


@cache
def first_names() -> frozenset[str]:
    # The UK supplement is read directly too, so a name added to it counts before the generated
    # list is rebuilt.
    return _with_folded(_word_set("first_names.txt") | _word_set("uk_first_names.txt"))


@cache
def surnames() -> frozenset[str]:
    return _with_folded(_word_set("surnames.txt") | _word_set("uk_surnames.txt"))


@cache
def ambiguous_names() -> frozenset[str]:
    """First names that are also ordinary words (Hope, Will, May): need extra evidence. The
    hand-kept extras are read directly too, so an addition counts before the list is rebuilt."""
    return _word_set("ambiguous_names.txt") | _word_set("ambiguous_extra.txt")


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


def place_key(phrase: str) -> str:
    """How a place name is compared: lower case, accents folded, hyphens and runs of spaces as one
    space, "Saint" as "st" ("Blaenau-Ffestiniog" == "blaenau ffestiniog")."""
    key = " ".join(fold(phrase).lower().replace("-", " ").replace(".", " ").split())
    return "st " + key[6:] if key.startswith("saint ") else key


@cache
def small_places() -> frozenset[str]:
    """Small UK towns, villages and neighbourhoods (data/uk_places.txt, from GeoNames), as
    `place_key`s. Big places are not in it: allow_places.txt keeps those allowed."""
    return frozenset(place_key(line) for line in _lines("uk_places.txt"))


@cache
def small_place_first_words() -> frozenset[str]:
    return frozenset(p.split()[0] for p in small_places())


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
    names = first_names()
    return (t in names or not t.isascii() and fold(t) in names) and t not in not_names()


def is_surname(tok: str) -> bool:
    t = tok.lower()
    names = surnames()
    return (t in names or not t.isascii() and fold(t) in names) and t not in not_names()


def is_ambiguous_name(tok: str) -> bool:
    return tok.lower() in ambiguous_names()


def load_all() -> None:
    """Warm every cache (for benchmarks, or a web worker at start-up)."""
    for loader in (first_names, surnames, ambiguous_names, names_not_words, not_names, english_words,
                   org_phrases, place_phrases, org_squashed, public_domains, phrase_first_words,
                   max_phrase_len, small_places, small_place_first_words):
        loader()
