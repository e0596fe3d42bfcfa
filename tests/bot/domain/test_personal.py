"""The redaction rules every store shares: nothing personal is left in a conversation's
events once redacted, and the rest of the conversation is left as it was."""

from __future__ import annotations

import json
from typing import Any, Optional

from bot.domain import personal


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": 1.0, "name": name, "value": value}


def user(text: str, intent: str = "inform") -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": 1.0,
        "metadata": {"language": "fr"},
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": 0.9},
            "entities": [{"entity": "x", "value": text}],
            "text": text,
            "message_id": "m1",
            "language_detection": {"words": 1},
            "text_tokens": [[0, len(text)]],
        },
    }


def bot(text: str, **arguments: Any) -> dict[str, Any]:
    return {
        "event": "bot",
        "timestamp": 1.0,
        "metadata": {"utter_action": "utter_x", **arguments},
        "text": text,
        "data": {"buttons": []},
    }


def asked(name: Optional[str]) -> dict[str, Any]:
    return slot("requested_slot", name)


PRE_APPLICATION = [
    {"event": "action", "timestamp": 1.0, "name": "action_listen"},
    user("je veux candidater", "pre_apply"),
    {"event": "active_loop", "timestamp": 1.0, "name": "pre_application_form"},
    asked("entrepreneurial_experience"),
    user("J'ai cofondé Quetzalcoatl SAS en 2019"),
    slot("entrepreneurial_experience", True),
    slot("entrepreneurial_description", "J'ai cofondé Quetzalcoatl SAS en 2019"),
    asked("project_interest"),
    user("Les données de santé à Himalaya-les-Bains"),
    slot("project_interest", "Les données de santé à Himalaya-les-Bains"),
    asked("first_name"),
    user("zorglub"),
    slot("first_name", "Zorglub"),
    asked("email"),
    user("Zorglub.P@Example.org"),
    slot("email", "zorglub.p@example.org"),
    bot("Merci, Zorglub ! Vous écrire à zorglub.p@example.org", first_name="Zorglub"),
    asked(None),
    {"event": "active_loop", "timestamp": 1.0, "name": None},
    bot("Votre référence : EIG-ABCD-2345", reference="EIG-ABCD-2345"),
    slot("last_reference", "EIG-ABCD-2345"),
    user("c koi le salaire", "faq"),
    bot("4 250 € nets par mois"),
]
SECRETS = ("Zorglub", "zorglub", "example.org", "Quetzalcoatl", "Himalaya", "ABCD-2345")


def test_nothing_personal_is_left_in_any_field():
    redacted = personal.redact(PRE_APPLICATION)
    stored = json.dumps(redacted, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in stored, secret
    assert len(redacted) == len(PRE_APPLICATION)


def test_personal_slots_become_null_and_the_others_stay():
    redacted = personal.redact(PRE_APPLICATION)
    slots = {e["name"]: e["value"] for e in redacted if e["event"] == "slot"}
    assert slots["first_name"] is None and slots["email"] is None
    assert slots["entrepreneurial_description"] is None and slots["project_interest"] is None
    assert slots["last_reference"] is None
    assert slots["entrepreneurial_experience"] is True  # not personal


def test_the_answers_lose_their_text_but_keep_their_intent():
    redacted = personal.redact(PRE_APPLICATION)
    users = [e for e in redacted if e["event"] == "user"]
    answers = users[1:5]
    for answer in answers:
        assert answer["text"] == personal.PLACEHOLDER
        assert answer["parse_data"]["text"] == personal.PLACEHOLDER
        assert answer["parse_data"]["entities"] == []
        assert answer["parse_data"]["intent"]["name"] == "inform"
        assert "text_tokens" not in answer["parse_data"]
    # Questions that are not personal keep their words.
    assert users[0]["text"] == "je veux candidater"
    assert users[-1]["text"] == "c koi le salaire"


def test_bot_messages_that_repeat_an_answer_are_scrubbed():
    redacted = personal.redact(PRE_APPLICATION)
    thanks = next(e for e in redacted if e["event"] == "bot" and "Merci" in e["text"])
    assert thanks["text"] == "Merci, [redacted] ! Vous écrire à [redacted]"
    assert thanks["metadata"] == {"utter_action": "utter_x", "first_name": "[redacted]"}
    assert redacted[-1] == PRE_APPLICATION[-1]


def test_an_email_typed_anywhere_is_removed():
    events = [user("bonjour, écrivez-moi à lea@exemple.fr svp", "greet"), bot("Bonjour !")]
    redacted = personal.redact(events)
    assert redacted[0]["text"] == "bonjour, écrivez-moi à [redacted] svp"
    assert redacted[0]["parse_data"]["text"] == "bonjour, écrivez-moi à [redacted] svp"
    assert personal.holds_personal(events) and not personal.holds_personal(redacted)


def test_known_values_of_a_deleted_application_are_removed_too():
    events = [user("je m'appelle Camille", "greet"), bot("Bonjour Camille !")]
    redacted = personal.redact(events, also=["Camille"])
    assert "Camille" not in json.dumps(redacted)
    assert "camille" not in json.dumps(personal.redact(events, also=["CAMILLE"])).lower()


def test_a_conversation_without_personal_data_comes_back_equal():
    events = [user("c'est quoi le salaire", "faq"), bot("4 250 €"), slot("language", "fr")]
    assert personal.redact(events) == events
    assert not personal.holds_personal(events)
    assert list(personal.changed(events, personal.redact(events))) == []


def test_redacting_twice_changes_nothing_more():
    once = personal.redact(PRE_APPLICATION)
    assert personal.redact(once) == once
    assert not personal.holds_personal(once)


def test_no_reference_is_not_personal_and_an_early_email_marks_its_message():
    events = [
        asked("deletion_reference"),
        user("aucune"),
        slot("deletion_reference", "none"),
        asked("target_profile"),
        user("CTO, et mon mail a@b.fr"),
        slot("email", "a@b.fr"),
    ]
    redacted = personal.redact(events)
    assert redacted[2]["value"] == "none"
    assert redacted[1]["text"] == personal.PLACEHOLDER  # answered a personal question
    assert redacted[4]["text"] == personal.PLACEHOLDER  # set a personal slot
    assert [i for i, _ in personal.changed(events, redacted)] == [1, 4, 5]


def test_structure_is_never_scrubbed():
    events = [user("bot", "greet"), slot("first_name", "Bot"), bot("Salut")]
    redacted = personal.redact(events)
    assert [e["event"] for e in redacted] == ["user", "slot", "bot"]
    assert redacted[1]["name"] == "first_name"
