from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import ROOT
from bot.rasa_server.slot_policy import MessageSlotPolicy

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
SLOT, ACTION = "asks_if_open_today", "action_call_today"


def policy(tmp_path: Path, **config) -> MessageSlotPolicy:
    return MessageSlotPolicy(
        {**MessageSlotPolicy.get_default_config(), "slot": SLOT, "action": ACTION, **config},
        LocalModelStorage(tmp_path),
        Resource("slot_policy"),
        ExecutionContext(GraphSchema({})),
    )


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events), slots=DOMAIN.slots)


def said(intent: str) -> list:
    return [
        ActionExecuted("action_listen"),
        UserUttered("donc je peux postuler dès aujourd'hui ?", {"name": intent, "confidence": 0.9}),
    ]


def predicted(p: MessageSlotPolicy, t: DialogueStateTracker) -> str | None:
    prediction = p.predict_action_probabilities(t, DOMAIN)
    if prediction.max_confidence == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]


@pytest.mark.parametrize("intent", ["greet", "goodbye", "faq", "pre_apply", "nlu_fallback"])
def test_the_slot_after_a_message_runs_the_action_whatever_the_intent(tmp_path, intent):
    assert predicted(policy(tmp_path), tracker(*said(intent), SlotSet(SLOT, True))) == ACTION


def test_nothing_without_the_slot(tmp_path):
    assert predicted(policy(tmp_path), tracker(*said("greet"))) is None
    assert predicted(policy(tmp_path), tracker(*said("greet"), SlotSet(SLOT, None))) is None


def test_nothing_once_an_action_ran_after_the_message(tmp_path):
    t = tracker(*said("greet"), SlotSet(SLOT, True), ActionExecuted(ACTION))
    assert predicted(policy(tmp_path), t) is None


def test_with_listen_after_it_listens_once_its_action_ran(tmp_path):
    t = tracker(*said("greet"), SlotSet(SLOT, True), ActionExecuted(ACTION))
    assert predicted(policy(tmp_path, listen_after=True), t) == "action_listen"
    # not before its action, not after another one, not without the slot
    assert (
        predicted(policy(tmp_path, listen_after=True), tracker(*said("greet"), SlotSet(SLOT, True)))
        == ACTION
    )
    other = tracker(*said("greet"), SlotSet(SLOT, True), ActionExecuted("utter_greet"))
    assert predicted(policy(tmp_path, listen_after=True), other) is None
    alone = tracker(*said("greet"), ActionExecuted(ACTION))
    assert predicted(policy(tmp_path, listen_after=True), alone) is None


def test_nothing_inside_a_form(tmp_path):
    t = tracker(ActiveLoop("notify_form"), *said("greet"), SlotSet(SLOT, True))
    assert predicted(policy(tmp_path), t) is None


def test_it_wins_over_a_rule_for_the_intent_it_was_read_as(tmp_path):
    t = tracker(*said("greet"), SlotSet(SLOT, True))
    ours = policy(tmp_path).predict_action_probabilities(t, DOMAIN)
    rule_probabilities = [0.0] * DOMAIN.num_actions
    rule_probabilities[DOMAIN.index_for_action("utter_greet")] = 1.0
    rules = RulePolicy(
        RulePolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("rules"),
        ExecutionContext(GraphSchema({})),
    )._prediction(rule_probabilities)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([rules, ours])
    assert best.policy_name == "MessageSlotPolicy"


def test_a_missing_slot_or_action_in_the_configuration_is_refused(tmp_path):
    with pytest.raises(ValueError, match="slot"):
        policy(tmp_path, action=None)


def test_every_entry_of_config_yml_names_a_slot_and_an_action_of_the_domain():
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    entries = [p for p in config["policies"] if p["name"].endswith("MessageSlotPolicy")]
    assert {e["slot"] for e in entries} >= {
        "asks_if_open_today",
        "answers_as_candidate",
        "answers_as_administration",
        "asks_pre_application",
        "greets_by_name",
    }
    for entry in entries:
        assert entry["slot"] in {s.name for s in DOMAIN.slots}
        assert entry["action"] in DOMAIN.action_names_or_texts
