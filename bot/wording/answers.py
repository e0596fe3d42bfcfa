"""The arguments of each response, computed from the knowledge base and the clock.

A response's wording lives in the catalogs under its name; this module supplies the facts
that fill its placeholders, the buttons it offers and the sources it cites. A fact change
is a knowledge edit, never a new translation.

Every fact has its time. A reply lists the facts it states; one that belongs to an earlier
promotion than the current one is history, and the text must carry its promotion or its
year: ``build`` refuses the reply otherwise (``UndatedFact``), and so does ``stated`` for a
part of an answer. ``docs/facts.md`` reviews each sentence against the official texts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from bot.domain import question, schedule
from bot.domain.knowledge import (
    ApproximateDate,
    CallForProjects,
    Knowledge,
    Localized,
    Promotion,
    Source,
    Sourced,
    Webinar,
)
from bot.infra import settings
from bot.wording import i18n
from bot.wording.i18n import _

Button = tuple[str, str]  # (catalog msgid of the title, payload)


@dataclass
class Reply:
    """``facts``: the knowledge the text states; ``sources`` default to theirs."""

    args: dict[str, object] = field(default_factory=dict)
    buttons: list[Button] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    facts: list[Sourced] = field(default_factory=list)
    # The msgid of the text when it is not the response's own: the answer for the case a
    # question names (its years, its promotion…), given under the topic's response name.
    text: Optional[str] = None

    def __post_init__(self) -> None:
        if not self.sources:
            self.sources = list(dict.fromkeys(fact.source for fact in self.facts))


class UndatedFact(ValueError):
    """A text would state a fact of an earlier promotion without its promotion or year."""


Dated = Union[Sourced, Source]


def _promotions_of(item: Dated) -> tuple[int, ...]:
    return (item.promotion,) if isinstance(item, Source) else item.belongs_to()


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def undated(k: Knowledge, text: str, items: Sequence[Dated]) -> list[str]:
    """What ``text`` states of an earlier promotion without naming it or its year.

    A fact of the current promotion needs nothing. Otherwise each promotion it belongs to
    must appear in the text, as its ordinal ("3e", "3rd") or the year of its call ("2018");
    a fact of a single promotion may also give the year it was true ("as_of").
    """
    missing = []
    for item in items:
        promotions = _promotions_of(item)
        if k.current.number in promotions:
            continue
        own = item.published if isinstance(item, Source) else item.as_of
        for number in promotions:
            marks = [i18n.ordinal(number), str(k.year_of(number) or "")]
            if len(promotions) == 1:
                marks.append(own[:4])
            if not any(mark and _mentions(text, mark) for mark in marks):
                label = item.id if isinstance(item, Source) else type(item).__name__
                missing.append(f"{label} (promotion {number}: {' or '.join(filter(None, marks))})")
    return missing


def check_dated(name: str, k: Knowledge, text: str, items: Sequence[Dated]) -> None:
    missing = undated(k, text, items)
    if missing:
        raise UndatedFact(f"{name} states history without its date: {'; '.join(missing)}")


def stated(msgid: str, k: Knowledge, facts: Sequence[Sourced], **args: object) -> str:
    """A part of an answer that states ``facts``, refused if it drops an earlier one's date."""
    text = _(msgid).format(**args)
    check_dated(msgid, k, text, facts)
    return text


Given = Mapping[str, Any]  # arguments an action passed, already type-checked by bot.wording.nlg
Builder = Callable[[Knowledge, dt.date, Given], Reply]
BUILDERS: dict[str, Builder] = {}

# Topics offered by the help menu, in order.
MENU_TOPICS = ("profiles", "salary", "deadline", "selection_process", "webinars", "contact")


def N_(msgid: str) -> str:
    """Marks a msgid for extraction where it is translated later."""
    return msgid


TOPIC_LABELS = {
    "what_is_eig": N_("label_faq/what_is_eig"),
    "who_runs": N_("label_faq/who_runs"),
    "key_figures": N_("label_faq/key_figures"),
    "host_administrations": N_("label_faq/host_administrations"),
    "team_size": N_("label_faq/team_size"),
    "profiles": N_("label_faq/profiles"),
    "self_taught": N_("label_faq/self_taught"),
    "salary": N_("label_faq/salary"),
    "contract": N_("label_faq/contract"),
    "selection_process": N_("label_faq/selection_process"),
    "selection_criteria": N_("label_faq/selection_criteria"),
    "deadline": N_("label_faq/deadline"),
    "webinars": N_("label_faq/webinars"),
    "support": N_("label_faq/support"),
    "apply": N_("label_faq/apply"),
    "contact": N_("label_faq/contact"),
    "not_in_sources": N_("label_faq/not_in_sources"),
    "host_who_can_apply": N_("label_faq/host_who_can_apply"),
    "host_project_criteria": N_("label_faq/host_project_criteria"),
    "host_commitments": N_("label_faq/host_commitments"),
    "host_cofinancing": N_("label_faq/host_cofinancing"),
    "host_timeline": N_("label_faq/host_timeline"),
}
INTENT_LABELS = {
    "help": N_("label_help"),
    "bot_challenge": N_("label_bot_challenge"),
    "change_language": N_("label_change_language"),
}
PROFILE_LABELS = {
    "product_director": N_("profile_product_director"),
    "technical_director": N_("profile_technical_director"),
    "developer": N_("profile_developer"),
    "data_scientist": N_("profile_data_scientist"),
    "designer": N_("profile_designer"),
    "digital_lawyer": N_("profile_digital_lawyer"),
    "geomatician": N_("profile_geomatician"),
}


