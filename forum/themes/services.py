"""Theme rules and transactions: the controlled vocabulary that posts are tagged with.

Services change the session's objects and add audit entries; the caller commits once.
They raise domain errors and never return HTTP.

Themes sit below cases in the module order, so nothing here imports `forum.cases`: the
one place that touches posts (`merge`) reaches the `post_themes` table through the
shared metadata.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import Table, func, select

from forum import audit
from forum.accounts.models import User
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.themes import cache, policy
from forum.themes.models import Theme
from forum.text import clean

NAME_MIN = 2
NAME_MAX = 80
DESCRIPTION_MAX = 1000
REASON_MAX = 400
#: A post carries at least one theme and at most this many.
MAX_THEMES_PER_POST = 5

NAME_MISSING = "Enter a name for the theme"
NAME_RULE = f"Enter a name of {NAME_MIN} to {NAME_MAX} characters"
DESCRIPTION_RULE = f"Enter a description of {DESCRIPTION_MAX:,} characters or fewer"

#: Slugs that would collide with the theme pages' own addresses (/themes/manage).
RESERVED_SLUGS = frozenset({"manage"})
_SLUG_MAX = NAME_MAX - 8  # room for a "-<n>" suffix within the column's 80 characters

# Cleaning and checking input ----------------------------------------------------------


def clean_name(name: str) -> str:
    """One line of plain text: normalised, no invisible characters (forum.text.clean), single spaces."""
    return " ".join(clean(unicodedata.normalize("NFKC", name or "")).split())


def clean_description(description: str) -> str:
    return clean(unicodedata.normalize("NFKC", description or "")).strip()


def name_key(name: str) -> str:
    """What two names must not share: names are unique whatever their case."""
    return clean_name(name).casefold()


def _check_name(name: str, theme: Theme | None = None) -> str:
    name = clean_name(name)
    if not name:
        raise Invalid(NAME_MISSING, field="name")
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise Invalid(NAME_RULE, field="name")
    key = name.casefold()
    # The vocabulary is small: comparing in Python folds case the same way on every database.
    for other in db.session.scalars(select(Theme)):
        if other is theme or other.name.casefold() != key:
            continue
        if other.merged_into_id is not None:
            raise Invalid(
                f"There is already a theme called “{other.name}”, which was merged into another "
                "theme: rename that one first, or choose another name",
                field="name",
            )
        if other.archived:
            raise Invalid(
                f"There is already a theme called “{other.name}”, which is archived: "
                "restore it, or choose another name",
                field="name",
            )
        raise Invalid(f"There is already a theme called “{other.name}”: choose another name", field="name")
    return name


def _check_description(description: str) -> str:
    description = clean_description(description)
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(DESCRIPTION_RULE, field="description")
    return description


def _check_reason(reason: str | None) -> str | None:
    reason = clean_name(reason or "")
    if len(reason) > REASON_MAX:
        raise Invalid(f"Enter a reason of {REASON_MAX} characters or fewer", field="reason")
    return reason or None


def _require_manager(actor: User) -> None:
    if not policy.may_manage_themes(actor):
        raise Forbidden("Only line managers and admins can change themes")


# Slugs --------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """Lower-case ASCII letters and digits joined by hyphens: "Debt & money" -> "debt-money"."""
    ascii_name = unicodedata.normalize("NFKD", clean_name(name)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    slug = slug[:_SLUG_MAX].rstrip("-")
    return slug or "theme"


def unique_slug(name: str) -> str:
    """The name's slug, or the same with -2, -3... when a theme (even a merged one) has it."""
    base = slugify(name)
    taken = set(db.session.scalars(select(Theme.slug).where(Theme.slug.like(f"{base}%"))))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# Reading ------------------------------------------------------------------------------


def _is_active(theme: Theme) -> bool:
    return not theme.archived and theme.merged_into_id is None


def active_themes() -> list[cache.ActiveTheme]:
    """Themes a post can be tagged with, by name (id, slug, name and description), kept in the
    process between requests (forum.themes.cache)."""
    return cache.active_themes()


def all_themes() -> list[Theme]:
    """Every theme, archived and merged ones included, by name: for the management page."""
    return list(db.session.scalars(select(Theme).order_by(func.lower(Theme.name), Theme.id)))


def choices() -> list[tuple[int, str]]:
    """(id, name) of the active themes, for a form's choices."""
    return [(theme.id, theme.name) for theme in active_themes()]


def get(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id) if isinstance(theme_id, int) else None
    if theme is None:
        raise NotFound()
    return theme


def get_by_slug(slug: str) -> Theme:
    """The theme at /themes/<slug>, whatever its state. A merged theme's address should
    lead to the theme it was merged into (`merged_into_id`): always one step, because
    `merge` repoints earlier merges too."""
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        raise NotFound()
    return theme


