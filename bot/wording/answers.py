"""The arguments of each response, computed from the knowledge base and the clock.

A response's wording lives in the catalogs under its name; this module supplies the facts
that fill its placeholders, the buttons it offers and the sources it cites. A fact change
is a knowledge edit, never a new translation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.domain import schedule
from bot.domain.knowledge import (
    ApproximateDate,
    CallForProjects,
    Knowledge,
    Localized,
    Promotion,
    Webinar,
)
from bot.infra import settings
from bot.wording import i18n
from bot.wording.i18n import _

Button = tuple[str, str]  # (catalog msgid of the title, payload)


@dataclass
class Reply:
    args: dict[str, object] = field(default_factory=dict)
    buttons: list[Button] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


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


@builds(
    "utter_bot_challenge",
    "utter_out_of_scope",
    "utter_default",
    "utter_error",
    "utter_faq/contact",
)
def contact(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"email": email(k)})


@builds("utter_faq/what_is_eig")
def what_is_eig(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "presentation_url": k.programme.links.presentation,
        },
        sources=[k.current.source, k.programme.links.source],
    )


@builds("utter_faq/who_runs")
def who_runs(k: Knowledge, today: dt.date, given: Given) -> Reply:
    run_by = k.programme.run_by
    return Reply(
        {
            "department": run_by.department,
            "directorate": run_by.directorate,
            "directorate_name": local(run_by.directorate_name),
        },
        sources=[run_by.source],
    )


@builds("utter_faq/key_figures")
def key_figures(k: Knowledge, today: dt.date, given: Given) -> Reply:
    p = k.programme
    return Reply(
        {
            "launch_year": p.launched.year,
            "eigs_min": i18n.number(p.totals.eigs_min),
            "projects_min": i18n.number(p.totals.projects_min),
            "until_year": p.totals.until_year,
            "stayed_share": i18n.percent(p.stayed_public_sector.share_min_percent),
            "stayed_as_of": p.stayed_public_sector.as_of[:4],
        },
        sources=[p.totals.source, p.stayed_public_sector.source],
    )


@builds("utter_faq/host_administrations")
def host_administrations(k: Knowledge, today: dt.date, given: Given) -> Reply:
    hosts = k.programme.host_administrations
    return Reply(
        {
            "administrations": i18n.join([local(n) for n in hosts.names]),
            "projects_url": k.programme.links.projects,
        },
        sources=[hosts.source],
    )


@builds("utter_faq/team_size")
def team_size(k: Knowledge, today: dt.date, given: Given) -> Reply:
    team = k.programme.team_size
    return Reply({"min": team.min, "max": team.max}, sources=[team.source])


@builds("utter_faq/profiles")
def profiles(k: Knowledge, today: dt.date, given: Given) -> Reply:
    past = k.past_promotions()[0]
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "profiles": profile_labels(k.current),
            "past_promotion": i18n.ordinal(past.number),
            "past_profiles": profile_labels(k.promotion(5)) if 5 in k.promotions else "",
            "apply_url": k.programme.links.apply,
        },
        buttons=[PRE_APPLICATION],
        sources=[k.current.source, past.source],
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
        sources=[past.source, k.current.source],
    )


@builds("utter_faq/salary")
def salary(k: Knowledge, today: dt.date, given: Given) -> Reply:
    bands = k.current.salary_bands
    junior, senior = bands[0], bands[-1]
    past = k.past_promotions()[0]
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "junior_years": junior.max_years,
            "junior_amount": i18n.money(junior.net_monthly_eur),
            "junior_variable": i18n.percent(junior.variable_percent or 0),
            "senior_amount": i18n.money(senior.net_monthly_eur),
            "senior_variable": i18n.percent(senior.variable_percent or 0),
            "past_promotion": i18n.ordinal(past.number),
            "past_amounts": i18n.join_or(
                [i18n.money(b.net_monthly_eur) for b in past.salary_bands]
            ),
        },
        sources=[k.current.source, past.source],
    )


@builds("utter_faq/contract")
def contract(k: Knowledge, today: dt.date, given: Given) -> Reply:
    now = k.current.contract
    past = k.past_promotions()[0]
    return Reply(
        {
            "promotion": i18n.ordinal(k.current.number),
            "employer": now.employer,
            "min_months": now.min_months or now.months or 0,
            "past_promotion": i18n.ordinal(past.number),
            "past_months": past.contract.months or 0,
        },
        sources=[k.current.source, past.source],
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
        sources=[k.selection.source],
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
        sources=[now.source, before.source],
    )


def describe_call(promotion: Promotion, today: dt.date) -> str:
    """One sentence on where a promotion's call stands today."""
    status = schedule.call_status(promotion.call, today)
    args: dict[str, object] = {"promotion": i18n.ordinal(promotion.number)}
    if status.opens:
        args["opens"] = i18n.date(status.opens)
    if status.closes:
        args["closes"] = i18n.date(status.closes)
    if status.state == schedule.OPEN and status.closes:
        args["days_left"] = i18n.days(status.days_left or 0)
        return _("call_open_until").format(**args)
    if status.state == schedule.OPEN:
        return _("call_open").format(**args)
    if status.state == schedule.SCHEDULED:
        args["days"] = i18n.days(status.days_until_open or 0)
        return _("call_scheduled").format(**args)
    if status.state == schedule.CLOSED:
        return _("call_closed").format(**args)
    if status.state == schedule.ANNOUNCED:
        return _("call_announced").format(**args)
    return _("call_unknown").format(**args)


