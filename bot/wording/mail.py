"""The e-mails the assistant sends, and the pages their links open, in French and English.

Their wording has its own gettext domain, ``mail`` (``locales/{fr,en}/LC_MESSAGES/mail.po``,
``.mo`` built by ``make catalogs``). Each e-mail is a list of blocks (paragraphs, a list of
answers, links) rendered twice by :func:`message`: a plain-text part and an HTML part,
through a Jinja2 template with autoescape, so that an answer someone typed is text in
both, never markup. Messages are built with the standard library's ``email`` package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import cache
from typing import Any, Optional, Union

import jinja2
from babel.support import NullTranslations, Translations

from bot.domain.knowledge import Knowledge
from bot.wording import i18n
from bot.wording.form_answers import FIELD_LABELS, profile_name, yes_no

DOMAIN = "mail"


def MN_(msgid: str) -> str:
    """Marks ``msgid`` for extraction into ``locales/mail.pot``; translated later."""
    return msgid


@cache
def translations(language: str) -> NullTranslations:
    mo = i18n.LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        raise i18n.CatalogMissing(f"{mo} is missing: run `make catalogs`")
    return Translations.load(str(i18n.LOCALES_DIR), [language], DOMAIN)


def M_(msgid: str, **values: Any) -> str:
    """The ``mail`` translation of ``msgid`` in the current language, placeholders filled."""
    text = translations(i18n.current_language.get()).gettext(msgid)
    return text.format(**values) if values else text


# ---- blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Answers:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


Block = Union[Paragraph, Answers, Link]

_HTML = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.5">
{% for block in blocks %}
{% if block.text is defined %}{% for line in block.text.split("\n\n") %}
<p>{% for part in line.split("\n") %}{{ part }}{% if not loop.last %}<br>{% endif %}{% endfor %}</p>
{% endfor %}{% elif block.rows is defined %}
<ul>{% for label, value in block.rows %}
<li><strong>{{ label }}</strong>{{ separator }}{{ value }}</li>
{% endfor %}</ul>
{% else %}
<p><a href="{{ block.url }}" style="color: #000091">{{ block.label }}</a></p>
{% endif %}
{% endfor %}
</body></html>
"""
)


def _text(blocks: Sequence[Block]) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Answers):
            separator = " : " if i18n.current_language.get() == "fr" else ": "
            parts.append("\n".join(f"- {label}{separator}{value}" for label, value in block.rows))
        else:
            parts.append(f"{block.label} :\n{block.url}" if i18n.current_language.get() == "fr"
                         else f"{block.label}:\n{block.url}")  # fmt: skip
    return "\n\n".join(parts) + "\n"


def message(
    sender: str,
    to: str,
    subject: str,
    blocks: Sequence[Block],
    headers: Optional[dict[str, str]] = None,
    now: Optional[dt.datetime] = None,
) -> EmailMessage:
    """An e-mail in the current language: text part first, then the HTML alternative."""
    email = EmailMessage()
    email["Subject"] = subject
    email["From"] = sender
    email["To"] = Address(addr_spec=to)
    email["Date"] = format_datetime(now or dt.datetime.now(dt.timezone.utc))
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    email["Message-ID"] = make_msgid(domain=domain)
    email["Auto-Submitted"] = "auto-generated"
    email["Content-Language"] = i18n.current_language.get()
    for name, value in (headers or {}).items():
        email[name] = value
    email.set_content(_text(blocks), charset="utf-8")
    language = i18n.current_language.get()
    separator = " : " if language == "fr" else ": "
    html = _HTML.render(lang=language, subject=subject, blocks=blocks, separator=separator)
    email.add_alternative(html, subtype="html", charset="utf-8")
    return email


def _footer(k: Knowledge) -> list[Block]:
    return [
        Paragraph(M_("mail_signature")),
        Paragraph(M_("mail_automatic", contact=k.programme.contact.email)),
    ]


# ---- the e-mails -----------------------------------------------------------------------


def notification_confirmation(
    k: Knowledge, language: str, sender: str, to: str, confirm_url: str, hours: int
) -> EmailMessage:
    """ "Confirm your address": the first and only e-mail before the link is followed."""
    with i18n.using(language):
        promotion = i18n.ordinal(k.current.number)
        blocks: list[Block] = [
            Paragraph(M_("mail_notification_confirm_body", promotion=promotion, hours=hours)),
            Link(M_("mail_confirm_link"), confirm_url),
            Paragraph(M_("mail_not_you")),
            *_footer(k),
        ]
        return message(sender, to, M_("mail_notification_confirm_subject"), blocks)


