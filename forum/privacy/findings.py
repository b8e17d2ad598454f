"""The Finding record, severities and kinds, and overlap resolution."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

BLOCK = "block"  # a direct identifier: cannot publish until edited, replaced or cleared
WARN = "warn"  # the author must judge it and tick "I have checked this"

KINDS = (
    "name", "email", "phone", "nino", "nhs", "postcode", "address", "dob", "claim_ref",
    "url", "handle", "vehicle", "other",
)


@dataclass(frozen=True, order=False)
class Finding:
    """One possible identifier. `text[start:end]` is the identifier; the matched text itself is
    deliberately not stored, so a Finding can be logged or persisted without leaking it."""

    kind: str
    start: int
    end: int
    severity: str
    reason: str
    suggestion: str | None = None
    rule_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.severity not in (BLOCK, WARN):
            raise ValueError(f"unknown severity {self.severity!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}-{self.end}")

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


# When two findings overlap the longer one is kept; on a tie the more specific kind wins
# (lower number). Checksummed/structured kinds beat loose ones, names come last.
_SPECIFICITY = {
    "nhs": 0, "nino": 0, "email": 0,
    "dob": 1, "postcode": 1, "other": 1,
    "phone": 2, "claim_ref": 2, "vehicle": 2,
    "url": 3, "address": 3, "handle": 3,
    "name": 4,
}


def _rank(f: Finding) -> tuple:
    # Block beats warn on an exact tie, so a confirmed identifier is never downgraded.
    return (-(f.end - f.start), _SPECIFICITY[f.kind], f.severity != BLOCK, f.start)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep a non-overlapping subset, preferring long and specific spans; sorted by start."""
    starts: list[int] = []  # kept spans never overlap, so sorting by start also sorts the ends
    kept: list[Finding] = []
    for f in sorted(findings, key=_rank):
        i = bisect_left(starts, f.start)
        if i > 0 and kept[i - 1].end > f.start:
            continue
        if i < len(kept) and kept[i].start < f.end:
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    return kept
