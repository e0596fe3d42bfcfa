"""The guided pre-application over REST, with the three real services and a real database."""

from __future__ import annotations

import re

import pytest

from bot.applications import storage

REFERENCE = re.compile(r"EIG-[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
def applications(stack):
    db = storage.Storage(f"sqlite:///{stack.var_dir / 'applications.db'}")
    yield db
    db.close()


def rows_for(applications: storage.Storage, email: str) -> list[dict]:
    return [r for r in applications.export_rows() if r["email"] == email]


def test_french_pre_application_switching_to_english_is_stored_once(conversation, applications):
    chat = conversation(language="fr")
    intro = chat.text("je veux candidater")
    assert "pré-candidature" in intro and "Quel profil visez-vous ?" in intro
    assert "Combien d'années d'expérience" in chat.text("CTO")
    assert "expérience entrepreneuriale" in chat.text("douze ans")
    # A question in the middle is answered, then the form asks again.
    middle = chat.text("c'est quoi le vivier ?")
    assert "vivier" in middle and "expérience entrepreneuriale" in middle
    assert "décrivez cette expérience" in chat.text("oui")
    # The candidate switches to English: the answers are kept, the questions follow.
    switched = chat.text("can we continue in English please?")
    assert "I'll continue in English" in switched
    assert "In one or two sentences" in switched
    assert "led a technical team" in chat.text(
        "I co-founded a health data startup and ran it for five years"
    )
    assert "What would you like to work on" in chat.text("yes")
    assert "Do you agree" in chat.text("Open data and public health services")
    assert "first name" in chat.text("yes, I agree")
    assert "e-mail address" in chat.text("Camille")
    summary = chat.text("Camille.Martin@Example.org")
    assert "Here are your answers" in summary
    assert "- Professional experience: 12 years" in summary
    # The person's own words are quoted with ':' and '@' escaped: the widget shows them as
    # text and never makes a link of them (only the assistant's links are clickable).
    assert "- E-mail: camille.martin\\@example.org" in summary
    # A correction with its value, then the summary again.
    corrected = chat.text("actually I have 10 years of experience")
    assert "- Professional experience: 10 years" in corrected
    result = chat.say("yes")
    text = "\n".join(m.get("text", "") for m in result)
    assert "not a promise of selection" in text
    assert "€4,250 net a month" in text  # 10 years: up to 10
    reference = REFERENCE.search(text).group(0)
    assert "Would you like me to let you know by e-mail" in text
    rows = rows_for(applications, "camille.martin@example.org")
    assert len(rows) == 1
    row = rows[0]
    assert row["reference"] == reference
    assert row["target_profile"] == "technical_director"
    assert row["years_of_experience"] == 10
    assert row["entrepreneurial_experience"] is True
    assert row["entrepreneurial_description"].startswith("I co-founded a health data startup")
    assert row["led_teams"] is True
    assert row["project_interest"] == "Open data and public health services"
    assert row["first_name"] == "Camille"
    assert row["language"] == "en"
    # Yes to the notification offer: no personal answer outlived the form, so the address
    # is asked again, then the consent.
    assert "Which e-mail address" in chat.text("yes")
    assert "only to tell you when the call opens" in chat.text("camille.martin@example.org")
    assert "sent a confirmation e-mail" in chat.text("yes")  # double opt-in
    # The same last message again does not store a second application.
    chat.text("yes")
    assert len(rows_for(applications, "camille.martin@example.org")) == 1
    # The candidate deletes their data.
    assert "reference" in chat.text("delete my data")
    assert "e-mail address you gave" in chat.text(reference.lower())
    assert f"the pre-application {reference}" in chat.text("camille.martin@example.org")
    assert rows_for(applications, "camille.martin@example.org") == []


def test_cancel_resume_and_no_consent_in_english(conversation, applications):
    chat = conversation(language="en")
    assert "Which profile" in chat.text("check my profile")
    assert "How many years" in chat.text("head of product")
    assert "really want to stop" in chat.text("cancel")
    assert "Nothing has been stored" in chat.text("yes")
    resumed = chat.text("resume")
    assert "pick up your pre-application" in resumed and "How many years" in resumed
    assert "entrepreneurial experience" in chat.text("since 2020")
    assert "What would you like to work on" in chat.text(
        "yes, I founded a small design studio in 2021"
    ).replace("In one or two sentences", "")  # described at once
    assert "Do you agree" in chat.text("digital services for small towns")
    summary = chat.text("no")
    assert "Here are your answers" in summary and "E-mail" not in summary
    result = chat.text("yes")
    assert "I haven't stored anything" in result
    assert REFERENCE.search(result) is None


def test_three_invalid_answers_pause_with_a_way_out(conversation):
    chat = conversation(language="fr")
    chat.text("je veux faire une pré-candidature")
    chat.text("directrice produit")
    assert "Je n'ai pas compris une durée" in chat.text("beaucoup")
    assert "Je n'ai pas compris une durée" in chat.text("pas mal")
    stuck = chat.say("plein")
    assert "Je mets la pré-candidature en pause" in stuck[0]["text"]
    assert stuck[0]["buttons"][0]["payload"] == "/resume"
    # The form is paused: a question is answered normally, then "reprendre" goes on.
    assert "4\u202f250\u00a0€" in chat.text("c'est combien le salaire ?")
    assert "Combien d'années" in chat.text("/resume")


def test_stop_then_carry_on_and_an_assessment_with_two_gaps(conversation, applications):
    chat = conversation(language="en")
    chat.text("check my profile")
    assert "How many years" in chat.text("engineering manager")
    assert chat.slots()["target_profile"] == "technical_director"
    confirm = chat.say("stop")
    assert "really want to stop" in confirm[0]["text"]
    assert [b["title"] for b in confirm[0]["buttons"]] == ["Yes, stop", "No, carry on"]
    assert chat.slots()["requested_slot"] == "cancel_confirmed"
    # "No": the form carries on where it was, the answers kept.
    assert "How many years" in chat.text("no")
    slots = chat.slots()
    assert slots["cancel_pending"] is None and slots["requested_slot"] == "years_experience"
    assert slots["target_profile"] == "technical_director"
    assert "entrepreneurial experience" in chat.text("twenty years")
    assert chat.slots()["years_experience"] == 20
    assert "Have you led a technical team?" in chat.text("no")
    assert "What would you like to work on" in chat.text("no")
    assert "Do you agree" in chat.text("the justice system")
    summary = chat.text("no")
    assert "- Entrepreneurial experience: No" in summary and "- Led technical teams: No" in summary
    result = chat.text("yes")
    assert "which you said you do not have and this profile expects experience leading" in result
    assert "unlikely to be shortlisted" in result
    assert "€5,000 net a month" in result  # 20 years: beyond 10
    assert REFERENCE.search(result) is None
    slots = chat.slots()
    assert slots["target_profile"] is None and slots["last_reference"] is None
    # No consent: nothing stored.
    assert all(r["project_interest"] != "the justice system" for r in applications.export_rows())


def test_no_to_the_summary_then_a_correction_picked_with_a_button(conversation):
    chat = conversation(language="en")
    for text in ("I want to apply", "CTO", "5", "no", "yes", "health"):
        chat.text(text)
    summary = chat.text("no")
    assert "- Professional experience: 5 years" in summary
    which = chat.say("no")
    assert which[0]["text"] == "Which answer would you like to correct?"
    payloads = [b["payload"] for b in which[0]["buttons"]]
    assert '/correct{"form_field":"years_experience"}' in payloads
    slots = chat.slots()
    assert slots["correction_pending"] is True and slots["requested_slot"] == "correction_field"
    assert "How many years" in chat.text('/correct{"form_field":"years_experience"}')
    slots = chat.slots()
    assert slots["years_experience"] is None and slots["requested_slot"] == "years_experience"
    assert slots["target_profile"] == "technical_director"  # the other answers stay
    again = chat.text("7")
    assert (
        "- Professional experience: 7 years" in again
        and "- What you want to work on: health" in again
    )
    assert chat.slots()["years_experience"] == 7
    result = chat.text("yes")
    assert "with 7 years of experience (up to 10 years), it would be €4,250 net a month" in result
