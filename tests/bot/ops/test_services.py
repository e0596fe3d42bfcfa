"""How the three services are started: Rasa's CORS origins follow the web port, exactly."""

from __future__ import annotations

import pytest

from bot.ops import services


def test_cors_origins_are_the_chat_page_exact_origins(monkeypatch):
    monkeypatch.delenv("EIG_CORS_ORIGINS", raising=False)
    ports = services.Ports(rasa=15105, actions=15155, web=18100)
    assert services.cors_origins(ports) == ["http://localhost:18100", "http://127.0.0.1:18100"]


def test_rasa_is_started_with_those_origins_and_the_web_service_knows_rasa_port(monkeypatch):
    monkeypatch.delenv("EIG_CORS_ORIGINS", raising=False)
    web, _, rasa = services.services(services.Ports())
    cors = rasa.command[rasa.command.index("--cors") + 1 :]
    assert cors == ["http://localhost:8000", "http://127.0.0.1:8000"]
    assert "*" not in rasa.command
    assert web.command[web.command.index("--rasa-port") + 1] == "5005"


def test_more_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("EIG_CORS_ORIGINS", "https://eig.example.gouv.fr/ http://localhost:8000")
    assert services.cors_origins(services.Ports()) == [
        "http://localhost:8000",
        "http://127.0.0.1:8000",
        "https://eig.example.gouv.fr",
    ]


@pytest.mark.parametrize("origin", ["*", "eig.gouv.fr", "null"])
def test_wildcards_and_bare_names_are_refused(monkeypatch, origin):
    monkeypatch.setenv("EIG_CORS_ORIGINS", origin)
    with pytest.raises(SystemExit, match="exact"):
        services.cors_origins(services.Ports())


def test_nlg_and_actions_get_random_shared_tokens(monkeypatch, tmp_path):
    for name in ("EIG_NLG_TOKEN", "EIG_ACTIONS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    first = services.environment(services.Ports(), tmp_path)
    second = services.environment(services.Ports(), tmp_path)
    assert len(first["EIG_NLG_TOKEN"]) >= 40 and len(first["EIG_ACTIONS_TOKEN"]) >= 40
    assert first["EIG_NLG_TOKEN"] != second["EIG_NLG_TOKEN"]
    monkeypatch.setenv("EIG_NLG_TOKEN", "from-the-deployment")
    assert (
        services.environment(services.Ports(), tmp_path)["EIG_NLG_TOKEN"] == "from-the-deployment"
    )


def test_endpoints_send_those_tokens():
    import yaml

    endpoints = yaml.safe_load((services.ROOT / "endpoints.yml").read_text())
    assert endpoints["nlg"]["token"] == "${EIG_NLG_TOKEN}"
    assert endpoints["action_endpoint"]["token"] == "${EIG_ACTIONS_TOKEN}"


def test_the_rasa_api_is_off_and_never_on_without_a_token(monkeypatch):
    monkeypatch.delenv("EIG_RASA_API_TOKEN", raising=False)
    rasa = services.services(services.Ports())[2]
    assert "--enable-api" not in rasa.command
    monkeypatch.setenv("EIG_RASA_API_TOKEN", "short")
    with pytest.raises(SystemExit, match="at least 32"):
        services.services(services.Ports())
    monkeypatch.setenv("EIG_RASA_API_TOKEN", "x" * 40)
    command = services.services(services.Ports())[2].command
    assert command[command.index("--enable-api") + 1 : command.index("--enable-api") + 3] == [
        "--auth-token",
        "x" * 40,
    ]


@pytest.mark.parametrize(
    ("ours", "third_party_debug", "rasa_level", "libraries"),
    [
        (None, None, "INFO", "ERROR"),
        ("DEBUG", None, "INFO", "ERROR"),  # our DEBUG never opens Rasa's
        ("WARNING", None, "WARNING", "ERROR"),
        ("DEBUG", "1", "DEBUG", "DEBUG"),  # python -m bot run --debug: local work only
    ],
)
def test_rasa_log_levels_keep_user_text_out(
    monkeypatch, ours, third_party_debug, rasa_level, libraries
):
    monkeypatch.delenv("EIG_LOG_LEVEL", raising=False)
    monkeypatch.delenv("EIG_THIRD_PARTY_DEBUG", raising=False)
    if ours:
        monkeypatch.setenv("EIG_LOG_LEVEL", ours)
    if third_party_debug:
        monkeypatch.setenv("EIG_THIRD_PARTY_DEBUG", third_party_debug)
    env = services.rasa_environment({"LOG_LEVEL": "DEBUG"})
    assert env["LOG_LEVEL"] == rasa_level
    assert env["LOG_LEVEL_LIBRARIES"] == libraries


CHATTY_SERVICE = r"""
import json, os, sys, time
print(json.dumps({"level": "INFO", "logger": "sanic.root", "message": "Goin' Fast"}))
print(json.dumps({"level": "WARNING", "logger": "bot.web", "message": "slow NLG"}))
print("2026-11-30 10:20:40 INFO     root  - Starting Rasa server")
print("Traceback (most recent call last):")
print('  File "x.py", line 1, in <module>')
print("ValueError: bad")
sys.stdout.flush()
from http.server import BaseHTTPRequestHandler, HTTPServer
class Ok(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)  # with the id of this start, as every service
        self.send_header("X-EIG-Start-Id", os.environ["EIG_START_ID"]); self.end_headers()
    def log_message(self, *args):
        pass
HTTPServer(("127.0.0.1", int(sys.argv[1])), Ok).serve_forever()
"""


def test_console_mode_keeps_every_line_in_the_log_and_shows_only_problems(tmp_path, capsys):
    """``make run``'s terminal: services up, warnings and errors; the rest in var/logs/."""
    import socket
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    service = services.Service(
        "demo service", [sys.executable, "-c", CHATTY_SERVICE, str(port)],
        f"http://127.0.0.1:{port}/",
    )  # fmt: skip
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    supervisor = services.Supervisor(
        services.Ports(), var_dir=tmp_path, model=model, service_list=[service], console=True
    )
    with supervisor:
        pass
    for relay in supervisor.relays:
        relay.join(timeout=10)
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "[demo service] WARNING bot.web: slow NLG",
        "[demo service] Traceback (most recent call last):",
        '[demo service]   File "x.py", line 1, in <module>',
        "[demo service] ValueError: bad",
    ]
    logged = (tmp_path / "logs" / "demo-service.log").read_text().splitlines()
    assert len(logged) == 6
    assert "Goin' Fast" in logged[0]
    assert logged[2].endswith("Starting Rasa server")
