"""The pre-application form's validation action and the submission, on tracker fixtures."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common, preapplication
from actions.preapplication import (
    ActionSubmitPreApplication,
    ValidatePreApplicationForm,
    required,
)
from bot import ROOT
from bot.applications import storage
from bot.domain import fields, knowledge
from bot.wording import nlg
from tests.conftest import load_tracker

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def state(
    fixture: str = "pre_application_in_progress",
    text: str | None = None,
    intent: str = "nlu_fallback",
    confidence: float = 1.0,
    entities: list[dict[str, Any]] | None = None,
    **slots: Any,
) -> dict[str, Any]:
    tracker = copy.deepcopy(load_tracker(fixture))
    tracker["slots"].update(slots)
    if text is not None:
        tracker["latest_message"] = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
            "metadata": {},
        }
        for event in tracker["events"]:
            if event["event"] == "user":
                event["text"] = text
    return tracker


def run_form(tracker_state: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[dict]]:
    """Runs the validation action: (slots it sets, responses it sends, messages)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidatePreApplicationForm().run(dispatcher, Tracker.from_dict(tracker_state), DOMAIN)
    )
    slots: dict[str, Any] = {}
    for event in events:
        assert event["event"] == "slot"
        slots[event["name"]] = event["value"]
    return slots, [m["response"] for m in dispatcher.messages], dispatcher.messages


# ---- which questions, in which order


def test_questions_follow_the_answers():
    assert required({}) == [
        "target_profile", "years_experience", "entrepreneurial_experience",
        "project_interest", "consent", "summary_confirmed",
    ]  # fmt: skip
    full = required(
        {"target_profile": "technical_director", "entrepreneurial_experience": True,
         "consent": True}
    )  # fmt: skip
    assert full == [
        "target_profile", "years_experience", "entrepreneurial_experience",
        "entrepreneurial_description", "led_teams", "project_interest", "consent",
        "first_name", "email", "summary_confirmed",
    ]  # fmt: skip
    assert required({"cancel_pending": True})[0] == "cancel_confirmed"


# ---- answers


@pytest.mark.parametrize(
    ("text", "years"),
    [("douze ans", 12.0), ("10", 10.0), ("11 years", 11.0), ("depuis 2015", 11.0)],
)
def test_years_are_read_and_the_next_question_is_asked(text, years):
    slots, responses, _ = run_form(state(text=text))
    assert slots["years_experience"] == years
    assert slots["requested_slot"] == "entrepreneurial_experience"
    assert responses == []


def test_an_unreadable_duration_is_rejected_with_an_explanation():
    slots, responses, _ = run_form(state(text="beaucoup"))
    assert slots["years_experience"] is None
    assert slots["invalid_answers"] == 1.0
    assert responses == ["utter_invalid_years_experience"]
    assert slots["requested_slot"] == "years_experience"


def test_the_third_invalid_answer_in_a_row_pauses_the_form_with_a_way_out():
    slots, responses, messages = run_form(state(text="beaucoup", invalid_answers=2.0))
    assert responses == ["utter_form_stuck"]
    assert messages[0]["field"] == "years_experience"
    assert slots["pre_application_paused"] == "stuck"
    assert slots["requested_slot"] is None  # the form ends; the answers stay


def test_a_valid_answer_resets_the_count():
    slots, _, _ = run_form(state(text="8", invalid_answers=2.0))
    assert slots["years_experience"] == 8.0
    assert slots["invalid_answers"] is None


def test_a_question_in_the_middle_is_not_taken_as_an_answer():
    slots, responses, _ = run_form(
        state(text="c'est quoi le vivier ?", intent="faq", confidence=0.93)
    )
    assert "years_experience" not in slots
    assert responses == []


