"""Rasa SDK actions. Thin: they read from ``bot`` and reply with response names."""
