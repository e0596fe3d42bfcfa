from __future__ import annotations

from actions.message_slots import ActionReadMessage
from tests.actions.conftest import run_action, run_on_state
from tests.conftest import load_tracker


def simplified(events):
    return [(e["event"], e["name"], e["value"]) for e in events]


def test_the_structure_named_in_a_french_conversation():
    events, messages = run_action(ActionReadMessage(), "town_hall_introduction")
    assert simplified(events) == [("slot", "structure_type", "local_authority")]
    assert messages == []


def test_language_alone_when_no_structure_is_named():
    events, messages = run_action(ActionReadMessage(), "french_conversation_english_sentence")
    assert simplified(events) == [("slot", "language", "en")]
    assert messages == []


def test_nothing_to_set():
    events, messages = run_action(ActionReadMessage(), "english_conversation")
    assert events == []
    assert messages == []


def test_both_slots_in_one_call():
    state = load_tracker("town_hall_introduction")
    state["latest_message"]["language_detection"] = {"language": "en", "confident": True}
    events, _ = run_on_state(ActionReadMessage(), state)
    assert simplified(events) == [
        ("slot", "language", "en"),
        ("slot", "structure_type", "local_authority"),
    ]
