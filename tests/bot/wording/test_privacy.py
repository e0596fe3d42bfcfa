"""The consent questions state the purpose, the retention period the settings configure and
the privacy notice's address; the free-text questions warn against sensitive data; both
languages."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import knowledge
from bot.wording import nlg, privacy

TODAY = dt.date(2026, 11, 23)


def say(name: str, language: str) -> str:
    return str(nlg.render(name, {}, language, knowledge.get(), TODAY)["text"])


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (dt.timedelta(days=30), "30\xa0jours", "30 days"),
        (dt.timedelta(days=365), "365\xa0jours", "365 days"),
        (dt.timedelta(hours=2), "2\xa0heures", "2 hours"),
        (dt.timedelta(hours=1), "1\xa0heure", "1 hour"),
        (dt.timedelta(minutes=90), "90 minutes", "90 minutes"),
        (dt.timedelta(seconds=45), "45\xa0secondes", "45 seconds"),
        (dt.timedelta(days=1000), "1\u202f000\xa0jours", "1,000 days"),
    ],
)
def test_durations_are_said_exactly(value, fr, en):
    assert privacy.duration(value, "fr") == fr
    assert privacy.duration(value, "en") == en


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_consent_question_states_purpose_retention_and_the_notice(language, monkeypatch):
    monkeypatch.setenv("EIG_PUBLIC_URL", "https://eig.example.gouv.fr")
    monkeypatch.setenv("EIG_RETENTION_APPLICATIONS", "90d")
    text = say("utter_ask_consent", language)
    days = "90\xa0jours" if language == "fr" else "90 days"
    assert days in text
    assert f"https://eig.example.gouv.fr/{language}/donnees-personnelles" in text
    purpose = {"fr": "uniquement pour étudier votre pré-candidature", "en": "only to review"}
    assert purpose[language] in text
    # The refusal is still offered, and deletion at any time.
    assert ("supprimer à tout moment" if language == "fr" else "delete them at any time") in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_alert_consent_question_states_its_own_retention(language, monkeypatch):
    monkeypatch.setenv("EIG_RETENTION_NOTIFICATIONS", "12w")
    monkeypatch.setenv("EIG_RETENTION_APPLICATIONS", "1d")
    text = say("utter_ask_notify_consent", language)
    assert ("84\xa0jours" if language == "fr" else "84 days") in text
    assert privacy.notice_url(language) in text


def test_the_retention_follows_the_default_settings():
    assert "365\xa0jours" in say("utter_ask_consent", "fr")
    assert "365 days" in say("utter_ask_notify_consent", "en")


@pytest.mark.parametrize(
    "name", ["utter_ask_entrepreneurial_description", "utter_ask_project_interest"]
)
def test_free_text_questions_warn_against_sensitive_data(name):
    assert "aucune donnée sensible (santé, opinions" in say(name, "fr")
    assert "leave out any sensitive information (health, political" in say(name, "en")


def test_the_dpo_address_is_the_bare_address_of_the_setting(monkeypatch):
    assert privacy.dpo_email() is None
    monkeypatch.setenv("EIG_DPO_EMAIL", "DPD DINUM <dpd@example.gouv.fr>")
    assert privacy.dpo_email() == "dpd@example.gouv.fr"