# Starts the guided pre-application from the answers that lead to it.
PRE_APPLICATION: Button = (N_("label_start_pre_application"), "/pre_apply")


def topic_button(topic: str) -> Button:
    """A button that asks about one FAQ topic, whatever the language of the conversation."""
    return (
        TOPIC_LABELS[topic],
        "/choose_topic" + json.dumps({"faq_topic": topic}, separators=(",", ":")),
    )


def builds(*names: str) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        for name in names:
            BUILDERS[name] = function
        return function

    return register


def local(text: Localized) -> str:
    return text.get(i18n.current_language.get())


def profile_labels(promotion: Promotion) -> str:
    return i18n.join([_(PROFILE_LABELS[p]) for p in promotion.profiles])


def email(k: Knowledge) -> str:
    return k.programme.contact.email


@builds("utter_greet", "utter_help", "utter_anything_else")
def menu(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[*(topic_button(t) for t in MENU_TOPICS), PRE_APPLICATION])


@builds("utter_thank")
def thank(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """A thank-you that also says goodbye ("merci, c'est tout") gets a "you're welcome"
    without the offer of another question: the goodbye follows (actions/courtesy.py)."""
    return Reply(text=N_("utter_thank_closing")) if given.get("closing") else Reply()


@builds("utter_bot_challenge", "utter_out_of_scope", "utter_default", "utter_error")
def contact(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """The address as a way to reach the team; utter_faq/contact states it as a fact."""
    return Reply({"email": email(k)})


@builds("utter_faq/contact")
def faq_contact(k: Knowledge, today: dt.date, given: Given) -> Reply:
    address = k.programme.contact
    return Reply({"email": address.email, "as_of": address.as_of[:4]}, facts=[address])


@builds("utter_faq/what_is_eig")
def what_is_eig(k: Knowledge, today: dt.date, given: Given) -> Reply:
    recruits = k.programme.recruits
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "recruits": local(recruits.who),
            "employer": k.current.contract.employer,
            "presentation_url": k.programme.links.presentation,
        },
        facts=[k.current, recruits, k.programme.links],
    )


@builds("utter_faq/who_runs")
def who_runs(k: Knowledge, today: dt.date, given: Given) -> Reply:
    run_by = k.programme.run_by
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "employer": k.current.contract.employer,
            "run_by_year": run_by.as_of[:4],
            "run_by_promotion": i18n.join([i18n.ordinal(n) for n in run_by.promotions]),
            "department": run_by.department,
            "directorate": run_by.directorate,
            "directorate_name": local(run_by.directorate_name),
        },
        facts=[k.current, k.selection, run_by],
    )


@builds("utter_faq/key_figures")
def key_figures(k: Knowledge, today: dt.date, given: Given) -> Reply:
    p = k.programme
    earlier = asked_promotion(k, given).promotion
    if earlier is not None and earlier.positions is not None:
        # "la promo 3 c'était combien de recrues ?": the number its texts announced
        return Reply(
            {
                "promotion": i18n.ordinal(earlier.number),
                "year": earlier.year or earlier.as_of[:4],
                "positions": i18n.number(earlier.positions),
                "challenges": i18n.number(earlier.challenges or 0),
            },
            text=N_("case_key_figures_earlier_challenges")
            if earlier.challenges
            else N_("case_key_figures_earlier"),
            facts=[earlier],
        )
    if asks_current(k, given) and k.current.positions is None:
        # "and for the 7th, how many places?": its texts do not say
        past = next(q for q in k.past_promotions() if q.positions is not None)
        return Reply(
            {
                "promotion": i18n.ordinal(k.current.number),
                "past_promotion": i18n.ordinal(past.number),
                "past_year": past.year or past.as_of[:4],
                "past_positions": i18n.number(past.positions or 0),
                "email": email(k),
            },
            text=N_("case_key_figures_current"),
            facts=[k.current, past],
        )
    return Reply(
        {
            "launch_year": p.launched.year,
            "eigs_min": i18n.number(p.totals.eigs_min),
            "projects_min": i18n.number(p.totals.projects_min),
            "until_year": p.totals.until_year,
            "stayed_share": i18n.percent(p.stayed_public_sector.share_min_percent),
            "stayed_as_of": p.stayed_public_sector.as_of[:4],
        },
        facts=[p.launched, p.totals, p.stayed_public_sector],
    )


@builds("utter_faq/host_administrations")
def host_administrations(k: Knowledge, today: dt.date, given: Given) -> Reply:
    hosts = k.programme.host_administrations
    return Reply(
        {
            "launch_year": k.programme.launched.year,
            "as_of": hosts.as_of[:4],
            "administrations": i18n.join([local(n) for n in hosts.names]),
            "promotion": i18n.ordinal(k.current.number),
            "projects_url": k.programme.links.projects,
        },
        facts=[hosts, k.programme.launched, k.current, k.programme.links],
    )