@builds("utter_faq/deadline")
def deadline(k: Knowledge, today: dt.date, given: Given) -> Reply:
    current = describe_call(k.current, today)
    last = schedule.last_closed_call(k, today)
    sources = [k.current.source]
    history = ""
    if last is not None and last.number != k.current.number:
        history = describe_call(last, today)
        sources.append(last.source)
    return Reply(
        {"current": current, "history": history, "apply_url": k.programme.links.apply},
        buttons=[topic_button("webinars"), topic_button("apply")],
        sources=sources,
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
    if past:
        items = [line(_("webinar_past"), w, w.replay_url) for w in past]
        recent = "\n".join([_("webinars_recent"), *items])
    used = ahead + past
    return Reply(
        {"status": status, "recent": recent},
        sources=sorted({w.source for w in used}) or [k.current.source],
    )


@builds("utter_faq/support")
def support(k: Knowledge, today: dt.date, given: Given) -> Reply:
    s = k.programme.support
    return Reply(
        {"formats": i18n.join([local(f) for f in s.formats]), "by": local(s.by)},
        sources=[s.source],
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
        sources=[k.programme.links.source],
    )


@builds("utter_faq/not_in_sources")
def not_in_sources(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"email": email(k), "rules_url": k.programme.links.rules})


def build(name: str, knowledge: Knowledge, today: dt.date, given: Given | None = None) -> Reply:
    """The reply for a response name; responses with no facts get an empty one."""
    builder = BUILDERS.get(name)
    return builder(knowledge, today, given or {}) if builder else Reply()


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
    return i18n.join([_(STRUCTURE_LABELS[n]) for n in names])


@builds("utter_administration_welcome")
def administration_welcome(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        {"structures": structures(k.hosts.eligible_structures)},
        sources=[k.hosts.source],
    )


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
        sources=[k.current.source],
    )


@builds("utter_ask_structure_type", "utter_invalid_structure_type")
def ask_structure(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[structure_button(s) for s in STRUCTURE_LABELS])


@builds("utter_ask_has_data_project", "utter_invalid_has_data_project")
def ask_project(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[(N_("label_yes"), "/affirm"), (N_("label_no"), "/deny")])


