"""Domain errors: services raise these, views turn them into messages or status codes."""

from __future__ import annotations


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
    """The input breaks a rule; the message says which."""


class Held(DomainError):
    """The change is kept but waits for the person (a draft with findings to review): the
    view commits what was kept and shows the message."""


class Gone(DomainError):
    """The object existed but can no longer be used (an expired or used link)."""
