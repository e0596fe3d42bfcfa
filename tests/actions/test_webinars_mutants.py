"""Webinar follow-ups where mutation testing found them untested: the link's own action, the
webinar's own day, the "not yet" answer naming its webinar, and a session start that
carries no question and follows up nothing (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.webinars import ActionSessionStart, ActionWebinarFollowup
from bot.domain import knowledge
from bot.wording import nlg
from tests.conftest import load_tracker

WEBINAR = "eig6-code-data"  # 17 March 2022


def run(action: Any, state: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, Tracker.from_dict(state), {}))
    return events, dispatcher.messages


def webinar_link(webinar_id: str) -> dict[str, Any]:
    state = copy.deepcopy(load_tracker("webinar_link_unknown"))
    state["latest_message"]["text"] = f'/webinar_followup{{"webinar_id":"{webinar_id}"}}'
    state["latest_message"]["entities"] = [{"entity": "webinar_id", "value": webinar_id}]
    return state


@pytest.mark.parametrize(
    ("today", "response"),
    [
        ("2022-03-16", "utter_webinar_not_yet"),
        ("2022-03-17", "utter_webinar_not_yet"),  # its own day: not over yet
        ("2022-03-18", "utter_webinar_followup"),
    ],
)
def test_a_webinar_link_follows_up_that_webinar(
    monkeypatch: pytest.MonkeyPatch, today: str, response: str
) -> None:
    monkeypatch.setenv("EIG_TODAY", today)
    events, messages = run(ActionWebinarFollowup(), webinar_link(WEBINAR))
    assert events == []
    assert [(m["response"], m["webinar"]) for m in messages] == [(response, WEBINAR)]
    text = nlg.render(response, messages[0], "en", knowledge.get(), dt.date.fromisoformat(today))[
        "text"
    ]
    assert "17 March 2022 on code and data careers" in text


def test_a_session_start_without_a_webinar_says_nothing_and_drops_the_open_question() -> None:
    state = copy.deepcopy(load_tracker("session_start_webinar"))
    state["slots"].update(
        session_started_metadata={"language": "en"},
        requested_slot="email",
        language="en",
    )
    events, messages = run(ActionSessionStart(), state)
    assert messages == []
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"audience": "candidate", "language": "en"}
