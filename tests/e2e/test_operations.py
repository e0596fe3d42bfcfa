"""Operations with the real services: the web service's metrics follow real conversations,
and its responses carry request ids and security headers."""

from __future__ import annotations

import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import PORTS


def metrics() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORTS.web}/metrics", timeout=10) as reply:
        text = reply.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(snapshot: dict, name: str, **labels: str) -> float:
    return sum(
        value
        for (metric, metric_labels), value in snapshot.items()
        if metric == name and set(labels.items()) <= set(metric_labels)
    )


def test_messages_fallbacks_and_a_completed_form_are_counted(conversation):
    before = metrics()
    chat = conversation(language="fr")
    chat.say("bonjour, je travaille dans une mairie")  # starts the host check
    chat.say("non")  # no project: completes it
    english = conversation(language="en")
    english.say("hello")
    english.say('/choose_topic{"faq_topic":"no_such_topic"}')  # answered with utter_default
    after = metrics()

    def delta(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert delta("eig_messages_total", language="fr") == 2
    assert delta("eig_messages_total", language="en") == 2
    assert delta("eig_forms_started_total", form="host_check_form", language="fr") == 1
    assert delta("eig_forms_completed_total", form="host_check_form", language="fr") == 1
    assert delta("eig_forms_abandoned_total") == 0
    assert delta("eig_fallbacks_total", language="en") == 1
    assert delta("eig_responses_total", response="utter_host_check_result") == 1
    assert delta("eig_reply_delay_seconds_count", language="fr") == 2
    assert delta("eig_http_request_duration_seconds_count", route="/nlg") >= 4


def test_a_cancelled_pre_application_is_abandoned_not_completed(conversation):
    before = metrics()
    chat = conversation(language="en")
    chat.say("check my profile")
    chat.say("head of product")
    chat.say("cancel")
    assert "Nothing has been stored" in chat.text("yes")
    chat.say("hello")  # the end of the form is read when the next message comes
    after = metrics()
    form = "pre_application_form"

    def delta(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert delta("eig_forms_started_total", form=form, language="en") == 1
    assert delta("eig_forms_abandoned_total", form=form, reason="cancelled") == 1
    assert delta("eig_forms_completed_total", form=form) == 0


def test_web_responses_carry_a_request_id_and_security_headers(stack):
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORTS.web}/en/", headers={"X-Request-ID": "e2e-check-1"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.headers["X-Request-ID"] == "e2e-check-1"
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    log_text = stack.log_file.read_text(encoding="utf-8", errors="replace")
    assert '"request_id": "e2e-check-1"' in log_text
