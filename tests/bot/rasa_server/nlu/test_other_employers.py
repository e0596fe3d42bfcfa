from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.other_employers import OtherEmployers


def read(text: str, intent: str) -> str:
    first = {"name": intent, "confidence": 0.95}
    message = Message(data={TEXT: text, INTENT: first, INTENT_RANKING_KEY: [first]})
    OtherEmployers().process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how do I apply for the European Commission traineeship?", "faq"),
        ("does the Ministry of Defence take design interns?", "i_am_administration"),
        ("est-ce que la DGFiP recrute des data scientists en CDI ?", "faq"),
        ("comment je postule au service civique ?", "faq"),
        ("je voudrais des infos sur le concours d'attaché d'administration", "nlu_fallback"),
    ],
)
def test_another_organisation_s_jobs_are_out_of_scope(text, intent):
    assert read(text, intent) == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("do you hire designers?", "faq"),  # the programme, spoken to
        ("la DGFiP peut-elle accueillir des EIG ?", "faq"),  # an administration that would host
        ("Hi, Aurélien here, looking for a job in the public sector", "i_am_candidate"),
        ("Bonjour, moi c'est Inès, je cherche un poste de designer", "i_am_candidate"),
        ("What jobs does EIG offer?", "faq"),
        ("is SNCF hiring developers right now?", "greet"),  # a reading of another kind
    ],
)
def test_the_programme_s_own_jobs_and_other_readings_are_left_alone(text, intent):
    assert read(text, intent) == intent


def test_a_subject_the_texts_do_not_cover_keeps_its_reading():
    first = {"name": "faq", "confidence": 1.0}
    text = "is the Ministry of Defence hiring people who work remotely?"
    message = Message(data={TEXT: text, INTENT: first, INTENT_RANKING_KEY: [first]})
    message.set("unknown_subject", "remote_work")
    OtherEmployers().process([message])
    assert message.get(INTENT)["name"] == "faq"
