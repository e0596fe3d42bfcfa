"""The purge command and the purge service that `make run` and `make run-cluster` start:
real processes on real SQLite files, whose raw tables are read afterwards."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
import yaml
from aiosmtpd.controller import Controller

from bot import ROOT
from bot.applications import lifecycle, storage
from bot.ops import cluster, services
from tests.bot.mail.conftest import Collector
from tests.conftest import free_port

EMAIL = "old.candidate@example.org"


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'applications.db'}",
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_DB": str(tmp_path / "tracker.db"),
        **extra,
    }
    env.pop("TRACKER_DATABASE_URL", None)
    return env


def seed(tmp_path: Path, age: dt.timedelta) -> None:
    """A pre-application and a conversation ``age`` old."""
    then = dt.datetime.now(dt.timezone.utc) - age
    applications = storage.Storage(f"sqlite:///{tmp_path / 'applications.db'}")
    applications.submit(
        storage.conversation_key("sender", "token"),
        language="fr", promotion=7, target_profile="technical_director",
        years_of_experience=8, entrepreneurial_experience=False,
        project_interest="Données de santé", first_name="Gaspard", email=EMAIL, consent=True,
        now=then,
    )  # fmt: skip
    applications.close()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}", future=True)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp FLOAT, intent_name TEXT, action_name TEXT, data TEXT)"
            )
        )
        data = json.dumps({"event": "user", "text": f"je suis {EMAIL}", "parse_data": {}})
        connection.execute(
            sa.text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES "
                    "('sender', 'user', :t, :d)"),
            {"t": then.timestamp(), "d": data},
        )  # fmt: skip
    engine.dispose()


def counts(tmp_path: Path) -> tuple[int, int]:
    found = []
    for name, table in (("applications.db", "pre_applications"), ("tracker.db", "events")):
        engine = sa.create_engine(f"sqlite:///{tmp_path / name}", future=True)
        with engine.connect() as connection:
            found.append(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar())
        engine.dispose()
    return found[0], found[1]


def bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip


def test_the_purge_command_applies_each_retention_period(tmp_path):
    seed(tmp_path, dt.timedelta(days=40))
    kept = bot("purge", env=environment(tmp_path))  # 40 days: within 365d, beyond 30d
    assert kept.returncode == 0, kept.stderr
    assert "purged 0 application row(s), 1 conversation event(s)" in kept.stdout
    assert counts(tmp_path) == (1, 0)
    gone = bot("purge", env=environment(tmp_path, EIG_RETENTION_APPLICATIONS="30d"))
    assert "purged 1 application row(s)" in gone.stdout
    assert counts(tmp_path) == (0, 0)
    assert EMAIL not in kept.stdout + kept.stderr + gone.stdout + gone.stderr


def test_the_purge_records_its_runs_and_status_prints_the_last_and_the_next(tmp_path, monkeypatch):
    monkeypatch.setenv("EIG_PURGE_EVERY", "2h")  # for the schedule read here
    env = environment(tmp_path, EIG_PURGE_EVERY="2h")
    assert "no purge run recorded yet" in bot("purge", "--status", env=env).stdout
    seed(tmp_path, dt.timedelta(days=40))
    assert bot("purge", env=env).returncode == 0
    status = bot("purge", "--status", env=env)
    assert status.returncode == 0, status.stderr
    applications = storage.Storage(f"sqlite:///{tmp_path / 'applications.db'}")
    try:
        schedule = lifecycle.schedule(applications)
        with applications.engine.connect() as connection:
            runs = connection.execute(sa.select(storage.purge_runs)).mappings().all()
    finally:
        applications.close()
    # The same text as the back office's schedule, from the same recorded run.
    assert status.stdout == f"{schedule}\n"
    assert (
        schedule.last is not None
        and schedule.next_at == schedule.last.started_at + dt.timedelta(hours=2)
    )
    assert "(command): purged 0 application row(s), 1 conversation event(s)" in status.stdout
    [run] = runs
    assert (run["source"], run["error"], run["applications"], run["conversation_events"]) == (
        "command", None, 0, 1
    )  # fmt: skip
    assert EMAIL not in status.stdout + status.stderr


def test_a_wrong_retention_stops_the_purge_with_its_name(tmp_path):
    result = bot("purge", env=environment(tmp_path, EIG_RETENTION_CONVERSATIONS="forever"))
    assert result.returncode != 0
    assert "EIG_RETENTION_CONVERSATIONS" in result.stderr and "Traceback" not in result.stderr


def test_the_purge_service_purges_on_its_schedule_and_stops_cleanly(tmp_path):
    env = environment(tmp_path, EIG_PURGE_EVERY="1s", EIG_RETENTION_APPLICATIONS="1d",
                      EIG_RETENTION_CONVERSATIONS="1d")  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "purge", "--every"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "applications.db").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        seed(tmp_path, dt.timedelta(days=2))  # after its first run: a later one must find it
        while counts(tmp_path) != (0, 0):
            assert time.monotonic() < deadline, "not purged on schedule"
            assert process.poll() is None
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "purged 1 application row(s)" in output and EMAIL not in output


def test_make_run_and_make_run_cluster_start_the_purge_service():
    three = services.services(services.Ports())
    started = services.scheduled(three)
    assert started[:3] == three
    assert started[3].name == services.PURGE_SERVICE
    assert started[3].command[1:] == ["-m", "bot", "purge", "--every"]
    assert started[3].health_url == ""
    ports = cluster.ClusterPorts()
    names = [s.name for s in services.scheduled(cluster.cluster_services(ports, services.MODEL))]
    assert names[-1] == services.PURGE_SERVICE
    for purge in (True, False):
        made = cluster.Cluster(ports, Path("/nonexistent"), purge=purge)
        assert made.purge is purge
        made.postgres_dir.rmdir()


def test_a_service_without_a_port_is_up_while_its_process_runs(tmp_path):
    supervisor = services.Supervisor(services.Ports(), var_dir=tmp_path, service_list=[])
    service = services.Service("sleeper", [sys.executable, "-c", "import time; time.sleep(30)"], "")
    assert not supervisor.is_up(service)
    service.process = subprocess.Popen(service.command)
    try:
        assert supervisor.is_up(service)
    finally:
        service.process.kill()
        service.process.wait()
    assert not supervisor.is_up(service)


def test_the_purge_run_once_also_does_the_e_mail_work(tmp_path):
    """The CronJob runs `python -m bot purge` once: with e-mail configured, the e-mail work
    follows (here "the call is open" to a confirmed request, received by a real SMTP server)."""
    knowledge_dir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "data" / "knowledge", knowledge_dir)
    promotions = knowledge_dir / "promotions.yml"
    data = yaml.safe_load(promotions.read_text(encoding="utf-8"))
    current = next(p for p in data["promotions"] if p["number"] == data["current"])
    current["call"] = {"announced": True, "opens": "2027-01-10", "closes": "2027-03-01"}
    promotions.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    applications = storage.Storage(f"sqlite:///{tmp_path / 'applications.db'}")
    assert applications.request_notification(EMAIL, language="fr", consent=True)
    with applications.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE notification_requests SET confirmed_at = :t"),
            {"t": dt.datetime.now(dt.timezone.utc)},
        )
    applications.close()
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        mail = {
            "EIG_SMTP_HOST": "127.0.0.1", "EIG_SMTP_PORT": str(controller.port),
            "EIG_SMTP_SECURITY": "none", "EIG_MAIL_FROM": "eig@example.gouv.fr",
            "EIG_LINK_SECRET": "s" * 40, "EIG_KNOWLEDGE_DIR": str(knowledge_dir),
            "EIG_TODAY": "2027-02-01",
        }  # fmt: skip
        first = bot("purge", env=environment(tmp_path, **mail))
        again = bot("purge", env=environment(tmp_path, **mail))
    finally:
        controller.stop()
    assert first.returncode == 0, first.stderr
    assert "notify: purged 0 unconfirmed notification request(s)" in first.stdout
    assert "sent 1 e-mail(s)" in first.stdout
    assert "sent 0 e-mail(s)" in again.stdout  # each address once
    assert [m["To"] for m in collector.messages] == [EMAIL]
    assert EMAIL not in first.stdout + first.stderr + again.stdout + again.stderr
    off = bot("purge", env=environment(tmp_path, EIG_TODAY="2027-02-01"))  # no SMTP settings
    assert off.returncode == 0 and "notify" not in off.stdout
