from __future__ import annotations

from typing import Optional

from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.nlu_keys import CLAUSES_KEY, DETAIL_ENTITY, LANGUAGE_KEY, PROBLEM_KEY
from bot.rasa_server.nlu.questions import QuestionReader, QuestionSplitter


def classified(message: Message, intent: str, topic: Optional[str], confidence: float) -> None:
    """What DIET and the ResponseSelector put on a message."""
    message.set(INTENT, {"name": intent, "confidence": 0.99})
    response = {"intent_response_key": f"faq/{topic}", "confidence": confidence} if topic else {}
    message.set("response_selector", {"faq": {"response": response, "ranking": [response]}})


def detail(message: Message) -> Optional[str]:
    found = [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == DETAIL_ENTITY]
    return found[0] if found else None


def test_each_question_of_a_message_is_read_as_a_message_of_its_own():
    message = Message(data={TEXT: "quel salaire et quel type de contrat ?", LANGUAGE_KEY: "fr"})
    batch = QuestionSplitter().process([message])
    assert batch[0] is message
    assert [m.get(TEXT) for m in batch[1:]] == ["quel salaire", "quel type de contrat ?"]
    assert all(m.get(LANGUAGE_KEY) == "fr" for m in batch[1:])
    classified(message, "faq", "contract", 0.5)
    classified(batch[1], "faq", "salary", 0.8)
    classified(batch[2], "faq", "contract", 0.9)
    parsed = QuestionReader().process(batch)
    assert parsed == [message]  # the questions' messages are taken back out
    assert message.get(CLAUSES_KEY) == [
        {"text": "quel salaire", "intent": "faq", "topic": "salary", "topic_confidence": 0.8},
        {
            "text": "quel type de contrat ?",
            "intent": "faq",
            "topic": "contract",
            "topic_confidence": 0.9,
        },
    ]
    assert detail(message) == "clauses"
    assert CLAUSES_KEY in message.as_dict(only_output_properties=True)


def test_two_questions_on_one_topic_need_no_more_than_it():
    message = Message(data={TEXT: "c'est quoi le salaire et la part variable ?"})
    batch = QuestionSplitter().process([message])
    for part in [message, *batch[1:]]:
        classified(part, "faq", "salary", 0.9)
    QuestionReader().process(batch)
    assert detail(message) is None


def test_follow_ups_and_cases_are_flagged_and_plain_questions_are_not():
    texts = {
        "et avec 15 ans ?": "follow_up",
        "la paie de la promo 3 c'était combien ?": "case",
        "vous cherchez des devs ?": "case",
        "c'était à quelle heure ?": "follow_up",  # the past of what was just said
        "from how many years?": "follow_up",  # where the pay's bands start
        "quel est le salaire ?": None,
    }
    messages = [Message(data={TEXT: text}) for text in texts]
    for message in messages:
        classified(message, "faq", "salary", 0.9)
    parsed = QuestionReader().process(QuestionSplitter().process(messages))
    assert {m.get(TEXT): detail(m) for m in parsed} == texts
    flagged = parsed[0].get(ENTITIES)[0]
    assert (flagged["start"], flagged["end"], flagged["extractor"]) == (0, 16, "QuestionReader")


def test_the_deadline_and_what_is_ahead_are_flagged_for_what_today_changes():
    texts = ("c'est quand la date limite ?", "et le salaire ?", "Il y a un webinaire bientôt ?")
    messages = [Message(data={TEXT: t}) for t in texts]
    classified(messages[0], "faq", "deadline", 0.9)
    classified(messages[1], "faq", "salary", 0.9)
    classified(messages[2], "faq", "webinars", 0.9)
    parsed = QuestionReader().process(QuestionSplitter().process(messages))
    assert [detail(m) for m in parsed] == ["today", "follow_up", "today"]


def test_bad_input_buttons_and_training_data_are_left_alone():
    bad = Message(data={TEXT: "<b>quel salaire et quel contrat ?</b>", PROBLEM_KEY: "markup"})
    button = Message(data={TEXT: '/choose_topic{"faq_topic":"salary"}'})
    batch = QuestionSplitter().process([bad, button])
    assert batch == [bad, button]
    assert [detail(m) for m in QuestionReader().process(batch)] == [None, None]
    data = TrainingData([Message(data={TEXT: "quel salaire et quel contrat ?", INTENT: "faq"})])
    assert (
        QuestionSplitter().process_training_data(data).training_examples == data.training_examples
    )


LONG = (
    "Je suis développeur depuis 9 ans et j'ai revendu mon agence l'an dernier. "
    "Depuis je fais du conseil. C'est quel type de contrat ?"
)


