"""Custom Rasa NLU components, referenced by dotted path in config.yml."""

LANGUAGE_KEY = "text_language"
DETECTION_KEY = "language_detection"
PROBLEM_KEY = "input_problem"
# Longer messages are cut here (bot.nlu.guard); kept apart from the components so that the
# action server can read it without importing Rasa's NLU and TensorFlow.
MAX_CHARS = 1000
