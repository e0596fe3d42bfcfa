"""Every form validator in actions/ (found, not listed) takes any value without raising
and answers with a dict of slots: random Unicode, numbers, lists, nested junk."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

import actions


def concrete_validators() -> list[type[FormValidationAction]]:
    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")
    found, pending = [], list(FormValidationAction.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if not inspect.isabstract(cls) and cls.__module__.startswith("actions."):
            found.append(cls)
    return sorted(found, key=lambda c: c.__name__)


VALIDATE_METHODS = [
    (cls, name)
    for cls in concrete_validators()
    for name, _ in inspect.getmembers(cls, inspect.isfunction)
    if name.startswith("validate_") and name != "validate"
]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)


def minimal_tracker(slot: str, value: Any) -> Tracker:
    return Tracker(
        sender_id="property-test",
        slots={slot: value, "language": "fr", "requested_slot": slot},
        latest_message={"text": value if isinstance(value, str) else "", "intent": {}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "a_form"},
        latest_action_name="action_listen",
    )


def test_validators_are_found():
    assert ("ValidateHostCheckForm", "validate_structure_type") in {
        (cls.__name__, name) for cls, name in VALIDATE_METHODS
    }


@pytest.mark.parametrize(
    ("cls", "method"), VALIDATE_METHODS, ids=[f"{c.__name__}.{m}" for c, m in VALIDATE_METHODS]
)
@settings(max_examples=60, deadline=1000)
@given(value=VALUES)
@example(value=float("nan"))
@example(value=float("inf"))
@example(value="9" * 400 + " ans")
@example(value="\x00" * 50)
async def test_validators_answer_a_dict_whatever_the_value(cls, method, value):
    slot = method[len("validate_") :]
    dispatcher = CollectingDispatcher()
    result = getattr(cls(), method)(value, dispatcher, minimal_tracker(slot, value), {})
    if inspect.isawaitable(result):
        result = await result
    assert isinstance(result, dict)
    assert all(isinstance(key, str) for key in result)
    for message in dispatcher.messages:  # a rejection explains itself with a response name
        assert message.get("response", "").startswith("utter_")
