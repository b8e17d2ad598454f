"""Account rules and transactions: invitations, sign-in, passwords, roles.

Services change the session's objects and add audit entries; the view commits once.
They raise domain errors and never return HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import String, bindparam, func, select, update

from forum import audit
from forum.accounts import names, passwords, policy, two_factor
from forum.accounts.models import Invitation, Role, SignInSession, Team, User
from forum.accounts.tokens import new_token, token_hash
from forum.errors import Forbidden, Gone, Invalid, NotFound, check_all
from forum.extensions import db
from forum.timeutil import as_utc, format_datetime, is_zone, utcnow

DISPLAY_NAME_RULE = names.DISPLAY_NAME_RULE
display_name_key = names.display_name_key


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_display_name(name: str, current_user_id: int | None = None) -> str:
    name = names.tidy(name)
    problem = names.problem_with(name)
    if problem:
        raise Invalid(problem, field="display_name")
    holder = db.session.scalar(
        select(User.id).where(User.display_name_key == display_name_key(name))
    )
    if holder is not None and holder != current_user_id:
        raise Invalid("That display name is taken (names that differ only in capitals or accents count as the same): "
                      "choose another", field="display_name")
    return name


def new_handle(name: str) -> str:
    """A free handle for a new account: from the name, with a number added when it is taken."""
    base = names.handle_base(name)
    taken = set(db.session.scalars(select(User.handle).where(User.handle.like(f"{base}%"))))
    return next(handle for handle in names.handle_candidates(name) if handle not in taken)


def _new_user(name: str, **fields) -> User:
    user = User(display_name=name, display_name_key=display_name_key(name), handle=new_handle(name), **fields)
    db.session.add(user)
    return user


def _check_password(password: str, field: str = "password") -> None:
    problem = passwords.problem_with(password)
    if problem:
        raise Invalid(problem, field=field)


def get_user(user_id: int) -> User:
    """A person; an erased account is not found, like one that never existed."""
    user = db.session.get(User, user_id)
    if user is None or user.erased_at is not None:
        raise NotFound()
    return user


# Invitations ------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationInput:
    email: str
    role: Role
    team_id: int | None


def _pending_invitation_for(email: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.email == email,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )


def _issue_token(invitation: Invitation) -> str:
    token = new_token()
    invitation.token_hash = token_hash(token)
    invitation.expires_at = utcnow() + current_app.config["INVITATION_LIFETIME"]
    return token


def invite(inviter: User, data: InvitationInput) -> tuple[Invitation, str]:
    """Create an invitation and return it with the token for its link."""
    team = db.session.get(Team, data.team_id) if data.team_id else None
    if data.team_id and team is None:
        raise Invalid("Choose a team from the list", field="team_id")
    if not policy.may_invite(inviter, data.role, team):
        raise Forbidden("You may not invite someone with that role or to that team")
    email = normalise_email(data.email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Invalid("There is already an account for this email address", field="email")
    if _pending_invitation_for(email) is not None:
        raise Invalid(
            "An invitation to this email address is waiting to be accepted: "
            "resend it from the list of invitations",
            field="email",
        )
    invitation = Invitation(email=email, role=data.role, team=team, invited_by=inviter)
    token = _issue_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    audit.record(inviter, "invitation.sent", "invitation", invitation.id, reason=data.role.value)
    return invitation, token


def get_invitation(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound()
    return invitation


def resend_invitation(actor: User, invitation: Invitation) -> str:
    """A fresh link and seven more days; the old link stops working."""
    if not invitation.is_pending:
        raise Invalid("This invitation has already been used or revoked")
    token = _issue_token(invitation)
    audit.record(actor, "invitation.resent", "invitation", invitation.id)
    return token


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise Invalid("This invitation has already been used or revoked")
    invitation.revoked_at = utcnow()
    audit.record(actor, "invitation.revoked", "invitation", invitation.id)


def pending_invitations(actor: User) -> list[Invitation]:
    query = policy.manageable_invitations(actor, select(Invitation)).where(
        Invitation.used_at.is_(None), Invitation.revoked_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(200)))


def open_invitation(token: str) -> Invitation:
    """The invitation a link opens: NotFound for a forged token, Gone for a spent one."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None:
        raise NotFound()
    if invitation.used_at or invitation.revoked_at:
        raise Gone("This invitation has already been used or withdrawn.")
    if as_utc(invitation.expires_at) <= utcnow():
        raise Gone("This invitation has expired.")
    return invitation


def accept_invitation(token: str, display_name: str, password: str) -> User:
    invitation = open_invitation(token)
    name, _ = check_all(lambda: _check_display_name(display_name), lambda: _check_password(password))
    if db.session.scalar(select(User.id).where(User.email == invitation.email)) is not None:
        raise Gone("There is already an account for this email address.")
    user = _new_user(name, email=invitation.email, password_hash=passwords.hash_password(password),
                     role=invitation.role, team_id=invitation.team_id)
    invitation.used_at = utcnow()
    db.session.flush()
    audit.record(user, "invitation.accepted", "invitation", invitation.id)
    return user


