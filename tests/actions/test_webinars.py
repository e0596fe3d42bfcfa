from __future__ import annotations

from actions.webinars import ActionSessionStart, ActionWebinarFollowup
from tests.actions.conftest import run_action


def test_session_start_with_webinar_metadata_follows_up_and_carries_slots(monkeypatch):
    monkeypatch.setenv("EIG_TODAY", "2026-11-23")
    events, messages = run_action(ActionSessionStart(), "session_start_webinar")
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"audience": "candidate"}
    assert [(m["response"], m["webinar"]) for m in messages] == [
        ("utter_webinar_followup", "eig6-code-data")
    ]


def test_a_webinar_still_ahead_gets_the_registration_answer(monkeypatch):
    monkeypatch.setenv("EIG_TODAY", "2022-03-01")
    _, messages = run_action(ActionSessionStart(), "session_start_webinar")
    assert [m["response"] for m in messages] == ["utter_webinar_not_yet"]


def test_unknown_webinar_link():
    _, messages = run_action(ActionWebinarFollowup(), "webinar_link_unknown")
    assert [m["response"] for m in messages] == ["utter_webinar_unknown"]
