from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from bot import ROOT
from bot.wording import nlg
from bot.wording.answers import FAQ_TOPICS
from tests.conftest import load_tracker

TODAY = dt.date(2026, 11, 23)
RESPONSES = list(yaml.safe_load((ROOT / "domain.yml").read_text())["responses"])


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_renders_with_no_leftover_placeholder(known, name, language):
    given = {"max_chars": 1000, "webinar": "eig6-code-data", "structure": "local_authority"}
    message = nlg.render(name, given, language, known, TODAY)
    assert message["text"]
    assert not re.search(r"\{\w+\}", message["text"]), message["text"]
    assert name not in message["text"]


@pytest.mark.parametrize("topic", FAQ_TOPICS)
def test_faq_answers_differ_between_languages(known, topic):
    fr = nlg.render(f"utter_faq/{topic}", {}, "fr", known, TODAY)["text"]
    en = nlg.render(f"utter_faq/{topic}", {}, "en", known, TODAY)["text"]
    assert fr != en


def test_salary_formats_money_per_locale(known):
    fr = nlg.render("utter_faq/salary", {}, "fr", known, TODAY)["text"]
    en = nlg.render("utter_faq/salary", {}, "en", known, TODAY)["text"]
    assert "4\u202f250\u00a0€" in fr and "5\u202f000\u00a0€" in fr
    assert "€4,250" in en and "€5,000" in en
    assert "6\u00a0%" in fr and "10%" in en
    assert "Source" in fr and "Devenir EIG" in fr
    # The pay of today only: an earlier promotion's, beside it, reads as today's
    assert "3\u202f500" not in fr and "3,500" not in en and "6e promotion" not in fr
    sixth = nlg.render("utter_faq/salary", {"asked_promotion": 6}, "fr", known, TODAY)["text"]
    assert "3\u202f500\u00a0€ ou 4\u202f000\u00a0€" in sixth  # given when asked about


def test_the_pay_per_year_is_twelve_months_of_each_band(known):
    fr = nlg.render("utter_faq/salary", {"per_year": True}, "fr", known, TODAY)["text"]
    en = nlg.render("utter_faq/salary", {"per_year": True}, "en", known, TODAY)["text"]
    assert "51\u202f000\u00a0€ nets (4\u202f250\u00a0€ nets par mois)" in fr
    assert "60\u202f000\u00a0€" in fr
    assert "€51,000 net (€4,250 net a month)" in en and "€60,000" in en


def test_contract_length_in_years_as_the_texts_say_it(known):
    fr = nlg.render("utter_faq/contract", {}, "fr", known, TODAY)["text"]
    en = nlg.render("utter_faq/contract", {}, "en", known, TODAY)["text"]
    assert "d'au moins 1\u00a0an (12\u00a0mois)" in fr or "d'au moins 1 an (12 mois)" in fr
    assert "at least 1 year (12 months)" in en


def test_deadline_today_says_opening_soon_without_a_past_call_s_date(known):
    en = nlg.render("utter_faq/deadline", {}, "en", known, TODAY)["text"]
    assert "will open soon" in en
    assert "April" not in en and "2022" not in en  # read as a deadline by who asks now
    fr = nlg.render("utter_faq/deadline", {}, "fr", known, TODAY)["text"]
    assert "sera bientôt ouvert" in fr
    assert "avril" not in fr and "\n\n" not in fr
    sixth = nlg.render("utter_faq/deadline", {"asked_promotion": 6}, "fr", known, TODAY)["text"]
    assert "s'est clos le 3 avril 2022" in sixth  # given when that promotion is asked about


def test_webinars_none_ahead_lists_recent_ones(known):
    en = nlg.render("utter_faq/webinars", {}, "en", known, TODAY)["text"]
    assert "No webinar is scheduled right now." in en
    assert en.index("24 March 2022") < en.index("17 March 2022")


def test_did_you_mean_buttons_are_localised_and_filtered(known):
    message = nlg.render(
        "utter_did_you_mean", {"candidates": ["faq/salary", "nope", "help"]}, "fr", known, TODAY
    )
    # Help offered as a candidate stands for "something else": one button to /help, last.
    assert [b["title"] for b in message["buttons"]] == ["Rémunération", "Ce que je sais faire"]
    assert message["buttons"][0]["payload"] == '/choose_topic{"faq_topic":"salary"}'
    message = nlg.render(
        "utter_did_you_mean", {"candidates": ["help", "faq/salary"]}, "fr", known, TODAY
    )
    assert [b["title"] for b in message["buttons"]] == ["Rémunération", "Ce que je sais faire"]
    message = nlg.render("utter_did_you_mean", {"candidates": ["faq/salary"]}, "fr", known, TODAY)
    assert [b["title"] for b in message["buttons"]] == ["Rémunération", "Autre chose"]


