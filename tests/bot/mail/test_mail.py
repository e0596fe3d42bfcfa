"""E-mail that goes out, against a real SMTP server on loopback: double opt-in, the
reference, the links, the opening mailing sent once across an interruption, refusals."""

from __future__ import annotations

import datetime as dt
import logging
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from bot.applications import storage
from bot.applications.storage import Storage
from bot.mail import links, sender
from bot.mail.service import LEASE, Mail
from bot.wording import mail as wording
from tests.bot.mail.conftest import OPEN_DAY, SECRET, Collector

OPEN = dt.date.fromisoformat(OPEN_DAY)
CLOSED = dt.date(2026, 12, 1)


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def link_in(message: EmailMessage, action: str) -> str:
    text, _ = parts(message)
    found = [w for w in text.split() if f"/mail/{action}?t=" in w]
    assert found, f"no {action} link in {text!r}"
    return found[0]


def token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["t"][0]


def request(mail: Mail, email: str, language: str = "fr") -> None:
    assert mail.store.request_notification(email, language=language, consent=True)
    recipient = mail.notification_recipient(email)
    assert recipient is not None
    assert mail.send_confirmation(recipient)


def confirmed(store: Storage, email: str) -> bool:
    table = storage.notification_requests
    with store.engine.connect() as c:
        value = c.execute(sa.select(table.c.confirmed_at).where(table.c.email == email)).scalar()
    return value is not None


def submit(store: Storage, email: str, language: str = "en") -> str:
    return store.submit(
        storage.conversation_key("sender", email),
        language=language,
        promotion=7,
        target_profile="technical_director",
        years_of_experience=12,
        entrepreneurial_experience=True,
        entrepreneurial_description="<b>founded</b> a start-up",
        led_teams=True,
        project_interest="open data <script>alert(1)</script>",
        first_name="Ada",
        email=email,
        consent=True,
    )


# ---- double opt-in ---------------------------------------------------------------------


def test_a_notification_request_gets_one_confirmation_in_its_language(
    mail: Mail, mail_env: Collector
) -> None:
    request(mail, "camille@example.org", "fr")
    [message] = mail_env.messages
    assert message["To"] == "camille@example.org"
    assert message["From"] == "EIG <eig@example.gouv.fr>"
    assert message["Subject"].startswith("Confirmez votre adresse")
    text, html = parts(message)
    assert "7e promotion" in text and "48 heures" in text
    url = link_in(message, "confirm")
    assert url.startswith("https://chat.example.gouv.fr/fr/mail/confirm?t=")
    assert url in html
    assert "camille" not in url  # the link names no address
    assert not confirmed(mail.store, "camille@example.org")


def test_confirming_follows_the_signed_link_only(mail: Mail, mail_env: Collector) -> None:
    request(mail, "camille@example.org")
    url = link_in(mail_env.messages[0], "confirm")
    assert not mail.follow("confirm", token(url)[:-2] + "xx")  # damaged
    assert not mail.follow("unsubscribe", token(url))  # another purpose
    forged = links.sign("f" * 40, "confirm-notification", 1, "0" * 24)
    assert not mail.follow("confirm", forged)
    assert not confirmed(mail.store, "camille@example.org")
    assert mail.check("confirm", token(url))
    assert mail.follow("confirm", token(url))
    assert confirmed(mail.store, "camille@example.org")


def test_the_confirmation_link_expires(
    mail: Mail, mail_env: Collector, monkeypatch: pytest.MonkeyPatch
) -> None:
    request(mail, "camille@example.org")
    url = link_in(mail_env.messages[0], "confirm")
    monkeypatch.setenv("EIG_CONFIRM_WITHIN", "1s")
    import time

    time.sleep(2.1)
    assert not mail.follow("confirm", token(url))
    assert not confirmed(mail.store, "camille@example.org")


def test_unconfirmed_requests_are_purged_after_the_delay_confirmed_ones_stay(
    mail: Mail, mail_env: Collector
) -> None:
    request(mail, "late@example.org")
    request(mail, "quick@example.org")
    assert mail.follow("confirm", token(link_in(mail_env.to("quick@example.org")[0], "confirm")))
    now = dt.datetime.now(dt.timezone.utc)
    purged, _, _ = mail.housekeeping(today=CLOSED, now=now + dt.timedelta(hours=47))
    assert purged == 0
    purged, _, _ = mail.housekeeping(today=CLOSED, now=now + dt.timedelta(hours=49))
    assert purged == 1
    assert [r["email"] for r in mail.store.export_notification_rows()] == ["quick@example.org"]


