"""Per-person limits on writing and searching, answered with 429 and Retry-After (see web.handle_rate_limit).

Limits are read from config on each request (POST_LIMIT, REPLY_LIMIT...), so a deployment
or the benchmark can raise them without disabling them. Only successful writes count.
"""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from forum.extensions import limiter


def _person() -> str:
    return f"person:{current_user.id}" if current_user.is_authenticated else f"guest:{request.remote_addr}"


def _written(response) -> bool:
    return response.status_code in (200, 302, 303) and request.view_args.get("action", "publish") == "publish"


def per_person(config_key: str):
    """Limit a view's successful POSTs per person to the rate in `config_key`, e.g. "20/hour"."""
    return limiter.limit(lambda: current_app.config[config_key], key_func=_person,
                         methods=["POST"], deduct_when=_written)


def _answered(response) -> bool:
    return response.status_code == 200


def per_person_reads(config_key: str):
    """Limit a view's answered GETs per person (searching, for one), as `per_person` does POSTs."""
    return limiter.limit(lambda: current_app.config[config_key], key_func=_person,
                         methods=["GET"], deduct_when=_answered)
