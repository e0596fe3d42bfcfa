"""Behaviour every guided form shares: rejecting an answer with an explanation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction


class GuidedFormValidation(FormValidationAction, ABC):
    """Abstract: Rasa SDK does not register it, only its concrete forms."""

    @abstractmethod
    def name(self) -> str: ...

    @staticmethod
    def reject(dispatcher: CollectingDispatcher, slot: str, **arguments: Any) -> dict[str, Any]:
        """Clear the slot and say why, with the ``utter_invalid_<slot>`` response."""
        dispatcher.utter_message(response=f"utter_invalid_{slot}", **arguments)
        return {slot: None}
