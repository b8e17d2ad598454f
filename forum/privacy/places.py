"""Where people live and what surrounds them: street addresses (block), streets and buildings
named without a number (block where someone lives, warn where they work or go), and the indirect
identifiers the author must judge (warn): small towns and villages (after a residence cue, or any
locative word for a place in the GeoNames-based gazetteer data/uk_places.txt), named schools and
small employers. RULES.md sections 3.7 and 3.13; issue 22.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from . import wordlists as wl
from .document import Doc
from .findings import BLOCK, WARN, Finding

X = re.VERBOSE
# A capitalised word in a proper name: "Blenheim", "O'Donnell", "Stow-on-the-Wold".
_CAP = r"[A-Z][\w'’]*(?:-[\w'’]+)*"

STREET_TYPES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres|Grove|Gr|"
    "Place|Pl|Terrace|Tce|Gardens|Gdns|Walk|Row|View|Mews|Square|Sq|Parade|Rise|Hill|Park|Green|"
    "Vale|Fold|Croft|Gate|Wynd|Brae|Heights|Meadows|Mount|Bank|Side|End|Yard|Wharf|Quay|Boulevard|"
    "Circus|Chase|Approach|Ride|Path|Passage|Embankment|Broadway|Promenade|Crossway|Causeway|"
    "Leys|Glade|Dale|Hollow|Lea|Orchard|Paddock|Spinney|Copse|Cottages|Villas|Buildings"
)
BUILDING_TYPES = ("House|Court|Lodge|Tower|Towers|Mansions|Buildings|Block|Hall|Heights|Point|"
                  "Apartments|Villas|Cottages|Flats|Place|Chambers|Works|Mill|Wharf|Quay")

# 27 Mill Lane, 12a Blenheim Terrace, Flat 3, 27 Mill Lane
_NUMBERED = re.compile(
    rf"""(?<![\w£$.,/:\-])
        (?:(?:Flat|Apartment|Apt|Room|Unit)\s*[0-9]+[A-Za-z]?,?\s+)?
        [0-9]{{1,4}}[A-Za-z]?,?\s+(?:{_CAP}\s+){{1,3}}(?:{STREET_TYPES})\b""",
    X,
)
# Flat 8, Bridge House / Room 6, Albion House
_FLAT = re.compile(
    rf"""\b(?:Flat|Apartment|Apt|Room|Unit|Bedsit)\s*[0-9]+[A-Za-z]?,?\s+
        (?:{_CAP}\s+){{0,3}}(?:{BUILDING_TYPES})\b""",
    X,
)
# A residence cue, then a street without a number: "lives on Kirkgate", "moved to Albion Street"
_RESIDENCE = (r"(?i:\b(?:lives?|living|lived|staying|stays|moved|moving|housed|rehoused|"
              r"placed|room|flat|bedsit|house|home|address(?:\s+is)?)\s+(?:is\s+)?)")
_RESIDENCE_WORDS = frozenset({"lives", "live", "living", "lived", "staying", "stays", "moved",
                              "moving", "housed", "rehoused", "placed", "room", "flat",
                              "bedsit", "house", "home", "address"})
_BARE_STREET_ON = re.compile(
    rf"{_RESIDENCE}(?i:on|off)\s+(?:the\s+)?(?P<street>{_CAP}(?:\s+{_CAP}){{0,2}})")
_BARE_STREET_NAMED = re.compile(
    rf"{_RESIDENCE}(?i:in|at|to|near)\s+(?:the\s+)?(?P<street>(?:{_CAP}\s+){{1,3}}(?:{STREET_TYPES}))\b")
_LOWER_ADDRESS = re.compile(
    rf"{_RESIDENCE}(?i:at|is)\s+(?P<street>[0-9]{{1,4}}[a-z]?,?\s+(?:[a-z]+\s+){{1,3}}"
    rf"(?:{STREET_TYPES.lower()}))\b")
# "the Jobcentre on Albion Street", "our office at 12 Market Street": public buildings.
_PUBLIC_BEFORE = re.compile(
    r"(?:\bwe(?:'re|\s+are)\s+(?:now\s+)?(?:based\s+)?(?:at|on)\s+|\bour\s+(?:new\s+)?"
    r"(?:office|premises|base|address|building|hub)\s+is\s+(?:now\s+)?(?:at\s+)?)$"
    r"|\b(?:jobcentre|office|offices|centre|center|library|council|hub|clinic|hospital|surgery|"
    r"college|school|station|shop|store|branch|site|depot|warehouse|building|church|mosque|"
    r"charity|venue|cafe|café|bank|base|premises|headquarters|hq)s?\s+(?:is\s+)?(?:on|at|in|off)\s+(?:the\s+)?$",
    re.I,
)


def _public(doc: Doc, start: int) -> bool:
    return _PUBLIC_BEFORE.search(doc.text[max(0, start - 40):start]) is not None


_FLAT_WORDS = frozenset({"flat", "apartment", "apt", "room", "unit", "bedsit"})


def find_addresses(doc: Doc) -> Iterator[Finding]:
    numbered = list(doc.match_at(_NUMBERED, _FLAT_WORDS)) + list(doc.match_near_digits(_NUMBERED, range(0, 1)))
    for m in numbered:
        if not _public(doc, m.start()):
            yield _address(m.start(), _with_town(doc, m.end()), "address.numbered")
    for m in doc.match_at(_FLAT, _FLAT_WORDS):
        yield _address(m.start(), _with_town(doc, m.end()), "address.flat")
    for rx, rule in ((_BARE_STREET_ON, "address.on"), (_BARE_STREET_NAMED, "address.street"),
                     (_LOWER_ADDRESS, "address.numbered")):
        for m in doc.match_at(rx, _RESIDENCE_WORDS):
            s, e = m.span("street")
            if doc.is_shadowed(s, e) or _all_words(doc.text[s:e]) and rule == "address.on" \
                    and doc.text[s:e].split()[-1].lower() not in _STREET_WORDS:
                continue  # "lives on Universal Credit", "living on Benefits"; not "Mill Lane"
            if _SERVICE_SUBJECT.match(doc.text, doc.sentence_bounds(s)[0]):
                continue  # "Our office has moved to Victoria Street"
            if doc.text[s:e].split()[0].lower().rstrip("s") in _MONTHS_DAYS:
                continue  # "the training house on Tuesdays"
            yield _address(s, e, rule)


_TOWN_AFTER = re.compile(rf",\s*(?P<town>{_CAP}(?:\s+(?:upon|on|under|in|by|le)\s+{_CAP}|\s+{_CAP}){{0,2}})")


def _with_town(doc: Doc, end: int) -> int:
    """"27 Mill Lane, Haltwhistle": the town after a street address is part of it."""
    m = _TOWN_AFTER.match(doc.text, end)
    if m and not _all_words(m.group("town")) and not m.group("town").isupper():
        return m.end()
    return end


def _address(start: int, end: int, rule: str) -> Finding:
    return Finding("address", start, end, BLOCK, "Street address", "[address removed]", rule)


def _all_words(phrase: str) -> bool:
    return all(wl.is_word(w) for w in re.findall(r"[\w'’]+", phrase))


# ------------------------------------------------------------------------------------------------
# streets and buildings named without a house number ("lives on Mill Lane", "the flats at Ashfield
# Court", "a bungalow on Heol y Nant"), in a sentence about where a person lives, works or goes

# Street types that name a street on their own; broader words (Park, Hill, Green) are left out.
_BARE_TYPES = ("Road|Street|Lane|Avenue|Close|Drive|Way|Court|Crescent|Grove|Place|Terrace|"
               "Gardens|Walk|Row|Mews|Square|Parade|Rise|View|Wynd|Brae|Vale|Croft|Fold|Chase|"
               "Boulevard|Loan|Vennel")
# Building names, only in a sentence about where someone lives ("the flats at Coldhurst House").
_BUILDING_TYPES = "House|Lodge|Tower|Towers|Heights|Mansions|Buildings|Flats|Apartments|Point"
# Welsh street words come before the name: Heol y Nant, Ffordd Pen Llech, Lôn Cefn Mawr.
_WELSH_TYPES = ("Heol|Hewl|Ffordd|Lôn|Lon|Stryd|Teras|Rhodfa|Cilgant|Clos|Maes|Llys|Cwrt|"
                "Sgwâr|Gerddi|Rhes")
_NAME_WORD = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
_WELSH_STREET = re.compile(
    rf"(?P<type>{_WELSH_TYPES})[ \t]+(?:(?:y|yr|'r|’r)[ \t]+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}")
_STREET_WORDS = frozenset(w.lower() for w in STREET_TYPES.split("|"))
_BARE_TYPE_WORDS = frozenset(w.lower() for w in (_BARE_TYPES + "|" + _BUILDING_TYPES).split("|"))
_WELSH_TYPE_WORDS = frozenset(w.lower() for w in _WELSH_TYPES.split("|"))
_BUILDING_WORDS = frozenset(w.lower() for w in _BUILDING_TYPES.split("|"))
# What comes straight before a street in a sentence about where someone is: "on", "lives at the",
# "along", Welsh "ar"; or a list item "home visit, Orchard Grove".
_STREET_BEFORE = re.compile(
    r"(?:\b(?:on|off|at|in|along|near|behind|opposite|to|from|down|up|round|around|by|past|into|"
    r"onto|outside|towards|via|ar|yn)\s+(?:the\s+)?|\b(?:visit|address|home|lives|living)\s*[,:\-–]\s*"
    r"|\b(?:address|place|home|flat)\s+is\s+(?:now\s+)?)$",
    re.I)
# Lead words that do not make a street: "The Court", "High Street", "Crown Court", "No Way".
_NOT_STREET_LEAD = {
    "the", "a", "an", "our", "their", "his", "her", "my", "your", "its", "this", "that", "these",
    "those", "no", "any", "some", "every", "each", "one", "same", "other", "another", "which",
    "what", "high", "main", "in", "by", "on", "at", "of", "and", "or", "to", "for", "with", "from",
    "i", "we", "he", "she", "they", "it", "there", "here", "then", "so", "but", "when", "if",
    "crown", "county", "magistrates", "magistrates'", "family", "supreme", "youth", "coroner's",
    "coroners", "appeal", "civil", "criminal", "district", "sheriff", "royal", "tennis", "food",
    "right", "wrong", "make", "open", "way", "street", "road", "companies", "social", "care",
    "safe", "quiet", "mobile", "public", "private", "next",
}
# Public buildings: "the Jobcentre on Church Street", "the library on Market Street".
_PUBLIC_ON = re.compile(
    r"\b(?:jobcentre|job\s+centre|office|offices|centre|center|library|council|hub|clinic|hospital|"
    r"surgery|college|school|station|church|mosque|temple|gurdwara|charity|venue|bank|premises|"
    r"headquarters|hq|museum|gym|food\s?bank|market|court|advice|cab|police|plus)s?\s+(?:is\s+)?"
    r"(?:on|at|in|off)\s+(?:the\s+)?$",
    re.I)
# A sentence about a person: whoever it is about is named, or a pronoun or role stands for them.
PERSON_WORDS = frozenset({
    "he", "she", "they", "him", "her", "his", "hers", "them", "their", "theirs", "himself",
    "herself", "themselves", "he's", "she's", "they're", "he'd", "she'd", "they'd", "he'll",
    "she'll", "participant", "participants", "family", "families", "household", "customer",
    "client", "people", "person", "man", "woman", "lad", "lass", "girl", "boy", "couple",
    "mum", "dad", "son", "daughter", "partner", "husband", "wife", "brother", "sister", "nan",
    "gran", "grandad", "granddaughter", "grandson", "children", "kids", "child", "baby", "mother",
    "father", "parents", "boyfriend", "girlfriend", "ex", "cousin", "aunt", "uncle", "carer",
    "tenant", "landlord", "employer", "owner", "manager", "friend", "mate", "neighbour",
})
RESIDENCE_WORDS = frozenset({
    "lives", "live", "living", "lived", "moved", "moving", "move", "flat", "flats", "house",
    "houses", "home", "room", "rooms", "staying", "stays", "stay", "rehoused", "housed",
    "bungalow", "maisonette", "maisonettes", "block", "tower", "new-build", "address", "tenancy",
    "rents", "renting", "rented", "sleeps", "sleeping", "slept", "bedsit", "byw", "visit",
    "apartment", "caravan", "hostel", "refuge",
})
_WE_ARE_AT = re.compile(r"\bwe(?:'re|\s+are)\s+(?:now\s+)?(?:based\s+)?(?:at|on|in)\s+(?:the\s+)?$", re.I)
# "Our office has moved to Victoria Street": a sentence about the service, not a person.
_SERVICE_SUBJECT = re.compile(
    r"\s*(?:our|the)\s+(?:new\s+)?(?:office|offices|service|team|hub|jobcentre|centre|drop-in|"
    r"premises|base|charity|organisation|project|group|branch|clinic|library|council)\b", re.I)


def find_bare_streets(doc: Doc) -> Iterator[Finding]:
    seen: set[int] = set()
    for s, type_start, e in _street_candidates(doc):
        if s in seen or doc.shadow_at(type_start, e) == "org":
            continue  # "Downing Street", "Crown Court"; "Victoria Way" and "Leeds Road" are streets
        sent_start, _ = doc.sentence_bounds(s)
        before = doc.text[max(sent_start, s - 60):s]
        if not _STREET_BEFORE.search(before) or _PUBLIC_ON.search(before) \
                or _WE_ARE_AT.search(before):
            continue
        street_type = doc.text[type_start:e].split()[0].lower()
        words = doc.sentence_words(s) - {street_type}  # "House" is not "a house"
        if words.isdisjoint(PERSON_WORDS) and words.isdisjoint(RESIDENCE_WORDS) \
                or _SERVICE_SUBJECT.match(doc.text, sent_start):
            continue
        residence = not words.isdisjoint(RESIDENCE_WORDS)
        if street_type in _BUILDING_WORDS and not residence:
            continue  # "works at Albion House" is an office block
        seen.add(s)
        if residence:
            yield Finding("address", s, e, BLOCK, "Street or building where someone lives",
                          "[street removed]", "address.street_name")
        else:
            yield Finding("address", s, e, WARN, "Street named in a sentence about someone",
                          "[street removed]", "address.street_name")


def _street_candidates(doc: Doc) -> Iterator[tuple[int, int, int]]:
    """(start, start of the street word, end) of "Mill Lane", "Cherry Tree Walk" (up to three
    capitalised words before a street type, found from the word index) and of Welsh "Heol y Nant"."""
    toks, text = doc.tokens, doc.text
    for word in _BARE_TYPE_WORDS & doc.index.keys():
        for pos in doc.index[word]:
            k = doc.token_index(pos)
            if not toks[k].text[:1].isupper():
                continue
            j = k
            while j > 0 and k - j < 3 and toks[j - 1].text[:1].isupper() \
                    and text[toks[j - 1].end:toks[j].start] in (" ", "\t"):
                j -= 1
            if j < k:
                s = _strip_street_lead(doc, toks[j].start, pos)
                if s < pos:
                    yield s, pos, toks[k].end
    for m in doc.match_at(_WELSH_STREET, _WELSH_TYPE_WORDS) if doc.has_any(_WELSH_TYPE_WORDS) else ():
        yield m.start(), m.start(), m.end()


def _strip_street_lead(doc: Doc, s: int, type_start: int) -> int:
    """Drop lead words that are not part of a street's name: "The", "Our", "High"."""
    for w in re.finditer(r"[\w'’\-]+", doc.text[s:type_start]):
        if w.group().lower() not in _NOT_STREET_LEAD:
            return s + w.start()
    return type_start


