from __future__ import annotations

import pytest

from bot.domain.language import decide, detect, explicit_request


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("in English please", "en"),
        ("can you answer in English?", "en"),
        ("English pls", "en"),
        ("en anglais stp", "en"),
        ("tu peux parler anglais ?", "en"),
        ("en français svp", "fr"),
        ("can we speak French", "fr"),
        ("switch to french", "fr"),
        ("réponds en français", "fr"),
        ("is fluent English required for the job?", None),
        ("le français est-il exigé ?", None),
        ("bonjour", None),
    ],
)
def test_explicit_requests(text, target):
    assert explicit_request(text) == target


@pytest.mark.parametrize(
    ("text", "language", "confident"),
    [
        ("c koi le salaire", "fr", True),
        ("whats the salery for eigs", "en", True),
        ("ok", "en", False),
        ("merci", "fr", False),
        ("t'es un robot ?", "fr", False),  # unsure detector, settled by everyday words
        ("ok oui vas-y", "fr", False),
    ],
)
def test_detection(text, language, confident):
    result = detect(text)
    assert (result.language, result.confident) == (language, confident)


@pytest.mark.parametrize("text", ["jean.dupont@example.org", "42", "06 12 34 56 78", "", "   "])
def test_neutral_messages_have_no_language(text):
    result = detect(text)
    assert result.language is None and not result.confident


def proposal(text: str) -> dict:
    return detect(text).as_dict()


@pytest.mark.parametrize(
    "text", ["ok", "merci", "Jean Dupont", "jean.dupont@example.org", "12", "super", "yes"]
)
def test_short_or_neutral_messages_never_switch(text):
    assert decide("fr", proposal(text), {}) == "fr"
    assert decide("en", proposal(text), {}) == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("good morning", "en"),
        ("what salary", "en"),
        ("bonne journée", "fr"),
        ("quel salaire", "fr"),
    ],
)
def test_two_words_never_switch_however_sure_the_detector_is(text, language):
    detection = detect(text)
    assert (detection.language, detection.words) == (language, 2)
    assert detection.confidence >= 0.8 and not detection.confident
    other = "fr" if language == "en" else "en"
    assert decide(other, detection.as_dict(), {}) == other


@pytest.mark.parametrize(
    ("text", "language"), [("how much pay", "en"), ("quel salaire mensuel", "fr")]
)
def test_three_confident_words_switch(text, language):
    detection = detect(text)
    assert (detection.language, detection.words, detection.confident) == (language, 3, True)
    other = "fr" if language == "en" else "en"
    assert decide(other, detection.as_dict(), {}) == language


def test_a_confident_sentence_switches():
    assert decide("fr", proposal("how much does an EIG earn per month?"), {}) == "en"
    assert decide("en", proposal("quelles sont les étapes de la sélection"), {}) == "fr"


def test_an_explicit_request_always_switches():
    assert decide("en", proposal("en français svp"), {}) == "fr"
    assert decide("fr", proposal("English please"), {"language": "fr"}) == "en"


def test_change_language_intent_without_a_target_toggles():
    assert decide("fr", proposal("change language"), {}, intent="change_language") == "en"


def test_session_start_order_metadata_then_accept_language_then_message_then_french():
    hello = proposal("bonjour")
    assert decide(None, hello, {"language": "en"}) == "en"
    assert decide(None, hello, {"accept_language": "en-GB,en;q=0.9"}) == "en"
    assert decide(None, proposal("hello there"), {}) == "en"  # first message sets it freely
    assert decide(None, proposal("12"), {}) == "fr"
    assert decide(None, hello, {"language": "de"}) == "fr"


@pytest.mark.parametrize("detection", [None, "x", {"language": 3, "confident": "yes"}])
def test_malformed_proposals_are_ignored(detection):
    assert decide("en", detection, None) == "en"
