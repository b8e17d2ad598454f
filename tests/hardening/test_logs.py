"""Tokens in addresses never reach a log; gunicorn names no software in a Server header."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from forum.logmask import mask

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("line", "expected"), [
    ('"GET /reset/abc.def-1 HTTP/1.1" 200', '"GET /reset/… HTTP/1.1" 200'),
    ("POST /invite/Zx_9-a?next=/ HTTP/1.1", "POST /invite/…?next=/ HTTP/1.1"),
    ("GET /calendar/12/secret-token.ics", "GET /calendar/…"),
    ("GET /unsubscribe/tok.en.sig", "GET /unsubscribe/…"),
    ("Referer: https://forum.example.org:8443/reset/abc", "Referer: https://forum.example.org:8443/reset/…"),
    # Pages without a token stay readable.
    ("GET /reset HTTP/1.1", "GET /reset HTTP/1.1"),
    ("GET /account/calendar/reset HTTP/1.1", "GET /account/calendar/reset HTTP/1.1"),
    ("GET /posts/3/history HTTP/1.1", "GET /posts/3/history HTTP/1.1"),
])
def test_mask_hides_tokens_in_paths_and_urls(line, expected):
    assert mask(line) == expected


def test_the_forum_and_werkzeug_logs_are_masked(app, caplog):
    caplog.set_level(logging.INFO)
    app.logger.error("Unhandled error on %s %s", "GET", "/invite/very-secret-token")
    logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" 200', "GET /reset/very-secret-token HTTP/1.1")
    assert "very-secret-token" not in caplog.text
    assert "/invite/…" in caplog.text and "/reset/…" in caplog.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_masks_its_access_log_and_sends_no_server_header(database_url, tmp_path):
    port, access_log = free_port(), tmp_path / "access.log"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "g" * 40}
    # As in production: started from the repository, so gunicorn reads gunicorn.conf.py.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(access_log), "--access-logformat", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s', "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        headers = None
        deadline = time.monotonic() + 30
        while headers is None and time.monotonic() < deadline:
            try:
                headers = urllib.request.urlopen(base + "/login", timeout=2).headers
            except OSError:
                time.sleep(0.2)
        assert headers is not None, "gunicorn did not start"
        assert "Server" not in headers
        for path in ("/reset/secret-reset-token", "/invite/secret-invite-token", "/calendar/1/secret-feed.ics",
                     "/unsubscribe/secret-unsub-token"):
            request = urllib.request.Request(base + path, headers={"Referer": base + "/reset/secret-referer"})
            try:
                urllib.request.urlopen(request, timeout=5)
            except urllib.error.HTTPError as refused:
                assert "Server" not in refused.headers
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    log = access_log.read_text()
    assert "/reset/…" in log and "/invite/…" in log and "/calendar/…" in log and "/unsubscribe/…" in log
    assert "secret" not in log