def test_after_the_question_is_answered_the_form_does_not_read_it_again():
    tracker = state(text="c'est combien le salaire", intent="faq", confidence=0.97)
    tracker["events"][-1:-1] = [{"event": "action", "name": "utter_faq"}]
    slots, _, _ = run_form(tracker)
    assert "years_experience" not in slots
    assert slots["requested_slot"] == "years_experience"


@pytest.mark.parametrize(
    ("text", "profile"), [("CTO", "technical_director"), ("head of product", "product_director")]
)
def test_titles_map_to_the_current_profiles(text, profile):
    slots, responses, _ = run_form(
        state(text=text, intent="faq", confidence=0.9, requested_slot="target_profile",
              target_profile=None)
    )  # fmt: skip
    assert slots["target_profile"] == profile
    assert responses == []


def test_an_older_profile_gets_an_explanation_of_what_is_sought_now():
    slots, responses, messages = run_form(
        state(text="je suis dev", requested_slot="target_profile", target_profile=None)
    )
    assert slots["target_profile"] is None
    assert responses == ["utter_invalid_target_profile"]
    assert messages[0]["guess"] == "developer"


@pytest.mark.parametrize(
    ("text", "slot"),
    [("je sais pas trop", "target_profile"), ("I don't know", "target_profile"),
     ("aucune idée", "years_experience")],
)  # fmt: skip
def test_i_dont_know_gets_help_and_the_question_again_not_a_refusal(text, slot):
    slots, responses, _ = run_form(state(text=text, requested_slot=slot, **{slot: None}))
    assert slots[slot] is None
    assert responses == ["utter_form_dont_know"]
    assert slots["invalid_answers"] == 1.0  # still counted: "je sais pas" forever pauses


def test_a_button_answer_is_taken_from_its_entity():
    slots, _, _ = run_form(
        state(
            text='/inform{"target_profile":"product_director"}', intent="inform",
            entities=[{"entity": "target_profile", "value": "product_director"}],
            requested_slot="target_profile", target_profile=None,
        )
    )  # fmt: skip
    assert slots["target_profile"] == "product_director"
    assert slots["requested_slot"] == "years_experience"


def test_describing_a_founding_answers_yes_and_the_description_at_once():
    slots, _, _ = run_form(
        state(text="j'ai cofondé deux startups dans la santé",
              requested_slot="entrepreneurial_experience", years_experience=12.0)
    )  # fmt: skip
    assert slots["entrepreneurial_experience"] is True
    assert slots["entrepreneurial_description"].startswith("j'ai cofondé")
    assert slots["requested_slot"] == "led_teams"


def test_saying_no_to_consent_skips_the_name_and_the_email():
    slots, _, _ = run_form(
        state(
            text="non", intent="deny", requested_slot="consent", years_experience=3.0,
            entrepreneurial_experience=False, led_teams=True, project_interest="la santé",
        )
    )  # fmt: skip
    assert slots["consent"] is False
    assert slots["first_name"] is None and slots["email"] is None
    assert slots["requested_slot"] == "summary_confirmed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Anne.Martin@Exemple.fr", "anne.martin@exemple.fr"), ("anne@", None)],
)
def test_emails_are_validated_and_normalised(text, expected):
    slots, responses, _ = run_form(state(text=text, requested_slot="email", consent=True))
    assert slots["email"] == expected
    assert responses == ([] if expected else ["utter_invalid_email"])


# ---- cancel, correct


def test_stop_asks_for_confirmation_first():
    slots, responses, _ = run_form(state(text="laisse tomber", intent="stop", confidence=0.95))
    assert slots == {"cancel_pending": True, "requested_slot": "cancel_confirmed"}
    assert responses == []


def test_confirming_the_cancel_pauses_the_form_and_keeps_the_answers():
    slots, responses, _ = run_form(
        state(text="oui", intent="affirm", requested_slot="cancel_confirmed", cancel_pending=True)
    )
    assert responses == ["utter_pre_application_cancelled"]
    assert slots["pre_application_paused"] == "cancelled"
    assert slots["requested_slot"] is None
    assert "target_profile" not in slots  # kept for "reprendre"


