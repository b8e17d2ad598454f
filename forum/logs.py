"""Logs: one JSON object per line (FORUM_LOG_FORMAT=json, the production default), each
with the request's id, which the response also carries as X-Request-Id.

A request is logged by its route pattern (`/reset/<token>`), never its path, so no token,
id or search words reach the log; nor do addresses, names or who is signed in.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

#: An id nginx (`$request_id`) or another proxy gave the request; anything else is replaced.
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
FIELDS = ("method", "route", "status", "duration_ms")

requests_log = logging.getLogger("forum.requests")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or (g.get("request_id") if has_request_context() else None)
        if request_id:
            entry["request_id"] = request_id
        for name in FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def use_json_logs(level: int = logging.INFO) -> None:
    """Send every logger's records to stderr as JSON lines (once per process)."""
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)


def _start() -> None:
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers["X-Request-Id"] = request_id
        duration = round((time.perf_counter() - g.request_started) * 1000, 1)
        route = request.url_rule.rule if request.url_rule is not None else "(no route)"
        requests_log.info("%s %s %s", request.method, route, response.status_code, extra={
            "request_id": request_id, "method": request.method, "route": route, "status": response.status_code, "duration_ms": duration})
    return response


def register(app: Flask) -> None:
    if app.config["FORUM_LOG_FORMAT"] == "json":
        app.logger.removeHandler(default_handler)
        use_json_logs()
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
