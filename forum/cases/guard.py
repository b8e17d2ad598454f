"""The privacy guard in the publishing flow: scan what an author wrote, remember each
finding, and apply the author's decisions (clear a block with a reason, tick a warning).

Findings are rows tied to their post or reply and field. Each carries a keyed fingerprint
of its matched text, so a decision follows the identifier when the text around it is
edited, while the text itself is stored nowhere but in the post.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import select

from forum import privacy
from forum.privacy.redact import placeholder_for
from forum.accounts.models import User
from forum.accounts.names import mention_key
from forum.cases import mentions
from forum.cases.models import Decision, PrivacyFinding
from forum.errors import Held, Invalid, NotFound
from forum.extensions import db
from forum.timeutil import utcnow
from forum.text import clean

CLEAR_REASONS = privacy.CLEAR_REASONS
LIVE = (Decision.OPEN, Decision.ACKNOWLEDGED, Decision.CLEARED)


class NeedsPrivacyReview(Held):
    """Publishing waits until every block finding is fixed or cleared and every warning ticked."""

    def __init__(self, findings: list[PrivacyFinding], target=None):
        super().__init__("Check the possible personal details marked below: fix or clear each one "
                         "before you publish")
        self.findings = findings
        #: The post or reply the findings belong to (a new draft, when one was just made).
        self.target = target


@dataclass(frozen=True)
class Choice:
    """What the author decided about one finding in the form."""

    action: str  # "clear" or "acknowledge"
    reason: str = ""
    note: str = ""


def _fingerprint(field: str, kind: str, matched: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{field}\x1f{kind}\x1f{matched.casefold()}".encode(), hashlib.sha256).hexdigest()


def live_findings(target_type: str, target_id: int, fields=None) -> list[PrivacyFinding]:
    """The findings still standing in a post or reply (in `fields` only, when given)."""
    query = (
        select(PrivacyFinding)
        .where(PrivacyFinding.target_type == target_type, PrivacyFinding.target_id == target_id,
               PrivacyFinding.decision.in_(LIVE))
        .order_by(PrivacyFinding.field, PrivacyFinding.start)
    )
    if fields is not None:
        query = query.where(PrivacyFinding.field.in_(list(fields)))
    return list(db.session.scalars(query))


def review(actor: User, target_type: str, target_id: int, fields: dict[str, str],
           choices: dict[int, Choice] | None = None) -> list[PrivacyFinding]:
    """Scan `fields`, keep the findings current, apply `choices`; return the live findings."""
    rows = _sync(target_type, target_id, fields)
    by_id = {row.id: row for row in rows}
    for finding_id, choice in (choices or {}).items():
        row = by_id.get(finding_id)
        if row is None:
            raise NotFound()
        _decide(actor, row, choice)
    return sorted(rows, key=lambda row: (list(fields).index(row.field), row.start))


def unresolved(findings: list[PrivacyFinding]) -> list[PrivacyFinding]:
    return [finding for finding in findings if finding.decision == Decision.OPEN]


def require_resolved(findings: list[PrivacyFinding], target=None) -> None:
    if unresolved(findings):
        raise NeedsPrivacyReview(findings, target)


def choices_from(form) -> dict[int, Choice]:
    """Read the author's decisions from the form: clear-<id> (a reason), note-<id>, ack-<id>."""
    choices: dict[int, Choice] = {}
    for key, value in form.items():
        name, _, number = key.partition("-")
        if not number.isdigit() or len(number) > 12:
            continue
        if name == "clear" and value:
            choices[int(number)] = Choice("clear", value, form.get(f"note-{number}", "")[:300])
        elif name == "ack" and value:
            choices[int(number)] = Choice("acknowledge")
    return choices


def marked(text: str, findings: list[PrivacyFinding]) -> Markup:
    """The text with each finding marked in place: escaped, numbered, labelled for screen readers."""
    pieces, position = [], 0
    for number, finding in findings:
        if finding.start < position or finding.end > len(text):
            continue
        pieces.append(escape(text[position:finding.start]))
        label = label_for(finding)
        pieces.append(Markup(
            '<mark class="finding finding--{severity}" id="finding-{id}">'
            '<span class="visually-hidden">Possible {label}: </span>{matched}'
            '<span class="finding__number" aria-hidden="true">[{number}]</span></mark>'
        ).format(severity=finding.severity, id=finding.id, label=label,
                 matched=text[finding.start:finding.end], number=number))
        position = finding.end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


KIND_LABELS = {
    "name": "name", "email": "email address", "phone": "phone number", "nino": "National Insurance number",
    "nhs": "NHS number", "postcode": "postcode", "address": "address", "dob": "date of birth",
    "claim_ref": "reference number", "url": "web address", "handle": "social media handle",
    "vehicle": "vehicle registration", "other": "identifying detail",
}

#: More precise labels for some of the guard's rules (a rule id, or the start of several).
RULE_LABELS = {
    "address.street_name": "street name", "address.on": "street name", "address.street": "street name",
    "postcode.district": "postcode district", "postcode.partial": "postcode district",
    "other.place": "town or village", "other.employer": "employer's name", "other.school": "school's name",
    "other.passport": "passport number", "other.driving_licence": "driving licence number",
}


def label_for(finding) -> str:
    """What the finding looks like, in words: from its rule where that says more than its kind."""
    rule = finding.rule_id or ""
    while rule:
        if rule in RULE_LABELS:
            return RULE_LABELS[rule]
        rule = rule.rpartition(".")[0]
    return KIND_LABELS.get(finding.kind, "personal detail")


