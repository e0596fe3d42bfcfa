from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.domain.nlu_keys import DETECTION_KEY, LANGUAGE_KEY, PROBLEM_KEY
from bot.rasa_server.nlu.guard import (
    InputGuard,
    InputVerdict,
    problem,
    without_markup,
    without_preamble,
)
from bot.rasa_server.nlu.language import LanguageDetector, declared_language
from bot.rasa_server.nlu.tokenizer import SpacyLookupTokenizer, fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        (None, "empty"),
        (42, "empty"),
        ("🎉🙂👍", "no_letters"),
        ("1234 !!", "no_letters"),
        ("<script>alert(1)</script>", "markup"),
        ("<p></p>", "markup"),
        ("x" * 1001, "too_long"),
        ("c'est quoi le salaire ?", None),
        ("<b>salaire</b> ?", None),
        ("a < b", None),
    ],
)
def test_problem(text, expected):
    assert problem(text) == expected


def test_markup_is_removed_but_text_kept():
    assert without_markup("<img src=x onerror=alert(1)> bonjour <b>toi</b>") == "bonjour toi"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bonjour, je voudrais connaître le salaire", "je voudrais connaître le salaire"),
        ("Hi! what are the selection steps?", "what are the selection steps?"),
        ("bonjour", "bonjour"),
        ("hello, salary?", "hello, salary?"),  # too short to be a question of its own
        ("bonjour la team", "bonjour la team"),  # no punctuation: a greeting
    ],
)
def test_greeting_preamble(text, expected):
    assert without_preamble(text) == expected


def message(text: str, **data) -> Message:
    return Message(data={TEXT: text, **data})


def test_guard_and_verdict_turn_bad_input_into_a_flagged_fallback():
    flagged = message("x" * 20000)
    InputGuard().process([flagged])
    assert flagged.get(PROBLEM_KEY) == "too_long"
    assert len(flagged.get(TEXT)) == 1000
    flagged.set(INTENT, {"name": "faq", "confidence": 0.9})
    InputVerdict().process([flagged])
    assert flagged.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    assert "input_problem" in flagged.as_dict(only_output_properties=True)


def test_guard_leaves_button_payloads_alone():
    payload = message('/choose_topic{"faq_topic":"salary"}')
    InputGuard().process([payload])
    assert payload.get(TEXT) == '/choose_topic{"faq_topic":"salary"}'
    assert payload.get(PROBLEM_KEY) is None


def test_language_detector_outputs_a_proposal_and_uses_declared_languages_in_training():
    live = message("what is the salary of an EIG")
    LanguageDetector().process([live])
    assert live.get(LANGUAGE_KEY) == "en"
    assert live.as_dict(only_output_properties=True)[DETECTION_KEY]["confident"] is True
    example = message("ok", metadata={"intent": {"language": "fr"}})
    assert declared_language(example) == "fr"


@pytest.fixture(scope="module")
def tokenizer() -> SpacyLookupTokenizer:
    return SpacyLookupTokenizer(SpacyLookupTokenizer.get_default_config())


def test_tokenizer_uses_each_languages_lemmas_without_accents(tokenizer):
    fr = message("Les salaires des développeuses ?", **{LANGUAGE_KEY: "fr"})
    en = message("What are the salaries?", **{LANGUAGE_KEY: "en"})
    fr_lemmas = [t.lemma for t in tokenizer.tokenize(fr, TEXT)]
    en_lemmas = [t.lemma for t in tokenizer.tokenize(en, TEXT)]
    assert "salaire" in fr_lemmas and "le" in fr_lemmas and "?" not in fr_lemmas
    assert "salary" in en_lemmas and "be" in en_lemmas
    assert all(lemma == fold(lemma) for lemma in fr_lemmas)


def test_links_and_addresses_are_left_out_unless_nothing_else_is_left(tokenizer):
    text = "j'ai trouvé https://entrepreneur-interet-general.etalab.gouv.fr/postuler, c'est là ?"
    words = [t.text for t in tokenizer.tokenize(message(text, **{LANGUAGE_KEY: "fr"}), TEXT)]
    assert "trouvé" in words and "là" in words
    assert not any("etalab" in w or "http" in w for w in words)
    mail = message("my address is nora.b@example.fr, ok?", **{LANGUAGE_KEY: "en"})
    assert [t.text for t in tokenizer.tokenize(mail, TEXT)] == ["my", "address", "is", "ok"]
    alone = message("nora.b@example.fr", **{LANGUAGE_KEY: "en"})
    assert [t.text for t in tokenizer.tokenize(alone, TEXT)] == ["nora.b@example.fr"]


def test_fold():
    assert fold("Éligibilité À") == "eligibilite a"


def _features(kind: str, origin: str, attribute: str = TEXT):
    import numpy as np
    import scipy.sparse
    from rasa.shared.nlu.training_data.features import Features

    return Features(scipy.sparse.coo_matrix(np.ones((1, 3))), kind, attribute, origin)


def test_sentence_features_only_drops_the_named_sequence_features_of_the_text():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.rasa_server.nlu.sentence_features import SentenceFeaturesOnly

    component = SentenceFeaturesOnly({"origins": ["words", "chars"]})
    kept = [
        _features("sentence", "words"),
        _features("sentence", "chars"),
        _features("sequence", "lexical"),
        _features("sequence", "words", attribute=INTENT),
    ]
    message = Message(data={TEXT: "quel salaire ?"})
    message.features = [_features("sequence", "words"), *kept, _features("sequence", "chars")]
    training = Message(data={TEXT: "salaire", INTENT: "faq"})
    training.features = [_features("sequence", "chars"), *kept]

    component.process([message])
    component.process_training_data(TrainingData([training]))

    assert message.features == kept
    assert training.features == kept