# Sign-in sessions ---------------------------------------------------------------------


class Suspended(Forbidden):
    """The person's account is suspended by a manager."""

    def __init__(self, user: User):
        until = format_datetime(user.suspended_until, user.timezone) if user.suspended_until else "further notice"
        super().__init__(f"Your account is suspended until {until}. Reason given: {user.suspension_reason}. "
                         "Speak to your line manager if you think this is wrong.")


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; both paths take the same time."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        passwords.spend_verification_time()
        audit.record(None, "sign_in", "user", None, outcome="failure")
        return None
    if not passwords.verify_password(user.password_hash, password) or not user.is_active:
        audit.record(user, "sign_in", "user", user.id, outcome="failure")
        return None
    if user.is_suspended:
        # The right password: telling them why is no leak, and saves a call to the helpdesk.
        audit.record(user, "sign_in", "user", user.id, outcome="suspended")
        raise Suspended(user)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    if two_factor.is_enabled(user):
        # Half way: the sign-in happens only once the code is right too.
        audit.record(user, "sign_in.password", "user", user.id)
        return user
    _signed_in(user)
    return user


def needs_code(user: User) -> bool:
    return two_factor.is_enabled(user)


def authenticate_code(user_id: int, code: str) -> User | None:
    """The second step: the user waiting at sign-in, if their code is right and unused."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    if not two_factor.check_code(user, code):
        audit.record(user, "sign_in.code", "user", user.id, outcome="failure")
        return None
    _signed_in(user)
    return user


def _signed_in(user: User) -> None:
    user.last_seen_at = utcnow()
    audit.record(user, "sign_in", "user", user.id)


def confirm_identity(user: User, password: str, code: str) -> None:
    """Re-authentication: the password, and a code when two-factor sign-in is on."""
    if not passwords.verify_password(user.password_hash, password):
        audit.record(user, "reauth", "user", user.id, outcome="failure")
        raise Invalid("Your password is not right", field="password")
    if two_factor.is_enabled(user):
        if not (code or "").strip():
            raise Invalid("Enter the code from your authenticator app", field="code")
        if not two_factor.check_code(user, code):
            audit.record(user, "reauth", "user", user.id, outcome="failure")
            raise Invalid(two_factor.WRONG_CODE, field="code")
    audit.record(user, "reauth", "user", user.id)


def start_session(user: User, remember: bool) -> str:
    """Record a new signed-in browser and return the token its cookies will carry."""
    config = current_app.config
    lifetime = config["REMEMBER_COOKIE_DURATION"] if remember else config["SESSION_ABSOLUTE"]
    token = new_token()
    db.session.add(
        SignInSession(
            token_hash=token_hash(token),
            user_id=user.id,
            remember=remember,
            expires_at=utcnow() + lifetime,
        )
    )
    user.session_token = token
    return token


@dataclass(frozen=True)
class LiveSession:
    user: User
    remember: bool


#: Every request's one statement: the session's row by its token (a unique index) with the
#: person, their team and all a page needs of them (role, zone, name, the bell's count).
#: Built once, the token's hash a parameter: building the condition per request cost more than the lookup.
_LIVE_SESSION = (select(User, SignInSession.remember, SignInSession.expires_at, SignInSession.ended_at)
                 .join(SignInSession, SignInSession.user_id == User.id)
                 .where(SignInSession.token_hash == bindparam("live_token_hash", type_=String)))


def load_session(token: str) -> LiveSession | None:
    """The live session for a cookie's token, or None when it has ended or expired."""
    row = db.session.execute(_LIVE_SESSION, {"live_token_hash": token_hash(token)}).first()
    if row is None or row.ended_at is not None or not row.User.may_sign_in:
        return None
    if as_utc(row.expires_at) <= utcnow():
        return None
    row.User.session_token = token
    return LiveSession(row.User, row.remember)


def end_session(token: str) -> None:
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.token_hash == token_hash(token), SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(user: User) -> None:
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


# Passwords ----------------------------------------------------------------------------


def change_password(user: User, current: str, new: str) -> None:
    """Needs the current password; ends every session, the caller starts a new one."""
    def check_current() -> None:
        if not passwords.verify_password(user.password_hash, current):
            raise Invalid("Your current password is not right", field="current_password")

    check_all(check_current, lambda: _check_password(new, field="new_password"))
    user.password_hash = passwords.hash_password(new)
    end_all_sessions(user)
    audit.record(user, "password.changed", "user", user.id)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Part of the token, so a token stops working once the password changes: single use.
    return token_hash(user.password_hash)[:16]


