"""Call states at the edges mutation testing found untested: a call open without a closing
date and the closing day of a call without an opening date (docs/testing.md, "Mutation
testing")."""

from __future__ import annotations

import datetime as dt

from bot.domain import schedule
from bot.domain.knowledge import Call
from bot.domain.schedule import CallStatus


def test_an_open_call_without_a_closing_date_has_no_days_left() -> None:
    opens = dt.date(2027, 1, 15)
    status = schedule.call_status(Call(opens=opens), dt.date(2027, 2, 1))
    assert status == CallStatus(schedule.OPEN, opens, None, days_left=None)


def test_a_call_known_only_by_its_closing_date_is_open_on_that_day() -> None:
    closes = dt.date(2027, 3, 31)
    status = schedule.call_status(Call(announced=True, closes=closes), closes)
    assert status == CallStatus(schedule.OPEN, None, closes, days_left=0)
