"""Pure text helpers for search: turning what a person typed into a safe query, and the
database's marked-up excerpts into safe HTML. No app, request or database needed."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

#: Beyond these, extra words add cost and no meaning.
MAX_QUERY_CHARS = 500
MAX_PHRASES = 16

#: Marker characters the database puts around matches; we escape the text first, then swap them.
START, STOP = "\x02", "\x03"

_QUOTED = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[^\W_]+")  # letters and digits; all punctuation and emoji fall away
_MARKERS = re.compile(f"([{START}{STOP}])")
_SPACE = re.compile(r"\s+")


def parse_query(text: str | None) -> list[str]:
    """The phrases to find, each a space-separated run of words.

    Quoted text is one phrase; every other whitespace-separated chunk is one too, so
    "part-time" stays the phrase "part time". Operators (AND, OR, NEAR, -, *, :, ^, brackets)
    are never operators here: they become plain words or vanish. An unclosed quote runs to the end.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    chunks: list[str] = []
    for index, piece in enumerate(_QUOTED.split(text + ('"' if text.count('"') % 2 else ""))):
        chunks.extend([piece] if index % 2 else piece.split())  # odd pieces were inside quotes
    phrases = (" ".join(_WORD.findall(chunk)) for chunk in chunks)
    return [phrase for phrase in phrases if phrase][:MAX_PHRASES]


def match_string(phrases: list[str]) -> str:
    """Every phrase in double quotes, all required: safe as an FTS5 MATCH string and for
    PostgreSQL's websearch_to_tsquery, where quoted text is never an operator."""
    return " ".join(f'"{phrase}"' for phrase in phrases)


def in_text(match: str) -> str:
    """An FTS5 match string limited to the title and body: the index's themes column holds theme
    tokens ("t12", migration 0026), which a word typed by a person must never match."""
    return f"{{title body}} : ({match})"


def marked(text: str | None) -> Markup:
    """Text with the database's match markers turned into <mark>, everything else escaped.

    Markers are paired up here, so a stray marker character typed by a person can never
    produce unbalanced tags.
    """
    out: list[str] = []
    inside = False
    for piece in _MARKERS.split(text or ""):
        if piece == START and not inside:
            out.append("<mark>")
            inside = True
        elif piece == STOP and inside:
            out.append("</mark>")
            inside = False
        elif piece not in (START, STOP):
            out.append(str(escape(_SPACE.sub(" ", piece))))
    if inside:
        out.append("</mark>")
    return Markup("".join(out).strip())
