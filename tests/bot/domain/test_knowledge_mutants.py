"""The knowledge base's checks and helpers that mutation testing found untested: each
cross-file check names its file, the dates of a call for projects, the salary bands'
limits, and the order of what ``Knowledge`` exposes (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import datetime as dt
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


def edit_yaml(path: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def load_error(directory: Path) -> str:
    with pytest.raises(knowledge.KnowledgeError) as raised:
        knowledge.load(directory)
    return str(raised.value)


# ---- one file's errors -------------------------------------------------------------------


def test_a_file_that_is_not_a_mapping_is_named_with_the_reason(kb_copy: Path) -> None:
    path = kb_copy / "webinars.yml"
    webinars = yaml.safe_load(path.read_text(encoding="utf-8"))["webinars"]
    path.write_text(yaml.safe_dump(webinars, allow_unicode=True), encoding="utf-8")  # a list
    assert load_error(kb_copy) == f"{path}: (top level): must be a mapping"


def test_every_error_of_a_file_is_listed_separated_by_semicolons(kb_copy: Path) -> None:
    path = kb_copy / "webinars.yml"

    def two_errors(data: dict[str, Any]) -> None:
        data["webinars"][0]["as_of"] = "March 2022"
        data["webinars"][1]["date"] = "soon"

    edit_yaml(path, two_errors)
    message = load_error(kb_copy)
    assert message.startswith(f"{path}: webinars.0.as_of: must be YYYY, YYYY-MM or YYYY-MM-DD; ")
    assert "; webinars.1.date: invalid date format" in message


# ---- checks across files name the file to fix --------------------------------------------


def test_hosts_naming_a_call_for_projects_that_is_not_listed(kb_copy: Path) -> None:
    edit_yaml(kb_copy / "hosts.yml", lambda data: data["hosts"].update(call_for_projects=5))
    assert load_error(kb_copy) == (
        f"{kb_copy / 'hosts.yml'}: hosts.call_for_projects: no call for projects of "
        "promotion 5 in calls_for_projects"
    )


def test_a_source_about_an_unknown_promotion(kb_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["sources"][0]["promotion"] = 42

    edit_yaml(kb_copy / "sources.yml", change)
    source_id = yaml.safe_load((kb_copy / "sources.yml").read_text())["sources"][0]["id"]
    assert load_error(kb_copy) == (
        f"{kb_copy / 'sources.yml'}: sources[{source_id}].promotion: unknown promotion 42"
    )


def test_a_webinar_of_an_unknown_promotion(kb_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["webinars"][0]["promotion"] = 42

    edit_yaml(kb_copy / "webinars.yml", change)
    webinar_id = yaml.safe_load((kb_copy / "webinars.yml").read_text())["webinars"][0]["id"]
    # The fact check refuses it first (a webinar's facts belong to its promotion): the
    # webinar check at the end of load() is a second line that real files never reach.
    assert load_error(kb_copy) == (
        f"{kb_copy}/webinars.yml: webinars[id={webinar_id}]: must belong to known promotions "
        "(got [42])"
    )


def test_a_current_profile_without_its_expectations(kb_copy: Path) -> None:
    edit_yaml(
        kb_copy / "selection.yml", lambda data: data["profiles"]["profiles"].pop("product_director")
    )
    assert load_error(kb_copy) == (
        f"{kb_copy / 'selection.yml'}: profiles: must describe the current promotion 7 and "
        "each of its profiles (missing ['product_director'])"
    )


def test_expectations_of_an_earlier_promotion(kb_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["profiles"]["promotion"] = 6

    edit_yaml(kb_copy / "selection.yml", change)
    assert load_error(kb_copy) == (
        f"{kb_copy / 'selection.yml'}: profiles: must describe the current promotion 7 and "
        "each of its profiles (missing [])"
    )


# ---- what Knowledge exposes --------------------------------------------------------------


def test_selection_and_criteria_are_the_files_own() -> None:
    known = knowledge.load()  # built here, not shared: mutation testing sees it built
    assert known.selection.promotion == 7
    assert len(known.selection.steps) >= 3
    assert (known.criteria.current.promotion, known.criteria.previous.promotion) == (7, 5)


def test_calls_for_projects_are_sorted_by_promotion(kb_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        later = dict(data["calls_for_projects"][0], promotion=5, planned=False)
        data["calls_for_projects"].insert(0, later)

    edit_yaml(kb_copy / "hosts.yml", change)
    loaded = knowledge.load(kb_copy)
    assert [c.promotion for c in loaded.calls_for_projects] == [3, 5]


# ---- dates and bands ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "first", "last"),
    [
        ("2018-06", dt.date(2018, 6, 1), dt.date(2018, 6, 30)),
        ("2018-11", dt.date(2018, 11, 1), dt.date(2018, 11, 30)),
        ("2018-12", dt.date(2018, 12, 1), dt.date(2018, 12, 31)),  # the next month is January
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ],
)
def test_an_approximate_date_spans_its_whole_month(
    month: str, first: dt.date, last: dt.date
) -> None:
    date = knowledge.ApproximateDate(month=month, part="mid")
    assert (date.first_day(), date.last_day()) == (first, last)


def test_a_band_covers_only_from_its_minimum() -> None:
    band = knowledge.SalaryBand(net_monthly_eur=5000, min_years=11)
    assert not band.covers(10)
    assert band.covers(11)
    assert band.covers(60)


def test_no_band_for_years_that_no_band_covers(known: knowledge.Knowledge) -> None:
    only_juniors = known.current.copy(
        update={"salary_bands": [knowledge.SalaryBand(net_monthly_eur=4250, max_years=10)]}
    )
    assert only_juniors.band_for(10) is not None
    assert only_juniors.band_for(11) is None
