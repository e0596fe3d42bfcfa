"""The keys the NLU pipeline puts on a parsed message, read by actions and reports.

Kept apart from the NLU components (``bot.rasa_server.nlu``) so that the action server and
the reports read them without importing Rasa's NLU and TensorFlow.
"""

LANGUAGE_KEY = "text_language"
DETECTION_KEY = "language_detection"
PROBLEM_KEY = "input_problem"
MAX_CHARS = 1000
"""Longer messages are cut here (``bot.rasa_server.nlu.guard``)."""
CLAUSES_KEY = "question_clauses"
"""Each question of a message that asks several: its text, intent and FAQ topic."""
DETAIL_ENTITY = "question_detail"
"""An entity on a message whose answer needs its case, the previous answer or its clauses."""