@builds("utter_faq/team_size")
def team_size(k: Knowledge, today: dt.date, given: Given) -> Reply:
    team = k.programme.team_size
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "past_promotions": i18n.join([i18n.ordinal(n) for n in team.promotions]),
            "min": team.min,
            "max": team.max,
        },
        facts=[k.current, team],
    )


@builds("utter_faq/profiles")
def profiles(k: Knowledge, today: dt.date, given: Given) -> Reply:
    earlier = asked_promotion(k, given).promotion
    if earlier is not None:
        return Reply(
            {
                "promotion": i18n.ordinal(earlier.number),
                "year": earlier.year or earlier.as_of[:4],
                "profiles": profile_labels(earlier),
            },
            text=N_("case_profiles_earlier"),
            buttons=[PRE_APPLICATION],
            facts=[earlier],
        )
    if given.get("profile") in PROFILE_LABELS:
        return profile_sought(k, str(given["profile"]))
    recent = sorted(k.past_promotions()[:2], key=lambda p: p.number)
    past_profiles = list(dict.fromkeys(p for promotion in recent for p in promotion.profiles))
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "profiles": profile_labels(k.current),
            "past_promotions": i18n.join([i18n.ordinal(p.number) for p in recent]),
            "past_years": i18n.join([str(p.year) for p in recent if p.year]),
            "past_profiles": i18n.join([_(PROFILE_LABELS[p]) for p in past_profiles]),
            "apply_url": k.programme.links.apply,
        },
        buttons=[PRE_APPLICATION],
        facts=[k.current, *reversed(recent)],
    )


@builds("utter_faq/self_taught")
def self_taught(k: Knowledge, today: dt.date, given: Given) -> Reply:
    past = k.past_promotions()[0]
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "past_promotion": i18n.ordinal(past.number),
            "rules_url": k.programme.links.rules,
        },
        facts=[past, k.current, k.programme.links],
    )


@builds("utter_faq/salary")
def salary(k: Knowledge, today: dt.date, given: Given) -> Reply:
    earlier = asked_promotion(k, given).promotion
    if earlier is not None:
        return earlier_salary(k, earlier)
    bands = k.current.salary_bands
    junior, senior = bands[0], bands[-1]
    if given.get("per_year") is True:
        # "et par an ?": twelve months of each band, the variable part beside it
        return Reply(
            {
                "promotion": i18n.ordinal(k.current.number),
                "junior_years": junior.max_years,
                "junior_amount": i18n.money(junior.net_monthly_eur),
                "junior_year": i18n.money(junior.net_monthly_eur * 12),
                "junior_variable": i18n.percent(junior.variable_percent or 0),
                "senior_amount": i18n.money(senior.net_monthly_eur),
                "senior_year": i18n.money(senior.net_monthly_eur * 12),
                "senior_variable": i18n.percent(senior.variable_percent or 0),
            },
            text=N_("case_salary_per_year"),
            facts=[k.current],
        )
    band = band_asked(k, given)
    if band is not None:
        return band
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "junior_years": junior.max_years,
            "junior_amount": i18n.money(junior.net_monthly_eur),
            "junior_variable": i18n.percent(junior.variable_percent or 0),
            "senior_amount": i18n.money(senior.net_monthly_eur),
            "senior_variable": i18n.percent(senior.variable_percent or 0),
        },
        facts=[k.current],
    )


@builds("utter_faq/contract")
def contract(k: Knowledge, today: dt.date, given: Given) -> Reply:
    earlier = asked_promotion(k, given).promotion
    if earlier is not None:
        return Reply(
            {
                "promotion": i18n.ordinal(earlier.number),
                "year": earlier.year or earlier.as_of[:4],
                "months": earlier.contract.months or earlier.contract.min_months or 0,
            },
            text=N_("case_contract_earlier"),
            facts=[earlier],
        )
    # Today's contract only: "until the 6th, a 10-month fixed-term contract" beside it reads
    # as today's length; the earlier contracts are given when asked (above).
    now = k.current.contract
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "employer": now.employer,
            "min_duration": i18n.months(now.min_months or now.months or 0),
        },
        facts=[k.current],
    )


@builds("utter_faq/selection_process")
def selection_process(k: Knowledge, today: dt.date, given: Given) -> Reply:
    steps = k.selection.steps
    numbered = "\n".join(f"{n}. {local(step)}" for n, step in enumerate(steps, start=1))
    return Reply(
        {
            "promotion": i18n.ordinal(k.selection.promotion),
            "steps": numbered,
            "step_count": len(steps),
        },
        buttons=[topic_button("selection_criteria"), topic_button("deadline")],
        facts=[k.selection],
    )


