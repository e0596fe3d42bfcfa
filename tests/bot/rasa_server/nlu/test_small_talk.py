from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.nlu_keys import PROBLEM_KEY
from bot.rasa_server.nlu.small_talk import SmallTalk


def parsed(text: str, intent: str, confidence: float = 0.4, **more) -> Message:
    first = {"name": intent, "confidence": confidence}
    return Message(data={TEXT: text, INTENT: first, INTENT_RANKING_KEY: [first], **more})


def test_courtesies_read_as_something_else_become_what_they_are():
    bye = parsed("super merci, bonne soirée", "nlu_fallback")
    thanks = parsed("k thx bye", "thank", 0.95)
    SmallTalk().process([bye, thanks])
    assert bye.get(INTENT) == {"name": "goodbye", "confidence": 1.0}
    assert [i["name"] for i in bye.get(INTENT_RANKING_KEY)] == ["goodbye", "nlu_fallback"]
    assert thanks.get(INTENT)["name"] == "goodbye"
    assert "intent" in bye.as_dict(only_output_properties=True)


def test_questions_yes_and_no_flagged_input_and_training_data_are_left_alone():
    messages = [
        parsed("merci, et le salaire ?", "faq", 0.99),
        parsed("ok merci", "affirm", 0.9),  # may answer a form's yes/no question
        parsed("merci <script>", "thank", 0.9, **{PROBLEM_KEY: "markup"}),
        parsed("/greet", "greet", 1.0),
    ]
    before = [m.get(INTENT) for m in messages]
    SmallTalk().process(messages)
    assert [m.get(INTENT) for m in messages] == before
    data = TrainingData([Message(data={TEXT: "merci bcp", INTENT: "thank"})])
    assert SmallTalk().process_training_data(data) is data
