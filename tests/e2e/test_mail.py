"""E-mail through the running assistant: the three real services, a real SMTP server on
loopback (aiosmtpd), the real applications database. Asked to be told in the chat, the
confirmation arrives; its link, POSTed to the web service, confirms the address; with a
knowledge base whose call is open and ``EIG_TODAY`` in it, ``python -m bot notify run``
twice sends "the call is open" once. Without SMTP settings the chat offers no e-mail."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from bot import ROOT
from bot.ops import services
from tests.e2e.conftest import MODEL, OFFSET, PORTS, Conversation, mail_settings

OPEN_DAY = "2027-02-01"  # the open knowledge's call: 2027-01-10 to 2027-03-01


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def link(message: EmailMessage, action: str) -> str:
    found = [w for w in text_of(message).split() if f"/mail/{action}?t=" in w]
    assert len(found) == 1, text_of(message)
    return found[0]


def post_link(url: str) -> tuple[int, str]:
    """The button of the link's page: a POST of the token to the same address."""
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["t"][0]
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode({"t": token}).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return reply.status, reply.read().decode()


def open_knowledge(directory: Path) -> Path:
    """data/knowledge with the current call open from 2027-01-10 to 2027-03-01."""
    shutil.copytree(ROOT / "data" / "knowledge", directory)
    path = directory / "promotions.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    current = next(p for p in data["promotions"] if p["number"] == data["current"])
    current["call"] = {"announced": True, "opens": "2027-01-10", "closes": "2027-03-01"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


def notify_run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "notify", "run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def confirmed_at(database: Path, email: str) -> list[object]:
    engine = sa.create_engine(f"sqlite:///{database}", future=True)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT confirmed_at FROM notification_requests WHERE email = :e")
            return [row[0] for row in connection.execute(query, {"e": email})]
    finally:
        engine.dispose()


def test_asked_in_the_chat_confirmed_by_its_link_told_once_when_the_call_opens(
    stack, conversation, outbox, smtp_server, tmp_path
):
    email = "ines.moreau@exemple.fr"
    chat = conversation(language="fr")
    assert "À quelle adresse e-mail" in chat.text("prévenez-moi quand l'appel ouvre")
    assert chat.text(email).startswith("Acceptez-vous que l'équipe du programme conserve")
    saved = chat.text("oui")
    assert saved.startswith("C'est noté. Je viens d'envoyer un e-mail de confirmation")
    assert "cliquez sur son lien dans un délai de 2\xa0jours" in saved

    [confirmation] = outbox.to(email)
    assert confirmation["From"] == "EIG <eig@example.gouv.fr>"
    confirm = link(confirmation, "confirm")
    assert confirm.startswith(f"http://localhost:{PORTS.web}/fr/mail/confirm?t=")
    database = stack.var_dir / "applications.db"
    assert confirmed_at(database, email) == [None]  # nothing goes out before the click
    status, page = post_link(confirm)
    assert status == 200 and 'lang="fr"' in page
    assert confirmed_at(database, email) != [None]

    env = {
        **stack.env,
        **mail_settings(smtp_server[1]),
        "EIG_TODAY": OPEN_DAY,
        "EIG_KNOWLEDGE_DIR": str(open_knowledge(tmp_path / "knowledge")),
    }
    runs = [notify_run(env) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert email not in run.stdout + run.stderr
    assert "sent 1 e-mail(s)" in runs[0].stdout
    assert "sent 0 e-mail(s)" in runs[1].stdout
    confirmation_again, opening = outbox.to(email)  # the confirmation, then one opening
    assert confirmation_again is confirmation
    assert "1 mars 2027" in text_of(opening)  # the deadline, from the open knowledge
    assert opening["List-Unsubscribe"]
    assert link(opening, "unsubscribe").startswith(f"http://localhost:{PORTS.web}/fr/mail/")


def test_cancelling_by_address_in_the_chat_sends_a_link_and_deletes_nothing(
    stack, conversation, outbox
):
    email = "noe.petit@example.org"
    chat = conversation(language="en")
    chat.text("tell me when the call opens")
    chat.text(email)
    chat.text("yes")
    post_link(link(outbox.to(email)[0], "confirm"))
    chat.text("delete my data")
    chat.text("I don't have one")
    reply = chat.text(email)
    assert reply.startswith("If this address is on the list to be told when the call opens")
    assert confirmed_at(stack.var_dir / "applications.db", email) != []  # still there
    _, cancellation = outbox.to(email)
    status, _ = post_link(link(cancellation, "unsubscribe"))
    assert status == 200
    assert confirmed_at(stack.var_dir / "applications.db", email) == []  # the link deleted it


@pytest.fixture(scope="module")
def stack_without_mail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[services.Supervisor]:
    """The three services again, on their own ports, with no SMTP settings at all."""
    var_dir = tmp_path_factory.mktemp("var-no-mail")
    ports = services.Ports(rasa=15105 + OFFSET, actions=15155 + OFFSET, web=18100 + OFFSET)
    supervisor = services.Supervisor(
        ports, var_dir=var_dir, model=MODEL, log_file=var_dir / "services.log",
        extra_env={"EIG_TODAY": "2026-11-23", "EIG_SMTP_HOST": ""},
    )  # fmt: skip
    supervisor.start()
    try:
        yield supervisor
    finally:
        supervisor.stop()


def test_without_smtp_settings_the_chat_offers_no_e_mail(stack_without_mail, monkeypatch):
    monkeypatch.setattr("tests.e2e.conftest.PORTS", stack_without_mail.ports)
    chat = Conversation(language="fr", tracker_db=stack_without_mail.var_dir / "tracker.db")
    reply = chat.text("prévenez-moi quand l'appel ouvre")
    assert reply.startswith("Je ne peux pas envoyer d'e-mail pour le moment")
    assert "entrepreneur-interet-general.etalab.gouv.fr" in reply  # where to follow the call
    assert "adresse e-mail" not in reply.replace("d'e-mail", "")
    assert chat.slots().get("requested_slot") is None  # no address asked for
    # Whatever comes next is not taken as an address.
    chat.text("ines.moreau@exemple.fr")
    engine = sa.create_engine(
        f"sqlite:///{stack_without_mail.var_dir / 'applications.db'}", future=True
    )
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            rows = (
                connection.execute(sa.text("SELECT count(*) FROM notification_requests")).scalar()
                if "notification_requests" in tables
                else 0
            )
    finally:
        engine.dispose()
    assert rows == 0
