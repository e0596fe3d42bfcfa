"""The clock: EIG_TODAY pins "today" for demos and tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import clock


def test_eig_today_is_read_at_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """A demo moves the date without a restart; nothing keeps the first value read."""
    monkeypatch.setenv("EIG_TODAY", "2026-12-31")
    assert clock.today() == dt.date(2026, 12, 31)
    monkeypatch.setenv("EIG_TODAY", "2027-01-01")
    assert clock.today() == dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-03-20", dt.date(2022, 3, 20)),
        ("2026-11-23", dt.date(2026, 11, 23)),
        ("  2021-03-01\n", dt.date(2021, 3, 1)),
    ],
)
def test_eig_today_overrides_today(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: dt.date
) -> None:
    monkeypatch.setenv("EIG_TODAY", value)
    assert clock.today() == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_eig_today_today_is_the_real_date(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("EIG_TODAY", raising=False)
    else:
        monkeypatch.setenv("EIG_TODAY", value)
    before = dt.date.today()
    result = clock.today()
    after = dt.date.today()
    assert isinstance(result, dt.date)
    assert result in {before, after}  # tolerate a run across midnight


@pytest.mark.parametrize("value", ["March 2022", "2022-13-01", "2022/03/20", "tomorrow"])
def test_malformed_eig_today_raises(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("EIG_TODAY", value)
    with pytest.raises(ValueError, match="EIG_TODAY") as raised:
        clock.today()
    assert repr(value) in str(raised.value)


def test_every_test_runs_on_the_pinned_date_whatever_the_real_one() -> None:
    """tests/conftest.py pins EIG_TODAY: no test may depend on the day it runs."""
    assert clock.today() == dt.date(2026, 11, 23)
