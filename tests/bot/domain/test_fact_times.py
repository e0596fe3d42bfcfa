"""Each fact of the knowledge base belongs to the promotions whose texts state it (or to a
promotion's call); a fact without one, or with an unknown one, stops loading."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.domain import knowledge


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, target)
    return target


def edit_yaml(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_fact_belongs_to_known_promotions(known: knowledge.Knowledge) -> None:
    facts = known.facts()
    assert len(facts) == len(known.cited())
    for where, fact in facts:
        assert fact.belongs_to(), where
        assert set(fact.belongs_to()) <= set(known.promotions), where


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("programme.yml: programme.team_size", False),
        ("programme.yml: programme.support", False),
        ("programme.yml: programme.run_by", False),
        ("programme.yml: programme.contact", False),
        ("programme.yml: programme.stayed_public_sector", False),
        ("programme.yml: programme.host_administrations", False),
        ("programme.yml: programme.recruits", True),
        ("programme.yml: programme.totals", True),
        ("programme.yml: programme.links", True),
        ("hosts.yml: hosts", False),
        ("hosts.yml: calls_for_projects[promotion=3]", False),
        ("promotions.yml: promotions[number=7]", True),
        ("promotions.yml: promotions[number=6]", False),
        ("selection.yml: criteria.previous", False),
        ("selection.yml: profiles", True),
        ("webinars.yml: webinars[id=eig6-code-data]", False),
    ],
)
def test_what_is_history_today(known: knowledge.Knowledge, path: str, current: bool) -> None:
    assert known.is_current(dict(known.facts())[path]) is current


def test_team_size_is_the_3rd_5th_and_6th_promotions(known: knowledge.Knowledge) -> None:
    assert known.programme.team_size.belongs_to() == (3, 5, 6)


def test_the_call_for_projects_is_a_2018_plan(known: knowledge.Knowledge) -> None:
    call = known.calls_for_projects[-1]
    assert (call.promotion, call.planned, call.as_of) == (3, True, "2018")
    assert known.hosts.call_for_projects == 3
    assert known.hosts.cofinancing.introduced_with_promotion == 3


def test_year_of_a_promotion(known: knowledge.Knowledge) -> None:
    assert [known.year_of(n) for n in (3, 5, 6, 7, 4)] == [2018, 2021, 2022, None, None]


def test_each_source_names_its_promotion(known: knowledge.Knowledge) -> None:
    assert {s.id[:3]: s.promotion for s in known.sources.values()} == {
        "000": 6,
        "001": 3,
        "002": 5,
        "003": 3,
        "004": 7,
    }


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "programme.yml",
            lambda d: d["programme"]["team_size"].pop("promotions"),
            "programme.team_size.promotions: field required",
        ),
        (
            "programme.yml",
            lambda d: d["programme"]["support"].update(promotions=[]),
            "programme.support.promotions: must name at least one promotion",
        ),
        (
            "programme.yml",
            lambda d: d["programme"]["contact"].update(promotions=[4]),
            "programme.contact: must belong to known promotions (got [4])",
        ),
        (
            "hosts.yml",
            lambda d: d["hosts"].update(call_for_projects=4),
            "hosts.yml: hosts: must belong to known promotions (got [4])",
        ),
        (
            "hosts.yml",
            lambda d: d["hosts"].update(call_for_projects=6),
            "hosts.call_for_projects: no call for projects of promotion 6",
        ),
        (
            "sources.yml",
            lambda d: d["sources"][0].update(promotion=2),
            "sources[000_5a1f913dfe472ad2.txt].promotion: unknown promotion 2",
        ),
        (
            "webinars.yml",
            lambda d: d["webinars"][0].update(promotion=4),
            "webinars.yml",
        ),
    ],
)
def test_a_fact_without_a_known_promotion_stops_loading(
    kb_copy: Path, file: str, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    edit_yaml(kb_copy / file, change)
    with pytest.raises(knowledge.KnowledgeError) as error:
        knowledge.load(kb_copy)
    assert message in str(error.value)
    assert str(kb_copy) in str(error.value)
