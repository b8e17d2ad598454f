"""Rules for structured identifiers: email, phone, NINO, NHS number, postcode, vehicle
registration, date of birth, reference numbers, URLs, social handles, passport and driving
licence numbers. Each rule is a compiled regex plus a small validator and, where the shape alone
is too common, a cue word that must come shortly before it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from . import wordlists as wl
from .document import Doc
from .findings import BLOCK, WARN, Finding

I = re.IGNORECASE
X = re.VERBOSE

# ------------------------------------------------------------------------------------------------
# email

# Matched outwards from each "@": far faster than trying the local part at every word.
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._%+\-]{0,63}$")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# "jo dot bloggs at gmail dot com", "jo(at)gmail(dot)com". A spelt-out "at" only counts when the
# domain ends in a real TLD word, otherwise "space at home" would be an address.
_DOT = r"(?:\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+dot\s+|\.)"
_AT = r"(?:\s*[(\[{]\s*at\s*[)\]}]\s*|\s+at\s+)"
_TLD = (r"(?:com|co|uk|org|net|ac|gov|io|me|info|biz|ie|eu|email|pl|ro|lt|lv|ee|de|fr|es|it|pt|"
        r"nl|be|cz|sk|hu|bg|gr|tr|ng|gh|ke|za|in|pk|bd|so)")
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.@])[A-Za-z0-9_%+-]+(?:{_DOT}[A-Za-z0-9_%+-]+)*{_AT}"
    rf"(?P<domain>[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}{_TLD})(?![\w.])",
    I,
)
_MAIL_HOSTS = {"gmail", "googlemail", "hotmail", "outlook", "yahoo", "icloud", "live", "aol", "msn",
               "btinternet", "sky", "virginmedia", "talktalk", "protonmail", "proton", "me", "mail",
               "ymail", "gmx", "yandex"}


def _maybe_obfuscated(doc: Doc) -> bool:
    """Cheap pre-check for the slow spelt-out regex: "dot", "(at)", or "at" + a mail host."""
    if "dot" in doc.index or re.search(r"[(\[{]\s*at\s*[)\]}]", doc.text, re.I):
        return True
    for pos in doc.index.get("at", ()):
        host = re.match(r"\s+([a-z]+)\s*[.(\[]", doc.text[pos + 2:pos + 30], re.I)
        if host and host.group(1).lower() in _MAIL_HOSTS:
            return True
    return False


def _plain_emails(text: str) -> Iterator[tuple[int, int]]:
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain:
            yield local.start(), domain.end()
        at = text.find("@", at + 1)


def find_emails(doc: Doc) -> Iterator[Finding]:
    for start, end in _plain_emails(doc.text):
        yield Finding("email", start, end, BLOCK, "Email address", "[email removed]", "email")
    if not _maybe_obfuscated(doc):
        return
    for m in _OBFUSCATED_EMAIL.finditer(doc.text):
        domain = m.group("domain").lower()
        spelt_dot = re.search(r"dot", domain) is not None
        host = re.split(r"\W", domain.strip())[0]
        if "@" in m.group() or not (spelt_dot or host in _MAIL_HOSTS):
            continue  # "see you at bbc.co.uk" is not an address; "jo at gmail.com" is
        yield Finding("email", m.start(), m.end(), BLOCK, "Email address written out in words",
                      "[email removed]", "email.obfuscated")


# ------------------------------------------------------------------------------------------------
# phone numbers (Ofcom: 01/02 geographic and 07 mobile are personal; 03/08/09/116 are not)

_PHONE = re.compile(
    r"""(?<![\w+£$€/.])
        (?:(?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)?|\(?0)     # +44, 0044, +44 (0), or a trunk 0
        [0-9](?:[ \-.\u00a0]?\)?[ \-.\u00a0]?[0-9]){7,10}
        (?![\w/])""",
    X,
)


def _phone_nsn(raw: str) -> str | None:
    """The national significant number (no trunk 0 or +44), if the digit count is plausible."""
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip("(").startswith(("+", "00")):
        digits = digits[4:] if digits.startswith("0044") else digits[2:]
        if raw.find("(0)") != -1:
            digits = digits[1:] if digits.startswith("0") else digits
    else:
        digits = digits[1:]
    return digits if 9 <= len(digits) <= 10 else None


def find_phones(doc: Doc) -> Iterator[Finding]:
    # anchored on digit runs: "0...", "(0...", "+44", "+ 44"
    for m in doc.match_near_digits(_PHONE, range(0, 3)):
        start, raw = m.start(), m.group()
        nsn = _phone_nsn(raw)
        # A run that swallowed a following number ("07700 900123 2 times"): drop trailing groups.
        while nsn is None and re.search(r"[ \-.]\d+$", raw):
            raw = re.sub(r"[ \-.]\d+$", "", raw)
            nsn = _phone_nsn(raw)
        if nsn is None or nsn[0] not in "127":
            continue  # 03/08/09 numbers belong to organisations and helplines
        if nsn[0] != "7" and len(nsn) == 9 and not nsn.startswith("1"):
            continue
        yield Finding("phone", start, start + len(raw), BLOCK,
                      "Phone number (UK landline or mobile)", "[phone removed]", "phone.uk")


# ------------------------------------------------------------------------------------------------
# National Insurance numbers (HMRC NIM39110)

_NINO = re.compile(
    r"""(?<![A-Za-z0-9])
        (?!(?:BG|GB|KN|NK|NT|TN|ZZ))
        [A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]
        [\s.\-]?[0-9]{2}[\s.\-]?[0-9]{2}[\s.\-]?[0-9]{2}
        (?:[\s.\-]?(?P<suffix>[A-D]))?
        (?![A-Za-z0-9])""",
    I | X,
)
_NI_CUE = re.compile(r"\b(?:NI|NINO|N\.I\.|national\s+insurance)\b", I)
# Temporary Reference Number, e.g. 11 a1 11 11
_TRN = re.compile(r"(?<![\w])[0-9]{2}\s?[A-Z][0-9]\s?[0-9]{2}\s?[0-9]{2}(?![\w])", I)
_TRN_CUE = re.compile(r"\b(?:TRN|temporary\s+ref)", I)


def _has_cue(doc: Doc, rx: re.Pattern, pos: int, window: int) -> bool:
    return rx.search(doc.text, max(0, pos - window), pos) is not None


def find_ninos(doc: Doc) -> Iterator[Finding]:
    for m in doc.match_near_digits(_NINO, range(2, 4)):  # "JG103745B", "JG 10 37 45 B"
        # Without the suffix letter the shape is common enough to need a cue.
        if m.group("suffix") or _has_cue(doc, _NI_CUE, m.start(), 30):
            yield Finding("nino", m.start(), m.end(), BLOCK, "National Insurance number",
                          "[NI number removed]", "nino")
    for m in _TRN.finditer(doc.text) if doc.has_any({"trn", "temporary"}) else ():
        if _has_cue(doc, _TRN_CUE, m.start(), 30):
            yield Finding("nino", m.start(), m.end(), BLOCK, "Temporary NI reference number",
                          "[NI number removed]", "nino.trn")


# ------------------------------------------------------------------------------------------------
# NHS numbers (modulus 11)

_NHS = re.compile(r"(?<![\w\-/.])([0-9]{3})([ \-]?)([0-9]{3})\2([0-9]{4})(?![\w\-/]|\.[0-9])")
_NHS_CUE = re.compile(r"\bNHS\b|\bCHI\b|health\s+(?:service\s+)?(?:number|no)", I)


def nhs_checksum_ok(digits: str) -> bool:
    """NHS Data Dictionary modulus 11 check on a 10-digit string."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs(doc: Doc) -> Iterator[Finding]:
    for m in _NHS.finditer(doc.text):
        digits = m.group(1) + m.group(3) + m.group(4)
        cued = _has_cue(doc, _NHS_CUE, m.start(), 40)
        if nhs_checksum_ok(digits) and (cued or not digits.startswith("0")):
            # A 0-leading run without an NHS cue is left to the phone rule.
            yield Finding("nhs", m.start(), m.end(), BLOCK, "NHS number (passes the checksum)",
                          "[NHS number removed]", "nhs")
        elif cued:
            yield Finding("nhs", m.start(), m.end(), WARN,
                          "Looks like an NHS number (checksum fails: a typo?)",
                          "[NHS number removed]", "nhs.unchecked")


