"""Administrations and webinar attendees, over REST and socket.io, with the real services."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid

from icalendar import Calendar

from tests.e2e.conftest import PORTS
from tests.e2e.test_socketio import exchange


def test_a_french_town_hall_checks_whether_it_can_host(conversation):
    chat = conversation(language="fr")
    welcome = chat.text("bonjour, je travaille dans une mairie")
    assert welcome.startswith("Bienvenue ! Pour la 7e promotion, les EIG sont envoyés en mission")
    # The structure was understood from the first sentence: only the project is asked.
    assert "Avez-vous un projet" in welcome
    assert "quel type de structure" not in welcome
    assert "porté au plus haut niveau" in chat.text("oui")
    assert "aboutir en une dizaine de mois" in chat.text("/affirm")
    assert "accès aux données" in chat.text("/affirm")
    result = chat.text("/affirm")
    assert result.startswith("Résultat pour : Collectivité territoriale.")
    assert "ne pouvaient pas bénéficier du cofinancement par le PIA" in result
    assert "vous les avez" in result


def test_an_english_ministry_asks_a_question_mid_check_and_finishes(conversation):
    chat = conversation(language="en")
    assert "what kind of structure" in chat.text("/host_check")
    invalid = chat.text("bananas")
    assert "didn't recognise the kind of structure" in invalid
    cofinancing = chat.text("who pays for the EIG recruitment, is there co-financing?")
    assert "co-financed" in cofinancing
    assert "what kind of structure" in cofinancing  # the check resumes
    assert "Do you have a project" in chat.text(
        '/inform{"structure_type":"central_administration"}'
    )
    result = chat.text("no")
    assert result.startswith("Result for: Central administration.")
    assert "you would first need a project" in result


def test_host_timeline_is_dated_history(conversation):
    chat = conversation(language="en")
    reply = chat.text("when does the call for projects for administrations open?")
    assert "opening planned in early May 2018" in reply
    assert "should open" not in reply


def test_webinar_followup_link_and_unknown_id(conversation):
    chat = conversation(language="fr")
    reply = chat.say('/webinar_followup{"webinar_id": "eig6-code-data"}')
    assert reply[0]["text"].startswith("Merci d'avoir suivi le webinaire du 17 mars 2022")
    assert any(b["title"] == "Rémunération" for b in reply[0]["buttons"])
    unknown = chat.text('/webinar_followup{"webinar_id": "does-not-exist"}')
    assert unknown.startswith("Je ne trouve pas ce webinaire.")


def test_socketio_metadata_opens_with_the_webinar_followup(stack):
    session_id = uuid.uuid4().hex
    metadata = {"language": "en", "webinar": "eig6-design-law"}
    replies = asyncio.run(exchange(stack, session_id, "hello", metadata))
    texts = [r.get("text", "") for r in replies]
    assert texts[0].startswith("Thank you for attending the webinar of 24 March 2022")
    assert any(t.startswith("Hello!") for t in texts[1:])


def test_calendar_file_is_served_and_parses(stack):
    url = f"http://127.0.0.1:{PORTS.web}/webinars/eig6-code-data.ics?lang=en"
    with urllib.request.urlopen(url, timeout=10) as reply:
        assert reply.headers["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(reply.read())
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["summary"]) == "EIG webinar: code and data careers"
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{PORTS.web}/webinars/nope.ics", timeout=10)
        raise AssertionError("an unknown webinar must be a 404")
    except urllib.error.HTTPError as error:
        assert error.code == 404
        assert json.loads(error.read()) == {"error": "unknown webinar"}


def test_administration_questions_in_both_languages(conversation):
    chat = conversation(language="fr")
    who = chat.text("quelles structures peuvent deposer un projet")
    assert "pouvaient déposer un projet" in who and "collectivités territoriales" in who
    commitments = chat.text("what does the host administration have to commit to?")
    assert "commitments" in commitments and "access to the data" in commitments
    assert chat.slots()["language"] == "en"
    timeline = chat.text("c'est quand l'appel a projets pour les administrations")
    assert "2018" in timeline
