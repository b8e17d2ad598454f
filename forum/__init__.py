"""The adviser forum: a private Flask application where employment advisers learn from each other.

Importing `forum` imports nothing else, so the pure parts (`forum.markdown`,
`forum.privacy`) can be used without Flask or a database.
"""

from __future__ import annotations


def create_app(config: dict | None = None):
    """Build the application; `config` overrides the environment (tests use it)."""
    from forum.app import create_app as build

    return build(config)
