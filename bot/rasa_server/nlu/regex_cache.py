"""Large regular expressions compiled once per machine, not once per process.

spaCy's French tokenizer exceptions are one 1.4 MB pattern (hyphenated and elided words,
with Unicode letter classes), compiled on import: about 5 s of every start of the Rasa
server and of every training run, holding the GIL while the classifiers load. ``re``
cannot pickle compiled patterns (it recompiles them from their text), so ``remembered``
keeps the code CPython's regex compiler produces for patterns of ``MIN_CHARS`` or more in
``var/cache/`` and hands it back to ``_sre.compile``, which checks it, next time. Same
pattern text, flags, Python build and regex engine, or it compiles as usual.

``EIG_REGEX_CACHE`` names another directory: the container image fills one when it is
built, outside ``var/`` (a volume there would hide it), so no container compiles it again.
"""

from __future__ import annotations

import _sre
import array
import contextlib
import hashlib
import json
import logging
import os
import sre_compile
import sre_parse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

from bot import ROOT
from bot.infra import settings

logger = logging.getLogger(__name__)

MIN_CHARS = 100_000
DIRECTORY = ROOT / "var" / "cache" / "regex"


def directory() -> Path:
    """Where the compiled patterns are kept: ``EIG_REGEX_CACHE``, else ``var/cache/regex``."""
    return settings.REGEX_CACHE.get()


_ENGINE = f"{sys.implementation.cache_tag} {sys.version} {_sre.MAGIC} {_sre.CODESIZE}"


def _path(directory: Path, pattern: str, flags: int) -> Path:
    key = hashlib.sha256(f"{_ENGINE}\0{flags}\0{pattern}".encode()).hexdigest()[:32]
    return directory / f"{key}.sre"


def _build(pattern: str, flags: int, header: dict[str, Any], code: list[int]) -> Any:
    groupindex = header["groupindex"]
    indexgroup = [None] * header["groups"]
    for name, index in groupindex.items():
        indexgroup[index] = name
    return _sre.compile(
        pattern, header["flags"], code, header["groups"] - 1, groupindex, tuple(indexgroup)
    )


def load(directory: Path, pattern: str, flags: int) -> Any:
    """The compiled pattern from ``directory``, or None (absent, damaged or stale)."""
    path = _path(directory, pattern, flags)
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        header = json.loads(head)
        if header.get("engine") != _ENGINE or hashlib.sha256(body).hexdigest() != header["sha256"]:
            return None
        code = array.array("I")
        code.frombytes(body)
        return _build(pattern, flags, header, code.tolist())
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        if not isinstance(error, FileNotFoundError):
            logger.warning("Regex cache %s unusable (%s): compiling.", path.name, error)
        return None


def compile_and_store(directory: Path, pattern: str, flags: int) -> Any:
    """Compiles as ``sre_compile.compile`` does, and writes the code to ``directory``."""
    parsed = sre_parse.parse(pattern, flags)
    code = sre_compile._code(parsed, flags)  # type: ignore[attr-defined]
    header = {
        "engine": _ENGINE,
        "flags": flags | parsed.state.flags,
        "groups": parsed.state.groups,
        "groupindex": dict(parsed.state.groupdict),
    }
    compiled = _build(pattern, flags, header, code)
    body = array.array("I", code).tobytes()
    header["sha256"] = hashlib.sha256(body).hexdigest()
    path = _path(directory, pattern, flags)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(json.dumps(header).encode() + b"\n" + body)
        partial.replace(path)  # readers see the whole file or none
    except OSError as error:  # a read-only install still works, at full cost
        logger.info("Regex cache not written to %s: %s", directory, error)
    return compiled


@contextlib.contextmanager
def remembered(folder: Optional[Path] = None) -> Iterator[None]:
    """Within the block, patterns of ``MIN_CHARS`` or more come from (or go to) the cache."""
    original = sre_compile.compile
    where = folder or directory()

    def cached_compile(p: Any, flags: int = 0) -> Any:
        if not isinstance(p, str) or len(p) < MIN_CHARS or flags & sre_compile.SRE_FLAG_DEBUG:
            return original(p, flags)
        return load(where, p, flags) or compile_and_store(where, p, flags)

    sre_compile.compile = cached_compile
    try:
        yield
    finally:
        sre_compile.compile = original
