"""scan(text): run every rule and return non-overlapping findings sorted by start."""
from __future__ import annotations

from . import patterns, places
from .document import Doc
from .findings import Finding, resolve_overlaps
from .names import find_names


def scan(text: str) -> list[Finding]:
    """Find personal identifiers in `text`. Pure: no I/O beyond loading the shipped word lists
    on the first call. Offsets are Python str indices: text[f.start:f.end] is the identifier."""
    if not isinstance(text, str):
        raise TypeError("scan() needs a str")
    if not text.strip():
        return []
    doc = Doc.parse(text)
    found: list[Finding] = []
    for rule in patterns.RULES + places.RULES:
        found.extend(rule(doc))
    # Names come last: a word already inside an email, address or school is not a person.
    structured = resolve_overlaps(found)
    found.extend(find_names(doc, [(f.start, f.end) for f in structured]))
    return resolve_overlaps(found)


def scan_fields(fields: dict[str, str]) -> dict[str, list[Finding]]:
    """Scan several fields of one post (title, body parts ...); findings keyed by field name."""
    return {name: scan(value or "") for name, value in fields.items()}
