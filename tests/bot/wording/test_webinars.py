from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from bot.wording import ics, nlg

BEFORE = dt.date(2022, 3, 20)  # between the two 6th-promotion webinars
AFTER = dt.date(2026, 11, 23)


def test_upcoming_webinar_has_date_link_and_calendar_button(known, monkeypatch):
    monkeypatch.setenv("EIG_PUBLIC_URL", "http://localhost:8000")
    fr = nlg.render("utter_faq/webinars", {}, "fr", known, BEFORE)["text"]
    assert "Prochains webinaires :" in fr
    assert "le 24 mars 2022 : les métiers du design et du droit du numérique" in fr
    assert "Ajouter à mon agenda : http://localhost:8000/webinars/eig6-design-law.ics?lang=fr" in fr
    # The one a week before is past, not upcoming.
    assert fr.index("Les derniers webinaires") < fr.index("17 mars 2022")


def test_on_the_day_the_webinar_is_still_upcoming(known):
    en = nlg.render("utter_faq/webinars", {}, "en", known, dt.date(2022, 3, 24))["text"]
    assert en.index("Upcoming webinars:") < en.index("24 March 2022")


def test_none_ahead_after_the_last_one(known):
    en = nlg.render("utter_faq/webinars", {}, "en", known, AFTER)["text"]
    assert en.startswith("No webinar is scheduled right now.")
    assert "Add to my calendar" not in en


def test_time_is_formatted_when_known(known, monkeypatch):
    timed = known.webinar("eig6-design-law").copy(update={"time": dt.time(14, 0)})
    webinars = [timed if w.id == timed.id else w for w in known.webinars]
    monkeypatch.setattr(known, "webinars", webinars)
    fr = nlg.render("utter_faq/webinars", {}, "fr", known, BEFORE)["text"]
    en = nlg.render("utter_faq/webinars", {}, "en", known, BEFORE)["text"]
    assert "le 24 mars 2022 à 14:00" in fr
    assert "24 March 2022 at 14:00" in en


def test_followup_for_a_past_webinar(known):
    text = nlg.render("utter_webinar_followup", {"webinar": "eig6-code-data"}, "fr", known, AFTER)
    assert text["text"].startswith("Merci d'avoir suivi le webinaire du 17 mars 2022")
    assert "- 50 postes ouverts pour la 6e promotion" in text["text"]
    assert "n'indiquent pas de rediffusion" in text["text"]
    assert "sera bientôt ouvert" in text["text"]
    assert len(text["buttons"]) == 5


def test_followup_for_an_unknown_webinar_is_a_polite_answer(known):
    text = nlg.render_safely("utter_webinar_followup", {"webinar": "nope"}, "en", known, AFTER)
    assert text["text"].startswith("Sorry")
    unknown = nlg.render("utter_webinar_unknown", {}, "en", known, AFTER)["text"]
    assert unknown.startswith("I can't find that webinar.")


def test_a_typed_followup_gives_today_and_the_latest_webinar_never_a_made_up_one(known):
    fr = nlg.render("utter_webinar_followup_typed", {}, "fr", known, dt.date(2026, 11, 30))
    assert fr["text"].startswith("Merci d'avoir suivi notre webinaire !")
    assert "a eu lieu le 24 mars 2022" in fr["text"]
    assert "sera bientôt ouvert" in fr["text"]
    en = nlg.render("utter_webinar_followup_typed", {}, "en", known, dt.date(2026, 11, 30))
    assert "took place on 24 March 2022" in en["text"]
    assert [b["title"] for b in en["buttons"]][:1] and len(en["buttons"]) == 4


@pytest.mark.parametrize("language", ["fr", "en"])
def test_ics_parses_back_with_the_right_fields(known, language):
    webinar = known.webinar("eig5-info-1")
    now = dt.datetime(2021, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
    parsed = Calendar.from_ical(ics.webinar_calendar(webinar, language, now))
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == "eig5-info-1@entrepreneur-interet-general"
    assert event.decoded("dtstart") == dt.date(2021, 3, 15)
    assert event.decoded("dtend") == dt.date(2021, 3, 16)
    assert str(event["url"]) == "https://app.livestorm.co/dinum-12/aac-eig5-webinaire-info-1"
    summary = str(event["summary"])
    if language == "fr":
        assert summary == "Webinaire EIG : présentation de l'appel à candidatures"
    else:
        assert summary == "EIG webinar: presentation of the call for applications"
    assert parsed["version"] == "2.0"


def test_ics_with_a_time_is_in_paris_time(known):
    webinar = known.webinar("eig6-code-data").copy(update={"time": dt.time(12, 30)})
    parsed = Calendar.from_ical(ics.webinar_calendar(webinar, "fr", dt.datetime.now()))
    start = next(iter(parsed.walk("VEVENT"))).decoded("dtstart")
    assert start.isoformat() == "2022-03-17T12:30:00+01:00"
