"""deploy/nginx/forum.conf: `nginx -t` accepts it, and the forum served through it (two app
servers behind it) gets compressed, year-cached static files, masked token paths in the
access log, and the client's own address in the audit log."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import ssl
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum import config
from forum.audit import AuditEntry
from forum.extensions import db
from tests.servers import Nginx


@pytest.fixture(autouse=True)
def _nginx_available():
    if not Path(Nginx.BINARY).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs Debian's nginx")
        pytest.skip("nginx is missing (apt-get install nginx)")


def fetch(port: int, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None,
          source: str = "127.0.0.1", tls: bool = True):
    context = ssl._create_unverified_context()  # the test's own self-signed certificate
    connection = (http.client.HTTPSConnection("127.0.0.1", port, context=context, source_address=(source, 0), timeout=30)
                  if tls else http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=30))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, {name.lower(): value for name, value in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def test_the_site_passes_nginx_t(tmp_path):
    checked = Nginx(tmp_path, ["127.0.0.1:8000", "127.0.0.1:8001"]).check()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


@pytest.fixture(scope="module")
def proxy(cluster, tmp_path_factory):
    upstreams = [urlsplit(url).netloc for url in cluster.urls]
    with Nginx(tmp_path_factory.mktemp("nginx"), upstreams) as running:
        yield running


def test_static_files_are_compressed_and_kept_for_a_year(proxy):
    page = fetch(proxy.https_port, "/login")[2].decode()
    versioned = re.search(r'href="(/static/forum\.css\?v=[0-9a-f]+)"', page).group(1)
    status, headers, body = fetch(proxy.https_port, versioned, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "max-age=31536000" in headers["cache-control"] and "immutable" in headers["cache-control"]
    assert b"font-family" in gzip.decompress(body)
    assert (Path(__file__).resolve().parents[2] / "forum/static/forum.css").read_bytes() == gzip.decompress(body)
    for path in ("/static/forum.js", "/static/manifest.webmanifest"):
        status, headers, _ = fetch(proxy.https_port, path + "?v=1", headers={"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-encoding"] == "gzip", path


def test_unversioned_static_files_are_checked_again(proxy):
    status, headers, _ = fetch(proxy.https_port, "/static/favicon.svg")
    assert status == 200 and headers["cache-control"] == "no-cache"


def test_pages_come_from_the_app_uncompressed_with_nginx_request_id(proxy):
    status, headers, body = fetch(proxy.https_port, "/login", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and b"Sign in" in body
    assert "content-encoding" not in headers  # no compression of pages with tokens (BREACH)
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])  # nginx's $request_id, echoed by the app
    assert headers["cache-control"] == "no-store"
    assert headers.get("server") == "nginx"  # no version (server_tokens off)


def test_plain_http_is_sent_to_https_and_large_bodies_are_refused(proxy):
    status, headers, _ = fetch(proxy.http_port, "/login", tls=False)
    assert status == 301 and headers["location"].startswith("https://")
    status, _, _ = fetch(proxy.https_port, "/login", "POST", body=b"x" * (1024 * 1024 + 10),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413


def test_token_paths_are_masked_in_the_access_log(proxy):
    token = f"secret{uuid.uuid4().hex}"
    fetch(proxy.https_port, f"/reset/{token}")
    fetch(proxy.https_port, f"/invite/{token}")
    fetch(proxy.https_port, f"/search?q={token}")
    # nginx writes a line once the response has gone: give it a moment on a busy machine.
    deadline = time.monotonic() + 5
    while True:
        log = proxy.access_log.read_text()
        if ("/reset/[token]" in log and "/invite/[token]" in log and "/search " in log) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert "/reset/[token]" in log and "/invite/[token]" in log and "/search " in log
    assert token not in log


@pytest.mark.skipif("FORUM_PROXY_HOPS" not in config.ENV_VARIABLES,
                    reason="the app trusts X-Forwarded-For once FORUM_PROXY_HOPS exists (the hardening issue, 15)")
def test_a_forwarded_client_address_reaches_the_audit_log(proxy, cluster_app):
    client = "127.0.0.7"  # the browser's address; nginx reaches the app from 127.0.0.1
    _, headers, page = fetch(proxy.https_port, "/login", source=client)
    cookie = headers["set-cookie"].split(";")[0]
    token = re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1).decode()
    email = f"nobody.{uuid.uuid4().hex[:8]}@example.org"
    status, _, _ = fetch(proxy.https_port, "/login", "POST", source=client,
                         body=f"csrf_token={token}&email={email}&password=wrong".encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                                  # As a browser sends it on port 443 (nginx passes the host without a port).
                                  "Referer": "https://127.0.0.1/login"})
    assert status == 401
    with cluster_app.app_context():
        latest = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "sign_in")
                                   .order_by(AuditEntry.id.desc()).limit(1))
        assert latest.outcome == "failure" and latest.ip == client
