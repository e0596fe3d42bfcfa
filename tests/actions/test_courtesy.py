from __future__ import annotations

import datetime as dt

import pytest

from actions.courtesy import ActionGoodbye
from bot.wording import nlg
from tests.actions.conftest import run_on_state
from tests.conftest import load_tracker

TODAY = dt.date(2026, 11, 23)


def goodbye_to(text: str) -> list[dict]:
    state = load_tracker("english_conversation")
    state["latest_message"] = {**state["latest_message"], "text": text}
    events, messages = run_on_state(ActionGoodbye(), state)
    assert events == []
    return messages


@pytest.mark.parametrize(
    "text", ["thanks, that's all", "merci c'est tout, bonne journée", "thx bye"]
)
def test_a_goodbye_that_thanks_gets_you_are_welcome_then_the_goodbye(text):
    messages = goodbye_to(text)
    assert [(m["response"], m.get("closing")) for m in messages] == [
        ("utter_thank", True),
        ("utter_goodbye", None),
    ]


@pytest.mark.parametrize("text", ["bye", "au revoir", "that's all", ""])
def test_a_plain_goodbye_is_only_the_goodbye(text):
    assert [m["response"] for m in goodbye_to(text)] == ["utter_goodbye"]


@pytest.mark.parametrize("language, welcome", [("fr", "Avec plaisir !"), ("en", "You're welcome!")])
def test_the_closing_thank_you_offers_no_other_question(known, language, welcome):
    closing = nlg.render("utter_thank", {"closing": True}, language, known, TODAY)
    plain = nlg.render("utter_thank", {}, language, known, TODAY)
    assert closing["text"] == welcome
    assert plain["text"].startswith(welcome) and plain["text"] != welcome
    assert "?" not in closing["text"]
