"""Personal data never reaches the logs: names, e-mail addresses and free-text answers
sent to the real services, whose logs (ours at DEBUG, Rasa at its default level) are
then searched for them.

To cover a new conversation, add a script to ``CONVERSATIONS``: a list of messages in
which ``{name}``, ``{first_name}``, ``{email}``, ``{phone}`` and ``{free_text}`` stand for
the fake personal data below, and what the last reply must contain to show that the
script went where it meant to (or None).
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from tests.e2e.test_socketio import exchange

PERSONAL = {
    "name": "Zorglub Praxitèle",
    "first_name": "Zorglub",
    "email": "zorglub.praxitele@example.org",
    "phone": "06 98 76 54 32",
    "free_text": "mon projet secret Quetzalcoatl-Himalaya",
}
CONVERSATIONS: dict[str, tuple[list[str], str | None]] = {
    "introduces_themself": (
        [
            "bonjour, je m'appelle {name}",
            "mon adresse est {email} et mon numéro {phone}",
            "je voudrais vous parler de {free_text}",
        ],
        None,
    ),
    "english_free_text": (["hi, I am {name}, reach me at {email}", "{free_text}", "{email}"], None),
    "host_check_with_personal_answers": (
        ["/host_check", "{name} de la mairie, {email}", "oui, {free_text}"],
        None,
    ),
    "pre_application": (
        [
            "je veux candidater",
            "CTO",
            "douze ans",
            "oui",
            "J'ai fondé une start-up : {free_text}",
            "oui",
            "{free_text} pour les services publics",
            "oui, j'accepte",
            "{first_name}",
            "{email}",
            "oui",
        ],
        "EIG-",  # the reference: the pre-application was stored
    ),
}


def fragments() -> list[str]:
    """What must not appear: each value, and its distinctive words on their own."""
    found = set(PERSONAL.values())
    for value in PERSONAL.values():
        found |= {word for word in value.replace("@", " ").split() if len(word) >= 7}
    return sorted(found)


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_rest_conversations_leave_no_personal_data_in_the_logs(stack, conversation, name):
    chat = conversation(language="fr")
    script, expected = CONVERSATIONS[name]
    last = ""
    for template in script:
        last = chat.text(template.format(**PERSONAL))
    if expected:
        assert expected in last, last
    assert_not_logged(stack)


def test_socketio_messages_leave_no_personal_data_in_the_logs(stack):
    session = uuid.uuid4().hex
    asyncio.run(exchange(stack, session, f"je suis {PERSONAL['name']}, {PERSONAL['email']}", {}))
    assert_not_logged(stack)


# Texts starting with "/" that are not a known button payload: Rasa's RegexMessageHandler
# would quote each of them whole in a warning; the InputGuard reads them as words.
SLASH_TEXTS = [
    "/contact {email}",
    "/{email}",
    "/affirm {email}",
    '/affirm{{"email": "{email}"}}',
    '/inform{{"faq_topic": "{email}"}} {name}',
    "/inform{{{email}",
    "//salaire {free_text}",
]


def apology(language: str) -> str:
    from bot.rasa_server.turn_guard import apology_text

    return apology_text({"language": language}, None)


@pytest.mark.parametrize("template", SLASH_TEXTS)
def test_slash_texts_get_an_answer_and_stay_out_of_the_logs(stack, conversation, template):
    chat = conversation(language="fr")
    replies = chat.say(template.format(**PERSONAL))
    texts = [reply.get("text") or "" for reply in replies]
    assert any(texts), replies
    assert apology("fr") not in texts, texts  # a normal answer, not "sorry, try again"
    assert_not_logged(stack)


def test_a_known_payload_still_works(conversation):
    replies = conversation(language="fr").say('/choose_topic{"faq_topic":"salary"}')
    assert "€" in "\n".join(reply.get("text") or "" for reply in replies)


def test_socketio_slash_text_gets_an_answer_and_stays_out_of_the_logs(stack):
    replies = asyncio.run(exchange(stack, uuid.uuid4().hex, f"/contact {PERSONAL['email']}", {}))
    texts = [reply.get("text") or "" for reply in replies]
    assert any(texts) and apology("fr") not in texts, texts
    assert_not_logged(stack)


def log_files(stack) -> list[Path]:
    """The services' output, and any other log file under their var/ directory."""
    found = {stack.log_file, *stack.var_dir.rglob("*.log")}
    return sorted(path for path in found if path.is_file())


def assert_not_logged(stack) -> None:
    files = log_files(stack)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        leaked = [f for f in fragments() if f.lower() in text]
        assert not leaked, f"personal data in {path.name}: {leaked}"
    log_text = stack.log_file.read_text(encoding="utf-8", errors="replace")
    # The logs really were captured, ours at DEBUG:
    assert "Rasa server is up and running" in log_text
    assert '"message": "nlg.rendered"' in log_text and '"level": "DEBUG"' in log_text
    leaked = [f for f in fragments() if f.lower() in log_text.lower()]
    assert not leaked, f"personal data in the logs: {leaked}"
