"""A yes word followed by a negation is a no, never a consent: "absolument pas"."""

from __future__ import annotations

import pytest

from bot.domain.reading import read_yes_no


@pytest.mark.parametrize(
    "text",
    ["absolument pas", "Certainement pas !", "bien sûr que non", "of course not",
     "certainly not", "absolument pas du tout", "definitely not"],
)  # fmt: skip
def test_an_emphatic_word_then_a_negation_is_a_no(text):
    assert read_yes_no(text) is False


@pytest.mark.parametrize(
    "text",
    ["absolument", "bien sûr", "oui, pas de souci", "ok pas de problème", "sure, no problem"],
)
def test_a_yes_with_no_trouble_is_a_yes(text):
    assert read_yes_no(text) is True


@pytest.mark.parametrize("text", ["oui non", "yes not"])
def test_a_plain_yes_then_a_no_says_nothing(text):
    assert read_yes_no(text) is None
