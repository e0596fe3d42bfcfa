"""The handlers: Rasa's NLG endpoint, the health check, and what any request to /nlg gets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import load_tracker


async def test_nlg_renders_in_the_trackers_language(client):
    body = {
        "response": "utter_faq/salary",
        "arguments": {},
        "tracker": load_tracker("english_conversation"),
        "channel": {"name": "rest"},
    }
    reply = await client.post("/nlg", json=body)
    assert reply.status == 200
    data = await reply.json()
    assert "€4,250 net a month" in data["text"]
    assert data["buttons"] == []


async def test_nlg_says_each_messages_language_id_and_response(client):
    """The reply's language and the conversation's (a single message in the other language
    leaves it), a fresh message id, and the response name: Rasa keeps them in the bot
    message's metadata, and our channels send them with it."""
    tracker = load_tracker("english_conversation")
    body = {"response": "utter_faq/salary", "arguments": {}, "tracker": tracker}
    first = await (await client.post("/nlg", json=body)).json()
    assert first["language"] == "en" and first["conversation_language"] == "en"
    assert first["response"] == "utter_faq/salary"
    assert len(first["message_id"]) == 32 and int(first["message_id"], 16) >= 0
    slots = {**tracker["slots"], "language": "en", "home_language": "fr"}
    second = await (
        await client.post("/nlg", json={**body, "tracker": {**tracker, "slots": slots}})
    ).json()
    assert "net a month" in second["text"]
    assert second["language"] == "en" and second["conversation_language"] == "fr"
    assert second["message_id"] != first["message_id"]
    # A model trained before the slot existed: the actions' slot event says it.
    older = {k: v for k, v in slots.items() if k != "home_language"}
    events = [*tracker.get("events", []), {"event": "slot", "name": "home_language", "value": "fr"}]
    third_tracker = {**tracker, "slots": older, "events": events}
    third = await (await client.post("/nlg", json={**body, "tracker": third_tracker})).json()
    assert third["language"] == "en" and third["conversation_language"] == "fr"


async def test_nlg_retrieval_response_and_buttons(client):
    body = {
        "response": "utter_greet",
        "arguments": {},
        "tracker": load_tracker("new_session_english_page"),
    }
    data = await (await client.post("/nlg", json=body)).json()
    assert data["text"].startswith("Hello!")
    assert [b["title"] for b in data["buttons"]][:2] == ["Profiles sought", "Pay"]


@pytest.mark.parametrize(
    ("question", "about", "not_about"),
    [
        ("can I work remotely from Lyon?", "remote work", "nationality"),
        ("do you sponsor work visas?", "nationality", "remote work"),
        ("any meal vouchers?", "meal vouchers", "nationality"),
    ],
)
async def test_the_not_in_sources_answer_reads_the_question_it_answers(
    client, question, about, not_about
):
    tracker = load_tracker("english_conversation")
    tracker["latest_message"] = {**(tracker.get("latest_message") or {}), "text": question}
    body = {"response": "utter_faq/not_in_sources", "arguments": {}, "tracker": tracker}
    data = await (await client.post("/nlg", json=body)).json()
    assert "do not answer this question" in data["text"]
    assert about in data["text"] and not_about not in data["text"]


@pytest.mark.parametrize(
    "payload", [b"{not json", b"[1, 2]", b'"text"', b"", '{"response": "\u00e9"'.encode()]
)
async def test_broken_requests_get_a_json_4xx(client, payload):
    reply = await client.post("/nlg", data=payload, headers={"Content-Type": "application/json"})
    assert 400 <= reply.status < 500
    assert "error" in await reply.json()


@pytest.mark.parametrize("response", [None, 42, "", ["utter_greet"]])
async def test_missing_or_wrong_response_name_is_a_400(client, response):
    reply = await client.post("/nlg", json={"response": response, "tracker": {}})
    assert reply.status == 400
    assert "response" in (await reply.json())["error"]


async def test_unknown_response_name_gets_a_short_apology(client):
    body = {"response": "utter_nope", "tracker": load_tracker("english_conversation")}
    reply = await client.post("/nlg", json=body)
    assert reply.status == 200
    assert (await reply.json())["text"].startswith("Sorry")


async def test_wrong_types_in_arguments_and_tracker_are_ignored(client):
    body = {"response": "utter_default", "arguments": [1], "tracker": "nonsense"}
    data = await (await client.post("/nlg", json=body)).json()
    assert data["text"].startswith("Désolé")


async def test_health_and_unknown_routes(client):
    health = await client.get("/healthz")
    assert (await health.json())["current_promotion"] == 7
    missing = await client.get("/nope")
    assert missing.status == 404
    assert "error" in await missing.json()


# ---- properties: /nlg never fails whatever Rasa (or anyone on loopback) sends ---------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=15,
)
response_names = st.one_of(
    st.sampled_from(["utter_greet", "utter_faq/salary", "utter_did_you_mean", "utter_default",
                     "utter_host_check_result", "utter_invalid_structure_type", "utter_faq/"]),
    st.text(max_size=60),
)  # fmt: skip
nlg_bodies = st.fixed_dictionaries(
    {"response": response_names},
    optional={
        "arguments": st.one_of(json_values, st.dictionaries(
            st.sampled_from(["candidates", "max_chars", "eligible", "structure", "webinar"]),
            json_values)),
        "tracker": st.one_of(json_values, st.fixed_dictionaries({}, optional={
            "slots": st.dictionaries(st.sampled_from(["language", "session_started_metadata"]),
                                     json_values),
            "latest_message": json_values, "events": st.lists(json_values, max_size=5),
            "sender_id": st.text(max_size=10)})),
        "channel": json_values,
    },
)  # fmt: skip
NLG_SETTINGS = settings(
    max_examples=80, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@NLG_SETTINGS
@given(body=nlg_bodies)
async def test_any_nlg_request_gets_a_message_or_a_json_4xx(client, body):
    reply = await client.post("/nlg", json=body)
    data = await reply.json()
    if reply.status == 200:
        assert isinstance(data["text"], str) and data["text"]
        assert isinstance(data["buttons"], list)
    else:
        assert reply.status == 400 and data["error"]


@NLG_SETTINGS
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
async def test_random_bytes_to_nlg_get_a_json_answer(client, raw):
    reply = await client.post("/nlg", data=raw, headers={"Content-Type": "application/json"})
    assert reply.status < 500
    assert "error" in await reply.json() or reply.status == 200