@builds("utter_faq/host_who_can_apply")
def host_who_can_apply(k: Knowledge, today: dt.date, given: Given) -> Reply:
    hosts = k.hosts
    return Reply(
        {
            "structures": structures(hosts.eligible_structures),
            "criteria": i18n.join([local(c) for c in hosts.project_criteria]),
            "as_of": hosts.as_of[:4],
        },
        buttons=[(N_("label_host_check"), "/host_check"), topic_button("host_cofinancing")],
        sources=[hosts.source],
    )


@builds("utter_faq/host_project_criteria")
def host_project_criteria(k: Knowledge, today: dt.date, given: Given) -> Reply:
    hosts = k.hosts
    return Reply(
        {
            "criteria": i18n.join([local(c) for c in hosts.project_criteria]),
            "appreciated": i18n.join([local(c) for c in hosts.appreciated]),
            "as_of": hosts.as_of[:4],
        },
        sources=[hosts.source],
    )


@builds("utter_faq/host_commitments")
def host_commitments(k: Knowledge, today: dt.date, given: Given) -> Reply:
    hosts = k.hosts
    return Reply(
        {"commitments": i18n.join([local(c) for c in hosts.commitments]), "as_of": hosts.as_of[:4]},
        sources=[hosts.source],
    )


@builds("utter_faq/host_cofinancing")
def host_cofinancing(k: Knowledge, today: dt.date, given: Given) -> Reply:
    cofinancing = k.hosts.cofinancing
    return Reply(
        {
            "promotion": i18n.ordinal(cofinancing.since_promotion),
            "funders": local(cofinancing.funders),
            "excluded": structures(cofinancing.excluded),
            "as_of": k.hosts.as_of[:4],
        },
        sources=[k.hosts.source],
    )


def describe_call_for_projects(call: CallForProjects, today: dt.date) -> str:
    args = {
        "promotion": i18n.ordinal(call.promotion),
        "opens": approximate(call.opens),
        "closes": approximate(call.closes),
        "jury": approximate(call.jury) if call.jury else "",
    }
    if call.closes.last_day() < today:
        return _("call_for_projects_past").format(**args)
    if call.opens.first_day() > today:
        return _("call_for_projects_ahead").format(**args)
    return _("call_for_projects_now").format(**args)


@builds("utter_faq/host_timeline")
def host_timeline(k: Knowledge, today: dt.date, given: Given) -> Reply:
    latest = k.calls_for_projects[-1]
    return Reply(
        {
            "timeline": describe_call_for_projects(latest, today),
            "as_of": latest.as_of[:4],
            "email": email(k),
        },
        sources=[latest.source],
    )


@builds("utter_host_check_result")
def host_check_result(k: Knowledge, today: dt.date, given: Given) -> Reply:
    structure = given.get("structure") or "other"
    eligibility = _("host_eligible") if given.get("eligible") else _("host_not_listed")
    if not given.get("eligible"):
        funding = ""
    elif given.get("cofinanced"):
        funding = _("host_cofinanced")
    else:
        funding = _("host_not_cofinanced")
    project = _("host_project_yes") if given.get("has_project") else _("host_project_no")
    return Reply(
        {
            "structure": _(STRUCTURE_LABELS[structure]),
            "eligibility": eligibility.format(
                structures=structures(k.hosts.eligible_structures), as_of=k.hosts.as_of[:4]
            ),
            "funding": funding.format(
                funders=local(k.hosts.cofinancing.funders),
                excluded=structures(k.hosts.cofinancing.excluded),
            ),
            "project": project.format(
                criteria=i18n.join([local(c) for c in k.hosts.project_criteria])
            ),
            "email": email(k),
        },
        buttons=[topic_button("host_commitments"), topic_button("host_timeline")],
        sources=[k.hosts.source],
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
        sources=[w.source, k.current.source],
        buttons=[
            topic_button("profiles"),
            topic_button("salary"),
            topic_button("selection_process"),
            topic_button("deadline"),
            topic_button("apply"),
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
        sources=[w.source],
    )


@builds("utter_webinar_unknown")
def webinar_unknown(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"email": email(k)}, buttons=[topic_button("webinars")])
