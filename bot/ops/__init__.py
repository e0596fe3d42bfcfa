"""Operating the assistant from the command line: start, cluster, reports, checks.

What lives here: starting the three services on one machine and the cluster profile
(PostgreSQL, Redis, nginx, several Rasa instances; the nginx configuration), the action
server launcher, the terminal chat, the held-out NLU evaluation, the data validation run
by ``make validate``, and the report of unanswered questions.

May import: everything in ``bot`` and Rasa. Nothing imports it but ``bot.__main__``.
"""
