"""How the three services are started: Rasa's CORS origins follow the web port, exactly."""

from __future__ import annotations

import pytest

from bot import services


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