@builds("utter_faq/selection_criteria")
def selection_criteria(k: Knowledge, today: dt.date, given: Given) -> Reply:
    now, before = k.criteria.current, k.criteria.previous
    return Reply(
        {
            "promotion": i18n.ordinal(now.promotion),
            "criteria": i18n.join([local(c) for c in now.items]),
            "past_promotion": i18n.ordinal(before.promotion),
            "past_criteria": i18n.join([local(c) for c in before.items]),
        },
        facts=[now, before],
    )


def describe_call(promotion: Promotion, today: dt.date) -> str:
    """One sentence on where a promotion's call stands today, with its promotion."""
    status = schedule.call_status(promotion.call, today)
    args: dict[str, object] = {"promotion": i18n.ordinal(promotion.number)}
    if status.opens:
        args["opens"] = i18n.date(status.opens)
    if status.closes:
        args["closes"] = i18n.date(status.closes)
    if status.state == schedule.OPEN and status.closes:
        args["days_left"] = i18n.days(status.days_left or 0)
        msgid = N_("call_open_until")
    elif status.state == schedule.OPEN:
        msgid = N_("call_open")
    elif status.state == schedule.SCHEDULED:
        args["days"] = i18n.days(status.days_until_open or 0)
        msgid = N_("call_scheduled")
    elif status.state == schedule.CLOSED:
        msgid = N_("call_closed")
    elif status.state == schedule.ANNOUNCED:
        msgid = N_("call_announced")
    else:
        msgid = N_("call_unknown")
    text = _(msgid).format(**args)
    if not _mentions(text, i18n.ordinal(promotion.number)):
        raise UndatedFact(f"{msgid} does not name the promotion whose call it describes")
    return text


@builds("utter_faq/deadline")
def deadline(k: Knowledge, today: dt.date, given: Given) -> Reply:
    earlier = asked_promotion(k, given).promotion
    if earlier is not None:
        return Reply(
            {
                "current": describe_call(earlier, today),
                "history": describe_call(k.current, today),
                "apply_url": k.programme.links.apply,
            },
            buttons=[topic_button("webinars"), topic_button("apply")],
            facts=[earlier, k.current],
        )
    # The current call only: a past call's closing date beside it ("the 6th closed on 3
    # April 2022") reads as a deadline to whoever asks whether they can apply now; it is
    # given when that promotion is asked about.
    return Reply(
        {
            "current": describe_call(k.current, today),
            "history": "",
            "apply_url": k.programme.links.apply,
        },
        buttons=[topic_button("webinars"), topic_button("apply")],
        facts=[k.current],
    )


@builds("utter_faq/webinars")
def webinars(k: Knowledge, today: dt.date, given: Given) -> Reply:
    language = i18n.current_language.get()

    def when(w: Webinar) -> str:
        day = i18n.date(w.date)
        return _("webinar_date_time").format(date=day, time=i18n.time(w.time)) if w.time else day

    def line(template: str, w: Webinar, link: object) -> str:
        text = template.format(date=when(w), topic=local(w.topic))
        return f"- {text} {link}" if link else f"- {text}"

    earlier = asked_promotion(k, given).promotion
    no_time = _("case_webinars_no_time") if given.get("asks_time") is True else ""
    if earlier is not None:
        held = [w for w in k.webinars if w.promotion == earlier.number]
        args = {"promotion": i18n.ordinal(earlier.number), "year": earlier.year or ""}
        if not held:
            return Reply(
                {"status": stated(N_("case_webinars_none"), k, [earlier], **args), "recent": ""},
                facts=[earlier],
            )
        items = [line(_("webinar_past"), w, w.replay_url) for w in held]
        header = _("case_webinars_of_promotion").format(**args)
        return Reply(
            {"status": "\n".join([header, *items]), "recent": no_time if no_time else ""},
            sources=sorted({w.source for w in held}),
            facts=[*held],
        )
    ahead = schedule.webinars_ahead(k, today)
    past = schedule.webinars_past(k, today)
    if ahead:
        items = []
        for w in ahead:
            items.append(line(_("webinar_ahead"), w, w.registration_url))
            calendar = _("webinar_add_to_calendar").format(url=webinar_calendar_url(w, language))
            items.append(f"  {calendar}")
        status = "\n".join([_("webinars_ahead"), *items])
    else:
        status = _("webinars_none_ahead")
    recent = ""
    if given.get("upcoming") is True:
        past = []  # "y a un webinaire bientôt ?": what is ahead, not the dates of past ones
    if past:
        items = [line(_("webinar_past"), w, w.replay_url) for w in past]
        recent = "\n".join([_("webinars_recent"), *items])
    used = ahead + past
    if no_time and not any(w.time for w in used):
        recent = "\n".join(filter(None, [recent, no_time]))
    return Reply(
        {"status": status, "recent": recent},
        sources=sorted({w.source for w in used}) or [k.current.source],
        facts=[*used],
    )


@builds("utter_faq/support")
def support(k: Knowledge, today: dt.date, given: Given) -> Reply:
    s = k.programme.support
    past = s.promotions[-1]
    return Reply(
        {
            "past_promotion": i18n.ordinal(past),
            "past_year": k.year_of(past) or s.as_of[:4],
            "by": local(s.by),
            "formats": i18n.join([local(f) for f in s.formats]),
            "promotion": i18n.ordinal(k.current.number),
        },
        facts=[s, k.current],
    )


