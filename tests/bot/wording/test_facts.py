"""Every fact with its time: each answer, rendered in both languages, names the promotion or
the year of every fact of an earlier promotion it states, and the renderer refuses a text
that would drop it. The six points of issue 21, as a user reads them."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml
from babel.messages.pofile import read_po

from bot import ROOT
from bot.domain import hosts, knowledge
from bot.wording import answers, i18n, nlg

TODAY = dt.date(2026, 11, 23)
# Dates around the calls and webinars the texts speak of, and today.
DATES = [
    dt.date(2018, 4, 20),
    dt.date(2018, 5, 20),
    dt.date(2018, 7, 1),
    dt.date(2021, 3, 20),
    dt.date(2022, 3, 20),
    TODAY,
]
RESPONSES = list(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
ORDINALS = {
    "fr": {3: "3e", 5: "5e", 6: "6e", 7: "7e"},
    "en": {3: "3rd", 5: "5th", 6: "6th", 7: "7th"},
}


def variants(k: knowledge.Knowledge, name: str) -> list[dict[str, object]]:
    """The arguments an action may pass to ``name``, one dict per case worth rendering."""
    base: dict[str, object] = {"max_chars": 1000}
    if name == "utter_host_check_result":
        cases = []
        for structure in [*sorted(knowledge.STRUCTURES), "other"]:
            for has_project in (True, False):
                verdict = hosts.verdict(k, structure, has_project)
                cases.append(
                    {
                        "structure": structure,
                        "eligible": verdict.eligible,
                        "cofinanced": verdict.cofinanced,
                        "has_project": has_project,
                    }
                )
        return cases
    if name.startswith("utter_webinar"):
        return [{**base, "webinar": w.id} for w in k.webinars]
    if name == "utter_pre_application_result":
        return [
            {"level": level, "gaps": gaps, "profile": "technical_director", "years": 12}
            for level, gaps in [
                ("matches", []),
                ("partial", ["no_entrepreneurial_experience", "no_team_leadership"]),
                ("not_sought", ["profile_not_sought"]),
            ]
        ]
    return [base]


def marks(k: knowledge.Knowledge, language: str, number: int) -> list[str]:
    return [ORDINALS[language][number], str(k.year_of(number))]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", RESPONSES)
def test_every_historical_fact_is_said_with_its_promotion_or_year(known, name, language):
    for given in variants(known, name):
        for today in DATES:
            with i18n.using(language):
                reply = answers.build(name, known, today, nlg._action_arguments(given))
            text = nlg.render(name, given, language, known, today)["text"]
            for fact in reply.facts:
                if known.current.number in fact.belongs_to():
                    continue
                for number in fact.belongs_to():
                    assert any(
                        re.search(rf"(?<!\w){m}(?!\w)", text)
                        for m in marks(known, language, number)
                    ), f"{name} [{language}, {today}] {type(fact).__name__}:\n{text}"


def test_answers_that_state_history_declare_it(known):
    """The check above is only as good as the facts each reply lists."""
    earlier = {
        "utter_faq/team_size": "TeamSize",
        "utter_faq/support": "Support",
        "utter_faq/who_runs": "RunBy",
        "utter_faq/contact": "Contact",
        "utter_faq/host_cofinancing": "Hosts",
        "utter_faq/host_timeline": "CallForProjects",
        "utter_faq/key_figures": "StayedPublic",
        "utter_faq/host_administrations": "NamedList",
        "utter_administration_welcome": "Hosts",
    }
    for name, kind in earlier.items():
        with i18n.using("fr"):
            reply = answers.build(name, known, TODAY, {})
        history = [type(f).__name__ for f in reply.facts if not known.is_current(f)]
        assert kind in history, name


# ---- the renderer refuses undated history ---------------------------------------------------


def test_a_reply_stating_an_earlier_fact_without_its_date_is_refused(known, monkeypatch, caplog):
    team = known.programme.team_size
    monkeypatch.setitem(
        answers.BUILDERS, "utter_thank", lambda k, t, g: answers.Reply(facts=[team])
    )
    with pytest.raises(answers.UndatedFact, match="TeamSize"):
        nlg.render("utter_thank", {}, "fr", known, TODAY)
    apology = nlg.render_safely("utter_thank", {}, "en", known, TODAY)
    assert apology["text"].startswith("Sorry, a technical problem")
    assert "nlg.render_failed" in caplog.text


def test_citing_an_earlier_text_for_an_undeclared_fact_is_refused(known, monkeypatch):
    article = known.programme.support.source  # the 6th promotion's article
    monkeypatch.setitem(
        answers.BUILDERS, "utter_thank", lambda k, t, g: answers.Reply(sources=[article])
    )
    with pytest.raises(answers.UndatedFact):
        nlg.render("utter_thank", {}, "en", known, TODAY)


def test_a_current_fact_needs_no_date(known, monkeypatch):
    current = known.current
    monkeypatch.setitem(
        answers.BUILDERS, "utter_thank", lambda k, t, g: answers.Reply(facts=[current])
    )
    assert nlg.render("utter_thank", {}, "fr", known, TODAY)["text"].startswith("Avec plaisir")


@pytest.mark.parametrize(
    ("name", "old"),
    [
        (
            "utter_faq/team_size",
            "Les EIG travaillent en équipes pluridisciplinaires de {min} ou {max}, au sein de "
            "leur administration d'accueil et en étroite collaboration avec ses agents.",
        ),
        (
            "utter_faq/support",
            "Pendant le programme, {by} accompagne les EIG tout au long de l'année : {formats}.",
        ),
        (
            "utter_faq/who_runs",
            "Le programme EIG est porté par le département {department} de la "
            "{directorate_name} ({directorate}).",
        ),
    ],
)
def test_the_old_present_tense_wordings_would_be_refused(known, monkeypatch, name, old):
    translate = answers._
    monkeypatch.setattr(answers, "_", lambda msgid: old if msgid == name else translate(msgid))
    with i18n.using("fr"), pytest.raises(answers.UndatedFact):
        answers.build(name, known, TODAY, {})


def test_a_part_of_an_answer_is_checked_on_its_own(known):
    """The host check's result is one message of several parts: each carries its date."""
    with i18n.using("fr"):
        assert "2018" in answers.stated("host_cofinanced", known, [known.hosts], **facts(known))
        with pytest.raises(answers.UndatedFact):
            answers.stated("label_yes", known, [known.hosts])