# ------------------------------------------------------------------------------------------------
# postcodes

_OUTWARD = r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
_POSTCODE = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_OUTWARD}\s?[0-9][ABD-HJLNP-UW-Z]{{2}}|GIR\s?0AA)(?![A-Za-z0-9])", I)

# Outward code alone ("lives in M14", "the LS9 area"): only with a residence cue, because bare it
# collides with roads (M62, A1), vitamins (B12) and forms (SC2). Road-shaped codes need a strong
# cue ("lives in M14" is Manchester; "travelled from the M6" is a motorway).
_PARTIAL_BEFORE = re.compile(
    rf"""(?i:\b(?:(?P<strong>lives?|living|lived|based|resides?|residing|home|post\s?code)
                |moved|moving|staying|stays|housed|placed|grew\s+up|from|rehoused)
           (?:\s+(?:is|area|district))?\s*(?:in|to|at|near|around|out\s+in|over\s+in|from|of|:)?
           \s*(?:the\s+)?)
        (?P<code>{_OUTWARD})(?![A-Za-z0-9])""",
    X,
)
_PARTIAL_AFTER = re.compile(
    rf"(?<![A-Za-z0-9])(?P<code>{_OUTWARD})\s+(?i:area|district|postcode|post\s+code)\b")
_ROAD = re.compile(r"^[MAB][0-9]{1,4}$")