# ------------------------------------------------------------------------------------------------
# small towns and villages: a capitalised place after a locative cue, not on the big-places list

_PLACE = rf"(?P<place>{_CAP}(?:\s+(?:upon|on|under|in|by|le|la|de)\s+{_CAP}|\s+{_CAP}){{0,2}})"
_TOWN_CUES = re.compile(
    rf"""(?i:(?:(?:lives?|living|lived|based|grew\s+up|raised|resides?|residing|moved|moving|
                  relocated|rehoused|housed|settled|stays|staying)\s+(?:back\s+)?
                  (?:in|to|near|out\s+in|over\s+in|up\s+in|down\s+in|from|just\s+outside)
              |(?:is|are|was|were|comes|came|originally|hails|family)\s+(?:originally\s+)?from
              |(?:village|town|hamlet)\s+(?:of|called|named)
              |(?:flat|house|room|bedsit|home|place|caravan)\s+(?:just\s+)?(?:in|near|outside)
              |(?:lives?|living|lived|staying|stays)\s+with\s+[^.\n]{{1,50}}?\s+in
              |small\s+(?:town|village|place)\s+(?:called|named|near|outside)))
        \s+{_PLACE}""",
    X,
)
# "Kington, a small place where jobs are scarce" / "Tow Law (a village ...)"
_TOWN_APPOSITIVE = re.compile(
    rf"{_PLACE},?\s+(?:\(\s*)?(?:a|is\s+a)\s+(?:small|tiny|little|rural|remote|former\s+mining|"
    rf"seaside|market|ex-mining|coastal)\s+(?:\w+\s+){{0,2}}(?:town|village|place|community|hamlet)\b")