APPLICATION_FIELDS = (
    "target_profile",
    "years_of_experience",
    "entrepreneurial_experience",
    "entrepreneurial_description",
    "led_teams",
    "project_interest",
    "first_name",
    "email",
)
_FIELD_OF_COLUMN = {"years_of_experience": "years_experience"}


def application_answers(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The stored answers of a pre-application as (label, value) in the current language."""
    rows = []
    for column in APPLICATION_FIELDS:
        value = row.get(column)
        if value is None:
            continue
        field = _FIELD_OF_COLUMN.get(column, column)
        if column == "target_profile":
            text = profile_name(value)
        elif column == "years_of_experience":
            text = i18n.years(int(value))
        elif column in ("entrepreneurial_experience", "led_teams"):
            text = yes_no(value)
        else:  # the candidate's own words, on one line; escaped by the HTML template
            text = " ".join(str(value).split())
        rows.append((i18n._(FIELD_LABELS[field]), text))
    return tuple(rows)


def application_confirmation(
    k: Knowledge,
    row: dict[str, Any],
    sender: str,
    confirm_url: str,
    delete_url: str,
    hours: int,
) -> EmailMessage:
    """The reference, the answers, how to delete them, and the link that confirms the
    address, in the pre-application's language."""
    with i18n.using(row["language"]):
        reference = row["reference"]
        blocks: list[Block] = [
            Paragraph(
                M_("mail_application_body", first_name=row["first_name"], reference=reference)
            ),
            Paragraph(M_("mail_application_answers")),
            Answers(application_answers(row)),
            Paragraph(M_("mail_application_confirm", hours=hours)),
            Link(M_("mail_confirm_link"), confirm_url),
            Paragraph(M_("mail_application_delete", reference=reference)),
            Link(M_("mail_delete_link"), delete_url),
            Paragraph(M_("mail_not_you")),
            *_footer(k),
        ]
        subject = M_("mail_application_subject", reference=reference)
        return message(sender, row["email"], subject, blocks)


def call_open(
    k: Knowledge,
    language: str,
    sender: str,
    to: str,
    closes: Optional[dt.date],
    unsubscribe_url: str,
) -> EmailMessage:
    """ "The call is open": the application link, the deadline, a one-click unsubscribe
    (in the body, and as ``List-Unsubscribe`` with ``List-Unsubscribe-Post``, RFC 8058)."""
    with i18n.using(language):
        promotion = i18n.ordinal(k.current.number)
        opening = (
            M_("mail_open_body", promotion=promotion, deadline=i18n.date(closes))
            if closes
            else M_("mail_open_body_no_deadline", promotion=promotion)
        )
        blocks: list[Block] = [
            Paragraph(opening),
            Link(M_("mail_apply_link"), k.programme.links.apply),
            Paragraph(M_("mail_open_unsubscribe")),
            Link(M_("mail_unsubscribe_link"), unsubscribe_url),
            *_footer(k),
        ]
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return message(sender, to, M_("mail_open_subject", promotion=promotion), blocks, headers)


def cancellation(
    k: Knowledge, language: str, sender: str, to: str, unsubscribe_url: str
) -> EmailMessage:
    """The link that cancels a notification request, asked for in the chat."""
    with i18n.using(language):
        blocks: list[Block] = [
            Paragraph(M_("mail_cancel_body")),
            Link(M_("mail_unsubscribe_link"), unsubscribe_url),
            Paragraph(M_("mail_not_you")),
            *_footer(k),
        ]
        return message(sender, to, M_("mail_cancel_subject"), blocks)


# ---- the pages of the links ------------------------------------------------------------

# Each action a link leads to: the page's title, its text, its button, and what it says
# once done.
PAGES = {
    "confirm": (
        MN_("mail_page_confirm_title"),
        MN_("mail_page_confirm_text"),
        MN_("mail_page_confirm_button"),
        MN_("mail_page_confirm_done"),
    ),
    "unsubscribe": (
        MN_("mail_page_unsubscribe_title"),
        MN_("mail_page_unsubscribe_text"),
        MN_("mail_page_unsubscribe_button"),
        MN_("mail_page_unsubscribe_done"),
    ),
    "delete": (
        MN_("mail_page_delete_title"),
        MN_("mail_page_delete_text"),
        MN_("mail_page_delete_button"),
        MN_("mail_page_delete_done"),
    ),
}
PAGE_STRINGS = (
    MN_("mail_page_invalid"),
    MN_("mail_page_unavailable"),
    MN_("mail_page_home"),
    MN_("mail_page_service"),
)
