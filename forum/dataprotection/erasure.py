"""Erase an account (UK GDPR Art 17): on confirmation, at once, in one transaction.

What is deleted and what is kept, and why, is written down in `policy.py`.

Extension point: `erasure_step(function)` registers `function(person)`, run inside the same
transaction after the steps below, for personal data in tables written later (two-factor
secrets and recovery codes; flags the person raised keep their reporter id, which now
points at the emptied row).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import case, delete, func, select, update

from forum import audit, mail
from forum.accounts import passwords, two_factor
from forum.accounts.models import Invitation, Role, SignInSession, User
from forum.audit import AuditEntry
from forum.cases.models import Bookmark, Helpful, Post, Reply
from forum.circles.models import Membership
from forum.dataprotection import policy
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.knowledge import services as knowledge
from forum.learning.models import Goal, Reflection, Share
from forum.meetings.models import (
    Attendance,
    CalendarFeed,
    HeardMark,
    Meeting,
    MemberNote,
    PulseAnswered,
    ReminderChoice,
    ReminderSent,
    Rsvp,
    SeriesAnswer,
)
from forum.moderation.models import DismissedFlag
from forum.notifications.models import DigestRun, EmailPreference, Follow, Notification
from forum.timeutil import DEFAULT_ZONE, utcnow

#: Further steps, run in order after the built-in ones. Add to it with @erasure_step.
ERASURE_STEPS: list[Callable[[User], None]] = []


def erasure_step(step: Callable[[User], None]):
    if step not in ERASURE_STEPS:
        ERASURE_STEPS.append(step)
    return step


@erasure_step
def _two_factor(person: User) -> None:
    """Their authenticator secret and recovery codes."""
    two_factor.erase(person)


@erasure_step
def _knowledge(person: User) -> None:
    """Their offer to help, its themes, the cases sent to them and their welcome path."""
    knowledge.erase(person.id)


def confirm_identity(person: User, password: str, code: str = "") -> None:
    """The one check before an erasure: the acting person's password, and a code from their
    authenticator where two-factor sign-in is on, entered now (so within the last 5 minutes)."""
    if not password or not passwords.verify_password(person.password_hash, password):
        raise Invalid("Your password is not right", field="password")
    if two_factor.is_enabled(person):
        two_factor.verify(person, code)


def erase_self(person: User, password: str, code: str = "") -> None:
    confirm_identity(person, password, code)
    if policy.is_last_admin(person, _active_admins()):
        raise Invalid("You are the only admin: make someone else an admin before you erase your account")
    _erase(person)
    audit.record(person, "user.erased", "user", person.id, reason="own request")
    _forget_addresses(person)


def erase_other(actor: User, person: User, password: str, code: str = "") -> None:
    if not policy.may_erase_others(actor):
        raise Forbidden()
    refusal = policy.erasure_refusal(actor, person)
    if refusal:
        raise Forbidden(refusal)
    confirm_identity(actor, password, code)
    _erase(person)
    audit.record(actor, "user.erased", "user", person.id, reason="by an admin")
    _forget_addresses(person)


def _active_admins() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.is_active.is_(True), User.erased_at.is_(None)))


def _erase(person: User) -> None:
    old_email = person.email
    _empty_profile(person)
    _end_sign_ins(person)
    _remove_personal_rows(person)
    _withdraw_helpful_marks(person)
    db.session.execute(update(Invitation).where(Invitation.email == old_email)
                       .values(email=policy.erased_email()).execution_options(synchronize_session=False))
    db.session.execute(update(Meeting).where(Meeting.note_taker_id == person.id).values(note_taker_id=None))
    mail.forget(old_email)  # emails still waiting for them (delivered ones keep only a hash)
    for step in ERASURE_STEPS:
        step(person)
    db.session.flush()


def _empty_profile(person: User) -> None:
    person.email = policy.erased_email()
    person.display_name = policy.FORMER_MEMBER
    person.display_name_key = policy.erased_name_key()
    person.handle = policy.erased_name_key()  # nobody can @mention the erased account any more
    person.password_hash = policy.unusable_password_hash()
    person.timezone = DEFAULT_ZONE
    person.team = None
    person.role = Role.ADVISER  # no privilege survives in any check
    person.is_active = False
    person.last_seen_at = None
    # What managers recorded about them (moderation): no longer needed once they are gone.
    person.needs_approval = False
    person.suspended_at = person.suspended_until = person.suspension_reason = None
    person.erased_at = utcnow()


def _end_sign_ins(person: User) -> None:
    # Deleting the rows refuses every cookie at once and leaves no sign-in history.
    db.session.execute(delete(SignInSession).where(SignInSession.user_id == person.id))


#: Rows that are only about the person, each named by its user column.
PERSONAL_ROWS = (
    (Membership, Membership.user_id),
    (Rsvp, Rsvp.user_id),
    (Attendance, Attendance.user_id),
    (HeardMark, HeardMark.user_id),
    (ReminderSent, ReminderSent.user_id),
    (ReminderChoice, ReminderChoice.user_id),
    (SeriesAnswer, SeriesAnswer.user_id),
    # That they answered a pulse goes; the anonymous answer stays (nothing links it to them).
    (PulseAnswered, PulseAnswered.user_id),
    (MemberNote, MemberNote.recipient_id),
    (CalendarFeed, CalendarFeed.user_id),
    (Follow, Follow.user_id),
    (Bookmark, Bookmark.user_id),
    (Notification, Notification.recipient_id),
    (EmailPreference, EmailPreference.user_id),
    (DigestRun, DigestRun.user_id),
    # Urgent flags of theirs that managers dismissed as unfounded (moderation's limits).
    (DismissedFlag, DismissedFlag.user_id),
    (Reflection, Reflection.author_id),
    (Goal, Goal.owner_id),  # their themes go with them (ON DELETE CASCADE)
    (Share, Share.owner_id),
    (Share, Share.manager_id),  # a copy shared with them: nobody else may open it
)


def _remove_personal_rows(person: User) -> None:
    for model, user_column in PERSONAL_ROWS:
        db.session.execute(delete(model).where(user_column == person.id)
                           .execution_options(synchronize_session=False))


def _withdraw_helpful_marks(person: User) -> None:
    """Their marks go, and the counts they added to go with them."""
    for target_type, model in (("post", Post), ("reply", Reply)):
        marked = select(Helpful.target_id).where(Helpful.user_id == person.id, Helpful.target_type == target_type)
        db.session.execute(update(model).where(model.id.in_(marked))
                           .values(helpful_count=case((model.helpful_count > 0, model.helpful_count - 1), else_=0))
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(Helpful).where(Helpful.user_id == person.id))


def _forget_addresses(person: User) -> None:
    """The IP addresses in the audit entries they made (this one included) are set to NULL:
    the only change the audit log's triggers allow (migration 0010)."""
    db.session.flush()
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == person.id, AuditEntry.ip.is_not(None))
                       .values(ip=None))
