"""Shared fixtures and the suite's rules (docs/testing.md).

- Every test runs on a pinned date: ``EIG_TODAY`` is 2026-11-23, the date the story
  tests and the e2e services use; a test that needs another date sets its own.
- Hypothesis runs under the ``ci`` profile in CI (derandomized, no deadline) and the
  ``dev`` profile elsewhere (random, 1 s deadline); ``HYPOTHESIS_PROFILE`` picks one.
- In CI (``CI`` set to anything but empty, 0, false or no) a skipped test fails the
  run: a real server (PostgreSQL, Redis, nginx, Chromium, the cluster) that cannot be
  installed or started must not let the suite pass without it.
- The end-to-end and cluster tests get a longer timeout than the default of
  pyproject.toml: their first test also starts the servers.
- A real PostgreSQL server for the whole session (scripts/postgres.sh), with an empty
  database of its own for each test that asks for one.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import settings

from bot import ROOT
from bot.domain import clock, knowledge

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = "2026-11-23"  # as in the Makefile's story-test and the e2e and cluster services
SERVER_TESTS_TIMEOUT_S = 900  # tests/e2e and tests/cluster: the first one starts the servers
POSTGRES_SCRIPT = ROOT / "scripts" / "postgres.sh"

settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=1000)


def in_ci() -> bool:
    """True when the ``CI`` environment variable says so (``CI=true`` in .ci/run)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if in_ci() else "dev"))


@pytest.fixture(scope="session")
def known() -> knowledge.Knowledge:
    return knowledge.load()


def load_tracker(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "trackers" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> str:
    """Today is 2026-11-23 for every test, whatever the real date."""
    monkeypatch.setenv(clock.ENV_VAR, TODAY)
    return TODAY


# ---- CI: no skipped test, a timeout on every test ---------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ci_may_skip(reason): this test may be skipped in CI (say why); any other skip there "
        "fails the run",
    )


def _skip_reason(longrepr: Any) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _refused_skip(reason: str) -> str:
    return (
        f"{reason}\nIn CI a skipped test fails the run: the server or tool it needs must be "
        "installed and started there (.ci/run, docs/testing.md)."
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if (
        report.skipped
        and not hasattr(report, "wasxfail")
        and in_ci()
        and item.get_closest_marker("ci_may_skip") is None
    ):
        report.outcome = "failed"
        report.longrepr = _refused_skip(_skip_reason(report.longrepr))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """A whole module skipped (``pytest.importorskip``, ``allow_module_level``) as well."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and in_ci():
        report.outcome = "failed"
        report.longrepr = _refused_skip(_skip_reason(report.longrepr))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    servers = [Path(__file__).parent / name for name in ("e2e", "cluster")]
    for item in items:
        if item.get_closest_marker("timeout") is None and any(
            item.path.is_relative_to(directory) for directory in servers
        ):
            item.add_marker(pytest.mark.timeout(SERVER_TESTS_TIMEOUT_S))
        if in_ci():
            _without_deadline(item)


def _without_deadline(item: pytest.Item) -> None:
    """The ``ci`` profile has no deadline, and neither have tests that set their own: a
    slow machine must not fail a property that holds."""
    test = getattr(item, "obj", None)
    test = getattr(test, "__func__", test)  # a test method: its function
    chosen = getattr(test, "_hypothesis_internal_use_settings", None)
    if chosen is not None and chosen.deadline is not None:
        test._hypothesis_internal_use_settings = settings(chosen, deadline=None)  # type: ignore[union-attr]


# ---- A real PostgreSQL server --------------------------------------------------------------

_databases = itertools.count()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The socket.io client's disconnect sends its close packets at once, then waits for its
# pending long-poll request, which the server only answers at its next ping (25 s).
SOCKETIO_CLOSE_WAIT = 2.0


async def close_socketio(client: Any) -> None:
    """Disconnects a long-polling socket.io client without waiting for the server's next
    ping: the close packets are sent, the pending poll is given up."""
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(client.disconnect(), timeout=SOCKETIO_CLOSE_WAIT)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server on loopback for the whole session; its admin URL."""
    if shutil.which("bash") is None:
        pytest.skip("PostgreSQL tests need bash to run scripts/postgres.sh")
    directory = tempfile.mkdtemp(prefix="eig-pg-")
    port = free_port()
    result = subprocess.run(
        ["bash", str(POSTGRES_SCRIPT), "start", directory, str(port)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop", directory], capture_output=True)
        reason = result.stderr.strip().splitlines()[-1:] or ["unknown error"]
        if result.returncode == 3:
            pytest.skip(f"PostgreSQL could not be installed or started: {reason[0]}")
        pytest.fail(f"scripts/postgres.sh start failed: {result.stderr}")
    try:
        yield result.stdout.strip()
    finally:
        subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop", directory], capture_output=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """An empty database of this test's own on the session's PostgreSQL server."""
    name = f"test_{os.getpid()}_{next(_databases)}"
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
