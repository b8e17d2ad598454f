"""Data-protection rules: who may export or erase whom, and what erasure and retention mean.

What erasure does, and why (README "Export, erasure and retention" says the same):
  - The user row stays as a tombstone, so posts and replies keep a valid author and show
    FORMER_MEMBER; every personal field in it is replaced (email, display name, password hash,
    time zone, team, last sign-in) and it can never sign in again.
  - Kept, because they are the others' learning or the circle's record: posts and replies
    (anonymous ones stay anonymous), revisions of them, action points given to them in
    meetings, agenda items they nominated or presented, privacy decisions they made,
    invitations they sent to others. The invitation that brought them in loses their email.
  - Deleted, because they are about the person only: sign-in sessions, circle memberships
    (a circle whose only facilitator they were is left without one),
    RSVPs, attendance, "everyone heard" marks, reminders sent, the calendar feed, follows,
    bookmarks, helpful marks (the counts drop by theirs), notifications received, email
    settings, digest runs, the record of their urgent flags dismissed as unfounded, and emails to them still waiting in the outbox (delivered ones
    keep only a keyed hash of the address, for 30 days). Others' notifications about something they did stay, and now
    read "Former member replied...".
  - The audit log is append-only: entries keep the user id, which after erasure points at an
    emptied row, so it is a pseudonymous id. The IP addresses of entries they made are set to
    NULL: the database triggers allow that one change and nothing else (migration 0010).
"""

from __future__ import annotations

import secrets

from forum.accounts.models import Role, User

FORMER_MEMBER = "Former member"
#: Erased email addresses: unique, and unroutable (RFC 6761 reserves .invalid).
ERASED_EMAIL_DOMAIN = "invalid"

DEFAULT_RETENTION_MONTHS = 24
MIN_RETENTION_MONTHS = 1
MAX_RETENTION_MONTHS = 120


def may_export(user: User) -> bool:
    """Everyone signed in may export their own data, and only their own: no route names another person."""
    return user.is_authenticated and user.erased_at is None


def may_erase_self(user: User) -> bool:
    return user.erased_at is None


def may_erase_others(actor: User) -> bool:
    """Only admins erase someone else (a person's request by email or letter, a legal duty)."""
    return actor.role == Role.ADMIN


def erasure_refusal(actor: User, person: User) -> str | None:
    """Why an admin may not erase this person through the people pages, or None.

    Admins erase themselves from their account page, where the page is about them. Another
    admin's account must first lose its admin role (a separate, audited step), so one admin
    cannot remove every other admin in a single action.
    """
    if person.id == actor.id:
        return "Erase your own account from your account page"
    if person.role == Role.ADMIN:
        return "This person is an admin: change their role first, then erase the account"
    return None


def is_last_admin(person: User, active_admins: int) -> bool:
    """The last active admin may not erase themselves: nobody could then manage people."""
    return person.role == Role.ADMIN and active_admins <= 1


def erased_email() -> str:
    return f"erased-{secrets.token_hex(8)}@{ERASED_EMAIL_DOMAIN}"


def erased_name_key() -> str:
    """Unique, and outside the display-name rule (the "~"), so nobody can take it or @mention it."""
    return f"~erased-{secrets.token_hex(8)}"


def unusable_password_hash() -> str:
    """Not a hash of anything: no password verifies against it."""
    return "!erased"