def test_declining_the_cancel_goes_back_to_the_question():
    slots, responses, _ = run_form(
        state(text="non", intent="deny", requested_slot="cancel_confirmed", cancel_pending=True)
    )
    assert slots["cancel_pending"] is None
    assert slots["requested_slot"] == "years_experience"
    assert responses == ["utter_pre_application_resumed"]  # then the question again


def test_a_correction_with_its_value_changes_that_answer():
    slots, _, _ = run_form(
        state(
            text="en fait j'ai 8 ans d'expérience", intent="correct", confidence=0.9,
            requested_slot="summary_confirmed", years_experience=12.0,
            entrepreneurial_experience=False, led_teams=True, project_interest="x" * 10,
            consent=False,
        )
    )  # fmt: skip
    assert slots["years_experience"] == 8
    assert slots["summary_confirmed"] is None
    assert slots["requested_slot"] == "summary_confirmed"


def test_a_correction_button_clears_the_answer_so_it_is_asked_again():
    slots, _, _ = run_form(
        state(
            text='/correct{"form_field":"email"}', intent="correct",
            entities=[{"entity": "form_field", "value": "email"}],
            requested_slot="summary_confirmed", years_experience=12.0,
            entrepreneurial_experience=False, led_teams=True, project_interest="x" * 10,
            consent=True, first_name="Anne", email="anne@exemple.fr",
        )
    )  # fmt: skip
    assert slots["email"] is None
    assert slots["requested_slot"] == "email"


def test_a_correction_without_a_field_asks_which_one():
    slots, _, _ = run_form(state(text="je me suis trompé", intent="correct", confidence=0.9))
    assert slots["correction_pending"] is True
    assert slots["requested_slot"] == "correction_field"


def test_no_to_the_summary_asks_which_answer_to_change():
    slots, _, _ = run_form(
        state(
            text="non", intent="deny", requested_slot="summary_confirmed", years_experience=12.0,
            entrepreneurial_experience=False, led_teams=True, project_interest="x" * 10,
            consent=False,
        )
    )  # fmt: skip
    assert slots["correction_pending"] is True
    assert slots["requested_slot"] == "correction_field"


# ---- submission


@pytest.fixture()
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'applications.db'}")
    common.applications.cache_clear()
    yield storage.Storage()
    common.applications.cache_clear()


def stored(database: storage.Storage) -> list[dict[str, Any]]:
    """The pre-application rows as the database holds them, read with plain SQL."""
    with database.engine.connect() as connection:
        query = sa.text("SELECT first_name, email, consent FROM pre_applications")
        return [dict(row) for row in connection.execute(query).mappings()]


def submit(tracker_state: dict[str, Any]) -> tuple[dict[str, Any], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ActionSubmitPreApplication().run(dispatcher, Tracker.from_dict(tracker_state), DOMAIN)
    )
    return {e["name"]: e["value"] for e in events}, dispatcher.messages


def test_a_confirmed_pre_application_is_stored_once_with_its_reference(database):
    slots, messages = submit(state("pre_application_ready"))
    result = messages[0]
    assert result["response"] == "utter_pre_application_result"
    assert result["level"] == "matches"
    assert result["years"] == 11
    assert fields.REFERENCE_RE.match(result["reference"])
    assert messages[1]["response"] == "utter_offer_notification"  # the call is not open
    assert slots["last_reference"] == result["reference"]
    assert slots["target_profile"] is None and slots["submission_token"] is None
    assert slots["email"] is None and slots["first_name"] is None  # not kept past the form
    # The same last message retried: the same reference, still one row.
    _, again = submit(state("pre_application_ready"))
    assert again[0]["reference"] == result["reference"]
    rows = list(database.export_rows())
    assert len(rows) == 1
    assert rows[0]["email"] == "sam@example.org"
    assert rows[0]["years_of_experience"] == 11
    assert rows[0]["language"] == "en"


