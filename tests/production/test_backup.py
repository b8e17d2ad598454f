"""deploy/backup.sh and deploy/restore.sh on a real PostgreSQL database: the restored copy
holds the data and still refuses changes to the audit log."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.conftest import postgres_admin_url

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_nightly_backup_restores_into_an_empty_database(cluster, cluster_app, tmp_path):
    admin_url = postgres_admin_url()
    someone = factories.make_user(cluster_app, name="Backed.Up", email=f"backed.{uuid.uuid4().hex[:8]}@example.org")
    made = subprocess.run([str(DEPLOY / "backup.sh"), str(tmp_path), libpq(cluster.database_url)],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.exists() and dump.stat().st_size > 0 and dump.parent == tmp_path

    name = f"forum_restored_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    restored_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        restored = subprocess.run([str(DEPLOY / "restore.sh"), str(dump), libpq(restored_url)],
                                  capture_output=True, text=True, timeout=120)
        assert restored.returncode == 0, restored.stderr
        engine = create_engine(restored_url)
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT display_name FROM users WHERE id = :id"), {"id": someone.id}) == "Backed.Up"
            assert connection.scalar(text("SELECT version_num FROM alembic_version"))
            connection.execute(text("INSERT INTO audit_entries (created_at, action, outcome) VALUES (now(), 'test', 'success')"))
            with pytest.raises(Exception, match="append-only"):
                connection.execute(text("DELETE FROM audit_entries"))
        engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
