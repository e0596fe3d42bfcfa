from __future__ import annotations

from actions.topics import ActionAnswerTopic
from tests.actions.conftest import run_action, run_on_state
from tests.conftest import load_tracker


def test_button_topic_is_answered_with_its_faq_response():
    events, messages = run_action(ActionAnswerTopic(), "topic_button")
    assert events == []
    assert [m["response"] for m in messages] == ["utter_faq/deadline"]


def test_unknown_topic_gets_the_default_answer():
    state = load_tracker("topic_button")
    state["latest_message"]["entities"][0]["value"] = "<script>alert(1)</script>"
    _, messages = run_on_state(ActionAnswerTopic(), state)
    assert [m["response"] for m in messages] == ["utter_default"]
