"""The knowledge base: the real files load, and each kind of broken file stops loading with
the file, the field and the reason."""

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
    """A writable copy of data/knowledge."""
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, target)
    return target


def edit_yaml(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def promotion(data: dict[str, Any], number: int) -> dict[str, Any]:
    return next(p for p in data["promotions"] if p["number"] == number)


# ---- the real knowledge base -------------------------------------------------------------


def test_real_knowledge_current_promotion_is_7(known: knowledge.Knowledge) -> None:
    assert known.current.number == 7
    assert known.current is known.promotion(7)


def test_real_knowledge_current_salary_bands(known: knowledge.Knowledge) -> None:
    assert [band.net_monthly_eur for band in known.current.salary_bands] == [4250, 5000]


def test_real_knowledge_current_call_announced_without_dates(known: knowledge.Knowledge) -> None:
    call = known.current.call
    assert call.announced is True
    assert call.opens is None
    assert call.closes is None


def test_real_knowledge_every_cited_source_exists(known: knowledge.Knowledge) -> None:
    cited = known.cited()
    # programme (10 facts), 4 promotions, 4 webinars, selection, 2 criteria, profiles, hosts,
    # 1 call.
    assert len(cited) == 24
    missing = [(where, source) for where, source in cited if source not in known.sources]
    assert missing == []


def test_unmodified_copy_loads(kb_copy: Path) -> None:
    """Guards the broken-copy tests: the YAML round trip alone breaks nothing."""
    for name in knowledge.FILES:
        edit_yaml(kb_copy / name, lambda data: None)
    loaded = knowledge.load(kb_copy)
    assert loaded.current.number == 7
    assert len(loaded.webinars) == 4


@pytest.mark.parametrize(
    ("years", "expected"),
    [(0, 4250), (10, 4250), (11, 5000), (30, 5000)],
)
def test_band_for_years_of_experience(
    known: knowledge.Knowledge, years: int, expected: int
) -> None:
    band = known.current.band_for(years)
    assert band is not None
    assert band.net_monthly_eur == expected


# ---- broken copies -----------------------------------------------------------------------


def salary_is_a_string(path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        promotion(data, 7)["salary_bands"][0]["net_monthly_eur"] = "lots"

    edit_yaml(path, change)


def fact_without_source(path: Path) -> None:
    edit_yaml(path, lambda data: data["programme"]["launched"].pop("source"))


def as_of_in_words(path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["webinars"][0]["as_of"] = "March 2022"

    edit_yaml(path, change)


def closes_before_opens(path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        promotion(data, 5)["call"]["closes"] = "2021-02-01"  # opens 2021-03-01

    edit_yaml(path, change)


def invalid_yaml(path: Path) -> None:
    """A key indented under a scalar on line 4: "promotion: 7" then "    oops: 1"."""
    text = path.read_text(encoding="utf-8")
    broken = text.replace("  promotion: 7\n", "  promotion: 7\n    oops: 1\n", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")


def missing_file(path: Path) -> None:
    path.unlink()


def unknown_profile(path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        promotion(data, 7)["profiles"].append("astronaut")

    edit_yaml(path, change)


def duplicate_webinar_id(path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["webinars"][1]["id"] = data["webinars"][0]["id"]

    edit_yaml(path, change)


def unknown_source(path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        promotion(data, 6)["source"] = "nope.txt"

    edit_yaml(path, change)


BROKEN = [
    pytest.param(
        "promotions.yml",
        salary_is_a_string,
        "promotions.0.salary_bands.0.net_monthly_eur",
        "value is not a valid integer",
        id="salary-string",
    ),
    pytest.param(
        "programme.yml",
        fact_without_source,
        "programme.launched.source",
        "field required",
        id="missing-source",
    ),
    pytest.param(
        "webinars.yml",
        as_of_in_words,
        "webinars.0.as_of",
        "must be YYYY, YYYY-MM or YYYY-MM-DD",
        id="as-of-in-words",
    ),
    pytest.param(
        "promotions.yml",
        closes_before_opens,
        "promotions.2.call.__root__",
        "closes before it opens",
        id="closes-before-opens",
    ),
    pytest.param(
        "selection.yml",
        invalid_yaml,
        "line 4, column 9",  # the YAML error points at the broken line
        "not valid YAML",
        id="invalid-yaml",
    ),
    pytest.param(
        "sources.yml",
        missing_file,
        "sources.yml",  # no field: the whole file is absent
        "file is missing",
        id="missing-file",
    ),
    pytest.param(
        "promotions.yml",
        unknown_profile,
        "promotions.0.profiles.2",
        "unknown profile 'astronaut'",
        id="unknown-profile",
    ),
    pytest.param(
        "webinars.yml",
        duplicate_webinar_id,
        "webinars.yml: webinars:",
        "two webinars have the same id",
        id="duplicate-webinar-id",
    ),
]


@pytest.mark.parametrize(("name", "breaker", "field", "reason"), BROKEN)
def test_broken_file_names_file_field_and_reason(
    kb_copy: Path, name: str, breaker: Callable[[Path], None], field: str, reason: str
) -> None:
    path = kb_copy / name
    breaker(path)
    with pytest.raises(knowledge.KnowledgeError) as raised:
        knowledge.load(kb_copy)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert field in message
    assert reason in message


def test_unknown_source_names_field_and_reason(kb_copy: Path) -> None:
    unknown_source(kb_copy / "promotions.yml")
    with pytest.raises(knowledge.KnowledgeError) as raised:
        knowledge.load(kb_copy)
    message = str(raised.value)
    assert message.startswith(f"{kb_copy}")
    assert "promotions[number=6].source" in message
    assert "unknown source 'nope.txt'" in message


def test_unknown_source_names_the_file(kb_copy: Path) -> None:
    unknown_source(kb_copy / "promotions.yml")
    with pytest.raises(knowledge.KnowledgeError) as raised:
        knowledge.load(kb_copy)
    assert str(kb_copy / "promotions.yml") in str(raised.value)


# ---- EIG_KNOWLEDGE_DIR: another copy, for a demo or a test --------------------------------


def test_the_knowledge_dir_setting_points_the_base_at_another_copy(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def open_call(data: dict[str, Any]) -> None:
        current = promotion(data, data["current"])
        current["call"] = {"announced": True, "opens": "2027-01-10", "closes": "2027-03-01"}

    edit_yaml(kb_copy / "promotions.yml", open_call)
    monkeypatch.setenv("EIG_KNOWLEDGE_DIR", str(kb_copy))
    assert str(knowledge.load().current.call.closes) == "2027-03-01"
    monkeypatch.delenv("EIG_KNOWLEDGE_DIR")
    assert knowledge.load().current.call.closes is None  # data/knowledge, the default


def test_a_knowledge_dir_without_the_files_names_the_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EIG_KNOWLEDGE_DIR", str(tmp_path))
    with pytest.raises(knowledge.KnowledgeError, match=rf"{tmp_path}/\w+\.yml: file is missing"):
        knowledge.load()