def test_a_confirmation_that_could_not_leave_is_sent_by_the_next_run(
    mail: Mail, mail_env: Collector
) -> None:
    mail_env.fail_after = 0
    mail.store.request_notification("camille@example.org", language="en", consent=True)
    recipient = mail.notification_recipient("camille@example.org")
    assert recipient is not None and not mail.send_confirmation(recipient)
    assert mail_env.messages == []
    mail_env.fail_after = None
    _, resent, _ = mail.housekeeping(today=CLOSED)
    assert resent == 1
    [message] = mail_env.messages
    assert message["Subject"].startswith("Confirm your address")
    _, resent, _ = mail.housekeeping(today=CLOSED)
    assert resent == 0 and len(mail_env.messages) == 1


# ---- the pre-application's e-mail ------------------------------------------------------


def test_a_pre_application_gets_its_reference_answers_and_delete_link(
    mail: Mail, mail_env: Collector
) -> None:
    reference = submit(mail.store, "ada@example.org")
    recipient = mail.application_recipient(reference)
    assert recipient is not None and mail.send_confirmation(recipient)
    [message] = mail_env.messages
    assert reference in message["Subject"]
    text, html = parts(message)
    assert f"reference {reference}" in text and "Hello Ada" in text
    assert "open data <script>alert(1)</script>" in text  # text stays text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>founded</b>" not in html
    assert link_in(message, "confirm") and link_in(message, "delete")
    assert mail.follow("confirm", token(link_in(message, "confirm")))
    with mail.store.engine.connect() as c:
        row = c.execute(sa.select(storage.pre_applications)).mappings().one()
    assert row["email_confirmed_at"] is not None and row["confirmation_sent_at"] is not None


def test_the_delete_link_deletes_the_pre_application_and_the_request(
    mail: Mail, mail_env: Collector
) -> None:
    reference = submit(mail.store, "ada@example.org")
    mail.store.request_notification("ada@example.org", language="en", consent=True)
    recipient = mail.application_recipient(reference)
    assert recipient is not None and mail.send_confirmation(recipient)
    delete = token(link_in(mail_env.messages[0], "delete"))
    assert not mail.follow("unsubscribe", delete)
    assert mail.follow("delete", delete)
    assert mail.store.count() == {"pre_applications": 0, "notification_requests": 0}
    assert not mail.follow("delete", delete)  # used up: the row is gone


# ---- the opening mailing ---------------------------------------------------------------


def confirmed_requests(mail: Mail, collector: Collector, count: int) -> list[str]:
    addresses = [f"person{n}@example.org" for n in range(count)]
    for n, address in enumerate(addresses):
        request(mail, address, "fr" if n % 2 else "en")
    for address in addresses:
        assert mail.follow("confirm", token(link_in(collector.to(address)[0], "confirm")))
    collector.messages.clear()
    return addresses


def test_nothing_is_sent_while_the_call_is_not_open(mail: Mail, mail_env: Collector) -> None:
    confirmed_requests(mail, mail_env, 2)
    opening = mail.run_opening(today=CLOSED)
    assert not opening.call_open and opening.due == 2
    assert mail_env.messages == []


