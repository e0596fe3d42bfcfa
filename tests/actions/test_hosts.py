from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.hosts import ActionHostCheckResult, ValidateHostCheckForm, read_structure
from tests.actions.conftest import run_action
from tests.conftest import load_tracker


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("local_authority", "local_authority"),
        ("Collectivité territoriale", "local_authority"),
        ("Health establishment", "health_establishment"),
        ("Autre structure", "other"),
        ("Another kind of structure", "other"),
        ("bananas", None),
        (42, None),
        (None, None),
    ],
)
def test_read_structure(value, expected):
    assert read_structure(value) == expected


def validate(slot: str, value):
    form = ValidateHostCheckForm()
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(load_tracker("host_check_in_progress"))
    result = getattr(form, f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, [m["response"] for m in dispatcher.messages]


def test_an_unknown_structure_is_rejected_with_an_explanation():
    assert validate("structure_type", "bananas") == (
        {"structure_type": None},
        ["utter_invalid_structure_type"],
    )


def test_a_button_title_is_accepted():
    assert validate("structure_type", "Établissement de santé") == (
        {"structure_type": "health_establishment"},
        [],
    )


@pytest.mark.parametrize(
    ("value", "ok"), [(True, True), (False, True), ("yes", False), (None, False)]
)
def test_has_data_project_must_be_a_yes_or_no(value, ok):
    result, responses = validate("has_data_project", value)
    assert result == ({"has_data_project": value} if ok else {"has_data_project": None})
    assert responses == ([] if ok else ["utter_invalid_has_data_project"])


def test_result_passes_the_verdict_and_clears_the_answers():
    events, messages = run_action(ActionHostCheckResult(), "host_check_ready")
    assert messages[0]["response"] == "utter_host_check_result"
    assert (messages[0]["structure"], messages[0]["eligible"], messages[0]["cofinanced"]) == (
        "health_establishment",
        True,
        False,
    )
    assert messages[0]["has_project"] is False
    assert [(e["name"], e["value"]) for e in events] == [
        ("structure_type", None),
        ("has_data_project", None),
    ]


def test_the_form_validator_is_registered_but_not_its_abstract_base():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    names = set(executor.actions)
    assert "validate_host_check_form" in names
    assert "action_session_start" in names
    assert not any("GuidedFormValidation" in n for n in names)
    assert asyncio.iscoroutinefunction(ActionHostCheckResult().run)
