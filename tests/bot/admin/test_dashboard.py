"""The dashboard and knowledge freshness pages, on real stores; the catalogs of the back
office cover every key its pages use, in both languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from babel.messages.pofile import read_po

from bot import ROOT
from bot.admin import dashboard, freshness
from bot.applications import feedback, lifecycle
from bot.applications.storage import PURGE_COUNTS
from tests.bot.admin.conftest import add_events, signed_in

DAY = dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone.utc).timestamp()
FR = {"event": "slot", "name": "language", "value": "fr"}
EN = {"event": "slot", "name": "language", "value": "en"}


def user(text, intent, confidence=0.9, topic=None):
    parse = {"intent": {"name": intent, "confidence": confidence}, "text": text}
    if topic:
        parse["intent_ranking"] = [{"name": intent, "confidence": confidence}]
        parse["response_selector"] = {"faq": {"ranking": [{"intent_response_key": topic}]}}
    return {"event": "user", "text": text, "parse_data": parse}


@pytest.fixture
def filled(conversations, storage):
    loop = "pre_application_form"
    add_events(conversations, "a" * 32, [
        FR, user("salaire ?", "faq", topic="faq/salary"), {"event": "bot", "text": "…"},
        user("blorp", "nlu_fallback", 0.2), {"event": "action", "name": "action_default_fallback"},
        user("je veux candidater", "apply"), {"event": "active_loop", "name": loop},
        {"event": "slot", "name": "first_name", "value": "Zorglub"},
        {"event": "slot", "name": "pre_application_paused", "value": "cancelled"},
        {"event": "active_loop", "name": None},
    ], start=DAY)  # fmt: skip
    add_events(conversations, "b" * 32, [
        EN, user("salary?", "faq", topic="faq/salary"),
        user("can I be paid in bitcoin", "faq", topic="faq/not_in_sources"),
        {"event": "action", "name": "action_webinar_followup"},
    ], start=DAY + 86400)  # fmt: skip
    add_events(conversations, "c" * 32, [FR, user("vieux", "greet")], start=DAY - 90 * 86400)
    when = dt.datetime.fromtimestamp(DAY, dt.timezone.utc)
    feedback.record(storage, feedback.Feedback("1" * 32, "utter_faq/salary", "fr", False), when)
    feedback.record(storage, feedback.Feedback("2" * 32, "utter_faq/salary", "en", True), when)


def test_the_figures_of_a_range(storage, conversations, filled):
    figures = dashboard.compute(storage, conversations, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    charts = figures.charts()
    activity = {row["day"]: row for row in charts["activity"] if row["messages"]}
    assert activity == {
        "2026-11-20": {"day": "2026-11-20", "conversations": 1, "messages": 3},
        "2026-11-21": {"day": "2026-11-21", "conversations": 1, "messages": 2},
    }
    assert charts["languages"] == [
        {"language": "fr", "conversations": 1},
        {"language": "en", "conversations": 1},
    ]
    assert charts["topics"][0] == {"topic": "faq/salary", "messages": 2}
    fallbacks = {row["day"]: row for row in charts["fallbacks"] if row["messages"]}
    assert fallbacks["2026-11-20"]["fallbacks"] == 1
    assert fallbacks["2026-11-20"]["fallback_share"] == pytest.approx(0.333)
    assert fallbacks["2026-11-21"]["dont_know"] == 1
    funnel = {row["step"]: row["conversations"] for row in charts["funnel"]}
    assert funnel["pre_application_started"] == 1
    assert funnel["pre_application_cancelled"] == 1
    assert funnel["pre_application_completed"] == 0
    assert funnel["webinar_followup"] == 1
    assert charts["feedback"] == [{"response": "utter_faq/salary", "helpful": 1, "not_helpful": 1}]
    with pytest.raises(ValueError):
        dashboard.compute(storage, conversations, dt.date(2026, 1, 1), dt.date(2027, 6, 1))


async def test_the_dashboard_page_draws_svg_and_offers_csv(client, editor, filled):
    await signed_in(client, "eddie")
    reply = await client.get("/admin/fr/dashboard?from=2026-11-01&to=2026-11-30")
    html = await reply.text()
    assert reply.status == 200
    assert html.count("<svg") == 6 and "<script" not in html
    assert 'role="img"' in html and "Pré-candidatures annulées" in html
    for secret in ("Zorglub", "blorp", "bitcoin", "a" * 32):
        assert secret not in html
    reply = await client.get("/admin/fr/dashboard/topics.csv?from=2026-11-01&to=2026-11-30")
    rows = list(csv.reader(io.StringIO(await reply.text())))
    assert rows[:2] == [["topic", "messages"], ["faq/salary", "2"]]
    bad = await (await client.get("/admin/en/dashboard?from=2026-13-01")).text()
    assert "Unreadable period" in bad
    assert (await client.get("/admin/fr/dashboard/nothing.csv")).status == 404


async def test_knowledge_freshness_flags_old_facts(client, editor, known):
    await signed_in(client, "eddie")
    html = await (await client.get("/admin/en/knowledge")).text()
    assert f"promotion {known.current.number}" in html
    rows = re.findall(r"<tr>\s*<td><code>", html)
    assert len(rows) == len(known.facts())
    assert freshness.as_of_date("2026") == dt.date(2026, 12, 31)
    assert freshness.as_of_date("2026-02") == dt.date(2026, 2, 28)
    facts = freshness.facts(known, dt.date(2026, 11, 23), dt.timedelta(days=100000), "en")
    assert not any(fact.stale for fact in facts)


def test_every_key_the_pages_use_is_in_both_catalogs():
    used: set[str] = set()
    for path in [*(ROOT / "bot/admin/templates").glob("*.html"), ROOT / "bot/admin/app.py"]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\s*[\"'](admin_[a-z_]+)[\"']", text))
        used |= set(re.findall(r"\"(admin_(?:error|login|refused)_[a-z_]+)\"", text))
    dynamic = {
        *(f"admin_reason_{r}" for r in ("nlu_fallback", "low_confidence", "fallback_action",
                                        "dont_know", "feedback_no")),
        *(f"admin_refused_{r}" for r in ("empty", "too_long", "placeholder", "evaluation")),
        *(f"admin_done_{d}" for d in ("topic", "out_of_scope", "not_covered", "ignore")),
        *(f"admin_step_{row['step']}" for row in dashboard.Figures(
            dt.date(2026, 1, 1), dt.date(2026, 1, 1)).charts()["funnel"]),
        *(f"admin_chart_{name}" for name in dashboard.CHARTS),
        "admin_role_editor", "admin_role_data_officer", "admin_who_user", "admin_who_bot",
        "admin_language_fr", "admin_language_en",
        *(f"admin_purge_source_{source}" for source in lifecycle.SOURCES),
        *(f"admin_purge_count_{name}" for name in PURGE_COUNTS),
    }  # fmt: skip
    for language in ("fr", "en"):
        path = ROOT / "locales" / language / "LC_MESSAGES" / "admin.po"
        with path.open("rb") as po:
            catalog = read_po(po)
        translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        missing = sorted((used | dynamic) - translated - {"admin_reason_", "admin_role_",
                                                           "admin_who_", "admin_done_", "admin_chart_",
                                                           "admin_purge_source_",
                                                           "admin_purge_count_"})  # fmt: skip
        assert missing == [], (language, missing)
