"""Conversations over REST with the three real services, in both languages."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import post


def test_french_conversation_about_pay_deadline_and_webinars(conversation):
    chat = conversation(language="fr")
    greeting = chat.say("bonjour")
    assert greeting[0]["text"].startswith("Bonjour !")
    assert [b["title"] for b in greeting[0]["buttons"]][:2] == [
        "Profils recherchés",
        "Rémunération",
    ]
    pay = chat.text("c koi le salaire")
    assert "4\u202f250\u00a0€ nets par mois" in pay and "5\u202f000\u00a0€" in pay
    assert "Source : Page officielle « Devenir EIG »" in pay
    deadline = chat.text("cest quand la date limite")
    assert "sera bientôt ouvert" in deadline
    assert "s'est clos le 3 avril 2022" in deadline
    assert "ouvrira" not in deadline
    assert "Aucun webinaire n'est programmé" in chat.text("il y a des webinaires prévus ?")


def test_english_conversation_from_metadata(conversation):
    chat = conversation(language="en")
    assert chat.text("bonjour").startswith("Hello!")  # the page's language wins at start
    pay = chat.text("how much do EIGs earn per month?")
    assert "€4,250 net a month" in pay and "€5,000" in pay
    assert "DINUM" in chat.text("who runs the programme?")
    unknown = chat.text("is there an age limit to apply?")
    assert "do not answer this question" in unknown
    assert "entrepreneur-interet-general@data.gouv.fr" in unknown


def test_language_switch_and_stickiness(conversation):
    chat = conversation()
    assert chat.text("bonjour").startswith("Bonjour")
    # A confident English sentence switches the conversation…
    assert "€4,250" in chat.text("how much does an EIG earn per month?")
    # …"ok" and "merci" do not switch it back…
    assert chat.text("ok").startswith("All right")
    assert chat.text("merci").startswith("You're welcome")
    # …an explicit request always does.
    assert chat.text("en français svp") == "Très bien, je continue en français."
    assert "4\u202f250\u00a0€" in chat.text("salary pls")  # two words: stays French


def test_accept_language_sets_the_first_language(conversation):
    chat = conversation(accept_language="en-GB,en;q=0.9,fr;q=0.5")
    assert chat.text("salut").startswith("Hello!")


def test_topic_button_payload(conversation):
    chat = conversation(language="en")
    reply = chat.text('/choose_topic{"faq_topic":"selection_process"}')
    assert "selection takes 5 steps" in reply


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", "Your message is empty"),
        ("   \n ", "Your message is empty"),
        ("🎉🙂👍", "couldn't find any words"),
        ("<script>alert(1)</script>", "only contains code or HTML"),
        ("salary " * 3000, "too long for me"),
    ],
)
def test_bad_input_gets_a_clear_answer_in_the_language(conversation, message, expected):
    chat = conversation(language="en")
    reply = chat.text(message)
    assert expected in reply
    assert "<script>" not in reply


def test_html_is_never_echoed_and_sql_is_just_text(conversation):
    chat = conversation(language="fr")
    for text in ["<img src=x onerror=alert(1)> bonjour", "'; DROP TABLE events; --"]:
        for message in chat.say(text):
            assert "<img" not in message.get("text", "")
            assert "DROP TABLE" not in message.get("text", "")
    assert chat.text("c'est quoi le salaire ?")  # the tracker store still works


@pytest.mark.parametrize(
    "body",
    [
        b'{"sender": "x", "message": ',
        b"[1, 2]",
        b'{"message": "hi"}',
        b'{"sender": "x", "message": 3}',
    ],
)
def test_broken_requests_get_a_json_4xx_and_the_server_keeps_serving(stack, conversation, body):
    status, reply = post("/webhooks/rest/webhook", body)
    assert 400 <= status < 500
    assert "error" in reply
    assert conversation(language="en").text("hello")


def test_nlg_unknown_response_and_broken_json(stack):
    import urllib.request

    token = stack.env["EIG_NLG_TOKEN"]

    def nlg(body: bytes, query: str = f"?token={token}") -> tuple[int, dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{stack.ports.web}/nlg{query}",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, reply = nlg(
        json.dumps({"response": "utter_nope", "tracker": {"slots": {"language": "en"}}}).encode()
    )
    assert status == 200 and reply["text"].startswith("Sorry")
    status, reply = nlg(b"{oops")
    assert status == 400 and "error" in reply
    status, reply = nlg(b'{"response": "utter_greet"}', query="")
    assert status == 401 and "token" in reply["error"]  # only Rasa, which has the token
