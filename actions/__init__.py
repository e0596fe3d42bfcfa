"""Rasa SDK actions. Thin: they read from ``bot`` and reply with response names.

One module per conversation feature. An action module imports no other action module
but ``actions.common`` (the applications database, today, the conversation's language,
the yes/no and e-mail readers, the previous answer's topic) and ``actions.forms`` (the
form base class, which uses ``actions.common`` too); import-linter checks it (``make lint``).
"""
