"""Theme pages and their management by managers and admins."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("themes", __name__)
