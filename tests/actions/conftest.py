from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.conftest import load_tracker

Result = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def run_on_state(action: Action, state: dict[str, Any]) -> Result:
    """Runs an action on a tracker state; returns (events, dispatched messages)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, Tracker.from_dict(state), {}))
    return events, dispatcher.messages


def run_action(action: Action, fixture: str) -> Result:
    return run_on_state(action, load_tracker(fixture))