def themes_by_ids(ids: Iterable[int | str], field: str = "themes") -> list[Theme]:
    """The themes a post is to be tagged with, by name; each must exist and be active,
    and there must be 1 to 5 of them (repeats count once)."""
    wanted: list[int] = []
    for value in ids:
        try:
            theme_id = int(value)
        except (TypeError, ValueError):
            raise Invalid("Choose themes from the list", field=field) from None
        if theme_id not in wanted:
            wanted.append(theme_id)
    if not wanted:
        raise Invalid("Choose at least one theme", field=field)
    if len(wanted) > MAX_THEMES_PER_POST:
        raise Invalid(f"Choose no more than {MAX_THEMES_PER_POST} themes", field=field)
    found = {theme.id: theme for theme in db.session.scalars(select(Theme).where(Theme.id.in_(wanted)))}
    if len(found) != len(wanted):
        raise Invalid("Choose themes from the list: one of them does not exist", field=field)
    for theme in found.values():
        if theme.merged_into_id is not None:
            target = db.session.get(Theme, theme.merged_into_id)
            raise Invalid(
                f"The theme “{theme.name}” has been merged into “{target.name}”: choose that one instead",
                field=field,
            )
        if theme.archived:
            raise Invalid(f"The theme “{theme.name}” is archived: choose another theme", field=field)
    return sorted(found.values(), key=lambda theme: (theme.name.casefold(), theme.id))


def _post_themes() -> Table:
    # Owned by the cases module, which sits above this one: reached without importing it.
    return db.metadata.tables["post_themes"]


def tagged_post_count(theme: Theme) -> int:
    """How many posts carry this theme, whatever their state: for managers deciding a merge."""
    table = _post_themes()
    return db.session.scalar(select(func.count()).select_from(table).where(table.c.theme_id == theme.id))


# Changing -----------------------------------------------------------------------------


def add(name: str, description: str = "") -> Theme:
    """A new active theme with no actor and no audit entry: for the demo seed only."""
    name = _check_name(name)
    description = _check_description(description)
    theme = Theme(name=name, slug=unique_slug(name), description=description, archived=False)
    db.session.add(theme)
    db.session.flush()
    return theme


def create(actor: User, name: str, description: str = "") -> Theme:
    _require_manager(actor)
    theme = add(name, description)
    audit.record(actor, "theme.created", "theme", theme.id)
    return theme


def update(actor: User, theme: Theme, name: str, description: str) -> None:
    """Rename and describe; the slug, and so the theme's address, stays the same."""
    _require_manager(actor)
    new_name = _check_name(name, theme=theme)
    new_description = _check_description(description)
    if new_name != theme.name:
        audit.record(actor, "theme.renamed", "theme", theme.id, reason=f"{theme.name} -> {new_name}")
        theme.name = new_name
    if new_description != theme.description:
        audit.record(actor, "theme.described", "theme", theme.id)
        theme.description = new_description


def archive(actor: User, theme: Theme, reason: str | None = None) -> None:
    """No new posts can be tagged with it; posts that have it keep it."""
    _require_manager(actor)
    reason = _check_reason(reason)
    if theme.merged_into_id is not None:
        raise Invalid("This theme has been merged into another theme, so it is already archived")
    if theme.archived:
        raise Invalid(f"“{theme.name}” is already archived")
    theme.archived = True
    audit.record(actor, "theme.archived", "theme", theme.id, reason=reason)


def restore(actor: User, theme: Theme) -> None:
    _require_manager(actor)
    if theme.merged_into_id is not None:
        raise Invalid(f"“{theme.name}” was merged into another theme, so it cannot be restored")
    if not theme.archived:
        raise Invalid(f"“{theme.name}” is not archived")
    theme.archived = False
    audit.record(actor, "theme.restored", "theme", theme.id)


def merge(actor: User, source: Theme, target: Theme, reason: str | None = None) -> int:
    """Move every post from `source` to `target`, then retire `source` (archived, merged
    into `target`, its address leading there). Returns how many posts carried `source`.

    Set-based: one INSERT ... SELECT adds the target to the posts that lack it, one DELETE
    drops the source, so a post tagged with both ends with the target once."""
    _require_manager(actor)
    reason = _check_reason(reason)
    if source.merged_into_id is not None:
        raise Invalid(f"“{source.name}” has already been merged into another theme")
    if target.id == source.id:
        raise Invalid("Choose a different theme: a theme cannot be merged into itself", field="target_id")
    if not _is_active(target):
        raise Invalid(
            f"“{target.name}” is archived: choose an active theme, or restore that one first",
            field="target_id",
        )
    table = _post_themes()
    moved = tagged_post_count(source)
    already_tagged = select(table.c.post_id).where(table.c.theme_id == target.id)
    db.session.execute(
        sa.insert(table).from_select(
            ["post_id", "theme_id"],
            select(table.c.post_id, sa.literal(target.id)).where(
                table.c.theme_id == source.id, table.c.post_id.not_in(already_tagged)
            ),
        )
    )
    db.session.execute(sa.delete(table).where(table.c.theme_id == source.id))
    # Themes merged into the source earlier now lead straight to the target.
    db.session.execute(
        sa.update(Theme).where(Theme.merged_into_id == source.id).values(merged_into_id=target.id)
    )
    source.archived = True
    source.merged_into_id = target.id
    note = f"into theme {target.id}" + (f": {reason}" if reason else "")
    audit.record(actor, "theme.merged", "theme", source.id, reason=note)
    return moved
