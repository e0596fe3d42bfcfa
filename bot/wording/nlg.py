"""Renders a response name into text and buttons in the conversation's language.

Rasa calls this for every ``utter_*`` response, FAQ answers included; actions reach it
by dispatching a response name with arguments.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import string
from collections.abc import Callable, Collection, Mapping
from typing import Any, Optional

from bot.domain import asked, fields, question
from bot.domain.knowledge import Knowledge
from bot.wording import answers, form_answers, i18n
from bot.wording.i18n import _

log = logging.getLogger(__name__)
FALLBACK_RESPONSE = "utter_error"
MAX_CANDIDATES = 3


class UnknownResponse(KeyError):
    """The catalog has no message for this response name."""


def placeholders(text: str) -> set[str]:
    """The named ``{placeholders}`` of a catalog message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def language_of(tracker: Optional[Mapping[str, Any]]) -> str:
    """The conversation's language: the ``language`` slot, else its metadata, else French."""
    if not isinstance(tracker, Mapping):
        return i18n.DEFAULT_LANGUAGE
    slots = tracker.get("slots")
    if isinstance(slots, Mapping):
        language = i18n.normalize(slots.get("language"))
        if language:
            return language
        started = slots.get("session_started_metadata")
        if isinstance(started, Mapping):
            language = i18n.normalize(started.get("language"))
            if language:
                return language
    latest = tracker.get("latest_message")
    if isinstance(latest, Mapping) and isinstance(latest.get("metadata"), Mapping):
        language = i18n.normalize(latest["metadata"].get("language"))
        if language:
            return language
    return i18n.DEFAULT_LANGUAGE


def conversation_language_of(tracker: Optional[Mapping[str, Any]]) -> str:
    """The conversation's own language (the ``home_language`` slot), which a single message
    in the other language does not change; else the reply's (``language_of``). A model
    trained before the slot existed leaves it out of the tracker's slots, though the
    actions set it: then its last ``slot`` event says it."""
    if not isinstance(tracker, Mapping):
        return language_of(tracker)
    slots = tracker.get("slots")
    if isinstance(slots, Mapping) and "home_language" in slots:
        return i18n.normalize(slots.get("home_language")) or language_of(tracker)
    events = tracker.get("events")
    for event in reversed(events if isinstance(events, list) else []):
        if isinstance(event, Mapping) and (event.get("event"), event.get("name")) == (
            "slot",
            "home_language",
        ):
            return i18n.normalize(event.get("value")) or language_of(tracker)
    return language_of(tracker)


