"""What a refused field says: the field and the reason, in the message that logs and the
NLG endpoint's 400 answers show (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import pytest

from bot.domain import fields
from bot.domain.fields import ConsentRequired, InvalidSubmission


def test_an_invalid_submission_reads_field_colon_reason() -> None:
    error = InvalidSubmission("email", "not a valid e-mail address")
    assert str(error) == "email: not a valid e-mail address"


def test_a_missing_consent_says_what_is_required() -> None:
    with pytest.raises(ConsentRequired) as raised:
        fields.consent("yes")
    assert str(raised.value) == "consent: explicit consent is required to store personal data"
    assert raised.value.reason == "explicit consent is required to store personal data"


@pytest.mark.parametrize(
    ("check", "field", "reason"),
    [
        (lambda: fields.boolean("led_teams", "yes"), "led_teams", "must be true or false"),
        (
            lambda: fields.boolean("led_teams", "yes", nullable=True),
            "led_teams",
            "must be true or false or null",
        ),
        (lambda: fields.integer("years", "12", 0, 60), "years", "must be an integer"),
        (lambda: fields.integer("years", 61, 0, 60), "years", "must be between 0 and 60"),
        (
            lambda: fields.choice("target_profile", "astronaut", fields.TARGET_PROFILES),
            "target_profile",
            "must be one of product_director, technical_director, other",
        ),
    ],
)
def test_a_refused_value_names_its_field_and_the_rule(check, field: str, reason: str) -> None:
    with pytest.raises(InvalidSubmission) as raised:
        check()
    assert (raised.value.field, raised.value.reason) == (field, reason)


def test_values_at_their_limits_are_accepted() -> None:
    local = "a" * 64
    address = f"{local}@{'b' * (fields.MAX_EMAIL - len(local) - 5)}.org"
    assert len(address) == fields.MAX_EMAIL
    assert fields.normalize_email(address) == address
    with pytest.raises(InvalidSubmission):
        fields.normalize_email("a" + address)
    assert fields.text("first_name", "x" * 5, maximum=5) == "xxxxx"
    assert fields.integer("years", 0, 0, 60) == 0
    assert fields.integer("years", 60, 0, 60) == 60
