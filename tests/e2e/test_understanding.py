"""Follow-ups, two questions at once, numbers and names, over REST with the real services:
each turn's replies, the responses the tracker store recorded, and the slots."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Conversation, stored_events

NARROW = "\u202f"  # French thousands separator
NBSP = "\u00a0"


def responses(chat: Conversation) -> list[str]:
    """The responses of the conversation's last turn, as the tracker store recorded them."""
    assert chat.tracker_db is not None
    events = stored_events(chat.tracker_db, chat.stored_id)
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    return [
        str((e.get("metadata") or {}).get("utter_action"))
        for e in events[last_user:]
        if e["event"] == "bot"
    ]


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text", "") for m in messages]


def test_french_follow_ups_stay_on_the_previous_topic(conversation):
    chat = conversation(language="fr")
    general = chat.text("c koi le salaire")
    assert f"4{NARROW}250{NBSP}€" in general and f"5{NARROW}000{NBSP}€" in general
    senior = chat.text("et avec 15 ans ?")
    assert responses(chat) == ["utter_faq/salary"]
    assert "avec 15 ans d'expérience (au-delà de 10 ans)" in senior
    assert f"5{NARROW}000{NBSP}€" in senior and f"10{NBSP}%" in senior
    assert f"4{NARROW}250" not in senior
    junior = chat.text("et pour quelqu'un qui débute ?")
    assert responses(chat) == ["utter_faq/salary"]
    assert f"4{NARROW}250{NBSP}€" in junior and f"5{NARROW}000" not in junior
    boundary = chat.text("et avec dix ans tout pile ?")
    assert "avec 10 ans d'expérience (jusqu'à 10 ans)" in boundary  # as the pre-application
    assert chat.slots().get("years_experience") is None  # no pre-application was started


def test_english_follow_ups_about_an_earlier_promotion_and_a_time(conversation):
    chat = conversation(language="en")
    assert "project contract" in chat.text("what kind of contract do EIGs get?")
    earlier = chat.text("and for the 5th promotion?")
    assert responses(chat) == ["utter_faq/contract"]
    assert "In the 5th promotion (2021), EIGs signed a 10-month fixed-term contract" in earlier
    assert "March 2022" in chat.text("were there any webinars?")
    time = chat.text("what time did they start?")
    assert responses(chat) == ["utter_faq/webinars"]
    assert "The official texts do not give the time of these webinars." in time


def test_two_questions_in_one_message_are_answered_in_order(conversation):
    chat = conversation(language="fr")
    replies = texts(chat.say("quel est le salaire et quel type de contrat c'est ?"))
    assert responses(chat) == ["utter_faq/salary", "utter_faq/contract"]
    assert f"4{NARROW}250{NBSP}€" in replies[0] and "contrat de projet" in replies[1]
    english = conversation(language="en")
    english.say("who runs the programme and when does the call for applications open?")
    # the call is not open: the offer to be told when it opens follows both answers
    assert responses(english) == [
        "utter_faq/who_runs",
        "utter_faq/deadline",
        "utter_ask_notification",
    ]
    # a part the texts do not answer is said to be so, in its place
    uncovered = texts(english.say("who runs it and is remote work possible?"))
    assert responses(english) == ["utter_faq/who_runs", "utter_faq/not_in_sources"]
    assert "DINUM" in uncovered[0] and "do not answer" in uncovered[1]


def test_a_time_asked_after_the_webinars_answer(conversation):
    chat = conversation(language="fr")
    assert "17 mars 2022" in chat.text("quels webinaires ont eu lieu ?")
    time = chat.text("c'était à quelle heure ?")
    assert responses(chat) == ["utter_faq/webinars"]
    assert "Les textes officiels ne donnent pas l'heure de ces webinaires." in time