def message_arguments(name: str, tracker: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    """Arguments read from the user's latest message rather than passed by an action: for
    the not-in-sources answer, which kind of question the texts do not answer it was."""
    if name != "utter_faq/not_in_sources" or not isinstance(tracker, Mapping):
        return {}
    latest = tracker.get("latest_message")
    text = latest.get("text") if isinstance(latest, Mapping) else None
    subject = asked.unknown_subject(text) if isinstance(text, str) else None
    return {"unknown_subject": subject} if subject else {}


def _is_text(limit: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and 0 < len(v) <= limit


def _is_int(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _is_one_of(choices: Collection[str]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and v in choices


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


# What an action may pass to a response, and the type each argument must have.
ARGUMENTS: dict[str, Callable[[Any], bool]] = {
    "eligible": _is_bool,
    "cofinanced": _is_bool,
    "has_project": _is_bool,
    # the host check's answers on the project (actions/hosts.py)
    "has_sponsor": _is_one_of({"yes", "no", "unsure"}),
    "fits_duration": _is_one_of({"yes", "no", "unsure"}),
    "data_access": _is_one_of({"yes", "no", "unsure"}),
    "structure": _is_one_of(answers.STRUCTURE_LABELS),
    "webinar": _is_text(100),
    "closing": _is_bool,  # a thank-you that a goodbye follows (actions/courtesy.py)
    # the pre-application
    "guess": _is_one_of(answers.PROFILE_LABELS),
    "field": _is_one_of(form_answers.FIELD_LABELS),
    "profile": _is_one_of({*answers.PROFILE_LABELS, "other"}),
    "years": _is_int(0, fields.MAX_YEARS),
    "entrepreneurial": _is_bool,
    "description": _is_text(fields.MAX_ENTREPRENEURIAL_DESCRIPTION),
    "led_teams": _is_bool,
    "project": _is_text(fields.MAX_PROJECT_INTEREST),
    "consent": _is_bool,
    "first_name": _is_text(fields.MAX_FIRST_NAME),
    "email": _is_text(fields.MAX_EMAIL),
    "reference": lambda v: isinstance(v, str) and bool(fields.REFERENCE_RE.match(v)),
    "level": _is_one_of(form_answers.LEVEL_LABELS),
    "mailed": _is_bool,  # the confirmation e-mail with the reference is on its way
    # which kind of question the texts do not answer (read from the message, not an action)
    "unknown_subject": _is_one_of(answers.UNKNOWN_SUBJECTS),
    # the case a FAQ question names (bot.domain.question, actions/topics.py)
    "years_exact": _is_bool,
    "per_year": _is_bool,
    "upcoming": _is_bool,  # only what is ahead ("is there one coming up?")
    "seniority": _is_one_of({question.JUNIOR, question.SENIOR}),
    "asked_promotion": _is_int(1, question.MAX_PROMOTION),
    "asked_year": _is_int(1900, 2100),
    "asks_time": _is_bool,
}
LISTS: dict[str, Collection[str]] = {
    "candidates": answers.OFFERABLE,
    "gaps": form_answers.GAP_LABELS,
    "fields": form_answers.SUMMARY_KEYS,
}


def _action_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the arguments actions are allowed to pass, with the right types."""
    kept: dict[str, Any] = {}
    for key, value in arguments.items():
        if key in LISTS and isinstance(value, list):
            kept[key] = [v for v in value if isinstance(v, str) and v in LISTS[key]]
        elif key == "max_chars" and isinstance(value, int) and not isinstance(value, bool):
            kept[key] = i18n.number(value)
        elif key in ARGUMENTS and ARGUMENTS[key](value):
            kept[key] = value
    return kept


def render(
    name: str,
    arguments: Mapping[str, Any],
    language: str,
    knowledge: Knowledge,
    today: dt.date,
) -> dict[str, Any]:
    """The message for ``name`` in ``language``: ``{"text": …, "buttons": […]}``."""
    with i18n.using(language):
        if not i18n.has_message(name):
            raise UnknownResponse(name)
        extra = _action_arguments(arguments)
        reply = answers.build(name, knowledge, today, extra)
        values = {**extra, **reply.args}
        text = _(reply.text or name).format(**values).strip()
        if reply.sources:
            titles = [
                knowledge.sources[s].title.get(language) for s in dict.fromkeys(reply.sources)
            ]
            text += "\n\n" + _("source_line").format(sources=i18n.join(titles))
        buttons: list[dict[str, str]] = [
            {"title": _(title), "payload": payload} for title, payload in reply.buttons
        ]
        for intent in extra.get("candidates", [])[:MAX_CANDIDATES]:
            title, payload = answers.candidate_button(intent)
            buttons.append({"title": _(title), "payload": payload})
        if "candidates" in extra:
            # "Something else" leads to help, unless help is offered already (then last).
            if all(b["payload"] != "/help" for b in buttons):
                buttons.append({"title": _("label_none_of_these"), "payload": "/help"})
            buttons.sort(key=lambda b: b["payload"] == "/help")
        # One message, not several: channels split text on blank lines.
        return {"text": re.sub(r"\n\s*\n+", "\n", text), "buttons": buttons}


def render_safely(
    name: str,
    arguments: Mapping[str, Any],
    language: str,
    knowledge: Knowledge,
    today: dt.date,
) -> dict[str, Any]:
    """Like ``render``, but a broken or unknown response becomes a short apology."""
    try:
        return render(name, arguments, language, knowledge, today)
    except UnknownResponse:
        log.warning("nlg.unknown_response", extra={"response": name[:100]})
    except (KeyError, IndexError, ValueError):
        log.exception("nlg.render_failed", extra={"response": name[:100]})
    return render(FALLBACK_RESPONSE, {}, language, knowledge, today)