def _sync(target_type: str, target_id: int, fields: dict[str, str]) -> list[PrivacyFinding]:
    """Match new scan results to stored findings by fingerprint; mark the gone ones fixed."""
    stored: dict[tuple[str, int], PrivacyFinding] = {}
    seen: dict[str, int] = defaultdict(int)
    for row in live_findings(target_type, target_id, fields):
        stored[(row.fingerprint, seen[row.fingerprint])] = row
        seen[row.fingerprint] += 1
    current: list[PrivacyFinding] = []
    occurrences: dict[str, int] = defaultdict(int)
    members = {person.handle for person in mentions.mentioned_users(*fields.values())}
    for field, text in fields.items():
        spans = _member_mention_spans(text or "", members)
        for found in privacy.scan(text or ""):
            if _is_member_mention(found, spans):
                continue
            fingerprint = _fingerprint(field, found.kind, text[found.start:found.end])
            key = (fingerprint, occurrences[fingerprint])
            occurrences[fingerprint] += 1
            row = stored.pop(key, None)
            if row is None:
                row = PrivacyFinding(target_type=target_type, target_id=target_id, field=field,
                                     fingerprint=fingerprint, decision=Decision.OPEN)
                db.session.add(row)
            row.kind, row.severity, row.reason = found.kind, found.severity, found.reason[:200]
            row.start, row.end, row.rule_id = found.start, found.end, found.rule_id
            row.suggestion = placeholder_for(found)[:80]
            current.append(row)
    for gone in stored.values():
        gone.decision = Decision.FIXED
    db.session.flush()
    return current


def _member_mention_spans(text: str, members: set[str]) -> list[tuple[int, int]]:
    """Where "@Sam.Patel" names a forum member: a colleague, not a jobseeker's detail."""
    spans = []
    for match in mentions.MENTION.finditer(text):
        name = match.group(1)
        if mention_key(name) in members or mention_key(name.rstrip(".-")) in members:
            spans.append((match.start(), match.end()))
    return spans


def _is_member_mention(found, spans: list[tuple[int, int]]) -> bool:
    return any(start <= found.start and found.end <= end for start, end in spans)


def _decide(actor: User, row: PrivacyFinding, choice: Choice) -> None:
    if choice.action == "acknowledge" and row.severity != "block":
        row.decision = Decision.ACKNOWLEDGED
    elif choice.action == "clear" and row.severity == "block":
        if choice.reason not in CLEAR_REASONS:
            raise Invalid("Choose why this is not a personal detail", field=f"finding-{row.id}")
        if choice.reason == "other" and not choice.note.strip():
            raise Invalid("Say why this is not a personal detail", field=f"finding-{row.id}")
        row.decision = Decision.CLEARED
        row.clear_reason = choice.reason
        row.clear_note = clean(choice.note).strip()[:300] or None
    else:
        return
    row.decided_by_id, row.decided_at = actor.id, utcnow()


def with_placeholder(actor: User, target_type: str, target_id: int, fields: dict[str, str],
                     finding_id: int) -> dict[str, str]:
    """The author's one-click fix: in what they submitted, the finding becomes its placeholder
    (unchanged when their edits have already taken the finding out of the text)."""
    finding = _current(review(actor, target_type, target_id, fields), target_type, target_id, finding_id)
    if finding is None:
        return fields
    text = fields[finding.field]
    changed = privacy.replace_spans(text, [(finding.start, finding.end, finding.suggestion or "[removed]")])
    return {**fields, finding.field: changed}


def keep(actor: User, target_type: str, target_id: int, fields: dict[str, str], finding_id: int,
         choice: Choice) -> list[PrivacyFinding]:
    """The author keeps one finding (a reason for a block, a tick for a warning): the live
    findings of `fields` after it (nothing to keep when their edits took it out of the text)."""
    rows = _sync(target_type, target_id, fields)
    finding = _current(rows, target_type, target_id, finding_id)
    if finding is not None:
        _decide(actor, finding, choice)
    return sorted(rows, key=lambda row: (list(fields).index(row.field), row.start))


def _current(rows: list[PrivacyFinding], target_type: str, target_id: int, finding_id: int) -> PrivacyFinding | None:
    """The finding among the current ones; None when it was this target's but is gone; NotFound
    when it is someone else's or nobody's."""
    finding = next((row for row in rows if row.id == finding_id), None)
    if finding is None:
        stored = db.session.get(PrivacyFinding, finding_id)
        if stored is None or (stored.target_type, stored.target_id) != (target_type, target_id):
            raise NotFound()
    return finding


def marked_window(text: str, finding: PrivacyFinding, radius: int = 160) -> Markup:
    """A few lines either side of one finding, with the finding marked: for reviewers."""
    if not 0 <= finding.start < finding.end <= len(text):
        return escape(text[: radius * 2])
    begin, stop = max(0, finding.start - radius), min(len(text), finding.end + radius)
    shifted = _Shifted(finding, begin)
    body = marked(text[begin:stop], [(1, shifted)])
    return Markup("").join([Markup("… ") if begin else Markup(""), body, Markup(" …") if stop < len(text) else Markup("")])


@dataclass
class _Shifted:
    """A finding seen through a slice of its text."""

    finding: PrivacyFinding
    offset: int

    def __getattr__(self, name):
        return getattr(self.finding, name)

    @property
    def start(self) -> int:
        return self.finding.start - self.offset

    @property
    def end(self) -> int:
        return self.finding.end - self.offset
