"""Being told when the call opens, and deleting one's data, over REST with the three real
services: the replies, the slots the Rasa server stores, the rows of the real database.
The flows of tests/stories/test_pre_application.yml that no other e2e test plays."""

from __future__ import annotations

import pytest

from bot.applications import storage


@pytest.fixture
def applications(stack):
    db = storage.Storage(f"sqlite:///{stack.var_dir / 'applications.db'}")
    yield db
    db.close()


def alerts_for(applications: storage.Storage, email: str) -> list[dict]:
    return [r for r in applications.export_notification_rows() if r["email"] == email]


def test_a_notification_request_on_its_own_then_cancelled_without_a_reference(
    conversation, applications, outbox
):
    email = "lea.dubois@exemple.fr"
    chat = conversation(language="fr")
    assert "À quelle adresse e-mail" in chat.text("prévenez-moi quand l'appel ouvre")
    assert chat.slots()["requested_slot"] == "email"
    consent = chat.say(email)
    assert consent[0]["text"].startswith("Acceptez-vous que l'équipe du programme conserve")
    assert [b["payload"] for b in consent[0]["buttons"]] == ["/affirm", "/deny"]
    assert chat.slots()["email"] == email
    saved = chat.text("oui")
    assert saved.startswith("C'est noté. Je viens d'envoyer un e-mail de confirmation")
    assert "7e promotion" in saved
    assert len(outbox.to(email)) == 1  # the confirmation (tests/e2e/test_mail.py follows it)
    [alert] = alerts_for(applications, email)
    assert alert["language"] == "fr" and alert["consent"] is True
    slots = chat.slots()
    assert slots["email"] is None and slots["notify_consent"] is None  # not kept in the chat

    asked = chat.say("supprimez mes données")
    assert "donnez-moi sa référence" in asked[0]["text"]
    assert asked[0]["buttons"][0]["payload"] == '/inform{"deletion_reference":"none"}'
    assert "l'adresse e-mail que vous aviez donnée" in chat.text("aucune")
    assert chat.slots()["deletion_reference"] == "none"
    done = chat.text(email.upper())
    # An address alone deletes nothing: a cancellation link goes to it once it is confirmed
    # (this one is not, so it gets nothing and is purged after EIG_CONFIRM_WITHIN).
    assert done.startswith("Si cette adresse est inscrite pour être prévenue")
    assert len(alerts_for(applications, email)) == 1
    assert len(outbox.to(email)) == 1
    slots = chat.slots()
    assert slots["deletion_reference"] is None and slots["deletion_email"] is None


def test_a_deletion_whose_reference_and_email_do_not_match_deletes_nothing(
    conversation, applications
):
    owner = "sam.martin@example.org"
    reference = applications.submit(
        storage.conversation_key("e2e-someone-else", "token"),
        language="en",
        promotion=7,
        target_profile="product_director",
        years_of_experience=12,
        entrepreneurial_experience=True,
        entrepreneurial_description="Founded a civic tech company",
        project_interest="Public transport data",
        first_name="Sam",
        email=owner,
        consent=True,
    )
    chat = conversation(language="en")
    assert "give me its reference" in chat.text("delete my data")
    assert "And the e-mail address you gave?" in chat.text(reference)
    assert chat.slots()["deletion_reference"] == reference
    reply = chat.text("someone@example.org")  # the right reference, another person's e-mail
    assert reply.startswith("I found no pre-application with this reference and address.")
    assert reference not in reply
    assert [r["reference"] for r in applications.export_rows() if r["email"] == owner] == [
        reference
    ]
    assert "give me its reference" in chat.text("delete my data")
    chat.text("EIG-2222-3333")  # a reference nobody has
    assert chat.text(owner).startswith("I found no pre-application")
    assert [r["reference"] for r in applications.export_rows()].count(reference) == 1