_PARTIAL_CUE_WORDS = frozenset({
    "lives", "live", "living", "lived", "based", "resides", "reside", "residing", "home", "post",
    "postcode", "moved", "moving", "staying", "stays", "housed", "placed", "grew", "from", "rehoused"})


def find_postcodes(doc: Doc) -> Iterator[Finding]:
    # the outward code's first digit is 1 or 2 characters in ("M1 1AE", "LS9 6QT"; GIR 0AA: 4)
    for m in doc.match_near_digits(_POSTCODE, range(1, 5)):
        yield Finding("postcode", m.start(), m.end(), BLOCK, "Full postcode",
                      "[postcode removed]", "postcode.full")
    for m in doc.match_at(_PARTIAL_BEFORE, _PARTIAL_CUE_WORDS):
        if m.group("strong") or not _ROAD.match(m.group("code")):
            yield _partial(m)
    if not doc.has_any({"area", "district", "postcode", "post"}):
        return
    for m in doc.match_near_digits(_PARTIAL_AFTER, range(1, 3)):
        if not _ROAD.match(m.group("code")):  # "the M62 area" is a road
            yield _partial(m)


def _partial(m: re.Match) -> Finding:
    return Finding("postcode", m.start("code"), m.end("code"), WARN,
                   "Partial postcode given as where someone lives", "the local area",
                   "postcode.partial")


# Postcode districts after a plain locative word ("she's over in CF24 now", "moved up to G31"):
# upper case, a real postcode area, in a sentence about a person. Royal Mail's postcode areas:
POSTCODE_AREAS = frozenset("""
    AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE
    LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM
    SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE""".split())
_DISTRICT = re.compile(r"(?P<area>[A-Z]{1,2})[0-9][0-9]?[A-Z]?(?![A-Za-z0-9]|[/\-][A-Za-z0-9]|\.[0-9])")
_DISTRICT_BEFORE = re.compile(
    r"(?i:\b(?:in|to|from|near|around|round|across|outside|covers|covering|within)\s+(?:the\s+)?"
    r"|\b(?:post\s?code|district)(?:\s+(?:district|area))?\s+(?:is\s+)?(?:now\s+)?(?:[:\-]\s*)?)$")
