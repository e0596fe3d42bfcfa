"""Sign-in and rights of the back office: nothing under /admin/ without a session, CSRF on
every form, the lockout, the roles, the idle timeout, sign-out and disabled accounts."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.admin import accounts
from bot.admin.session import COOKIE, LOGIN_COOKIE, Sessions
from tests.bot.admin.conftest import PASSWORD, SECRET, csrf_of, raw, sign_in, signed_in

PAGES = ["/admin/fr/", "/admin/en/", "/admin/fr/todo", "/admin/fr/todo.csv", "/admin/fr/pending",
         "/admin/fr/audit", "/admin/fr/context?c=x"]  # fmt: skip
FORMS = ["/admin/fr/decide", "/admin/fr/logout"]


@pytest.mark.parametrize("path", PAGES)
async def test_no_page_without_a_session(client, path):
    reply = await client.get(path, allow_redirects=False)
    assert reply.status == 303
    assert reply.headers["Location"] == "/admin/" + path.split("/")[2] + "/login"


@pytest.mark.parametrize("path", FORMS)
async def test_no_form_without_a_session(client, path):
    reply = await client.post(path, data={"csrf": "x", "decision": "ignore"})
    assert reply.status == 403
    assert "session" in (await reply.text())


async def test_a_forged_or_foreign_cookie_is_no_session(client, editor):
    client.session.cookie_jar.update_cookies({COOKIE: "eyJ4IjoxfQ.forged.sig"})
    reply = await client.get("/admin/fr/", allow_redirects=False)
    assert reply.status == 303
    other = Sessions("another secret of forty characters......")
    client.session.cookie_jar.update_cookies({COOKIE: other.dump(other.new(editor.id, 1))})
    reply = await client.get("/admin/fr/", allow_redirects=False)
    assert reply.status == 303


async def test_sign_in_sets_a_signed_httponly_samesite_cookie(client, editor, storage):
    reply = await sign_in(client, "eddie")
    assert reply.status == 303 and reply.headers["Location"] == "/admin/fr/"
    cookie = reply.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/admin/"
    assert PASSWORD not in cookie.value and "eddie" not in cookie.value
    page = await client.get("/admin/fr/")
    assert page.status == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "script-src" not in page.headers["Content-Security-Policy"]
    assert "eddie" in await page.text()
    [row] = raw(storage, "staff_accounts")
    assert row["password_hash"].startswith("$argon2id$") and PASSWORD not in row["password_hash"]
    assert row["last_sign_in_at"] is not None


async def test_sign_in_without_the_forms_csrf_token_is_refused(client, editor):
    await client.get("/admin/fr/login")
    reply = await client.post(
        "/admin/fr/login",
        data={"csrf": "guessed", "username": "eddie", "password": PASSWORD},
        allow_redirects=False,
    )
    assert reply.status == 403
    assert COOKIE not in reply.cookies
    client.session.cookie_jar.clear()
    form = await client.get("/admin/fr/login")
    token = csrf_of(await form.text())
    client.session.cookie_jar.clear()  # the token without its cookie
    reply = await client.post(
        "/admin/fr/login", data={"csrf": token, "username": "eddie", "password": PASSWORD}
    )
    assert reply.status == 403


async def test_a_form_with_a_bad_csrf_token_is_refused_and_changes_nothing(client, editor, storage):
    token = await signed_in(client, "eddie")
    form = {"language": "fr", "text": "blorp", "decision": "ignore", "count": "1"}
    for bad in ({}, {"csrf": ""}, {"csrf": token[:-1] + ("A" if token[-1] != "A" else "B")}):
        reply = await client.post("/admin/fr/decide", data={**form, **bad})
        assert reply.status == 403
        assert "formulaire" in await reply.text()
    assert raw(storage, "inbox_decisions") == []
    reply = await client.post(
        "/admin/fr/decide", data={**form, "csrf": token}, allow_redirects=False
    )
    assert reply.status == 303
    assert [r["decision"] for r in raw(storage, "inbox_decisions")] == ["ignore"]


async def test_wrong_passwords_lock_the_account_even_for_the_right_one(client, editor, storage):
    for _ in range(accounts.MAX_FAILURES - 1):
        reply = await sign_in(client, "eddie", "wrong password!!")
        assert reply.status == 401
        assert "incorrect" in await reply.text()
    reply = await sign_in(client, "eddie", "wrong password!!")
    assert reply.status == 429
    assert "bloqué" in await reply.text()
    reply = await sign_in(client, "eddie", PASSWORD)
    assert reply.status == 429
    assert COOKIE not in reply.cookies
    [row] = raw(storage, "staff_accounts")
    assert row["locked_until"] is not None


def test_the_lock_ends_after_its_time_and_a_success_resets_the_count(storage, editor):
    start = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone.utc)
    for _ in range(accounts.MAX_FAILURES):
        outcome = accounts.authenticate(storage, "eddie", "nope nope nope", start)
    assert outcome.refused == "locked"
    assert accounts.authenticate(storage, "eddie", PASSWORD, start).refused == "locked"
    later = start + accounts.LOCKOUT + dt.timedelta(seconds=1)
    assert accounts.authenticate(storage, "eddie", PASSWORD, later).staff is not None
    assert accounts.authenticate(storage, "eddie", "nope nope nope", later).refused == "wrong"
    [row] = raw(storage, "staff_accounts")
    assert row["failed_sign_ins"] == 1 and row["locked_until"] is None


async def test_an_unknown_name_gets_the_same_answer_as_a_wrong_password(client, editor):
    unknown = await sign_in(client, "nobody", PASSWORD)
    wrong = await sign_in(client, "eddie", "wrong password!!")
    assert unknown.status == wrong.status == 401


async def test_an_editor_is_refused_the_data_officers_pages(client, editor, officer):
    await signed_in(client, "eddie")
    reply = await client.get("/admin/fr/audit")
    assert reply.status == 403
    assert "responsable des données" in await reply.text()
    page = await (await client.get("/admin/fr/")).text()
    assert "/admin/fr/audit" not in page
    client.session.cookie_jar.clear()
    await signed_in(client, "olga")
    assert (await client.get("/admin/fr/audit")).status == 200


async def test_the_session_ends_after_the_idle_timeout(known, storage, conversations, editor):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import create_app

    sessions = Sessions(SECRET, idle_timeout_s=1)
    app = create_app(known, feedback_store=lambda: storage,
                     admin_conversations=lambda: conversations, admin_sessions=sessions)  # fmt: skip
    async with TestClient(TestServer(app)) as client:
        assert (await sign_in(client, "eddie")).status == 303
        assert (await client.get("/admin/fr/", allow_redirects=False)).status == 200
        import asyncio

        await asyncio.sleep(2.2)
        reply = await client.get("/admin/fr/", allow_redirects=False)
        assert reply.status == 303 and reply.headers["Location"] == "/admin/fr/login"


async def test_sign_out_and_disabling_end_the_session(client, editor, storage, sessions):
    token = await signed_in(client, "eddie")
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/admin/"))[COOKIE].value
    reply = await client.post("/admin/fr/logout", data={"csrf": token}, allow_redirects=False)
    assert reply.status == 303
    client.session.cookie_jar.update_cookies({COOKIE: cookie})  # the old cookie, replayed
    assert (await client.get("/admin/fr/", allow_redirects=False)).status == 303

    await signed_in(client, "eddie")
    assert accounts.disable(storage, "eddie")
    assert (await client.get("/admin/fr/", allow_redirects=False)).status == 303
    assert (await sign_in(client, "eddie")).status == 401


async def test_the_login_cookie_is_httponly_and_limited_to_the_back_office(client):
    reply = await client.get("/admin/en/login")
    cookie = reply.cookies[LOGIN_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/admin/"
    html = await reply.text()
    assert 'lang="en"' in html and "Sign in" in html


def test_accounts_refuse_bad_names_roles_passwords_and_duplicates(storage, editor):
    with pytest.raises(accounts.AccountError, match="user name"):
        accounts.add(storage, "Eddie Smith", accounts.EDITOR, PASSWORD)
    with pytest.raises(accounts.AccountError, match="role"):
        accounts.add(storage, "zoe", "admin", PASSWORD)
    with pytest.raises(accounts.AccountError, match="12"):
        accounts.add(storage, "zoe", accounts.EDITOR, "short")
    with pytest.raises(accounts.AccountError, match="taken"):
        accounts.add(storage, "EDDIE", accounts.EDITOR, PASSWORD)
    assert [s.username for s in accounts.listing(storage)] == ["eddie"]


async def test_a_database_that_fails_gets_a_page_in_the_language_not_a_500(client, editor, storage):
    await signed_in(client, "eddie")
    with storage.engine.begin() as connection:  # the accounts' table is gone
        connection.exec_driver_sql("DROP TABLE staff_accounts")
    reply = await client.get("/admin/en/")
    assert reply.status == 503
    assert "The database does not answer" in await reply.text()
    client.session.cookie_jar.clear()
    form = await client.get("/admin/fr/login")
    token = csrf_of(await form.text())
    reply = await client.post(
        "/admin/fr/login", data={"csrf": token, "username": "eddie", "password": PASSWORD}
    )
    assert reply.status == 503
    assert "La base de données ne répond pas" in await reply.text()
