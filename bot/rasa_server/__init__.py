"""What runs inside the Rasa server process: channels, stores, NLU components, run-time changes.

What lives here: the REST and socket.io input channels (rate limits, language metadata,
the turn guard that answers bad input before the policies), the tracker store for
PostgreSQL and the Redis lock store named in ``endpoints*.yml``, the NLU components named
in ``config.yml`` (``nlu/``), and the run-time changes to Rasa's internals with their
helpers, installed by one explicit call at start-up.

May import: Rasa, Sanic, TensorFlow, ``bot.domain``, ``bot.wording`` and ``bot.infra``.
Never ``bot.web``, ``bot.applications`` (the action server stores) or ``bot.ops``.
"""
