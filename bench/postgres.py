"""The PostgreSQL profile for a before/after: the cluster profile's tracker store.

``Server`` starts a throw-away PostgreSQL on loopback with ``scripts/postgres.sh`` (the
project's own, as ``make run-cluster`` and the tests use it: trust authentication, no
fsync), gives each side of a before/after a database of its own, and stops it. ``serve``
points one of our stacks at such a database: the Rasa server gets ``endpoints.yml`` with
the tracker store of ``endpoints.cluster.yml`` (``PostgresTrackerStore``), and the action
server stores applications there too (``DATABASE_URL``), as in the cluster profile. There
is one Rasa instance, so the lock store stays Rasa's in-memory one: no Redis.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
import yaml

from bot import ROOT
from bot.ops import services

SCRIPT = ROOT / "scripts" / "postgres.sh"
ENDPOINTS = ROOT / "endpoints.yml"
CLUSTER_ENDPOINTS = ROOT / "endpoints.cluster.yml"
# Rasa's pool per instance, as the cluster profile sets it (bot/ops/cluster.py).
POOL = {"SQL_POOL_SIZE": "5", "SQL_MAX_OVERFLOW": "10"}


class Unavailable(RuntimeError):
    """PostgreSQL cannot be installed or started here."""


class Server:
    """A PostgreSQL server on ``127.0.0.1:port``; ``stop`` removes it and its data."""

    def __init__(self, port: int) -> None:
        self.port = port
        # The server runs as the postgres user: its folder must not sit in a private one.
        self.folder = Path(tempfile.mkdtemp(prefix="eig-bench-pg-"))
        self.url = ""

    def start(self) -> str:
        result = subprocess.run(
            ["bash", str(SCRIPT), "start", str(self.folder), str(self.port)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            self.stop()
            raise Unavailable(f"scripts/postgres.sh start: {result.stderr.strip()[-500:]}")
        self.url = result.stdout.strip()
        return self.url

    def database(self, name: str) -> str:
        """A new, empty database; its URL."""
        admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        subprocess.run(
            ["bash", str(SCRIPT), "stop", str(self.folder)], capture_output=True, check=False
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def endpoints(target: Path) -> Path:
    """``endpoints.yml`` with the cluster profile's tracker store, written to ``target``."""
    ours: dict[str, Any] = yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))
    cluster: dict[str, Any] = yaml.safe_load(CLUSTER_ENDPOINTS.read_text(encoding="utf-8"))
    ours["tracker_store"] = cluster["tracker_store"]
    target.write_text(yaml.safe_dump(ours, sort_keys=False), encoding="utf-8")
    return target


def serve(supervisor: services.Supervisor, database_url: str, endpoints_file: Path) -> None:
    """Point a not yet started stack at ``database_url`` (conversations and applications)."""
    supervisor.extra_env.update(
        {"TRACKER_DATABASE_URL": database_url, "DATABASE_URL": database_url, **POOL}
    )
    rasa: Optional[services.Service] = next(
        (s for s in supervisor.services if services.is_rasa(s)), None
    )
    if rasa is None or "--endpoints" not in rasa.command:
        raise ValueError("no Rasa server with --endpoints in this stack")
    rasa.command[rasa.command.index("--endpoints") + 1] = str(endpoints_file)


def tracker_rows(database_url: str) -> int:
    """How many events the tracker store holds (to check that it was used)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SELECT count(*) FROM events")).scalar_one())
    finally:
        engine.dispose()
