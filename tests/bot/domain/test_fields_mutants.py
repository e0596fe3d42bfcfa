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
