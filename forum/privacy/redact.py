"""Pure text edits for the privacy flow: replace a finding by its placeholder, redact a span.

Nothing here stores or logs the removed text.
"""
from __future__ import annotations

from collections.abc import Iterable

from .findings import BLOCK, Finding

REDACTED = "[removed]"

# Reasons an author may give for clearing a block finding (key -> label shown in the form).
CLEAR_REASONS = {
    "fictional": "fictional or changed name",
    "public": "public organisation or place",
    "not_personal": "not about a person",
    "other": "other",
}

# Placeholders by kind, used when a finding has no more specific suggestion.
PLACEHOLDERS = {
    "name": "Participant A", "email": "[email removed]", "phone": "[phone removed]",
    "nino": "[NI number removed]", "nhs": "[NHS number removed]", "postcode": "[postcode removed]",
    "address": "[address removed]", "dob": "[date of birth removed]",
    "claim_ref": "[reference removed]", "url": "[link removed]", "handle": "[handle removed]",
    "vehicle": "[registration removed]", "other": "[detail removed]",
}


def check_span(text: str, start: int, end: int) -> None:
    """Refuse offsets that are not a non-empty span inside `text`."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        raise ValueError("offsets must be integers")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is outside the text (length {len(text)})")


def replace_spans(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Apply several (start, end, replacement) edits given in original offsets."""
    ordered = sorted(edits, key=lambda e: e[0])
    for (s1, e1, _), (s2, _e2, _) in zip(ordered, ordered[1:]):
        if s2 < e1:
            raise ValueError("edits overlap")
    for start, end, replacement in reversed(ordered):
        check_span(text, start, end)
        text = text[:start] + replacement + text[end:]
    return text


def redact(text: str, start: int, end: int, replacement: str = REDACTED) -> str:
    """A manager's redaction: the span becomes "[removed]"."""
    return replace_spans(text, [(start, end, replacement)])


def placeholder_for(finding: Finding) -> str:
    return finding.suggestion or PLACEHOLDERS[finding.kind]


def apply_suggestion(text: str, finding: Finding) -> str:
    """The one-click fix: replace the finding's span by its placeholder."""
    return replace_spans(text, [(finding.start, finding.end, placeholder_for(finding))])


def apply_suggestions(text: str, findings: Iterable[Finding]) -> str:
    return replace_spans(text, [(f.start, f.end, placeholder_for(f)) for f in findings])


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """Findings that stop publication until fixed or cleared."""
    return [f for f in findings if f.severity == BLOCK]
