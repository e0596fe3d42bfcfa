"""The content team's report of unanswered questions, read from a real SQLite tracker
store that Rasa's own SQLTrackerStore wrote from the conversations in
tests/fixtures/unanswered/ (realistic events: fallbacks, low confidence, a button
payload, bad input, redactable personal data, an old conversation)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import pytest

from bot import ROOT
from bot.ops import unanswered
from tests.conftest import FIXTURES

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)
WEEK_AGO = (NOW - dt.timedelta(days=7)).timestamp()


@pytest.fixture(scope="module")
def tracker_db(tmp_path_factory) -> str:
    import asyncio

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "domain.yml"))
    path = tmp_path_factory.mktemp("trackers") / "tracker.db"
    store = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    for fixture in sorted((FIXTURES / "unanswered").glob("*.json")):
        data = json.loads(fixture.read_text(encoding="utf-8"))
        tracker = DialogueStateTracker.from_dict(data["sender_id"], data["events"], domain.slots)
        asyncio.run(store.save(tracker))
    store.engine.dispose()
    return str(path)


@pytest.fixture(scope="module")
def groups(tracker_db):
    url = unanswered.tracker_store_url(tracker_db)
    return unanswered.report(unanswered.read_conversations(url, WEEK_AGO), WEEK_AGO, 0.6)


def by_text(groups):
    return {(g.language, g.text): g for g in groups}


def test_the_same_question_is_grouped_and_counted_across_conversations(groups):
    remote = by_text(groups)[("fr", "est ce qu'on peut faire du télétravail")]
    assert remote.count == 3  # the two-week-old one is outside the window
    assert set(remote.reasons) == {"nlu_fallback", "fallback_action", "low_confidence"}
    assert remote.row()["best_guess"] == "faq/contract"
    assert remote.examples[0] == "Est-ce qu'on peut faire du télétravail ?"
    assert len(remote.examples) == 3


def test_languages_follow_the_conversation_not_the_page(groups):
    found = by_text(groups)
    assert found[("en", "can i work remotely as an eig")].reasons == {"low_confidence": 1}
    visas = found[("en", "do you sponsor visas for foreign developers")]
    # confident out_of_scope, answered by utter_default
    assert set(visas.reasons) == {"fallback_action", "out_of_scope"}


def test_answered_messages_payloads_and_bad_input_are_left_out(groups):
    texts = {g.text for g in groups}
    assert "c koi le salaire" not in texts and "hello" not in texts
    assert not any(t.startswith("/") for t in texts)
    assert not any("🎉" in t for t in texts)
    assert len(groups) == 5


def test_answers_given_to_a_form_are_not_questions(groups):
    texts = {g.text for g in groups}
    assert not any("zorglub" in t for t in texts)  # a name and an e-mail typed in the form
    assert ("fr", "et les tickets resto") in by_text(groups)  # after the form: reported


def test_emails_and_long_numbers_are_redacted(groups):
    group = by_text(groups)[("fr", "mon mail est [email], rappelez moi au [number]")]
    assert group.examples == ["mon mail est [email], rappelez-moi au [number]"]
    everything = json.dumps([g.row() for g in groups], ensure_ascii=False)
    assert "jean.dupont" not in everything and "56 78" not in everything


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("écrivez à a.b+c@d-e.gouv.fr svp", "écrivez à [email] svp"),
        ("+33 6 12 34 56 78 ou 0612345678", "[number] ou [number]"),
        ("dossier 2026-11-23 et 12345", "dossier [number] et 12345"),
        ("7e promotion, 4 250 €", "7e promotion, 4 250 €"),
    ],
)
def test_redact(text, expected):
    assert unanswered.redact(text) == expected


def test_markdown_has_a_section_per_language_with_counts(groups):
    out = io.StringIO()
    unanswered.write_markdown(groups, out, NOW - dt.timedelta(days=7), 0.6)
    text = out.getvalue()
    assert "## Français (fr): 5 message(s)" in text
    assert "## English (en): 2 message(s)" in text
    assert (
        "| 3 | est ce qu'on peut faire du télétravail | fallback_action, low_confidence, nlu_fallback | faq/contract |"
        in text
    )
    assert "content team only" in text


def test_csv_is_ready_for_a_spreadsheet(groups):
    out = io.StringIO()
    unanswered.write_csv(groups, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(unanswered.CSV_COLUMNS)
    assert [(r["language"], r["count"]) for r in rows][:2] == [("en", "1"), ("en", "1")]
    assert rows[2]["text"] == "est ce qu'on peut faire du télétravail" and rows[2]["count"] == "3"


def test_formulas_in_questions_are_neutralised():
    group = unanswered.Group("fr", "=cmd|' /c calc'!a0")
    group.add(unanswered.Unanswered("fr", "=cmd|' /c calc'!A0", ("nlu_fallback",), None))
    out = io.StringIO()
    unanswered.write_csv([group], out)
    assert '\r\n"fr","1","\'=cmd' in out.getvalue()  # every cell quoted, no formula
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["text"] == "'=cmd|' /c calc'!a0" and row["examples"].startswith("'=cmd")


def test_the_command_line(tracker_db, tmp_path):
    output = tmp_path / "unanswered.csv"
    command = [sys.executable, "-m", "bot", "report", "unanswered", "--since", "36500d",
               "--format", "csv", "--output", str(output), "--db", tracker_db]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    remote = next(r for r in rows if r["text"] == "est ce qu'on peut faire du télétravail")
    assert remote["count"] == "4"  # the old conversation is inside 100 years
    markdown = subprocess.run(
        [*command[:5], "--db", tracker_db], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert markdown.returncode == 0 and markdown.stdout.startswith("# Unanswered questions")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--since", "soon"], "not a duration"), (["--min-confidence", "2"], "not a confidence")],
)
def test_bad_options_get_a_clear_message(args, message):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report", "unanswered", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and message in done.stderr


def test_a_missing_tracker_store_is_a_clear_error(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report", "unanswered", "--db",
         f"sqlite:///{tmp_path}/none/tracker.db"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "cannot read the tracker store" in done.stderr
    assert "Traceback" not in done.stderr
