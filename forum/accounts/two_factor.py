"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and recovery codes.

Set-up keeps an unconfirmed secret until the person proves their app works with a first
code. A code is accepted once: the time-step it belongs to is stored, and only a later
step is accepted afterwards, so a code seen over a shoulder cannot be replayed. Recovery
codes are random, stored as SHA-256 hashes, and each works once.

Services change the session's objects and add audit entries; the view commits once.
"""

from __future__ import annotations

import io
import re
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, or_, select, update

from forum import audit
from forum.accounts import sealing
from forum.accounts.models import RecoveryCode, TwoFactor, User
from forum.accounts.tokens import token_hash
from forum.errors import Invalid
from forum.extensions import db
from forum.timeutil import utcnow

ISSUER = "Adviser forum"
RECOVERY_CODE_COUNT = 10
#: Codes from the step before and after "now" are accepted, for clocks a little out.
ALLOWED_DRIFT_STEPS = 1
# No 0/o, 1/l/i: recovery codes are read off paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
WRONG_CODE = "Enter a correct code from your authenticator app, or an unused recovery code"


def _record(user: User) -> TwoFactor | None:
    return db.session.get(TwoFactor, user.id)


def is_enabled(user: User) -> bool:
    record = _record(user)
    return record is not None and record.confirmed_at is not None


# Set-up -------------------------------------------------------------------------------


def pending_secret(user: User) -> str:
    """The secret being set up: kept across page loads until confirmed, then fixed."""
    record = _record(user)
    if record is not None and record.confirmed_at is not None:
        raise Invalid("Two-factor sign-in is already on")
    if record is None:
        record = TwoFactor(user_id=user.id, sealed_secret=sealing.seal(pyotp.random_base32()))
        db.session.add(record)
        db.session.flush()
    try:
        return sealing.unseal(record.sealed_secret)
    except sealing.UnreadableSecret:
        record.sealed_secret = sealing.seal(pyotp.random_base32())
        return sealing.unseal(record.sealed_secret)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> str:
    """The set-up address as an inline SVG QR code, drawn on the server (no script, no image request)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", xmldecl=False, svgns=True, scale=4, border=4,
                                    svgclass="qr-code", title="QR code for your authenticator app")
    return out.getvalue().decode("utf-8")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type in by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_setup(user: User, code: str) -> list[str]:
    """Turn two-factor on with a first code; returns the recovery codes to show once."""
    record = _record(user)
    if record is None or record.confirmed_at is not None:
        raise Invalid("Start setting up two-factor sign-in again", field="code")
    if not _accept_totp(record, code):
        raise Invalid("Enter the 6-digit code your authenticator app shows now", field="code")
    record.confirmed_at = utcnow()
    audit.record(user, "two_factor.enabled", "user", user.id)
    return _replace_recovery_codes(user)


def disable(user: User) -> None:
    """The person turns it off themselves (after confirming it is them)."""
    erase(user)
    audit.record(user, "two_factor.disabled", "user", user.id)


def reset_by_admin(actor: User, user: User) -> None:
    """For someone who lost both their phone and their recovery codes: they set it up again."""
    if actor.id == user.id:
        raise Invalid("Turn your own two-factor sign-in off from your account page")
    if _record(user) is None:
        raise Invalid(f"{user.display_name} does not use two-factor sign-in")
    erase(user)
    audit.record(actor, "two_factor.reset", "user", user.id)


def erase(user: User) -> None:
    """Delete the secret and the recovery codes (also for erasing an account); no audit."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))


def regenerate_recovery_codes(user: User) -> list[str]:
    if not is_enabled(user):
        raise Invalid("Two-factor sign-in is not on")
    codes = _replace_recovery_codes(user)
    audit.record(user, "two_factor.recovery_codes_replaced", "user", user.id)
    return codes


def unused_recovery_codes(user: User) -> int:
    return len(db.session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all())


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))  # about 50 bits
    return f"{letters[:5]}-{letters[5:]}"


def _normalise_recovery_code(code: str) -> str:
    letters = re.sub(r"[\s-]", "", code).lower()
    return f"{letters[:5]}-{letters[5:]}"


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=token_hash(code)) for code in codes)
    db.session.flush()
    return codes


# Checking codes -------------------------------------------------------------------------


def _digits(code: str) -> str | None:
    digits = re.sub(r"\s", "", code or "")
    return digits if re.fullmatch(r"\d{6}", digits) else None


def _accept_totp(record: TwoFactor, code: str) -> bool:
    """Accept a code once: its time-step must be later than the last one used."""
    digits = _digits(code)
    if digits is None:
        return False
    try:
        totp = pyotp.TOTP(sealing.unseal(record.sealed_secret))
    except sealing.UnreadableSecret:
        return False
    now = totp.timecode(time.time())
    for step in range(now - ALLOWED_DRIFT_STEPS, now + ALLOWED_DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), digits):
            return _claim_step(record, step)
    return False


def _claim_step(record: TwoFactor, step: int) -> bool:
    # One conditional UPDATE, so two requests racing with the same code cannot both win.
    claimed = db.session.execute(
        update(TwoFactor)
        .where(TwoFactor.user_id == record.user_id,
               or_(TwoFactor.last_used_step.is_(None), TwoFactor.last_used_step < step))
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed:
        record.last_used_step = step
    return claimed == 1


def _accept_recovery_code(user: User, code: str) -> bool:
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id,
               RecoveryCode.code_hash == token_hash(_normalise_recovery_code(code)),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return spent == 1


def check_code(user: User, code: str) -> bool:
    """An authenticator code or an unused recovery code, each accepted only once."""
    record = _record(user)
    if record is None or record.confirmed_at is None or not (code or "").strip():
        return False
    if _digits(code) is not None:
        return _accept_totp(record, code)
    if _accept_recovery_code(user, code):
        audit.record(user, "two_factor.recovery_code_used", "user", user.id)
        return True
    return False


def verify(user: User, code: str) -> None:
    """Raise Invalid (for the code field) unless the code is right and unused."""
    if not check_code(user, code):
        raise Invalid(WRONG_CODE, field="code")
