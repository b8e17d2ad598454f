"""Domain errors: services raise these, views turn them into messages or status codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = message
        #: The form field the message belongs beside, when there is one.
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or the person may not know that it does."""


class Forbidden(DomainError):
    """The person can see the object but may not do this to it."""


class Invalid(DomainError):
    """The input breaks a rule; the message says which. `also`: the other rules broken at
    the same time, so that a form reports every error at once."""

    def __init__(self, message: str = "", field: str | None = None, also: list[Invalid] | None = None):
        super().__init__(message, field)
        self.also = also or []


def check_all(*checks: Callable[[], Any]) -> list[Any]:
    """Run every check and return their results; when any refuses, refuse with every refusal
    (the first, and the others in `also`), not only the first one met."""
    results, refusals = [], []
    for check in checks:
        try:
            results.append(check())
        except Invalid as refusal:
            refusals.append(refusal)
            results.append(None)
    if refusals:
        first, *others = refusals
        raise Invalid(first.message, first.field, also=others)
    return results


class Held(DomainError):
    """The change is kept but waits for the person (a draft with findings to review): the
    view commits what was kept and shows the message."""


class Gone(DomainError):
    """The object existed but can no longer be used (an expired or used link)."""
