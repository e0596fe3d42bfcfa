"""Rasa calls each custom action by the name the domain lists: every action the action
server registers answers to one of those names, and each listed name has its action
(docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from bot import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_the_registered_actions_are_exactly_the_domain_s_custom_actions() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    assert sorted(executor.actions) == sorted(DOMAIN["actions"])