# Scottish school years (S1-S6, P1-P7) and vitamins read like districts: "her son is in S3".
_SCHOOL_YEAR = re.compile(r"^(?:S[1-6]|P[1-7])$")
_SCHOOL_WORDS = frozenset({"son", "daughter", "child", "children", "kids", "school", "pupil",
                           "pupils", "year", "class", "secondary", "primary", "teacher", "stepson",
                           "stepdaughter", "grandson", "granddaughter", "boy", "girl", "academy"})
_NOT_DISTRICT_AFTER = re.compile(
    r"\s*(?i:injections?|vitamins?|deficiency|tablets?|jabs?|shots?|levels?|licen[cs]e|form|forms|"
    r"motorway|junction|roadworks|traffic|road|series|model|class|category)\b")
_PERSON_WORDS = frozenset({
    "he", "she", "they", "him", "her", "his", "them", "their", "he's", "she's", "they're",
    "participant", "family", "household", "customer", "client", "mum", "dad", "partner", "lives",
    "living", "moved", "flat", "house", "home", "based", "commutes", "works", "job"})


def find_postcode_districts(doc: Doc) -> Iterator[Finding]:
    found: dict[str, int] = {}
    for m in doc.match_near_digits(_DISTRICT, range(1, 3)):
        code, start = m.group(), m.start()
        if m.group("area") not in POSTCODE_AREAS or _ROAD.match(code):
            continue  # "M62", "A1"; Manchester districts need a "lives in" (find_postcodes)
        if start > 0 and (doc.text[start - 1].isalnum() or doc.text[start - 1] in "£$/-."):
            continue
        sent_start, _ = doc.sentence_bounds(start)
        if not _DISTRICT_BEFORE.search(doc.text, max(sent_start, start - 30), start):
            continue
        words = doc.sentence_words(start)
        if words.isdisjoint(_PERSON_WORDS) or _NOT_DISTRICT_AFTER.match(doc.text, m.end()):
            continue
        if _SCHOOL_YEAR.match(code) and not words.isdisjoint(_SCHOOL_WORDS):
            continue
        found[code] = start
        yield _district(start, m.end())
    # Other mentions of a district found above: "the scheme only covers BB9".
    for code, first in found.items():
        for m in re.finditer(rf"(?<![A-Za-z0-9]){code}(?![A-Za-z0-9])", doc.text):
            if m.start() != first:
                yield _district(m.start(), m.end())


def _district(start: int, end: int) -> Finding:
    return Finding("postcode", start, end, WARN, "Postcode district given as where someone is",
                   "the local area", "postcode.district")


# ------------------------------------------------------------------------------------------------
# vehicle registrations (DVLA)

_VRM_CURRENT = re.compile(
    r"(?<![A-Za-z0-9])[A-HJ-PR-Y][A-HJ-PR-Y](?:0[2-9]|[1-2][0-9]|5[1-9]|[6-7][0-9])\s?[A-HJ-PR-Z]{3}(?![A-Za-z0-9])",
    I)
_VRM_OLD = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-HJ-PR-Y][0-9]{1,3}\s?[A-HJ-PR-Z]{3}|[A-HJ-PR-Z]{3}\s?[0-9]{1,3}\s?[A-HJ-PR-Y])(?![A-Za-z0-9])",
    I)
_VRM_CUE = re.compile(r"\b(?:reg(?:istration)?|number\s*plate|plate|car|van|vehicle|motorbike|drives|VRM)\b", I)


_VRM_CUE_WORDS = frozenset({"reg", "registration", "number", "plate", "car", "van", "vehicle",
                            "motorbike", "drives", "vrm"})


def find_vehicles(doc: Doc) -> Iterator[Finding]:
    for m in doc.match_near_digits(_VRM_CURRENT, range(2, 3)):  # "AB12 CDE"
        if m.group().isupper() or _has_cue(doc, _VRM_CUE, m.start(), 40):
            yield Finding("vehicle", m.start(), m.end(), BLOCK, "Vehicle registration",
                          "[registration removed]", "vehicle.current")
    for m in _VRM_OLD.finditer(doc.text) if doc.has_any(_VRM_CUE_WORDS) else ():
        if _has_cue(doc, _VRM_CUE, m.start(), 40):
            yield Finding("vehicle", m.start(), m.end(), BLOCK, "Vehicle registration",
                          "[registration removed]", "vehicle.old")


