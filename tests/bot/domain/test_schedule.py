"""Date logic: call status, webinars ahead and past."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import knowledge, schedule
from bot.domain.knowledge import Call
from bot.domain.schedule import CallStatus

OPENS = dt.date(2021, 3, 1)
CLOSES = dt.date(2021, 5, 2)
CALL = Call(opens=OPENS, closes=CLOSES)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        pytest.param(
            dt.date(2021, 2, 20),
            CallStatus(schedule.SCHEDULED, OPENS, CLOSES, days_until_open=9),
            id="before-opening",
        ),
        pytest.param(
            dt.date(2021, 2, 28),
            CallStatus(schedule.SCHEDULED, OPENS, CLOSES, days_until_open=1),
            id="day-before-opening",
        ),
        pytest.param(
            OPENS,
            CallStatus(schedule.OPEN, OPENS, CLOSES, days_left=62),
            id="opening-day",
        ),
        pytest.param(
            dt.date(2021, 4, 22),
            CallStatus(schedule.OPEN, OPENS, CLOSES, days_left=10),
            id="during",
        ),
        pytest.param(
            CLOSES,
            CallStatus(schedule.OPEN, OPENS, CLOSES, days_left=0),
            id="closing-day",
        ),
        pytest.param(
            dt.date(2021, 5, 3),
            CallStatus(schedule.CLOSED, OPENS, CLOSES),
            id="day-after-closing",
        ),
    ],
)
def test_call_status_with_both_dates(today: dt.date, expected: CallStatus) -> None:
    assert schedule.call_status(CALL, today) == expected


def test_call_status_announced_without_dates() -> None:
    status = schedule.call_status(Call(announced=True), dt.date(2026, 11, 23))
    assert status == CallStatus(schedule.ANNOUNCED)


def test_call_status_nothing_known() -> None:
    status = schedule.call_status(Call(), dt.date(2026, 11, 23))
    assert status == CallStatus(schedule.UNKNOWN)


def test_call_status_only_future_closing_date_is_open() -> None:
    closes = dt.date(2022, 4, 3)
    status = schedule.call_status(Call(closes=closes), dt.date(2022, 3, 20))
    assert status == CallStatus(schedule.OPEN, None, closes, days_left=14)


def test_call_status_only_past_closing_date_is_closed() -> None:
    closes = dt.date(2022, 4, 3)
    status = schedule.call_status(Call(closes=closes), dt.date(2022, 4, 4))
    assert status == CallStatus(schedule.CLOSED, None, closes)


def test_call_status_announced_but_past_closing_date_is_closed() -> None:
    closes = dt.date(2022, 4, 3)
    status = schedule.call_status(Call(announced=True, closes=closes), dt.date(2022, 5, 1))
    assert status.state == schedule.CLOSED


def test_current_real_call_is_announced(known: knowledge.Knowledge) -> None:
    status = schedule.call_status(known.current.call, dt.date(2026, 11, 23))
    assert status.state == schedule.ANNOUNCED


def dates(webinars: list[knowledge.Webinar]) -> list[dt.date]:
    return [w.date for w in webinars]


def test_webinars_long_after_the_last_one(known: knowledge.Knowledge) -> None:
    today = dt.date(2026, 11, 23)
    assert schedule.webinars_ahead(known, today) == []
    assert dates(schedule.webinars_past(known, today)) == [
        dt.date(2022, 3, 24),
        dt.date(2022, 3, 17),
    ]


def test_webinars_between_two_webinars(known: knowledge.Knowledge) -> None:
    today = dt.date(2022, 3, 20)
    ahead = schedule.webinars_ahead(known, today)
    assert [w.id for w in ahead] == ["eig6-design-law"]
    assert dates(ahead) == [dt.date(2022, 3, 24)]
    assert dates(schedule.webinars_past(known, today)) == [
        dt.date(2022, 3, 17),
        dt.date(2021, 3, 30),
    ]


def test_webinar_on_its_own_day_is_ahead(known: knowledge.Knowledge) -> None:
    today = dt.date(2022, 3, 24)
    assert dates(schedule.webinars_ahead(known, today)) == [dt.date(2022, 3, 24)]
    past = dates(schedule.webinars_past(known, today))
    assert dt.date(2022, 3, 24) not in past
    assert past == [dt.date(2022, 3, 17), dt.date(2021, 3, 30)]


def test_webinars_ahead_soonest_first(known: knowledge.Knowledge) -> None:
    assert dates(schedule.webinars_ahead(known, dt.date(2021, 3, 1))) == [
        dt.date(2021, 3, 15),
        dt.date(2021, 3, 30),
        dt.date(2022, 3, 17),
        dt.date(2022, 3, 24),
    ]


def test_webinars_past_limit(known: knowledge.Knowledge) -> None:
    today = dt.date(2026, 11, 23)
    assert len(schedule.webinars_past(known, today, limit=10)) == 4
    assert dates(schedule.webinars_past(known, today, limit=1)) == [dt.date(2022, 3, 24)]


@pytest.mark.parametrize(
    ("text", "webinar"),
    [
        ("j'ai assisté au webinaire du 17 mars, c'est quoi la suite ?", "eig6-code-data"),
        ("the webinar on March 24th", "eig6-design-law"),
        ("le webinaire du 15/03", "eig5-info-1"),
        ("j'ai suivi le webinaire sur les métiers du code et de la donnée", "eig6-code-data"),
        ("I attended the webinar on design and digital law", "eig6-design-law"),
        ("I attended the webinar yesterday, what now?", None),
        ("le webinaire de présentation de l'appel", None),  # two webinars share that topic
    ],
)
def test_the_webinar_a_message_names(text, webinar):
    found = schedule.webinar_named(knowledge.get(), text)
    assert (found.id if found else None) == webinar
