"""``python -m bot rasa <arguments>``: Rasa's own command line, with our run-time changes.

Every Rasa process of this project starts here: the Rasa server (``bot.ops.services``,
``bot.ops.cluster``, docker-compose.yml, deploy/k8s/), training (``make train``), the story
tests (``make story-test``) and the benchmark's cross-validation. ``main`` installs the
changes of ``bot.rasa_server.patches`` first, then runs ``rasa.__main__.main`` with the
arguments the ``rasa`` command would get, so ``python -m bot rasa run …`` is ``rasa run …``
with them. Once Rasa has set up its logging, one INFO line lists what was installed.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

import pluggy

from bot.infra import files, noise, settings
from bot.rasa_server import patches

log = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa")


class Announcement:
    """A Rasa plugin whose ``configure_commandline`` hook (called once Rasa's logging is set
    up, before the command runs) logs ``patches.summary()``."""

    @hookimpl  # type: ignore[misc]
    def configure_commandline(self, cmdline_arguments: Any) -> Optional[str]:
        # Rasa's set-up just put its own "once" filter for every UserWarning first, which
        # pyparsing's deprecations (UserWarning and DeprecationWarning) would match.
        noise.silence_library_warnings()
        log.info(patches.summary())
        return None  # no endpoints file of ours: Rasa's choice stands


def main(argv: Sequence[str]) -> int:
    """``rasa <argv>`` with ``patches.install()`` done first; Rasa's exit status on failure."""
    import sanic.app  # noqa: F401  (its import adds a "once" filter for DeprecationWarning)

    noise.silence_library_warnings()  # after Sanic's filter, before Rasa imports the rest
    if list(argv[:1]) == ["run"] and settings.TRACKER_DIALECT.get() == "sqlite":
        files.private_file(Path(settings.TRACKER_DB.get()))  # conversations: owner only
    patches.install()
    from rasa.__main__ import main as rasa_main
    from rasa.plugin import plugin_manager

    manager = plugin_manager()
    if not any(isinstance(plugin, Announcement) for plugin in manager.get_plugins()):
        manager.register(Announcement())
    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0
