"""A quiet start: libraries' noise silenced at its source, real problems kept.

Two sources drowned the few lines a newcomer needs when ``make run`` starts:

- **Deprecation warnings raised inside libraries** (pkg_resources, click, pyparsing,
  SQLAlchemy, distutils, jax…), about code we neither wrote nor can change. They are
  ignored only when the warning is attributed to a library module: a deprecation raised
  by our own call (``bot``, ``actions``, ``bench``, ``tests``) still shows. Sanic inserts
  ``filterwarnings("once", DeprecationWarning)`` when it is imported, which overrides any
  earlier filter, so :func:`silence_library_warnings` is called again once a process has
  imported its framework; the call is idempotent.
- **INFO lines of a start-up** (Sanic's banner, rasa-sdk's "Registered function" for each
  action, spaCy's "Created vocabulary" printed twice). Every line still goes to the
  service's log file; the terminal of ``make run`` shows the services coming up, where to
  chat, and the warnings and errors (:func:`for_console`).
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from typing import Optional

LIBRARY_WARNINGS: tuple[type[Warning], ...] = (
    DeprecationWarning,
    PendingDeprecationWarning,
    FutureWarning,
)
OUR_PACKAGES = ("bot", "actions", "bench", "tests")
# ``module`` of a warnings filter is matched at the start of the warning's module name.
LIBRARY_MODULE = r"(?!(?:" + "|".join(OUR_PACKAGES) + r")(?:\.|$))"
# Libraries that log routine INFO lines of their own, with their own handlers.
CHATTY_LOGGERS = ("spacy",)


def silence_library_warnings() -> None:
    """Ignore deprecation warnings attributed to library modules, never to ours."""
    for category in LIBRARY_WARNINGS:
        warnings.filterwarnings("ignore", category=category, module=LIBRARY_MODULE)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


_PLAIN_LEVEL = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b")
_PYTHON_WARNING = re.compile(r"^\S.*:\d+: \w*Warning: ")
_ATTENTION = ("WARNING", "ERROR", "CRITICAL")


class ConsoleFilter:
    """Decides, line by line, what of a service's output the terminal shows.

    Shown: JSON log lines at WARNING or above (as ``level logger: message``), plain log
    lines that carry WARNING, ERROR or CRITICAL, Python warnings, and whole tracebacks.
    Everything else (INFO and DEBUG) stays in the log file only.
    """

    def __init__(self) -> None:
        self._in_traceback = False

    def __call__(self, line: str) -> Optional[str]:
        text = line.rstrip("\n")
        if self._in_traceback:
            if text.startswith((" ", "\t")) or not text:
                return text
            self._in_traceback = False
            return text  # the exception line closes the traceback
        if text.startswith("Traceback (most recent call last)"):
            self._in_traceback = True
            return text
        if text.startswith("{"):
            try:
                record = json.loads(text)
            except ValueError:
                record = None
            if isinstance(record, dict) and "level" in record:
                if str(record.get("level")) not in _ATTENTION:
                    return None
                return f"{record.get('level')} {record.get('logger')}: {record.get('message')}"
        if _PYTHON_WARNING.match(text) or _PLAIN_LEVEL.search(text):
            return text
        return None


def for_console(service: str, line: str, keep: ConsoleFilter) -> Optional[str]:
    """``line`` of ``service`` as the terminal should show it, or None to keep it quiet."""
    shown = keep(line)
    return None if shown is None else f"[{service}] {shown}"
