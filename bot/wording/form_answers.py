"""The facts and buttons of the pre-application's questions, summary and result.

Registered with ``bot.wording.answers.builds`` like every other response. The answers an action
passes arrive already type-checked by ``bot.wording.nlg``; a candidate's own words are shown with
their Markdown neutralised, so a typed ``[link](…)`` stays text.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from bot.domain import fit
from bot.domain.knowledge import Knowledge
from bot.infra import settings
from bot.wording import i18n, privacy
from bot.wording.answers import (
    N_,
    PRE_APPLICATION,
    PROFILE_LABELS,
    Button,
    Given,
    Reply,
    builds,
    describe_call,
    email,
    local,
    profile_detail,
    profile_labels,
    topic_button,
)
from bot.wording.i18n import _

FIELD_LABELS = {
    "target_profile": N_("field_target_profile"),
    "years_experience": N_("field_years_experience"),
    "entrepreneurial_experience": N_("field_entrepreneurial_experience"),
    "entrepreneurial_description": N_("field_entrepreneurial_description"),
    "led_teams": N_("field_led_teams"),
    "project_interest": N_("field_project_interest"),
    "consent": N_("field_consent"),
    "first_name": N_("field_first_name"),
    "email": N_("field_email"),
    "summary_confirmed": N_("field_summary_confirmed"),
    "cancel_confirmed": N_("field_cancel_confirmed"),
    "correction_field": N_("field_correction_field"),
    "deletion_reference": N_("field_deletion_reference"),
    "deletion_email": N_("field_email"),
    "notify_consent": N_("field_consent"),
    # the host check's questions (the structure is said again or put right at another one)
    "structure_type": N_("field_structure_type"),
    "has_data_project": N_("field_has_data_project"),
    "has_sponsor": N_("field_has_sponsor"),
    "fits_duration": N_("field_fits_duration"),
    "data_access": N_("field_data_access"),
}
FIELD_HINTS = {
    "target_profile": N_("hint_target_profile"),
    "years_experience": N_("hint_years_experience"),
    "entrepreneurial_experience": N_("hint_yes_no"),
    "led_teams": N_("hint_yes_no"),
    "consent": N_("hint_yes_no"),
    "summary_confirmed": N_("hint_yes_no"),
    "cancel_confirmed": N_("hint_yes_no"),
    "entrepreneurial_description": N_("hint_free_text"),
    "project_interest": N_("hint_free_text"),
    "first_name": N_("hint_first_name"),
    "email": N_("hint_email"),
    "correction_field": N_("hint_correction_field"),
}
GAP_LABELS = {
    fit.PROFILE_NOT_SOUGHT: N_("fit_gap_profile_not_sought"),
    fit.NO_ENTREPRENEURIAL_EXPERIENCE: N_("fit_gap_no_entrepreneurial_experience"),
    fit.NO_TEAM_LEADERSHIP: N_("fit_gap_no_team_leadership"),
}
LEVEL_LABELS = {
    fit.MATCHES: N_("fit_matches"),
    fit.PARTIAL: N_("fit_partial"),
    fit.NOT_SOUGHT: N_("fit_not_sought"),
}
BAND_LABELS = {True: N_("band_up_to"), False: N_("band_beyond")}
YES_NO: list[Button] = [(N_("label_yes"), "/affirm"), (N_("label_no"), "/deny")]
RESUME: Button = (N_("label_resume"), "/resume")


def shown(text: object) -> str:
    """A candidate's own words inside a bot message: Markdown neutralised, one line."""
    flat = re.sub(r"\s+", " ", str(text)).strip()
    return re.sub(r"([\\`*_\[\]()<>#])", r"\\\1", flat)


def quoted_in_chat(text: object) -> str:
    """``shown``, with ``:`` and ``@`` escaped too, so that an address or an e-mail the
    person typed is shown in the chat as text, never made a link: only links the assistant
    itself sends may be clickable (the widget and Markdown read ``\\:`` as ``:``)."""
    return re.sub(r"([:@])", r"\\\1", shown(text))


