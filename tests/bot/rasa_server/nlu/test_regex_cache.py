"""The regex cache gives back patterns that match exactly as freshly compiled ones."""

from __future__ import annotations

import re

from bot.rasa_server.nlu import regex_cache

PATTERN = "(?iu)" + "|".join(f"(?:^w{i}[-‐][a-zà-ÿ]+$)" for i in range(2_000))
WORDS = ["w1-abc", "W1999-Été", "w2000-abc", "w5 abc", "", "w7-", "w42-x"]


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


def test_directory_comes_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(regex_cache, "MIN_CHARS", 1000)
    monkeypatch.setenv("EIG_REGEX_CACHE", str(tmp_path / "baked"))
    with regex_cache.remembered():
        regex_cache.sre_compile.compile(PATTERN, 0)
    assert len(list((tmp_path / "baked").glob("*.sre"))) == 1
    monkeypatch.delenv("EIG_REGEX_CACHE")
    assert regex_cache.directory() == regex_cache.DIRECTORY


def test_read_only_directory_still_compiles(tmp_path, monkeypatch) -> None:
    """A stale baked cache the process cannot write to: a normal compile, no error."""
    monkeypatch.setattr(regex_cache, "MIN_CHARS", 1000)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with regex_cache.remembered(blocker / "regex"):
        compiled = regex_cache.sre_compile.compile(PATTERN, 0)
    assert compiled.match("w5-abc") and not compiled.match("w5 abc")