# ------------------------------------------------------------------------------------------------
# dates of birth: a date shortly after a birth cue; a bare date is never flagged

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[0-3]?[0-9])(?:st|nd|rd|th)?"
_DATE = (rf"(?:[0-3]?[0-9][/.\-][01]?[0-9][/.\-](?:19|20)?[0-9]{{2}}"
         rf"|(?:19|20)[0-9]{{2}}[/.\-][01]?[0-9][/.\-][0-3]?[0-9]"
         rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?:19|20)?[0-9]{{2}}"
         rf"|{_MONTH}\s+{_DAY},?\s+(?:19|20)[0-9]{{2}})")
_DOB_CUE = r"(?:\bd\.?o\.?b\b\.?|\bdate\s+of\s+birth|\bbirth\s*date|\bbirthday|\bborn)"
_DOB = re.compile(rf"{_DOB_CUE}[^\n.!?]{{0,25}}?(?<![\w/.-])(?P<date>{_DATE})(?![\w/]|[.\-][0-9])", I)
# Partial birth dates: "born in March 1987", "birthday is 3rd May"
_DOB_PARTIAL = re.compile(
    rf"{_DOB_CUE}[^\n.!?]{{0,20}}?(?<![\w/.-])(?P<date>{_MONTH}\s+(?:19|20)[0-9]{{2}}|{_DAY}\s+(?:of\s+)?{_MONTH})\b", I)


_DOB_CUE_WORDS = frozenset({"d", "dob", "date", "birth", "birthdate", "birthday", "born"})


def find_dobs(doc: Doc) -> Iterator[Finding]:
    for m in doc.match_at(_DOB, _DOB_CUE_WORDS):
        yield Finding("dob", m.start("date"), m.end("date"), BLOCK, "Date of birth",
                      "[date of birth removed]", "dob")
    for m in doc.match_at(_DOB_PARTIAL, _DOB_CUE_WORDS):
        yield Finding("dob", m.start("date"), m.end("date"), WARN, "Part of a date of birth",
                      "[date of birth removed]", "dob.partial")


# ------------------------------------------------------------------------------------------------
# claim, case and participant references

_REF_CUE = re.compile(
    r"""\b(?:ref(?:erence)?s?|referral|claim|case|participant|customer|client|PRaP|CRN|URN|
          account|acc|membership|tenancy|payroll|employee|staff|ID)\b
        (?:\s+(?:no|number|num|id|ref|reference|code))?\.?
        (?:\s+(?:for\s+(?:him|her|them)|came\s+through|is|was|as|of|:|-|\#))*
        [\s:#-]*""",
    I | X,
)
_CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[/\-](?=[A-Za-z0-9])){4,24}")
_CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-")
_NOT_A_REF_BEFORE = re.compile(r"\b(?:vacancy|job|advert|listing|course|booking|order|tracking|invoice)\b", I)
_FORM_CODE = re.compile(r"^(?:UC|ESA|PIP|SC|P|HB|DLA|CA|JSA|AP|SSP|MATB)[0-9]{1,3}[A-Z]?$", I)


def _code_like(tok: str) -> bool:
    digits = sum(c.isdigit() for c in tok)
    return (digits >= 4 and len(tok) >= 6 or _odd_code(tok)) and not _FORM_CODE.match(tok)


def _odd_code(tok: str) -> bool:
    """Letters and digits mixed, 8 or more of them: "KX7B2M9QLT", "CTR/X9/BQ7T2"."""
    letters = digits = 0
    for c in tok:
        if c.isdigit():
            digits += 1
        elif c.isalpha():
            letters += 1
    if digits < 1 or letters < 2 or letters + digits < 8:
        return False
    # "18-month-old", "24hours": digits glued to ordinary words are not a code
    return not any(len(w) >= 3 and wl.is_word(w) for w in re.findall(r"[A-Za-z]+", tok))


