"""The run-time changes to Rasa: one table, installed by one call, on the pinned versions only.

- every function a replacement copies still has the source it was copied from (sha256);
- importing our channels, NLU components and stores installs nothing, and ``install()``
  replaces exactly the table's targets, once (in a fresh process: what it changes in Rasa,
  Keras, TensorFlow and the standard library is compared attribute by attribute);
- ``python -m bot rasa`` installs them before Rasa's command line runs and says so;
- ``CallbackNaturalLanguageGenerator.generate`` is replaced once, doing both of its jobs.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
import logging
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import ROOT
from bot.infra.settings import speedup_enabled
from bot.rasa_server import patches, turn_guard

PROCESS_PATCHES = [p for p in patches.PATCHES if p.scope == patches.PROCESS]
COPIED = [copied for p in patches.PATCHES for copied in p.copies]
GENERATE = "rasa.core.nlg.callback.CallbackNaturalLanguageGenerator.generate"


# ---- the table -----------------------------------------------------------------------


def test_every_target_is_listed_once_and_described() -> None:
    targets = [p.target for p in patches.PATCHES]
    assert len(targets) == len(set(targets)) >= 15
    assert {p.scope for p in patches.PATCHES} == {patches.PROCESS, patches.BLOCK}
    doc = patches.__doc__ or ""
    for patch in patches.PATCHES:
        owner, name = patch.target.split(".")[-2:]
        assert owner in doc and name in doc, f"{patch.target} missing from the module docstring"
        assert patch.why and patch.gain
        assert patch.switches or patch.tunes or "always" in patch.why or patch.scope != "process"


@pytest.mark.parametrize("patch", patches.PATCHES, ids=lambda p: p.target)
def test_targets_and_replacements_exist(patch: patches.Patch) -> None:
    owner, name = patches.resolve(patch.target)
    if isinstance(owner, type):
        assert name in vars(owner), "defined by the class itself, not inherited"
    else:
        assert hasattr(owner, name)
    make_owner, make_name = patches.resolve(patch.replacement)
    assert callable(getattr(make_owner, make_name))


def test_every_switch_is_a_declared_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    switches = {s for p in patches.PATCHES for s in (*p.switches, *p.tunes)}
    assert switches >= {"VALIDATORS", "KEEPALIVE", "PARSE_CACHE", "EPOCHS", "TRAIN_TRACE"}
    for switch in switches:
        assert speedup_enabled(switch) is True  # declared (an unknown name raises), on
        monkeypatch.setenv(f"EIG_SPEEDUP_{switch}", "0")
        assert speedup_enabled(switch) is False


def test_switches_choose_what_install_replaces(monkeypatch: pytest.MonkeyPatch) -> None:
    def chosen(off: set[str]) -> set[str]:
        return {p.target for p in PROCESS_PATCHES if patches.switched_on(p, lambda s: s not in off)}

    everything = {p.target for p in PROCESS_PATCHES}
    all_switches = {s for p in patches.PATCHES for s in (*p.switches, *p.tunes)}
    assert chosen(set()) == everything
    always = {
        GENERATE,
        "rasa.core.actions.action.RemoteAction.run",
        "rasa.core.agent.Agent._create_tracker_store",
    }
    assert chosen(all_switches) == always  # EIG_SPEEDUPS=0: the turn guard's and the store's
    assert chosen({"EPOCHS"}) == everything - {
        p.target for p in PROCESS_PATCHES if p.switches == ("EPOCHS",)
    }
    monkeypatch.setenv("EIG_SPEEDUPS", "0")
    assert {p.target for p in PROCESS_PATCHES if patches.switched_on(p)} == always


def test_copies_flag_only_the_replacements_that_repeat_a_body() -> None:
    flagged = {p.target for p in patches.PATCHES if p.copies_body}
    assert flagged == {
        "rasa.utils.endpoints.EndpointConfig.session",
        "rasa.utils.tensorflow.models.RasaModel.load",
        "rasa.utils.tensorflow.models.RasaModel._rasa_predict",
        "rasa.utils.tensorflow.data_generator.RasaDataGenerator._scipy_matrix_to_values",
        "keras.engine.data_adapter.KerasSequenceAdapter._handle_multiprocessing",
        "keras.engine.data_adapter.DataHandler.enumerate_epochs",
    }


@pytest.mark.parametrize("copied", COPIED, ids=lambda c: c.source)
def test_copied_sources_are_the_ones_read(copied: patches.Copied) -> None:
    """A new Rasa or Keras changes these hashes: read the new source, update the replacement
    that repeats it, then the hash."""
    found = patches.source_sha256(patches.original(copied.source))
    assert found == copied.sha256, (
        f"{copied.source} changed since its body was copied into bot/rasa_server: compare "
        f"it with the replacement before recording sha256 {found}"
    )


def test_the_source_hash_ignores_layout_only(tmp_path: Path) -> None:
    def load(name: str, text: str) -> Any:
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(text))
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    plain = load("plain", "def f(x):\n    return x + 1\n")
    indented = load("indented", "class A:\n    def f(x):   \n\n        return x + 1\n")
    changed = load("changed", "def f(x):\n    return x + 2\n")
    assert patches.source_sha256(plain.f) == patches.source_sha256(indented.A.f)
    assert patches.source_sha256(plain.f) != patches.source_sha256(changed.f)


@pytest.mark.parametrize("patch", PROCESS_PATCHES, ids=lambda p: p.target)
def test_replacements_wrap_their_original(patch: patches.Patch) -> None:
    """``__wrapped__`` leads from every replacement to Rasa's function (or the copy module)."""
    made = patches.build(patch.target)
    plain = made.__func__ if isinstance(made, (staticmethod, classmethod)) else made
    assert plain is not patches.original(patch.target)
    assert inspect.unwrap(plain) is patches.original(patch.target)


