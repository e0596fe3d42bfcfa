from __future__ import annotations

import pytest

from bot.domain import fit, knowledge


@pytest.fixture(scope="module")
def k():
    return knowledge.get()


@pytest.mark.parametrize(
    ("years", "amount", "variable"),
    [(0, 4250, 6), (10, 4250, 6), (11, 5000, 10), (60, 5000, 10)],
)
def test_salary_band_boundaries(k, years, amount, variable):
    band = fit.salary_band(k, years)
    assert (band.net_monthly_eur, band.variable_percent) == (amount, variable)


def test_a_technical_director_who_led_teams_and_founded_a_company_matches(k):
    result = fit.assess(
        k, profile="technical_director", years=12, entrepreneurial=True, led_teams=True
    )
    assert result.level == fit.MATCHES
    assert result.gaps == []
    assert result.band.net_monthly_eur == 5000


def test_missing_entrepreneurial_experience_is_a_gap(k):
    result = fit.assess(
        k, profile="product_director", years=5, entrepreneurial=False, led_teams=None
    )
    assert result.level == fit.PARTIAL
    assert result.gaps == [fit.NO_ENTREPRENEURIAL_EXPERIENCE]


def test_a_technical_director_who_never_led_a_team_has_a_gap(k):
    result = fit.assess(
        k, profile="technical_director", years=5, entrepreneurial=True, led_teams=False
    )
    assert result.gaps == [fit.NO_TEAM_LEADERSHIP]


def test_a_profile_the_call_does_not_recruit_is_not_sought(k):
    result = fit.assess(k, profile="other", years=3, entrepreneurial=True, led_teams=None)
    assert result.level == fit.NOT_SOUGHT
    assert fit.PROFILE_NOT_SOUGHT in result.gaps
