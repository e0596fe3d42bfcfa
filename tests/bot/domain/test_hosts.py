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


def test_result_for_a_local_authority_tells_the_2018_rule_as_history(known):
    text = render(known, "local_authority", True, False, True)
    assert text.startswith("Résultat pour : Collectivité territoriale.")
    assert (
        "Lors de cet appel de 2018, les collectivités territoriales et les établissements de "
        "santé ne pouvaient pas bénéficier du cofinancement par le PIA"
    ) in text
    assert "même accompagnement" in text
    assert "Pour la 7e promotion, les textes disent que c'est la DINUM qui embauche" in text
    assert "pas une décision" in text


def test_result_for_a_ministry_in_english_is_no_current_cofinancing(known):
    text = render(known, "central_administration", True, True, False, "en")
    assert "That 2018 call provided for co-financing of EIG recruitments by the Future" in text
    assert "co-financed by" not in text  # never "EIG recruitments there are co-financed"
    assert "For the 7th promotion, the texts say that DINUM hires the EIGs" in text
    assert "you would first need a project" in text


def test_result_for_another_structure_points_to_the_team(known):
    text = render(known, "other", False, False, True)
    assert "ne figurait pas parmi celles qui pouvaient déposer un projet" in text
    assert "appel à projets de 2018 (3e promotion)" in text
    assert "entrepreneur-interet-general@data.gouv.fr" in text


def test_host_timeline_is_a_2018_plan_in_2026(known):
    fr = nlg.render("utter_faq/host_timeline", {}, "fr", known, TODAY)["text"]
    assert "était annoncé ainsi : ouverture prévue début mai 2018, clôture mi-juin 2018" in fr
    assert "devant un jury début juillet 2018" in fr
    assert "Les textes ne disent pas comment il s'est déroulé." in fr
    assert "a ouvert" not in fr and "s'est réuni" not in fr
    en = nlg.render("utter_faq/host_timeline", {}, "en", known, TODAY)["text"]
    assert "opening planned in early May 2018, closing in mid-June 2018" in en
    assert "opened" not in en and "the jury met" not in en


@pytest.mark.parametrize(
    ("today", "wording"),
    [
        (dt.date(2018, 4, 20), "doit ouvrir début mai 2018"),
        (dt.date(2018, 5, 20), "devait ouvrir début mai 2018 et se clore mi-juin 2018"),
        (dt.date(2018, 6, 30), "devait ouvrir début mai 2018 et se clore"),  # month not over
        (dt.date(2018, 7, 1), "ouverture prévue début mai 2018, clôture mi-juin 2018"),
    ],
)
def test_host_timeline_tense_follows_the_clock(known, today, wording):
    assert wording in nlg.render("utter_faq/host_timeline", {}, "fr", known, today)["text"]
