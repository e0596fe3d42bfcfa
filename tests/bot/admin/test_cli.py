"""``python -m bot staff add|disable|list`` on a real SQLite database, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys

from bot import ROOT
from bot.admin import accounts
from bot.applications.storage import Storage
from tests.bot.admin.conftest import PASSWORD, raw


def bot(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip


def test_staff_add_list_disable(tmp_path):
    url = f"sqlite:///{tmp_path / 'applications.db'}"
    added = bot(url, "staff", "add", "Camille", "--role", "data_officer", "--password-stdin",
                stdin=PASSWORD + "\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "camille (data_officer) added" in added.stdout
    assert PASSWORD not in added.stdout + added.stderr
    short = bot(url, "staff", "add", "zoe", "--password-stdin", stdin="court\n")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    twice = bot(url, "staff", "add", "camille", "--password-stdin", stdin=PASSWORD + "\n")
    assert twice.returncode == 2 and "taken" in twice.stderr
    listed = bot(url, "staff", "list")
    assert listed.stdout.splitlines() == ["camille\tdata_officer\tactive\tlast sign-in -"]
    assert bot(url, "staff", "disable", "camille").returncode == 0
    assert bot(url, "staff", "disable", "nobody").returncode == 1
    store = Storage(url)
    try:
        [row] = raw(store, "staff_accounts")
        assert row["active"] in (0, False) and row["session_version"] == 2
        assert accounts.authenticate(store, "camille", PASSWORD).staff is None
    finally:
        store.close()
