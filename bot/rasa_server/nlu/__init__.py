"""Custom Rasa NLU components, referenced by dotted path in config.yml, one per module.

The keys they put on a message live in ``bot.domain.nlu_keys``.
"""