@builds("utter_faq/apply")
def apply(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        {
            "apply_url": k.programme.links.apply,
            "rules_url": k.programme.links.rules,
            "call": describe_call(k.current, today),
        },
        buttons=[PRE_APPLICATION],
        facts=[k.programme.links, k.current],
    )


# What the texts say, or that they say nothing, about each kind of question they do not
# answer (``bot.domain.asked.unknown_subject``, read from the message by the NLG endpoint).
UNKNOWN_SUBJECTS = {
    "meal_vouchers": N_("not_in_sources_meal_vouchers"),
    "health_insurance": N_("not_in_sources_health_insurance"),
    "days_off": N_("not_in_sources_days_off"),
    "places": N_("not_in_sources_places"),
    "dates": N_("not_in_sources_dates"),
    "civil_servant": N_("not_in_sources_civil_servant"),
    "part_time": N_("not_in_sources_part_time"),
    "side_activity": N_("not_in_sources_side_activity"),
    "housing": N_("not_in_sources_housing"),
    "relocation": N_("not_in_sources_relocation"),
    "remote_work": N_("not_in_sources_remote_work"),
    "languages": N_("not_in_sources_languages"),
    "age": N_("not_in_sources_age"),
    "nationality": N_("not_in_sources_nationality"),
}


def unknown_subject_sentence(k: Knowledge, subject: object) -> tuple[str, list[Sourced]]:
    """The sentence on what the texts say about ``subject``, and the facts it states; no
    sentence for a question of no known kind, nor for dates once the call has some."""
    if not isinstance(subject, str) or subject not in UNKNOWN_SUBJECTS:
        return "", []
    msgid = UNKNOWN_SUBJECTS[subject]
    if subject in ("nationality", "civil_servant"):
        recruits = k.programme.recruits
        return stated(msgid, k, [recruits], recruits=local(recruits.who)), [recruits]
    if subject == "places":
        past = next((p for p in k.past_promotions() if p.positions), None)
        if past is None:
            return "", []
        text = stated(
            msgid,
            k,
            [k.current, past],
            promotion=i18n.ordinal(k.current.number),
            past_promotion=i18n.ordinal(past.number),
            past_year=k.year_of(past.number) or past.as_of[:4],
            past_positions=i18n.number(past.positions or 0),
        )
        return text, [k.current, past]
    if subject == "dates":
        if k.current.call.opens or k.current.call.closes:
            return "", []
        promotion = i18n.ordinal(k.current.number)
        return stated(msgid, k, [k.current], promotion=promotion), [k.current]
    return _(msgid), []


