"""The rules of every answer the assistant keeps: limits, formats and checks.

A pre-application and a notification request are made of these fields. The answer readers
(``bot.domain.reading``), the form actions, the NLG endpoint's argument checks and the
applications database all apply the same rules from here, so a value the conversation
accepts is a value the database stores.

Errors name the field and the reason, never the value: the value is personal data.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, Optional

from bot.domain.language import LANGUAGES

__all__ = [
    "CONTROL_RE",
    "EMAIL_RE",
    "LANGUAGES",
    "MAX_EMAIL",
    "MAX_ENTREPRENEURIAL_DESCRIPTION",
    "MAX_FIRST_NAME",
    "MAX_PROJECT_INTEREST",
    "MAX_YEARS",
    "REFERENCE_ALPHABET",
    "REFERENCE_RE",
    "TARGET_PROFILES",
    "ConsentRequired",
    "InvalidSubmission",
    "boolean",
    "choice",
    "consent",
    "integer",
    "new_reference",
    "normalize_email",
    "normalize_reference",
    "text",
]

TARGET_PROFILES = ("product_director", "technical_director", "other")
MAX_FIRST_NAME = 100
MAX_ENTREPRENEURIAL_DESCRIPTION = 500
MAX_PROJECT_INTEREST = 1000
MAX_EMAIL = 254
MAX_YEARS = 60

# Crockford-like alphabet without the look-alikes 0/O, 1/I/L and U: read over the phone,
# typed back from an e-mail. 8 characters from 30 ≈ 39 bits, drawn with `secrets`.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RE = re.compile(rf"^EIG-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]{2,}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidSubmission(ValueError):
    """An input is missing, of the wrong type or too long: names the field, never its value."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ConsentRequired(InvalidSubmission):
    """Personal data without explicit consent is refused."""

    def __init__(self) -> None:
        super().__init__("consent", "explicit consent is required to store personal data")


# ---- References and e-mail addresses ---------------------------------------------------


def new_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"EIG-{chars[:4]}-{chars[4:]}"


def normalize_reference(reference: str) -> str:
    """Upper-case, spaces removed, the hyphens put back: ``eig 7k3p q9xz`` → ``EIG-7K3P-Q9XZ``."""
    compact = re.sub(r"[\s\-_.]", "", str(reference)).upper()
    if compact.startswith("EIG"):
        compact = compact[3:]
    return f"EIG-{compact[:4]}-{compact[4:]}" if len(compact) == 8 else compact


def normalize_email(email: Any) -> str:
    if not isinstance(email, str):
        raise InvalidSubmission("email", "must be a string")
    email = email.strip().lower()
    if len(email) > MAX_EMAIL:
        raise InvalidSubmission("email", f"longer than {MAX_EMAIL} characters")
    if not EMAIL_RE.match(email):
        raise InvalidSubmission("email", "not a valid e-mail address")
    return email


# ---- Checks of one field ---------------------------------------------------------------


def text(field: str, value: Any, maximum: int, required: bool = True) -> Optional[str]:
    """A string without control characters, trimmed, 1 to ``maximum`` characters."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidSubmission(field, "must be a string")
    value = CONTROL_RE.sub("", value).strip()
    if not value:
        if required:
            raise InvalidSubmission(field, "must not be empty")
        return None
    if len(value) > maximum:
        raise InvalidSubmission(field, f"longer than {maximum} characters")
    return value


def boolean(field: str, value: Any, nullable: bool = False) -> Optional[bool]:
    if value is None and nullable:
        return None
    if not isinstance(value, bool):
        raise InvalidSubmission(field, "must be true or false" + (" or null" if nullable else ""))
    return value


def integer(field: str, value: Any, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidSubmission(field, "must be an integer")
    if not minimum <= value <= maximum:
        raise InvalidSubmission(field, f"must be between {minimum} and {maximum}")
    return value


def choice(field: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidSubmission(field, f"must be one of {', '.join(choices)}")
    return str(value)


def consent(value: Any) -> bool:
    """``True`` and nothing else: no personal data is kept on a missing or vague answer."""
    if value is not True:
        raise ConsentRequired()
    return True
