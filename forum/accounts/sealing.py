"""Sealing the two-factor secrets at rest.

A copy of the database (a backup, a leaked dump) should not be enough to produce
someone's codes, so the TOTP secret is stored encrypted with Fernet (AES-128-CBC with an
HMAC). The key is TWO_FACTOR_KEY when set, otherwise one derived from SECRET_KEY; either
way, changing it means everyone sets two-factor sign-in up again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class UnreadableSecret(Exception):
    """The stored secret was sealed with another key (the key was changed)."""


def _fernet() -> Fernet:
    material = current_app.config.get("TWO_FACTOR_KEY") or current_app.config["SECRET_KEY"]
    # A label keeps this key apart from every other use of SECRET_KEY.
    digest = hashlib.sha256(b"forum two-factor secrets\x00" + material.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError):
        raise UnreadableSecret() from None
