"""Custom Rasa NLU components, referenced by dotted path in config.yml."""

LANGUAGE_KEY = "text_language"
DETECTION_KEY = "language_detection"
PROBLEM_KEY = "input_problem"
