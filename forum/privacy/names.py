"""People's names: the layered rule from RULES.md section 3.1, run over word tokens.

1. a title (Mr, Mrs, Dr ...) or an initial ("J. Smith") before a name-like word;
2. a cue ("called", "known as", "her son", "the supervisor,") before a name-like word;
3. the shipped gazetteer: a capitalised first name, extended over a following surname; or an
   unknown capitalised word followed by a known surname ("Chidinma Okafor");
4. ambiguous first names that are also words (Hope, Will, May) only with a title, cue or surname;
5. a lower-case first name ("spoke to tomasz") when it is not an English word and has 4+ letters,
   or a shorter one straight after "with" / "spoke to" ("appt with ian");
6. names missing from the lists, as warnings, where a person is expected: "working with Vesile",
   "Zhivko has been with our service", "xhevat stoica" (unknown word + known surname);
7. frames, in any case and with accents folded: a listed first name before a speech verb at the
   start of a clause ("siân said", "mark said") or after a meeting word ("met with tomasz",
   "phone call from pat"); an unlisted capitalised word only after "met" / "spoke to" and the like;
8. propagation: every other mention of a found name's words is flagged too (a word-like one in
   lower case only where it acts: "will is 18");
9. words inside known organisations and places (John Lewis, St Helens) are never names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import name_cues as cue
from . import wordlists as wl
from .document import Doc, Token
from .findings import BLOCK, WARN, Finding

_ORDINAL = re.compile(r"^[0-9]+(?:st|nd|rd|th)?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def _base(tok: Token) -> tuple[str, int]:
    """The token without a possessive 's, and its end offset."""
    m = _POSSESSIVE.search(tok.text)
    if m and len(tok.text) > 3:
        return tok.text[:m.start()], tok.start + m.start()
    return tok.text, tok.end


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.islower() for c in word[1:])


def _name_parts(word: str) -> list[str]:
    return [p for p in re.split(r"[-]", word.lower()) if p]


def _known_first(word: str) -> bool:
    w = word.lower()
    if wl.is_first_name(w):
        return True
    parts = _name_parts(word)  # "Mary-Jane", "Jamie-Lee"
    return len(parts) > 1 and all(wl.is_first_name(p) for p in parts)


def _known_surname(word: str) -> bool:
    w = word.lower()
    if wl.is_surname(w):
        return True
    parts = _name_parts(word)  # "Lloyd-Evans"
    return len(parts) > 1 and all(wl.is_surname(p) or wl.is_first_name(p) for p in parts)


def _word_like(word: str) -> bool:
    return wl.is_word(word) or wl.is_ambiguous_name(word)


def _plausible_lower_name(w: str) -> bool:
    """A lower-case word that could be a name nobody listed: not English, not an acronym."""
    return (len(w) >= 3 and w.isalpha() and not _word_like(w) and w not in cue.ACRONYMS
            and w not in wl.not_names() and any(c in "aeiouy" for c in w))


@dataclass
class _Hit:
    first: int  # token indices, inclusive
    last: int
    severity: str
    rule: str
    reason: str
    title: bool = False  # first token is a title, not part of the person's name