def test_unknown_response_becomes_an_apology_in_the_language(known):
    message = nlg.render_safely("utter_does_not_exist", {}, "en", known, TODAY)
    assert message["text"].startswith("Sorry, a technical problem")
    with pytest.raises(nlg.UnknownResponse):
        nlg.render("utter_does_not_exist", {}, "en", known, TODAY)


@pytest.mark.parametrize(
    ("fixture", "language"),
    [
        ("english_conversation", "en"),
        ("french_conversation_short_english_word", "fr"),
        ("new_session_english_page", "en"),
    ],
)
def test_language_of_tracker(fixture, language):
    assert nlg.language_of(load_tracker(fixture)) == language


@pytest.mark.parametrize("tracker", [None, [], "x", {"slots": "x"}, {"slots": {"language": 3}}])
def test_language_of_malformed_tracker_is_french(tracker):
    assert nlg.language_of(tracker) == "fr"


def test_action_arguments_are_typed_and_filtered():
    kept = nlg._action_arguments(
        {"candidates": ["faq/salary", 3, "<b>"], "max_chars": True, "other": "x"}
    )
    assert kept == {"candidates": ["faq/salary"]}


@pytest.mark.parametrize(("language", "title"), [("fr", "Faire ma pré-candidature"),
                                                 ("en", "Start my pre-application")])  # fmt: skip
def test_the_menu_offers_the_pre_application(known, language, title):
    for name in ("utter_greet", "utter_help", "utter_faq/profiles", "utter_candidate_welcome"):
        buttons = nlg.render(name, {}, language, known, TODAY)["buttons"]
        assert {"title": title, "payload": "/pre_apply"} in buttons, name


def test_a_persons_own_words_never_become_markdown_or_a_link():
    from bot.wording.form_answers import quoted_in_chat

    text = "J'ai *cofondé* [ça](x) : https://evil.example/a et moi@example.org"
    assert quoted_in_chat(text) == (
        "J'ai \\*cofondé\\* \\[ça\\]\\(x\\) \\: https\\://evil.example/a et moi\\@example.org"
    )


@pytest.mark.parametrize(
    ("given", "fr", "en"),
    [
        (
            {"asked_promotion": 3},
            "Pour la 3e promotion (2018), les textes officiels annonçaient 32 postes d'EIG, pour "
            "15 défis.",
            "For the 3rd promotion (2018), the official texts announced 32 EIG positions, for 15 "
            "challenges.",
        ),
        (
            {"asked_year": 2021},
            "Pour la 5e promotion (2021), les textes officiels annonçaient 50 postes d'EIG.",
            "For the 5th promotion (2021), the official texts announced 50 EIG positions.",
        ),
        (
            {"asked_promotion": 7},
            "Les textes officiels de la 7e promotion ne donnent pas son nombre de postes. "
            "Pour mémoire, la 6e promotion (2022) en annonçait 50.",
            "The official texts of the 7th promotion do not give its number of positions. "
            "For the record, the 6th promotion (2022) announced 50.",
        ),
    ],
)
def test_key_figures_of_a_promotion_asked_about(known, given, fr, en):
    for language, expected in (("fr", fr), ("en", en)):
        text = nlg.render("utter_faq/key_figures", given, language, known, TODAY)["text"]
        assert text.startswith(expected), text
        assert "Source" in text
    assert "200" not in nlg.render("utter_faq/key_figures", given, "fr", known, TODAY)["text"]


def test_asked_what_is_ahead_the_webinars_answer_leaves_the_past_ones_out(known):
    upcoming = nlg.render("utter_faq/webinars", {"upcoming": True}, "fr", known, TODAY)["text"]
    all_of_them = nlg.render("utter_faq/webinars", {}, "fr", known, TODAY)["text"]
    assert "Aucun webinaire n'est programmé pour le moment." in upcoming
    assert "mars 2022" not in upcoming and "mars 2022" in all_of_them
