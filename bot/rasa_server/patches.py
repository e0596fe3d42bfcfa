"""Every run-time change to Rasa, Keras and the standard library, in one table, installed by
one call.

Rasa 3.6 gets no more releases, and a few of its internals were measured to dominate the
cost of a message, of start-up or of training (``bench/findings.md``, ``docs/benchmarks.md``);
two more make every failed turn reach the user as an apology. ``PATCHES`` lists each
replaced attribute (``Patch.target``) with the function that makes its replacement from
the original (``Patch.replacement``, in ``speedups``, ``turn_guard``, ``tracker_store`` and
``nlu/``), why, the gain measured, the switches that
turn it off for a before/after measurement (``EIG_SPEEDUP_<PART>=0``, ``EIG_SPEEDUPS=0`` for
every speedup) and, when the replacement repeats part of a Rasa or Keras function's body
instead of calling it, that function with the sha256 of its source
(``tests/bot/rasa_server/test_patches.py`` fails when it differs). The others wrap the
original (``functools.wraps``: ``__wrapped__`` is Rasa's function).

``install()`` replaces them, once per process, and is called by one place only: the start
of the Rasa process (``python -m bot rasa …``, ``bot.rasa_server.start``), before Rasa's
command line runs, so serving, training and story tests all get them. Importing a module of
this package installs nothing. It refuses a Rasa, rasa-sdk, TensorFlow or Keras version
other than the ones these replacements were written and checked against (``PINNED``, the
pins of requirements.txt).

Replaced for the whole process (switch ``EIG_SPEEDUP_…``, or always):

- ``RemoteAction._validate_action_result``, ``CallbackNaturalLanguageGenerator
  .validate_response``: reply validation with validators built once (``VALIDATORS``);
- ``EndpointConfig.session``: keep-alive HTTP sessions for the action and NLG calls
  (``KEEPALIVE``);
- ``MessageProcessor._parse_message_with_graph``: parses of short texts cached
  (``PARSE_CACHE``);
- ``RasaModel.load``: inference loading without a training step (``LIGHT_LOAD``);
- ``RasaModel._rasa_predict``: prediction traced without AutoGraph (``PLAIN_TRACE``);
- ``CallbackNaturalLanguageGenerator.generate``: always, to note failures for the turn
  guard;
- ``RasaDataGenerator._scipy_matrix_to_values``: training batches vectorised
  (``BATCHING``);
- ``KerasSequenceAdapter.__init__``, ``._handle_multiprocessing``,
  ``.should_recreate_iterator``, ``.on_epoch_end`` and ``DataHandler.enumerate_epochs``: one
  input pipeline per fit (``EPOCHS``);
- ``RasaModel.train_step``: training traced without AutoGraph (``TRAIN_TRACE``);
- ``RemoteAction.run``: always, failures noted for the turn guard;
- ``Agent._create_tracker_store``: always, the conversation store fails loudly.

Removed after the seventh round of ``bench/findings.md`` (the realistic load, on SQLite and
on PostgreSQL): the SQLite tracker store's pool, WAL mode and event cache
(``SQLITE_POOL``, ``SQLITE_WAL``, ``TRACKER_CACHE``), which paid on the single-machine
profile only, and ujson bodies, the cheaper (de)serialisation, the trimmed NLG events and
the cheaper replays (``FAST_JSON``, ``SERIALISATION``, ``NLG_EVENTS``, ``REPLAY``), whose
gain on the realistic load was within the measurement's noise.

Replaced only within a block, then restored: ``sre_compile.compile``, while spaCy compiles
its tokenizer patterns (``nlu.regex_cache.remembered``; ``EIG_REGEX_CACHE`` names its
directory).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import logging
import textwrap
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from bot.infra.settings import speedup_enabled

log = logging.getLogger(__name__)

# What the replacements were written and checked against: requirements.txt's pins.
PINNED = {"rasa": "3.6.21", "rasa-sdk": "3.6.2", "tensorflow": "2.12.0", "keras": "2.12.0"}

PROCESS = "process"  # replaced by install(), for the life of the process
BLOCK = "block"  # replaced inside its module's ``with`` block only, then restored


@dataclass(frozen=True)
class Copied:
    """A function whose body a replacement repeats, with the sha256 of its source
    (``source_sha256``): a new version of it must be read before the hash is updated."""

    source: str
    sha256: str


@dataclass(frozen=True)
class Patch:
    """One replaced attribute.

    ``replacement`` is the dotted name of a function taking the original (a plain function:
    a static or class method's ``__func__``) and returning what replaces it, or the
    original itself when its switches leave nothing to change. It is installed when any of
    ``switches`` is on (``EIG_SPEEDUP_<switch>``), always when there are none; ``tunes``
    are switches the replacement reads to leave out part of what it does.
    """

    target: str
    replacement: str
    why: str
    gain: str
    switches: tuple[str, ...] = ()
    tunes: tuple[str, ...] = ()
    copies: tuple[Copied, ...] = ()
    scope: str = PROCESS

    @property
    def copies_body(self) -> bool:
        """True when the replacement repeats (part of) a function's body instead of calling it."""
        return bool(self.copies)


_S = "bot.rasa_server.speedups"
_EPOCHS = "bot.rasa_server.nlu.epochs"
_MODEL = "rasa.utils.tensorflow.models.RasaModel"
_NLG = "rasa.core.nlg.callback.CallbackNaturalLanguageGenerator"
_ADAPTER = "keras.engine.data_adapter.KerasSequenceAdapter"
_EPOCHS_GAIN = (
    "change 19: time between epochs 6.0 → 0.15 s on a 20 + 10-epoch training; full "
    "training 242 → 212 s (with change 18; DIET 160 → 150 s, ResponseSelector 48 → 27 s); "
    "identical model files"
)

PATCHES: tuple[Patch, ...] = (
    Patch(
        "rasa.core.actions.action.RemoteAction._validate_action_result",
        f"{_S}.validate_action_result",
        "jsonschema.validate checked Rasa's schema and built a new validator for every "
        "action server reply, then tried all 23 event schemas of a oneOf for each event: "
        "validators built once, each event checked against its own type's schema; what "
        "they refuse goes to Rasa's function for its verdict and error",
        "change 1 (with the NLG check): 1 conversation p95 136 → 46 ms, 9.4 → 28.3 msg/s; "
        "10 conversations 9.5 → 31.9 msg/s. Change 14 (per-type check): a typical reply "
        "3.18 → 0.40 ms, a reply of 106 events 46.8 → 8.2 ms. Seventh round (realistic "
        "load, both checks): Rasa CPU per message ×0.23 / ×0.25 (1 / 10 conversations) on "
        "SQLite, ×0.35 / ×0.34 on PostgreSQL",
        switches=("VALIDATORS",),
    ),
    Patch(
        f"{_NLG}.validate_response",
        f"{_S}.validate_response",
        "the same for every NLG reply: a validator built once; what it refuses goes to "
        "Rasa's function",
        "part of change 1 (the NLG reply validation was 4 % of the request CPU before it); "
        "measured with the action reply check (VALIDATORS)",
        switches=("VALIDATORS",),
    ),
    Patch(
        "rasa.utils.endpoints.EndpointConfig.session",
        f"{_S}.keepalive_session",
        "EndpointConfig.request opened a new ClientSession, so a new TCP connection, for "
        "every action and NLG call: one keep-alive session per event loop and endpoint "
        "settings, left open after the call",
        "change 2: Rasa CPU per message 33.1 → 29.5 ms (1 conversation), 36.5 → 31.6 ms "
        "(10); 10 conversations 16.2 → 27.0 msg/s. Seventh round (realistic load): CPU per "
        "message of the three services 31.0 → 26.5 / 27.5 → 24.4 ms (1 / 10 conversations) "
        "on PostgreSQL, 29.7 → 26.8 / 25.8 → 22.9 ms on SQLite, most of it the action "
        "server's and the web service's accepts (action server ×0.68 / ×0.70 on PostgreSQL)",
        switches=("KEEPALIVE",),
        copies=(
            Copied(
                "rasa.utils.endpoints.EndpointConfig.session",
                "9025882f308877867dc21ab4a1b3e23898a8c6f2eb4fb198cfd3d8cce3c43fb2",
            ),
        ),
    ),
    Patch(
        "rasa.core.processor.MessageProcessor._parse_message_with_graph",
        f"{_S}.cached_parse",
        "our NLU output depends on the text alone and people repeat short texts: the last "
        "512 parses of texts up to 100 characters, per model, returned as copies",
        "change 4: Rasa CPU per message 40.7 → 26.1 ms (1 conversation), 41.8 → 27.4 ms "
        "(10), on a mix repeating ten texts. Seventh round (realistic load, 48–50 % hits "
        "once its pool was replayed): ×0.76 / ×0.78 (1 / 10 conversations) on SQLite, "
        "×0.91 / ×0.87 on PostgreSQL; each hit saves a parse, about 6 ms. The first pass "
        "through the pool hits 22–25 % (mostly buttons): about 1.4 ms of 12–15 ms, ×0.9",
        switches=("PARSE_CACHE",),
    ),
    Patch(
        f"{_MODEL}.load",
        f"{_S}.light_load",
        "loading for inference ran one training step (tracing the training graph with the "
        "optimiser) only to create the variables: the prediction graph creates them and the "
        "checkpoint restores them as it does, every one checked; fine-tuning keeps Rasa's",
        "change 9: loading DIET and the ResponseSelector 17.0 → 1.8 s; cold start 20.8 → "
        "14.9 s and Rasa peak RSS 1080 → 862 MiB (with changes 6–8 and 10); start-up, not "
        "re-measured in the seventh round",
        switches=("LIGHT_LOAD",),
        copies=(
            Copied(
                f"{_MODEL}.load",
                "886faa618137843ff77391c92d70a6c32db1d5abb0478e1b826ea85a7860fa9c",
            ),
        ),
    ),
    Patch(
        f"{_MODEL}._rasa_predict",
        f"{_S}.plain_predict_trace",
        "AutoGraph rewrote predict_step's source at the first prediction, though it "
        "branches on Python values only: traced with autograph=False (the same graph; "
        "tests/e2e/test_model_loading.py compares every held-out parse)",
        "change 17: DIET's first prediction trace 8.8 → 6.3 s; Rasa launch → healthy "
        "19.4 → 11.1 s with change 16; start-up, not re-measured in the seventh round",
        switches=("PLAIN_TRACE",),
        copies=(
            Copied(
                f"{_MODEL}._rasa_predict",
                "2e4beee05c43a22a52a5cd9c7ee919d0a18ec046ef426a8a6dd9a50432a52308",
            ),
        ),
    ),
    Patch(
        f"{_NLG}.generate",
        "bot.rasa_server.patches.nlg_generate",
        "always: a failed NLG call is noted for the turn guard, which apologises; a call "
        "is given up after EIG_NLG_TIMEOUT instead of Rasa's 5 minutes",
        "no gain: an answer instead of silence, within the turn's deadline",
    ),
    Patch(
        "rasa.utils.tensorflow.data_generator.RasaDataGenerator._scipy_matrix_to_values",
        "bot.rasa_server.nlu.batching.vectorised",
        "three NumPy calls per example for each training batch's sparse features: the same "
        "arrays from one concatenation per field",
        "change 18: a batch of 200 sentences 5.9 → 0.7 ms; full training 294 → 242 s "
        "(DIET 209 → 160 s); identical model files",
        switches=("BATCHING",),
        copies=(
            Copied(
                "rasa.utils.tensorflow.data_generator.RasaDataGenerator._scipy_matrix_to_values",
                "3db4f930b2823704c5c6c7766c09704016e4a97f878cb4b6e7448f2b74e25653",
            ),
        ),
    ),
    Patch(
        f"{_ADAPTER}.__init__",
        f"{_EPOCHS}.adapter_init",
        "Keras rebuilt the tf.data pipeline at each of 210 epochs: notes which fits can keep one",
        _EPOCHS_GAIN,
        switches=("EPOCHS",),
    ),
    Patch(
        f"{_ADAPTER}._handle_multiprocessing",
        f"{_EPOCHS}.handle_multiprocessing",
        "one generator through every epoch, calling the Sequence's on_epoch_end between",
        _EPOCHS_GAIN,
        switches=("EPOCHS",),
        copies=(
            Copied(
                f"{_ADAPTER}._handle_multiprocessing",
                "013dbd8b61db308a36a49f33c15a64a47ab70da2ade6aa8823256aed5ee596f5",
            ),
        ),
    ),
    Patch(
        f"{_ADAPTER}.should_recreate_iterator",
        f"{_EPOCHS}.should_recreate_iterator",
        "the one iterator is kept",
        _EPOCHS_GAIN,
        switches=("EPOCHS",),
    ),
    Patch(
        f"{_ADAPTER}.on_epoch_end",
        f"{_EPOCHS}.on_epoch_end",
        "the generator calls the Sequence's on_epoch_end itself",
        _EPOCHS_GAIN,
        switches=("EPOCHS",),
    ),
    Patch(
        "keras.engine.data_adapter.DataHandler.enumerate_epochs",
        f"{_EPOCHS}.enumerate_epochs",
        "each epoch's number of batches taken from the generator as it starts the epoch",
        _EPOCHS_GAIN,
        switches=("EPOCHS",),
        copies=(
            Copied(
                "keras.engine.data_adapter.DataHandler.enumerate_epochs",
                "ed4a2f5935329459734e68adcb87918dface3c8a1a36f679288e11cf988ff367",
            ),
        ),
    ),
    Patch(
        f"{_MODEL}.train_step",
        "bot.rasa_server.nlu.train_trace.unconverted",
        "AutoGraph rewrote the source of everything the training step calls, though it "
        "branches on Python values only: marked do_not_convert (identical model files)",
        "change 20: tracing DIET's and the ResponseSelector's first training step 13.2 and "
        "11.3 s → 8.0 and 8.0 s",
        switches=("TRAIN_TRACE",),
    ),
    Patch(
        "rasa.core.actions.action.RemoteAction.run",
        "bot.rasa_server.turn_guard.remote_action_run",
        "always: Rasa logs a failed action server call and goes on without its events, so "
        "the user got silence; the failure is noted for the turn guard, which apologises; a "
        "call is given up after EIG_ACTION_TIMEOUT instead of Rasa's 5 minutes",
        "no gain: an answer instead of silence, within the turn's deadline",
    ),
    Patch(
        "rasa.core.agent.Agent._create_tracker_store",
        "bot.rasa_server.tracker_store.failing_loudly",
        "always: Rasa's FailSafeTrackerStore started a new conversation when the database "
        "could not be read and kept events in one process's memory when it could not be "
        "written, forking conversations across instances; its errors now fail the turn, "
        "which the turn guard answers with an apology",
        "no gain: no forked or lost conversation",
    ),
    Patch(
        "sre_compile.compile",
        "bot.rasa_server.nlu.regex_cache.remembered",
        "compiling spaCy's 1.4 MB French tokenizer pattern took seconds at every start: "
        "patterns of 100 000 characters or more compiled once per machine, their code kept "
        "in EIG_REGEX_CACHE; only while spaCy builds a pipeline",
        "change 16: 4.8 → 0.01 s for that pattern; French pipeline build 6.9 → 2.7 s",
        scope=BLOCK,
    ),
)

_lock = threading.Lock()
_done = False
_originals: dict[str, Any] = {}  # target → the attribute it replaced, as it was found


def switched_on(patch: Patch, enabled: Callable[[str], bool] = speedup_enabled) -> bool:
    """Whether ``install`` replaces ``patch.target`` with these switches."""
    return not patch.switches or any(enabled(switch) for switch in patch.switches)


def install() -> tuple[str, ...]:
    """Replaces every ``PROCESS`` target of ``PATCHES`` its switches leave on, once per
    process (later calls change nothing); returns the targets replaced.

    Raises RuntimeError, before replacing anything, on a version other than ``PINNED``.
    """
    global _done
    with _lock:
        if not _done:
            check_versions()
            for patch in PATCHES:
                if patch.scope == PROCESS and switched_on(patch):
                    owner, name = resolve(patch.target)
                    found = _own_attribute(owner, name)
                    replacement = _made(patch, found)
                    if replacement is not found:
                        setattr(owner, name, replacement)
                        _originals[patch.target] = found
            _done = True
            log.debug("Installed: %s", ", ".join(_originals))
        return tuple(_originals)


def installed() -> tuple[str, ...]:
    """The targets ``install`` replaced in this process (none before it ran)."""
    return tuple(_originals)


def summary() -> str:
    """One line: what ``install`` replaced, and what it left to Rasa."""
    done = installed()
    left = [p.target for p in PATCHES if p.scope == PROCESS and p.target not in done]
    short = ", ".join(".".join(t.split(".")[-2:]) for t in done) or "none"
    line = f"Run-time changes to Rasa (bot.rasa_server.patches): {len(done)} installed: {short}"
    if left:
        line += "; switched off: " + ", ".join(".".join(t.split(".")[-2:]) for t in left)
    return line


def original(target: str) -> Any:
    """``target``'s original function (a static or class method's ``__func__``), whether
    or not it is replaced now."""
    return _plain(_original_found(target))


def build(target: str) -> Any:
    """What ``install`` would set ``target`` to, made from the original (tests)."""
    patch = next(p for p in PATCHES if p.target == target)
    return _made(patch, _original_found(target))


def resolve(dotted: str) -> tuple[Any, str]:
    """The object holding ``dotted``'s last part (a module or a class), and that name;
    the longest importable prefix is the module."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            owner: Any = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        for part in parts[cut:-1]:
            owner = getattr(owner, part)
        return owner, parts[-1]
    raise ValueError(f"{dotted}: no importable module in it")


def source_sha256(function: Any) -> str:
    """The sha256 of a function's source, dedented, without trailing spaces or blank lines."""
    import hashlib

    text = textwrap.dedent(inspect.getsource(function))
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def installed_versions() -> dict[str, Optional[str]]:
    versions: dict[str, Optional[str]] = {}
    for name in PINNED:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def check_versions(found: Optional[Mapping[str, Optional[str]]] = None) -> None:
    """Raises RuntimeError naming the versions when ``found`` (the installed distributions
    by default) differs from ``PINNED``."""
    versions = installed_versions() if found is None else found
    wrong = [
        f"{name} {versions.get(name) or 'not installed'}"
        for name, pinned in PINNED.items()
        if versions.get(name) != pinned
    ]
    if wrong:
        expected = ", ".join(f"{name} {pinned}" for name, pinned in PINNED.items())
        raise RuntimeError(
            f"bot.rasa_server.patches was written for {expected}; found {', '.join(wrong)}. "
            "Nothing was patched. Check each replacement of its table against the new "
            "version (tests/bot/rasa_server/test_patches.py hashes the sources they copy) "
            "before changing PINNED and requirements.txt."
        )


def nlg_generate(original: Callable[..., Any]) -> Callable[..., Any]:
    """``CallbackNaturalLanguageGenerator.generate``, given up after ``EIG_NLG_TIMEOUT``, its
    failures noted for the turn guard."""
    from bot.rasa_server import turn_guard

    return turn_guard.nlg_generate(original)


def _own_attribute(owner: Any, name: str) -> Any:
    """``owner``'s attribute as stored (static and class methods unbound); a class must
    define it itself, so that a change of Rasa's class hierarchy is not patched blind."""
    if isinstance(owner, type):
        if name not in vars(owner):
            raise RuntimeError(f"{owner.__module__}.{owner.__qualname__} has no {name} of its own")
        return vars(owner)[name]
    return getattr(owner, name)


_ORIGINAL = "_eig_original"  # on a replacement: the original it was made from


def _plain(found: Any) -> Any:
    return found.__func__ if isinstance(found, (staticmethod, classmethod)) else found


def _same_kind(found: Any, plain: Any) -> Any:
    return type(found)(plain) if isinstance(found, (staticmethod, classmethod)) else plain


def _original_found(target: str) -> Any:
    """The original attribute as stored, also where a replacement is in place."""
    if target in _originals:
        return _originals[target]
    found = _own_attribute(*resolve(target))
    replaced = getattr(_plain(found), _ORIGINAL, None)  # one a test set, say
    return found if replaced is None else _same_kind(found, replaced)


def _made(patch: Patch, found: Any) -> Any:
    owner, name = resolve(patch.replacement)
    make = getattr(owner, name)
    plain = _plain(found)
    made = make(plain)
    if made is plain:
        return found
    setattr(made, _ORIGINAL, plain)
    return _same_kind(found, made)
