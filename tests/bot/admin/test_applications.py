"""Pre-applications in the back office: the data officer's list, search, view, exports,
deletion and purge, each in the audit log; an editor refused every one of them."""

from __future__ import annotations

import csv
import datetime as dt
import html as html_module
import io
import re

import openpyxl
import pytest

from bot.admin import app as admin_app
from bot.applications import lifecycle
from bot.applications import storage as storage_module
from tests.bot.admin.conftest import add_events, raw, signed_in

EMAIL = "gwendoline.kerbrat@exemple.fr"


def submit(storage, n: int, **overrides):
    values = {
        "language": "fr", "promotion": 7, "target_profile": "technical_director",
        "years_of_experience": 8, "entrepreneurial_experience": True,
        "entrepreneurial_description": "=HYPERLINK(\"http://x\") j'ai cofondé une startup",
        "led_teams": True, "project_interest": "la santé", "first_name": "Gwendoline",
        "email": EMAIL, "consent": True, "now": dt.datetime.now(dt.timezone.utc),
    }  # fmt: skip
    values.update(overrides)
    return storage.submit(storage_module.conversation_key(f"s{n}", f"t{n}"), **values)


@pytest.fixture
def references(storage):
    return [submit(storage, 1), submit(storage, 2, email="autre@exemple.fr", first_name="Yves")]


async def test_the_list_shows_no_personal_data_and_finds_a_reference(
    client, officer, storage, references
):
    await signed_in(client, "olga")
    html = await (await client.get("/admin/fr/applications")).text()
    assert all(reference in html for reference in references)
    assert "Gwendoline" not in html and EMAIL not in html
    short = references[0][:8].lower().replace("-", " ")  # "eig 7k3p"
    found = await (await client.get("/admin/fr/applications", params={"reference": short})).text()
    assert references[0] in found
    assert raw(storage, "audit_log") == []  # a list is not a personal-data access


async def test_viewing_a_record_is_audited(client, officer, storage, references):
    await signed_in(client, "olga")
    html = await (await client.get(f"/admin/fr/applications/{references[0]}")).text()
    assert "Gwendoline" in html and EMAIL in html
    [entry] = raw(storage, "audit_log")
    assert (entry["username"], entry["action"], entry["target"]) == (
        "olga", "application.view", references[0]
    )  # fmt: skip
    audit = await (await client.get("/admin/fr/audit")).text()
    assert "application.view" in audit and references[0] in audit
    assert (await client.get("/admin/fr/applications/EIG-AAAA-AAAA")).status == 404


async def test_exports_are_the_command_lines_with_safe_cells(client, officer, storage, references):
    await signed_in(client, "olga")
    reply = await client.get("/admin/fr/applications/export.csv")
    rows = list(csv.DictReader(io.StringIO(await reply.text())))
    assert {row["reference"] for row in rows} == set(references)
    assert all(row["entrepreneurial_description"].startswith("'=") for row in rows)
    reply = await client.get("/admin/en/applications/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(await reply.read())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "reference" and len(values) == 3
    assert [e["action"] for e in raw(storage, "audit_log")] == [
        "applications.export.csv", "applications.export.xlsx"
    ]  # fmt: skip
    assert raw(storage, "audit_log")[0]["target"] == "2 rows"


async def test_delete_needs_the_confirmation_and_erases_every_store(
    client, officer, storage, conversations, references
):
    add_events(conversations, "e" * 32, [
        {"event": "user", "text": f"ma référence {references[0]}, mon mail {EMAIL}",
         "parse_data": {"intent": {"name": "inform", "confidence": 0.9}}},
    ])  # fmt: skip
    token = await signed_in(client, "olga")
    path = f"/admin/fr/applications/{references[0]}/delete"
    assert (await client.post(path, data={"csrf": token})).status == 400
    assert len(raw(storage, "pre_applications")) == 2
    reply = await client.post(path, data={"csrf": token, "confirm": "yes"}, allow_redirects=False)
    assert reply.status == 303
    assert [r["reference"] for r in raw(storage, "pre_applications")] == [references[1]]
    with conversations.engine.connect() as connection:
        stored = str(connection.exec_driver_sql("SELECT data FROM events").all())
    assert EMAIL not in stored and references[0] not in stored
    assert raw(storage, "audit_log")[-1]["action"] == "application.delete"


async def test_the_audit_log_keeps_no_personal_data_once_the_records_are_erased(
    client, officer, storage, conversations, references
):
    """Erased through the back office (the first) and through the assistant's erasure (the
    second, ``lifecycle.erase`` as ``actions/deletion.py`` calls it): the audit log still
    says who did what to which reference, and holds nothing else about the person."""
    token = await signed_in(client, "olga")
    for reference in references:
        assert (await client.get(f"/admin/fr/applications/{reference}")).status == 200
    assert (await client.get("/admin/fr/applications/export.csv")).status == 200
    path = f"/admin/fr/applications/{references[0]}/delete"
    reply = await client.post(path, data={"csrf": token, "confirm": "yes"}, allow_redirects=False)
    assert reply.status == 303
    assert lifecycle.erase(storage, conversations, references[1], "autre@exemple.fr")
    assert raw(storage, "pre_applications") == [] and raw(storage, "notification_requests") == []

    rows = raw(storage, "audit_log")
    assert {tuple(sorted(row)) for row in rows} == {("action", "at", "id", "target", "username")}
    assert [(r["username"], r["action"], r["target"]) for r in rows] == [
        ("olga", "application.view", references[0]),
        ("olga", "application.view", references[1]),
        ("olga", "applications.export.csv", "2 rows"),
        ("olga", "application.delete", references[0]),
    ]
    personal = ("Gwendoline", "Yves", EMAIL, "autre@exemple.fr", "cofondé", "HYPERLINK", "santé")
    page = await (await client.get("/admin/fr/audit")).text()
    assert references[1] in page
    for text in (repr(rows), page):
        assert [value for value in personal if value in text] == []


async def test_purge_now_runs_the_retention_and_is_audited(client, officer, storage, references):
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)
    submit(storage, 3, email="vieux@exemple.fr", now=old)
    token = await signed_in(client, "olga")
    reply = await client.post("/admin/fr/applications/purge", data={"csrf": token})
    assert reply.status == 200 and "Purge effectuée" in await reply.text()
    assert len(raw(storage, "pre_applications")) == 2
    [entry] = raw(storage, "audit_log")
    assert entry["action"] == "applications.purge" and entry["target"].startswith("1/")


