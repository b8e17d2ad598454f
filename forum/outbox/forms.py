"""The outbox's one form: a Retry button (CSRF only)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class RetryForm(FlaskForm):
    pass
