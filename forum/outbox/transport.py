"""Where delivered mail goes: an SMTP server (MAIL_SERVER set) or the terminal (development).

The terminal is stdout, never the application log: links in emails carry tokens.
"""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from forum.mail import Email

#: Seconds to wait for the SMTP server at each step; a slow server delays only the worker.
SMTP_TIMEOUT = 20

#: Failures that are about one message; any other error means the server is not reachable.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def as_message(email: Email, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    for name, value in email.headers:
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


class Smtp:
    """One connection for a batch, opened at the first message."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def send(self, email: Email) -> None:
        if self.connection is None:
            self.connection = self._connect()
        self.connection.send_message(as_message(email, self.config["MAIL_FROM"]))

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT)
        try:
            if config["MAIL_USE_TLS"]:
                connection.starttls()
            if config.get("MAIL_USERNAME"):
                connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            connection.close()
            raise
        return connection

    def reset(self) -> None:
        """Drop the connection after a failure; the next message opens a new one."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


class Terminal:
    def send(self, email: Email) -> None:
        rule = "-" * 72
        sys.stdout.write(f"\n{rule}\nEmail to {email.to}\nSubject: {email.subject}\n\n{email.text}\n{rule}\n")
        sys.stdout.flush()

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


def for_config(config) -> Smtp | Terminal:
    return Smtp(config) if config.get("MAIL_SERVER") else Terminal()
