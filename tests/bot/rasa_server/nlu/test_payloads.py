"""A message starting with "/" is a payload only when it is a known one; anything else
reaches the classifiers as words, and Rasa's RegexMessageHandler, which quotes the whole
text in its warnings, never sees it. Checked against Rasa's own handler and domain.yml."""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.graph_components.providers.domain_provider import DomainProvider
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import ROOT
from bot.domain.nlu_keys import PROBLEM_KEY
from bot.rasa_server.nlu.guard import InputGuard, InputVerdict, Payloads

EMAIL = "moi@example.org"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def payloads(domain: Domain) -> Payloads:
    return Payloads.of(domain)


def button_payloads() -> set[str]:
    """Every payload the wording puts on a button, with an example value for JSON ones."""
    found = set()
    for path in (ROOT / "bot" / "wording").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'"(/[a-z_]+)"\)', source))
        for intent, entity in re.findall(
            r'"(/[a-z_]+)"\s*\+\s*json\.dumps\(\{"([a-z_]+)"', source
        ) + re.findall(r'\{"([a-z_]+)": [a-z]+\}.*\n.*f"(/[a-z_]+)\{', source):
            if intent.startswith("/"):
                found.add(f'{intent}{{"{entity}":"value"}}')
            else:
                found.add(f'{entity}{{"{intent}":"value"}}')
    return found


def test_every_button_of_the_wording_is_a_known_payload(payloads: Payloads) -> None:
    buttons = button_payloads()
    assert {"/affirm", "/deny", "/pre_apply", '/choose_topic{"faq_topic":"value"}'} <= buttons
    assert '/inform{"structure_type":"value"}' in buttons
    assert [button for button in sorted(buttons) if not payloads.accepts(button)] == []


@pytest.mark.parametrize(
    "text",
    [
        "/affirm",
        "  /deny ",
        '/choose_topic{"faq_topic":"salary"}',
        '/inform{"structure_type": "commune", "target_profile": ["a", "b"]}',
        '/correct{"form_field":"email"}',
        '/inform{"webinar_id": 3}',
    ],
)
def test_known_payloads_are_left_as_they_are(payloads: Payloads, text: str) -> None:
    assert payloads.accepts(text)
    assert payloads.read(text) == text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (f"/contact {EMAIL}", f"contact {EMAIL}"),
        (f"/{EMAIL}", EMAIL),
        ("/unknown_intent", "unknown_intent"),
        (f'/affirm{{"email":"{EMAIL}"}}', f'affirm{{"email":"{EMAIL}"}}'),  # unknown entity
        (
            f'/inform{{"faq_topic":{{"email":"{EMAIL}"}}}}',
            f'inform{{"faq_topic":{{"email":"{EMAIL}"}}}}',
        ),
        (f'/inform{{"faq_topic": null}} {EMAIL}', f'inform{{"faq_topic": null}} {EMAIL}'),
        ('/inform{"faq_topic": NaN}', 'inform{"faq_topic": NaN}'),
        (f"/affirm {EMAIL}", f"affirm {EMAIL}"),  # a known intent, then words
        (f"/affirm@0.9 {EMAIL}", f"affirm@0.9 {EMAIL}"),
        (f'/inform{{"faq_topic":\n"{EMAIL}"}}', f'inform{{"faq_topic":\n"{EMAIL}"}}'),
        (f"/inform{{{EMAIL}", f"inform{{{EMAIL}"),  # broken JSON
        ('/inform["faq_topic"]', 'inform["faq_topic"]'),
        (f"  // /salaire {EMAIL}", f"salaire {EMAIL}"),
        ("/", ""),
        ("/faq/salary", "faq/salary"),
    ],
)
def test_any_other_slash_text_is_read_as_words(payloads: Payloads, text: str, words: str) -> None:
    assert not payloads.accepts(text)
    assert payloads.read(text) == words


def handled_by_rasa(
    text: str, domain: Domain, caplog: pytest.LogCaptureFixture, capsys
) -> tuple[Message, str]:
    """Rasa's own RegexMessageHandler on ``text``: the message, and everything it said."""
    caplog.clear()
    capsys.readouterr()
    with warnings.catch_warnings(record=True) as said, caplog.at_level(logging.DEBUG):
        warnings.simplefilter("always")
        [message] = RegexMessageHandler().process([Message({TEXT: text})], domain)
    captured = capsys.readouterr()
    told = [str(w.message) for w in said] + [r.getMessage() for r in caplog.records]
    return message, "\n".join([*told, captured.out, captured.err])


@pytest.mark.parametrize(
    "text",
    [
        f"/contact {EMAIL}",
        f'/affirm{{"email":"{EMAIL}"}}',
        f"/affirm {EMAIL}",
        f"/inform{{{EMAIL}",
        f"/{EMAIL}",
    ],
)
def test_rasa_would_log_these_texts_and_after_the_guard_says_nothing(
    domain: Domain, payloads: Payloads, text: str, caplog, capsys
) -> None:
    _, said = handled_by_rasa(text, domain, caplog, capsys)
    assert EMAIL in said  # what happens without the guard
    guarded = Message({TEXT: text})
    InputGuard(payloads).process([guarded])
    message, said = handled_by_rasa(guarded.get(TEXT), domain, caplog, capsys)
    assert EMAIL not in said and said.strip() == ""
    assert message.get(INTENT) is None  # left to the classifiers


def test_a_known_payload_still_sets_its_intent_and_entities(
    domain, payloads, caplog, capsys
) -> None:
    guarded = Message({TEXT: '/choose_topic{"faq_topic":"salary"}'})
    InputGuard(payloads).process([guarded])
    message, said = handled_by_rasa(guarded.get(TEXT), domain, caplog, capsys)
    assert said.strip() == ""
    assert message.get(INTENT)["name"] == "choose_topic"
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("faq_topic", "salary")]


def test_words_after_a_slash_are_checked_like_any_message(payloads: Payloads) -> None:
    empty = Message({TEXT: "/"})
    markup = Message({TEXT: "/<b>"})
    InputGuard(payloads).process([empty, markup])
    assert empty.get(PROBLEM_KEY) == "empty" and markup.get(PROBLEM_KEY) == "markup"
    empty.set(INTENT, {"name": "affirm", "confidence": 0.9})
    InputVerdict().process([empty])
    assert empty.get(INTENT)["name"] == "nlu_fallback"


def test_the_guard_reads_the_domain_of_the_model_it_is_loaded_from(tmp_path: Path, domain) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("domain_provider")
    with storage.write_to(resource) as directory:
        domain.persist(directory / "domain.yml")
    schema = GraphSchema(
        {
            "domain_provider": SchemaNode(
                needs={}, uses=DomainProvider, constructor_name="load", fn="provide_inference",
                config={}, resource=resource,
            ),
        }
    )  # fmt: skip
    guard = InputGuard.load({}, storage, Resource("guard"), ExecutionContext(schema))
    assert isinstance(guard, InputGuard)
    assert guard.payloads == Payloads.of(domain)
    assert "choose_topic" in (guard.payloads.intents or ())
    # A model without a domain (NLU only): well-formed names pass, Rasa checks none either.
    bare = InputGuard.load({}, storage, Resource("guard"), ExecutionContext(GraphSchema({})))
    assert isinstance(bare, InputGuard) and bare.payloads == Payloads()
    assert bare.payloads.read("/anything") == "/anything"
    assert bare.payloads.read(f"/contact {EMAIL}") == f"contact {EMAIL}"
