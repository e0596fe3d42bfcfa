"""The EIG assistant, packaged by concern (docs/architecture.md).

``domain`` (rules and facts), ``wording`` (what it says), ``applications`` (the
applications database), ``infra`` (settings, logs, limits), ``rasa_server`` (what runs in
the Rasa process), ``web`` (the aiohttp web service), ``ops`` (the command line). The
action server's actions live in the top-level ``actions`` package, which ``bot`` never
imports.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project's root: data/, locales/, models/, var/ and the YAML files are read from it."""
