"""The rules of the stored fields: what passes, what is refused, and that a refusal never
quotes the value (personal data)."""

from __future__ import annotations

import pytest

from bot.domain import fields, reading
from bot.domain.fields import ConsentRequired, InvalidSubmission


@pytest.mark.parametrize("value", [False, None, "true", "oui", 1, [True]])
def test_consent_is_true_and_nothing_else(value):
    with pytest.raises(ConsentRequired) as raised:
        fields.consent(value)
    assert raised.value.field == "consent"


def test_consent_given():
    assert fields.consent(True) is True


def test_new_references_follow_the_format_without_look_alike_characters():
    drawn = {fields.new_reference() for _ in range(200)}
    assert len(drawn) == 200
    for reference in drawn:
        assert fields.REFERENCE_RE.match(reference)
        assert not set(reference[4:].replace("-", "")) & set("01ILOU")


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("eig 7k3p q9xz", "EIG-7K3P-Q9XZ"),
        ("EIG7K3PQ9XZ", "EIG-7K3P-Q9XZ"),
        ("7k3p.q9xz", "EIG-7K3P-Q9XZ"),
        ("EIG-7K3P", "7K3P"),  # too short: left as typed, the format check refuses it
    ],
)
def test_references_are_normalised_as_people_type_them(typed, normalised):
    assert fields.normalize_reference(typed) == normalised


def test_emails_are_trimmed_and_lower_cased():
    assert fields.normalize_email("  Anne.Martin@Exemple.FR ") == "anne.martin@exemple.fr"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("anne.martin@exemple", "not a valid e-mail address"),
        ("anne martin@exemple.fr", "not a valid e-mail address"),
        ("a" * 250 + "@exemple.fr", "longer than 254 characters"),
        (42, "must be a string"),
    ],
)
def test_a_refused_email_names_the_field_not_the_value(value, reason):
    with pytest.raises(InvalidSubmission) as raised:
        fields.normalize_email(value)
    assert (raised.value.field, raised.value.reason) == ("email", reason)
    assert str(value) not in str(raised.value)


def test_text_loses_control_characters_and_outer_spaces():
    assert fields.text("project_interest", " la\x00 santé\x1f ", 100) == "la santé"
    assert fields.text("entrepreneurial_description", None, 100, required=False) is None
    assert fields.text("entrepreneurial_description", " \x07 ", 100, required=False) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [(None, "must be a string"), ("  ", "must not be empty"), ("x" * 11, "longer than 10")],
)
def test_a_refused_text_says_why(value, reason):
    with pytest.raises(InvalidSubmission) as raised:
        fields.text("first_name", value, 10)
    assert raised.value.field == "first_name"
    assert raised.value.reason.startswith(reason)


def test_integers_booleans_and_choices():
    assert fields.integer("years_of_experience", 60, 0, fields.MAX_YEARS) == 60
    for wrong in (61, -1, True, 3.0, "3"):
        with pytest.raises(InvalidSubmission):
            fields.integer("years_of_experience", wrong, 0, fields.MAX_YEARS)
    assert fields.boolean("led_teams", None, nullable=True) is None
    with pytest.raises(InvalidSubmission):
        fields.boolean("led_teams", None)
    with pytest.raises(InvalidSubmission):
        fields.boolean("led_teams", "yes")
    assert fields.choice("language", "en", fields.LANGUAGES) == "en"
    with pytest.raises(InvalidSubmission):
        fields.choice("target_profile", "developer", fields.TARGET_PROFILES)


@pytest.mark.parametrize(
    "typed", ["c'est Anne.Martin@Exemple.fr", "<sam@example.org>.", "mail: a.b@c.co"]
)
def test_an_address_the_conversation_reads_is_one_the_database_takes(typed):
    read = reading.read_email(typed)
    assert read is not None
    assert fields.normalize_email(read) == read


def test_a_reference_read_from_text_passes_the_format_check():
    read = reading.read_reference("ma référence : eig 7k3p-q9xz merci")
    assert read == "EIG-7K3P-Q9XZ"
    assert fields.REFERENCE_RE.match(read)
