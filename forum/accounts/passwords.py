"""Password rules and hashing.

Rules follow NIST SP 800-63B: length (12 to 128 characters, counted after Unicode
normalisation), any character allowed, no composition rules, and no password from the
list of the most common ones. Hashes are Argon2id.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()


def normalise(password: str) -> str:
    """The same password typed on two keyboards must hash the same (NFKC)."""
    return unicodedata.normalize("NFKC", password)


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("forum.accounts").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line and not line.startswith("#")
    )


def _is_common(password: str) -> bool:
    folded = password.casefold()
    # "password1234!" is "password" with the usual decoration.
    stem = folded.rstrip("0123456789!?.@#$%^&*_-+= ")
    return folded in common_passwords() or (len(stem) >= 4 and stem in common_passwords())


def problem_with(password: str) -> str | None:
    """Why this password cannot be used, in words for the person; None when it can."""
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters long"
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer"
    if _is_common(password):
        return "This password is too common and easy to guess: choose a different one"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a real password, used to keep timing even")


def spend_verification_time() -> None:
    """Verify against a dummy hash so an unknown email takes as long as a known one."""
    verify_password(_dummy_hash(), "wrong password for timing")
