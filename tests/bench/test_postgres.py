"""The bench's PostgreSQL profile: a real server, a database per side, the cluster's store."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa
import yaml

from bench import postgres as pg
from bot.ops import services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_endpoints_take_the_cluster_tracker_store_and_keep_the_rest(tmp_path):
    written = yaml.safe_load(pg.endpoints(tmp_path / "e.yml").read_text())
    ours = yaml.safe_load(pg.ENDPOINTS.read_text())
    cluster = yaml.safe_load(pg.CLUSTER_ENDPOINTS.read_text())
    assert written["tracker_store"] == cluster["tracker_store"]
    assert written["tracker_store"]["type"].endswith("PostgresTrackerStore")
    assert {k: v for k, v in written.items() if k != "tracker_store"} == {
        k: v for k, v in ours.items() if k != "tracker_store"
    }
    assert "lock_store" not in written  # one Rasa instance: Rasa's in-memory lock


def test_serve_points_rasa_and_the_action_server_at_the_database(tmp_path):
    supervisor = services.Supervisor(services.Ports(1, 2, 3), var_dir=tmp_path)
    endpoints = tmp_path / "e.yml"
    pg.serve(supervisor, "postgresql://eig@127.0.0.1:9/eig_ab_0", endpoints)
    rasa = next(s for s in supervisor.services if services.is_rasa(s))
    assert rasa.command[rasa.command.index("--endpoints") + 1] == str(endpoints)
    assert supervisor.extra_env["TRACKER_DATABASE_URL"].endswith("/eig_ab_0")
    assert supervisor.extra_env["DATABASE_URL"].endswith("/eig_ab_0")


def test_a_real_server_gives_each_side_its_own_database():
    server = pg.Server(free_port())
    try:
        server.start()
    except pg.Unavailable as error:
        pytest.skip(str(error))
    try:
        urls = [server.database(f"eig_ab_{side}") for side in "01"]
        for url in urls:
            engine = sa.create_engine(url)
            with engine.begin() as connection:
                connection.execute(sa.text("CREATE TABLE events (id serial primary key)"))
                connection.execute(sa.text("INSERT INTO events DEFAULT VALUES"))
            engine.dispose()
        assert [pg.tracker_rows(url) for url in urls] == [1, 1]
        with pytest.raises(sa.exc.ProgrammingError):  # already there
            server.database("eig_ab_0")
    finally:
        server.stop()
    assert not server.folder.exists()
