"""Metrics counted from what /nlg sees: each message once, fallbacks, form starts, ends
(completed, cancelled, idle), and bounded label values."""

from __future__ import annotations

from typing import Any

from bot.web.metrics import Metrics


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def value(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


def user(ts: float, text: str = "…") -> dict[str, Any]:
    return {"event": "user", "timestamp": ts, "text": text}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


def tracker(events: list[dict[str, Any]], active: str | None = None, sender: str = "s1"):
    return {
        "sender_id": sender,
        "events": events,
        "active_loop": {"name": active} if active else {},
    }


def new_metrics(clock: Clock | None = None) -> Metrics:
    return Metrics(
        known_response=lambda name: name.startswith("utter_"),
        clock=clock or Clock(),
        wall_clock=lambda: 1000.5,
    )


def test_each_message_is_counted_once_with_its_reply_delay():
    metrics = new_metrics()
    events = [user(1000.0), action("action_detect_language")]
    metrics.observe("utter_greet", tracker(events), "fr")
    metrics.observe("utter_anything_else", tracker(events), "fr")  # same turn
    assert value(metrics, "eig_messages_total", language="fr") == 1
    assert value(metrics, "eig_reply_delay_seconds_sum", language="fr") == 0.5
    metrics.observe("utter_greet", tracker([*events, user(1000.2)]), "en")
    assert value(metrics, "eig_messages_total", language="en") == 1
    metrics.observe("utter_greet", tracker(events, sender="s2"), "fr")
    assert value(metrics, "eig_messages_total", language="fr") == 2
    assert value(metrics, "eig_responses_total", response="utter_greet", language="fr") == 2


def test_fallbacks_and_unknown_response_names():
    metrics = new_metrics()
    metrics.observe("utter_default", tracker([user(1.0)]), "en")
    metrics.observe("utter_did_you_mean", tracker([user(2.0)]), "en")
    metrics.observe("whatever the caller sent", None, "en")
    assert value(metrics, "eig_fallbacks_total", kind="no_answer", language="en") == 1
    assert value(metrics, "eig_fallbacks_total", kind="did_you_mean", language="en") == 1
    assert value(metrics, "eig_responses_total", response="unknown", language="en") == 1


def test_a_form_started_and_completed_counts_once_each():
    metrics = new_metrics()
    turn1 = [user(1.0), action("host_check_form"), loop("host_check_form")]
    # Rasa renders the first question with a temporary tracker, then stores the turn.
    temporary = [user(1.0), {"event": "slot", "name": "requested_slot"}, *turn1[1:]]
    metrics.observe("utter_ask_has_data_project", tracker(temporary, "host_check_form"), "fr")
    metrics.observe("utter_anything_else", tracker(turn1, "host_check_form"), "fr")
    assert value(metrics, "eig_forms_started_total", form="host_check_form", language="fr") == 1
    assert value(metrics, "eig_forms_in_progress") == 1
    turn2 = [*turn1, user(2.0), action("host_check_form"), loop(None),
             action("action_host_check_result")]  # fmt: skip
    metrics.observe("utter_host_check_result", tracker(turn2), "fr")
    metrics.observe("utter_anything_else", tracker(turn2), "fr")
    assert value(metrics, "eig_forms_completed_total", form="host_check_form", language="fr") == 1
    assert value(metrics, "eig_forms_abandoned_total", form="host_check_form", language="fr",
                 reason="cancelled") == 0  # fmt: skip
    assert value(metrics, "eig_forms_in_progress") == 0


def test_a_form_stopped_in_the_conversation_is_cancelled():
    metrics = new_metrics()
    turn1 = [user(1.0), action("pre_application_form"), loop("pre_application_form")]
    metrics.observe("utter_ask_name", tracker(turn1, "pre_application_form"), "en")
    turn2 = [*turn1, user(2.0), action("action_deactivate_loop"), loop(None)]
    metrics.observe("utter_ok", tracker(turn2), "en")
    assert value(metrics, "eig_forms_abandoned_total", form="pre_application_form",
                 language="en", reason="cancelled") == 1  # fmt: skip
    assert value(metrics, "eig_forms_completed_total", form="pre_application_form",
                 language="en") == 0  # fmt: skip


def test_after_a_restart_the_previous_turn_and_this_one_are_read():
    metrics = new_metrics()  # no memory of the start
    events = [user(1.0), action("host_check_form"), loop("host_check_form"),
              user(2.0), action("host_check_form"), loop(None)]  # fmt: skip
    metrics.observe("utter_host_check_result", tracker(events), "en")
    metrics.observe("utter_anything_else", tracker(events), "en")
    assert value(metrics, "eig_forms_completed_total", form="host_check_form", language="en") == 1
    assert value(metrics, "eig_forms_started_total", form="host_check_form", language="en") == 1


def test_a_form_that_ends_itself_unfilled_is_abandoned_for_its_reason_seen_next_turn():
    metrics = new_metrics()
    form = "pre_application_form"
    turn1 = [user(1.0), action(form), loop(form)]
    metrics.observe("utter_ask_target_profile", tracker(turn1, form), "fr")
    # "stop", confirmed: the form says goodbye itself, sets why, and ends; nothing is
    # rendered after the end in that turn.
    turn2 = [*turn1, user(2.0), action(form)]
    metrics.observe("utter_cancel_confirmed", tracker(turn2, form), "fr")
    stored = [*turn2, {"event": "slot", "name": "pre_application_paused", "value": "cancelled"},
              loop(None), action("action_submit_pre_application")]  # fmt: skip
    assert value(metrics, "eig_forms_abandoned_total", form=form, language="fr",
                 reason="cancelled") == 0  # fmt: skip
    metrics.observe("utter_greet", tracker([*stored, user(3.0)]), "fr")  # the next message
    metrics.observe("utter_help", tracker([*stored, user(3.0)]), "fr")
    assert value(metrics, "eig_forms_abandoned_total", form=form, language="fr",
                 reason="cancelled") == 1  # fmt: skip
    assert value(metrics, "eig_forms_completed_total", form=form, language="fr") == 0
    assert value(metrics, "eig_forms_in_progress") == 0


def test_a_self_ended_form_with_no_reason_is_completed():
    metrics = new_metrics()
    form = "pre_application_form"
    events = [user(1.0), action(form), loop(form), user(2.0), action(form),
              {"event": "slot", "name": "pre_application_paused", "value": None}, loop(None)]  # fmt: skip
    metrics.observe("utter_pre_application_result", tracker(events), "en")
    assert value(metrics, "eig_forms_completed_total", form=form, language="en") == 1


def test_a_form_left_unanswered_for_an_hour_is_abandoned_as_idle():
    clock = Clock()
    metrics = Metrics(clock=clock, form_idle_s=3600)
    turn1 = [user(1.0), action("host_check_form"), loop("host_check_form")]
    metrics.observe("utter_ask_structure_type", tracker(turn1, "host_check_form"), "en")
    clock.now += 1800
    # Still answering: the clock restarts.
    turn2 = [*turn1, user(2.0), action("host_check_form")]
    metrics.observe("utter_ask_has_data_project", tracker(turn2, "host_check_form"), "en")
    clock.now += 3000
    metrics.sweep()
    assert value(metrics, "eig_forms_abandoned_total", form="host_check_form", language="en",
                 reason="idle") == 0  # fmt: skip
    clock.now += 700
    metrics.sweep()
    assert value(metrics, "eig_forms_abandoned_total", form="host_check_form", language="en",
                 reason="idle") == 1  # fmt: skip
    assert value(metrics, "eig_forms_in_progress") == 0


def test_broken_trackers_are_ignored():
    metrics = new_metrics()
    for broken in [None, "x", {}, {"sender_id": 3, "events": []}, {"sender_id": "s", "events": "x"},
                   {"sender_id": "s", "events": [None, 1, {"event": "user", "timestamp": "x"}]}]:  # fmt: skip
        metrics.observe("utter_greet", broken, "fr")
    assert value(metrics, "eig_responses_total", response="utter_greet", language="fr") == 6
