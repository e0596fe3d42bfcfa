"""The regex cache gives back patterns that match exactly as freshly compiled ones."""

from __future__ import annotations

import re

from bot.nlu import regex_cache

PATTERN = "(?iu)" + "|".join(f"(?:^w{i}[-‐][a-zà-ÿ]+$)" for i in range(12_000))
WORDS = ["w1-abc", "W11999-Été", "w12000-abc", "w5 abc", "", "w7-", "w42-x"]


def test_stored_code_matches_as_a_fresh_compile(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(regex_cache, "MIN_CHARS", 1000)
    fresh = re.compile(PATTERN)
    with regex_cache.remembered(tmp_path):
        first = regex_cache.sre_compile.compile(PATTERN, 0)
    assert len(list(tmp_path.glob("*.sre"))) == 1
    loaded = regex_cache.load(tmp_path, PATTERN, 0)
    assert loaded is not None and loaded.flags == fresh.flags
    for word in WORDS:
        assert bool(first.match(word)) == bool(loaded.match(word)) == bool(fresh.match(word))


def test_damaged_file_is_ignored(tmp_path) -> None:
    regex_cache.compile_and_store(tmp_path, PATTERN, 0)
    (path,) = tmp_path.glob("*.sre")
    path.write_bytes(path.read_bytes()[:-8])
    assert regex_cache.load(tmp_path, PATTERN, 0) is None


def test_small_patterns_are_not_cached(tmp_path) -> None:
    with regex_cache.remembered(tmp_path):
        regex_cache.sre_compile.compile("a+b", 0)
    assert not list(tmp_path.iterdir())
