"""hardening: invisible characters removed from text already stored

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00

Bidi overrides, zero-width and other invisible characters (forum.text.REMOVED) are removed
from every stored text a person typed, and from the earlier versions in `revisions`, as
`forum.text.clean` now does on every write. Privacy findings store offsets into the text:
they move left by the characters removed before them. The audit log is append-only and is
left as it was. Data only: there is nothing to downgrade.
"""
from __future__ import annotations

import json
import unicodedata
from bisect import bisect_left

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The rule as it was when this migration was written (forum.text may change later).
REMOVED = frozenset(
    [0x200B, 0x200E, 0x200F, 0xFEFF] + list(range(0x202A, 0x202F)) + list(range(0x2060, 0x2065))
    + list(range(0x2066, 0x206A)) + [code for code in range(0x00, 0x20) if code not in (0x09, 0x0A)]
)
_TABLE = dict.fromkeys(REMOVED)

PARTS = ("situation", "tried", "ask", "what_worked", "outcome_text", "outcome_update")

#: table -> columns cleaned as they are (no offsets point into them).
PLAIN = {
    "users": ("display_name", "suspension_reason"),
    "teams": ("name",),
    "themes": ("name", "description"),
    "circles": ("name", "purpose"),
    "meetings": ("notes",),
    "agenda_items": ("note", "notes", "learning_points"),
    "action_points": ("text",),
    "flags": ("note",),
    "moderation_actions": ("reason",),
    "revisions": ("reason",),
    "privacy_findings": ("clear_note",),
    # Rendered HTML holds the characters as they were typed; markup never contains them.
    "posts": tuple(f"{part}_html" for part in PARTS),
    "replies": ("body_html",),
}


def clean(text):
    if text is None:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)


def removed_positions(text: str) -> list[int]:
    """Where `clean` removes a character (a CR of CRLF counts as removed), in the old text."""
    positions = []
    for index, ch in enumerate(text):
        if ord(ch) in REMOVED and not (ch == "\r" and text[index + 1:index + 2] != "\n"):
            positions.append(index)
    return positions


def _changed(connection, table: str, columns: tuple[str, ...]):
    rows = connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).mappings()
    for row in rows:
        new = {column: clean(row[column]) for column in columns}
        if any(new[column] != row[column] for column in columns):
            yield row, new


def _update(connection, table: str, row_id: int, values: dict) -> None:
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    connection.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"), {**values, "id": row_id})


def _move_findings(connection, target_type: str, target_id: int, field: str, old: str) -> None:
    removed = removed_positions(old)
    if not removed:
        return
    findings = connection.execute(sa.text(
        "SELECT id, start, \"end\" FROM privacy_findings WHERE target_type = :t AND target_id = :i AND field = :f"),
        {"t": target_type, "i": target_id, "f": field}).all()
    for finding_id, start, end in findings:
        connection.execute(sa.text("UPDATE privacy_findings SET start = :s, \"end\" = :e WHERE id = :id"),
                           {"s": start - bisect_left(removed, start), "e": end - bisect_left(removed, end),
                            "id": finding_id})


def upgrade():
    connection = op.get_bind()
    for table, columns in PLAIN.items():
        for row, new in list(_changed(connection, table, columns)):
            if table == "users":
                new["display_name_key"] = unicodedata.normalize("NFKC", new["display_name"]).casefold()
            _update(connection, table, row["id"], new)
    fields = {"title": "title", **{f"{part}_md": part for part in PARTS}}
    for row, new in list(_changed(connection, "posts", tuple(fields))):
        _update(connection, "posts", row["id"], new)
        for column, field in fields.items():
            if new[column] != row[column]:
                _move_findings(connection, "post", row["id"], field, row[column])
    for row, new in list(_changed(connection, "replies", ("body_md",))):
        _update(connection, "replies", row["id"], new)
        _move_findings(connection, "reply", row["id"], "body", row["body_md"])
    for row_id, content in list(connection.execute(sa.text("SELECT id, content_json FROM revisions")).all()):
        parts = json.loads(content)
        cleaned = {name: clean(value) if isinstance(value, str) else value for name, value in parts.items()}
        if cleaned != parts:
            _update(connection, "revisions", row_id, {"content_json": json.dumps(cleaned)})


def downgrade():
    pass  # the removed characters were never meant; there is nothing to put back