# For a mixed code the cue may sit further back in the same sentence ("the claim reference for
# the wage incentive is KS-JX3B-8P7N") or just after it ("quote KX7B2M9QLT as the reference").
_ODD_CUE = re.compile(
    r"\b(?:ref(?:erence)?s?|claim|case\s+(?:no|number|num|ref|reference|id)|case|referral|"
    r"participant|customer|client|account|membership|tenancy|PRaP|CRN|URN)\b", I)
_ODD_CUE_AFTER = re.compile(r"^[\s,)]*(?:\w+\s+){0,4}?(?:ref(?:erence)?|claim\s+(?:no|number)|case\s+number)\b", I)


def _odd_code_cued(doc: Doc, start: int, end: int) -> bool:
    sent_start, sent_end = doc.sentence_bounds(start)
    before = doc.text[max(sent_start, start - 60):start]
    cue = None
    for cue in _ODD_CUE.finditer(before):
        pass
    if cue is not None:
        return not _NOT_A_REF_BEFORE.search(before[max(0, cue.start() - 25):])
    return _ODD_CUE_AFTER.match(doc.text[end:min(sent_end, end + 40)]) is not None


def _date_like(tok: str) -> bool:
    """"12/03/2025", "2025-03-12", and year ranges such as "2019-2021" or "2019/20"."""
    return (re.fullmatch(r"[0-9]{1,4}[/\-.][0-9]{1,2}(?:[/\-.][0-9]{1,4})?", tok) is not None
            or re.fullmatch(r"(?:19|20)[0-9]{2}[/\-](?:19|20)?[0-9]{2}", tok) is not None)


