"""A dialogue policy: when a message slot says what the message is, run one action.

Some questions are recognised from the message's text and the conversation rather than by
the intent classifier: "donc je peux postuler dès aujourd'hui ?" right after a webinar
follow-up asks where the call stands today, whatever intent the classifier picks (it has
read it as a goodbye, a greeting, a thank-you, out of scope or a wish to apply, depending
on the training run). ``action_read_message`` sets a slot for it before the policies run
(``actions/message_slots.py``); a rule needs one intent per rule, so one rule per possible
reading would still miss the next one. This policy reads the slot instead: right after a
user message, outside a form, with the slot true, it predicts the action with certainty
and a priority above the rules'. Otherwise it predicts nothing.

Configured in ``config.yml`` with ``slot`` and ``action`` (and ``listen_after`` when the
action answers the message by itself, so that the assistant then waits for the next
message); it learns nothing.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

# Above RulePolicy (6): a rule that matches the classifier's reading must not win the tie.
PRIORITY = 7


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class MessageSlotPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY, "slot": None, "action": None, "listen_after": False}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        slot, action = config.get("slot"), config.get("action")
        if not isinstance(slot, str) or not isinstance(action, str):
            raise ValueError("MessageSlotPolicy needs a `slot` and an `action` in config.yml")
        self.slot, self.action = slot, action
        # The action answers the message by itself: then listen, as a rule would, instead of
        # leaving the next prediction to rules written for the classifier's reading.
        self.listen_after = bool(config.get("listen_after"))

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource

    def applies(self, tracker: DialogueStateTracker) -> bool:
        """Right after a user message, outside a form, with the slot set to true."""
        return (
            tracker.latest_action_name == ACTION_LISTEN_NAME
            and tracker.latest_message is not None
            and bool(tracker.latest_message.text or tracker.latest_message.intent)
            and not tracker.active_loop_name
            and tracker.get_slot(self.slot) is True
        )

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if self.applies(tracker) and self.action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(self.action)] = 1.0
        elif self.listens_now(tracker):
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)

    def listens_now(self, tracker: DialogueStateTracker) -> bool:
        """With ``listen_after``: right after its action ran for the slot, outside a form."""
        return (
            self.listen_after
            and tracker.latest_action_name == self.action
            and not tracker.active_loop_name
            and tracker.get_slot(self.slot) is True
        )
