"""Webinar invitations as iCalendar files, built with the icalendar library."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.domain.knowledge import Webinar
from bot.infra import settings
from bot.wording import i18n
from bot.wording.i18n import _

DEFAULT_DURATION = dt.timedelta(hours=1)


def webinar_calendar(webinar: Webinar, language: str, now: dt.datetime) -> bytes:
    """One VEVENT in the given language; a day-long event when the time is unknown."""
    with i18n.using(language) as chosen:
        calendar = Calendar()
        calendar.add("prodid", "-//EIG assistant//webinars//" + chosen.upper())
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = Event()
        event.add("uid", f"{webinar.id}@entrepreneur-interet-general")
        event.add("dtstamp", now.astimezone(dt.timezone.utc))
        if webinar.time:
            start = dt.datetime.combine(webinar.date, webinar.time, ZoneInfo(settings.TIMEZONE))
            event.add("dtstart", start)
            event.add("dtend", start + DEFAULT_DURATION)
        else:
            event.add("dtstart", webinar.date)
            event.add("dtend", webinar.date + dt.timedelta(days=1))
        topic = webinar.topic.get(chosen)
        event.add("summary", _("ics_summary").format(topic=topic))
        link = webinar.registration_url or ""
        event.add("description", _("ics_description").format(topic=topic, url=link).strip())
        if link:
            event.add("url", link)
        calendar.add_component(event)
        return bytes(calendar.to_ical())