def facts(k: knowledge.Knowledge) -> dict[str, object]:
    return answers.cofinancing_facts(k)


# ---- the six points of issue 21, in both languages ------------------------------------------


def render(known, name, language, given=None, today=TODAY):
    return nlg.render(name, given or {}, language, known, today)["text"]


@pytest.mark.parametrize(
    ("language", "history", "today_rule", "present"),
    [
        (
            "fr",
            "L'appel à projets de 2018 (3e promotion) introduisait un cofinancement",
            "Pour la 7e promotion, les textes disent que c'est la DINUM qui embauche les EIG",
            ["sont cofinancés", "Depuis la"],
        ),
        (
            "en",
            "The 2018 call for projects (3rd promotion) introduced co-financing",
            "For the 7th promotion, the texts say that DINUM hires the EIGs",
            ["are co-financed", "Since the"],
        ),
    ],
)
def test_cofinancing_is_the_2018_call_and_dinum_hires_today(
    known, language, history, today_rule, present
):
    faq = render(known, "utter_faq/host_cofinancing", language)
    ministry = render(
        known,
        "utter_host_check_result",
        language,
        {"structure": "central_administration", "eligible": True, "cofinanced": True,
         "has_project": True},
    )  # fmt: skip
    assert history in faq and today_rule in faq
    assert "2018" in ministry and today_rule in ministry
    for text in (faq, ministry):
        assert not any(p in text for p in present), text


@pytest.mark.parametrize(
    ("language", "now", "then", "old"),
    [
        ("fr", "ils ne parlent pas d'équipes", "Lors des 3e, 5e et 6e promotions",
         "Les EIG travaillent en équipes"),
        ("en", "they say nothing about teams", "In the 3rd, 5th and 6th promotions",
         "EIGs work in"),
    ],
)  # fmt: skip
def test_teams_of_two_or_three_are_the_3rd_5th_and_6th_promotions(known, language, now, then, old):
    text = render(known, "utter_faq/team_size", language)
    assert now in text and then in text and old not in text
    assert "7" in text.split(now)[0]  # the 7th promotion's page, said first


@pytest.mark.parametrize(
    ("language", "planned", "happened"),
    [
        ("fr", "était annoncé ainsi : ouverture prévue début mai 2018",
         ["a ouvert", "s'est clos", "s'est réuni"]),
        ("en", "was announced as follows: opening planned in early May 2018",
         ["opened in", "closed in", "the jury met"]),
    ],
)  # fmt: skip
def test_the_2018_calendar_is_a_plan_not_an_event(known, language, planned, happened):
    text = render(known, "utter_faq/host_timeline", language)
    assert planned in text
    assert not any(h in text for h in happened), text


@pytest.mark.parametrize(
    ("language", "assessed", "defined"),
    [
        ("fr", "ce sont les expert(e)s de la DINUM qui", ["indépendant", "freelance"]),
        ("en", "DINUM's experts assess", ["freelance", "independent"]),
    ],
)
def test_entrepreneurial_experience_is_not_defined_and_the_experts_assess_it(
    known, language, assessed, defined
):
    question = render(known, "utter_ask_entrepreneurial_experience", language)
    matches = render(
        known,
        "utter_pre_application_result",
        language,
        {"level": "matches", "gaps": [], "profile": "product_director", "years": 12},
    )
    for text in (question, matches):
        assert assessed in text, text
        assert not any(word in text.lower() for word in defined), text
    assert ("ne définissent pas" if language == "fr" else "do not define") in matches
    assert "correspond à ce que" not in matches and "matches what" not in matches


