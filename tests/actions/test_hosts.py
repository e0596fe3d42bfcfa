from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.hosts import ActionHostCheckResult, ValidateHostCheckForm, read_structure
from tests.actions.conftest import run_action, run_on_state
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


def validate(slot: str, value, **slots):
    form = ValidateHostCheckForm()
    dispatcher = CollectingDispatcher()
    state = load_tracker("host_check_in_progress")
    state["slots"].update(slots)
    tracker = Tracker.from_dict(state)
    result = getattr(form, f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, [m["response"] for m in dispatcher.messages]


def test_an_unknown_structure_is_rejected_with_an_explanation_and_counted():
    assert validate("structure_type", "bananas") == (
        {"structure_type": None, "invalid_answers": 1.0},
        ["utter_invalid_structure_type"],
    )


def test_a_button_title_is_accepted():
    assert validate("structure_type", "Établissement de santé") == (
        {"structure_type": "health_establishment", "invalid_answers": None},
        [],
    )


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("yes, we want to use our complaint data", True),
        ("nous voulons exploiter nos données de réclamations", True),
        ("ben on a des tableurs Excel partout, on aimerait en tirer quelque chose", True),
        ("pas encore de projet", False),
        ("we don't have a project", False),
        ("no idea", None),
        ("bof", None),
        (None, None),
    ],
)
def test_has_data_project_reads_a_yes_a_no_or_a_project_told(value, answer):
    result, responses = validate("has_data_project", value)
    if answer is None:
        assert result == {"has_data_project": None, "invalid_answers": 1.0}
        assert responses == ["utter_invalid_has_data_project"]
    else:
        assert result == {"has_data_project": answer, "invalid_answers": None}
        assert responses == []


def test_the_third_unusable_answer_ends_the_check_with_a_way_out():
    result, responses = validate("has_data_project", "bof", invalid_answers=2.0)
    assert responses == ["utter_host_check_stuck"]
    assert result["requested_slot"] is None
    assert result["has_data_project"] is None and result["invalid_answers"] is None


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
        ("has_sponsor", None),
        ("fits_duration", None),
        ("data_access", None),
        ("invalid_answers", None),
    ]
    assert not {"has_sponsor", "fits_duration", "data_access"} & set(messages[0])  # no project


def test_result_passes_the_answers_on_the_project():
    state = load_tracker("host_check_ready")
    state["slots"].update(
        has_data_project=True, has_sponsor="yes", fits_duration="no", data_access="unsure"
    )
    _, messages = run_on_state(ActionHostCheckResult(), state)
    assert (messages[0]["has_sponsor"], messages[0]["fits_duration"]) == ("yes", "no")
    assert messages[0]["data_access"] == "unsure"


def test_a_check_that_ended_without_its_answers_gives_no_verdict():
    state = load_tracker("host_check_ready")
    state["slots"]["has_data_project"] = None
    events, messages = run_on_state(ActionHostCheckResult(), state)
    assert messages == []
    assert {e["name"] for e in events} == {
        "structure_type", "has_data_project", "has_sponsor", "fits_duration", "data_access",
        "invalid_answers",
    }  # fmt: skip


def test_the_form_validator_is_registered_but_not_its_abstract_base():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    names = set(executor.actions)
    assert "validate_host_check_form" in names
    assert "action_session_start" in names
    assert not any("GuidedFormValidation" in n for n in names)
    assert asyncio.iscoroutinefunction(ActionHostCheckResult().run)
