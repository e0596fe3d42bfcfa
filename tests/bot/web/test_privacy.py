"""The privacy notice: served in French and English, complete (controller, purposes, legal
bases, retention read from the settings, recipients, rights and how to use them, the DPO,
the CNIL), its catalogs complete, and no script allowed on it."""

from __future__ import annotations

import html
import json
import re

import pytest
from babel.messages.pofile import read_po

from bot import ROOT
from bot.domain import knowledge
from bot.web import privacy
from bot.wording import privacy as privacy_wording
from bot.wording.nlg import placeholders

LOCALES = ROOT / "locales"
TEMPLATE = ROOT / "bot" / "web" / "templates" / "privacy.html"


def text_of(page: str) -> str:
    """The page as a person reads it: no tags, entities decoded, spaces collapsed."""
    body = page.split("<body>", 1)[1]
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def catalog(language: str):
    with open(LOCALES / language / "LC_MESSAGES" / "privacy.po", "rb") as po:
        return {m.id: m for m in read_po(po) if m.id}


def used_msgids() -> set[str]:
    return set(re.findall(r"""P_\(["']([a-z_]+)["']\)""", TEMPLATE.read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_msgid_of_the_notice_is_translated(language):
    entries = catalog(language)
    assert used_msgids() - set(entries) == set()
    assert [m.id for m in entries.values() if not m.string or m.fuzzy] == []
    assert set(entries) - used_msgids() == set(), "unused entries in privacy.po"
    compiled = privacy.translations(language)  # make catalogs built it from this .po
    assert all(compiled.gettext(key) == m.string for key, m in entries.items())


def test_placeholders_match_between_languages():
    fr, en = catalog("fr"), catalog("en")
    assert {k for k in fr if placeholders(fr[k].string) != placeholders(en[k].string)} == set()


async def test_the_notice_in_french(client):
    reply = await client.get("/fr/donnees-personnelles")
    assert reply.status == 200
    assert reply.content_type == "text/html"
    csp = reply.headers["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp
    page = await reply.text()
    assert '<html lang="fr"' in page and "<script" not in page
    text = text_of(page)
    email = knowledge.get().programme.contact.email
    for said in [
        # who is responsible, from the knowledge base
        "Le responsable du traitement est la direction interministérielle du numérique "
        "(DINUM) : son département Etalab porte le programme",
        # purposes, legal bases, retention from the settings' defaults
        "Répondre à vos questions sur le programme",
        "Mission d'intérêt public",
        "article 6, paragraphe 1, point a, du RGPD",
        "30\xa0jours après votre dernier message",
        "au bout de 2\xa0heures",
        "365\xa0jours après la pré-candidature",
        "365\xa0jours après la demande",
        # rights, and how: the assistant, e-mail, the DPO, one month, the CNIL
        "vous opposer",
        "retirer votre consentement à tout moment",
        "écrivez « supprimer mes données »",
        "« à l'attention du délégué à la protection des données »",
        "dans un délai d'un mois",
        "adresser une réclamation à la Commission nationale de l'informatique et des libertés",
        # sensitive data, assessment, logs
        "n'écrivez rien sur votre santé",
        "ne décide de rien",
        "n'enregistrent ni vos messages",
        # answer feedback, the inbox's decisions, the team's access log
        "30\xa0jours après votre avis",
        "30\xa0jours après la décision de l'équipe ; une question retenue comme exemple "
        "d'entraînement reste dans les données d'entraînement de l'assistant",
        "jamais son contenu) ; ces traces sont gardées 365\xa0jours",
    ]:
        assert said in text, said
    assert f'href="mailto:{email}"' in page
    assert f'href="{privacy_wording.CNIL_COMPLAINT_URL}"' in page
    assert 'href="/en/donnees-personnelles" hreflang="en"' in page


async def test_the_notice_in_english(client):
    reply = await client.get("/en/donnees-personnelles")
    assert reply.status == 200
    text = text_of(await reply.text())
    for said in [
        "The controller is the French State's interministerial digital directorate (DINUM): "
        "its Etalab department runs the Entrepreneurs d'intérêt général programme.",
        "30 days after your last message",
        "365 days after the pre-application",
        'write "delete my data"',
        "lodge a complaint with the Commission nationale de l'informatique et des libertés",
        "GDPR, Article 6(1)(e)",
        "30 days after you gave it",
        "30 days after the team's decision",
        "this log is kept for 365 days",
    ]:
        assert said in text, said


async def test_the_notice_follows_the_retention_settings_and_the_dpo(client, monkeypatch):
    monkeypatch.setenv("EIG_RETENTION_CONVERSATIONS", "7d")
    monkeypatch.setenv("EIG_RETENTION_APPLICATIONS", "26w")
    monkeypatch.setenv("EIG_RETENTION_NOTIFICATIONS", "90d")
    monkeypatch.setenv("EIG_RETENTION_UNFINISHED", "90m")
    monkeypatch.setenv("EIG_RETENTION_FEEDBACK", "14d")
    monkeypatch.setenv("EIG_RETENTION_INBOX", "60d")
    monkeypatch.setenv("EIG_RETENTION_AUDIT", "26w")
    monkeypatch.setenv("EIG_DPO_EMAIL", "DPD <dpd@example.gouv.fr>")
    page = await (await client.get("/fr/donnees-personnelles")).text()
    text = text_of(page)
    assert "14\xa0jours après votre avis" in text
    assert "60\xa0jours après la décision de l'équipe" in text
    assert "ces traces sont gardées 182\xa0jours" in text
    assert "7\xa0jours après votre dernier message" in text
    assert "au bout de 90 minutes" in text
    assert "182\xa0jours après la pré-candidature" in text
    assert "90\xa0jours après la demande" in text
    assert "Délégué à la protection des données de la DINUM : dpd@example.gouv.fr" in text
    assert 'href="mailto:dpd@example.gouv.fr"' in page
    assert "à l'attention du délégué" not in text


@pytest.mark.parametrize("path", ["/de/donnees-personnelles", "/fr/donnees-personnelles/x"])
async def test_other_languages_and_paths_are_not_found(client, path):
    assert (await client.get(path)).status == 404


@pytest.mark.parametrize(
    ("language", "notice", "link"),
    [
        ("fr", "N'écrivez pas de données sensibles", "Vos données personnelles et vos droits"),
        ("en", "Please do not write sensitive data", "Your personal data and your rights"),
    ],
)
async def test_the_chat_window_links_to_the_notice_before_any_message(
    client, language, notice, link
):
    """The link is in the dialog's header, above the (empty) message list, and the widget's
    language toggle gets both languages' wording and the address pattern."""
    page = await (await client.get(f"/{language}/")).text()
    dialog = page[page.index('id="eig-chat-dialog"') :]
    header, messages = dialog.index('class="eig-chat__privacy"'), dialog.index("eig-chat__messages")
    assert header < messages
    line = dialog[header : dialog.index("</p>", header)]
    assert notice in html.unescape(line) and link in html.unescape(line)
    assert f'href="/{language}/donnees-personnelles"' in line
    assert 'data-lang-href="/{lang}/donnees-personnelles"' in line
    footer = page[page.index('<footer class="fr-footer"') :]
    assert f'href="/{language}/donnees-personnelles"' in footer
    strings = json.loads(html.unescape(re.search(r'data-strings="([^"]*)"', page).group(1)))
    assert strings["en"]["chat_privacy_link"] == "Your personal data and your rights"
    assert strings["fr"]["chat_privacy_link"] == "Vos données personnelles et vos droits"
