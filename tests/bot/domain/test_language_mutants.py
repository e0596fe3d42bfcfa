"""Language choices where mutation testing found them untested: the language switch from
English, Accept-Language qualities, an empty message's detection and the rounding of a
confidence (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

from typing import Any, Optional

import pytest

from bot.domain import language


@pytest.mark.parametrize(("current", "switched"), [("fr", "en"), ("en", "fr")])
def test_asking_to_change_language_switches_to_the_other_one(current: str, switched: str) -> None:
    about = {"about_language": True}  # "change de langue": the message speaks of languages
    assert language.decide(current, about, {}, intent="change_language") == switched
    # The intent alone, on a message that does not ("et pour 15 ans ?"), switches nothing.
    assert language.decide(current, {}, {}, intent="change_language") == current


def test_metadata_that_is_not_a_mapping_is_ignored_at_session_start() -> None:
    assert language.decide(None, None, "en") == language.DEFAULT_LANGUAGE


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("fr;q=1, en", "fr"),  # equal qualities: the first one listed
        ("en;q=abc, fr", "fr"),  # an unreadable quality counts as zero
        ("en;q=0, fr;q=0.1", "fr"),
        (42, None),
    ],
)
def test_accept_language(header: Any, chosen: Optional[str]) -> None:
    assert language.from_accept_language(header) == chosen


def test_an_empty_message_is_in_no_language() -> None:
    assert language.detect("") == language.Detection(None, 0.0, 0, False, None)
    assert language.detect("12 / 06") == language.Detection(None, 0.0, 0, False, None)


@pytest.mark.parametrize("text", ["ok merci", "yes ok", "data science", "le product manager"])
def test_a_confidence_is_a_share_rounded_to_four_decimals(text: str) -> None:
    confidence = language.detect(text).confidence
    assert isinstance(confidence, float)
    assert 0 < confidence < 1
    assert confidence == round(confidence, 4)
