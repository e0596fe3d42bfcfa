"""How a candidate's answers compare with what the current call asks, and what it pays.

An honest reading of the published criteria, never a promise: DINUM's experts assess the
applications. Everything comes from the knowledge base, so a new promotion is a data edit.

The candidate says whether they have entrepreneurial experience; the texts ask for "une
solide expérience entrepreneuriale" without defining it, so nothing here decides that an
activity (freelancing, say) counts: a "yes" only means nothing asked about is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from bot.domain.knowledge import Knowledge, SalaryBand

# Gaps, worst first; each is a catalog msgid suffix (``fit_gap_<gap>``).
PROFILE_NOT_SOUGHT = "profile_not_sought"
NO_ENTREPRENEURIAL_EXPERIENCE = "no_entrepreneurial_experience"
NO_TEAM_LEADERSHIP = "no_team_leadership"

MATCHES = "matches"  # nothing we asked about is missing; the experts judge the rest
PARTIAL = "partial"  # the profile is sought, something asked for is missing
NOT_SOUGHT = "not_sought"  # the current call does not recruit this profile


@dataclass(frozen=True)
class Assessment:
    level: str
    gaps: list[str] = field(default_factory=list)
    band: Optional[SalaryBand] = None


def salary_band(knowledge: Knowledge, years: int) -> Optional[SalaryBand]:
    """The current promotion's pay for ``years`` of experience (10 → up to 10, 11 → beyond)."""
    return knowledge.current.band_for(years)


def assess(
    knowledge: Knowledge,
    *,
    profile: str,
    years: int,
    entrepreneurial: bool,
    led_teams: Optional[bool],
) -> Assessment:
    current = knowledge.current
    gaps: list[str] = []
    expectation = knowledge.profiles.profiles.get(profile)
    if profile not in current.profiles or expectation is None:
        gaps.append(PROFILE_NOT_SOUGHT)
    if current.requires_entrepreneurial_experience and not entrepreneurial:
        gaps.append(NO_ENTREPRENEURIAL_EXPERIENCE)
    if expectation is not None and expectation.leads_teams and led_teams is False:
        gaps.append(NO_TEAM_LEADERSHIP)
    if PROFILE_NOT_SOUGHT in gaps:
        level = NOT_SOUGHT
    elif gaps:
        level = PARTIAL
    else:
        level = MATCHES
    return Assessment(level=level, gaps=gaps, band=salary_band(knowledge, years))
