"""`make validate` accepts the warnings this design expects, by name, and no other."""

from __future__ import annotations

import pytest
import yaml

from bot import ROOT
from bot.ops import validation

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def unused_response(name: str) -> str:
    return f"The utterance '{name}' is not used in any story or rule."


def unknown_intent(name: str) -> str:
    return (
        f"The intent '{name}' is listed in the domain file, but is not found in the NLU "
        "training data."
    )


EXPECTED = [
    unused_response("utter_ask_deletion_email"),
    unused_response("utter_invalid_years_experience"),
    unused_response("utter_invalid_summary_confirmed"),
    unused_response("utter_bad_input_markup"),
    unused_response("utter_pre_application_summary"),
    unused_response("utter_notification_saved"),
    unused_response("utter_data_not_found"),
    unknown_intent("choose_topic"),
    "The intent 'inform' is not used in any story or rule.",
    "The following duplicated intents have been found across multiple domain files: faq",
]


def test_the_warnings_of_this_design_are_expected():
    assert validation.unexpected(EXPECTED) == []


@pytest.mark.parametrize(
    "message",
    [
        # New responses nothing uses, named like the expected ones.
        unused_response("utter_invalid_phone_number"),
        unused_response("utter_pre_application_reminder"),
        unused_response("utter_notification_sent"),
        unused_response("utter_bad_input_spam"),
        unused_response("utter_ask_phone_number"),
        unused_response("utter_data_deleted_twice"),
        unused_response("utter_greet"),
        unknown_intent("greet"),
        unknown_intent("inform_later"),
        "The intent 'choose_topic' is not used in any story or rule.",
        "The following duplicated intents have been found across multiple domain files: greet",
    ],
)
def test_any_other_warning_fails_validation(message):
    assert validation.unexpected([message]) == [message]


def test_every_name_listed_is_in_the_domain():
    """A response or intent removed from the domain leaves no excuse behind."""
    responses = set(DOMAIN["responses"])
    intents = {i if isinstance(i, str) else next(iter(i)) for i in DOMAIN["intents"]}
    assert {f"utter_ask_{slot}" for slot in validation.ASKED_BY_A_FORM} <= responses
    assert {f"utter_invalid_{slot}" for slot in validation.INVALID_ANSWERS} <= responses
    assert {f"utter_{name}" for name in validation.DISPATCHED_BY_ACTIONS} <= responses
    assert set(validation.BUTTON_ONLY_INTENTS) <= intents
