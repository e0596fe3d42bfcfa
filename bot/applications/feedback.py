"""Answer feedback: "was this answer helpful?", yes or no, per bot message.

The widget's buttons under each answer send the message's id (made by the NLG service for
each message it renders), the response's name (``utter_faq/salary``), the language, yes or
no, and after a "no" an optional short comment. One row per message id: a later answer
for the same message (the comment after the "no") replaces the earlier one.

No personal data is stored: no session id, no address, and the comment goes through the
redaction applied to every other free text (``bot.domain.personal.scrub_text``: e-mail
addresses), plus phone and other long numbers, as in the unanswered-questions report,
before it is written. It is cut to ``MAX_COMMENT`` characters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.applications.storage import Storage as Storage  # the web service opens it
from bot.applications.storage import StorageError as StorageError
from bot.applications.storage import answer_feedback
from bot.domain import personal
from bot.domain.language import LANGUAGES

MAX_COMMENT = 500
_MESSAGE_ID = re.compile(r"[0-9a-f]{32}")
_RESPONSE = re.compile(r"utter_[A-Za-z0-9_/]{1,94}")
# A phone number or any run of six digits or more, spaces, dots or dashes between them.
_NUMBER = re.compile(r"\+?\d(?:[\s.\-]?\d){5,}")
NUMBER_PLACEHOLDER = "[number]"


class InvalidFeedback(ValueError):
    """A feedback that cannot be stored; the message names the field, never its value."""


@dataclass(frozen=True)
class Feedback:
    message_id: str
    response: str
    language: str
    helpful: bool
    comment: Optional[str] = None


def redact(comment: str) -> str:
    """A comment without e-mail addresses or long numbers, one line, at most MAX_COMMENT."""
    text = re.sub(r"\s+", " ", comment).strip()[:MAX_COMMENT]
    return _NUMBER.sub(NUMBER_PLACEHOLDER, personal.scrub_text(text, None))


def parse(body: Any) -> Feedback:
    """The feedback in a request body, checked; ``InvalidFeedback`` names what is wrong."""
    if not isinstance(body, dict):
        raise InvalidFeedback("body must be a JSON object")
    message_id, response = body.get("message_id"), body.get("response")
    language, helpful, comment = body.get("language"), body.get("helpful"), body.get("comment")
    if not isinstance(message_id, str) or not _MESSAGE_ID.fullmatch(message_id):
        raise InvalidFeedback("'message_id' must be 32 hexadecimal digits")
    if not isinstance(response, str) or not _RESPONSE.fullmatch(response):
        raise InvalidFeedback("'response' must be a response name")
    if language not in LANGUAGES:
        raise InvalidFeedback("'language' must be one of " + ", ".join(LANGUAGES))
    if not isinstance(helpful, bool):
        raise InvalidFeedback("'helpful' must be true or false")
    if comment is not None and not isinstance(comment, str):
        raise InvalidFeedback("'comment' must be a string")
    if comment is not None and len(comment) > 4 * MAX_COMMENT:
        raise InvalidFeedback(f"'comment' must be at most {MAX_COMMENT} characters")
    text = redact(comment) if comment and not helpful else None
    return Feedback(message_id, response, str(language), helpful, text or None)


def record(storage: Storage, feedback: Feedback, now: Optional[dt.datetime] = None) -> None:
    """Store ``feedback``, replacing an earlier one for the same message."""
    row = {
        "response": feedback.response,
        "language": feedback.language,
        "helpful": feedback.helpful,
        "comment": feedback.comment,
        "created_at": now or dt.datetime.now(dt.timezone.utc),
    }
    table = answer_feedback
    try:
        with storage.engine.begin() as connection:
            updated = connection.execute(
                table.update().where(table.c.message_id == feedback.message_id).values(**row)
            ).rowcount
            if not updated:
                connection.execute(table.insert().values(message_id=feedback.message_id, **row))
    except SQLAlchemyError as error:
        raise StorageError(f"feedback not stored ({type(error).__name__})") from None


def counts(storage: Storage) -> dict[str, dict[str, int]]:
    """``{response: {"helpful": n, "not_helpful": m}}``, for the content team."""
    table = answer_feedback
    query = sa.select(table.c.response, table.c.helpful, sa.func.count()).group_by(
        table.c.response, table.c.helpful
    )
    summary: dict[str, dict[str, int]] = {}
    with storage.engine.connect() as connection:
        for response, helpful, count in connection.execute(query):
            entry = summary.setdefault(response, {"helpful": 0, "not_helpful": 0})
            entry["helpful" if helpful else "not_helpful"] += int(count)
    return summary
