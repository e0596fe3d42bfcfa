"""The pages of the e-mails' links on the real web app: GET asks, only POST acts, a bad
link gets the same refusal, DSFR pages in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.mail.service import Mail
from bot.web.app import create_app
from bot.web.mail_links import MAIL
from tests.bot.mail.conftest import Collector
from tests.bot.mail.test_mail import confirmed, link_in, request, token


@pytest.fixture
async def web(mail: Mail, known):  # type: ignore[no-untyped-def]
    app = create_app(known, today=lambda: dt.date(2026, 11, 23))
    async with TestClient(TestServer(app)) as test_client:
        app[MAIL]["service"] = mail  # the test's database and SMTP server
        yield test_client


async def test_confirm_page_asks_then_the_button_confirms(
    web: TestClient, mail: Mail, mail_env: Collector
) -> None:
    request(mail, "camille@example.org", "fr")
    t = token(link_in(mail_env.messages[0], "confirm"))
    page = await web.get("/fr/mail/confirm", params={"t": t})
    assert page.status == 200
    html = await page.text()
    assert "Je confirme mon adresse" in html and 'lang="fr"' in html and "fr-btn" in html
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert not confirmed(mail.store, "camille@example.org")  # a GET changes nothing
    done = await web.post("/fr/mail/confirm", data={"t": t})
    assert done.status == 200 and "votre adresse est confirmée" in await done.text()
    assert confirmed(mail.store, "camille@example.org")


async def test_a_bad_link_is_refused_in_the_pages_language(
    web: TestClient, mail: Mail, mail_env: Collector
) -> None:
    for params in ({"t": "not-a-token"}, {}, {"t": "x" * 1000}):
        page = await web.get("/en/mail/unsubscribe", params=params)
        assert page.status == 400
        assert "This link is not valid" in await page.text()
    posted = await web.post("/en/mail/delete", data={"t": "forged.token.value"})
    assert posted.status == 400


async def test_one_click_unsubscribe_by_post(
    web: TestClient, mail: Mail, mail_env: Collector
) -> None:
    request(mail, "camille@example.org", "en")
    assert mail.follow("confirm", token(link_in(mail_env.messages[0], "confirm")))
    assert mail.send_cancellation("camille@example.org")
    url = link_in(mail_env.messages[-1], "unsubscribe")
    path = url.split("chat.example.gouv.fr", 1)[1]
    response = await web.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status == 200 and "your address is erased" in await response.text()
    assert mail.store.count()["notification_requests"] == 0


async def test_without_smtp_the_page_says_e_mail_is_unavailable(
    known,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.delenv("EIG_SMTP_HOST", raising=False)
    app = create_app(known, today=lambda: dt.date(2026, 11, 23))
    async with TestClient(TestServer(app)) as client:
        page = await client.get("/fr/mail/confirm", params={"t": "abc"})
        assert page.status == 503
        assert "pas disponible" in await page.text()
