"""Forms answered in natural words, language that flips only when it should, and the
question after a webinar follow-up: real turns over REST against the three real services
(issue 16, patterns 7, 8 and 10)."""

from __future__ import annotations

# ---- the host check


def test_host_check_answered_with_typed_labels_and_natural_words(conversation):
    chat = conversation(language="fr")
    assert "quel type de structure" in chat.text("/host_check")
    # The title of a button, typed instead of clicked.
    project = chat.text("Autorité administrative indépendante")
    assert "Avez-vous un projet" in project
    # A yes with its context, which the classifier does not read as a yes.
    sponsor = chat.text("oui, nous voulons exploiter nos données de réclamations")
    assert "porté au plus haut niveau" in sponsor
    # The 2018 call's criteria, answered in words; the length before it is asked is kept.
    assert "aboutir en une dizaine de mois" in chat.text("oui le DGS porte le projet")
    assert "accès aux données" in chat.text("non, plutôt deux ans")
    result = chat.text("aucune idée pour l'instant")
    assert "Résultat pour : Autorité administrative indépendante." in result
    assert "Portage : votre projet en a un" in result
    assert "envisagez une première étape qui tienne dans ce délai" in result
    assert "c'est à prévoir" in result
    assert chat.slots()["structure_type"] is None  # the check is over
    assert chat.slots()["has_sponsor"] is None


def test_host_check_in_english_with_a_project_told_instead_of_yes(conversation):
    chat = conversation(language="en")
    assert "what kind of structure" in chat.text("/host_check")
    assert "Do you have a project" in chat.text("Local authority")
    sponsor = chat.text("yes, we want to use our complaint data")
    assert "backed at the highest level" in sponsor
    # the project's length told while the sponsor is asked: kept, the sponsor asked again
    again = chat.text("I think it could be done in 10 months, yes")
    assert "Noted" in again and "backed at the highest level" in again
    assert "access to the data" in chat.text("yes, our director general will sponsor it")
    result = chat.text("yes")
    assert "Result for: Local authority." in result
    assert "Duration: the 2018 call asked for a project feasible in 10 months; yours" in result


def test_host_check_ends_after_three_varied_unusable_answers(conversation):
    chat = conversation(language="en")
    chat.text("/host_check")
    chat.text("Health establishment")
    assert "No problem if you are unsure" in chat.text("bof")  # help, and counted
    assert "Just answer yes or no" in chat.text("we are thinking about it, with a partner")
    stuck = chat.say("hmm, hard to tell")
    assert "stopping the check here" in stuck[0]["text"]
    assert {"title": "Check my eligibility", "payload": "/host_check"} in stuck[0]["buttons"]
    assert chat.slots().get("requested_slot") is None


# ---- the pre-application


def test_pre_application_with_natural_answers(conversation):
    chat = conversation(language="fr")
    assert "Quel profil visez-vous ?" in chat.text("/pre_apply")
    # Years given while the profile is asked: kept, and the profile asked again.
    noted = chat.text("douze ans")
    assert "C'est noté : Expérience professionnelle." in noted
    assert "Quel profil visez-vous ?" in noted
    # The profile, then the years are not asked again.
    assert "Avez-vous une expérience entrepreneuriale ?" in chat.text("CTO")
    # A yes told as a founding: no co-financing answer; told in a few words, it is a yes
    # whose description is asked next.
    assert "décrivez cette expérience" in chat.text("oui, j'ai cofondé une startup")
    assert "Avez-vous déjà dirigé une équipe technique ?" in chat.text(
        "une appli de covoiturage rural, revendue en 2020"
    )
    assert "Sur quoi aimeriez-vous travailler" in chat.text("Oui")
    assert "Acceptez-vous" in chat.text("les données de santé et l'open data")
    # An e-mail typed at the consent question: kept until the answer, the question again.
    early = chat.text("claire.martin78@gmail.com")
    assert "J'ai noté votre e-mail" in early and "Acceptez-vous" in early
    summary = chat.text("Non, ne rien conserver")  # the refusal button's title, typed
    assert "- Expérience professionnelle : 12 ans" in summary
    assert "claire.martin78@gmail.com" not in summary
    assert chat.slots()["email"] is None  # forgotten with the refusal


def test_three_varied_unusable_answers_pause_the_pre_application(conversation):
    chat = conversation(language="en")
    chat.text("/pre_apply")
    chat.text("Technical director")  # a typed button title
    assert "No problem if you are unsure" in chat.text("bof")  # help, and counted
    assert "couldn't read a duration" in chat.text("plenty")
    paused = chat.text("no idea")
    assert "I'm pausing the pre-application" in paused
    assert chat.slots()["pre_application_paused"] == "stuck"


# ---- language


def test_things_that_are_not_language_do_not_flip_a_french_conversation(conversation):
    chat = conversation(language="fr")
    assert chat.text("bonjour").startswith("Bonjour")
    for text in (
        "jean.dupont@example.org",
        "EIG-7K3M-Q9XZ",
        "https://www.data.gouv.fr/en/datasets/",
        "Mary Ann Smith",
        "ok",
    ):
        chat.say(text)
        slots = chat.slots()
        assert (slots["language"], slots["home_language"]) == ("fr", "fr"), text


def test_one_english_question_is_answered_in_english_and_the_conversation_stays_french(
    conversation,
):
    chat = conversation(language="fr")
    chat.text("bonjour")
    english = chat.text("how much does an EIG earn per month?")
    assert "€4,250" in english
    assert (chat.slots()["language"], chat.slots()["home_language"]) == ("en", "fr")
    assert chat.text("merci").startswith("Avec plaisir")  # back to French
    # An explicit request switches the conversation.
    assert chat.text("in English please") == "Sure, I'll continue in English."
    assert chat.text("merci").startswith("You're welcome")
    assert chat.slots()["home_language"] == "en"


def test_two_english_messages_in_a_row_switch_the_conversation(conversation):
    chat = conversation(language="fr")
    chat.text("bonjour")
    chat.text("how much does an EIG earn per month?")
    chat.text("and what kind of contract is it?")
    assert chat.slots()["home_language"] == "en"
    assert chat.text("ok").startswith("All right")


# ---- the question after a webinar follow-up


def test_can_i_apply_today_after_a_webinar_follow_up(conversation):
    chat = conversation(language="fr")
    follow_up = chat.text('/webinar_followup{"webinar_id":"eig6-code-data"}')
    assert "Merci d'avoir suivi le webinaire" in follow_up
    today = chat.say("donc je peux postuler dès aujourd'hui ?")
    assert "sera bientôt ouvert" in today[0]["text"]  # EIG_TODAY 2026-11-23: not open yet
    assert "Voulez-vous que je vous prévienne" in today[0]["text"]
    assert "adresse e-mail" in chat.text("oui")  # the notification request starts


# ---- the side typed after "you would like to take part as…?"


def test_the_side_typed_after_the_audience_question(conversation):
    chat = conversation(language="fr")
    assert "participer en tant que" in chat.text("/participate")
    welcome = chat.text("plutôt comme candidate")
    assert welcome.startswith("Parfait ! Pour la 7e promotion")
    assert chat.slots()["answers_as_candidate"] is True
    chat.text("merci")
    assert chat.slots()["answers_as_candidate"] is None  # read for that message only


def test_the_administration_side_typed_starts_the_host_check(conversation):
    chat = conversation(language="en")
    assert "take part as" in chat.text("/participate")
    welcome = chat.say("on the administration side")
    assert welcome[0]["text"].startswith("Welcome! For the 7th promotion")
    assert chat.slots()["requested_slot"] == "structure_type"
