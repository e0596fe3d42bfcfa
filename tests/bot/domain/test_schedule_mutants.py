"""Call states and the last closed call at the edges mutation testing found untested: a call
open without a closing date, the closing day of a call without an opening date, and
promotions listed in any order (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from bot.domain import knowledge, schedule
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


@pytest.fixture
def promotions_oldest_first(tmp_path: Path) -> knowledge.Knowledge:
    """The real knowledge base with promotions.yml listing the oldest promotion first."""
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, target)
    path = target / "promotions.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["promotions"].sort(key=lambda p: p["number"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = knowledge.load(target)
    assert list(loaded.promotions) == [3, 5, 6, 7]
    return loaded


@pytest.mark.parametrize(
    ("today", "number"), [(dt.date(2026, 11, 23), 6), (dt.date(2021, 5, 3), 5)]
)
def test_the_last_closed_call_whatever_the_order_of_the_file(
    promotions_oldest_first: knowledge.Knowledge, today: dt.date, number: int
) -> None:
    last = schedule.last_closed_call(promotions_oldest_first, today)
    assert last is not None
    assert last.number == number
