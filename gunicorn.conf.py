"""gunicorn settings the forum needs in production; gunicorn reads this file from the
directory it is started in (`gunicorn wsgi:app`), or pass `-c gunicorn.conf.py`.

- Tokens in addresses (`/invite/…`, `/reset/…`, `/calendar/…`, `/unsubscribe/…`) are
  masked in the access and error logs, in the request line, path and referrer alike
  (`forum.logmask.mask`, the same rule as the forum's own logs).
- No `Server` header: gunicorn would name itself; the forum names no software or version.

Command-line options (`-w 2 -b 127.0.0.1:8000`) still apply on top of this file.
"""

from gunicorn.glogging import Logger
from gunicorn.http import wsgi as _gunicorn_wsgi

from forum.logmask import mask


class MaskingLogger(Logger):
    """gunicorn's logger with every text the access log shows passed through `mask`."""

    def atoms(self, resp, req, environ, request_time):
        found = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) if isinstance(value, str) else value for key, value in found.items()}

    def error(self, msg, *args, **kwargs):
        super().error(mask(str(msg) % args if args else str(msg)), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(mask(str(msg) % args if args else str(msg)), **kwargs)


# There is no access log unless asked for (`--access-logfile -`); whichever is asked for is masked.
logger_class = MaskingLogger

_default_headers = _gunicorn_wsgi.Response.default_headers


def _without_server_header(response):
    return [line for line in _default_headers(response) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _without_server_header
