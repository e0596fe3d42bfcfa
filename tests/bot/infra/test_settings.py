"""The settings: every variable declared once, typed, validated, and documented from there."""

from __future__ import annotations

import ast
import datetime as dt
import ipaddress
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

from bot import ROOT
from bot.infra import settings
from bot.infra.ratelimit import Rate


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No declared variable set: every setting at its default."""
    for setting in settings.SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    return monkeypatch


# ---- each kind: what it accepts, and what it refuses with the variable's name ------------

GOOD: list[tuple[settings.Setting[Any], str, Any]] = [
    (settings.WEB_PORT, " 8001 ", 8001),
    (settings.NGINX_PORT, "65535", 65535),
    (settings.RASA_PORTS, "16005  16006 16007", (16005, 16006, 16007)),
    (settings.SOCKET_SAME_ORIGIN, "1", True),
    (settings.SPEEDUPS, "0", False),
    (settings.BENCH_PORT_OFFSET, "0", 0),
    (settings.BENCH_PORT_OFFSET, "100", 100),
    (settings.MAX_MESSAGE_BYTES, "1024", 1024),
    (settings.SQL_MAX_OVERFLOW, "0", 0),
    (settings.PUBLIC_URL, "https://chat.example.gouv.fr/", "https://chat.example.gouv.fr"),
    (settings.PUBLIC_URL, "http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    (settings.CORS_ORIGINS, "https://a.gouv.fr/ http://localhost:9000",
     ("https://a.gouv.fr", "http://localhost:9000")),
    (settings.TODAY, "2027-03-01", dt.date(2027, 3, 1)),
    (settings.LOG_LEVEL, "debug", logging.DEBUG),
    (settings.LOG_LEVEL, "WARNING", logging.WARNING),
    (settings.RATE_LIMIT_WEB, "5/s", Rate(5, 1.0)),
    (settings.RATE_LIMIT_MESSAGES, "100 / hour", Rate(100, 3600.0)),
    (settings.RATE_LIMIT_MESSAGES, "off", None),
    (settings.TRUSTED_PROXIES, "10.1.2.3, 192.168.0.0/16",
     (ipaddress.ip_network("10.1.2.3/32"), ipaddress.ip_network("192.168.0.0/16"))),
    (settings.RATE_LIMIT_EXEMPT, "none", ()),
    (settings.REGEX_CACHE, "/app/cache/regex", Path("/app/cache/regex")),
    (settings.CLUSTER_DIR, "var/elsewhere", ROOT / "var" / "elsewhere"),
    (settings.E2E_MODEL, "/tmp/m.tar.gz", Path("/tmp/m.tar.gz")),
    (settings.E2E_PORTS, "33000 33001 33002", (33000, 33001, 33002)),
    (settings.RASA_API_TOKEN, "x" * 32, "x" * 32),
    (settings.NLG_TOKEN, "any text at all", "any text at all"),
    (settings.TRACKER_DIALECT, "postgresql", "postgresql"),
]  # fmt: skip


@pytest.mark.parametrize(("setting", "text", "value"), GOOD, ids=lambda p: getattr(p, "name", ""))
def test_each_kind_reads_its_values(clean, setting, text, value):
    clean.setenv(setting.name, text)
    assert setting.get() == value
    assert setting.is_set()


BAD: list[tuple[settings.Setting[Any], str, str]] = [
    (settings.WEB_PORT, "80x", "'80x' is not a port number; expected a port number (1–65535)"),
    (settings.WEB_PORT, "0", "is not a port number"),
    (settings.WEB_PORT, "65536", "is not a port number"),
    (settings.RASA_PORTS, "5005,5006", "'5005,5006' is not a port number"),
    (settings.RASA_PORTS, "5005 http", "'http' is not a port number"),
    (settings.SOCKET_SAME_ORIGIN, "yes", "'yes' is neither 1 nor 0; expected `1` (on) or `0`"),
    (settings.declared("EIG_SPEEDUP_KEEPALIVE"), "off", "'off' is neither 1 nor 0"),
    (settings.BENCH_PORT_OFFSET, "-1", "'-1' is not a whole number; expected a whole number, 0"),
    (settings.MAX_MESSAGE_BYTES, "0", "'0' is not a positive whole number"),
    (settings.MAX_MESSAGE_BYTES, "64k", "'64k' is not a positive whole number"),
    (settings.MAX_MESSAGE_BYTES, "1.5", "is not a positive whole number"),
    (settings.PUBLIC_URL, "chat.example.gouv.fr", "is not an http(s) address"),
    (settings.PUBLIC_URL, "ftp://chat.example.gouv.fr", "is not an http(s) address"),
    (settings.CORS_ORIGINS, "*", "'*' is not an exact http(s) origin; expected exact origins"),
    (settings.CORS_ORIGINS, "https://ok.gouv.fr null", "'null' is not an exact http(s) origin"),
    (settings.CORS_ORIGINS, "https://site.gouv.fr/chat", "is not an exact http(s) origin"),
    (settings.TODAY, "2022/03/20", "'2022/03/20' is not a YYYY-MM-DD date"),
    (settings.TODAY, "2022-13-01", "is not a YYYY-MM-DD date"),
    (settings.LOG_LEVEL, "CHATTY", "'CHATTY' is not a log level; expected a log level: `DEBUG`"),
    (settings.RATE_LIMIT_WEB, "lots", "'lots' is not a rate like '60/minute'"),
    (settings.RATE_LIMIT_WEB, "10/fortnight", "is not a rate"),
    (settings.TRUSTED_PROXIES, "127.0.0.1 localhost", "'localhost' is not an IP address"),
    (settings.RASA_API_TOKEN, "short", "the value set is not valid; expected at least 32"),
]  # fmt: skip


@pytest.mark.parametrize(("setting", "text", "message"), BAD, ids=lambda p: getattr(p, "name", ""))
def test_a_wrong_value_stops_with_the_name_and_what_is_expected(clean, setting, text, message):
    clean.setenv(setting.name, text)
    with pytest.raises(SystemExit) as raised:
        setting.get()
    assert isinstance(raised.value, settings.InvalidSetting)
    assert str(raised.value).startswith(f"{setting.name}: ")
    assert message in str(raised.value)


def test_a_secret_is_never_repeated_in_its_error(clean):
    clean.setenv("EIG_RASA_API_TOKEN", "hunter2-but-short")
    with pytest.raises(SystemExit) as raised:
        settings.RASA_API_TOKEN.get()
    assert "hunter2" not in str(raised.value)
    assert dict(settings.current())["EIG_RASA_API_TOKEN"] == "(set)"


# ---- defaults ----------------------------------------------------------------------------


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_unset_or_empty_is_the_default(clean, empty):
    for setting in settings.SETTINGS:
        if empty is not None:
            clean.setenv(setting.name, empty)
        assert setting.get() == setting.default, setting.name
        assert not setting.is_set()


def test_the_defaults(clean):
    assert settings.PUBLIC_URL.get() == settings.public_url() == "http://localhost:8000"
    assert settings.WEB_PORT.get() == 8000 and settings.RASA_PORTS.get() == (5005, 5006)
    assert settings.TODAY.get() is None and settings.CORS_ORIGINS.get() == ()
    assert settings.LOG_LEVEL.get() == logging.INFO and not settings.THIRD_PARTY_DEBUG.get()
    assert settings.RATE_LIMIT_MESSAGES.get() == Rate(60, 60.0)
    assert settings.RATE_LIMIT_WEB.get() == Rate(600, 60.0)
    assert settings.MAX_MESSAGE_BYTES.get() == 65536
    assert settings.REGEX_CACHE.get() == ROOT / "var" / "cache" / "regex"
    assert settings.CLUSTER_DIR.get() == ROOT / "var" / "cluster"
    assert settings.DATABASE_URL.get() == f"sqlite:///{ROOT / 'var' / 'applications.db'}"
    exempt = settings.RATE_LIMIT_EXEMPT.get()
    assert [str(net) for net in exempt] == ["127.0.0.0/8", "::1/128"]
    assert settings.TRUSTED_PROXIES.get() == () and settings.PROXY_HOPS.get() == 1


def test_value_or_gives_another_fallback_only_when_unset(clean):
    assert settings.PUBLIC_URL.value_or("http://localhost:18000") == "http://localhost:18000"
    clean.setenv("EIG_PUBLIC_URL", "https://chat.example.gouv.fr/")
    assert settings.PUBLIC_URL.value_or("http://x") == "https://chat.example.gouv.fr"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_every_default_written_as_the_variable_reads_back_the_same(clean, setting):
    """What the docs show as a default is what the code uses."""
    text = setting.kind.show(setting.default)
    if text:
        clean.setenv(setting.name, text)
        assert setting.get() == setting.default
    assert setting.doc and setting.read_by and setting.kind.expected


def test_every_variable_is_declared_once_and_speedups_have_a_switch_each():
    names = [s.name for s in settings.SETTINGS] + [o.name for o in settings.OTHERS]
    assert len(names) == len(set(names))
    parts = ("VALIDATORS KEEPALIVE PARSE_CACHE LIGHT_LOAD PLAIN_TRACE BATCHING EPOCHS "
             "TRAIN_TRACE").split()  # fmt: skip
    assert {f"EIG_SPEEDUP_{part}" for part in parts} <= set(names)
    with pytest.raises(ValueError, match="declared twice"):
        settings._declare(settings.Setting("EIG_WEB_PORT", settings.PORT, 1, "x", "y"))


# ---- the speedup switches ----------------------------------------------------------------


def test_speedups_are_on_unless_switched_off_one_by_one_or_all(clean):
    assert settings.speedup_enabled("PARSE_CACHE") and settings.speedup_enabled("EPOCHS")
    clean.setenv("EIG_SPEEDUP_PARSE_CACHE", "0")
    assert not settings.speedup_enabled("PARSE_CACHE")
    assert settings.speedup_enabled("EPOCHS")
    clean.setenv("EIG_SPEEDUP_PARSE_CACHE", "1")
    clean.setenv("EIG_SPEEDUPS", "0")
    assert not settings.speedup_enabled("PARSE_CACHE")
    assert not settings.speedup_enabled("EPOCHS")


def test_a_switch_that_is_not_declared_is_a_programming_error(clean):
    with pytest.raises(KeyError, match="EIG_SPEEDUP_WARP_DRIVE is not declared"):
        settings.speedup_enabled("WARP_DRIVE")


def test_a_wrong_switch_value_is_refused(clean):
    clean.setenv("EIG_SPEEDUP_EPOCHS", "false")
    with pytest.raises(SystemExit, match="EIG_SPEEDUP_EPOCHS: 'false' is neither 1 nor 0"):
        settings.speedup_enabled("EPOCHS")


# ---- the start-up check ------------------------------------------------------------------


def test_problems_lists_every_wrong_variable_at_once(clean):
    assert settings.problems() == []
    settings.validate()
    clean.setenv("EIG_WEB_PORT", "web")
    clean.setenv("EIG_TODAY", "tomorrow")
    clean.setenv("EIG_NLG_TOKEN", "fine")
    found = settings.problems()
    assert [line.split(":")[0] for line in found] == ["EIG_TODAY", "EIG_WEB_PORT"]
    with pytest.raises(SystemExit) as raised:
        settings.validate()
    assert str(raised.value) == "\n".join(found)


def run_bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if k not in names()}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**clean_env, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def names() -> set[str]:
    return {s.name for s in settings.SETTINGS}


def test_python_m_bot_check_refuses_a_wrong_value_without_a_traceback():
    bad = run_bot("check", env={"EIG_RATE_LIMIT_WEB": "plenty", "EIG_WEB_PORT": "80 80"})
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert "settings: EIG_WEB_PORT: '80 80' is not a port number" in bad.stderr
    assert "settings: EIG_RATE_LIMIT_WEB: 'plenty' is not a rate" in bad.stderr
    good = run_bot("check", env={"EIG_WEB_PORT": "8001"})
    assert good.returncode == 0, good.stderr
    assert f"settings: ok ({len(settings.SETTINGS)} variables)" in good.stdout


def test_a_service_does_not_start_with_a_wrong_value():
    web = run_bot("web", "--port", "0", env={"EIG_TODAY": "someday"})
    assert web.returncode == 1
    assert "Traceback" not in web.stderr
    assert web.stderr.strip().endswith(
        "EIG_TODAY: 'someday' is not a YYYY-MM-DD date; expected a date, `YYYY-MM-DD`"
    )


def test_python_m_bot_settings_prints_values_but_not_secrets():
    shown = run_bot("settings", env={"EIG_NLG_TOKEN": "s3cret-value", "EIG_WEB_PORT": "8001"})
    assert shown.returncode == 0, shown.stderr
    lines = dict(line.split("=", 1) for line in shown.stdout.splitlines())
    assert lines["EIG_WEB_PORT"] == "8001"
    assert lines["EIG_RASA_PORT"] == "5005 (default)"
    assert lines["EIG_NLG_TOKEN"] == "(set)" and "s3cret" not in shown.stdout


# ---- docs/deploy.md's table is the declarations' ----------------------------------------


def documented_table() -> str:
    lines = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(settings.HEADER.splitlines()[0])
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[start:end]) + "\n"


def test_the_deployment_guide_table_is_generated_from_the_declarations():
    assert documented_table() == settings.markdown_table(), (
        "docs/deploy.md's table differs from bot/infra/settings.py: replace it with the output "
        "of `python -m bot settings --markdown`"
    )


def test_python_m_bot_settings_markdown_prints_that_table():
    printed = run_bot("settings", "--markdown", env={})
    assert printed.returncode == 0
    assert printed.stdout == settings.markdown_table()


def test_the_table_has_one_row_per_variable_ours_first():
    rows = settings.markdown_table().splitlines()[2:]
    declared = [s.name for s in settings.SETTINGS] + [o.name for o in settings.OTHERS]
    assert [row.split("`")[1] for row in rows] == declared
    assert all(row.count(" | ") == 4 for row in rows)


# ---- nothing else reads an EIG_* variable ------------------------------------------------


def eig_reads(source: str) -> list[tuple[int, str]]:
    """``(line, name)`` of each read of an ``EIG_*`` variable from the environment:
    ``os.environ.get/pop/setdefault``, ``os.environ[...]``, ``... in os.environ`` and
    ``os.getenv``, with the name written out, as an f-string's start, or in a constant."""
    tree = ast.parse(source)
    constants = {
        target.id: node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def is_environ(node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ"
        )

    def text_of(node: Optional[ast.AST]) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr) and node.values:
            return text_of(node.values[0])
        if isinstance(node, ast.Name):
            return constants.get(node.id, "")
        return ""

    found = []
    for node in ast.walk(tree):
        key: Optional[ast.AST] = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("get", "pop", "setdefault")
                and is_environ(func.value)
            ) or (getattr(func, "attr", getattr(func, "id", None)) == "getenv"):
                key = node.args[0]
        elif (
            isinstance(node, ast.Subscript)
            and is_environ(node.value)
            and isinstance(node.ctx, ast.Load)
        ):
            key = node.slice
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            key = node.left
        name = text_of(key)
        if name.startswith("EIG_"):
            found.append((getattr(node, "lineno", 0), name))
    return sorted(found)


