"""@mentions: "@sian.evans" in a post or reply names a person by their handle (made once from
their display name, never changed: forum.accounts.names), shown as their display name.

Found in the Markdown source; highlighted in the rendered HTML (after sanitising, with text
we build ourselves), linking to nothing more.
"""

from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import select

from forum.accounts.models import User
from forum.accounts.names import mention_key
from forum.extensions import db

# The handle's shape (accounts.names.HANDLE), after an @ that follows no word character.
MENTION = re.compile(r"(?<![\w@])@([^\W_][\w.\-]{1,39})")


def _candidates(name: str) -> list[str]:
    """"@sam.patel." may end a sentence: try the handle without trailing dots and hyphens too."""
    stripped = name.rstrip(".-")
    return [name, stripped] if stripped != name else [name]


def mentioned_users(*texts: str) -> list[User]:
    """The active people named in these texts, in one query."""
    keys = {mention_key(candidate) for text in texts for match in MENTION.finditer(text or "")
            for candidate in _candidates(match.group(1))}
    if not keys:
        return []
    return list(db.session.scalars(select(User).where(User.handle.in_(keys), User.is_active.is_(True))))


def highlight(html: str, people: list[User]) -> str:
    """Wrap each mention of these people in the rendered HTML; other text is left alone."""
    if not people:
        return html
    names = {person.handle: person.display_name for person in people}

    def wrap(match: re.Match) -> str:
        for candidate in _candidates(match.group(1)):
            shown = names.get(mention_key(candidate))
            if shown:
                rest = match.group(1)[len(candidate):]
                return f'<strong class="mention">@{escape(shown)}</strong>{escape(rest)}'
        return match.group(0)

    # Only text between tags: never inside an attribute or a tag name.
    return re.sub(r">([^<]+)<", lambda part: ">" + MENTION.sub(wrap, part.group(1)) + "<", f">{html}<")[1:-1]
