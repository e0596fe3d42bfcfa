"""Babel extractor: every response declared in domain.yml is a catalog message.

The msgid of a response is its name (``utter_faq/salary``), so translators see one entry
per thing the assistant can say, whatever the language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml


def response_names(text: str) -> list[str]:
    data: dict[str, Any] = yaml.safe_load(text) or {}
    return list((data.get("responses") or {}).keys())


def extract_domain(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()
    for name in response_names(text):
        lineno = next((i for i, line in enumerate(lines, 1) if line.strip() == f"{name}:"), 0)
        yield lineno, None, name, ["Response rendered by the bot web service."]
