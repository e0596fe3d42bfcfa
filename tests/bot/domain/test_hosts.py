from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import hosts
from bot.wording import nlg

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je travaille dans une mairie", "local_authority"),
        ("on est un CHU en Bretagne", "health_establishment"),
        ("I work for the Ministry of Culture", "central_administration"),
        ("nous sommes une autorité administrative indépendante", "independent_authority"),
        ("we are a regulator", "independent_authority"),
        ("Collectivité territoriale", "local_authority"),
        ("conseil départemental du Gers", "local_authority"),
        ("je suis développeuse", None),
        ("une mairie et un hôpital", None),  # two kinds: ask rather than guess
        ('/inform{"structure_type": "local_authority"}', None),
    ],
)
def test_structure_from_text(text, expected):
    assert hosts.structure_from_text(text) == expected


@pytest.mark.parametrize(
    ("structure", "eligible", "cofinanced"),
    [
        ("central_administration", True, True),
        ("independent_authority", True, True),
        ("local_authority", True, False),
        ("health_establishment", True, False),
        ("other", False, False),
    ],
)
def test_verdict_per_structure(known, structure, eligible, cofinanced):
    result = hosts.verdict(known, structure, has_project=True)
    assert (result.eligible, result.cofinanced) == (eligible, cofinanced)


def render(known, structure, eligible, cofinanced, has_project, language="fr"):
    given = {
        "structure": structure,
        "eligible": eligible,
        "cofinanced": cofinanced,
        "has_project": has_project,
    }
    return nlg.render("utter_host_check_result", given, language, known, TODAY)["text"]


def test_result_for_a_local_authority_mentions_no_cofinancing_but_same_support(known):
    text = render(known, "local_authority", True, False, True)
    assert text.startswith("Résultat pour : Collectivité territoriale.")
    assert "ne bénéficient pas du cofinancement par le PIA" in text
    assert "même accompagnement" in text
    assert "pas une décision" in text


def test_result_for_a_ministry_in_english(known):
    text = render(known, "central_administration", True, True, False, "en")
    assert "co-financed by the Future Investments Programme (PIA)" in text
    assert "You will first need a project" in text


def test_result_for_another_structure_points_to_the_team(known):
    text = render(known, "other", False, False, True)
    assert "ne figure pas dans la liste" in text
    assert "entrepreneur-interet-general@data.gouv.fr" in text


def test_host_timeline_is_history_in_2026(known):
    fr = nlg.render("utter_faq/host_timeline", {}, "fr", known, TODAY)["text"]
    assert "a ouvert début mai 2018 et s'est clos mi-juin 2018" in fr
    assert "juillet 2018" in fr
    en = nlg.render("utter_faq/host_timeline", {}, "en", known, TODAY)["text"]
    assert "opened in early May 2018 and closed in mid-June 2018" in en


@pytest.mark.parametrize(
    ("today", "wording"),
    [
        (dt.date(2018, 4, 20), "doit ouvrir début mai 2018"),
        (dt.date(2018, 5, 20), "a ouvert début mai 2018 et doit se clore mi-juin 2018"),
        (dt.date(2018, 6, 30), "a ouvert début mai 2018 et doit se clore"),  # month not over
        (dt.date(2018, 7, 1), "s'est clos mi-juin 2018"),
    ],
)
def test_host_timeline_tense_follows_the_clock(known, today, wording):
    assert wording in nlg.render("utter_faq/host_timeline", {}, "fr", known, today)["text"]
