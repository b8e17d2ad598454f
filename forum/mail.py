"""One way to send email.

With MAIL_SERVER set, mail goes out over SMTP. In development it is written to the
terminal (stdout) and never to the application log, because links in it carry tokens.
Tests set MAIL_BACKEND = "memory" and read `outbox()`.
"""

from __future__ import annotations

import smtplib
from contextlib import contextmanager
import sys
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, url_for


def link(endpoint: str, **values) -> str:
    """An absolute link, always on FORUM_BASE_URL: never the Host header of the request
    that caused it (a reset link must not point wherever the asker said the forum is).
    Every absolute link the forum writes (emails, calendars) comes from here."""
    with current_app.test_request_context(base_url=current_app.config["FORUM_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    headers: tuple[tuple[str, str], ...] = ()


def backend_name(config) -> str:
    if config.get("MAIL_BACKEND"):
        return config["MAIL_BACKEND"]
    return "smtp" if config.get("MAIL_SERVER") else "console"


def outbox() -> list[Email]:
    """Messages captured by the memory backend (tests)."""
    return current_app.extensions.setdefault("forum_outbox", [])


@contextmanager
def suppressed():
    """Send nothing inside this block (the demo seed's notifications are not real news)."""
    current_app.extensions["forum_mail_suppressed"] = True
    try:
        yield
    finally:
        current_app.extensions["forum_mail_suppressed"] = False


def send(to: str, subject: str, text: str, html: str, headers: dict | None = None) -> None:
    if current_app.extensions.get("forum_mail_suppressed"):
        return
    email = Email(to, subject, text, html, tuple((headers or {}).items()))
    backend = backend_name(current_app.config)
    if backend == "memory":
        outbox().append(email)
    elif backend == "smtp":
        _send_smtp(email)
    else:
        _write_to_terminal(email)


def _as_message(email: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = email.to
    message["Subject"] = email.subject
    for name, value in email.headers:
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


def _send_smtp(email: Email) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(_as_message(email))


def _write_to_terminal(email: Email) -> None:
    rule = "-" * 72
    sys.stdout.write(
        f"\n{rule}\nEmail to {email.to}\nSubject: {email.subject}\n\n{email.text}\n{rule}\n"
    )
    sys.stdout.flush()


def send_template(to: str, subject: str, template: str, headers: dict | None = None, **context) -> None:
    """Send `template`.txt and `template`.html, rendered with `context`."""
    # Straight from the Jinja environment: emails need none of the pages' context (who is
    # signed in, the navigation), and may be rendered after the session has committed.
    environment = current_app.jinja_env
    text = environment.get_template(f"{template}.txt").render(**context)
    html = environment.get_template(f"{template}.html").render(subject=subject, **context)
    send(to, subject, text, html, headers)