_SERVICE_WORDS = {"housing", "accommodation", "care", "supported", "temporary", "hostel",
                  "prison", "hospital", "services", "service", "centre", "center", "office",
                  "team", "department", "council", "trust", "unit", "ward", "school", "college",
                  "university", "group", "programme", "scheme", "project", "agency", "bank",
                  "benefits", "credit", "support", "work", "employment", "probation", "living",
                  "education", "training", "recovery", "rehab", "refuge"}
_TOWN_CUE_WORDS = frozenset({
    "lives", "live", "living", "lived", "based", "grew", "raised", "resides", "reside", "residing",
    "moved", "moving", "relocated", "rehoused", "housed", "settled", "stays", "staying", "is",
    "are", "was", "were", "comes", "came", "originally", "hails", "family", "village", "town",
    "hamlet", "small", "flat", "house", "room", "bedsit", "home", "place", "caravan"})
_APPOSITIVE_WORDS = frozenset({"town", "village", "place", "community", "hamlet"})
_NOT_PLACES = {"the", "a", "an", "his", "her", "their", "my", "our", "home", "work", "prison",
               "hospital", "care", "school", "college", "university", "hostel", "temporary",
               "supported", "private", "council", "social", "emergency", "jobcentre", "housing",
               "accommodation", "sheltered", "custody", "rehab", "respite", "foster", "bed",
               "hotel", "town", "city", "village", "there", "here", "this", "that", "it",
               "which", "what", "where", "some", "one", "two", "england", "britain"}


