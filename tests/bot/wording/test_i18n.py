"""Languages, catalogs and Babel formatting in French and English."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest

from bot.wording import i18n


def plain(text: str) -> str:
    """Every whitespace character (narrow / no-break spaces included) as a plain space."""
    return re.sub(r"\s", " ", text)


# ---- formatting --------------------------------------------------------------------------


def test_money_fr_exact_babel_output() -> None:
    with i18n.using("fr"):
        result = i18n.money(4250)
    assert result == "4\u202f250\u00a0€"
    assert plain(result) == "4 250 €"


def test_money_en() -> None:
    with i18n.using("en"):
        assert i18n.money(4250) == "€4,250"


@pytest.mark.parametrize(("language", "expected"), [("fr", "3 avril 2022"), ("en", "3 April 2022")])
def test_date(language: str, expected: str) -> None:
    with i18n.using(language):
        assert i18n.date(dt.date(2022, 4, 3)) == expected


def test_percent_fr() -> None:
    with i18n.using("fr"):
        result = i18n.percent(6)
    assert "6" in result
    assert "%" in result
    assert plain(result) == "6 %"


def test_percent_en() -> None:
    with i18n.using("en"):
        assert i18n.percent(6) == "6%"


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (1, "1re", "1st"),
        (2, "2e", "2nd"),
        (3, "3e", "3rd"),
        (7, "7e", "7th"),
        (11, "11e", "11th"),
        (21, "21e", "21st"),
    ],
)
def test_ordinal(value: int, fr: str, en: str) -> None:
    with i18n.using("fr"):
        assert i18n.ordinal(value) == fr
    with i18n.using("en"):
        assert i18n.ordinal(value) == en


@pytest.mark.parametrize(
    ("count", "fr", "en"),
    [(1, "1 jour", "1 day"), (5, "5 jours", "5 days")],
)
def test_days(count: int, fr: str, en: str) -> None:
    with i18n.using("fr"):
        assert plain(i18n.days(count)) == fr
    with i18n.using("en"):
        assert plain(i18n.days(count)) == en


@pytest.mark.parametrize(
    ("language", "items", "expected"),
    [
        ("fr", ["a", "b", "c"], "a, b et c"),
        ("fr", ["a", "b"], "a et b"),
        ("fr", ["a"], "a"),
        ("fr", [], ""),
        ("en", ["a", "b", "c"], "a, b and c"),
        ("en", ["a", "b"], "a and b"),
        ("en", [], ""),
    ],
)
def test_join(language: str, items: list[str], expected: str) -> None:
    with i18n.using(language):
        assert i18n.join(items) == expected


@pytest.mark.parametrize(
    ("language", "items", "expected"),
    [
        ("fr", ["a", "b", "c"], "a, b ou c"),
        ("fr", ["a", "b"], "a ou b"),
        ("fr", [], ""),
        ("en", ["a", "b", "c"], "a, b or c"),
        ("en", ["a", "b"], "a or b"),
        ("en", [], ""),
    ],
)
def test_join_or(language: str, items: list[str], expected: str) -> None:
    with i18n.using(language):
        assert i18n.join_or(items) == expected


def test_days_fr_exact_babel_output() -> None:
    with i18n.using("fr"):
        assert i18n.days(5) == "5\u00a0jours"


# ---- language codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en-GB", "en"),
        ("EN", "en"),
        ("en_US", "en"),
        (" fr-CA ", "fr"),
        ("fr", "fr"),
        ("de", None),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_normalize(value: object, expected: str | None) -> None:
    assert i18n.normalize(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8,fr;q=0.7", "en"),
        ("fr-CH, fr;q=0.9", "fr"),
        ("en;q=0, fr;q=0.5", "fr"),
        ("fr;q=0.5, en;q=0.6", "en"),
        ("", None),
        (None, None),
        ("de", None),
        ("en;q=0", None),
    ],
)
def test_from_accept_language(header: str | None, expected: str | None) -> None:
    assert i18n.from_accept_language(header) == expected


# ---- the current language ----------------------------------------------------------------


def test_default_language_is_french() -> None:
    assert i18n.current_language.get() == "fr"


@pytest.mark.parametrize(("requested", "chosen"), [("en-GB", "en"), ("de", "fr"), (None, "fr")])
def test_using_yields_the_chosen_language(requested: str | None, chosen: str) -> None:
    with i18n.using(requested) as language:
        assert language == chosen
        assert i18n.current_language.get() == chosen


def test_using_restores_previous_language() -> None:
    with i18n.using("en"):
        with i18n.using("fr"):
            assert i18n.current_language.get() == "fr"
        assert i18n.current_language.get() == "en"
    assert i18n.current_language.get() == "fr"


def test_using_restores_previous_language_on_exception() -> None:
    with i18n.using("en"):
        with pytest.raises(RuntimeError, match="boom"), i18n.using("fr"):
            assert i18n.current_language.get() == "fr"
            raise RuntimeError("boom")
        assert i18n.current_language.get() == "en"
    assert i18n.current_language.get() == "fr"


def test_language_is_isolated_between_asyncio_tasks() -> None:
    log: list[tuple[str, str, str]] = []

    async def speak(language: str) -> list[str]:
        seen = []
        with i18n.using(language):
            log.append(("enter", language, i18n.current_language.get()))
            for _ in range(3):
                await asyncio.sleep(0)  # let the other task run and set its language
                seen.append(i18n.current_language.get())
            log.append(("check", language, i18n.current_language.get()))
        return seen

    async def main() -> tuple[list[str], list[str]]:
        english, french = await asyncio.gather(speak("en"), speak("fr"))
        return english, french

    english, french = asyncio.run(main())
    assert english == ["en", "en", "en"]
    assert french == ["fr", "fr", "fr"]
    # Both tasks were inside their block at the same time, so isolation was really tested.
    assert [kind for kind, _, _ in log[:2]] == ["enter", "enter"]
    assert all(language == current for _, language, current in log)
    assert i18n.current_language.get() == "fr"


# ---- catalogs ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_compiled_catalog_exists(language: str) -> None:
    mo = i18n.LOCALES_DIR / language / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file()
    assert mo.stat().st_size > 0


def test_greeting_is_translated_differently() -> None:
    with i18n.using("fr"):
        french = i18n._("utter_greet")
    with i18n.using("en"):
        english = i18n._("utter_greet")
    assert french != "utter_greet"
    assert english != "utter_greet"
    assert french != english
    assert french.startswith("Bonjour")
    assert english.startswith("Hello")