def profile_name(profile: object) -> str:
    if profile in PROFILE_LABELS:
        return _(PROFILE_LABELS[str(profile)])
    return _("profile_other")


def yes_no(value: object) -> str:
    return _("label_yes") if value else _("label_no")


PROFILE_BUTTONS = {
    "product_director": N_("label_profile_product_director"),
    "technical_director": N_("label_profile_technical_director"),
}


def profile_buttons(k: Knowledge) -> list[Button]:
    buttons = [
        (
            PROFILE_BUTTONS.get(p, PROFILE_LABELS[p]),
            "/inform" + json.dumps({"target_profile": p}, separators=(",", ":")),
        )
        for p in k.current.profiles
    ]
    return [*buttons, (N_("label_profile_other"), '/inform{"target_profile":"other"}')]


def field_button(field: str) -> Button:
    return (
        FIELD_LABELS[field],
        "/correct" + json.dumps({"form_field": field}, separators=(",", ":")),
    )


def profiles_detail(k: Knowledge) -> str:
    """Each current profile with the titles it corresponds to, one per line."""
    return "\n".join(f"- {profile_detail(k, profile)}" for profile in k.current.profiles)


@builds("utter_pre_application_intro")
def intro(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"promotion": i18n.ordinal(k.current.number)})


@builds("utter_ask_target_profile")
def ask_profile(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        {"promotion": i18n.ordinal(k.current.number), "profiles": profiles_detail(k)},
        buttons=profile_buttons(k),
        sources=[k.profiles.source],
    )


@builds("utter_invalid_target_profile")
def invalid_profile(k: Knowledge, today: dt.date, given: Given) -> Reply:
    guess = given.get("guess")
    args = {"promotion": i18n.ordinal(k.current.number), "profiles": profile_labels(k.current)}
    if guess in PROFILE_LABELS and guess not in k.current.profiles:
        reason = _("profile_not_sought_now").format(guess=_(PROFILE_LABELS[guess]), **args)
    else:
        reason = _("profile_not_recognised").format(**args)
    return Reply(
        {**args, "reason": reason, "details": profiles_detail(k)},
        buttons=profile_buttons(k),
        sources=[k.profiles.source],
    )


@builds("utter_ask_years_experience", "utter_invalid_years_experience")
def ask_years(k: Knowledge, today: dt.date, given: Given) -> Reply:
    junior = k.current.salary_bands[0]
    return Reply({"junior_years": i18n.years(junior.max_years or 0), "max_years": 60})


@builds("utter_ask_entrepreneurial_experience", "utter_invalid_entrepreneurial_experience")
def ask_entrepreneurial(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"promotion": i18n.ordinal(k.current.number)}, buttons=YES_NO)


@builds("utter_ask_led_teams", "utter_invalid_led_teams", "utter_invalid_summary_confirmed",
        "utter_invalid_notify_consent")  # fmt: skip
def ask_yes_no(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=YES_NO)


@builds("utter_ask_consent", "utter_invalid_consent")
def ask_consent(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """The purpose, how long (EIG_RETENTION_APPLICATIONS) and the privacy notice's address."""
    language = i18n.current_language.get()
    return Reply(
        {
            "retention": privacy.retention(language).applications,
            "privacy_url": privacy.notice_url(language),
        },
        buttons=[(N_("label_i_accept"), "/affirm"), (N_("label_i_refuse"), "/deny")],
    )


@builds("utter_ask_notify_consent")
def ask_notify_consent(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """How long (EIG_RETENTION_NOTIFICATIONS) and the privacy notice's address."""
    language = i18n.current_language.get()
    return Reply(
        {
            "retention": privacy.retention(language).notifications,
            "privacy_url": privacy.notice_url(language),
        },
        buttons=YES_NO,
    )


@builds("utter_ask_entrepreneurial_description", "utter_invalid_entrepreneurial_description")
def ask_description(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"max_chars": given.get("max_chars") or i18n.number(500)})


@builds("utter_ask_project_interest", "utter_invalid_project_interest")
def ask_project(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"max_chars": given.get("max_chars") or i18n.number(1000)})


