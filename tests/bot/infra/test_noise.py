"""A quiet start: library deprecations silenced, ours kept; the terminal shows what matters."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings

import pytest

from bot.infra import noise


@pytest.fixture
def clean_filters():
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.simplefilter("always")
        yield


def emitted(module: str, category: type[Warning]) -> list[str]:
    """Messages of the warnings that pass the filters when raised in ``module``."""
    with warnings.catch_warnings(record=True) as caught:
        noise.silence_library_warnings()
        warnings.warn_explicit(
            "old API", category, filename=f"{module}.py", lineno=1, module=module
        )
    return [str(w.message) for w in caught]


@pytest.mark.parametrize(
    "module", ["pkg_resources", "sanic_cors.extension", "rasa.shared", "botocore"]
)
@pytest.mark.parametrize("category", [DeprecationWarning, PendingDeprecationWarning, FutureWarning])
def test_library_deprecations_are_silenced(clean_filters, module, category):
    assert emitted(module, category) == []


@pytest.mark.parametrize(
    "module", ["bot", "bot.web.views", "actions.forms", "bench.load", "tests.x"]
)
def test_our_deprecations_still_show(clean_filters, module):
    assert emitted(module, DeprecationWarning) == ["old API"]


def test_other_library_warnings_still_show(clean_filters):
    assert emitted("sqlalchemy.engine", UserWarning) == ["old API"]
    assert emitted("rasa.core", RuntimeWarning) == ["old API"]


def test_silencing_survives_sanic_import():
    """Sanic adds a "once" filter for every DeprecationWarning when imported; calling again wins."""
    code = textwrap.dedent(
        """
        import warnings
        from bot.infra import noise
        noise.silence_library_warnings()
        import sanic.app  # inserts filterwarnings("once", DeprecationWarning)
        noise.silence_library_warnings()
        with warnings.catch_warnings(record=True) as caught:
            warnings.warn_explicit("x", DeprecationWarning, "lib.py", 1, module="somelib")
            warnings.warn_explicit("y", DeprecationWarning, "ours.py", 1, module="bot.ours")
        print(sorted(str(w.message) for w in caught))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['y']"


def test_console_shows_warnings_and_errors_only():
    keep = noise.ConsoleFilter()
    info = json.dumps({"level": "INFO", "logger": "sanic.root", "message": "Goin' Fast"})
    warning = json.dumps({"level": "WARNING", "logger": "bot.web", "message": "slow NLG"})
    error = json.dumps({"level": "ERROR", "logger": "rasa_sdk", "message": "action failed"})
    assert noise.for_console("web", info, keep) is None
    assert noise.for_console("web", warning, keep) == "[web] WARNING bot.web: slow NLG"
    assert noise.for_console("actions", error, keep) == "[actions] ERROR rasa_sdk: action failed"
    plain_info = (
        "2026-11-30 10:20:40 INFO     root  - Starting Rasa server on http://127.0.0.1:5005"
    )
    plain_warning = "2026-11-30 10:20:40 WARNING  rasa.core.agent  - Could not load model"
    assert keep(plain_info) is None
    assert keep(plain_warning) == plain_warning
    assert keep("[2026-11-30 10:20:40,596] [INFO] Created vocabulary") is None
    assert (
        keep("/x/lib.py:3: UserWarning: something odd") == "/x/lib.py:3: UserWarning: something odd"
    )


def test_console_keeps_a_whole_traceback():
    keep = noise.ConsoleFilter()
    lines = [
        "Traceback (most recent call last):",
        '  File "/x/a.py", line 1, in <module>',
        "    boom()",
        "ValueError: bad",
        "2026-11-30 INFO after",
    ]
    assert [keep(line) for line in lines] == [*lines[:4], None]


def test_console_ignores_json_that_is_not_a_log_record():
    keep = noise.ConsoleFilter()
    assert keep('{"sender": "me"}') is None
    assert keep("{not json") is None
