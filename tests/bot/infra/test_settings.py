"""Deployment settings: a wrong value stops start-up with the variable's name."""

from __future__ import annotations

import pytest

from bot.infra import settings


def test_positive_int_default_and_value(monkeypatch):
    monkeypatch.delenv("EIG_TEST_SIZE", raising=False)
    assert settings.positive_int("EIG_TEST_SIZE", 64) == 64
    monkeypatch.setenv("EIG_TEST_SIZE", " 1024 ")
    assert settings.positive_int("EIG_TEST_SIZE", 64) == 1024


@pytest.mark.parametrize("value", ["0", "-5", "64k", "1.5"])
def test_positive_int_refuses_with_the_name(monkeypatch, value):
    monkeypatch.setenv("EIG_TEST_SIZE", value)
    with pytest.raises(SystemExit, match="EIG_TEST_SIZE"):
        settings.positive_int("EIG_TEST_SIZE", 64)
