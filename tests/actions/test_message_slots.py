"""``action_read_message``: the language and structure slots read from every message."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.message_slots import ActionReadMessage, language_events, structure_events
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


@pytest.mark.parametrize(
    ("fixture", "expected_events"),
    [
        # A confident English sentence in a French conversation switches it.
        (
            "french_conversation_english_sentence",
            [{"event": "slot", "name": "language", "value": "en"}],
        ),
        # "ok" never switches.
        ("french_conversation_short_english_word", []),
        # An explicit request always does.
        (
            "english_conversation_asks_french",
            [{"event": "slot", "name": "language", "value": "fr"}],
        ),
        # At session start the page's language wins over a French greeting.
        ("new_session_english_page", [{"event": "slot", "name": "language", "value": "en"}]),
        # Same language: nothing to set.
        ("english_conversation", []),
    ],
)
def test_language_slot_events(fixture, expected_events):
    events = language_events(Tracker.from_dict(load_tracker(fixture)))
    simplified = [{k: e[k] for k in ("event", "name", "value")} for e in events]
    assert simplified == expected_events


def test_structure_is_guessed_from_an_introduction():
    events = structure_events(Tracker.from_dict(load_tracker("town_hall_introduction")))
    assert [(e["name"], e["value"]) for e in events] == [("structure_type", "local_authority")]


def test_structure_is_not_guessed_inside_the_form():
    events = structure_events(Tracker.from_dict(load_tracker("host_check_in_progress")))
    assert events == []
