"""Accounts: people, teams, roles, invitations, signing in and out, passwords and two-factor."""

from __future__ import annotations

from flask import Flask

from forum import templating, web


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.accounts import commands, guards, policy, security_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(security_views.bp)
    app.cli.add_command(commands.create_admin)
    web.guard_managers_pages(app, guards.setup_redirect)
    templating.add_management_page(app, "accounts.invitations", "Invitations",
                                   "Invite people to the forum, and resend or withdraw invitations.",
                                   policy.may_send_invitations)
    templating.add_management_page(app, "accounts.people", "People",
                                   "Change roles and teams, end sessions, deactivate or reactivate accounts.",
                                   policy.may_manage_people,
                                   section=("accounts.person", "accounts.deactivate", "accounts.reset_two_factor"))
