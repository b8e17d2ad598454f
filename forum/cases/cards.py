"""Posts as the cards of a list: plain rows of the columns a card shows, ready to print.

A list page is the forum's most asked-for page (issue 19): its cards are read as rows (no ORM
objects, no identity map), with their authors' names in the same statement and every card's
themes in one more; links, dates and the author rule are worked out here, once per card in
plain Python, so the template's loop only prints (`cases/_cards.html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Select, select

from forum.accounts.models import User
from forum.cases import policy
from forum.cases.models import Post, PostKind, post_themes
from forum.extensions import db
from forum.pagination import Page, keyset_page
from forum.templating import link_pattern, list_dates
from forum.themes.models import Theme

#: What a card shows: not the parts' Markdown and HTML (several KB a post), and the author's
#: name from the same statement (whether it is shown is `policy.shown_author`'s answer).
COLUMNS = (Post.id, Post.kind, Post.title, Post.author_id, Post.show_author, Post.resolved_at, Post.last_activity_at,
           Post.reply_count, Post.helpful_count, Post.what_helped_shown, User.display_name.label("author_name"))


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    kind: str  # "Success story", "Resolved case" or "Case"
    title: str
    href: str
    author_name: str | None  # None: "An adviser"
    author_href: str
    last_activity: Markup
    reply_count: int
    helpful_count: int
    what_helped_shown: bool
    themes: list[tuple[str, str]]  # (address, name), by name


def cards_query() -> Select:
    """Posts as card rows; callers add their own conditions (and the visibility clause)."""
    return select(*COLUMNS).join(User, User.id == Post.author_id)


def page(query: Select, older: str | None, newer: str | None) -> Page:
    """A keyset page of cards, newest activity first."""
    found = keyset_page(query, Post.last_activity_at, Post.id, older, newer, rows=True)
    found.items = cards_of(found.items)[0]
    return found


def newest(query: Select, size: int) -> list:
    """The newest rows of a query of cards (to pass to `cards_of`, several lists at once)."""
    return list(db.session.execute(query.order_by(Post.last_activity_at.desc(), Post.id.desc()).limit(size)))


def _kind(row) -> str:
    if row.kind == PostKind.STORY:
        return "Success story"
    return "Resolved case" if row.resolved_at else "Case"


def cards_of(*lists: list) -> list[list[Card]]:
    """Card rows made cards, several lists at once: their themes in one statement."""
    ids = {row.id for rows in lists for row in rows}
    themes = _themes_of(ids) if ids else {}
    # Once per request, not per card: link prefixes, the person's zone, who is looking.
    post_link, author_link = link_pattern("cases.show", "post_id"), link_pattern("cases.index", "author")
    when = list_dates()
    viewer = current_user._get_current_object()
    return [[Card(row.id, _kind(row), row.title, post_link(row.id),
                  policy.shown_author(viewer, row.author_id, row.author_name, row.show_author),
                  author_link(row.author_id), when(row.last_activity_at), row.reply_count, row.helpful_count,
                  bool(row.what_helped_shown), themes.get(row.id, []))
             for row in rows] for rows in lists]


def _themes_of(post_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    """Each post's themes as (address, name), by name, as the post page lists them."""
    theme_link = link_pattern("cases.theme", "slug")
    found: dict[int, list[tuple[str, str]]] = {}
    rows = db.session.execute(
        select(post_themes.c.post_id, Theme.slug, Theme.name).join(Theme, Theme.id == post_themes.c.theme_id)
        .where(post_themes.c.post_id.in_(post_ids)).order_by(Theme.name))
    for post_id, slug, name in rows:
        found.setdefault(post_id, []).append((theme_link(quote(slug)), name))
    return found
