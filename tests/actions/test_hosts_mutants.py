"""The host check where mutation testing found it untested: "other" with punctuation, and a
structure with a data project (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import copy

import pytest

from actions.hosts import ActionHostCheckResult, read_structure
from tests.actions.conftest import run_on_state
from tests.conftest import load_tracker


@pytest.mark.parametrize("text", ["Autre.", "other!", "Something else."])
def test_other_with_punctuation(text: str) -> None:
    assert read_structure(text) == "other"


def test_a_structure_with_a_data_project_gets_its_verdict() -> None:
    state = copy.deepcopy(load_tracker("host_check_ready"))
    state["slots"].update(structure_type="central_administration", has_data_project=True)
    _, [message] = run_on_state(ActionHostCheckResult(), state)
    assert message["response"] == "utter_host_check_result"
    assert {k: message[k] for k in ("structure", "eligible", "cofinanced", "has_project")} == {
        "structure": "central_administration",
        "eligible": True,
        "cofinanced": True,
        "has_project": True,
    }
