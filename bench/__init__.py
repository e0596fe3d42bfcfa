"""`make bench`: speed and understanding of the EIG assistant against a stock Rasa bot.

Run with ``python -m bench`` (``--quick`` for a smoke run); writes ``docs/benchmarks.md``,
its plots and the raw figures (``docs/benchmarks/results.json``).
"""