def test_the_scanner_finds_every_way_of_reading_one():
    source = """
import os
from os import environ, getenv
NAME = "EIG_FROM_A_CONSTANT"
a = os.environ.get("EIG_A", "1")
b = os.environ["EIG_B"]
c = os.getenv("EIG_C")
d = environ.get(f"EIG_SPEEDUP_{part}")
e = os.environ.get(NAME)
f = "EIG_F" in os.environ
g = getenv("EIG_G")
h = os.environ.pop("EIG_H", None)
os.environ["EIG_WRITTEN"] = "1"  # writing for a child process is no read
i = os.environ.get("DATABASE_URL")
j = dict(os.environ, EIG_BENCH_PORT_OFFSET="3")
"""
    assert [name for _, name in eig_reads(source)] == [
        "EIG_A", "EIG_B", "EIG_C", "EIG_SPEEDUP_", "EIG_FROM_A_CONSTANT", "EIG_F", "EIG_G",
        "EIG_H",
    ]  # fmt: skip


def test_no_module_but_settings_reads_an_eig_variable():
    settings_module = ROOT / "bot" / "infra" / "settings.py"
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for folder in ("bot", "actions", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != settings_module
        for line, name in eig_reads(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "read these through bot.infra.settings:\n" + "\n".join(offenders)
