"""The cluster profile's settings and processes (the servers themselves: tests/cluster/)."""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from bot.ops import cluster, services


def test_ports_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("EIG_RASA_PORTS", "16005 16006 16007")
    monkeypatch.setenv("EIG_NGINX_PORT", "16080")
    ports = cluster.ClusterPorts.from_env()
    assert ports.rasa == (16005, 16006, 16007)
    assert ports.public_url == "http://localhost:16080"


def test_every_setting_of_the_endpoints_file_is_provided():
    wanted = set(re.findall(r"\$\{(\w+)\}", cluster.ENDPOINTS.read_text()))
    ports = cluster.ClusterPorts()
    provided = {
        **services.environment(services.Ports(), cluster.ROOT / "var"),
        **cluster.settings(ports, "postgresql://eig@127.0.0.1:5433/eig"),
    }
    assert wanted <= set(provided), wanted - set(provided)


def test_processes_listen_on_loopback_and_the_api_stays_off():
    ports = cluster.ClusterPorts(rasa=(16005, 16006))
    processes = cluster.cluster_services(ports, services.MODEL)
    assert [s.name for s in processes][-2:] == ["Rasa server 1", "Rasa server 2"]
    for service in processes:
        assert "--enable-api" not in service.command
        host = service.command[
            service.command.index("--interface" if "rasa" in service.name.lower() else "--host") + 1
        ]
        assert host == "127.0.0.1"
    rasa = processes[-1].command
    assert rasa[rasa.index("--endpoints") + 1].endswith("endpoints.cluster.yml")
    assert "http://localhost:8080" in rasa  # the page served through nginx may call Rasa


def test_the_page_uses_nginx_origin_for_socketio():
    web = cluster.cluster_services(cluster.ClusterPorts(), services.MODEL)[0]
    assert "--socket-same-origin" in web.command
    assert cluster.settings(cluster.ClusterPorts(), "x")["EIG_SOCKET_SAME_ORIGIN"] == "1"


def test_a_server_that_cannot_be_installed_is_reported_as_unavailable(tmp_path, monkeypatch):
    (tmp_path / "fake.sh").write_text("echo 'no apt-get here' >&2; exit 3\n")
    monkeypatch.setattr(cluster, "SCRIPTS", tmp_path)
    monkeypatch.setitem(cluster.INSTALLED, "fake.sh", lambda: False)
    with pytest.raises(cluster.ClusterUnavailable, match="no apt-get here"):
        cluster.script("fake.sh", "start")
    (tmp_path / "fake.sh").write_text("exit 1\n")
    with pytest.raises(RuntimeError):
        cluster.script("fake.sh", "start")


def test_an_installed_server_that_does_not_start_is_a_failure_not_a_skip(tmp_path, monkeypatch):
    (tmp_path / "fake.sh").write_text("echo 'initdb: permission denied' >&2; exit 3\n")
    monkeypatch.setattr(cluster, "SCRIPTS", tmp_path)
    monkeypatch.setitem(cluster.INSTALLED, "fake.sh", lambda: True)
    with pytest.raises(RuntimeError, match="permission denied"):
        cluster.script("fake.sh", "start")


def test_the_clusters_postgresql_wants_a_password_and_writes_durably(tmp_path):
    """scripts/postgres.sh as make run-cluster starts it (POSTGRES_PASSWORD): scram over
    loopback, no connection without the password, fsync and full page writes on."""
    import socket

    import sqlalchemy as sa

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    work = Path(tempfile.mkdtemp(prefix="eig-test-pg-"))  # the postgres user must reach it
    work.chmod(0o755)
    password = "p@ss word/" + uuid.uuid4().hex
    try:
        try:
            url = cluster.script("postgres.sh", "start", str(work / "pg"), port,
                                 env={"POSTGRES_PASSWORD": password})  # fmt: skip
        except cluster.ClusterUnavailable as unavailable:
            pytest.skip(str(unavailable))
        assert password not in url  # URL-encoded
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            settings = {
                name: connection.execute(sa.text(f"SHOW {name}")).scalar()
                for name in ("fsync", "full_page_writes", "password_encryption")
            }
        engine.dispose()
        assert settings == {"fsync": "on", "full_page_writes": "on",
                            "password_encryption": "scram-sha-256"}  # fmt: skip
        for without in (f"postgresql://eig@127.0.0.1:{port}/eig",
                        f"postgresql://eig:wrong@127.0.0.1:{port}/eig"):  # fmt: skip
            with pytest.raises(sa.exc.OperationalError):
                sa.create_engine(without).connect()
        hba = (work / "pg" / "data" / "pg_hba.conf").read_text()
        assert "trust" not in "\n".join(line for line in hba.splitlines() if "127.0.0.1" in line)
        assert not (work / "pg" / "pwfile").exists()
    finally:
        cluster.script("postgres.sh", "stop", str(work / "pg"))
        shutil.rmtree(work, ignore_errors=True)