def test_the_opening_mail_goes_once_to_each_confirmed_address_only(
    mail: Mail, mail_env: Collector
) -> None:
    addresses = confirmed_requests(mail, mail_env, 3)
    request(mail, "unconfirmed@example.org")
    mail_env.messages.clear()
    assert mail.run_opening(today=OPEN, dry_run=True).due == 3
    assert mail_env.messages == []
    opening = mail.run_opening(today=OPEN)
    assert (opening.sent, opening.failed) == (3, 0)
    assert sorted(m["To"] for m in mail_env.messages) == addresses
    assert mail_env.to("unconfirmed@example.org") == []
    english = mail_env.to("person0@example.org")[0]
    assert "is open" in english["Subject"]
    text, _ = parts(english)
    assert "1 March 2027" in text and "https://" in text
    unsubscribe = link_in(english, "unsubscribe")
    assert english["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.run_opening(today=OPEN).sent == 0  # run again: nothing more
    assert len(mail_env.messages) == 3


def test_an_interrupted_run_and_a_rerun_send_each_address_exactly_once(
    mail: Mail, mail_env: Collector
) -> None:
    addresses = confirmed_requests(mail, mail_env, 5)
    mail_env.fail_after = 2  # the server stops accepting after two messages
    first = mail.run_opening(today=OPEN)
    assert (first.sent, first.failed) == (2, 1)
    mail_env.fail_after = None
    # The run stopped; its claim on the third request lapses after LEASE.
    later = dt.datetime.now(dt.timezone.utc) + LEASE + dt.timedelta(seconds=1)
    second = mail.run_opening(today=OPEN, now=later)
    assert second.sent == 3
    assert sorted(m["To"] for m in mail_env.messages) == addresses
    assert mail.run_opening(today=OPEN, now=later).sent == 0


def test_a_run_killed_mid_way_frees_its_request_for_the_rerun(
    mail: Mail, mail_env: Collector, monkeypatch: pytest.MonkeyPatch
) -> None:
    addresses = confirmed_requests(mail, mail_env, 3)
    real_send = sender.Sender.send
    calls = []

    def crash_on_the_second(self: sender.Sender, message: EmailMessage) -> None:
        calls.append(message["To"])
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C, SIGTERM: before the server accepted it
        real_send(self, message)

    monkeypatch.setattr(sender.Sender, "send", crash_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        mail.run_opening(today=OPEN)
    monkeypatch.setattr(sender.Sender, "send", real_send)
    assert len(mail_env.messages) == 1
    assert mail.run_opening(today=OPEN).sent == 2
    assert sorted(m["To"] for m in mail_env.messages) == addresses


def test_a_refused_recipient_is_logged_without_the_address_and_not_retried(
    mail: Mail, mail_env: Collector, caplog: pytest.LogCaptureFixture
) -> None:
    addresses = confirmed_requests(mail, mail_env, 3)
    mail_env.refuse = {addresses[1]}
    with caplog.at_level(logging.DEBUG):
        opening = mail.run_opening(today=OPEN)
    assert (opening.sent, opening.failed) == (2, 1)
    assert sorted(m["To"] for m in mail_env.messages) == [addresses[0], addresses[2]]
    ours = [r for r in caplog.records if r.name.startswith("bot.")]  # not the server's
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in ours)
    assert "SMTPRecipientsRefused" in logged and "550" in logged
    assert "@example.org" not in logged
    assert mail.run_opening(today=OPEN).sent == 0  # refused for good: not tried again


def test_the_unsubscribe_link_erases_the_request(mail: Mail, mail_env: Collector) -> None:
    confirmed_requests(mail, mail_env, 1)
    mail.run_opening(today=OPEN)
    url = token(link_in(mail_env.messages[0], "unsubscribe"))
    assert mail.follow("unsubscribe", url)
    assert mail.store.count()["notification_requests"] == 0


def test_cancelling_from_the_chat_sends_a_link_to_a_confirmed_address_only(
    mail: Mail, mail_env: Collector
) -> None:
    request(mail, "new@example.org")
    assert not mail.send_cancellation("new@example.org")  # unconfirmed: nothing more
    assert not mail.send_cancellation("nobody@example.org")
    assert len(mail_env.messages) == 1
    assert mail.follow("confirm", token(link_in(mail_env.messages[0], "confirm")))
    assert mail.send_cancellation("new@example.org")
    assert mail.store.count()["notification_requests"] == 1  # knowing the address is not enough
    assert mail.follow("unsubscribe", token(link_in(mail_env.messages[-1], "unsubscribe")))
    assert mail.store.count()["notification_requests"] == 0


# ---- not configured --------------------------------------------------------------------


def test_without_smtp_settings_mail_is_off_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("EIG_SMTP_HOST", "EIG_MAIL_FROM", "EIG_LINK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert not sender.configured()
    with pytest.raises(sender.MailNotConfigured, match="EIG_SMTP_HOST, EIG_MAIL_FROM"):
        sender.MailConfig.from_settings()
    monkeypatch.setenv("EIG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("EIG_MAIL_FROM", "eig@example.gouv.fr")
    with pytest.raises(sender.MailNotConfigured, match="EIG_LINK_SECRET"):
        sender.MailConfig.from_settings()
    monkeypatch.setenv("EIG_LINK_SECRET", SECRET)
    assert sender.configured()


def test_every_msgid_of_the_mail_domain_is_translated_in_both_languages() -> None:
    import re

    from bot import ROOT

    source = (ROOT / "bot" / "wording" / "mail.py").read_text(encoding="utf-8")
    source += (ROOT / "bot" / "web" / "templates" / "mail_link.html").read_text(encoding="utf-8")
    used = set(re.findall(r"\bMN?_\(\s*\"(mail_[a-z_]+)\"", source))
    assert len(used) > 20
    for language in ("fr", "en"):
        catalog = wording.translations(language)
        missing = [m for m in used if catalog.gettext(m) == m]
        assert not missing, f"{language}: {missing}"