# ---- versions ------------------------------------------------------------------------


def test_pins_are_requirements_txt_pins() -> None:
    pins = dict(
        line.strip().split("==")
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.lstrip().startswith("#")
    )
    assert {name: pins[name] for name in patches.PINNED} == patches.PINNED
    patches.check_versions()  # and they are what this environment has


@pytest.mark.parametrize(
    ("found", "named"),
    [
        ({"rasa": "3.6.20"}, "rasa 3.6.20"),
        ({"tensorflow": "2.13.0", "keras": "2.13.1"}, "tensorflow 2.13.0, keras 2.13.1"),
        ({"rasa-sdk": None}, "rasa-sdk not installed"),
    ],
)
def test_other_versions_are_refused(found: dict, named: str) -> None:
    with pytest.raises(RuntimeError) as refused:
        patches.check_versions({**patches.PINNED, **found})
    assert named in str(refused.value)
    assert "rasa 3.6.21, rasa-sdk 3.6.2, tensorflow 2.12.0, keras 2.12.0" in str(refused.value)


# ---- in this process -------------------------------------------------------------------


def test_install_is_idempotent() -> None:
    first = patches.install()
    current = {t: patches.resolve(t) for t in first}
    values = {
        t: vars(o)[n] if isinstance(o, type) else getattr(o, n) for t, (o, n) in current.items()
    }
    assert patches.install() == first == patches.installed()
    for target, (owner, name) in current.items():
        now = vars(owner)[name] if isinstance(owner, type) else getattr(owner, name)
        assert now is values[target]
    assert set(first) <= {p.target for p in PROCESS_PATCHES}


async def _nlg_server(reply: object) -> tuple[web.AppRunner, str]:
    async def nlg(request: web.Request) -> web.Response:
        return web.json_response(reply)

    app = web.Application()
    app.router.add_post("/nlg", nlg)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/nlg"


def test_generate_notes_failures_for_the_turn_guard(caplog: pytest.LogCaptureFixture) -> None:
    patches.install()
    generate = CallbackNaturalLanguageGenerator.generate
    assert Path(generate.__code__.co_filename).name == "turn_guard.py"
    assert generate.__wrapped__ is patches.original(GENERATE)  # type: ignore[attr-defined]

    async def turn(reply: object) -> list[str]:
        runner, url = await _nlg_server(reply)
        generator = CallbackNaturalLanguageGenerator(EndpointConfig(url))
        tracker = DialogueStateTracker.from_events("t", [UserUttered("bonjour")])

        async def rasa(message: UserMessage) -> None:  # Rasa logs a failed response, goes on
            try:
                response = await generator.generate("utter_greet", tracker, "rest")
            except Exception:
                return
            await message.output_channel.send_response(message.sender_id, response)

        message = UserMessage(
            "bonjour", CollectingOutputChannel(), "t", metadata={"language": "en"}
        )
        try:
            await turn_guard.answer(rasa, message)
        finally:
            await runner.cleanup()
        return [m["text"] for m in message.output_channel.messages]

    with caplog.at_level(logging.ERROR, logger="bot.rasa_server.turn_guard"):
        assert asyncio.run(turn({"text": "Hello!"})) == ["Hello!"]
        assert "turn.failed" not in caplog.text
        texts = asyncio.run(turn({"text": 3}))  # refused by the NLG reply validation
    assert texts[0].startswith("Sorry, a technical problem")
    assert "turn.failed: nlg" in caplog.text


