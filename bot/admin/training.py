"""Training examples from the inbox: the topics one may choose, the check that keeps
evaluation sentences out of training, and the merge into ``data/nlu/<lang>/``.

A sentence the back office files under a topic ("this is topic X", or "out of scope")
waits in ``inbox_decisions`` (``merged_at`` empty). ``python -m bot training merge``
writes each one into the ``data/nlu/<lang>/*.yml`` file whose block holds that intent, as
one more line of its ``examples: |`` (the project's layout, comments and order kept),
then marks it merged; ``make train`` and the NLU gates run as for any other example.

A sentence of the held-out or realistic evaluation sets (``tests/nlu/`` and
``tests/conversations/``, single messages and conversations' turns) is refused, at filing
and again at the merge: the same comparison as ``bot.ops.evaluation.normalise``
(accents, case, punctuation and spacing folded), and a near-duplicate (difflib ratio of
0.9 or more) is refused too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
import yaml

from bot import ROOT
from bot.applications.storage import Storage, inbox_decisions
from bot.domain.language import LANGUAGES

NLU_DIR = ROOT / "data" / "nlu"
EVALUATION_DIR = ROOT / "tests" / "nlu"
OUT_OF_SCOPE = "out_of_scope"
NEAR_RATIO = 0.9
MAX_EXAMPLE_CHARS = 200
_INTENT_LINE = re.compile(r"^- intent: (?P<intent>\S+)\s*$")
_EXAMPLE_LINE = re.compile(r"^(?P<indent>\s+)- ")


class TrainingError(ValueError):
    """A sentence cannot become a training example; the message says why."""


def fold(text: str) -> str:
    """``bot.ops.evaluation.normalise``: accents and case folded, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c for c in plain if c.isalnum())


def _examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example) pairs of one Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in data.get("nlu") or []:
        intent, examples = block.get("intent"), block.get("examples")
        if not isinstance(intent, str) or not isinstance(examples, str):
            continue
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((intent, line[2:].strip()))
    return pairs


def _evaluation_texts(path: Path) -> list[str]:
    """Every sentence of one evaluation file, whatever its format: Rasa NLU YAML, single
    messages (``messages:`` with ``text``) or conversations (``conversations:`` whose turns
    have ``user``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = [text for _, text in _examples(path)]
    texts += [str(m["text"]) for m in data.get("messages") or [] if "text" in m]
    for conversation in data.get("conversations") or []:
        texts += [str(t["user"]) for t in conversation.get("turns") or [] if "user" in t]
    return texts


def evaluation_files(language: str, root: Path = EVALUATION_DIR) -> list[Path]:
    """The evaluation files of ``language``: the held-out set (``<root>/<lang>.yml``) and
    every realistic set's messages and conversations (``<root>/*/<lang>.yml`` and the same
    under ``tests/conversations/`` beside ``root``)."""
    found = [root / f"{language}.yml", *sorted(root.glob(f"*/{language}.yml"))]
    found += sorted((root.parent / "conversations").glob(f"*/{language}.yml"))
    return [path for path in found if path.exists()]


@cache
def evaluation_sentences(language: str, root: Path = EVALUATION_DIR) -> tuple[str, ...]:
    """The held-out and realistic sentences of ``language``, folded."""
    return tuple(
        fold(text) for path in evaluation_files(language, root) for text in _evaluation_texts(path)
    )


def topics(language: str, nlu_dir: Path = NLU_DIR) -> list[str]:
    """Every intent of the training data of ``language`` (``faq/<topic>`` for the FAQ)."""
    found = {
        intent
        for path in sorted((nlu_dir / language).glob("*.yml"))
        for intent, _ in _examples(path)
    }
    return sorted(found)


def check_example(text: str, language: str, evaluation_root: Path = EVALUATION_DIR) -> str:
    """The example as it would be written (one line, trimmed), or ``TrainingError``."""
    line = re.sub(r"\s+", " ", text).strip()
    if not line or not fold(line):
        raise TrainingError("empty")
    if len(line) > MAX_EXAMPLE_CHARS:
        raise TrainingError("too_long")
    if "[redacted]" in line or "[email]" in line or "[number]" in line:
        raise TrainingError("placeholder")
    key = fold(line)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(key)
    for other in evaluation_sentences(language, evaluation_root):
        if other == key:
            raise TrainingError("evaluation")
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() >= NEAR_RATIO and matcher.ratio() >= NEAR_RATIO:
            raise TrainingError("evaluation")
    return line


@dataclass(frozen=True)
class Pending:
    id: int
    language: str
    intent: str
    example: str


def pending(storage: Storage) -> list[Pending]:
    table = inbox_decisions
    query = (
        sa.select(table.c.id, table.c.language, table.c.decision, table.c.topic, table.c.example)
        .where(table.c.merged_at.is_(None), table.c.decision.in_(("topic", OUT_OF_SCOPE)))
        .order_by(table.c.id)
    )
    with storage.engine.connect() as connection:
        return [
            Pending(row.id, row.language, row.topic or OUT_OF_SCOPE, row.example)
            for row in connection.execute(query)
        ]


def add_example(nlu_dir: Path, language: str, intent: str, example: str) -> Path:
    """Append ``example`` to the first block of ``intent`` in ``data/nlu/<language>/``."""
    for path in sorted((nlu_dir / language).glob("*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next(
            (
                i
                for i, line in enumerate(lines)
                if (m := _INTENT_LINE.match(line)) and m["intent"] == intent
            ),
            None,
        )
        if start is None:
            continue
        last, indent = None, "    "
        for i in range(start + 1, len(lines)):
            if lines[i].startswith("- "):
                break
            if (m := _EXAMPLE_LINE.match(lines[i])) and i > start + 1:
                last, indent = i, m["indent"]
        if last is None:
            raise TrainingError(f"{path.name}: the block of {intent} has no examples")
        if not lines[last].endswith("\n"):
            lines[last] += "\n"
        lines.insert(last + 1, f"{indent}- {example}\n")
        path.write_text("".join(lines), encoding="utf-8")
        return path
    raise TrainingError(f"no block of {intent} in data/nlu/{language}/")


def merge(
    storage: Storage,
    nlu_dir: Path = NLU_DIR,
    evaluation_root: Path = EVALUATION_DIR,
    now: Optional[dt.datetime] = None,
) -> tuple[list[tuple[Pending, Path]], list[tuple[Pending, str]]]:
    """Write every pending example into the training data: ``(merged, refused)``, each
    refused one with its reason (left pending: fix or decide again in the back office)."""
    merged: list[tuple[Pending, Path]] = []
    refused: list[tuple[Pending, str]] = []
    known = {language: set(topics(language, nlu_dir)) for language in LANGUAGES}
    for item in pending(storage):
        try:
            if item.intent not in known.get(item.language, set()):
                raise TrainingError(f"unknown intent {item.intent}")
            example = check_example(item.example, item.language, evaluation_root)
            existing = {
                fold(text)
                for path in (nlu_dir / item.language).glob("*.yml")
                for _, text in _examples(path)
            }
            path = None
            if fold(example) not in existing:
                path = add_example(nlu_dir, item.language, item.intent, example)
        except TrainingError as error:
            refused.append((item, str(error)))
            continue
        with storage.engine.begin() as connection:
            connection.execute(
                inbox_decisions.update()
                .where(inbox_decisions.c.id == item.id)
                .values(merged_at=now or dt.datetime.now(dt.timezone.utc))
            )
        merged.append((item, path or nlu_dir / item.language))
    return merged, refused
