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
