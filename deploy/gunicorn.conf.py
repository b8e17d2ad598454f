"""gunicorn settings for the forum (deploy/systemd/forum-web.service): `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Logs go to stderr (the journal) as JSON lines, like the forum's own; there is no access log
here, nginx keeps it (with the token paths masked).
"""

import os

bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FORUM_WORKERS", "3"))
# Requests finish within this; a restart (HUP, or stop during an upgrade) waits for them.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Not preloaded: a reload (HUP) starts workers that import the new release's code.
preload_app = False
# X-Forwarded-Proto is believed only from these (nginx); set FORWARDED_ALLOW_IPS when nginx
# runs on another machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "forum.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["stderr"], "propagate": False},
    },
}