def _code_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Runs of letters, digits, "/" and "-" that contain a digit, found outwards from the
    digits (only digit-bearing tokens can be references, and digits are rare in prose)."""
    last_end = -1
    for m in re.finditer(r"[0-9]+", text):
        if m.start() < last_end:
            continue
        s, e = m.start(), m.end()
        while s > 0 and text[s - 1] in _CODE_CHARS:
            s -= 1
        while e < len(text) and text[e] in _CODE_CHARS:
            e += 1
        last_end = e
        while s < e and text[s] in "/-":
            s += 1
        while e > s and text[e - 1] in "/-":
            e -= 1
        if (s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_.")) and \
                (e == len(text) or not (text[e].isalnum() or text[e] == "_")):
            if _CODE.fullmatch(text, s, e):
                yield s, e


def find_references(doc: Doc) -> Iterator[Finding]:
    text = doc.text
    for start, end in _code_tokens(text):
        tok = text[start:end]
        if not _code_like(tok) or _date_like(tok):
            continue
        letters = sum(c.isalpha() for c in tok)
        window = text[max(0, start - 45):start]
        cue = None
        for c in _REF_CUE.finditer(window):
            if c.end() >= len(window) - 20:
                cue = c
        if cue and not _NOT_A_REF_BEFORE.search(window[max(0, cue.start() - 25):cue.end()]):
            yield Finding("claim_ref", start, end, BLOCK, "Case or claim reference",
                          "[reference removed]", "claim_ref.cued")
        elif _odd_code(tok) and _odd_code_cued(doc, start, end):
            yield Finding("claim_ref", start, end, BLOCK, "Case or claim reference",
                          "[reference removed]", "claim_ref.mixed")
        elif letters >= 2 and sum(c.isdigit() for c in tok) >= 5 \
                and not _NOT_A_REF_BEFORE.search(window):
            # Letters mixed with five or more digits look like a system reference even uncued.
            yield Finding("claim_ref", start, end, WARN,
                          "Looks like a reference number", "[reference removed]", "claim_ref.shape")


# ------------------------------------------------------------------------------------------------
# URLs and social media handles

_URL = re.compile(
    r"""(?<![\w@.\-/])
        (?:(?:https?://|www\.)[^\s<>"']+
          |[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|co\.uk|org\.uk|me\.uk|uk|org|net|io|dev|me|
             info|blog|app|page|site|online|tech|art|design|xyz|ie|eu|biz|co|ly|tv|link|ee|studio|
             photography|shop|store)(?![a-z0-9\-@])(?:/[^\s<>"']*)?)""",
    I | X,
)
# Personal pages: a subdomain of a blog/site builder, or a profile path on a social platform.
_SITE_BUILDERS = ("wordpress.com", "blogspot.com", "blogspot.co.uk", "wixsite.com", "weebly.com",
                  "squarespace.com", "carrd.co", "github.io", "substack.com", "tumblr.com")
_PROFILE_HOSTS = ("facebook.com", "fb.com", "instagram.com", "tiktok.com", "twitter.com", "x.com",
                  "github.com", "behance.net", "threads.net", "onlyfans.com", "linktr.ee",
                  "about.me", "youtube.com/@", "linkedin.com/in/", "medium.com/@", "etsy.com/shop/",
                  "pinterest.com", "pinterest.co.uk", "soundcloud.com", "vimeo.com", "twitch.tv")


def _personal(rest: str) -> bool:
    host, _, path = rest.partition("/")
    if any(host.endswith("." + h) for h in _SITE_BUILDERS):
        return True
    for h in _PROFILE_HOSTS:
        if "/" in h:
            if rest.startswith(h) and len(rest) > len(h):
                return True
        elif host == h and path.strip("/"):
            return True
    return False


def _url_host(url: str) -> str:
    u = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower())
    return u


def _lower_tld(rest: str) -> bool:
    host = rest.split("/")[0]
    return host.rsplit(".", 1)[-1].islower()


def _is_public(rest: str) -> bool:
    host = rest.split("/")[0]
    if _personal(rest):
        return False  # a profile on a big platform is personal even though the platform is not
    for d in wl.public_domains():
        if "/" in d:
            if rest.startswith(d):
                return True
        elif host == d or host.endswith("." + d):
            return True
    # tesco.com, johnlewis.co.uk: a big organisation's own site
    label = re.sub(r"\.(?:co\.uk|org\.uk|com|uk|org|net|co)$", "", host).split(".")[-1]
    return label.replace("-", "") in wl.org_squashed()


_SCHEME = re.compile(r"https?://|www\.", re.I)
_DOT_LETTER = re.compile(r"\.[A-Za-z]")  # a literal first character: a fast scan
_TLD_AT = re.compile(
    r"\.(?:com|co|uk|org|net|io|dev|me|info|blog|app|page|site|online|tech|art|design|xyz|ie|eu|"
    r"biz|ly|tv|link|ee|studio|photography|shop|store)\b", re.I)


def _url_matches(text: str) -> Iterator[re.Match]:
    """The URL regex tried only at the start of each non-space run holding a TLD-like hint."""
    done = -1
    hints = [m.start() for m in _DOT_LETTER.finditer(text) if _TLD_AT.match(text, m.start())]
    hints += [m.start() for m in _SCHEME.finditer(text)]
    for start in sorted(hints):
        hint = start
        while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(<\"'":
            start -= 1
        if start <= done:
            continue
        m = _URL.search(text, start, len(text))
        if m and m.start() <= hint:
            done = m.end()
            yield m


def find_urls(doc: Doc) -> Iterator[Finding]:
    for m in _url_matches(doc.text):
        raw = m.group().rstrip(".,;:!?)]}'\"")
        rest = _url_host(raw)
        if not raw or "." not in rest or _is_public(rest):
            continue
        if not re.match(r"(?i)https?://|www\.", raw) and not _lower_tld(raw):
            continue  # "work.Me and her": a missing space after a full stop, not a link
        personal = _personal(rest)
        yield Finding(
            "url", m.start(), m.start() + len(raw), BLOCK if personal else WARN,
            "Link to a personal page or profile" if personal else "Link that may identify someone or their employer",
            "[link removed]", "url.personal" if personal else "url")


_HANDLE = re.compile(r"(?<![\w@.])@(?P<h>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
_TIME_LIKE = re.compile(r"^[0-9]{1,2}(?:[:.][0-9]{2})?(?:am|pm)?$", I)
_PLATFORM_HANDLE = re.compile(
    r"""\b(?:insta(?:gram)?|IG|tik\s?tok|snap(?:chat)?|twitter|threads|facebook|FB|youtube|discord|
          telegram|twitch|onlyfans|reddit|x\.com)\b
        (?:\s+(?:handle|name|account|username|user|page|profile|channel))?
        (?:\s*(?:is|:|-|under|as|at|called|named|@)\s*)+
        (?P<h>[A-Za-z0-9_][A-Za-z0-9_.]{1,28}[A-Za-z0-9_])""",
    I | X,
)


_PLATFORM_WORDS = frozenset({"insta", "instagram", "ig", "tik", "tiktok", "snap", "snapchat",
                             "twitter", "threads", "facebook", "fb", "youtube", "discord",
                             "telegram", "twitch", "onlyfans", "reddit", "x"})


def find_handles(doc: Doc) -> Iterator[Finding]:
    for m in _HANDLE.finditer(doc.text) if "@" in doc.text else ():
        h = m.group("h")
        if _TIME_LIKE.match(h) or h.isdigit():
            continue  # "meet @ 10am", "@10"
        yield Finding("handle", m.start(), m.end(), BLOCK, "Social media handle",
                      "[handle removed]", "handle.at")
    for m in doc.match_at(_PLATFORM_HANDLE, _PLATFORM_WORDS):
        h = m.group("h")
        if doc.text[m.start("h") - 1] == "@":
            continue  # already caught above
        if not re.search(r"[_.0-9]", h) and (wl.is_word(h) or len(h) < 4):
            continue  # "on Instagram as well", "TikTok is"
        yield Finding("handle", m.start("h"), m.end("h"), BLOCK, "Social media handle",
                      "[handle removed]", "handle.platform")


# ------------------------------------------------------------------------------------------------
# passport and driving licence numbers [other]

# Up to 30 characters between a cue and its value, not crossing a sentence ("no." is allowed).
_CUE_GAP = r"(?:\bno\.|[^\n.!?]){0,30}?"
_PASSPORT = re.compile(rf"passport\b{_CUE_GAP}(?<![\w])(?P<num>[0-9]{{9}}|[A-Z]{{2}}[0-9]{{7}})(?![\w])", I)
_LICENCE = re.compile(
    r"(?<![A-Za-z0-9])[A-Z9]{5}\s?[0-9][0156][0-9][0-3][0-9]{2}\s?[A-Z9]{2}\s?[0-9]\s?[A-Z]{2}(?:\s?[0-9]{2})?(?![A-Za-z0-9])",
    I)
_NI_LICENCE = re.compile(rf"licen[cs]e\b{_CUE_GAP}(?<![\w])(?P<num>[0-9]{{8}})(?![\w])", I)


def find_documents(doc: Doc) -> Iterator[Finding]:
    for m in doc.match_at(_PASSPORT, frozenset({"passport"})):
        yield Finding("other", m.start("num"), m.end("num"), BLOCK, "Passport number",
                      "[passport number removed]", "other.passport")
    for m in doc.match_near_digits(_LICENCE, range(0, 7)):  # surname part may hold 9s
        if m.group()[:5].isupper() or any(c.isdigit() for c in m.group()[:5]):
            yield Finding("other", m.start(), m.end(), BLOCK, "Driving licence number",
                          "[licence number removed]", "other.driving_licence")
    for m in doc.match_at(_NI_LICENCE, frozenset({"licence", "license"})):
        yield Finding("other", m.start("num"), m.end("num"), BLOCK, "Driving licence number",
                      "[licence number removed]", "other.driving_licence_ni")


RULES = (find_emails, find_phones, find_ninos, find_nhs, find_postcodes, find_postcode_districts,
         find_vehicles,
         find_dobs, find_references, find_urls, find_handles, find_documents)