@builds("utter_ask_cancel_confirmed", "utter_invalid_cancel_confirmed")
def ask_cancel(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[(N_("label_yes_cancel"), "/affirm"), (N_("label_no_continue"), "/deny")])


@builds("utter_pre_application_summary")
def summary(k: Knowledge, today: dt.date, given: Given) -> Reply:
    lines = []
    for field in given.get("fields") or []:
        value = given.get(SUMMARY_KEYS.get(field, ""))
        if field == "target_profile":
            text = profile_name(value)
        elif field == "years_experience":
            text = i18n.years(int(value or 0))
        elif field in ("entrepreneurial_experience", "led_teams", "consent"):
            text = yes_no(value)
        else:
            text = quoted_in_chat(value)
        lines.append(f"- {_(FIELD_LABELS[field])} : {text}" if i18n.current_language.get() == "fr"
                     else f"- {_(FIELD_LABELS[field])}: {text}")  # fmt: skip
    return Reply(
        {"answers": "\n".join(lines)},
        buttons=[(N_("label_confirm"), "/affirm"), (N_("label_correct_answer"), "/deny")],
    )


SUMMARY_KEYS = {
    "target_profile": "profile",
    "years_experience": "years",
    "entrepreneurial_experience": "entrepreneurial",
    "entrepreneurial_description": "description",
    "led_teams": "led_teams",
    "project_interest": "project",
    "consent": "consent",
    "first_name": "first_name",
    "email": "email",
}


@builds("utter_ask_correction_field", "utter_invalid_correction_field")
def ask_correction(k: Knowledge, today: dt.date, given: Given) -> Reply:
    fields = [f for f in given.get("fields") or [] if f in SUMMARY_KEYS]
    return Reply(
        buttons=[field_button(f) for f in fields] + [(N_("label_nothing_to_correct"), "/affirm")]
    )


@builds("utter_form_stuck")
def stuck(k: Knowledge, today: dt.date, given: Given) -> Reply:
    field = given.get("field")
    label = _(FIELD_LABELS[field]) if field in FIELD_LABELS else ""
    hint = _(FIELD_HINTS[field]) if field in FIELD_HINTS else ""
    return Reply(
        {"field": label, "hint": hint, "email": email(k)},
        buttons=[RESUME, (N_("label_ask_question"), "/help"), topic_button("contact")],
    )


