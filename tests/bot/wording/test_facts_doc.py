"""docs/facts.md is the review of every answer's facts against the official texts: it must
cover every answer that states a fact, sentence for sentence as the French catalog says it,
with a source, a promotion or date and a tense that agree with data/knowledge/, and quote
each text where it says it cites it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml
from babel.messages.pofile import read_po

from bot import ROOT
from bot.domain import knowledge
from bot.wording import answers, i18n, nlg

DOC = ROOT / "docs" / "facts.md"
SOURCES_DIR = ROOT / "data" / "sources"  # the official texts, word for word
TODAY = dt.date(2026, 11, 23)
TENSES = {"current", "historical", "texts-silent", "—"}
ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
REFERENCE = re.compile(r"^(\d{3})(?::(\d+)(?:-(\d+))?\s*«([^»]+)»)?")
# Answers whose facts are not detected from their reply or text (a rule of the call named
# without a promotion, a question in the words of a text, what the texts leave out).
ALSO_REVIEWED = {
    "utter_ask_led_teams",
    "utter_ask_consent",
    "utter_ask_has_data_project",
    "profile_not_sought_now",
    "profile_not_recognised",
    "profile_with_equivalents",
    "pre_application_pay",
    "webinar_no_replay",
    "webinars_none_ahead",
    *answers.UNKNOWN_SUBJECTS.values(),  # what the not-in-sources answer says of each kind
}
FACT_PREFIXES = ("utter_faq/", "host_", "call_", "fit_", "case_")


@dataclass
class Row:
    answer: str
    sentence: str
    references: list[tuple[str, int, int, str]]  # (source id prefix, first, last line, quote)
    bare: list[str]  # a whole text cited for what it does not say
    when: str
    tense: str
    facts: list[str]


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table(heading: str) -> list[list[str]]:
    """The rows of the first table after ``heading``."""
    section = DOC.read_text(encoding="utf-8").split(heading, 1)[1]
    rows: list[list[str]] = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append(cells(line))
        elif rows:
            break
    assert len(rows) > 2, f"no table after {heading!r}"
    return rows[2:]  # header and separator


def parse_references(cell: str) -> tuple[list[tuple[str, int, int, str]], list[str]]:
    if cell == "—":
        return [], []
    refs, bare = [], []
    for part in cell.split(";"):
        part = part.strip()
        match = REFERENCE.match(part)
        assert match, f"unreadable source reference {part!r}"
        source, first, last, quote = match.groups()
        if first is None:
            bare.append(source)
        else:
            refs.append((source, int(first), int(last or first), quote))
    return refs, bare


def answer_rows() -> list[Row]:
    rows = []
    for answer, sentence, source, when, tense, facts in table("## Answers, sentence by sentence"):
        references, bare = parse_references(source)
        rows.append(
            Row(
                answer=answer.strip("`"),
                sentence=sentence,
                references=references,
                bare=bare,
                when=when,
                tense=tense,
                facts=[] if facts == "—" else [f.strip() for f in facts.split(";")],
            )
        )
    return rows


def sentences(text: str) -> list[str]:
    """A catalog message cut into sentences, as the table lists them."""
    found = []
    for line in text.split("\n"):
        found += [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if s]
    return found


def french() -> dict[str, str]:
    with open(ROOT / "locales" / "fr" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def source_id(known: knowledge.Knowledge, prefix: str) -> str:
    matches = [s for s in known.sources if s.startswith(prefix + "_")]
    assert len(matches) == 1, f"no single source file starts with {prefix}"
    return matches[0]


def facts_by_path(known: knowledge.Knowledge) -> dict[str, knowledge.Sourced]:
    return dict(known.facts())


def stating_facts(known: knowledge.Knowledge) -> set[str]:
    """Every msgid that states a fact: each FAQ, host, call and fit message, and every
    response whose reply cites facts or sources or whose text names a promotion or year."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    given = {"max_chars": 1000, "webinar": "eig6-code-data", "structure": "local_authority"}
    found = {m for m in french() if m.startswith(FACT_PREFIXES)} | ALSO_REVIEWED
    for name in responses:
        for language in ("fr", "en"):
            with i18n.using(language):
                reply = answers.build(name, known, TODAY, nlg._action_arguments(given))
            text = nlg.render(name, given, language, known, TODAY)["text"].split("\n\n")[0]
            dated = re.search(r"\b(20\d\d|\d+(e|st|nd|rd|th))\b", text)
            if reply.facts or reply.sources or dated:
                found.add(name)
    return found


# ---- the answers table ----------------------------------------------------------------------


def test_every_answer_that_states_a_fact_is_reviewed(known):
    reviewed = {row.answer for row in answer_rows()}
    missing = stating_facts(known) - reviewed
    assert missing == set(), f"add these answers to docs/facts.md: {sorted(missing)}"