def request_password_reset(email: str) -> tuple[User, str] | None:
    """A reset token for an active account, or None; the caller says the same either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        audit.record(None, "password.reset_requested", "user", None, outcome="no_account")
        return None
    token = _reset_serializer().dumps([user.id, _password_fingerprint(user)])
    audit.record(user, "password.reset_requested", "user", user.id)
    return user, token


def user_for_reset_token(token: str) -> User:
    max_age = current_app.config["PASSWORD_RESET_LIFETIME"].total_seconds()
    try:
        user_id, fingerprint = _reset_serializer().loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        raise Gone("This password reset link has expired or has already been used.") from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or fingerprint != _password_fingerprint(user):
        raise Gone("This password reset link has expired or has already been used.")
    return user


def reset_password(token: str, new: str) -> User:
    user = user_for_reset_token(token)
    _check_password(new)
    user.password_hash = passwords.hash_password(new)
    end_all_sessions(user)
    audit.record(user, "password.reset", "user", user.id)
    return user


# Profile ------------------------------------------------------------------------------


def change_email(user: User, new_email: str) -> str:
    """Move the account to a new address; returns the old one (it is told of the change)."""
    email = normalise_email(new_email)
    if email == user.email:
        raise Invalid("That is already your email address", field="email")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Invalid("There is already an account for this email address", field="email")
    old = user.email
    user.email = email
    audit.record(user, "email.changed", "user", user.id)
    return old


def update_profile(user: User, display_name: str, timezone: str) -> None:
    def check_zone() -> None:
        if not is_zone(timezone):
            raise Invalid("Choose a time zone from the list", field="timezone")

    name, _ = check_all(lambda: _check_display_name(display_name, current_user_id=user.id), check_zone)
    user.display_name = name
    user.display_name_key = display_name_key(name)
    user.timezone = timezone


# People (admins) ----------------------------------------------------------------------


def set_role_and_team(actor: User, user: User, role: Role, team_id: int | None) -> None:
    if user.id == actor.id and role != user.role:
        raise Invalid("You cannot change your own role: ask another admin", field="role")
    team = db.session.get(Team, team_id) if team_id else None
    if team_id and team is None:
        raise Invalid("Choose a team from the list", field="team_id")
    if role != user.role:
        audit.record(actor, "user.role_changed", "user", user.id, reason=f"{user.role.value} -> {role.value}")
        user.role = role
    if user.team_id != (team.id if team else None):
        audit.record(actor, "user.team_changed", "user", user.id)
        user.team = team


def deactivate(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise Invalid("You cannot deactivate your own account")
    user.is_active = False
    end_all_sessions(user)
    audit.record(actor, "user.deactivated", "user", user.id)


def reactivate(actor: User, user: User) -> None:
    user.is_active = True
    audit.record(actor, "user.reactivated", "user", user.id)


def end_sessions_of(actor: User, user: User) -> None:
    end_all_sessions(user)
    audit.record(actor, "user.sessions_ended", "user", user.id)


PEOPLE_PAGE_SIZE = 50


def people_page(search: str, after: str | None) -> tuple[list[User], str | None]:
    """People by display name, keyset-paginated; `after` is the last key of the page before."""
    query = select(User).where(User.erased_at.is_(None)).order_by(User.display_name_key, User.id)
    if search:
        def pattern(text: str) -> str:
            return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            User.display_name_key.like(pattern(display_name_key(search)), escape="\\")
            | User.email.like(pattern(search.strip().lower()), escape="\\")
            | User.handle.like(pattern(names.mention_key(search.strip().lstrip("@"))), escape="\\")
        )
    if after:
        query = query.where(User.display_name_key > after)
    people = list(db.session.scalars(query.limit(PEOPLE_PAGE_SIZE + 1)))
    more = len(people) > PEOPLE_PAGE_SIZE
    people = people[:PEOPLE_PAGE_SIZE]
    return people, (people[-1].display_name_key if more else None)


MENTION_SUGGESTIONS = 8


def mention_suggestions(viewer: User, typed: str) -> list[User]:
    """People whose handle, display name or a later word of it starts with what was typed after
    "@": at most MENTION_SUGGESTIONS, by name, the viewer left out."""
    typed = typed.strip().lstrip("@")[:40]
    if not typed:
        return []

    def starts(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    key = display_name_key(typed)
    query = policy.mentionable(select(User)).where(
        User.id != viewer.id,
        User.handle.like(starts(names.mention_key(typed)), escape="\\")
        | User.display_name_key.like(starts(key), escape="\\")
        | User.display_name_key.like("% " + starts(key), escape="\\"))
    return list(db.session.scalars(query.order_by(User.display_name_key).limit(MENTION_SUGGESTIONS)))


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(func.lower(Team.name))))


def create_admin(email: str, display_name: str, password: str) -> User:
    """The first admin, made from the command line."""
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Invalid("There is already an account for this email address", field="email")
    name = _check_display_name(display_name)
    _check_password(password)
    user = _new_user(name, email=email, password_hash=passwords.hash_password(password), role=Role.ADMIN)
    db.session.flush()
    audit.record(None, "user.admin_created", "user", user.id)
    return user


