"""Several real app servers for tests: gunicorn processes of the forum on local ports, sharing
one PostgreSQL database and Redis, and a client that spreads its requests over them.

Reusable (the two-server tests, the nginx test, the performance checks of caches):

    with Cluster(database_url, count=2, env={"SEARCH_LIMIT": "6/minute"}) as cluster:
        a, b = cluster.urls
        browser = Browser(cluster.urls)          # round-robin, one cookie jar
        browser.get("/login")                    # A, then B, then A...
        browser.on(1).get("/")                   # this one to B

`migrated_database(admin_url)` makes a fresh migrated PostgreSQL database and drops it after.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import _postgres_database
from tests.mailserver import free_port

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SECRET = "cluster-test-secret-key-that-is-long-enough"


@contextmanager
def migrated_database(admin_url: str):
    """A fresh PostgreSQL database with the schema (made by the migrations); its URL."""
    generator = _postgres_database(admin_url)
    _kind, url = next(generator)
    try:
        yield url
    finally:
        generator.close()


class Cluster:
    """`count` gunicorn servers (one sync worker each) of the forum, started and stopped together."""

    def __init__(self, database_url: str, count: int = 2, env: dict | None = None, redis_url: str = "redis://127.0.0.1:6379/0",
                 workers: int = 1, log_dir: Path | None = None):
        self.database_url = database_url
        self.count = count
        self.workers = workers
        self.log_dir = log_dir or Path("/tmp")
        #: Every run counts its rate limits apart from any other run's on the same Redis.
        self.env = {
            "FORUM_ENV": "development", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
            "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": f"forum-test-{uuid.uuid4().hex[:8]}",
            "FORUM_SERVERS": str(count), "FORUM_LOG_FORMAT": "json", **(env or {}),
        }
        self.processes: list[subprocess.Popen] = []
        self.urls: list[str] = []

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def config(self) -> dict:
        """App settings for a test's own `create_app` on the same database (to build data)."""
        return {"SQLALCHEMY_DATABASE_URI": self.database_url, "SECRET_KEY": SECRET,
                "RATELIMIT_STORAGE_URI": self.env["RATELIMIT_STORAGE_URI"],
                "RATELIMIT_KEY_PREFIX": self.env["RATELIMIT_KEY_PREFIX"]}

    def start(self) -> None:
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("FORUM_", "MAIL_"))}
        environment.update(self.env)
        for number in range(self.count):
            port = free_port()
            log = open(self.log_dir / f"forum-server-{port}.log", "wb")  # noqa: SIM115 (closed with the process)
            self.processes.append(subprocess.Popen(
                [str(GUNICORN), "-w", str(self.workers), "-b", f"127.0.0.1:{port}", "--graceful-timeout", "3",
                 "--timeout", "60", "wsgi:app"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True))
            self.urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(self.urls, self.processes, strict=True):
            wait_until_healthy(url, process)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def wait_until_healthy(url: str, process: subprocess.Popen | None = None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}; see its log in /tmp")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in {seconds} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    text: str
    server: str

    def json(self):
        return json.loads(self.text)


class Browser:
    """One person's browser: one cookie jar, each request to the next server in turn (or to
    the one named with `on`). Redirects are not followed, so each answer can be checked."""

    def __init__(self, urls: list[str]):
        self.urls = urls
        self._turns = itertools.cycle(range(len(urls)))
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self._pinned: int | None = None

    def on(self, index: int) -> Browser:
        """The next request goes to server `index` (0 is A, 1 is B)."""
        self._pinned = index
        return self

    def _base(self) -> str:
        index = self._pinned if self._pinned is not None else next(self._turns)
        self._pinned = None
        return self.urls[index]

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        base = self._base()
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
        try:
            with self._opener.open(request, timeout=30) as answer:
                return Answer(answer.status, dict(answer.headers), answer.read().decode(), base)
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode(), base)

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | None = None, page: str | None = None) -> Answer:
        """POST a form with a CSRF token read from `page` (by default the same path), as a browser would."""
        pinned = self._pinned
        self._pinned = None
        token = CSRF_INPUT.search(self.get(page or path).text).group(1)
        if pinned is not None:
            self._pinned = pinned
        return self.request("POST", path, {"csrf_token": token, **(data or {})})

    def sign_in(self, email: str, password: str, totp_secret: str | None = None) -> Answer:
        answer = self.post("/login", {"email": email, "password": password})
        if answer.headers.get("Location", "").startswith("/login/code"):
            answer = self.post("/login/code", {"code": pyotp.TOTP(totp_secret).now()})
        assert answer.status == 302, answer.text[:300]
        return answer


class Nginx:
    """deploy/nginx/forum.conf, served on local ports in front of `upstreams` (host:port).

    Only what a test machine needs is changed: ports, the certificate (a self-signed one made
    here), the static folder, the log file and the app servers; everything else is the file
    an operator installs."""

    SITE = ROOT / "deploy" / "nginx" / "forum.conf"
    BINARY = "/usr/sbin/nginx"

    def __init__(self, folder: Path, upstreams: list[str]):
        self.folder = folder
        self.upstreams = upstreams
        self.http_port, self.https_port = free_port(), free_port()
        self.access_log = folder / "access.log"
        self.process: subprocess.Popen | None = None
        self.main_config = self._write()

    def _write(self) -> Path:
        certificate, key = self._self_signed()
        site = self.SITE.read_text()
        changes = {
            "    listen 80;\n": f"    listen 127.0.0.1:{self.http_port};\n",
            "    listen [::]:80;\n": "",
            "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{self.https_port} ssl http2;\n",
            "    listen [::]:443 ssl http2;\n": "",
            "/etc/letsencrypt/live/forum.example.org/fullchain.pem": str(certificate),
            "/etc/letsencrypt/live/forum.example.org/privkey.pem": str(key),
            "/srv/forum/forum/static/": f"{ROOT}/forum/static/",
            "/var/log/nginx/forum.access.log": str(self.access_log),
            "    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;\n":
                "".join(f"    server {upstream} max_fails=3 fail_timeout=10s;\n" for upstream in self.upstreams),
        }
        for old, new in changes.items():
            assert old in site, f"deploy/nginx/forum.conf no longer has {old!r}: update tests/servers.py"
            site = site.replace(old, new)
        (self.folder / "forum.conf").write_text(site)
        temp = self.folder / "temp"
        temp.mkdir(exist_ok=True)
        main = self.folder / "nginx.conf"
        main.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.folder}/forum.conf;
}}
""")
        return main

    def _self_signed(self) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "forum.example.org")])
        now = datetime.now(UTC)
        certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                       .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                       .not_valid_after(now + timedelta(days=2)).sign(key, hashes.SHA256()))
        certificate_path, key_path = self.folder / "forum.crt", self.folder / "forum.key"
        certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return certificate_path, key_path

    def check(self) -> subprocess.CompletedProcess:
        """`nginx -t` on the site: its syntax, and that everything it names exists."""
        return subprocess.run([self.BINARY, "-t", "-c", str(self.main_config), "-p", str(self.folder)],
                              capture_output=True, text=True, timeout=30)

    def __enter__(self) -> Nginx:
        self.process = subprocess.Popen([self.BINARY, "-c", str(self.main_config), "-p", str(self.folder),
                                         "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def __exit__(self, *_exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
