"""The cheaper replays give Rasa's own trackers, applied events and past states."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server import patches, replay
from tests.conftest import load_tracker

DOMAIN = Domain.load(str(Path(__file__).parents[3] / "domain.yml"))
APPLIED_EVENTS = "rasa.shared.core.trackers.DialogueStateTracker.applied_events"


def stored_tracker(until: int | None = None) -> DialogueStateTracker:
    """A whole French pre-application as the tracker store returned it (106 events)."""
    state = load_tracker("pre_application_recorded")
    events = state["events"][:until]
    return DialogueStateTracker.from_dict(state["sender_id"], events, DOMAIN.slots)


def test_slot_copy_is_copy_copy_for_every_slot_of_the_domain() -> None:
    assert len(DOMAIN.slots) > 20
    for slot in DOMAIN.slots:
        copied, expected = replay.slot_copy(slot), copy.copy(slot)
        assert type(copied) is type(expected)
        assert copied.__dict__ == expected.__dict__
        assert copied is not slot
        copied.value = "changed"
        assert slot.value != "changed"
        assert replay._plain_copy_types[type(slot)], "copied directly, not by copy.copy"


def test_slot_copy_keeps_a_class_own_copy() -> None:
    class Custom:
        def __init__(self) -> None:
            self.copied = False

        def __copy__(self) -> Custom:
            new = Custom()
            new.copied = True
            return new

    assert replay.slot_copy(Custom()).copied


@pytest.mark.parametrize("until", [None, 60, 20])
def test_applied_events_and_past_states_unchanged(
    until: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    patches.install()
    original = patches.original(APPLIED_EVENTS)
    tracker = stored_tracker(until)
    loops = [e for e in tracker.events if isinstance(e, ActiveLoop) and e.name]
    assert loops, "the fixture runs a form: the costly path is exercised"
    expected = original(tracker)
    assert tracker.applied_events() == expected
    assert tracker.applied_events() == expected  # from the memo
    assert tracker.applied_events() is not tracker.applied_events()  # a new list each time
    states = tracker.past_states(DOMAIN)
    tracker.__dict__.pop("_eig_applied")
    monkeypatch.setattr(DialogueStateTracker, "applied_events", original)
    assert tracker.past_states(DOMAIN) == states


def test_applied_events_follow_new_and_reverted_events() -> None:
    patches.install()
    original = patches.original(APPLIED_EVENTS)
    tracker = stored_tracker(60)
    tracker.applied_events()
    for event in (
        UserUttered("CTO", {"name": "inform", "confidence": 0.9}),
        ActionExecuted("pre_application_form"),
        SlotSet("target_profile", "CTO"),
        UserUtteranceReverted(),
    ):
        tracker.update(event)
        assert tracker.applied_events() == original(tracker)
    same_length = list(tracker.events)
    same_length[-1] = ActionExecuted("action_listen")  # same count, another event
    tracker.events.clear()
    tracker.events.extend(same_length)
    assert tracker.applied_events() == original(tracker)
