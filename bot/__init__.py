"""The EIG assistant: facts, wording, rendering and NLU components shared by Rasa and
the action server."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
