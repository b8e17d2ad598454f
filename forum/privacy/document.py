"""A scanned text plus what several rules need about it: word tokens, sentence starts and the
"shadow" spans of known big organisations and places (never flagged, and their words are not
people's names)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from . import wordlists as wl

# Characters that end a sentence or a line item: the word after them is "sentence-initial".
_BOUNDARY = set(".!?:;\n-–—•*|")
_OPENERS = set(" \t\"'“‘([")
_DIGITS = re.compile(r"[0-9]+")
# A full stop followed by a space or the end ends a sentence; "St.Helens" or "3.5" do not.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


class Token(NamedTuple):  # a NamedTuple: thousands are made per scan, and it is cheap
    start: int
    end: int
    text: str
    lower: str  # normalised form used for list lookups


@dataclass
class Doc:
    text: str
    tokens: list[Token] = field(default_factory=list)
    shadow: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, "org"|"place")
    index: dict[str, list[int]] = field(default_factory=dict)  # word -> token start offsets

    @classmethod
    def parse(cls, text: str) -> "Doc":
        tokens = []
        for m in wl.PHRASE_TOKEN.finditer(text):
            word = m.group()
            low = word.lower()  # inlined norm_token: this loop runs for every word
            if low == "&" or "’" in low:
                low = wl.norm_token(word)
            tokens.append(Token(m.start(), m.end(), word, low))
        doc = cls(text, tokens)
        for t in doc.tokens:
            doc.index.setdefault(t.lower, []).append(t.start)
        doc.shadow = doc._find_shadow()
        return doc

    # -- cue words ------------------------------------------------------------------------------

    def has_any(self, words: frozenset[str] | set[str]) -> bool:
        return not self.index.keys().isdisjoint(words)

    @cached_property
    def digit_runs(self) -> list[int]:
        """Start offsets of runs of ASCII digits (structured identifiers are anchored on them)."""
        return [m.start() for m in _DIGITS.finditer(self.text)]

    def match_near_digits(self, rx: re.Pattern, back: range) -> Iterator[re.Match]:
        """`rx.match` tried a few characters before each run of digits (`back` says how many):
        postcodes, NINOs and number plates all have digits a fixed distance from their start."""
        seen: set[int] = set()
        for d in self.digit_runs:
            for k in reversed(back):  # earliest start first: "(0113) ..." before "0113) ..."
                p = d - k
                if p < 0 or p in seen:
                    continue
                m = rx.match(self.text, p)
                if m:
                    seen.add(p)
                    yield m
                    break

    def search_before(self, rx: re.Pattern, words: frozenset[str] | set[str],
                      reach: int = 100) -> Iterator[re.Match]:
        """`rx.finditer` in a window ending just after each occurrence of one of `words`: for
        names that end in a known word ("... Primary School", "... & Sons")."""
        seen: set[tuple[int, int]] = set()
        text = self.text
        for pos in sorted(p for w in words for p in self.index.get(w, ())):
            start = max(0, pos - reach)
            while start > 0 and not text[start - 1].isspace():
                start -= 1  # never start the window inside a word
            for m in rx.finditer(text, start, min(len(text), pos + 40)):
                if m.end() > pos and m.span() not in seen:
                    seen.add(m.span())
                    yield m

    def match_at(self, rx: re.Pattern, words: frozenset[str] | set[str]) -> Iterator[re.Match]:
        """`rx.match` tried only where a word from `words` starts. Cue rules use this instead of
        `finditer`: trying a long alternation at every character is what makes regexes slow."""
        positions = sorted(p for w in words for p in self.index.get(w, ()))
        for pos in positions:
            m = rx.match(self.text, pos)
            if m:
                yield m

    # -- sentence structure -------------------------------------------------------------------

    def is_sentence_start(self, pos: int) -> bool:
        """True when the word at `pos` opens the text, a sentence, a line or a list item."""
        j = pos - 1
        while j >= 0 and self.text[j] in _OPENERS:
            j -= 1
        return j < 0 or self.text[j] in _BOUNDARY

    def gap(self, a: Token, b: Token) -> str:
        return self.text[a.end:b.start]

    @cached_property
    def starts(self) -> list[int]:
        """Start offset of each token, for finding the token at an offset."""
        return [t.start for t in self.tokens]

    def token_index(self, pos: int) -> int:
        """Index of the first token starting at or after `pos`."""
        return bisect_left(self.starts, pos)

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the sentence (or line) holding `pos`."""
        text = self.text
        start = max(text.rfind(".", 0, pos), text.rfind("!", 0, pos), text.rfind("?", 0, pos),
                    text.rfind("\n", 0, pos)) + 1
        m = _SENTENCE_END.search(text, pos)
        return start, m.start() if m else len(text)

    def sentence_words(self, pos: int) -> set[str]:
        """The normalised words of the sentence holding `pos`."""
        s, e = self.sentence_bounds(pos)
        return {t.lower for t in self.tokens[self.token_index(s):self.token_index(e)]}

    # -- known organisations and places ---------------------------------------------------------

    def _find_shadow(self) -> list[tuple[int, int, str]]:
        orgs, places, firsts = wl.org_phrases(), wl.place_phrases(), wl.phrase_first_words()
        longest = wl.max_phrase_len()
        toks, text = self.tokens, self.text
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(toks):
            if toks[i].lower not in firsts:  # cheap pre-check: most words start no phrase
                i += 1
                continue
            # the longest run of words separated only by spaces (or a comma: "Tom, Dick and
            # Harry"), up to `longest` words
            run = [toks[i].lower]
            j = i + 1
            while j < len(toks) and len(run) < longest and not text[toks[j - 1].end:toks[j].start].strip(" ,"):
                run.append(toks[j].lower)
                j += 1
            for n in range(len(run), 0, -1):
                key = " ".join(run[:n])
                label = "org" if key in orgs else "place" if key in places else None
                if label:
                    out.append((toks[i].start, toks[i + n - 1].end, label))
                    i += n - 1
                    break
            i += 1
        return out

    def shadow_at(self, start: int, end: int) -> str | None:
        # Shadow spans are sorted and disjoint, so their ends are sorted too: the last span that
        # starts before `end` is the only candidate worth checking.
        i = bisect_right(self.shadow, (end,))
        if i and self.shadow[i - 1][1] > start:
            return self.shadow[i - 1][2]
        return None

    def is_shadowed(self, start: int, end: int) -> bool:
        return self.shadow_at(start, end) is not None