def test_numbers_and_promotions_in_a_question(conversation):
    chat = conversation(language="fr")
    # "la paie de la troisième promo" is read as co-financing by the current model ("qui
    # paie les eig ?" is a co-financing example): a known miss of the understanding work,
    # counted by the realistic evaluation, not hidden here; this test is about the promotion.
    third = chat.text("la rémunération de la troisième promo c'était combien ?")
    assert f"Lors de la 3e promotion (2018), les EIG étaient payés 4{NARROW}000{NBSP}€" in third
    assert "15 mars 2021" in chat.text("les webinaires de la promo 2021 ?")
    unknown = chat.text("et le salaire de la promo 4 ?")
    assert responses(chat) == ["utter_faq/salary"]
    assert "ne disent rien de la 4e promotion" in unknown
    english = conversation(language="en")
    six = english.text("what's the salary for someone with six years of experience?")
    assert "with 6 years of experience (up to 10 years)" in six and "€5,000" not in six


def test_years_outside_a_form_are_a_pay_question_not_a_correction(conversation):
    chat = conversation(language="fr")
    partner = chat.text("mon conjoint a 12 ans d'expérience")
    assert responses(chat) == ["utter_faq/salary"]
    assert f"5{NARROW}000{NBSP}€" in partner and "pré-candidature en cours" not in partner
    english = conversation(language="en")
    seven = english.text("I have 7 years of experience, how much would I get?")
    assert "€4,250" in seven and "no pre-application in progress" not in seven
    assert english.slots().get("years_experience") is None


def test_a_self_introduction_gets_its_sides_welcome_and_nothing_else(conversation):
    chat = conversation(language="fr")
    welcome = chat.text("jsuis dev fullstack 4ans xp")
    assert responses(chat) == ["utter_candidate_welcome"]  # no "je n'ai pas compris" after it
    assert welcome.startswith("Parfait ! Pour la 7e promotion")
    assert chat.slots()["answers_as_candidate"] is True
    chat = conversation(language="en")
    chat.text("I'm a project manager in a central government directorate.")
    assert responses(chat) == ["utter_administration_welcome", "utter_ask_has_data_project"]
    slots = chat.slots()
    assert slots["structure_type"] == "central_administration"
    assert slots["requested_slot"] == "has_data_project"


def test_a_one_word_follow_up_and_the_experience_required(conversation):
    chat = conversation(language="en")
    chat.text("what kind of contract is it")
    assert "renewable" in chat.text("renewable?")
    assert responses(chat) == ["utter_faq/contract"]
    chat.text("how many years of experience do you need?")
    assert responses(chat) == ["utter_faq/profiles"]


def test_the_pre_application_asked_for_in_words(conversation):
    chat = conversation(language="fr")
    assert "Quel profil visez-vous ?" in chat.text("go pour la precandidature")
    assert chat.slots()["requested_slot"] == "target_profile"
    chat = conversation(language="en")
    chat.text("is the pre-application mandatory?")  # a question about it: not started
    assert chat.slots().get("requested_slot") is None
    assert "utter_pre_application_intro" not in responses(chat)
    assert chat.slots().get("asks_pre_application") is None


def test_back_then_is_the_promotion_asked_about_before(conversation):
    chat = conversation(language="en")
    assert "5th promotion" in chat.text("ok and the deadline for promo 5?")
    back_then = chat.text("and what did they pay back then?")
    assert responses(chat) == ["utter_faq/salary"]
    assert "In the 5th promotion (2021)" in back_then
    assert "7th promotion" not in back_then


def test_a_hello_with_a_first_name_and_two_profiles_compared(conversation):
    chat = conversation(language="fr")
    assert chat.text("Salut, moi c'est Inès !").startswith("Bonjour !")
    assert responses(chat) == ["utter_greet"]  # no "je n'ai pas compris" after it
    compared = chat.text(
        "c'est quoi la différence entre directeur produit et directeur technique ?"
    )
    assert responses(chat) == ["utter_faq/profiles"]
    assert not compared.startswith("Oui")  # the profiles, not whether one of them is sought
