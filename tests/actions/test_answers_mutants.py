"""Each question of the pre-application answered, usably or not, through the form's
validation action: the value kept and the next question, or the explanation and the count
(docs/testing.md, "Mutation testing")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.actions.test_preapplication import run_form, state

NEXT = {"invalid_answers": None, "requested_slot": "summary_confirmed"}


def answer(slot: str, text: str, **slots: Any) -> tuple[dict[str, Any], list[str]]:
    """``text`` typed while ``slot`` is asked, every other answer already given."""
    tracker = state("pre_application_ready", text=text, requested_slot=slot)
    tracker["slots"].update({slot: None, "summary_confirmed": None, **slots})
    found, responses, _ = run_form(tracker)
    return found, responses


@pytest.mark.parametrize(
    ("slot", "text", "value", "forgets"),
    [
        ("led_teams", "oui, une équipe de 12", True, {}),
        ("led_teams", "non", False, {}),
        ("first_name", "Je m'appelle Camille", "Camille", {}),
        ("consent", "oui", True, {}),
        ("consent", "non", False, {"first_name": None, "email": None}),  # nothing to keep
        (
            "project_interest",
            "La santé publique et les données",
            "La santé publique et les données",
            {},
        ),
        (
            "entrepreneurial_description",
            "J'ai cofondé une startup",
            "J'ai cofondé une startup",
            {},
        ),
        ("email", "Sam@Example.org", "sam@example.org", {}),
    ],
)
def test_a_usable_answer_is_kept_and_the_form_moves_on(
    slot: str, text: str, value: Any, forgets: dict[str, Any]
) -> None:
    assert answer(slot, text) == ({slot: value, **forgets, **NEXT}, [])


@pytest.mark.parametrize(
    ("slot", "text"),
    [
        ("first_name", "12345"),
        ("consent", "peut-être"),
        ("project_interest", "x"),
        ("entrepreneurial_description", "?!"),
        ("email", "pas de mail"),
        ("summary_confirmed", "banane"),
    ],
)
def test_an_unusable_answer_is_explained_and_counted(slot: str, text: str) -> None:
    assert answer(slot, text) == (
        {slot: None, "invalid_answers": 1.0, "requested_slot": slot},
        [f"utter_invalid_{slot}"],
    )


def test_i_dont_know_is_helped_and_counted_where_any_answer_would_do() -> None:
    assert answer("led_teams", "bof") == (
        {"led_teams": None, "invalid_answers": 1.0, "requested_slot": "led_teams"},
        ["utter_form_dont_know"],
    )


def test_the_summary_confirmed_ends_the_form_and_a_no_asks_what_to_correct() -> None:
    assert answer("summary_confirmed", "oui") == (
        {"summary_confirmed": True, "invalid_answers": None, "requested_slot": None},
        [],
    )
    assert answer("summary_confirmed", "non") == (
        {
            "summary_confirmed": None,
            "invalid_answers": None,
            "correction_pending": True,
            "requested_slot": "correction_field",
        },
        [],
    )


@pytest.mark.parametrize(
    ("text", "slots", "responses"),
    [
        (
            "oui",
            {
                "cancel_confirmed": None,
                "invalid_answers": None,
                "cancel_pending": None,
                "pre_application_paused": "cancelled",
                "requested_slot": None,
            },
            ["utter_pre_application_cancelled"],
        ),
        (
            "non",
            {
                "cancel_confirmed": None,
                "invalid_answers": None,
                "cancel_pending": None,
                "requested_slot": "summary_confirmed",
            },
            ["utter_pre_application_resumed"],
        ),
        (
            "banane",
            {
                "cancel_confirmed": None,
                "invalid_answers": 1.0,
                "requested_slot": "cancel_confirmed",
            },
            ["utter_invalid_cancel_confirmed"],
        ),
    ],
)
def test_the_cancellation_question(text: str, slots: dict[str, Any], responses: list[str]) -> None:
    assert answer("cancel_confirmed", text, cancel_pending=True) == (slots, responses)