def test_the_rest_channel_warns_when_rasa_started_without_them(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.rasa_server.channels import RestInput

    monkeypatch.setattr(patches, "_originals", {})
    with caplog.at_level(logging.WARNING, logger="bot.rasa_server.channels"):
        RestInput()
    assert "without `python -m bot rasa`" in caplog.text
    caplog.clear()
    monkeypatch.setattr(patches, "_originals", {GENERATE: None})
    with caplog.at_level(logging.WARNING, logger="bot.rasa_server.channels"):
        RestInput()
    assert "python -m bot rasa" not in caplog.text


# ---- in a fresh process: imports install nothing, install() exactly the table --------

FRESH = r"""
import json, pkgutil, sys, types

from bot.rasa_server import patches

WATCHED = ("rasa", "keras", "tensorflow", "sqlalchemy", "jsonschema", "aiohttp", "sanic")


def watched(name):
    top = name.split(".")[0]
    return top in WATCHED or top in sys.stdlib_module_names


def snapshot():
    seen = {}
    for name, module in list(sys.modules.items()):
        if not isinstance(module, types.ModuleType) or not watched(name):
            continue
        try:
            items = list(vars(module).items())
        except TypeError:
            continue
        for attr, value in items:
            seen[f"{name}.{attr}"] = value
            if isinstance(value, type) and value.__module__ == name:
                for inner, member in list(vars(value).items()):
                    seen[f"{name}.{attr}.{inner}"] = member
    return seen


def code(value):
    return callable(value) or isinstance(
        value, (types.ModuleType, staticmethod, classmethod, property)
    )


def changed(before, after):
    out = []
    for key in before.keys() & after.keys():
        old, new = before[key], after[key]
        if old is new or not (code(old) or code(new)):
            continue
        if isinstance(old, types.ModuleType) and getattr(new, "__name__", None) == old.__name__:
            continue  # a lazily loaded module replacing its loader
        out.append(key)
    return sorted(out)


# First what our modules import from elsewhere (some of it patches things on import:
# Cython's generated modules rebind inspect.isgenerator), and the targets' modules.
import ast, importlib, pathlib

for folder in ("rasa_server", "domain", "wording", "infra"):
    for path in pathlib.Path(sys.argv[2], "bot", folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] != "bot":
                    importlib.import_module(name)
for patch in patches.PATCHES:
    patches.resolve(patch.target)
before_ours = snapshot()

import bot.rasa_server
for info in pkgutil.walk_packages(bot.rasa_server.__path__, "bot.rasa_server."):
    __import__(info.name)
from bot.rasa_server.nlu import tokenizer
tokenizer.pipeline("fr"), tokenizer.pipeline("en")  # built in the background: wait for them
imported = snapshot()

installed = patches.install()
after_install = snapshot()
again = patches.install()
after_again = snapshot()
with open(sys.argv[1], "w") as out:
    json.dump(
        {
            "by_imports": changed(before_ours, imported),
            "installed": list(installed),
            "by_install": changed(imported, after_install),
            "again": list(again),
            "by_second_install": changed(after_install, after_again),
        },
        out,
    )

from bot.__main__ import main
sys.exit(main(["rasa", "telemetry"]))
"""


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("patches") / "fresh.json"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "HOME": str(out.parent),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
    }
    run = subprocess.run(
        [sys.executable, "-c", FRESH, str(out), str(ROOT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text()), run.stderr


def test_importing_our_modules_installs_nothing(fresh: tuple[dict, str]) -> None:
    report, _ = fresh
    assert report["by_imports"] == []


def test_install_replaces_exactly_the_tables_targets_once(fresh: tuple[dict, str]) -> None:
    report, _ = fresh
    expected = sorted(p.target for p in PROCESS_PATCHES)
    assert sorted(report["installed"]) == expected
    assert report["by_install"] == expected
    assert report["again"] == report["installed"]
    assert report["by_second_install"] == []


def test_python_m_bot_rasa_says_what_it_installed(fresh: tuple[dict, str]) -> None:
    _, stderr = fresh
    line = re.search(r"INFO .*Run-time changes to Rasa \(bot.rasa_server.patches\).*", stderr)
    assert line, stderr[-2000:]
    assert f"{len(PROCESS_PATCHES)} installed" in line.group()
    assert "_parse_message_with_graph" in line.group() and "switched off" not in line.group()
