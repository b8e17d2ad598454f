"""Two gunicorn servers of the forum on one PostgreSQL database and Redis, started once for
every test in this folder (they need FORUM_TEST_DATABASE_URL: the PostgreSQL pass of the suite)."""

from __future__ import annotations

import os
import socket

import pytest

from forum import create_app
from forum.extensions import db
from tests.conftest import BASE_CONFIG, postgres_admin_url
from tests.servers import Cluster, migrated_database

#: Low enough to reach in a test, counted across both servers.
SEARCH_LIMIT = "6/minute"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    admin_url = postgres_admin_url()
    if not admin_url:
        pytest.skip("several servers need PostgreSQL: set FORUM_TEST_DATABASE_URL (the PostgreSQL pass runs these)")
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis must run on 127.0.0.1:6379 in CI")
        pytest.skip("several servers need Redis on 127.0.0.1:6379")
    with migrated_database(admin_url) as url:
        with Cluster(url, count=2, env={"SEARCH_LIMIT": SEARCH_LIMIT, "FORUM_PROXY_HOPS": "1"},
                     log_dir=tmp_path_factory.mktemp("servers")) as running:
            yield running


@pytest.fixture(scope="session")
def cluster_app(cluster):
    """An app on the servers' database, for building test data with tests/factories.py."""
    app = create_app({**BASE_CONFIG, **cluster.config()})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
