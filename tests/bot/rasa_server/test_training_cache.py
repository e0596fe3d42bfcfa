"""config.yml keeps Rasa's training cache usable: retraining with no change restores DIET.

Rasa 3.6 computes a node's cache key with its config merged over the defaults in two ways:
deeply when it trains (``override_defaults``), shallowly when it checks the cache before
the next training (``FingerprintComponent``). A nested setting given in part (say
``hidden_layers_sizes: {text: …}`` without ``label``) gives two different keys, so the
component retrains every time. Every nested setting in config.yml must list all its keys.
"""

from __future__ import annotations

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.utils.io import read_config_file
from rasa.utils.common import override_defaults

from bot import ROOT

CONFIG = read_config_file(ROOT / "config.yml")
ENTRIES = [*CONFIG["pipeline"], *CONFIG["policies"]]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_shallow_and_deep_config_merges_agree(entry: dict) -> None:
    settings = {k: v for k, v in entry.items() if k != "name"}
    component = DefaultV1Recipe()._from_registry(entry["name"]).clazz
    defaults = component.get_default_config()
    assert {**defaults, **settings} == override_defaults(defaults, settings)
