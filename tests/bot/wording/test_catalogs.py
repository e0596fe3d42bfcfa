"""The catalogs are complete: every response and message, translated, not fuzzy, with the
same placeholders in French and English, and the template in sync with the code."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from babel.messages.pofile import read_po

from bot import ROOT
from bot.wording.nlg import placeholders

LOCALES = ROOT / "locales"


def catalog(language: str):
    with open(LOCALES / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def template_ids() -> set[str]:
    with open(LOCALES / "messages.pot", "rb") as pot:
        return {m.id for m in read_po(pot) if m.id}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_message_is_translated_and_not_fuzzy(language):
    po = catalog(language)
    entries = {m.id: m for m in po if m.id}
    missing = template_ids() - set(entries)
    assert not missing, f"missing in {language}: {sorted(missing)}"
    untranslated = [m.id for m in entries.values() if not m.string]
    fuzzy = [m.id for m in entries.values() if m.fuzzy]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


def test_every_domain_response_is_in_the_template():
    responses = set(yaml.safe_load((ROOT / "domain.yml").read_text())["responses"])
    assert responses - template_ids() == set()


def test_placeholders_match_between_languages():
    fr = {m.id: m.string for m in catalog("fr") if m.id}
    en = {m.id: m.string for m in catalog("en") if m.id}
    different = {
        msgid: (placeholders(fr[msgid]), placeholders(en[msgid]))
        for msgid in fr
        if msgid in en and placeholders(fr[msgid]) != placeholders(en[msgid])
    }
    assert different == {}


def test_template_is_in_sync_with_the_code(tmp_path):
    """A new _()/N_() call or response must be extracted (make catalogs-update)."""
    out = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable, "-m", "babel.messages.frontend", "extract",
            "-F", str(LOCALES / "babel.cfg"), "-o", str(out), "--no-location", str(ROOT),
        ],
        check=True, cwd=ROOT, capture_output=True, env={"PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    with open(out, "rb") as pot:
        extracted = {m.id for m in read_po(pot) if m.id}
    assert extracted == template_ids()
