from __future__ import annotations

import pytest

from bot.domain.language import (
    asks_about_language,
    asks_language_requirement,
    decide,
    detect,
    explicit_request,
    follow,
    set_aside,
)


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
        # not speaking one language asks for the other
        ("sorry, I don't speak French very well", "en"),
        ("je ne parle pas anglais", "fr"),
        ("je parle pas très bien l'anglais", "fr"),
        ("I can't really read French", "en"),
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
        ("where do I sign up?", "en", True),  # "I" and "up" are English words
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


@pytest.mark.parametrize(
    ("text", "language"), [("et le salary ?", "fr"), ("and the salaire?", "en")]
)
def test_a_guess_its_everyday_words_contradict_is_not_sure(text, language):
    detection = detect(text)
    assert (detection.language, detection.confident) == (language, False)
    assert decide(language, detection.as_dict(), {}) == language


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


# ---- what is not language, and the conversation's language against the reply's


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("ma référence est EIG-7K3M-Q9XZ", "ma référence est"),
        ("jean.dupont@example.org merci", "merci"),
        ("voir data.gouv.fr et https://example.org/x", "voir et"),
        ("je suis Inès Martin", "je suis"),
        ("Jean-Baptiste Martin", ""),
        ("Île-de-France", ""),
        ("Est-ce que je peux postuler ?", "Est-ce que je peux postuler"),
        ("Bonjour. Je voudrais postuler", "Bonjour Je voudrais postuler"),
        ("I am Paul and I want to apply", "I am and I want to apply"),
        ("<b>hello</b> world", "hello world"),
        ('print("hello world") ok', "world ok"),
        ("what does DINUM do", "what does do"),
    ],
)
def test_what_is_not_language_is_set_aside(text, left):
    assert set_aside(text) == left


@pytest.mark.parametrize(
    "text",
    [
        "<p>hello world and welcome</p>",
        "x = foo(bar); what does this code do",
        "a_b c_d e_f g_h",
        "SELECT name FROM users WHERE id = 3",
    ],
)
def test_markup_or_code_is_never_confident(text):
    assert not detect(text).confident


def languages(text: str, home: str | None, replied: str | None, **more) -> tuple[str, str]:
    result = follow(
        home,
        replied,
        proposal(text),
        more.get("metadata"),
        more.get("intent"),
        answers_a_form=more.get("answers_a_form", False),
    )
    return result.reply, result.home


def test_an_answer_to_a_forms_question_never_switches_the_language():
    answer = "Senior software engineer with twelve years of experience"
    assert languages(answer, "fr", "fr") == ("en", "fr")  # outside a form
    assert languages(answer, "fr", "fr", answers_a_form=True) == ("fr", "fr")
    assert languages(answer, "fr", "en", answers_a_form=True) == ("fr", "fr")
    assert languages("in English please", "fr", "fr", answers_a_form=True) == ("en", "en")


def test_one_question_in_the_other_language_is_answered_in_it_without_switching():
    assert languages("what is the salary for an EIG?", "fr", "fr") == ("en", "fr")
    assert languages("ok", "fr", "en") == ("fr", "fr")
    assert languages("merci bcp", "fr", "en") == ("fr", "fr")
    assert languages("quel est le salaire d'un EIG ?", "en", "en") == ("fr", "en")


def test_the_second_confident_message_in_a_row_switches_the_conversation():
    assert languages("and how long is the contract?", "fr", "en") == ("en", "en")
    assert languages("et la durée du contrat ?", "en", "fr") == ("fr", "fr")


@pytest.mark.parametrize(
    "text",
    ["EIG-7K3M-Q9XZ", "anna@example.org", "https://example.org/apply", "Mary Ann Smith",
     "<i>hello there friend</i>", "slt", "ok", "merci bcp", "yes", "Jean-Baptiste"],
)  # fmt: skip
def test_what_is_not_language_is_answered_in_the_conversation_s_language(text):
    assert languages(text, "fr", "fr") == ("fr", "fr")
    assert languages(text, "en", "en") == ("en", "en")
    assert languages(text, "fr", "en") == ("fr", "fr")  # and brings the reply home


def test_a_long_confident_message_switches_the_conversation_at_once():
    paragraph = (
        "Hi there, I have been a product manager for nine years in a fintech and I would like "
        "to know how the selection works"
    )
    assert languages(paragraph, "fr", "fr") == ("en", "en")
    assert languages("and how long is the contract then?", "fr", "fr") == ("en", "fr")


def test_asking_for_one_s_own_language_is_a_request_for_the_language_written_in():
    text = "Bonjour, en fait je préférerais qu'on échange dans ma langue si possible"
    assert detect(text).explicit == "fr"
    assert languages(text, "en", "en") == ("fr", "fr")
    assert detect("can we talk in my own language please").explicit == "en"


@pytest.mark.parametrize(
    "text", ["do I need to speak French?", "il faut parler anglais ?", "faut-il parler français ?"]
)
def test_a_language_required_is_no_request_however_it_is_worded(text):
    assert detect(text).explicit is None
    assert languages(text, "en", "en")[1] == "en"  # the conversation stays in its language


def test_an_explicit_request_switches_both():
    assert languages("in English please", "fr", "fr") == ("en", "en")
    assert languages("en français svp", "en", "fr") == ("fr", "fr")


def test_the_change_language_intent_toggles_the_conversation():
    assert languages("change language", "fr", "fr", intent="change_language") == ("en", "en")


def test_a_session_starts_in_the_page_language_and_answers_the_first_message_in_its_own():
    assert languages("bonjour", None, None, metadata={"language": "en"}) == ("en", "en")
    assert languages("what is the salary for an EIG?", None, None, metadata={"language": "fr"}) == (
        "en",
        "fr",
    )
    assert languages("12", None, None) == ("fr", "fr")


def test_a_conversation_from_before_keeps_its_language():
    assert languages("ok", None, "en") == ("en", "en")


def test_a_language_change_that_does_not_speak_of_languages_switches_nothing():
    assert languages("et pour 15 ans d'expérience ?", "fr", "fr", intent="change_language") == (
        "fr",
        "fr",
    )
    assert languages("do you speak French?", "en", "en", intent="change_language") == (
        "fr",
        "fr",
    )


@pytest.mark.parametrize(
    ("text", "about", "requirement"),
    [
        ("can you speak English?", True, False),
        ("en anglais svp", True, False),
        ("et il faut parler anglais ?", False, True),
        ("do I need to be fluent in French?", False, True),
        ("le niveau d'anglais demandé ?", False, True),
        ("were they in english or french", False, True),  # the webinars' language
        ("les entretiens se passent en anglais ?", False, True),
        ("c'est combien le salaire ?", False, False),
    ],
)
def test_a_language_required_is_not_a_request_to_switch(text, about, requirement):
    assert asks_about_language(text) is about
    assert asks_language_requirement(text) is requirement


@pytest.mark.parametrize(
    ("text", "confident"),
    [
        ("et c'est quel type de contrat ?", True),  # four everyday French words, no English
        ("Et pour le contrat ?", True),  # three
        ("et pour la 5e ?", True),
        ("c'est en net ou en brut ?", True),
        ("et le contrat ?", True),  # two of three words
        ("c'est en net ?", True),
        ("what about the contrat ?", True),
        ("and the salaire?", False),
    ],
)
def test_everyday_words_of_one_language_only_make_an_unsure_guess_sure(text, confident):
    assert detect(text).confident is confident