def test_a_message_of_several_sentences_is_read_by_its_question_when_sure_of_it():
    message = Message(data={TEXT: LONG, LANGUAGE_KEY: "fr"})
    batch = QuestionSplitter().process([message])
    assert [m.get(TEXT) for m in batch[1:]] == ["C'est quel type de contrat ?"]
    assert batch[1].get(LANGUAGE_KEY) == "fr"
    classified(message, "faq", "profiles", 0.9)  # the context outweighs the question
    classified(batch[1], "faq", "contract", 0.8)
    assert QuestionReader().process(batch) == [message]
    assert message.get(INTENT)["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == (
        "faq/contract"
    )
    output = message.as_dict(only_output_properties=True)
    assert output["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/contract"
    assert CLAUSES_KEY not in output  # one question: no clauses


def test_a_long_message_keeps_its_own_reading_when_its_question_is_unsure():
    for intent, topic, confidence in (("faq", "contract", 0.3), ("nlu_fallback", None, 0.0)):
        message = Message(data={TEXT: LONG})
        batch = QuestionSplitter().process([message])
        classified(message, "faq", "profiles", 0.9)
        classified(batch[1], intent, topic, confidence)
        QuestionReader().process(batch)
        selected = message.get("response_selector")["faq"]["response"]["intent_response_key"]
        assert (message.get(INTENT)["name"], selected) == ("faq", "faq/profiles")


INTRODUCED = (
    "Je suis au service informatique d'un centre hospitalier, les hôpitaux ont le droit de "
    "répondre à l'appel à projets ?"
)


def test_the_question_after_an_introduction_is_read_when_the_introduction_was():
    message = Message(data={TEXT: INTRODUCED, LANGUAGE_KEY: "fr"})
    batch = QuestionSplitter().process([message])
    assert [m.get(TEXT) for m in batch[1:]] == [
        "les hôpitaux ont le droit de répondre à l'appel à projets ?"
    ]
    classified(message, "i_am_administration", None, 0.0)
    classified(batch[1], "faq", "host_who_can_apply", 0.9)
    assert QuestionReader().process(batch) == [message]
    assert message.get(INTENT)["name"] == "faq"
    selected = message.get("response_selector")["faq"]["response"]["intent_response_key"]
    assert selected == "faq/host_who_can_apply"


def test_the_question_after_the_language_asked_for_is_read():
    text = "ah pardon je parle français en fait, il y a combien d'entretiens ?"
    message = Message(data={TEXT: text, LANGUAGE_KEY: "fr"})
    batch = QuestionSplitter().process([message])
    assert [m.get(TEXT) for m in batch[1:]] == ["il y a combien d'entretiens ?"]
    classified(message, "change_language", None, 0.0)
    classified(batch[1], "faq", "selection_process", 0.9)
    QuestionReader().process(batch)
    assert message.get(INTENT)["name"] == "faq"
    selected = message.get("response_selector")["faq"]["response"]["intent_response_key"]
    assert selected == "faq/selection_process"


def test_the_question_after_a_name_is_read_when_the_message_was_unsure():
    for intent in ("nlu_fallback", "greet"):
        message = Message(data={TEXT: "Kevin here, how do I apply?", LANGUAGE_KEY: "en"})
        batch = QuestionSplitter().process([message])
        assert [m.get(TEXT) for m in batch[1:]] == ["how do I apply?"]
        classified(message, intent, None, 0.0)
        classified(batch[1], "faq", "apply", 0.95)
        QuestionReader().process(batch)
        selected = message.get("response_selector")["faq"]["response"]["intent_response_key"]
        assert (message.get(INTENT)["name"], selected) == ("faq", "faq/apply")


def test_the_question_after_an_introduction_leaves_another_reading_alone():
    for intent, topic in (("faq", "host_project_criteria"), ("host_check", None)):
        message = Message(data={TEXT: INTRODUCED})
        batch = QuestionSplitter().process([message])
        classified(message, intent, topic, 0.9)
        classified(batch[1], "faq", "host_who_can_apply", 0.9)
        QuestionReader().process(batch)
        assert message.get(INTENT)["name"] == intent


def test_pay_of_the_programme_read_as_out_of_scope_is_flagged_for_the_pay():
    texts = {
        "combien gagne un EIG ?": "case",
        "combien on gagne dans une banque ?": None,  # another employer
        "how much does an EIG earn at a bank?": None,
        "what's the weather like?": None,
    }
    messages = [Message(data={TEXT: text}) for text in texts]
    for message in messages:
        classified(message, "out_of_scope", "salary", 0.4)
    parsed = QuestionReader().process(QuestionSplitter().process(messages))
    assert {m.get(TEXT): detail(m) for m in parsed} == texts


FROM_THE_WEBINAR = "in the webinar you mentioned the contract, what kind is it again?"


def test_a_question_that_names_the_webinar_as_its_source_is_read_without_it():
    message = Message(data={TEXT: FROM_THE_WEBINAR, LANGUAGE_KEY: "en"})
    batch = QuestionSplitter().process([message])
    assert [m.get(TEXT) for m in batch[1:]] == [
        "in the you mentioned the contract, what kind is it again?"
    ]
    classified(message, "faq", "webinars", 1.0)  # the webinar's words outweigh the question
    classified(batch[1], "faq", "contract", 0.96)
    assert QuestionReader().process(batch) == [message]
    selected = message.get("response_selector")["faq"]["response"]["intent_response_key"]
    assert selected == "faq/contract"


def test_the_webinar_named_as_a_source_keeps_another_reading_or_an_unsure_question():
    for whole, without in (
        (("faq", "contract", 0.9), ("faq", "salary", 0.9)),  # not read as the webinars
        (("faq", "webinars", 1.0), ("faq", "contract", 0.6)),  # its question unsure
        (("faq", "webinars", 1.0), ("faq", "webinars", 0.9)),
    ):
        message = Message(data={TEXT: FROM_THE_WEBINAR})
        batch = QuestionSplitter().process([message])
        classified(message, *whole)
        classified(batch[1], *without)
        QuestionReader().process(batch)
        selected = message.get("response_selector")["faq"]["response"]["intent_response_key"]
        assert selected == f"faq/{whole[1]}"


def test_a_question_on_the_webinar_itself_is_read_whole():
    for text in ("is there a replay of the webinar?", "c'était à quelle heure le webinaire ?"):
        assert QuestionSplitter().process([Message(data={TEXT: text})])[1:] == []