@builds("utter_faq/not_in_sources")
def not_in_sources(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """I don't know, then what the texts say about the kind of question asked, if known."""
    subject, facts = unknown_subject_sentence(k, given.get("unknown_subject"))
    return Reply(
        {"subject": subject, "email": email(k), "rules_url": k.programme.links.rules},
        facts=[*facts, k.programme.links],
    )


# ---- The case a question names ---------------------------------------------------------------

FAQ_RESPONSE = "utter_faq/"
# FAQ answers that say what the texts do not answer: no case changes them.
NOT_ABOUT_A_CASE = {"utter_faq/not_in_sources"}


@dataclass(frozen=True)
class Asked:
    """The earlier promotion a question asks about (None for the current one or none), or
    the answer for a promotion or a year the texts do not cover."""

    promotion: Optional[Promotion] = None
    unknown: Optional[Reply] = None


def asked_promotion(k: Knowledge, given: Given) -> Asked:
    """What ``asked_promotion`` (a rank) or ``asked_year`` (the year of a call) names."""
    number, year = given.get("asked_promotion"), given.get("asked_year")
    known = [p.number for p in sorted(k.promotions.values(), key=lambda p: p.number)]
    facts: dict[str, object] = {
        "known": i18n.join([i18n.ordinal(n) for n in known]),
        "email": email(k),
    }
    if isinstance(number, int) and not isinstance(number, bool):
        if number not in k.promotions:
            asked = {**facts, "promotion": i18n.ordinal(number)}
            return Asked(unknown=Reply(asked, text=N_("case_promotion_unknown")))
    elif isinstance(year, int) and not isinstance(year, bool):
        number = question.promotion_of_year(k, year)
        if number is None:
            return Asked(unknown=Reply({**facts, "year": year}, text=N_("case_year_unknown")))
    else:
        return Asked()
    return Asked(None if number == k.current.number else k.promotions[number])


def asks_current(k: Knowledge, given: Given) -> bool:
    """Whether ``asked_promotion`` or ``asked_year`` names the current promotion."""
    number, year = given.get("asked_promotion"), given.get("asked_year")
    if isinstance(year, int) and not isinstance(year, bool) and number is None:
        number = question.promotion_of_year(k, year)
    return number == k.current.number


def earlier_salary(k: Knowledge, promotion: Promotion) -> Reply:
    amounts = [i18n.money(b.net_monthly_eur) for b in promotion.salary_bands]
    return Reply(
        {
            "promotion": i18n.ordinal(promotion.number),
            "year": promotion.year or promotion.as_of[:4],
            "amounts": i18n.join_or(amounts),
        },
        text=N_("case_salary_earlier") if len(amounts) > 1 else N_("case_salary_earlier_one"),
        facts=[promotion],
    )


def band_asked(k: Knowledge, given: Given) -> Optional[Reply]:
    """The current pay for the years of experience a question gives (the 10-year boundary
    where the pre-application puts it, ``fit.salary_band``) or for a junior; else None."""
    years = given.get("years")
    bands = k.current.salary_bands
    if isinstance(years, int) and not isinstance(years, bool):
        band = k.current.band_for(years)
    elif given.get("seniority") == question.JUNIOR:
        band, years = bands[0], None
    else:
        return None
    if band is None:
        return None
    limit = band.max_years if band.max_years is not None else (band.min_years or 1) - 1
    which = N_("band_up_to") if band.max_years is not None else N_("band_beyond")
    args: dict[str, object] = {
        "promotion": i18n.ordinal(k.current.number),
        "band": _(which).format(years=i18n.years(limit)),
        "amount": i18n.money(band.net_monthly_eur),
        "variable": i18n.percent(band.variable_percent or 0),
    }
    if years is not None and given.get("years_exact") is not False:
        args["years"] = i18n.years(years)
        return Reply(args, text=N_("case_salary_years"), facts=[k.current])
    return Reply(args, text=N_("case_salary_band"), facts=[k.current])


def quoted(text: str) -> str:
    return f"« {text} »" if i18n.current_language.get() == "fr" else f"“{text}”"


def profile_detail(k: Knowledge, profile: str) -> str:
    """A current profile, the titles it corresponds to and what the call expects of it."""
    expectation = k.profiles.profiles[profile]
    return _("profile_with_equivalents").format(
        profile=_(PROFILE_LABELS[profile]),
        equivalents=i18n.join_or([quoted(e) for e in expectation.equivalents]),
        expectations=i18n.join([local(e) for e in expectation.expectations]),
    )


def profile_sought(k: Knowledge, profile: str) -> Reply:
    """Whether the current promotion recruits a profile, and which earlier ones did."""
    args: dict[str, object] = {
        "promotion": i18n.ordinal(k.current.number),
        "profiles": profile_labels(k.current),
        "profile": _(PROFILE_LABELS[profile]),
    }
    if profile in k.current.profiles:
        # "what does the tech one involve?": the titles it corresponds to, what is expected
        args["detail"] = profile_detail(k, profile) if profile in k.profiles.profiles else ""
        facts: list[Sourced] = [k.current, k.profiles] if args["detail"] else [k.current]
        return Reply(args, text=N_("case_profile_sought"), buttons=[PRE_APPLICATION], facts=facts)
    before = sorted(
        (p for p in k.past_promotions() if profile in p.profiles), key=lambda p: p.number
    )
    args["before"] = (
        stated(
            N_("case_profile_sought_before"),
            k,
            before,
            promotions=i18n.join([i18n.ordinal(p.number) for p in before]),
            years=i18n.join([str(p.year) for p in before if p.year]),
        )
        if before
        else ""
    )
    return Reply(args, text=N_("case_profile_not_sought"), facts=[k.current, *before])


def build(name: str, knowledge: Knowledge, today: dt.date, given: Given | None = None) -> Reply:
    """The reply for a response name; responses with no facts get an empty one.

    Raises ``UndatedFact`` when the text would state a fact of an earlier promotion, or
    cite an earlier promotion's text for a fact it does not list, without its date.
    """
    builder = BUILDERS.get(name)
    unknown = asked_promotion(knowledge, given or {}).unknown
    if unknown is not None and name.startswith(FAQ_RESPONSE) and name not in NOT_ABOUT_A_CASE:
        reply = unknown
    else:
        reply = builder(knowledge, today, given or {}) if builder else Reply()
    if reply.facts or reply.sources:
        text = _(reply.text or name).format(**{**(given or {}), **reply.args})
        accounted = {fact.source for fact in reply.facts}
        cited = [knowledge.sources[s] for s in reply.sources if s not in accounted]
        check_dated(name, knowledge, text, [*reply.facts, *cited])
    return reply


def candidate_button(intent: str) -> Button:
    """A "did you mean" button for an intent or a full retrieval intent (``faq/<topic>``)."""
    if intent.startswith("faq/"):
        return topic_button(intent.split("/", 1)[1])
    return (INTENT_LABELS[intent], f"/{intent}")


FAQ_TOPICS = tuple(TOPIC_LABELS)
# Intents that may be offered as a "did you mean" choice.
OFFERABLE = {f"faq/{t}" for t in FAQ_TOPICS} | set(INTENT_LABELS)


STRUCTURE_LABELS = {
    "central_administration": N_("structure_central_administration"),
    "local_authority": N_("structure_local_authority"),
    "health_establishment": N_("structure_health_establishment"),
    "independent_authority": N_("structure_independent_authority"),
    "other": N_("structure_other"),
}
# The same kinds inside a sentence: plural, with the article French needs.
STRUCTURE_PLURALS = {
    "central_administration": N_("structures_central_administration"),
    "local_authority": N_("structures_local_authority"),
    "health_establishment": N_("structures_health_establishment"),
    "independent_authority": N_("structures_independent_authority"),
}
APPROXIMATE = {
    "early": N_("approx_early"),
    "mid": N_("approx_mid"),
    "late": N_("approx_late"),
}


def structure_button(structure: str) -> Button:
    """Answers the structure question whatever the language (typed answers work too)."""
    payload = json.dumps({"structure_type": structure}, separators=(",", ":"))
    return (STRUCTURE_LABELS[structure], f"/inform{payload}")


def approximate(when: ApproximateDate) -> str:
    """``début mai 2018`` / ``early May 2018``."""
    return _(APPROXIMATE[when.part]).format(month=i18n.month(when.month))


def structures(names: list[str]) -> str:
    """``les collectivités territoriales et les établissements de santé``."""
    return i18n.join([_(STRUCTURE_PLURALS[n]) for n in names])


def host_facts(k: Knowledge) -> dict[str, object]:
    """What the call for projects in the texts said, and who hires EIGs today."""
    hosts = k.hosts
    return {
        "as_of": hosts.as_of[:4],
        "call_promotion": i18n.ordinal(hosts.call_for_projects),
        "structures": structures(hosts.eligible_structures),
        "criteria": i18n.join([local(c) for c in hosts.project_criteria]),
        "promotion": i18n.ordinal(k.current.number),
        "employer": k.current.contract.employer,
    }


@builds("utter_administration_welcome")
def administration_welcome(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(host_facts(k), facts=[k.current, k.hosts])


@builds("utter_ask_audience")
def ask_audience(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        buttons=[
            (N_("label_i_am_candidate"), "/i_am_candidate"),
            (N_("label_i_am_administration"), "/i_am_administration"),
        ]
    )


@builds("utter_candidate_welcome")
def candidate_welcome(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        {"promotion": i18n.ordinal(k.current.number), "profiles": profile_labels(k.current)},
        buttons=[PRE_APPLICATION, *(topic_button(t) for t in MENU_TOPICS)],
        facts=[k.current],
    )


@builds("utter_ask_structure_type", "utter_invalid_structure_type")
def ask_structure(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[structure_button(s) for s in STRUCTURE_LABELS])


@builds("utter_ask_has_data_project", "utter_invalid_has_data_project")
def ask_project(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[(N_("label_yes"), "/affirm"), (N_("label_no"), "/deny")])


@builds(
    "utter_ask_has_sponsor",
    "utter_invalid_has_sponsor",
    "utter_ask_fits_duration",
    "utter_invalid_fits_duration",
    "utter_ask_data_access",
    "utter_invalid_data_access",
)
def ask_criterion(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """The host check's questions on the project, each from the 2018 call (said with its
    date): a yes or a no; "not sure", a length of time or words are read too."""
    return Reply(
        {"as_of": host_facts(k)["as_of"]},
        buttons=[(N_("label_yes"), "/affirm"), (N_("label_no"), "/deny")],
    )


# What the 2018 call said of each criterion, after the administration's answer.
CRITERION_LINES = {
    ("has_sponsor", "yes"): N_("host_sponsor_yes"),
    ("has_sponsor", "no"): N_("host_sponsor_no"),
    ("fits_duration", "yes"): N_("host_duration_yes"),
    ("fits_duration", "no"): N_("host_duration_no"),
    ("data_access", "yes"): N_("host_access_yes"),
    ("data_access", "no"): N_("host_access_no"),
}
UNSURE_LINES = {
    "has_sponsor": N_("host_sponsor_no"),
    "fits_duration": N_("host_duration_no"),
    "data_access": N_("host_access_no"),
}


@builds("utter_faq/host_who_can_apply")
def host_who_can_apply(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        host_facts(k),
        buttons=[(N_("label_host_check"), "/host_check"), topic_button("host_cofinancing")],
        facts=[k.hosts, k.current],
    )


@builds("utter_faq/host_project_criteria")
def host_project_criteria(k: Knowledge, today: dt.date, given: Given) -> Reply:
    appreciated = i18n.join([local(c) for c in k.hosts.appreciated])
    return Reply({**host_facts(k), "appreciated": appreciated}, facts=[k.hosts, k.current])


@builds("utter_faq/host_commitments")
def host_commitments(k: Knowledge, today: dt.date, given: Given) -> Reply:
    commitments = i18n.join([local(c) for c in k.hosts.commitments])
    return Reply({**host_facts(k), "commitments": commitments}, facts=[k.hosts, k.current])


def cofinancing_facts(k: Knowledge) -> dict[str, object]:
    cofinancing = k.hosts.cofinancing
    return {
        **host_facts(k),
        "call_promotion": i18n.ordinal(cofinancing.introduced_with_promotion),
        "funders": local(cofinancing.funders),
        "excluded": structures(cofinancing.excluded),
    }


@builds("utter_faq/host_cofinancing")
def host_cofinancing(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({**cofinancing_facts(k), "email": email(k)}, facts=[k.hosts, k.current])


def describe_call_for_projects(k: Knowledge, call: CallForProjects, today: dt.date) -> str:
    """Where a call for projects stood or stands; a planned one never "opened"."""
    args = {
        "promotion": i18n.ordinal(call.promotion),
        "opens": approximate(call.opens),
        "closes": approximate(call.closes),
        "jury": approximate(call.jury) if call.jury else "",
    }
    if call.opens.first_day() > today:
        msgid = N_("call_for_projects_ahead")
    elif call.closes.last_day() < today:
        msgid = (
            N_("call_for_projects_planned_past") if call.planned else N_("call_for_projects_past")
        )
    else:
        msgid = N_("call_for_projects_planned_now") if call.planned else N_("call_for_projects_now")
    return stated(msgid, k, [call], **args)


@builds("utter_faq/host_timeline")
def host_timeline(k: Knowledge, today: dt.date, given: Given) -> Reply:
    latest = k.calls_for_projects[-1]
    return Reply(
        {
            "timeline": describe_call_for_projects(k, latest, today),
            "as_of": latest.as_of[:4],
            "email": email(k),
        },
        facts=[latest],
    )


@builds("utter_host_check_result")
def host_check_result(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """What the call for projects in the texts (2018) said for this kind of structure, each
    part with its date, and who hires EIGs for the current promotion."""
    structure = given.get("structure") or "other"
    facts = cofinancing_facts(k)
    said = [k.hosts]
    eligibility = stated(
        N_("host_eligible") if given.get("eligible") else N_("host_not_listed"), k, said, **facts
    )
    if not given.get("eligible"):
        funding = ""
    elif given.get("cofinanced"):
        funding = stated(N_("host_cofinanced"), k, said, **facts)
    else:
        funding = stated(N_("host_not_cofinanced"), k, said, **facts)
    project = stated(
        N_("host_project_yes") if given.get("has_project") else N_("host_project_no"),
        k,
        said,
        **facts,
    )
    criteria = []
    for asked in ("has_sponsor", "fits_duration", "data_access"):
        answer = given.get(asked)
        if answer is None:
            continue
        line = CRITERION_LINES.get((asked, str(answer))) or UNSURE_LINES[asked]
        criteria.append(stated(line, k, said, **facts))
    if criteria:
        project = "\n".join([project, *criteria])
    return Reply(
        {
            "structure": _(STRUCTURE_LABELS[structure]),
            "eligibility": eligibility,
            "funding": funding,
            "project": project,
            "email": email(k),
        },
        buttons=[topic_button("host_commitments"), topic_button("host_timeline")],
        facts=[k.hosts, k.current],
    )


def webinar_calendar_url(webinar: Webinar, language: str) -> str:
    return f"{settings.public_url()}/webinars/{webinar.id}.ics?lang={language}"


def _webinar(k: Knowledge, given: Given) -> Webinar:
    webinar = k.webinar(str(given.get("webinar")))
    if webinar is None:
        raise KeyError("webinar")
    return webinar


@builds("utter_webinar_followup")
def webinar_followup(k: Knowledge, today: dt.date, given: Given) -> Reply:
    w = _webinar(k, given)
    replay = (
        _("webinar_replay").format(url=w.replay_url) if w.replay_url else _("webinar_no_replay")
    )
    return Reply(
        {
            "date": i18n.date(w.date),
            "topic": local(w.topic),
            "promotion": i18n.ordinal(w.promotion),
            "replay": replay,
            "key_points": "\n".join(f"- {local(p)}" for p in w.key_points),
            "current": describe_call(k.current, today),
        },
        facts=[w, k.current],
        buttons=[
            topic_button("profiles"),
            topic_button("salary"),
            topic_button("selection_process"),
            topic_button("deadline"),
            topic_button("apply"),
        ],
    )


@builds("utter_webinar_followup_typed")
def webinar_followup_typed(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """ "J'ai assisté au webinaire hier, c'est quoi la suite ?" typed, without the link that
    names the webinar: where the call stands today and the next questions, and the latest
    webinar the texts list (never a date the message gave but the texts do not)."""
    past = [w for w in k.webinars if w.date < today]
    latest = max(past, key=lambda w: w.date) if past else None
    return Reply(
        {
            "latest": i18n.date(latest.date) if latest else "",
            "current": describe_call(k.current, today),
        },
        facts=[*([latest] if latest else []), k.current],
        buttons=[
            topic_button("selection_process"),
            topic_button("deadline"),
            topic_button("apply"),
            topic_button("webinars"),
        ],
    )


@builds("utter_webinar_not_yet")
def webinar_not_yet(k: Knowledge, today: dt.date, given: Given) -> Reply:
    w = _webinar(k, given)
    language = i18n.current_language.get()
    return Reply(
        {
            "date": i18n.date(w.date),
            "topic": local(w.topic),
            "registration": w.registration_url or "",
            "calendar_url": webinar_calendar_url(w, language),
        },
        facts=[w],
    )


@builds("utter_webinar_unknown")
def webinar_unknown(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"email": email(k)}, buttons=[topic_button("webinars")])
