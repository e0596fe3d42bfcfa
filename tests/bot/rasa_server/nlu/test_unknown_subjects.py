from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.domain.question import parsed_from
from bot.rasa_server.nlu.unknown_subjects import UNKNOWN_SUBJECT_KEY, UnknownSubjects


def parsed(text: str, intent: str, topic: str = "host_cofinancing") -> Message:
    ranking = [
        {"id": 1, "confidence": 0.9, "intent_response_key": f"faq/{topic}"},
        {"id": 2, "confidence": 0.05, "intent_response_key": "faq/not_in_sources"},
    ]
    selection = {
        "all_retrieval_intents": ["faq"],
        "faq": {"response": {**ranking[0], "responses": []}, "ranking": ranking},
    }
    first = {"name": intent, "confidence": 0.95}
    return Message(
        data={
            TEXT: text,
            INTENT: first,
            INTENT_RANKING_KEY: [first, {"name": "greet", "confidence": 0.04}],
            "response_selector": selection,
        }
    )


def read(message: Message) -> Message:
    UnknownSubjects(UnknownSubjects.get_default_config()).process([message])
    return message


@pytest.mark.parametrize(
    ("text", "intent", "subject"),
    [
        ("How many days of paid leave do EIGs get?", "faq", "days_off"),
        ("Is health insurance included?", "out_of_scope", "health_insurance"),
        ("on a des tickets resto ?", "nlu_fallback", "meal_vouchers"),
        ("le télétravail est possible pendant la mission ?", "faq", "remote_work"),
        ("je suis brésilienne, la nationalité compte ?", "faq", "nationality"),
        ("et il faut parler anglais ?", "change_language", "languages"),
        ("do I need to be fluent in French?", "faq", "languages"),
        ("Can my partner and I apply together as a pair?", "nlu_fallback", "pair"),
        ("were they in english or french", "change_language", "languages"),
        ("How many positions are open in the 7th promotion?", "faq", "places"),
        ("any help with housing?", "help", "housing"),
    ],
)
def test_a_subject_the_texts_never_cover_gets_the_not_in_sources_answer(text, intent, subject):
    message = read(parsed(text, intent))
    found = parsed_from(message.get(INTENT), message.get("response_selector"))
    assert (found.intent, found.topic, found.topic_confidence) == ("faq", "not_in_sources", 1.0)
    response = message.get("response_selector")["faq"]["response"]
    assert response["utter_action"] == "utter_faq/not_in_sources"
    ranking = message.get("response_selector")["faq"]["ranking"]
    assert [r["intent_response_key"] for r in ranking] == [
        "faq/not_in_sources",
        "faq/host_cofinancing",
    ]
    others = [intent] if intent != "faq" else []
    assert [i["name"] for i in message.get(INTENT_RANKING_KEY)] == ["faq", *others, "greet"]
    assert message.get(UNKNOWN_SUBJECT_KEY) == subject
    assert UNKNOWN_SUBJECT_KEY in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # subjects that also name things the texts answer, or another intent recognised
        ("combien de postes pour la 6e promo ?", "faq"),
        ("can you speak English?", "change_language"),
        ("je suis fonctionnaire, je peux candidater ?", "faq"),
        ("j'ai 45 ans d'expérience", "faq"),
        # the subject set aside, a sure other move, a payload
        ("pas de question sur le télétravail, c'est combien le salaire ?", "faq"),
        ("supprimez mes données de mutuelle", "delete_my_data"),
        ("can you speak English?", "change_language"),  # a switch, no requirement
        ("je veux candidater, j'habite à la Réunion", "pre_apply"),
        ("/faq_not_in_sources", "faq"),
        ("quel est le salaire ?", "faq"),
        ("help, I'm lost", "help"),
    ],
)
def test_other_messages_keep_their_reading(text, intent):
    message = read(parsed(text, intent, "salary"))
    assert message.get(INTENT)["name"] == intent
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == (
        "faq/salary"
    )
    assert message.get(UNKNOWN_SUBJECT_KEY) is None


def test_an_unsure_reading_of_an_unknown_subject_is_made_sure():
    message = parsed("and for the 7th, how many places?", "faq", "not_in_sources")
    message.get("response_selector")["faq"]["response"]["confidence"] = 0.49
    read(message)
    response = message.get("response_selector")["faq"]["response"]
    assert (response["intent_response_key"], response["confidence"]) == (
        "faq/not_in_sources",
        1.0,
    )
    assert message.get(UNKNOWN_SUBJECT_KEY) == "places"
