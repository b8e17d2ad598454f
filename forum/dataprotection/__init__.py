"""Data protection (UK GDPR): export my data, erase an account, retention of old content.

It may read every other module; nothing imports it but the app factory, the CLI and
`forum.models`. Services are split by duty: `export.py`, `erasure.py`, `retention.py`;
the rules they follow are in `policy.py`.

Extension points, for modules written later (each is a registry in this package, so the
other module's tables are named here and the arrows still point one way):
  - export.export_section: add a section to "Export my data" (flags raised, for moderation).
  - erasure.erasure_step: wipe or detach another module's personal data on erasure
    (two-factor secrets, recovery codes).
  - retention.retention_step: delete rows keyed by post or reply id without a foreign key.
    Tables with a foreign key to posts.id ON DELETE CASCADE need nothing: retention deletes
    posts through the database, so the cascade removes them.
"""

from __future__ import annotations

from flask import Flask

from forum import templating


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.dataprotection import commands, policy, views

    app.register_blueprint(views.bp)
    templating.add_management_page(app, "dataprotection.retention_setting", "Content retention",
                                   "How long old posts are kept before they are deleted.", policy.may_erase_others)
    app.cli.add_command(commands.apply_retention)