@builds("utter_host_check_stuck")
def host_check_stuck(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """The host check ends after three unusable answers: start again, ask, or write."""
    return Reply(
        {"email": email(k)},
        buttons=[(N_("label_host_check"), "/host_check"), (N_("label_ask_question"), "/help"),
                 topic_button("contact")],
    )  # fmt: skip


@builds("utter_answer_corrected", "utter_answer_noted")
def corrected(k: Knowledge, today: dt.date, given: Given) -> Reply:
    field = given.get("field")
    return Reply({"field": _(FIELD_LABELS[field]) if field in FIELD_LABELS else ""})


@builds("utter_pre_application_cancelled", "utter_pre_application_storage_error")
def cancelled(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[RESUME, topic_button("profiles"), topic_button("salary")])


@builds("utter_pre_application_result")
def result(k: Knowledge, today: dt.date, given: Given) -> Reply:
    promotion = k.current
    years = int(given.get("years") or 0)
    level = str(given.get("level")) if given.get("level") in LEVEL_LABELS else fit.PARTIAL
    gaps = [g for g in given.get("gaps") or [] if g in GAP_LABELS]
    facts = {
        "promotion": i18n.ordinal(promotion.number),
        "profiles": profile_labels(promotion),
        "profile": profile_name(given.get("profile")),
        "criteria": i18n.join([local(c) for c in k.criteria.current.items]),
    }
    assessment = _(LEVEL_LABELS[level]).format(
        gaps=i18n.join([_(GAP_LABELS[g]).format(**facts) for g in gaps]), **facts
    )
    band = fit.salary_band(k, years)
    if band is None:
        pay = ""
    else:
        limit = band.max_years if band.max_years is not None else (band.min_years or 1) - 1
        which = BAND_LABELS[band.max_years is not None]
        pay = _("pre_application_pay").format(
            years=i18n.years(years),
            amount=i18n.money(band.net_monthly_eur),
            variable=i18n.percent(band.variable_percent or 0),
            band=_(which).format(years=i18n.years(limit)),
        )
    steps = "\n".join(f"{n}. {local(step)}" for n, step in enumerate(k.selection.steps, start=1))
    reference = given.get("reference")
    if reference and given.get("mailed"):
        stored = _("pre_application_stored_mailed").format(
            reference=reference, within=confirm_within()
        )
    elif reference:
        stored = _("pre_application_stored").format(reference=reference)
    else:
        stored = _("pre_application_not_stored")
    name = given.get("first_name")
    return Reply(
        {
            **facts,
            "thanks": _("pre_application_thanks_name").format(first_name=quoted_in_chat(name))
            if name
            else _("pre_application_thanks"),
            "assessment": assessment,
            "pay": pay,
            "steps": steps,
            "call": describe_call(promotion, today),
            "apply_url": k.programme.links.apply,
            "stored": stored,
        },
        sources=[promotion.source, k.selection.source],
    )


@builds("utter_offer_notification")
def offer_notification(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(
        {"call": describe_call(k.current, today)},
        buttons=[(N_("label_notify_me"), "/affirm"), (N_("label_no_thanks"), "/deny")],
    )


@builds("utter_ask_notification")
def ask_notification(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """After the deadline's answer while the call is not open (actions/topics.py)."""
    return Reply({}, buttons=[(N_("label_notify_me"), "/affirm"), (N_("label_no_thanks"), "/deny")])


def confirm_within() -> str:
    """How long a confirmation link lives (EIG_CONFIRM_WITHIN), in words."""
    return privacy.duration(settings.CONFIRM_WITHIN.get(), i18n.current_language.get())


@builds("utter_follow_call", "utter_mail_unavailable")
def follow_call(k: Knowledge, today: dt.date, given: Given) -> Reply:
    """No e-mail can leave (EIG_SMTP_HOST unset): where to follow the call instead."""
    return Reply({"call": describe_call(k.current, today), "apply_url": k.programme.links.apply})


@builds("utter_notification_saved", "utter_notification_already")
def notification_saved(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"promotion": i18n.ordinal(k.current.number), "within": confirm_within()})


@builds("utter_notification_cancel_link")
def notification_cancel_link(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"within": confirm_within()})


@builds("utter_cancellation_unavailable")
def cancellation_unavailable(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"email": email(k)})


@builds("utter_notification_declined")
def notification_declined(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"apply_url": k.programme.links.apply})


@builds("utter_ask_deletion_reference", "utter_invalid_deletion_reference")
def ask_deletion_reference(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[(N_("label_no_reference"), '/inform{"deletion_reference":"none"}')])


@builds("utter_data_deleted")
def data_deleted(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"reference": given.get("reference") or ""})


@builds("utter_data_not_found", "utter_storage_error")
def data_not_found(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"email": email(k)})


@builds("utter_nothing_to_stop")
def nothing_to_stop(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply(buttons=[topic_button(t) for t in ("profiles", "salary", "deadline")])


@builds("utter_nothing_to_correct")
def nothing_to_correct(k: Knowledge, today: dt.date, given: Given) -> Reply:
    return Reply({"email": email(k)}, buttons=[PRE_APPLICATION])
