"""Storage of pre-applications and notification requests, on SQLite and on a real
PostgreSQL server (started by scripts/postgres.sh, installed from Debian if missing)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa

from bot.__main__ import main
from bot.applications import storage
from bot.applications.storage import ConsentRequired, InvalidSubmission, Storage
from bot.domain import fields
from bot.infra import spreadsheet

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)

# Personal data of the fixtures: none of it may reach a log line.
NAME = "Gwendoline"
EMAIL = "Gwendoline.Kerbrat@Exemple.FR"
DESCRIPTION = "Cofondatrice d'une coopérative de livraison à vélo"
INTEREST = "Ouvrir les données des cantines scolaires"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend (PostgreSQL: tests/conftest.py's server)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'applications.db'}"
        return
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def store(url: str) -> Iterator[Storage]:
    s = Storage(url)
    yield s
    s.close()


def answers(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "language": "fr",
        "promotion": 7,
        "target_profile": "technical_director",
        "years_of_experience": 8,
        "entrepreneurial_experience": True,
        "entrepreneurial_description": DESCRIPTION,
        "led_teams": True,
        "project_interest": INTEREST,
        "first_name": NAME,
        "email": EMAIL,
        "consent": True,
        "now": NOW,
    }
    values.update(overrides)
    return values


def key(n: int = 1) -> str:
    return storage.conversation_key(f"sender-{n}", f"token-{n}")


# ---- Submission ------------------------------------------------------------------------


def test_submit_returns_a_reference_and_stores_normalised_answers(store: Storage) -> None:
    reference = store.submit(key(), **answers())
    assert fields.REFERENCE_RE.match(reference)
    [row] = store.export_rows()
    assert row["reference"] == reference
    assert row["email"] == "gwendoline.kerbrat@exemple.fr"
    assert row["created_at"] == NOW
    assert row["entrepreneurial_experience"] is True
    assert row["led_teams"] is True
    assert row["first_name"] == NAME


def test_submit_is_idempotent_on_the_conversation_key(store: Storage) -> None:
    first = store.submit(key(), **answers())
    again = store.submit(key(), **answers(first_name="Autre"))
    assert again == first
    assert store.count()["pre_applications"] == 1
    other = store.submit(key(2), **answers())
    assert other != first
    assert store.count()["pre_applications"] == 2


def test_concurrent_double_submit_writes_one_row(store: Storage) -> None:
    barrier = threading.Barrier(4)
    references: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            references.append(store.submit(key(), **answers()))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(references) == 4 and len(set(references)) == 1
    assert store.count()["pre_applications"] == 1


def test_the_database_unique_constraint_backs_idempotency(store: Storage) -> None:
    """Two inserts that both passed the first look-up (the race) still give one row."""
    reference = store.submit(key(), **answers())
    original = store._reference_for
    lookups: list[str] = []

    def late_lookup(k: str) -> str | None:
        lookups.append(k)  # the first look-up misses, as if the other writer was not done
        return None if len(lookups) == 1 else original(k)

    store._reference_for = late_lookup  # type: ignore[method-assign]
    assert store.submit(key(), **answers()) == reference
    assert len(lookups) == 2  # the insert hit the unique constraint, then looked again
    assert store.count()["pre_applications"] == 1


def test_data_survives_a_restart(url: str) -> None:
    first = Storage(url)
    reference = first.submit(key(), **answers())
    first.request_notification(EMAIL, language="en", consent=True, now=NOW)
    first.close()
    second = Storage(url)
    assert [row["reference"] for row in second.export_rows()] == [reference]
    assert second.submit(key(), **answers()) == reference
    assert second.count() == {"pre_applications": 1, "notification_requests": 1}
    second.close()


@pytest.mark.parametrize("consent", [False, None, "yes", 1])
def test_no_consent_no_storage(store: Storage, consent: Any) -> None:
    with pytest.raises(ConsentRequired):
        store.submit(key(), **answers(consent=consent))
    with pytest.raises(ConsentRequired):
        store.request_notification(EMAIL, language="fr", consent=consent)
    assert store.count() == {"pre_applications": 0, "notification_requests": 0}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "x" * 101),
        ("first_name", "   "),
        ("first_name", None),
        ("entrepreneurial_description", "x" * 501),
        ("project_interest", "x" * 1001),
        ("project_interest", ""),
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("email", "x" * 250 + "@a.fr"),
        ("years_of_experience", -1),
        ("years_of_experience", 61),
        ("years_of_experience", "8"),
        ("years_of_experience", True),
        ("promotion", 0),
        ("language", "de"),
        ("target_profile", "developer"),
        ("entrepreneurial_experience", None),
        ("led_teams", "yes"),
    ],
)
def test_invalid_answers_are_refused_naming_the_field_not_the_value(
    store: Storage, field: str, value: Any
) -> None:
    with pytest.raises(InvalidSubmission) as raised:
        store.submit(key(), **answers(**{field: value}))
    assert raised.value.field == field
    if isinstance(value, str) and value.strip():
        assert value not in str(raised.value)
    assert store.count()["pre_applications"] == 0


def test_limits_are_inclusive(store: Storage) -> None:
    store.submit(
        key(),
        **answers(
            first_name="x" * 100,
            entrepreneurial_description="y" * 500,
            project_interest="z" * 1000,
            years_of_experience=60,
            led_teams=None,
        ),
    )
    [row] = store.export_rows()
    assert len(row["project_interest"]) == 1000 and row["led_teams"] is None
    store.submit(key(2), **answers(years_of_experience=0))


def test_no_description_is_kept_without_entrepreneurial_experience(store: Storage) -> None:
    store.submit(key(), **answers(entrepreneurial_experience=False))
    [row] = store.export_rows()
    assert row["entrepreneurial_description"] is None


def test_conversation_key_is_a_hash_not_the_sender_id() -> None:
    k = storage.conversation_key("socket-abc123", "tok")
    assert len(k) == 64 and "abc123" not in k
    assert k == storage.conversation_key("socket-abc123", "tok")
    assert k != storage.conversation_key("socket-abc123", "tok2")
    with pytest.raises(InvalidSubmission):
        storage.conversation_key("", "tok")


def test_submit_refuses_a_raw_sender_id_as_key(store: Storage) -> None:
    with pytest.raises(InvalidSubmission):
        store.submit("socket-abc123", **answers())


# ---- Deletion, retention, export -------------------------------------------------------


def test_delete_needs_both_reference_and_email(store: Storage) -> None:
    reference = store.submit(key(), **answers())
    other = store.submit(key(2), **answers(email="autre@exemple.fr"))
    store.request_notification(EMAIL, language="fr", consent=True)
    assert not store.delete(reference, "autre@exemple.fr")
    assert not store.delete(other, EMAIL)
    assert not store.delete("EIG-2222-2222", EMAIL)
    assert not store.delete(reference, "not an email")
    assert store.count() == {"pre_applications": 2, "notification_requests": 1}
    # Case, spaces and hyphens as people type them.
    assert store.delete(reference.lower().replace("-", " "), "  " + EMAIL.upper())
    assert [row["reference"] for row in store.export_rows()] == [other]
    assert store.count()["notification_requests"] == 0
    assert not store.delete(reference, EMAIL)


def test_purge_boundaries(store: Storage) -> None:
    retention = dt.timedelta(days=180)
    cutoff = NOW - retention
    store.submit(key(1), **answers(now=cutoff - dt.timedelta(seconds=1)))
    kept_at_cutoff = store.submit(key(2), **answers(now=cutoff))
    recent = store.submit(key(3), **answers(now=NOW))
    store.request_notification(
        "old@exemple.fr", language="fr", consent=True, now=cutoff - dt.timedelta(days=1)
    )
    store.request_notification("new@exemple.fr", language="fr", consent=True, now=NOW)
    assert store.purge(retention, now=NOW) == 2
    assert [row["reference"] for row in store.export_rows()] == [kept_at_cutoff, recent]
    assert [row["email"] for row in store.export_notification_rows()] == ["new@exemple.fr"]
    assert store.purge(retention, now=NOW) == 0
    assert store.purge(dt.timedelta(0), now=NOW + dt.timedelta(microseconds=1)) == 3


def test_purge_refuses_naive_now(store: Storage) -> None:
    with pytest.raises(ValueError):
        store.purge(dt.timedelta(days=1), now=dt.datetime(2026, 1, 1))


def test_export_csv_content(store: Storage) -> None:
    first = store.submit(key(1), **answers(now=NOW - dt.timedelta(days=1)))
    second = store.submit(
        key(2),
        **answers(
            language="en",
            first_name='=HYPERLINK("http://x")',
            email="b@exemple.fr",
            entrepreneurial_experience=False,
            led_teams=None,
            project_interest='Line one\nline two, with "quotes"',
        ),
    )
    out = io.StringIO()
    assert spreadsheet.write_csv(store.export_rows(), storage.EXPORT_COLUMNS, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(storage.EXPORT_COLUMNS)
    assert [row["reference"] for row in rows] == [first, second]
    assert rows[0]["created_at"] == "2026-02-28T12:00:00+00:00"
    assert rows[0]["email"] == "gwendoline.kerbrat@exemple.fr"
    assert rows[0]["entrepreneurial_description"] == DESCRIPTION
    assert rows[1]["first_name"] == '\'=HYPERLINK("http://x")'  # no spreadsheet formula
    assert rows[1]["project_interest"] == 'Line one\nline two, with "quotes"'
    assert rows[1]["led_teams"] == "" and rows[1]["entrepreneurial_experience"] == "false"


def test_export_xlsx_content(store: Storage, tmp_path: Path) -> None:
    reference = store.submit(
        key(1),
        **answers(
            first_name="@SUM(A1:A9)",
            project_interest='Cantines ; =HYPERLINK("http://x")',
            years_of_experience=12,
        ),
    )
    target = tmp_path / "export.xlsx"
    assert spreadsheet.write_xlsx(store.export_rows(), storage.EXPORT_COLUMNS, target) == 1
    sheet = openpyxl.load_workbook(target).active
    [header, row] = list(sheet.iter_rows())
    assert [cell.value for cell in header] == list(storage.EXPORT_COLUMNS)
    values = {name: cell.value for name, cell in zip(storage.EXPORT_COLUMNS, row, strict=True)}
    assert values["reference"] == reference and values["years_of_experience"] == "12"
    assert values["first_name"] == "@SUM(A1:A9)"  # as typed, and stored as text
    assert values["project_interest"] == 'Cantines ; =HYPERLINK("http://x")'
    assert values["created_at"] == "2026-03-01T12:00:00+00:00"
    assert {cell.data_type for cell in row if cell.value is not None} == {"s"}


# ---- Notification requests -------------------------------------------------------------


def test_notification_request_is_idempotent_per_email(store: Storage) -> None:
    assert store.request_notification(EMAIL, language="fr", consent=True, now=NOW)
    assert not store.request_notification(EMAIL.upper(), language="en", consent=True)
    [row] = store.export_notification_rows()
    assert row["email"] == "gwendoline.kerbrat@exemple.fr"
    assert row["language"] == "fr" and row["notified_at"] is None and row["created_at"] == NOW
    assert store.cancel_notification(EMAIL)
    assert not store.cancel_notification(EMAIL)


def test_concurrent_notification_requests_write_one_row(store: Storage) -> None:
    barrier = threading.Barrier(4)
    results: list[bool] = []

    def ask() -> None:
        barrier.wait()
        results.append(store.request_notification(EMAIL, language="fr", consent=True))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, False, False, True]
    assert store.count()["notification_requests"] == 1


# ---- Migrations ------------------------------------------------------------------------


def test_migrations_create_the_schema_from_empty(url: str) -> None:
    engine = sa.create_engine(url, future=True)
    assert sa.inspect(engine).get_table_names() == []
    s = Storage(url, migrate=False)
    s.migrate()
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) == {
        "alembic_version",
        "pre_applications",
        "notification_requests",
        "answer_feedback",
        "staff_accounts",
        "audit_log",
        "inbox_decisions",
        "purge_runs",
    }
    columns = {c["name"] for c in inspector.get_columns("pre_applications")}
    assert columns == {c.name for c in storage.pre_applications.columns}
    with engine.connect() as connection:
        assert (
            connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            == "0005"
        )
    s.migrate()  # twice is a no-op
    s.close()
    engine.dispose()


def test_the_models_match_the_migrations(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    s = Storage(url)
    with s.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), storage.metadata)
    assert diff == []
    s.close()


# ---- Logs ------------------------------------------------------------------------------


def test_no_personal_data_in_logs(url: str, caplog: pytest.LogCaptureFixture, capsys: Any) -> None:
    caplog.set_level(logging.DEBUG)
    s = Storage(url)
    reference = s.submit(key(), **answers())
    s.submit(key(), **answers())
    for bad in ({"consent": False}, {"first_name": "x" * 101 + NAME}, {"email": NAME}):
        with pytest.raises(InvalidSubmission):
            s.submit(key(2), **answers(**bad))
    s.request_notification(EMAIL, language="fr", consent=True)
    s.request_notification(EMAIL, language="fr", consent=True)
    list(s.export_rows())
    list(s.export_notification_rows())
    s.delete(reference, "wrong@exemple.fr")
    s.purge(dt.timedelta(days=180))
    s.delete(reference, EMAIL)
    s.cancel_notification(EMAIL)
    s.close()
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records).lower()
    assert reference.lower() in text  # references are logged, that is how support finds them
    for secret in (NAME, EMAIL, "gwendoline", "kerbrat", DESCRIPTION, INTEREST):
        assert secret.lower() not in text


# ---- Command line ----------------------------------------------------------------------


def test_parse_duration() -> None:
    assert storage.parse_duration("180d") == dt.timedelta(days=180)
    assert storage.parse_duration("12h") == dt.timedelta(hours=12)
    assert storage.parse_duration("2w") == dt.timedelta(days=14)
    assert storage.parse_duration("30m") == dt.timedelta(minutes=30)
    for bad in ("", "180", "d", "-1d", "1y", "1.5d"):
        with pytest.raises(ValueError):
            storage.parse_duration(bad)


def test_cli(url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["applications", "migrate"]) == 0
    s = Storage(url)
    reference = s.submit(key(), **answers(now=dt.datetime.now(dt.timezone.utc)))
    capsys.readouterr()
    assert main(["applications", "export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(f'"{name}"' for name in storage.EXPORT_COLUMNS)
    assert f'"{reference}"' in out and '"gwendoline.kerbrat@exemple.fr"' in out
    target = tmp_path / "export.csv"
    assert main(["applications", "export", "--format", "csv", "--output", str(target)]) == 0
    assert target.read_bytes().decode("utf-8") == out
    assert main(["applications", "export", "--table", "notifications"]) == 0
    assert capsys.readouterr().out.startswith('"email","language"')
    workbook = tmp_path / "export.xlsx"
    assert main(["applications", "export", "--format", "xlsx", "--output", str(workbook)]) == 0
    sheet = openpyxl.load_workbook(workbook)["applications"]
    [header, row] = [[cell.value for cell in cells] for cells in sheet.iter_rows()]
    assert header == list(storage.EXPORT_COLUMNS)
    assert row[0] == reference and row[header.index("email")] == "gwendoline.kerbrat@exemple.fr"
    assert row[header.index("years_of_experience")] == "8"  # every cell a string
    assert main(["applications", "export", "--format", "xlsx"]) == 2  # a workbook needs a file
    assert "--output" in capsys.readouterr().err
    assert main(["applications", "purge", "--older-than", "180d"]) == 0
    assert capsys.readouterr().out.strip() == "purged 0"
    assert main(["applications", "delete", "--reference", reference, "--email", "x@y.fr"]) == 1
    assert main(["applications", "delete", "--reference", reference, "--email", EMAIL]) == 0
    assert main(["applications", "purge", "--older-than", "0d"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "purged 0"
    with pytest.raises(SystemExit):
        main(["applications", "purge", "--older-than", "soon"])
    s.close()