@pytest.mark.parametrize(
    ("language", "outside"),
    [("fr", "extérieurs à l'administration"), ("en", "from outside the administration")],
)
def test_people_from_outside_the_administration_not_from_abroad(known, language, outside):
    given = {"unknown_subject": "nationality"}
    unanswered = render(known, "utter_faq/not_in_sources", language, given)
    assert outside in unanswered
    assert ("nationalité" if language == "fr" else "nationality") in unanswered
    assert known.programme.contact.email in unanswered
    assert known.programme.links.rules in unanswered
    assert outside in render(known, "utter_faq/what_is_eig", language)


def test_no_message_confirms_a_foreign_talent_programme():
    abroad = re.compile(r"outside the country|from abroad|foreign|de l'étranger|étrangers", re.I)
    for language in ("fr", "en"):
        with open(ROOT / "locales" / language / "LC_MESSAGES" / "messages.po", "rb") as po:
            said = [m.string for m in read_po(po) if m.id and abroad.search(m.string)]
        assert said == [], language


@pytest.mark.parametrize(
    ("language", "plural", "wrong"),
    [
        ("fr", "les collectivités territoriales et les établissements de santé",
         "Les Collectivité territoriale"),
        ("en", "local authorities and health establishments", "The Local authority"),
    ],
)  # fmt: skip
def test_structures_agree_in_a_sentence(known, language, plural, wrong):
    for text in (
        render(known, "utter_faq/host_cofinancing", language),
        render(known, "utter_host_check_result", language,
               {"structure": "health_establishment", "eligible": True, "cofinanced": False,
                "has_project": True}),
    ):  # fmt: skip
        assert plural in text and wrong not in text


@pytest.mark.parametrize(
    ("language", "said_no", "not_mentioned"),
    [("fr", "que vous avez dit ne pas avoir", "n'avez pas indiqu"),
     ("en", "which you said you do not have", "did not mention")],
)  # fmt: skip
def test_a_plain_no_is_not_called_unmentioned(known, language, said_no, not_mentioned):
    text = render(
        known,
        "utter_pre_application_result",
        language,
        {"level": "partial", "gaps": ["no_entrepreneurial_experience", "no_team_leadership"],
         "profile": "technical_director", "years": 12},
    )  # fmt: skip
    assert text.count(said_no) == 2
    assert not_mentioned not in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_not_in_sources_answer_fits_the_question(known, language):
    """Asked about remote work, it speaks of remote work, never of nationality."""
    nationality = "nationalité" if language == "fr" else "nationality"
    general = render(known, "utter_faq/not_in_sources", language)
    assert nationality not in general and known.programme.contact.email in general
    for subject in answers.UNKNOWN_SUBJECTS:
        text = render(known, "utter_faq/not_in_sources", language, {"unknown_subject": subject})
        assert (nationality in text) == (subject == "nationality"), subject
        assert known.programme.contact.email in text and known.programme.links.rules in text
    remote = render(known, "utter_faq/not_in_sources", language, {"unknown_subject": "remote_work"})
    assert ("télétravail" if language == "fr" else "remote work") in remote
    places = render(known, "utter_faq/not_in_sources", language, {"unknown_subject": "places"})
    past = next(p for p in known.past_promotions() if p.positions)
    assert f"{past.year}" in places and str(past.positions) in places
    unknown = render(known, "utter_faq/not_in_sources", language, {"unknown_subject": "salary"})
    assert unknown == general  # not a kind the reading knows: the general answer


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_dates_sentence_once_the_call_has_dates(known, language, tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, copy)
    data = yaml.safe_load((copy / "promotions.yml").read_text(encoding="utf-8"))
    current = next(p for p in data["promotions"] if p["number"] == data["current"])
    current["call"]["opens"] = "2027-01-10"
    (copy / "promotions.yml").write_text(yaml.safe_dump(data, allow_unicode=True))
    dated = knowledge.load(copy)
    with_dates = render(dated, "utter_faq/not_in_sources", language, {"unknown_subject": "dates"})
    assert with_dates == render(dated, "utter_faq/not_in_sources", language)
    still = render(known, "utter_faq/not_in_sources", language, {"unknown_subject": "dates"})
    assert still != render(known, "utter_faq/not_in_sources", language)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["Portage : votre projet en a un ; l'appel de 2018",
                "Durée : l'appel de 2018 demandait un projet réalisable en 10 mois ; envisagez",
                "Données : l'appel de 2018 demandait l'accès aux données et des facilités "
                "techniques ; c'est à prévoir."]),
        ("en", ["Sponsorship: your project has it; the 2018 call",
                "Duration: the 2018 call asked for a project feasible in 10 months; consider",
                "Data: the 2018 call asked for access to the data and technical facilities; "
                "plan for them."]),
    ],
)  # fmt: skip
def test_the_host_check_result_says_what_the_call_asked_of_each_answer(known, language, expected):
    given = {"structure": "central_administration", "eligible": True, "cofinanced": True,
             "has_project": True, "has_sponsor": "yes", "fits_duration": "no",
             "data_access": "unsure"}  # fmt: skip
    text = render(known, "utter_host_check_result", language, given)
    for line in expected:
        assert line in text
    plain = render(known, "utter_host_check_result", language, {**given, "has_sponsor": "maybe"})
    assert expected[0] not in plain  # an answer of no known kind is left out