def test_each_answer_is_reviewed_sentence_for_sentence():
    catalog = french()
    listed: dict[str, list[str]] = {}
    for row in answer_rows():
        assert row.answer in catalog, f"{row.answer} is not in the French catalog"
        listed.setdefault(row.answer, []).append(row.sentence)
    for answer, rows in listed.items():
        assert rows == sentences(catalog[answer]), f"docs/facts.md is out of date for {answer}"


def test_each_fact_has_a_source_a_time_and_a_tense(known):
    current = known.current.number
    facts = facts_by_path(known)
    for row in answer_rows():
        where = f"{row.answer}: {row.sentence[:50]}"
        assert row.tense in TENSES, where
        if row.tense == "—":
            continue
        assert row.references or row.bare, f"{where}: no source"
        assert row.bare == [] or row.tense == "texts-silent", f"{where}: which line?"
        assert row.when not in ("", "—"), f"{where}: no promotion or date"
        named = {int(n) for n in ORDINAL.findall(row.when)}
        cited = {source_id(known, s) for s, *_ in row.references}
        stated = [facts[path] for path in row.facts]
        for path, fact in zip(row.facts, stated, strict=True):
            assert fact.source in cited, f"{where}: {path} comes from {fact.source}"
        if row.tense == "current":
            assert current in named, f"{where}: a current fact names the {current}th promotion"
            assert all(known.is_current(f) for f in stated), f"{where}: history told as current"
        if row.tense == "historical":
            assert named - {current} or YEAR.search(row.when), f"{where}: history needs a date"
            earlier = [f for f in stated if not known.is_current(f)]
            assert earlier or not stated, f"{where}: every fact listed is current"
            for fact in earlier:
                years = {str(known.year_of(n)) for n in fact.belongs_to()}
                assert set(fact.belongs_to()) <= named or years & set(YEAR.findall(row.when)), (
                    f"{where}: say which promotion ({fact.belongs_to()})"
                )


def test_the_review_has_the_fixes_of_issue_21():
    """The six points: what the rows for them must say."""
    rows = {(r.answer, r.sentence[:40]): r for r in answer_rows()}
    by_answer: dict[str, list[Row]] = {}
    for row in rows.values():
        by_answer.setdefault(row.answer, []).append(row)
    cofinancing = by_answer["utter_faq/host_cofinancing"]
    assert [r.tense for r in cofinancing] == ["historical", "texts-silent", "—"]
    assert [r.tense for r in by_answer["host_cofinanced"]] == ["historical", "texts-silent"]
    assert [r.tense for r in by_answer["utter_faq/team_size"]] == ["texts-silent", "historical"]
    assert by_answer["call_for_projects_planned_past"][1].tense == "texts-silent"
    question = by_answer["utter_ask_entrepreneurial_experience"]
    assert all("indépendant" not in r.sentence for r in question)


# ---- the knowledge table --------------------------------------------------------------------


def knowledge_rows() -> list[list[str]]:
    return table("## Facts in `data/knowledge/`")


def test_every_knowledge_fact_is_listed_with_its_promotions(known):
    facts = facts_by_path(known)
    listed = {row[0]: row for row in knowledge_rows()}
    assert set(listed) == set(facts)
    for path, (_, promotions, source, today) in listed.items():
        fact = facts[path]
        assert {int(n) for n in ORDINAL.findall(promotions)} == set(fact.belongs_to()), path
        references, _ = parse_references(source)
        assert fact.source in {source_id(known, s) for s, *_ in references}, path
        assert today == ("current" if known.is_current(fact) else "history"), path


# ---- the quotations -------------------------------------------------------------------------


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("''", "'")).strip()


def quoted_references() -> list[tuple[str, str, int, int, str]]:
    found = []
    for row in answer_rows():
        found += [(row.answer, *ref) for ref in row.references]
    for row in knowledge_rows():
        found += [(row[0], *ref) for ref in parse_references(row[2])[0]]
    return found


def test_each_quotation_is_on_the_cited_lines(known):
    texts: dict[str, list[str]] = {}
    wrong = []
    for where, prefix, first, last, quote in quoted_references():
        name = source_id(known, prefix)
        if name not in texts:
            texts[name] = (SOURCES_DIR / name).read_text(encoding="utf-8").splitlines()
        lines = texts[name]
        assert 1 <= first <= last <= len(lines), f"{where}: {prefix}:{first}-{last}"
        if normalized(quote) not in normalized(" ".join(lines[first - 1 : last])):
            wrong.append(f"{where}: «{quote}» is not on {prefix}:{first}-{last}")
    assert wrong == []


def test_every_source_of_the_knowledge_base_is_in_the_repository(known):
    assert set(known.sources) == {p.name for p in SOURCES_DIR.glob("*.txt")}


def test_every_text_cited_is_a_source_of_the_knowledge_base(known):
    prefixes = {p for _, p, *_ in quoted_references()}
    for row in answer_rows():
        prefixes |= set(row.bare)
    assert {source_id(known, p) for p in prefixes} <= set(known.sources)