@pytest.mark.parametrize("consent", [False, None])
def test_without_consent_nothing_is_stored(database, consent):
    # A valid name and e-mail in the slots: only the missing consent keeps them out.
    _, messages = submit(state("pre_application_ready", consent=consent))
    assert [m["response"] for m in messages] == [
        "utter_pre_application_result",
        "utter_offer_notification",
    ]
    assert messages[0].get("reference") is None
    assert stored(database) == []


TODAY = dt.date(2026, 11, 23)  # the call for the next promotion is announced, not open


def test_with_consent_the_reference_answers_and_delete_link_go_by_e_mail(database, outbox):
    _, messages = submit(state("pre_application_ready", consent=True))
    result = messages[0]
    assert result["mailed"] is True
    reference = result["reference"]
    text = nlg.render(result["response"], result, "en", knowledge.get(), TODAY)["text"]
    assert f"stored under the reference {reference}. I'm sending you a confirmation e-mail" in text
    [sent] = outbox.messages  # the double opt-in of the pre-application, in its language
    assert sent["To"] == "sam@example.org"
    body = sent.get_body(("plain",))
    assert body is not None
    content = str(body.get_content())
    assert reference in content
    assert "https://chat.example.gouv.fr/en/mail/confirm?t=" in content
    assert "https://chat.example.gouv.fr/en/mail/delete?t=" in content
    assert messages[1]["response"] == "utter_offer_notification"


def test_without_e_mail_the_reference_is_only_in_the_chat_and_no_e_mail_is_offered(
    database, no_mail
):
    _, messages = submit(state("pre_application_ready", consent=True))
    result = messages[0]
    assert result["mailed"] is False
    text = nlg.render(result["response"], result, "fr", knowledge.get(), TODAY)["text"]
    assert f"enregistrée sous la référence {result['reference']}. Notez-la" in text
    assert "e-mail de confirmation" not in text
    # The call is not open: where to follow it, and no offer of an e-mail.
    assert [m["response"] for m in messages[1:]] == ["utter_follow_call"]
    follow = nlg.render("utter_follow_call", {}, "fr", knowledge.get(), TODAY)["text"]
    assert "sera bientôt ouvert" in follow
    assert knowledge.get().programme.links.apply in follow
    assert "e-mail" not in follow
    assert no_mail.messages == []
    assert stored(database) == [{"first_name": "Sam", "email": "sam@example.org", "consent": 1}]


def test_with_consent_the_answers_are_stored_with_it(database):
    _, messages = submit(state("pre_application_ready", consent=True))
    assert fields.REFERENCE_RE.match(messages[0]["reference"])
    assert stored(database) == [{"first_name": "Sam", "email": "sam@example.org", "consent": 1}]


def test_a_cancelled_form_submits_nothing(database):
    slots, messages = submit(
        state("pre_application_ready", summary_confirmed=None, pre_application_paused="cancelled")
    )
    assert (slots, messages) == ({}, [])
    assert list(database.export_rows()) == []


def test_a_database_failure_keeps_the_answers_and_apologises(monkeypatch):
    def broken():
        raise storage.StorageError("submit failed (OperationalError)")

    monkeypatch.setattr(preapplication, "applications", broken)
    slots, messages = submit(state("pre_application_ready"))
    assert [m["response"] for m in messages] == ["utter_pre_application_storage_error"]
    assert slots == {"summary_confirmed": None, "pre_application_paused": "failed"}


def test_a_correction_that_answers_the_current_question_is_just_an_answer():
    slots, responses, _ = run_form(
        state(text="directrice technique", intent="correct", confidence=0.8,
              requested_slot="target_profile", target_profile=None)
    )  # fmt: skip
    assert slots["target_profile"] == "technical_director"
    assert slots["requested_slot"] == "years_experience"
    assert responses == []
