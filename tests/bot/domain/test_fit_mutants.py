"""The fit assessment when the selection file describes a profile the current call does not
recruit (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.domain import fit, knowledge


def test_a_described_profile_that_the_call_does_not_recruit_is_not_sought(
    tmp_path: Path,
) -> None:
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, target)
    path = target / "selection.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["profiles"]["profiles"]["developer"] = {
        "equivalents": ["Software Engineer"],
        "expectations": [{"fr": "coder", "en": "coding"}],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = knowledge.load(target)
    assert "developer" not in loaded.current.profiles

    result = fit.assess(loaded, profile="developer", years=5, entrepreneurial=True, led_teams=True)

    assert result.level == fit.NOT_SOUGHT
    assert result.gaps == [fit.PROFILE_NOT_SOUGHT]
