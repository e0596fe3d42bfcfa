from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.set_aside import SetAsideClauses
from bot.rasa_server.nlu.topic_fallback import TopicFallback, topic_confidences, unsure


def parsed(intent: str, confidence: float, topics: list[tuple[str, float]]) -> Message:
    ranking = [
        {"id": n, "confidence": c, "intent_response_key": f"faq/{t}"}
        for n, (t, c) in enumerate(topics)
    ]
    selection = {
        "all_retrieval_intents": ["faq"],
        "faq": {"response": {**ranking[0], "responses": []}, "ranking": ranking}
        if ranking
        else {"response": {}, "ranking": []},
    }
    first = {"name": intent, "confidence": confidence}
    return Message(
        data={
            TEXT: "…",
            INTENT: first,
            INTENT_RANKING_KEY: [first, {"name": "greet", "confidence": 1 - confidence}],
            "response_selector": selection,
        }
    )


def fallback(**config) -> TopicFallback:
    return TopicFallback({**TopicFallback.get_default_config(), **config})


def test_a_sure_topic_is_kept():
    message = parsed("faq", 0.99, [("salary", 0.8), ("contract", 0.1)])
    fallback(threshold=0.3).process([message])
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.99}


def test_an_unsure_topic_becomes_nlu_fallback_and_keeps_the_ranking():
    message = parsed("faq", 0.99, [("host_cofinancing", 0.25), ("salary", 0.2)])
    fallback(threshold=0.3).process([message])
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.3}
    names = [item["name"] for item in message.get(INTENT_RANKING_KEY)]
    assert names == ["nlu_fallback", "faq", "greet"]  # "did you mean" still sees faq first
    assert "intent" in message.as_dict(only_output_properties=True)


def test_two_close_topics_are_ambiguous():
    message = parsed("faq", 0.99, [("salary", 0.45), ("contract", 0.41)])
    fallback(threshold=0.3, ambiguity_threshold=0.05).process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("intent", ["greet", "nlu_fallback", "pre_apply"])
def test_other_intents_are_left_alone(intent):
    message = parsed(intent, 0.9, [("salary", 0.05)])
    fallback(threshold=0.3).process([message])
    assert message.get(INTENT)["name"] == intent


def test_faq_without_a_topic_is_unsure():
    message = parsed("faq", 0.99, [])
    fallback(threshold=0.3).process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_topic_confidences_and_unsure():
    message = parsed("faq", 0.99, [("salary", 0.2), ("contract", 0.7)])
    assert topic_confidences(message.get("response_selector"), "faq") == [0.7, 0.2]
    assert topic_confidences(None, "faq") == []
    assert topic_confidences({"default": {"ranking": [{"confidence": 0.5}]}}, "faq") == [0.5]
    assert unsure([], 0.3, 0.0)
    assert unsure([0.29], 0.3, 0.0)
    assert not unsure([0.3], 0.3, 0.0)
    assert unsure([0.5, 0.45], 0.3, 0.1)
    assert not unsure([0.5, 0.35], 0.3, 0.1)


def test_set_aside_clauses_are_hidden_from_the_classifiers_in_training_and_parsing():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    asked = Message(data={TEXT: "pas de question sur le salaire, je voudrais savoir qui organise"})
    SetAsideClauses().process([asked])
    assert asked.get(TEXT) == "je voudrais savoir qui organise"
    example = Message(data={TEXT: "never mind the pay, who runs it?", INTENT: "faq"})
    SetAsideClauses().process_training_data(TrainingData([example]))
    assert example.get(TEXT) == "who runs it?"
    button = Message(data={TEXT: '/choose_topic{"faq_topic":"salary"}'})
    flagged = Message(data={TEXT: "pas de question sur le salaire, qui organise ?"})
    flagged.set("input_problem", "markup")
    SetAsideClauses().process([button, flagged])
    assert button.get(TEXT) == '/choose_topic{"faq_topic":"salary"}'
    assert flagged.get(TEXT) == "pas de question sur le salaire, qui organise ?"