def find_small_places(doc: Doc) -> Iterator[Finding]:
    matches = list(doc.match_at(_TOWN_CUES, _TOWN_CUE_WORDS))
    if doc.has_any(_APPOSITIVE_WORDS):
        matches += _TOWN_APPOSITIVE.finditer(doc.text)
    for m in matches:
        s, e = _trim_place(doc, *m.span("place"))
        if s >= e:
            continue
        phrase = doc.text[s:e]
        first = phrase.split()[0].lower()
        if first in _NOT_PLACES or first in _MONTHS_DAYS or phrase.split()[0].isupper():
            continue  # "the council", "March", "HMP Leeds"
        # An appositive ("X, a small village") is evidence enough; after a plain cue a phrase
        # naming a service is not a place ("moved to Supported Housing", "came from Head Office").
        if m.re is not _TOWN_APPOSITIVE and _SERVICE_WORDS & set(phrase.lower().split()):
            continue
        if phrase.split()[-1].lower() in _BARE_TYPE_WORDS | _STREET_WORDS:
            continue  # "moved to Victoria Street": a street, left to the street rules
        yield Finding("other", s, e, WARN,
                      "Named town or village: could identify someone with local knowledge",
                      "a small town", "other.place")


def _trim_place(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Drop a big place or organisation: "moved from Leeds" is not a small town. A phrase that
    starts with one ("Leeds Road") is dropped too."""
    label = doc.shadow_at(s, e)
    return (s, s) if label else (s, e)


_MONTHS_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "monday", "tuesday", "wednesday",
                "thursday", "friday", "saturday", "sunday", "christmas", "easter"}


# Small places from the gazetteer (data/uk_places.txt) after a plain locative word, in a sentence
# about a person: "works in Tow Law", "the bus from Seaham", "a young mum in Kirriemuir".
_PLACE_PREPS = frozenset({"in", "near", "from", "outside", "around", "round", "to", "at", "into",
                          "towards", "nr"})
# Place-name particles that may be lower case inside a name: "Stow on the Wold", "Hope under
# Dinmore", "Betws y Coed".
_PLACE_PARTICLES = frozenset({"upon", "on", "under", "in", "by", "le", "la", "de", "the", "y",
                              "yr", "of", "with", "en", "cum", "next", "super", "sea"})
# "spoke to Ashley", "wrote to Morley": a person, not a place.
_TO_PERSON_VERBS = frozenset({"spoke", "speak", "speaking", "talked", "talk", "talking", "wrote",
                              "write", "sent", "send", "said", "say", "referred", "refer",
                              "introduced", "introduce", "chatted", "listened", "replied",
                              "explained", "mentioned", "passed", "gave", "give", "reached",
                              "went", "go", "going", "back", "up", "over"})
# Unlisted villages that still look like places (Welsh and Scottish prefixes, English endings).
_PLACE_SHAPE = re.compile(
    r"(?:Llan|Aber|Caer|Pont|Ystrad|Cwm|Bryn|Blaen|Nant|Glan|Porth|Rhos|Pwll|Betws|Bettws|Penr|"
    r"Pen[a-z]{2}|Tre[f]?[a-z]{3}|Kirk|Inver|Strath|Auch|Bal[a-z]{3}|Dun[a-z]{3}|Kil[a-z]{3}|"
    r"Drum|Glen[a-z]{2})[a-z]{2,}"
    r"|[A-Z][a-z]{2,}(?:thorpe|thwaite|wick|worth|borough|burgh|bury|minster|caster|chester|"
    r"cester|mouth|stead|bridge|combe|hurst|ington|holme|by|ham|ton|ley|field|ford|well|wood|"
    r"dale|moor|den)"
)


def find_known_places(doc: Doc) -> Iterator[Finding]:
    if doc.index.keys().isdisjoint(_PLACE_PREPS):
        return
    firsts, places, toks = wl.small_place_first_words(), wl.small_places(), doc.tokens
    for prep in _PLACE_PREPS & doc.index.keys():
        for pos in doc.index[prep]:
            i = doc.token_index(pos) + 1
            if i >= len(toks) or not toks[i].text[:1].isupper():
                continue
            if doc.text[toks[i - 1].end:toks[i].start] != " ":
                continue
            first = wl.place_key(toks[i].text)
            known = first.split()[0] in firsts
            if not known and not _PLACE_SHAPE.fullmatch(toks[i].text):
                continue
            span = _longest_place(doc, i, places) if known else None
            rule = "other.place.gazetteer"
            if span is None:
                if prep in ("to", "at", "towards") or not _PLACE_SHAPE.fullmatch(toks[i].text):
                    continue
                span, rule = (toks[i].start, toks[i].end), "other.place.shape"
                word = toks[i].text
                if wl.is_word(word) or wl.is_first_name(word) or _next_is_capitalised(doc, i, i):
                    continue
            s, e = span
            j = doc.token_index(e) - 1
            if doc.is_shadowed(s, e) or _next_is_capitalised(doc, i, j):
                continue  # a big place, or part of a longer name ("Ashfield Court", "Crook Town FC")
            if j == i and _single_word_clash(toks[i].text):
                continue  # "in March", "in Hope", "from Street"
            if prep == "to" and i >= 2 and toks[i - 2].lower in _TO_PERSON_VERBS:
                continue
            if prep == "from" and i >= 2 and toks[i - 2].lower in _FROM_MESSAGE:
                continue  # "a letter from Ashton": a sender, person or firm
            words = doc.sentence_words(s)
            if words.isdisjoint(PERSON_WORDS) and words.isdisjoint(RESIDENCE_WORDS) \
                    and words.isdisjoint(_WORK_WORDS):
                continue
            yield Finding("other", s, e, WARN,
                          "Named town or village: could identify someone with local knowledge",
                          "a small town", rule)


_FROM_MESSAGE = frozenset({"letter", "letters", "email", "emails", "call", "calls", "text",
                           "texts", "message", "messages", "referral", "referrals", "update",
                           "reply", "response", "feedback", "advice", "help", "support", "offer",
                           "quote", "invoice", "bill", "payment", "visit", "voicemail", "note"})
_WORK_WORDS = frozenset({"works", "work", "working", "worked", "job", "jobs", "shift", "shifts",
                         "placement", "employed", "commutes", "commute", "travels", "bus",
                         "train", "based"})


def _longest_place(doc: Doc, i: int, places: frozenset[str]) -> tuple[int, int] | None:
    toks, text = doc.tokens, doc.text
    words = [toks[i].text]
    best = None
    j = i
    while True:
        if wl.place_key(" ".join(words)) in places:
            best = (toks[i].start, toks[j].end)
        if len(words) >= 5 or j + 1 >= len(toks):
            break
        nxt = toks[j + 1]
        if text[toks[j].end:nxt.start] not in (" ", "-"):
            break
        if not nxt.text[:1].isupper() and nxt.lower not in _PLACE_PARTICLES:
            break
        words.append(nxt.text)
        j += 1
    return best


def _next_is_capitalised(doc: Doc, i: int, j: int) -> bool:
    toks = doc.tokens
    if j + 1 >= len(toks) or doc.text[toks[j].end:toks[j + 1].start] != " ":
        return False
    nxt = toks[j + 1].text
    return nxt[:1].isupper() and not nxt.isupper()


def _single_word_clash(word: str) -> bool:
    """A one-word place that is also a word or a name ("March", "Hope", "Street", "Ashley")."""
    low = word.lower()
    return (wl.is_word(low) or wl.is_first_name(low) or wl.is_ambiguous_name(low)
            or low in _MONTHS_DAYS or low.rstrip("s") in wl.english_words())


# ------------------------------------------------------------------------------------------------
# schools

_SCHOOL_KIND = (r"(?:Primary\s+School|Junior\s+School|Infant\s+School|Infants?\s+School|High\s+School|"
                r"Grammar\s+School|Secondary\s+School|Community\s+School|Free\s+School|Special\s+School|"
                r"Primary\s+Academy|Academy|College|School|Primary|Juniors|Infants|Nursery)")
_SCHOOL = re.compile(
    rf"""\b(?P<name>(?:(?:St\.?|Saint)\s+)?(?:{_CAP}(?:\s+of)?\s+){{1,4}})
        (?:(?:C\s?of\s?E|CE|RC|Catholic|Church\s+of\s+England|Methodist|Junior\s+and\s+Infant|
             Infant\s+and\s+Junior|Primary|Junior|Infant|Community|VA|VC)\s+)*
        {_SCHOOL_KIND}\b
      |\bYsgol\s+{_CAP}(?:\s+{_CAP}){{0,2}}""",
    X,
)
_GENERIC_SCHOOL_WORDS = {
    "the", "a", "an", "local", "primary", "secondary", "high", "junior", "infant", "infants",
    "nursery", "school", "academy", "college", "sixth", "form", "further", "education", "special",
    "community", "catholic", "sunday", "forest", "driving", "night", "boarding", "state",
    "private", "grammar", "comprehensive", "free", "my", "his", "her", "their", "our", "new",
    "old", "city", "art", "arts", "police", "dance", "music", "language", "business", "summer",
    "holiday", "after", "breakfast", "technical", "adult", "training", "open", "staff",
    "national", "royal", "birkbeck", "year", "of", "and", "he", "she", "they",
    "when", "at", "in", "then", "both", "two", "three", "secondary", "medical", "nursing",
    "veterinary", "law", "welding", "bricklaying", "catering", "construction",
}


_SCHOOL_WORDS = frozenset({"school", "academy", "college", "primary", "juniors", "infants",
                           "nursery", "ysgol"})


def find_schools(doc: Doc) -> Iterator[Finding]:
    if not doc.has_any(_SCHOOL_WORDS):
        return
    for m in doc.search_before(_SCHOOL, _SCHOOL_WORDS):
        s, e = m.span()
        if m.group("name") is not None:
            # Drop generic or sentence-initial lead words: "Sixth Form College", "When School"
            for w in re.findall(r"[\w'’]+", m.group("name")):
                if w.lower() not in _GENERIC_SCHOOL_WORDS:
                    break
                s = doc.text.index(w, s) + len(w)
            while s < e and not doc.text[s].isalnum():
                s += 1
            if not set(re.findall(r"[\w'’]+", doc.text[s:m.end("name")])) or doc.is_shadowed(s, e):
                continue
        yield Finding("other", s, e, WARN,
                      "Named school or college: with a year group it can identify a child",
                      "a local school", "other.school")


# ------------------------------------------------------------------------------------------------
# small employers

_FIRM_SUFFIX = (
    r"(?:Ltd|Limited|LLP|&\s+Sons|and\s+Sons|&\s+Son|&\s+Co|and\s+Co|&\s+Daughters|Builders|"
    r"Builders\s+Merchants|Joinery|Joiners|Bakery|Bakers|Café|Cafe|Garage|Motors|Autos|"
    r"Golf\s+Club|Funeral\s+Directors|Funeral\s+Services|Plumbing|Plumbers|Electrical|Electricals|"
    r"Roofing|Landscaping|Landscapes|Cleaning(?:\s+Services)?|Cleaners|Construction|Engineering|"
    r"Fabrications?|Haulage|Logistics|Farms?|Dairy|Butchers?|Florists?|Salon|Barbers?|Kennels|"
    r"Cattery|Stables|Vets|Veterinary\s+(?:Practice|Surgery|Centre)|Pharmacy|Chemists?|"
    r"Dental\s+(?:Practice|Surgery|Care)|Hotel|Inn|Arms|Tavern|Takeaway|Catering|Caterers|"
    r"Carpets|Upholstery|Printers|Printing|Trust|Care\s+Home|Nursing\s+Home|Care\s+Services|"
    r"Homecare|Home\s+Care|Garden\s+Centre|Timber|Scaffolding|Removals|Recycling|Decorators|"
    r"Decorating|Interiors|Tyres|Accountants|Solicitors|Opticians|Launderette|Brewery|Distillery|"
    r"Foods|Textiles|Packaging|Glazing|Kitchens|Bathrooms|Coffee\s+Shop|Tea\s+Rooms|Tearooms|"
    r"Fish\s+Bar|Chippy|Bistro|Restaurant|Deli|Social\s+Club|Football\s+Club|Cricket\s+Club|"
    r"Rugby\s+Club|Workshop|Studios?|Supplies|Mill|Nurseries|Cars|Coaches|Taxis|Cabs|"
    r"Car\s+Wash|Hand\s+Car\s+Wash|Valeting|Valet\s+Centre|Nail\s+Bar|Nails|Beauty|"
    r"Hair\s+and\s+Beauty|Hair\s+&\s+Beauty|Hairdressers|Hair\s+Salon|Grooming|Pizzeria|Pizza|"
    r"Kebabs?|Diner|Grill|Tattoos?|Tattoo\s+Studio|Dry\s+Cleaners|Laundry|Laundrette|"
    r"Contractors|Maintenance|Heating|Fencing|Skip\s+Hire|Plant\s+Hire|Body\s+Shop|Bodyshop|"
    r"MOT\s+Centre|Day\s+Nursery|Newsagents?|Convenience\s+Store|Off\s+Licence|Hardware|"
    r"Carpentry|Aquatics|Signs|Car\s+Sales|Car\s+Parts|Repairs|Tiling|Plastering|Groundworks|"
    r"Demolition|Locksmiths?|Pet\s+Shop|Pet\s+Supplies|Alterations|Tailors|Cobblers|Bookkeeping|"
    r"Recruitment|Care\s+Agency|Cleaning\s+Company|Security\s+Services|Catering\s+Services)"
)
_FIRM = re.compile(
    rf"(?<![\w&])(?P<firm>(?:{_CAP}(?:\s+(?:&|and|of)\s+|\s+|-)){{1,4}}{_FIRM_SUFFIX})\b")
_EMPLOYER_CUE_WORDS = frozenset({"the", "taken", "works", "work", "working", "worked", "job",
                                 "employed", "placement", "apprenticeship", "trial", "started"})
# last words of the firm suffixes: the firm regex only runs when one of them is in the text
_FIRM_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-zé]+", _FIRM_SUFFIX)
                        if w not in ("s", "and", "Co")) | {"co"}
_ONLY_AT = re.compile(
    rf"""(?i:(?:the\s+only\s+(?:[\w\-]+\s+){{1,4}}?(?:at|in|for|with)
              |taken\s+on\s+(?:as\s+(?:[\w\-]+\s+){{1,4}}?)?(?:at|by)
              |(?:works?|working|worked|job|employed|placement|apprenticeship|trial|started)
                 \s+(?:as\s+(?:[\w\-]+\s+){{1,4}}?)?(?:at|for|by)))
        \s+(?P<firm>{_CAP}(?:\s+(?:&|and|of)\s+{_CAP}|\s+{_CAP}){{0,3}})""",
    X,
)
_GENERIC_FIRM_WORDS = {
    "health", "mental", "social", "housing", "community", "care", "national", "local", "public",
    "family", "youth", "employment", "support", "skills", "training", "the", "a", "an", "his",
    "her", "their", "our", "my", "this", "that", "food", "hygiene", "level", "adult", "customer",
    "flexible", "learning", "new", "big", "small", "large", "local", "several", "many", "two",
    "three", "some", "any", "every", "its", "nhs", "council", "city", "county", "borough",
    "royal", "british", "english", "welsh", "scottish", "irish", "northern", "southern",
    "eastern", "western", "central", "general", "teaching", "university", "hospitals",
    "hospital", "trust", "foundation",
}


def find_small_employers(doc: Doc) -> Iterator[Finding]:
    seen: set[tuple[int, int]] = set()
    matches = list(doc.match_at(_ONLY_AT, _EMPLOYER_CUE_WORDS))
    if doc.has_any(_FIRM_WORDS):
        matches += doc.search_before(_FIRM, _FIRM_WORDS)
    for m in matches:
        s, e = _strip_generic_lead(doc, *m.span("firm"))
        words = re.findall(r"[\w'’]+", doc.text[s:e])
        if not words or (s, e) in seen:
            continue
        if doc.is_shadowed(s, e) or _starts_with_big_place(doc, s, e):
            continue  # Shaw Trust, Leeds Teaching Hospitals, Tesco Extra
        if m.re is _ONLY_AT and _weak_employer_cue(doc, m, s, e, words):
            continue
        if doc.is_sentence_start(s) and len(words) == 1:
            continue
        seen.add((s, e))
        yield Finding("other", s, e, WARN,
                      "Named employer: a small firm plus a job role can identify someone",
                      "a small local employer", "other.employer")


def _strip_generic_lead(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """"The Local Health Trust" -> "" ; "Our Moss & Clegg Builders" -> "Moss & Clegg Builders"."""
    for w in re.findall(r"[\w'’]+", doc.text[s:e]):
        if w.lower() not in _GENERIC_FIRM_WORDS and w.lower() not in _NOT_PLACES:
            break
        s = doc.text.index(w, s) + len(w)
    while s < e and not doc.text[s].isalnum():
        s += 1
    return s, e


def _weak_employer_cue(doc: Doc, m: re.Match, s: int, e: int, words: list[str]) -> bool:
    """"the only welder at X" and "taken on at X" are strong; "works at X" alone is weak, so a
    single word (often a big employer we do not list), plain words or a person's name after it
    are not flagged."""
    cue = doc.text[m.start():m.start("firm")]
    if re.search(r"(?i)\bonly\b|taken\s+on", cue):
        return False
    has_joiner = re.search(r"\s(?:&|and)\s", doc.text[s:e]) is not None
    if len(words) < 2 and not has_joiner:
        return True  # "works at Aviva"
    return _all_words(doc.text[s:e]) or wl.is_first_name(words[0])  # "works for Kamran Iqbal"


def _starts_with_big_place(doc: Doc, s: int, e: int) -> bool:
    first = re.match(r"[\w'’\-]+", doc.text[s:e])
    return first is not None and doc.shadow_at(s, s + first.end()) == "place"


RULES = (find_addresses, find_bare_streets, find_small_places, find_known_places, find_schools,
         find_small_employers)
