"""Languages, gettext catalogs and Babel formatting for the conversation's language.

The current language lives in a ContextVar so concurrent requests in the aiohttp service
never see each other's language. The supported languages and the reading of a language
tag are the domain's (``bot.domain.language``), re-exported here for the code that renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from typing import Optional

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_time as _format_time
from babel.dates import format_timedelta
from babel.lists import format_list as _format_list
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations
from babel.units import format_unit

from bot import ROOT
from bot.domain.language import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE
from bot.domain.language import LANGUAGES as LANGUAGES
from bot.domain.language import from_accept_language as from_accept_language
from bot.domain.language import normalize as normalize

LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"
# Babel locales used for formatting: British English writes "3 April 2022".
FORMAT_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


class CatalogMissing(RuntimeError):
    """The compiled catalogs (.mo) are absent: run ``make catalogs``."""


@cache
def translations(language: str) -> NullTranslations:
    mo = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        raise CatalogMissing(f"{mo} is missing: run `make catalogs`")
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def has_message(msgid: str, language: Optional[str] = None) -> bool:
    catalog = translations(language or current_language.get())
    return catalog.gettext(msgid) != msgid


def _(msgid: str) -> str:
    """The translation of ``msgid`` in the current language."""
    return translations(current_language.get()).gettext(msgid)


@contextmanager
def using(language: Optional[str]) -> Iterator[str]:
    """Run a block in ``language`` (or the default), restoring the previous one after."""
    chosen = normalize(language) or DEFAULT_LANGUAGE
    token = current_language.set(chosen)
    try:
        yield chosen
    finally:
        current_language.reset(token)


def _locale() -> Locale:
    return Locale.parse(FORMAT_LOCALES[current_language.get()])


def money(amount: int | float | Decimal) -> str:
    """Euros with no cents: ``4 250 €`` in French, ``€4,250`` in English."""
    locale = _locale()
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace(".00", "").replace(",00", "")
    return format_currency(amount, "EUR", format=pattern, locale=locale, currency_digits=False)


def number(value: int | float) -> str:
    return format_decimal(value, locale=_locale())


def percent(value: int | float) -> str:
    """``6`` → ``6 %`` / ``6%``."""
    return format_percent(Decimal(value) / 100, locale=_locale())


def date(value: dt.date) -> str:
    """``3 avril 2022`` / ``3 April 2022``."""
    return _format_date(value, format="long", locale=_locale())


def month(value: str) -> str:
    """A partial ``YYYY-MM`` date as ``septembre 2022`` / ``September 2022``."""
    year, _, mon = value.partition("-")
    if not mon:
        return year
    return _format_date(dt.date(int(year), int(mon), 1), format="LLLL y", locale=_locale())


def join(items: Sequence[str]) -> str:
    """``a, b et c`` / ``a, b and c``."""
    return _format_list(list(items), locale=_locale()) if items else ""


def ordinal(value: int) -> str:
    """``7`` → ``7e`` / ``7th``; ``1`` → ``1re`` / ``1st``."""
    if current_language.get() == "fr":
        return "1re" if value == 1 else f"{value}e"
    if 10 <= value % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def days(count: int) -> str:
    """``1 jour`` / ``5 days``, with the language's plural rules."""
    return format_timedelta(
        dt.timedelta(days=count), granularity="day", threshold=10**6, locale=_locale()
    )


def years(count: int) -> str:
    """``12 ans`` / ``1 year``, with the language's plural rules."""
    return format_unit(count, "duration-year", length="long", locale=_locale())


def months(count: int) -> str:
    """``12 mois`` / ``1 month``; a whole number of years also in years: ``1 an (12 mois)``
    / ``1 year (12 months)``, as the official texts say "un an minimum"."""
    in_months = format_unit(count, "duration-month", length="long", locale=_locale())
    if count and count % 12 == 0:
        return f"{years(count // 12)} ({in_months})"
    return in_months


def join_or(items: Sequence[str]) -> str:
    """``a, b ou c`` / ``a, b or c``."""
    return _format_list(list(items), style="or", locale=_locale()) if items else ""


def time(value: dt.time) -> str:
    """``14:00`` / ``14:00`` (24-hour clock in both languages, as French sites write it)."""
    return _format_time(value, format="HH:mm", locale=_locale())
