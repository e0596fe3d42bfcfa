"""Corrections in the pre-application where mutation testing found them untested: which
answer to change, typed after "which one?", and a correction said in one message, with or
without the new value, or with a button (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.actions.test_preapplication import run_form, state

WHICH_ONE = {
    "requested_slot": "correction_field",
    "correction_pending": True,
    "summary_confirmed": None,  # the summary was answered "no"
}
AT_SUMMARY = {"requested_slot": "summary_confirmed", "summary_confirmed": None}
FORGOTTEN = {"correction_field": None, "invalid_answers": None, "correction_pending": None}


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        (
            "mon e-mail",
            {**FORGOTTEN, "email": None, "summary_confirmed": None, "requested_slot": "email"},
        ),
        (
            "la description",
            {
                **FORGOTTEN,
                "entrepreneurial_description": None,
                "summary_confirmed": None,
                "requested_slot": "entrepreneurial_description",
            },
        ),
        ("c'est bon", {**FORGOTTEN, "requested_slot": "summary_confirmed"}),  # nothing to change
    ],
)
def test_the_answer_to_change_is_forgotten_and_asked_again(
    text: str, slots: dict[str, Any]
) -> None:
    assert run_form(state("pre_application_ready", text=text, **WHICH_ONE))[:2] == (slots, [])


@pytest.mark.parametrize(
    ("fixture", "text"),
    [
        ("pre_application_ready", "bananas"),
        ("pre_application_in_progress", "mon e-mail"),  # not given yet: nothing to change
    ],
)
def test_an_answer_that_names_no_given_answer_is_explained(fixture: str, text: str) -> None:
    slots, responses, _ = run_form(state(fixture, text=text, **WHICH_ONE))
    assert slots == {
        "correction_field": None,
        "invalid_answers": 1.0,
        "requested_slot": "correction_field",
    }
    assert responses == ["utter_invalid_correction_field"]


def correct(
    text: str, entities: list[dict[str, Any]] | None = None, fixture: str = "pre_application_ready"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    tracker = state(fixture, text=text, intent="correct", confidence=0.95, entities=entities)
    tracker["slots"].update(AT_SUMMARY)
    slots, _, messages = run_form(tracker)
    return slots, [{k: m[k] for k in ("response", "field")} for m in messages]


def test_a_correction_with_its_new_value_is_made_at_once() -> None:
    slots, messages = correct("en fait 8 ans d experience")
    assert slots == {
        "years_experience": 8,
        "summary_confirmed": None,
        "correction_pending": None,
        "invalid_answers": None,
        "requested_slot": "summary_confirmed",
    }
    assert messages == [{"response": "utter_answer_corrected", "field": "years_experience"}]

    slots, messages = correct("en fait je suis CPO, mon profil")
    assert (slots["target_profile"], slots["led_teams"]) == ("product_director", None)
    assert slots["requested_slot"] == "summary_confirmed"
    assert messages == [{"response": "utter_answer_corrected", "field": "target_profile"}]


@pytest.mark.parametrize(
    ("text", "entities", "field"),
    [
        ("mon profil: developpeur", [], "target_profile"),  # not a profile of this call
        ("change my first name to Max", [], "first_name"),  # names are asked again
        ("change my email", [], "email"),
        (
            '/correct{"form_field":"years_experience"}',
            [{"entity": "form_field", "value": "years_experience"}],
            "years_experience",
        ),
        ("change my email", [{"entity": "form_field", "value": "bogus"}], "email"),
    ],
)
def test_a_correction_without_a_usable_value_asks_the_question_again(
    text: str, entities: list[dict[str, Any]], field: str
) -> None:
    slots, messages = correct(text, entities)
    assert slots[field] is None
    assert slots["requested_slot"] == field
    assert slots["correction_pending"] is None
    assert messages == []


def test_a_correction_of_an_answer_not_given_asks_which_one() -> None:
    slots, messages = correct("change my email", fixture="pre_application_in_progress")
    assert slots == {
        "correction_pending": True,
        "summary_confirmed": None,
        "invalid_answers": None,
        "requested_slot": "correction_field",
    }
    assert messages == []
