"""Shared fixtures: the real knowledge base, and trackers loaded from JSON files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.domain import knowledge

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def known() -> knowledge.Knowledge:
    return knowledge.load()


def load_tracker(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "trackers" / f"{name}.json").read_text(encoding="utf-8"))
