"""Answers read where mutation testing found the readers untested: years at their limits,
durations in months and numbers in words followed by more words, first names as typed,
free text at its limits, "other" with punctuation, questions without a question mark
(docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import pytest

from bot.domain import reading

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("depuis 2026", 0),  # started this year
        ("since 1966", 60),  # the most the form accepts
        ("since 1965", None),
        ("2015.", 11),  # a bare year, with a full stop
        ("24 mois", 2),
        ("18 mois d'expérience", 1),
        ("vingt mois environ", 1),
        ("vingt et un mois environ", 1),
        ("twenty and one years", 21),
        ("quinze mois environ", 1),
        ("six mois environ", 0),
        ("dix, une bonne dizaine", 10),  # "une" is an article here, not one
        ("twenty, a lot", 20),
        ("un an environ", 1),
        ("une bonne dizaine d'années", 10),
        ("one dozen years", 12),
        ("un peu plus de dix ans", 11),  # beyond ten, as the FAQ reads it
    ],
)
def test_years_of_experience(text: str, years: Optional[int]) -> None:
    assert reading.read_years(text, TODAY) == years


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Anne!", "Anne"),
        ("c'est Xavier.", "Xavier"),
        ("Anne   Marie", "Anne Marie"),
        ("Anne Marie Claire Louise", "Anne Marie Claire Louise"),  # four words: still a name
        ("A" + "b" * 49, "A" + "b" * 49),  # 50 characters: still a name
        ("A" + "b" * 50, None),
        ("marie-Claire", "marie-Claire"),  # capitals as typed are kept
        ("marie", "Marie"),
    ],
)
def test_first_names_as_typed(text: str, name: Optional[str]) -> None:
    assert reading.read_first_name(text) == name


def test_free_text_keeps_at_most_one_blank_line() -> None:
    assert reading.read_free_text("Open data\n\n\n\nfor health", 100) == "Open data\n\nfor health"


@pytest.mark.parametrize(
    ("text", "maximum", "read"),
    [("abc", 100, "abc"), ("ab1", 100, None), ("abcde", 5, "abcde"), ("abcdef", 5, None)],
)
def test_free_text_limits(text: str, maximum: int, read: Optional[str]) -> None:
    assert reading.read_free_text(text, maximum) == read


@pytest.mark.parametrize("text", ["Autre !", "other.", "Aucun."])
def test_other_profile_with_punctuation(text: str) -> None:
    assert reading.read_profile(text) == "other"


@pytest.mark.parametrize(
    ("text", "question"),
    [("combien ça paie", True), ("vraiment ?", True), ("douze ans", False)],
)
def test_a_question_with_or_without_its_mark(text: str, question: bool) -> None:
    assert reading.is_question(text) is question
