"""Reading the audit log (forum/audit.py writes it): filters, keyset pages and a streamed
CSV download. Nothing here can change an entry; the database refuses it anyway."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, stream_with_context
from sqlalchemy import ColumnElement, and_, not_, or_, select

from forum.accounts.models import User
from forum.accounts.names import display_name_key, mention_key
from forum.audit import AuditEntry
from forum.cases.models import Post, Reply
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.moderation import audit_words, policy
from forum.pagination import Page, keyset_page

CSV_BATCH = 500


@dataclass(frozen=True)
class Filter:
    actor_ids: tuple[int, ...] | None = None
    action: str = ""
    since: datetime | None = None
    before: datetime | None = None

    @classmethod
    def build(cls, person: str, action: str, since: date | None, until: date | None, zone: str) -> "Filter":
        """From the form: a person by email or display name; days in the viewer's time zone."""
        if since and until and until < since:
            raise Invalid("The “To” date must be on or after the “From” date", field="until")
        return cls(_people(person.strip()) if person.strip() else None, action,
                   _start_of(since, zone) if since else None,
                   _start_of(until + timedelta(days=1), zone) if until else None)

    def clauses(self) -> list:
        clauses = []
        if self.actor_ids is not None:
            # Entries by them, and entries about them (sign-in failures, role changes, suspensions).
            # Never what they did as the anonymous author of the thing: that would name them.
            clauses.append(or_(and_(AuditEntry.actor_id.in_(self.actor_ids), not_(by_anonymous_author())),
                               and_(AuditEntry.target_type == "user", AuditEntry.target_id.in_(self.actor_ids))))
        if self.action:
            clauses.append(AuditEntry.action == self.action)
        if self.since:
            clauses.append(AuditEntry.created_at >= self.since)
        if self.before:
            clauses.append(AuditEntry.created_at < self.before)
        return clauses


def _start_of(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def _people(text: str) -> tuple[int, ...]:
    key = text.strip().lower()
    ids = tuple(db.session.scalars(select(User.id).where(or_(User.email == key, User.display_name_key == display_name_key(text),
                                                             User.handle == mention_key(text.strip().lstrip("@"))))))
    if not ids:
        raise Invalid("No one has that email address or display name", field="person")
    return ids


def _require_reader(user: User) -> None:
    if not policy.may_moderate(user):
        raise Forbidden()


def actions() -> list[str]:
    """The actions that occur, for the filter (read from the action index)."""
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


@dataclass
class Row:
    entry: AuditEntry
    actor: str
    #: The actor's id and address as the log may show them: None where the actor is not to be named.
    actor_id: int | None = None
    ip: str | None = None
    #: What happened, in words, with links where the viewer may follow them.
    words: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return audit_words.plain(self.words)

    @property
    def reason(self) -> str:
        return audit_words.reason_text(self.entry)


#: How the log names the anonymous author of a post or reply acting on it.
THE_AUTHOR = "The author"


def by_anonymous_author() -> ColumnElement[bool]:
    """Entries whose actor is the anonymous author of the post or reply the entry is about
    (asking for a review, and any such entry later). The page, the CSV and the person filter
    all ask this one question, so none of them names the author: they show THE_AUTHOR. The
    stored row keeps the id; an admin learns it only through the audited reveal on the post."""
    own_post = select(Post.id).where(Post.id == AuditEntry.target_id, Post.author_id == AuditEntry.actor_id,
                                     Post.show_author.is_(False)).exists()
    own_reply = select(Reply.id).where(Reply.id == AuditEntry.target_id, Reply.author_id == AuditEntry.actor_id,
                                       Reply.show_author.is_(False)).exists()
    return or_(and_(AuditEntry.target_type == "post", own_post), and_(AuditEntry.target_type == "reply", own_reply))


def _query(chosen: Filter):
    return select(AuditEntry).where(*chosen.clauses())


def page(user: User, chosen: Filter, older: str | None, newer: str | None) -> tuple[Page, list[Row]]:
    _require_reader(user)
    result = keyset_page(_query(chosen), AuditEntry.created_at, AuditEntry.id, older, newer, size=50)
    return result, _rows(user, result.items)


def _rows(viewer: User, entries: list[AuditEntry]) -> list[Row]:
    """Which entries are an anonymous author's in one query; the people, posts, replies,
    themes and circles they name in one query per kind present (`audit_words.Namer`)."""
    masked = set(db.session.scalars(select(AuditEntry.id).where(
        AuditEntry.id.in_([entry.id for entry in entries if entry.actor_id is not None] or [-1]),
        by_anonymous_author())))
    namer = audit_words.Namer(viewer, entries, masked)
    rows = []
    for entry in entries:
        actor = namer.actor(entry, THE_AUTHOR)
        words = audit_words.sentence(entry, actor, namer.target(entry))
        if entry.id in masked:
            rows.append(Row(entry, THE_AUTHOR, words=words))
        else:
            rows.append(Row(entry, actor.text, entry.actor_id, entry.ip, words=words))
    return rows


#: The action code stays beside the sentence ("what"), for filters and spreadsheets.
CSV_COLUMNS = ["time_utc", "actor_id", "actor", "action", "target_type", "target_id", "reason", "outcome", "ip",
               "what"]


def _cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_lines(viewer: User, chosen: Filter):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    key = None
    while True:
        result = keyset_page(_query(chosen), AuditEntry.created_at, AuditEntry.id, key, None, size=CSV_BATCH)
        for row in _rows(viewer, result.items):
            entry = row.entry
            writer.writerow([_cell(value) for value in (
                entry.created_at.isoformat(), row.actor_id, row.actor, entry.action, entry.target_type,
                entry.target_id, entry.reason, entry.outcome, row.ip, row.text)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if not result.older:
            return
        key = result.older


def csv_response(user: User, chosen: Filter) -> Response:
    """Streamed in keyset batches, so a long log never sits in memory."""
    _require_reader(user)
    stamp = datetime.now(ZoneInfo("UTC")).strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(_csv_lines(user, chosen)), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="audit-log-{stamp}.csv"', "Cache-Control": "no-store"})
