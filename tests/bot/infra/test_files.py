"""Database files readable by their owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

from bot import ROOT
from bot.infra.files import private_database, private_file, sqlite_path


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_sqlite_urls_and_others():
    assert str(sqlite_path("sqlite:////srv/eig/a.db")) == "/srv/eig/a.db"
    assert str(sqlite_path("sqlite:///var/a.db")) == "var/a.db"
    assert sqlite_path("sqlite:///:memory:") is None and sqlite_path("sqlite://") is None
    assert private_database("postgresql://eig:x@127.0.0.1:5432/eig") is None


def test_a_new_database_is_created_0600_and_its_journal_follows(tmp_path):
    old = os.umask(0o022)  # what a process usually has: 0644 files
    try:
        path = private_database(f"sqlite:///{tmp_path / 'var' / 'applications.db'}")
        assert path is not None and mode(path) == 0o600
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES ('camille@example.org')")
        connection.commit()
        assert mode(f"{path}-wal") == 0o600  # SQLite gives it the database's mode
        connection.close()
    finally:
        os.umask(old)


def test_an_existing_world_readable_database_is_made_private(tmp_path):
    path = tmp_path / "tracker.db"
    path.write_bytes(b"")
    path.chmod(0o644)
    (tmp_path / "tracker.db-journal").write_bytes(b"")
    (tmp_path / "tracker.db-journal").chmod(0o644)
    private_file(path)
    assert mode(path) == 0o600 and mode(tmp_path / "tracker.db-journal") == 0o600


def test_the_applications_command_creates_its_database_private(tmp_path):
    database = tmp_path / "applications.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "applications", "migrate"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert mode(database) == 0o600