def schedule_part(html: str) -> str:
    found = re.search(r'<div id="purge-schedule">(.*?)</div>\s*<form', html, re.S)
    assert found, "no purge schedule on the page"
    return html_module.unescape(found.group(1))


async def test_the_page_shows_the_last_purge_and_the_next_as_the_command_line_does(
    client, officer, storage, conversations, monkeypatch
):
    monkeypatch.setenv("EIG_PURGE_EVERY", "1h")
    token = await signed_in(client, "olga")
    part = schedule_part(await (await client.get("/admin/fr/applications")).text())
    assert "Aucune purge n'est enregistrée : le service de purge tourne-t-il ?" in part

    # Started here: the last run, its counts, and no next one known (no schedule recorded).
    submit(storage, 3, now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400))
    await client.post("/admin/fr/applications/purge", data={"csrf": token})
    part = schedule_part(await (await client.get("/admin/fr/applications")).text())
    last = lifecycle.schedule(storage).last
    assert last is not None and last.source == "back_office"
    assert f"{admin_app._when(last.started_at)}, lancée par le back-office." in part
    counts = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', part))
    assert counts["Pré-candidatures et demandes de notification"] == "1"
    assert len(counts) == len(storage_module.PURGE_COUNTS)
    assert "Aucune purge planifiée" in part

    # The purge service's run: the next one is that run plus EIG_PURGE_EVERY.
    lifecycle.purge(storage, conversations, source=lifecycle.SCHEDULE)
    schedule = lifecycle.schedule(storage)
    assert schedule.next_at is not None
    part = schedule_part(await (await client.get("/admin/en/applications")).text())
    assert "started by the purge service." in part
    assert f"Next purge due: {admin_app._when(schedule.next_at)} (every 60 minutes)." in part

    # Over a whole period past due: said plainly.
    with storage.engine.begin() as connection:
        connection.execute(
            storage_module.purge_runs.update().values(
                started_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=3)
            )
        )
    part = schedule_part(await (await client.get("/admin/en/applications")).text())
    assert "Purge late" in part and "Is the purge service (or the CronJob) running?" in part


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/fr/applications"),
        ("GET", "/admin/fr/applications/{ref}"),
        ("GET", "/admin/fr/applications/export.csv"),
        ("GET", "/admin/fr/applications/export.xlsx"),
        ("POST", "/admin/fr/applications/{ref}/delete"),
        ("POST", "/admin/fr/applications/purge"),
        ("GET", "/admin/fr/audit"),
    ],
)
async def test_an_editor_is_refused_every_application_page(
    client, editor, storage, references, method, path
):
    token = await signed_in(client, "eddie")
    url = path.format(ref=references[0])
    data = {"csrf": token, "confirm": "yes"} if method == "POST" else None
    reply = await client.request(method, url, data=data)
    assert reply.status == 403
    html = await reply.text()
    assert "Gwendoline" not in html and EMAIL not in html
    assert len(raw(storage, "pre_applications")) == 2 and raw(storage, "audit_log") == []
    assert not re.search(r"/admin/fr/applications\b", await (await client.get("/admin/fr/")).text())
