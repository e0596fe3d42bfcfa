from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.introductions import QuestionsAreNotIntroductions, speaks_of_oneself


def parsed(text: str, intent: str = "i_am_administration", topic: float = 0.9) -> Message:
    ranking = [
        {"id": 1, "confidence": topic, "intent_response_key": "faq/host_who_can_apply"},
        {"id": 2, "confidence": 0.05, "intent_response_key": "faq/host_timeline"},
    ]
    first = {"name": intent, "confidence": 0.94}
    return Message(
        data={
            TEXT: text,
            INTENT: first,
            INTENT_RANKING_KEY: [first, {"name": "faq", "confidence": 0.05}],
            "response_selector": {
                "faq": {"response": {**ranking[0], "responses": []}, "ranking": ranking}
            },
        }
    )


def read(message: Message, **config) -> Message:
    component = QuestionsAreNotIntroductions(
        {**QuestionsAreNotIntroductions.get_default_config(), **config}
    )
    component.process([message])
    return message


@pytest.mark.parametrize(
    "text",
    [
        "Un hôpital peut-il déposer un projet ?",
        "est ce que les collectivitées territorial peuvent candiater ?",
        "what kind of government agencies did previous eigs join",
    ],
)
def test_a_general_question_is_the_faq_topic_not_an_introduction(text):
    message = read(parsed(text))
    assert message.get(INTENT) == {"name": "faq", "confidence": 1.0}
    assert [i["name"] for i in message.get(INTENT_RANKING_KEY)] == ["faq", "i_am_administration"]
    assert "intent" in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        ("ma commune peut-elle accueillir un EIG ?", "i_am_administration", 0.9),  # itself
        ("can our hospital host EIGs?", "i_am_administration", 0.9),
        ("je travaille dans une mairie", "i_am_administration", 0.9),  # no question
        ("Un hôpital peut-il déposer un projet ?", "i_am_administration", 0.4),  # unsure topic
        ("Un hôpital peut-il déposer un projet ?", "greet", 0.9),  # another intent
        ("/i_am_administration", "i_am_administration", 0.9),
    ],
)
def test_an_introduction_or_an_unsure_reading_is_kept(text, intent, topic):
    message = read(parsed(text, intent, topic))
    assert message.get(INTENT)["name"] == intent


def test_first_person_words_in_both_languages():
    assert speaks_of_oneself("notre DGS porte le projet")
    assert speaks_of_oneself("I'm at a county council")
    assert not speaks_of_oneself("les hôpitaux peuvent-ils candidater ?")


def on_the_rules(text: str, topic: str, confidence: float = 0.9) -> Message:
    message = parsed(text, topic=confidence)
    selection = message.get("response_selector")["faq"]
    selection["response"]["intent_response_key"] = f"faq/{topic}"
    selection["ranking"][0]["intent_response_key"] = f"faq/{topic}"
    return message


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Dear EIG team, I write on behalf of the Director General of our agency, who "
            "wishes to know what obligations a host administration has.",
            "host_commitments",
        ),
        ("nous sommes une mairie, devons-nous payer une partie du salaire ?", "host_cofinancing"),
    ],
)
def test_an_administration_asking_about_the_call_s_rules_gets_the_answer(text, topic):
    assert read(on_the_rules(text, topic)).get(INTENT)["name"] == "faq"


def test_an_administration_asking_whether_it_may_host_keeps_the_host_check():
    message = read(on_the_rules("can our hospital host EIGs?", "host_who_can_apply"))
    assert message.get(INTENT)["name"] == "i_am_administration"
    told = read(on_the_rules("je travaille dans une mairie", "host_commitments"))
    assert told.get(INTENT)["name"] == "i_am_administration"  # no question: an introduction


def test_whether_it_may_host_is_the_host_check_whatever_topic_is_guessed():
    message = read(on_the_rules("Can my comune host entreprenuers?", "host_cofinancing"))
    assert message.get(INTENT)["name"] == "i_am_administration"


def test_whether_one_s_project_is_eligible_is_the_host_check():
    text = "Je suis dans une collectivité, on voudrait savoir si notre projet est éligible"
    message = read(on_the_rules(text, "host_project_criteria"))
    assert message.get(INTENT)["name"] == "i_am_administration"
    funding = "nous sommes un CHU, sommes-nous éligibles au cofinancement ?"
    assert read(on_the_rules(funding, "host_cofinancing")).get(INTENT)["name"] == "faq"


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("je suis designer, c'est bon ?", "faq"),
        ("je suis data scientist et je cherche une mission", "i_am_candidate"),  # no question
        ("je cherche un job, vous recrutez ?", "i_am_candidate"),  # no profile
    ],
)
def test_a_candidate_naming_a_profile_and_asking_asks_whether_it_is_sought(text, read_as):
    assert read(parsed(text, "i_am_candidate")).get(INTENT)["name"] == read_as
