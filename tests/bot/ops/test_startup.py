"""Start-up trusts nothing that already answers on its ports.

`make run-cluster` beside a running `make run` once reported every service healthy: its
health checks had reached the other stack's processes while its own had died on ports in
use. Now a taken port stops start-up before anything starts, naming it, and every health
check must answer the random id given to the process just started.
"""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sanic import Sanic

from bot.infra import settings
from bot.ops import cluster, services
from bot.ops.action_server import create_app as create_action_server
from bot.rasa_server.channels import RestInput
from bot.web.app import create_app as create_web_app

Sanic.test_mode = True
HEADER = settings.START_ID_HEADER


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def listening() -> Iterator[int]:
    """A port something else listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield int(sock.getsockname()[1])


@pytest.fixture
def impostor() -> Iterator[int]:
    """Another process's health check: 200 on any path, without our start id."""

    class Healthy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header(HEADER, "someone-else")
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Healthy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.tar.gz"
    path.write_bytes(b"")
    return path


def test_a_taken_port_stops_start_up_naming_it_before_anything_starts(tmp_path, listening):
    ports = services.Ports(rasa=free_port(), actions=listening, web=free_port())
    supervisor = services.Supervisor(ports, var_dir=tmp_path, model=model(tmp_path))
    with pytest.raises(SystemExit, match=rf"already in use: port {listening} \(action server\)"):
        supervisor.start(timeout=5)
    assert all(service.process is None for service in supervisor.services)


def test_the_cluster_checks_its_servers_ports_too(tmp_path, listening):
    ports = cluster.ClusterPorts(
        nginx=free_port(), rasa=(free_port(),), actions=free_port(), web=free_port(),
        postgres=free_port(), redis=listening,
    )  # fmt: skip
    stack = cluster.Cluster(ports, tmp_path / "cluster", model=model(tmp_path))
    with pytest.raises(SystemExit, match=rf"port {listening} \(Redis\)"):
        stack.start(timeout=5)
    assert stack._started == []  # PostgreSQL was never started


def test_a_free_port_left_in_time_wait_is_not_taken():
    """A service stopped a moment ago (a restart): its connections wait in TIME_WAIT."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as our servers do
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server side closes first: its address waits in TIME_WAIT
        client.close()
    assert not services.port_taken(port)


def test_a_health_check_answered_by_another_process_does_not_count(tmp_path, impostor):
    url = f"http://127.0.0.1:{impostor}/healthz"
    assert services.healthy(url)  # something answers...
    assert not services.healthy(url, "ours")  # ...but not the process we started
    service = services.Service(
        "web service", [sys.executable, "-c", "import time; time.sleep(60)"], url
    )
    supervisor = services.Supervisor(
        services.Ports(), var_dir=tmp_path, model=model(tmp_path), service_list=[service]
    )
    supervisor.launch(service)
    assert len(service.start_id) == 32
    started = time.monotonic()
    with pytest.raises(SystemExit, match=f"another process answers on port {impostor}"):
        supervisor.wait_healthy(service, time.monotonic() + 2)
    assert time.monotonic() - started < 10
    assert service.process is not None and service.process.poll() is not None  # stopped


async def test_the_web_service_answers_its_start_id(monkeypatch, known):
    monkeypatch.setenv("EIG_START_ID", "web-1234")
    app = create_web_app(known, today=lambda: dt.date(2026, 11, 23))
    async with TestClient(TestServer(app)) as client:
        reply = await client.get("/healthz")
        assert reply.status == 200 and reply.headers[HEADER] == "web-1234"


async def serve(app: Sanic) -> tuple[object, int]:
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()  # type: ignore[union-attr]
    return server, port


@pytest.mark.parametrize("which", ["action server", "Rasa"])
async def test_the_action_server_and_rasa_answer_their_start_id(monkeypatch, which):
    monkeypatch.setenv("EIG_START_ID", "id-5678")
    if which == "action server":
        app, path = create_action_server(token="t"), "/health"
    else:
        app = Sanic(f"test_{uuid.uuid4().hex}", configure_logging=False)
        app.blueprint(RestInput().blueprint(None), url_prefix="/webhooks/rest")  # type: ignore[arg-type]
        path = "/webhooks/rest/"
    server, port = await serve(app)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}{path}") as reply:
                assert reply.status == 200 and reply.headers[HEADER] == "id-5678"
            monkeypatch.delenv("EIG_START_ID")
            async with session.get(f"http://127.0.0.1:{port}{path}") as reply:
                assert reply.status == 200 and HEADER not in reply.headers
    finally:
        server.close()  # type: ignore[attr-defined]
        await server.wait_closed()  # type: ignore[attr-defined]
