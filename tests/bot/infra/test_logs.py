"""JSON log lines with the request id; libraries held at INFO unless asked otherwise."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.infra import logs


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    levels = {name: logging.getLogger(name).level for name in logs.THIRD_PARTY}
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_lines_are_json_with_the_request_id(monkeypatch, restore_logging):
    monkeypatch.setenv("EIG_LOG_LEVEL", "DEBUG")
    out = io.StringIO()
    logs.configure(json_lines=True, stream=out)
    token = logs.request_id.set("req-1")
    logging.getLogger("bot.test").debug("web.request", extra={"route": "/nlg", "status": 200})
    logs.request_id.reset(token)
    logging.getLogger("bot.test").info("outside")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["message"] == "web.request" and first["request_id"] == "req-1"
    assert first["level"] == "DEBUG" and first["logger"] == "bot.test"
    assert first["route"] == "/nlg" and first["status"] == 200 and "time" in first
    assert second["request_id"] is None


def test_libraries_stay_at_info_even_when_we_debug(monkeypatch, restore_logging):
    monkeypatch.setenv("EIG_LOG_LEVEL", "DEBUG")
    monkeypatch.delenv("EIG_THIRD_PARTY_DEBUG", raising=False)
    logs.configure(stream=io.StringIO())
    assert logging.getLogger("bot").getEffectiveLevel() == logging.DEBUG
    for name in ("rasa", "rasa_sdk", "sanic", "socketio", "engineio"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.INFO
    assert logging.getLogger("rasa.core.processor").getEffectiveLevel() == logging.INFO
    monkeypatch.setenv("EIG_THIRD_PARTY_DEBUG", "1")
    logs.configure(stream=io.StringIO())
    assert logging.getLogger("rasa").getEffectiveLevel() == logging.DEBUG


def test_a_bad_level_stops_start_up(monkeypatch):
    monkeypatch.setenv("EIG_LOG_LEVEL", "CHATTY")
    with pytest.raises(SystemExit, match="not a log level"):
        logs.level()


@pytest.mark.parametrize(
    ("header", "kept"),
    [("abc-123", True), ("A.b_c:9", True), ("", False), (None, False), ("x" * 65, False),
     ("bad id", False), ("<script>", False), ("é", False)],
)  # fmt: skip
def test_request_ids_are_kept_only_when_plain(header, kept):
    rid = logs.accepted_request_id(header)
    assert (rid == header) is kept
    assert len(rid) <= 64
