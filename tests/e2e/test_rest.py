"""Conversations over REST with the three real services, in both languages."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import post, stored_events


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
    assert "3 avril" not in deadline  # a past call's date would read as a deadline
    assert "ouvrira" not in deadline
    assert "Voulez-vous que je vous prévienne par e-mail à son ouverture ?" in deadline
    assert "s'est clos le 3 avril 2022" in chat.text("et pour la 6e ?")
    assert "Aucun webinaire n'est programmé" in chat.text("il y a des webinaires prévus ?")


def test_a_yes_to_the_offer_after_the_deadline_asks_for_the_address(conversation):
    chat = conversation(language="en")
    when = chat.text("when does the call for applications open?")
    assert "will open soon" in when
    assert "Would you like me to let you know by e-mail when it opens?" in when
    # a yes in words the classifier may read as thanks
    assert "e-mail address" in chat.text("Yes, I would appreciate that.")
    assert chat.slots().get("requested_slot") == "email"


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
    # A confident English sentence is answered in English, a second one in a row switches
    # the conversation…
    assert "€4,250" in chat.text("how much does an EIG earn per month?")
    assert "project contract" in chat.text("what kind of contract is it?")
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


def test_a_lone_surrogate_is_answered_and_stored(stack, conversation):
    """ "salaire \\ud800" as a JSON escape: an answer (it was a 500), stored as U+FFFD."""
    chat = conversation(language="fr")
    body = b'{"sender": "%s", "message": "salaire \\ud800", "metadata": {"language": "fr"}}'
    status, reply = post("/webhooks/rest/webhook", body % chat.sender.encode())
    assert status == 200 and reply and "Traceback" not in json.dumps(reply)
    users = [e for e in stored_events(chat.tracker_db, chat.stored_id) if e["event"] == "user"]
    assert users[-1]["text"] == "salaire \ufffd"


def test_a_short_or_shared_session_id_is_refused_in_the_language(stack):
    for sender, language, expected in (("me", "fr", "identifiant de session"),
                                       ("e2e-1", "en", "session id")):  # fmt: skip
        body = {"sender": sender, "message": "bonjour", "metadata": {"language": language}}
        status, reply = post("/webhooks/rest/webhook", json.dumps(body).encode())
        assert status == 400 and expected in reply["messages"][0]["text"]


def test_rest_and_socketio_conversations_live_apart(stack, conversation):
    """The same id over REST reaches a conversation of its own (rest:<id>), never the
    socket.io session of that id."""
    chat = conversation(language="fr")
    chat.say("bonjour")
    assert stored_events(chat.tracker_db, chat.stored_id)
    assert stored_events(chat.tracker_db, chat.sender) == []


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


# ---- The flows of tests/stories/test_faq.yml and test_hosts.yml, in real turns


def test_english_profiles_selection_and_goodbye(conversation):
    chat = conversation(language="en")
    assert chat.text("hi there").startswith("Hello!")
    profiles = chat.say("who can apply to become an EIG?")
    assert "two profiles with solid entrepreneurial experience" in profiles[0]["text"]
    assert profiles[0]["buttons"] == [
        {"title": "Start my pre-application", "payload": "/pre_apply"}
    ]
    assert "selection takes 5 steps" in chat.text("what are the steps of the selection process")
    # a goodbye that thanks: "you're welcome" first, then the goodbye (actions/courtesy.py)
    assert chat.text("thank you, goodbye").split("\n") == [
        "You're welcome!",
        "Goodbye, and thank you for your interest in the EIG programme!",
    ]
    assert chat.slots()["language"] == "en"


def test_questions_the_sources_do_not_answer_in_both_languages(conversation):
    chat = conversation(language="fr")
    french = chat.text("faut il etre de nationalite francaise pour postuler")
    assert "ne répondent pas à cette question" in french
    assert "entrepreneur-interet-general@data.gouv.fr" in french
    english = chat.text("is remote work allowed for EIGs?")  # answered in its language
    assert "do not answer this question" in english
    assert (chat.slots()["language"], chat.slots()["home_language"]) == ("en", "fr")


def test_out_of_scope_a_bot_question_and_the_menu(conversation):
    chat = conversation(language="en")
    assert chat.text("what's the weather like in Lyon today?").startswith(
        "I can only answer questions about the Entrepreneurs d'intérêt général programme."
    )
    assert chat.text("t'es un robot ?").startswith("I am an automated assistant, not a person.")
    assert chat.slots()["language"] == "en"  # four words of French, not sure enough to switch
    menu = chat.say("what can you do?")
    assert menu[0]["text"].startswith("I can tell you about the EIG programme")
    assert {"title": "Pay", "payload": '/choose_topic{"faq_topic":"salary"}'} in menu[0]["buttons"]


def test_a_topic_button_then_yes_and_no_with_nothing_pending(conversation):
    chat = conversation(language="fr")
    assert "contrat de projet" in chat.text('/choose_topic{"faq_topic": "contract"}')
    for answer in ("ok", "non"):
        reply = chat.say(answer)
        assert reply[0]["text"] == "D'accord. Que voulez-vous savoir sur le programme EIG ?"
        assert reply[0]["buttons"][0]["payload"] == '/choose_topic{"faq_topic":"profiles"}'
    assert chat.slots().get("requested_slot") is None


def test_a_message_the_assistant_is_unsure_of_gets_did_you_mean(conversation):
    chat = conversation(language="fr")
    reply = chat.say("combien de temps")
    assert reply[0]["text"] == (
        "Je ne suis pas sûr d'avoir compris. Vouliez-vous parler de l'un de ces sujets ?"
    )
    buttons = reply[0]["buttons"]
    assert buttons[-1]["payload"] == "/help"  # "Autre chose", or help when it is a candidate
    assert buttons[:-1] and all(b["payload"].startswith("/choose_topic{") for b in buttons[:-1])


def test_unclear_who_wants_to_take_part_then_a_candidate(conversation):
    chat = conversation(language="fr")
    ask = chat.say("je veux participer au programme")
    assert ask[0]["text"] == "Avec plaisir ! Vous souhaitez participer en tant que :"
    assert [b["payload"] for b in ask[0]["buttons"]] == ["/i_am_candidate", "/i_am_administration"]
    welcome = chat.say("/i_am_candidate")
    assert welcome[0]["text"].startswith("Parfait ! Pour la 7e promotion, le programme recherche")
    assert welcome[0]["buttons"][0]["payload"] == "/pre_apply"
    assert chat.slots()["audience"] == "candidate"
    assert chat.text("merci beaucoup").startswith("Avec plaisir !")


def test_the_databases_are_readable_by_their_owner_only(stack, conversation):
    import stat

    conversation(language="fr").say("bonjour")  # the conversation store has been written
    for name in ("tracker.db", "applications.db"):
        path = stack.var_dir / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
