"""Administrations that want to host EIGs: what kind of structure someone speaks for, and
what the programme's rules say for that kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from bot.domain.knowledge import Knowledge

# Words people use for each kind of structure, accents and case folded.
_LEXICON = {
    "central_administration": (
        r"\b(ministeres?|ministry|ministries|ministere|direction generale|dg[a-z]*|"
        r"administration centrale|central administration|secretariat general|"
        r"prefectures?|government department|central government|federal|cabinet)\b"
    ),
    "local_authority": (
        r"\b(mairies?|communes?|villes?|city|cities|town|council|councils|municipal\w*|"
        r"regions?|regional council|departements?|conseil departemental|conseil regional|"
        r"collectivites?( territoriales?)?|local authorit(y|ies)|metropoles?|"
        r"intercommunalites?|agglomerations?|county|city hall|town hall)\b"
    ),
    "health_establishment": (
        r"\b(hopitals?|hopitaux|hospitals?|chu|chr|clinique|clinics?|ehpad|"
        r"etablissements? de sante|health establishments?|health care facilit\w*|"
        r"centre hospitalier|ap-hp|aphp)\b"
    ),
    "independent_authority": (
        r"\b(autorites? administratives? independantes?|aai|independent (administrative )?"
        r"authorit(y|ies)|regulators?|regulatory (body|authority)|cnil|arcep|"
        r"haute autorite|defenseur des droits)\b"
    ),
}
_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _LEXICON.items()}
_BUTTON = re.compile(r"^/\w+\{.*\}$")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def structure_from_text(text: str) -> Optional[str]:
    """The kind of structure a sentence names, when it names exactly one."""
    if not isinstance(text, str) or _BUTTON.match(text.strip()):
        return None
    folded = fold(text)
    found = [kind for kind, pattern in _PATTERNS.items() if pattern.search(folded)]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class HostVerdict:
    eligible: bool
    cofinanced: bool
    has_project: bool


def verdict(knowledge: Knowledge, structure: str, has_project: bool) -> HostVerdict:
    """What the call for projects in the knowledge base (the 3rd promotion's, 2018) said for
    this kind of structure: whether it could apply and whether it could be co-financed.
    History, not today's rule: the wording says so with its date. "other" was not listed."""
    hosts = knowledge.hosts
    eligible = structure in hosts.eligible_structures
    cofinanced = eligible and structure not in hosts.cofinancing.excluded
    return HostVerdict(eligible, cofinanced, has_project)
