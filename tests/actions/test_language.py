from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.language import language_events
from tests.conftest import load_tracker


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