class _NameScan:
    def __init__(self, doc: Doc, taken: list[tuple[int, int]]):
        self.doc = doc
        self.toks = doc.tokens
        based = [_base(t) for t in self.toks]
        self.words = [b[0] for b in based]
        self.word_ends = [b[1] for b in based]
        self.caps = [_capitalised(w) for w in self.words]
        # text between token i and i+1
        self.gaps = [doc.text[a.end:b.start] for a, b in zip(self.toks, self.toks[1:])]
        self.owner: list[_Hit | None] = [None] * len(self.toks)
        # Capitalised words that start a street, firm or building name somewhere in the text
        # ("Arla Foods", "Albion Street") are not people elsewhere in it either.
        self.proper = {self.words[i].lower() for i in range(len(self.toks))
                       if self.caps[i] and self.suffix_follows(i)}
        inside = _covered(self.toks, taken)
        if doc.shadow:
            shadowed = _covered(self.toks, [(s, e) for s, e, _ in doc.shadow])
            self.blocked = [inside[i] or (shadowed[i] and self._shadowed(i))
                            for i in range(len(self.toks))]
        else:
            self.blocked = inside

    # -- token context -------------------------------------------------------------------------

    def _shadowed(self, i: int) -> bool:
        t = self.toks[i]
        label = self.doc.shadow_at(t.start, t.end)
        if label == "org":
            return True
        if label == "place":
            # "Chelsea", "Jordan": a place after in/from/to, otherwise possibly a person
            prev = self.prev(i)
            after_locative = prev is not None and prev.lower in cue.LOCATIVE
            return t.lower not in cue.PLACES_AS_NAMES or after_locative
        return False

    def word(self, i: int) -> str:
        return self.words[i]

    def next(self, i: int, *, punct: str = "") -> Token | None:
        """The next token if only spaces (or the given punctuation) separate it."""
        if i + 1 >= len(self.toks):
            return None
        gap = self.gaps[i]
        if len(gap) <= 3 and "\n" not in gap and not gap.strip(" \t\u00a0" + punct):
            return self.toks[i + 1]
        return None

    def prev(self, i: int) -> Token | None:
        if i == 0:
            return None
        gap = self.gaps[i - 1]
        return self.toks[i - 1] if "\n" not in gap and not gap.strip(" .\t\u00a0") else None

    def free(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and not self.blocked[i] and self.owner[i] is None

    def sentence_start(self, i: int) -> bool:
        return self.doc.is_sentence_start(self.toks[i].start)

    def date_context(self, i: int) -> bool:
        """"12 Jan", "Jun 3": month abbreviations that are also names."""
        p, n = self.prev(i), self.next(i)
        return bool((p and _ORDINAL.match(p.text)) or (n and _ORDINAL.match(n.text)))

    def suffix_follows(self, i: int) -> bool:
        n = self.next(i)
        return n is not None and n.lower in cue.PLACE_SUFFIXES

    def proper_noun_follows(self, i: int) -> bool:
        """The next word starts a street, firm or building name: "John [Smith's Stadium]"."""
        return self.next(i) is not None and self.caps[i + 1] and self.suffix_follows(i + 1)

    def saint_before(self, i: int) -> bool:
        p = self.prev(i)
        return p is not None and p.lower in {"st", "saint", "ste"}

    def name_like(self, i: int, *, cued: bool = False) -> bool:
        """Could token i be (part of) a person's name? Capitalised, not a plain word, not a
        month, not the start of a street or firm name. A cue lets ambiguous names through."""
        if not self.free(i):
            return False
        w = self.word(i)
        if len(w) < 2 or not self.caps[i] or w.lower() in cue.NEVER or w.lower() in wl.not_names():
            return False
        if self.suffix_follows(i) or self.saint_before(i) or self.date_context(i):
            return False
        if not cued and w.lower() in self.proper:
            return False
        if _known_first(w) or _known_surname(w):
            return cued or not wl.is_ambiguous_name(w) or _known_surname(w) and not wl.is_word(w)
        return not wl.is_word(w)

    # -- recording -------------------------------------------------------------------------------

    def add(self, first: int, last: int, severity: str, rule: str, reason: str, title=False) -> _Hit:
        hit = _Hit(first, last, severity, rule, reason, title)
        for k in range(first, last + 1):
            self.owner[k] = hit
        return hit

    def extend(self, i: int, limit: int = 2) -> int:
        """Index of the last token of a name starting at i: a following surname, middle name or
        unknown capitalised word ("Olga Brennan", "Kamran Ali Iqbal")."""
        last = i
        for _ in range(limit):
            n = self.next(last)
            j = last + 1
            if n is None or not self.free(j):
                break
            w = self.word(j)
            if not _capitalised(w) or self.suffix_follows(j) or w.lower() in cue.NEVER:
                break
            if not (_known_surname(w) or _known_first(w) or not _word_like(w)):
                break
            if wl.is_ambiguous_name(w) and not _known_surname(w):
                break  # "Kamran Will ..." is not a surname
            last = j
            if self.word_ends[j] != self.toks[j].end:
                break  # a possessive ends the name
        return last

    # -- the rules ---------------------------------------------------------------------------------

    def initials(self) -> None:
        """"J. Smith", "K Okafor": an initial before a known surname."""
        for i, t in enumerate(self.toks[:-1]):
            if len(t.text) != 1 or not t.text.isupper() or not self.free(i) or not self.free(i + 1):
                continue
            dot = self.doc.text[t.end:t.end + 1] == "."
            if self.next(i, punct=".") is None or (t.text in "AI" and not dot):
                continue  # "A Smith award", "I Baker ..." are not initials
            w = self.word(i + 1)
            if self.caps[i + 1] and _known_surname(w) and not self.suffix_follows(i + 1):
                self.add(i, i + 1, BLOCK, "name.initial", "Initial and surname")

    def titles(self) -> None:
        for i, t in enumerate(self.toks):
            low = t.lower.rstrip(".")
            if low not in cue.TITLES or not self.free(i):
                continue
            if low in cue.WORDY_TITLES and not _capitalised(t.text):
                continue
            n = self.next(i, punct=".")
            if n is None or not self.free(i + 1):
                continue
            w = self.word(i + 1)
            ok_cap = _capitalised(w) and (
                _known_surname(w) or _known_first(w) or not wl.is_word(w))
            ok_lower = w.islower() and len(w) >= 3 and not _word_like(w)  # "mrs okafor"
            if (ok_cap or ok_lower) and w.lower() not in cue.NEVER:
                last = self.extend(i + 1) if ok_cap else i + 1
                self.add(i, last, BLOCK, "name.title", "Name with a title", title=True)

    def cues(self) -> None:
        for i, t in enumerate(self.toks):
            low = t.lower
            pair = i + 1 < len(self.toks) and (low, self.toks[i + 1].lower) in cue.PAIR_CUES
            speech = low in cue.SPEECH_CUES or pair
            if speech and low not in cue.SPEECH_CUES:
                i += 1  # two-word cue: the name follows its second word
            elif not speech and low not in cue.RELATION_CUES:
                continue
            n = self.next(i, punct=",:") if i < len(self.toks) else None
            j = i + 1
            if n is None or not self.free(j):
                continue
            w = self.word(j)
            if self.name_like(j, cued=True) and (
                    _known_first(w) or _known_surname(w) or not wl.is_word(w)):
                self.add(j, self.extend(j), BLOCK, "name.cue",
                         "Name after a cue such as 'called' or 'her son'")
            elif w.islower() and _plausible_lower_name(w):
                self.add(j, self._extend_lower(j), BLOCK if speech else WARN, "name.cue",
                         "Name or nickname after a cue such as 'called' or 'her son'")

    def gazetteer(self) -> None:
        for i, w in enumerate(self.words):
            if not self.caps[i] or not self.free(i) or not self.name_like(i, cued=True):
                continue
            if w.lower() in self.proper:
                continue  # "... an interview with Arla" after "Arla Foods"
            if _known_first(w):
                last = self.extend(i)
                if self.suffix_follows(last) or self.proper_noun_follows(last):
                    continue  # "John Smith's Stadium", "Victoria Park"
                if wl.is_ambiguous_name(w):
                    # Hope, Will, May: only with a following surname that is not itself a word
                    # ("Grace Okafor", not "Grace Church" or "March Kamran")
                    nxt = self.word(i + 1) if last > i else ""
                    if not nxt or _word_like(nxt) or not _known_surname(nxt) and _known_first(nxt):
                        continue
                    last = i + 1
                self.add(i, last, BLOCK, "name.gazetteer",
                         "Full name" if last > i else "First name from the name list")
            elif not wl.is_word(w) and not _known_surname(w):
                # Unknown word + known surname: "Chidinma Okafor"
                n = self.next(i)
                if n is None or not self.free(i + 1):
                    continue
                s = self.word(i + 1)
                if self.caps[i + 1] and _known_surname(s) and not _word_like(s) \
                        and not self.suffix_follows(i + 1):
                    self.add(i, i + 1, BLOCK, "name.surname", "Full name (known surname)")

    def _extend_lower(self, i: int) -> int:
        """A lower-case surname after a lower-case first name: "shane whitfield"."""
        n = self.next(i)
        if n is not None and self.free(i + 1):
            s = self.word(i + 1)
            if s.islower() and len(s) >= 3 and wl.is_surname(s) and not _word_like(s):
                return i + 1
        return i

    def contacts(self) -> None:
        """Unknown words where a person is expected: "working with Vesile", "appt with tawfik",
        and an unknown word before a known surname: "xhevat stoica"."""
        surnames, toks = wl.surnames(), self.toks
        for i, w in enumerate(self.words):
            after_cue = i > 0 and toks[i - 1].lower in ("with", "to")
            before_surname = i + 1 < len(toks) and toks[i + 1].lower in surnames
            if not (after_cue or before_surname) or not self.free(i) or len(w) < 3:
                continue  # cheap checks first
            if w.islower():
                if not _plausible_lower_name(w):
                    continue
                nxt = self._extend_lower(i)
                if nxt > i and not wl.is_first_name(w):
                    self.add(i, nxt, WARN, "name.surname",
                             "Looks like a full name typed in lower case")
                elif self._after_contact_cue(i, strict=True):
                    self.add(i, nxt, WARN, "name.contact", "Possibly a name (not in the name list)")
            elif self.caps[i] and self._after_person_cue(i) and self.name_like(i):
                self.add(i, self.extend(i), WARN, "name.contact",
                         "Possibly a name (not in the name list)")

    def _after_person_cue(self, i: int) -> bool:
        """"appt with X", "meeting with X", "started working with X"."""
        p = self.prev(i)
        pp = self.prev(i - 1) if p is not None and i >= 1 else None
        if p is None or p.lower != "with" or pp is None:
            return False
        if pp.lower in cue.PERSON_WITH_NOUNS:
            return True
        ppp = self.prev(i - 2) if i >= 2 else None
        return pp.lower == "working" and ppp is not None and ppp.lower in {"started", "began", "start"}

    def _after_contact_cue(self, i: int, strict: bool = False) -> bool:
        """After "with", "met", "spoke to" ...; strict: only after "working with", "appt with",
        "spoke to" and the like, where a person is all but certain."""
        p = self.prev(i)
        if p is None:
            return False
        pp = self.prev(i - 1) if i >= 1 else None
        if p.lower == "to" or (strict and p.lower == "with"):
            verbs = cue.TALK_VERBS | cue.WITH_NOUNS if strict else cue.TALK_VERBS
            return pp is not None and pp.lower in verbs
        return not strict and p.lower in cue.CONTACT_CUES

    def predicates(self) -> None:
        """Unknown words acting as a person: "Zhivko has been with our service", "Initial
        meeting, gurbax attended with ID"."""
        text, toks = self.doc.text, self.toks
        for i, w in enumerate(self.words[:-1]):
            if toks[i + 1].lower not in cue.PREDICATE_WORDS or not self.free(i) or len(w) < 3:
                continue  # cheap checks first: most words are not followed by a predicate
            if w.islower():
                if not _plausible_lower_name(w):
                    continue
            elif not self.caps[i] or _word_like(w) or w.lower() in wl.not_names() | cue.NEVER:
                continue
            elif self.suffix_follows(i) or self.saint_before(i) or self.date_context(i):
                continue
            if self.word_ends[i] != self.toks[i].end:
                continue  # "Remploy's" is rarely a person acting
            prev = self.prev(i)
            if prev is not None and prev.lower in cue.DETERMINERS:
                continue  # "my caseload has been ...": a name takes no determiner
            if cue.PERSON_PREDICATE.match(text, self.toks[i].end):
                self.add(i, i, WARN, "name.predicate",
                         "Possibly a name (not in the name list): please check")

    def frames(self) -> None:
        """A listed first name, in any case, in a speech or meeting frame: "siân said",
        "Home visit. mark said", "met with tomasz", "phone call from pat this morning"."""
        toks, doc = self.toks, self.doc
        # candidates from the word index: the word before a speech verb, after a meeting word
        candidates = set()
        for w in _SPEECH & doc.index.keys():
            candidates.update(doc.token_index(pos) - 1 for pos in doc.index[w])
        for w in _MEET & doc.index.keys():
            candidates.update(doc.token_index(pos) + 1 for pos in doc.index[w])
        for i in sorted(candidates):
            if not 0 <= i < len(toks):
                continue
            nxt = toks[i + 1].lower if i + 1 < len(toks) else None
            before = self._meet_frame(i)
            if not self.free(i):
                continue
            w = self.word(i)
            low = w.lower()
            if len(w) < 2 or (w.isupper() and len(w) > 1) or low in cue.NEVER \
                    or low in cue.RELATION_CUES or low in cue.TITLES or low in wl.not_names():
                continue
            listed = _known_first(w)
            unknown_cap = not listed and _capitalised(w) and not _word_like(w) \
                and not wl.is_surname(low) and before and not self.suffix_follows(i) \
                and self._meet_frame(i, person_only=True)
            if not (listed or unknown_cap) or self.date_context(i):
                continue
            speech = nxt in cue.SPEECH_AFTER and self.word_ends[i] == toks[i].end \
                and self.next(i) is not None and self._speech_opener(i)
            if not (speech or before and self._meet_end(i)):
                continue
            self.add(i, i, WARN, "name.frame",
                     "Looks like a name (after 'met', 'spoke to' or before 'said')")

    def _speech_opener(self, i: int) -> bool:
        """Name at the start of a sentence or after a conjunction: "mark said", "and jo said"."""
        if self.sentence_start(i):
            return True
        p = self.prev(i)
        return p is not None and p.lower in cue.SPEECH_OPENERS and p.lower not in cue.DETERMINERS

    def _meet_frame(self, i: int, person_only: bool = False) -> bool:
        p = self.prev(i)
        if p is None or self.doc.text[p.end:self.toks[i].start] != " ":
            return False
        if p.lower in (cue.PERSON_MEET_BEFORE if person_only else cue.MEET_BEFORE):
            return True
        pp = self.prev(i - 1) if i >= 2 else None
        return pp is not None and (pp.lower, p.lower) in (
            cue.PERSON_MEET_PAIRS if person_only else cue.MEET_PAIRS)

    def _meet_end(self, i: int) -> bool:
        """The name ends a clause or is followed by a word such as "and", "about", "today"."""
        if self.word_ends[i] != self.toks[i].end:
            return True  # "met will's mum"
        if i + 1 >= len(self.toks):
            return True
        gap = self.gaps[i]
        if gap.strip():
            return True  # punctuation: "rang pat, no answer"
        return self.toks[i + 1].lower in cue.MEET_AFTER

    def lower_case(self) -> None:
        firsts = wl.first_names()
        for i, w in enumerate(self.words):
            if w not in firsts:  # a cheap set lookup first: lower-case words only match as-is
                continue
            if not self.free(i) or not wl.is_first_name(w) or w in cue.NEVER:
                continue
            # 4+ letters and not a word ("tomasz"); shorter or word-like names ("ian", "lee")
            # only straight after "with" / "spoke to" / "met" ...
            plain = len(w) >= 4 and not _word_like(w)
            cued = len(w) >= 3 and self._after_contact_cue(i) and (
                not wl.is_word(w) or w in wl.names_not_words()) and not wl.is_ambiguous_name(w)
            if plain or cued:
                self.add(i, self._extend_lower(i), WARN, "name.lowercase",
                         "Looks like a name typed in lower case")

    def propagate(self) -> None:
        """Flag every other mention of a found name's words, in any case where it is safe."""
        found: dict[str, _Hit] = {}
        for hit in {id(h): h for h in self.owner if h is not None}.values():
            for k in range(hit.first + (1 if hit.title else 0), hit.last + 1):
                found.setdefault(self.word(k).lower(), hit)
        for i in range(len(self.toks)):
            if not self.free(i):
                continue
            w = self.word(i)
            origin = found.get(w.lower())
            if origin is None or len(w) < 2:
                continue
            if not _capitalised(w) and (_word_like(w) or len(w) < 3) and not self._acts(i):
                continue  # "will" or "mark" in lower case stays a word, unless "will is 18"
            if _capitalised(w) and (self.suffix_follows(i) or self.saint_before(i)):
                continue
            self.add(i, i, origin.severity, "name.repeat", "Another mention of a name found above")

    def _acts(self, i: int) -> bool:
        """The word is the subject of a verb: "will is 18", "pat starts after Easter"."""
        n = self.next(i)
        if n is None or n.lower not in cue.SUBJECT_VERBS or self.word_ends[i] != self.toks[i].end:
            return False
        p = self.prev(i)
        return p is None or self.sentence_start(i) or p.lower in cue.SPEECH_OPENERS

    def run(self) -> list[Finding]:
        self.titles()
        self.initials()
        self.cues()
        self.gazetteer()
        self.predicates()
        self.frames()
        self.lower_case()
        self.contacts()
        self.propagate()
        return self.findings()

    def findings(self) -> list[Finding]:
        hits = sorted({id(h): h for h in self.owner if h is not None}.values(), key=lambda h: h.first)
        people: dict[str, str] = {}  # name word -> placeholder, so repeats share a letter
        out: list[Finding] = []
        for h in hits:
            start = self.toks[h.first].start
            end = self.word_ends[h.last]
            words = [self.word(k).lower() for k in range(h.first + h.title, h.last + 1)]
            label = next((people[w] for w in words if w in people), None)
            label = label or _placeholder(len(set(people.values())))
            for w in words:
                people.setdefault(w, label)
            out.append(Finding("name", start, end, h.severity, h.reason, label, h.rule))
        return _merge_adjacent(out, self.doc.text)


_SPEECH = cue.SPEECH_AFTER
_MEET = cue.MEET_BEFORE | {second for _, second in cue.MEET_PAIRS}


def _covered(toks: list[Token], spans: list[tuple[int, int]]) -> list[bool]:
    """For each token, whether it overlaps one of `spans` (a merge walk over both sorted lists)."""
    spans = sorted(spans)
    out, k = [], 0
    for t in toks:
        while k < len(spans) and spans[k][1] <= t.start:
            k += 1
        out.append(k < len(spans) and spans[k][0] < t.end)
    return out


def _placeholder(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"Participant {letters[n % 26]}" + (str(n // 26) if n >= 26 else "")


def _merge_adjacent(findings: list[Finding], text: str) -> list[Finding]:
    """'Olga' + 'Brennan' found separately by propagation become one 'Olga Brennan' finding."""
    out: list[Finding] = []
    for f in findings:
        if out and text[out[-1].end:f.start] == " ":
            prev = out.pop()
            severity = BLOCK if BLOCK in (prev.severity, f.severity) else WARN
            f = Finding("name", prev.start, f.end, severity, prev.reason, prev.suggestion, prev.rule_id)
        out.append(f)
    return out


def find_names(doc: Doc, taken: list[tuple[int, int]]) -> list[Finding]:
    """Name findings for `doc`, ignoring tokens inside the already-found spans `taken`."""
    return _NameScan(doc, taken).run()
