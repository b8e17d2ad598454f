"""Secret tokens in addresses (`/invite/…`, `/reset/…`, `/calendar/…`, `/unsubscribe/…`)
masked in every log line, so that a log file cannot be used to take over an account,
read a calendar or unsubscribe someone.

`mask(text)` is the one rule; `TokenFilter` applies it to log records. `install(app)`
puts the filter on the forum's, Werkzeug's and gunicorn's loggers; `gunicorn.conf.py`
masks gunicorn's access log with the same `mask`.
"""

from __future__ import annotations

import logging
import re

#: Paths whose segments after the prefix are a bearer token.
TOKEN_PREFIXES = ("invite", "reset", "calendar", "unsubscribe")

# The prefix must be the first segment of a path: at the start, after a space, quote or
# "=", or right after a URL's host ("https://forum.example.org/reset/…"). So
# /account/calendar/reset, a page without a token, is left alone.
_TOKEN_PATH = re.compile(
    r"""((?:^|(?<=[\s"'(=])|(?<=//)[^/\s"']+)/(?:""" + "|".join(TOKEN_PREFIXES) + r""")/)[^\s?#"'&]+"""
)


def mask(text: str) -> str:
    """`GET /reset/abc123 HTTP/1.1` -> `GET /reset/… HTTP/1.1`."""
    return _TOKEN_PATH.sub(r"\1…", text)


class TokenFilter(logging.Filter):
    """Masks tokens in a record's message (formatted first, so arguments are covered too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


#: Loggers that may write a request's path: the forum's own, the development server's, gunicorn's.
LOGGERS = ("werkzeug", "gunicorn.error", "gunicorn.access")


def install(app) -> None:
    token_filter = TokenFilter()
    for logger in (app.logger, *map(logging.getLogger, LOGGERS)):
        if not any(isinstance(existing, TokenFilter) for existing in logger.filters):
            logger.addFilter(token_filter)
