"""The programme's facts, loaded from ``data/knowledge/*.yml`` through a typed schema.

Programme staff edit those files; a wrong one must stop start-up with the file, the field
and the reason, never surface later as a wrong answer.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, TypeVar

import yaml
from pydantic import BaseModel, Extra, ValidationError, root_validator, validator

from bot import ROOT
from bot.infra import settings

KNOWLEDGE_DIR = ROOT / "data" / "knowledge"
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PROFILES = {
    "product_director",
    "technical_director",
    "developer",
    "data_scientist",
    "designer",
    "digital_lawyer",
    "geomatician",
}


class KnowledgeError(Exception):
    """A knowledge file is missing, unreadable or does not match the schema."""


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Localized(Strict):
    fr: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.fr


class Sourced(Strict):
    """Every fact says where it comes from, when that was true, and which promotion (or
    which promotion's call) it belongs to: a fact of an earlier promotion is history and
    is never stated without its promotion or its year (``bot.wording.answers``)."""

    source: str
    as_of: str
    note: Optional[str] = None

    @validator("as_of", pre=True)
    def _as_of(cls, value: Any) -> str:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if not PARTIAL_DATE.match(text):
            raise ValueError("must be YYYY, YYYY-MM or YYYY-MM-DD")
        return text

    def belongs_to(self) -> tuple[int, ...]:
        """The promotions whose texts state this fact (their calls included)."""
        number = getattr(self, "promotion", None)
        return (number,) if isinstance(number, int) else ()


class Stated(Sourced):
    """A fact about the programme as a whole, with the promotions whose texts state it."""

    promotions: list[int]

    @validator("promotions")
    def _promotions(cls, value: list[int]) -> list[int]:
        if not value:
            raise ValueError("must name at least one promotion")
        return sorted(set(value))

    def belongs_to(self) -> tuple[int, ...]:
        return tuple(self.promotions)


class Source(Strict):
    id: str
    title: Localized
    published: str
    promotion: int  # the promotion (or the promotion's call) the text is about
    url: Optional[str] = None

    @validator("published", pre=True)
    def _published(cls, value: Any) -> str:
        return Sourced._as_of(value)  # type: ignore[operator]


class Launched(Stated):
    year: int


class RunBy(Stated):
    department: str
    directorate: str
    directorate_name: Localized


class Recruits(Stated):
    """Whom the programme recruits, in the texts' words."""

    who: Localized


class Totals(Stated):
    eigs_min: int
    projects_min: int
    until_year: int


class StayedPublic(Stated):
    share_min_percent: int


class NamedList(Stated):
    names: list[Localized]


class TeamSize(Stated):
    min: int
    max: int


class Support(Stated):
    formats: list[Localized]
    by: Localized


class Contact(Stated):
    email: str

    @validator("email")
    def _email(cls, value: str) -> str:
        if not re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", value):
            raise ValueError("is not an e-mail address")
        return value


class Links(Stated):
    site: str
    presentation: str
    projects: str
    apply: str
    rules: str

    @validator("site", "presentation", "projects", "apply", "rules")
    def _url(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("must be an https:// address")
        return value


class Programme(Strict):
    launched: Launched
    recruits: Recruits
    run_by: RunBy
    totals: Totals
    stayed_public_sector: StayedPublic
    host_administrations: NamedList
    team_size: TeamSize
    support: Support
    contact: Contact
    links: Links


class Call(Strict):
    announced: bool = False
    opens: Optional[dt.date] = None
    closes: Optional[dt.date] = None

    @root_validator(skip_on_failure=True)
    def _order(cls, values: dict[str, Any]) -> dict[str, Any]:
        opens, closes = values.get("opens"), values.get("closes")
        if opens and closes and closes < opens:
            raise ValueError("closes before it opens")
        return values


class SalaryBand(Strict):
    net_monthly_eur: int
    variable_percent: Optional[int] = None
    min_years: Optional[int] = None
    max_years: Optional[int] = None

    def covers(self, years: int) -> bool:
        low = self.min_years if self.min_years is not None else 0
        high = self.max_years if self.max_years is not None else 10**6
        return low <= years <= high


class Contract(Strict):
    kind: str
    employer: str
    months: Optional[int] = None
    min_months: Optional[int] = None
    renewable: bool = False

    @validator("kind")
    def _kind(cls, value: str) -> str:
        if value not in {"project_contract", "fixed_term"}:
            raise ValueError("must be project_contract or fixed_term")
        return value


class Promotion(Sourced):
    number: int
    year: Optional[int] = None
    positions: Optional[int] = None
    challenges: Optional[int] = None  # the public-interest challenges (défis) taken up
    call: Call
    profiles: list[str]
    requires_entrepreneurial_experience: bool = False
    salary_bands: list[SalaryBand]
    equal_pay: bool = False
    contract: Contract
    interview_minutes: Optional[int] = None
    starts: Optional[str] = None

    @validator("profiles", each_item=True)
    def _profile(cls, value: str) -> str:
        if value not in PROFILES:
            raise ValueError(f"unknown profile {value!r}")
        return value

    @validator("starts", pre=True)
    def _starts(cls, value: Any) -> Optional[str]:
        return None if value is None else Sourced._as_of(value)  # type: ignore[operator]

    def band_for(self, years: int) -> Optional[SalaryBand]:
        return next((band for band in self.salary_bands if band.covers(years)), None)

    def belongs_to(self) -> tuple[int, ...]:
        return (self.number,)


class Promotions(Strict):
    current: int
    promotions: list[Promotion]

    @root_validator(skip_on_failure=True)
    def _current_exists(cls, values: dict[str, Any]) -> dict[str, Any]:
        numbers = [p.number for p in values["promotions"]]
        if len(set(numbers)) != len(numbers):
            raise ValueError("two promotions have the same number")
        if values["current"] not in numbers:
            raise ValueError(f"current promotion {values['current']} is not listed")
        return values


class Webinar(Sourced):
    id: str
    promotion: int
    date: dt.date
    time: Optional[dt.time] = None
    topic: Localized
    key_points: list[Localized] = []
    registration_url: Optional[str] = None
    replay_url: Optional[str] = None


class Webinars(Strict):
    webinars: list[Webinar]

    @validator("webinars")
    def _unique(cls, value: list[Webinar]) -> list[Webinar]:
        ids = [w.id for w in value]
        if len(set(ids)) != len(ids):
            raise ValueError("two webinars have the same id")
        return value


class Steps(Sourced):
    promotion: int
    steps: list[Localized]


class Criteria(Sourced):
    promotion: int
    items: list[Localized]


class CriteriaSet(Strict):
    current: Criteria
    previous: Criteria


class ProfileExpectation(Strict):
    """What the call asks of one profile, as the call's page words it."""

    equivalents: list[str]
    expectations: list[Localized]
    leads_teams: bool = False


class ProfileExpectations(Sourced):
    promotion: int
    profiles: dict[str, ProfileExpectation]

    @validator("profiles")
    def _known(cls, value: dict[str, ProfileExpectation]) -> dict[str, ProfileExpectation]:
        unknown = set(value) - PROFILES
        if unknown:
            raise ValueError(f"unknown profiles {sorted(unknown)}")
        return value


class Selection(Strict):
    selection: Steps
    criteria: CriteriaSet
    profiles: ProfileExpectations


STRUCTURES = {
    "central_administration",
    "local_authority",
    "health_establishment",
    "independent_authority",
}


class ApproximateDate(Strict):
    """A month and which part of it ("début mai", "mi-juin"), as the sources give them."""

    month: str
    part: str

    @validator("month")
    def _month(cls, value: str) -> str:
        if not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", value):
            raise ValueError("must be YYYY-MM")
        return value

    @validator("part")
    def _part(cls, value: str) -> str:
        if value not in {"early", "mid", "late"}:
            raise ValueError("must be early, mid or late")
        return value

    def last_day(self) -> dt.date:
        """The last day this could mean: it is past only once the whole month is."""
        year, month = (int(x) for x in self.month.split("-"))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def first_day(self) -> dt.date:
        year, month = (int(x) for x in self.month.split("-"))
        return dt.date(year, month, 1)


class Cofinancing(Strict):
    introduced_with_promotion: int
    funders: Localized
    excluded: list[str]

    @validator("excluded", each_item=True)
    def _structure(cls, value: str) -> str:
        if value not in STRUCTURES:
            raise ValueError(f"unknown structure type {value!r}")
        return value


class Hosts(Sourced):
    """What a call for projects asked of administrations; ``call_for_projects`` is the
    promotion whose call it was (an entry of ``calls_for_projects``)."""

    call_for_projects: int
    eligible_structures: list[str]
    project_criteria: list[Localized]
    appreciated: list[Localized]
    commitments: list[Localized]
    cofinancing: Cofinancing

    @validator("eligible_structures", each_item=True)
    def _structure(cls, value: str) -> str:
        if value not in STRUCTURES:
            raise ValueError(f"unknown structure type {value!r}")
        return value

    def belongs_to(self) -> tuple[int, ...]:
        return (self.call_for_projects,)


class CallForProjects(Sourced):
    """A call for projects for administrations. ``planned``: the text announced its dates
    ("devrait être lancé", "seront évalués") and no text says how it went."""

    promotion: int
    planned: bool = False
    opens: ApproximateDate
    closes: ApproximateDate
    jury: Optional[ApproximateDate] = None
    info_meeting: Optional[ApproximateDate] = None


class HostsFile(Strict):
    hosts: Hosts
    calls_for_projects: list[CallForProjects]


class Sources(Strict):
    sources: list[Source]


class ProgrammeFile(Strict):
    programme: Programme


FILES: dict[str, type[Strict]] = {
    "sources.yml": Sources,
    "programme.yml": ProgrammeFile,
    "promotions.yml": Promotions,
    "webinars.yml": Webinars,
    "selection.yml": Selection,
    "hosts.yml": HostsFile,
}

M = TypeVar("M", bound=Strict)


class Knowledge:
    """Everything the assistant knows, checked for consistency across files."""

    def __init__(
        self,
        sources: Sources,
        programme: ProgrammeFile,
        promotions: Promotions,
        webinars: Webinars,
        selection: Selection,
        hosts: HostsFile,
    ) -> None:
        self.sources = {s.id: s for s in sources.sources}
        self.programme = programme.programme
        self.promotions = {p.number: p for p in promotions.promotions}
        self.current = self.promotions[promotions.current]
        self.webinars = sorted(webinars.webinars, key=lambda w: (w.date, w.id))
        self.selection = selection.selection
        self.criteria = selection.criteria
        self.profiles = selection.profiles
        self.hosts = hosts.hosts
        self.calls_for_projects = sorted(hosts.calls_for_projects, key=lambda c: c.promotion)

    def promotion(self, number: int) -> Promotion:
        return self.promotions[number]

    def past_promotions(self) -> list[Promotion]:
        """Earlier promotions, newest first."""
        numbers = sorted((n for n in self.promotions if n != self.current.number), reverse=True)
        return [self.promotions[n] for n in numbers]

    def webinar(self, webinar_id: str) -> Optional[Webinar]:
        return next((w for w in self.webinars if w.id == webinar_id), None)

    def is_current(self, fact: Sourced) -> bool:
        """True when the current promotion's texts state ``fact``; else it is history."""
        return self.current.number in fact.belongs_to()

    def year_of(self, promotion: int) -> Optional[int]:
        """The year of a promotion's call for applications, when the texts give it."""
        known = self.promotions.get(promotion)
        return known.year if known is not None else None

    def cited(self) -> list[tuple[str, str]]:
        """("file: field path", source id) for every sourced fact, to check each exists."""
        return [(where, fact.source) for where, fact in self.facts()]

    def facts(self) -> list[tuple[str, Sourced]]:
        """("file: field path", fact) for every sourced fact."""
        found: list[tuple[str, Sourced]] = []

        def walk(where: str, value: Any) -> None:
            if isinstance(value, Sourced):
                found.append((where, value))
            if isinstance(value, BaseModel):
                for name in value.__fields__:
                    walk(f"{where}.{name}", getattr(value, name))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(f"{where}[{index}]", item)

        walk("programme.yml: programme", self.programme)
        for p in self.promotions.values():
            walk(f"promotions.yml: promotions[number={p.number}]", p)
        for w in self.webinars:
            walk(f"webinars.yml: webinars[id={w.id}]", w)
        walk("selection.yml: selection", self.selection)
        walk("selection.yml: criteria", self.criteria)
        walk("selection.yml: profiles", self.profiles)
        walk("hosts.yml: hosts", self.hosts)
        for c in self.calls_for_projects:
            walk(f"hosts.yml: calls_for_projects[promotion={c.promotion}]", c)
        return found


def _read(path: Path, model: type[M]) -> M:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: file is missing") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: (top level): must be a mapping")
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        reasons = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise KnowledgeError(f"{path}: {reasons}") from None


def load(directory: Optional[Path] = None) -> Knowledge:
    """Load and validate every knowledge file; raise KnowledgeError naming what is wrong.

    By default from ``EIG_KNOWLEDGE_DIR`` (``data/knowledge``): a demo or a test points it
    at a copy, say one whose call is open."""
    directory = directory or settings.KNOWLEDGE_DIR.get()
    parsed = {name: _read(directory / name, model) for name, model in FILES.items()}
    knowledge = Knowledge(
        parsed["sources.yml"],  # type: ignore[arg-type]
        parsed["programme.yml"],  # type: ignore[arg-type]
        parsed["promotions.yml"],  # type: ignore[arg-type]
        parsed["webinars.yml"],  # type: ignore[arg-type]
        parsed["selection.yml"],  # type: ignore[arg-type]
        parsed["hosts.yml"],  # type: ignore[arg-type]
    )
    for where, fact in knowledge.facts():
        if fact.source not in knowledge.sources:
            raise KnowledgeError(f"{directory}/{where}.source: unknown source {fact.source!r}")
        unknown = [n for n in fact.belongs_to() if n not in knowledge.promotions]
        if not fact.belongs_to() or unknown:
            raise KnowledgeError(
                f"{directory}/{where}: must belong to known promotions "
                f"(got {list(fact.belongs_to())})"
            )
    calls = {c.promotion for c in knowledge.calls_for_projects}
    if knowledge.hosts.call_for_projects not in calls:
        raise KnowledgeError(
            f"{directory / 'hosts.yml'}: hosts.call_for_projects: no call for projects of "
            f"promotion {knowledge.hosts.call_for_projects} in calls_for_projects"
        )
    for source in knowledge.sources.values():
        if source.promotion not in knowledge.promotions:
            raise KnowledgeError(
                f"{directory / 'sources.yml'}: sources[{source.id}].promotion: "
                f"unknown promotion {source.promotion}"
            )
    for webinar in knowledge.webinars:
        if webinar.promotion not in knowledge.promotions:
            raise KnowledgeError(
                f"{directory / 'webinars.yml'}: webinars[{webinar.id}].promotion: "
                f"unknown promotion {webinar.promotion}"
            )
    missing = set(knowledge.current.profiles) - set(knowledge.profiles.profiles)
    if knowledge.profiles.promotion != knowledge.current.number or missing:
        raise KnowledgeError(
            f"{directory / 'selection.yml'}: profiles: must describe the current promotion "
            f"{knowledge.current.number} and each of its profiles (missing {sorted(missing)})"
        )
    return knowledge


@lru_cache(maxsize=1)
def get() -> Knowledge:
    """The knowledge base, loaded once per process."""
    return load()
