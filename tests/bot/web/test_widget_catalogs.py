"""The page and widget catalogs (gettext domain "widget") are complete in both languages,
apart from the bot's "messages" domain, and the template is in sync with the code."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from bot import ROOT
from bot.web import page
from bot.wording.nlg import placeholders

LOCALES = ROOT / "locales"


def catalog(language: str):
    with open(LOCALES / language / "LC_MESSAGES" / "widget.po", "rb") as po:
        return read_po(po)


def template_ids() -> set[str]:
    with open(LOCALES / "widget.pot", "rb") as pot:
        return {m.id for m in read_po(pot) if m.id}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_widget_message_is_translated_and_not_fuzzy(language):
    entries = {m.id: m for m in catalog(language) if m.id}
    missing = template_ids() - set(entries)
    assert not missing, f"missing in {language}/widget.po: {sorted(missing)}"
    untranslated = [m.id for m in entries.values() if not m.string]
    fuzzy = [m.id for m in entries.values() if m.fuzzy]
    assert not untranslated, f"untranslated in {language}/widget.po: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}/widget.po: {fuzzy}"


def test_placeholders_match_between_languages():
    fr = {m.id: m.string for m in catalog("fr") if m.id}
    en = {m.id: m.string for m in catalog("en") if m.id}
    assert {k: v for k, v in fr.items() if placeholders(v) != placeholders(en.get(k, ""))} == {}


def test_script_strings_are_in_the_template():
    assert set(page.SCRIPT_STRINGS) <= template_ids()


def test_widget_and_bot_domains_do_not_share_msgids():
    with open(LOCALES / "messages.pot", "rb") as pot:
        messages = {m.id for m in read_po(pot) if m.id}
    assert messages & template_ids() == set()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalog_is_what_the_page_uses(language):
    """``make catalogs`` built widget.mo from the current widget.po."""
    compiled = page.translations(language)
    for message in catalog(language):
        if message.id:
            assert compiled.gettext(message.id) == message.string


def test_template_is_in_sync_with_the_code(tmp_path):
    """A new W_()/WN_() msgid must be extracted (make widget-catalogs-update)."""
    out = tmp_path / "widget.pot"
    subprocess.run(
        [
            sys.executable, "-m", "babel.messages.frontend", "extract",
            "-F", str(LOCALES / "widget.cfg"), "-k", "W_", "-k", "WN_", "--no-default-keywords",
            "-o", str(out), "--no-location", str(ROOT),
        ],
        check=True, cwd=ROOT, capture_output=True, env={"PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    with open(out, "rb") as pot:
        extracted = {m.id for m in read_po(pot) if m.id}
    assert extracted == template_ids()
