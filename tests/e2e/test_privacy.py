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


def assert_not_logged(stack) -> None:
    log_text = stack.log_file.read_text(encoding="utf-8", errors="replace")
    # The logs really were captured, ours at DEBUG:
    assert "Rasa server is up and running" in log_text
    assert '"message": "nlg.rendered"' in log_text and '"level": "DEBUG"' in log_text
    leaked = [f for f in fragments() if f.lower() in log_text.lower()]
    assert not leaked, f"personal data in the logs: {leaked}"
