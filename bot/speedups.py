"""Faster validation of the action server's and the NLG endpoint's replies in Rasa.

Rasa checks every reply of the action server (``RemoteAction._validate_action_result``)
and of the NLG endpoint (``CallbackNaturalLanguageGenerator.validate_response``) with
``jsonschema.validate``, which checks the schema itself and builds a new validator on
every call. Profiled under load, that was about half of the Rasa server's CPU per message
(docs/benchmarks.md). ``install`` keeps the same validation, the same schemas and the same
errors, with each validator built once. Installed when Rasa loads our REST channel;
``EIG_SPEEDUPS=0`` turns it off (for before/after measurements).
"""

from __future__ import annotations

import os
from typing import Any, Optional

from jsonschema import ValidationError
from jsonschema.validators import validator_for

_installed = False


def _compiled(schema: dict[str, Any]) -> Any:
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def install() -> None:
    global _installed
    if _installed or os.environ.get("EIG_SPEEDUPS", "1") == "0":
        return
    from rasa.core.actions import action
    from rasa.core.nlg import callback
    from rasa.shared.constants import DOCS_BASE_URL
    from rasa.shared.exceptions import RasaException

    action_validator = _compiled(action.RemoteAction.action_response_format_spec())
    nlg_validator = _compiled(callback.nlg_response_format_spec())

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        try:
            action_validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, make sure your "
                "response from the Action endpoint is valid. For more information about "
                f"the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise e

    def validate_response(content: Optional[dict[str, Any]]) -> bool:
        if content is None or content == "":
            return True
        try:
            nlg_validator.validate(content)
            return True
        except ValidationError as e:
            raise RasaException(
                f"{e.message}. Failed to validate NLG response from API, make sure your "
                "response from the NLG endpoint is valid."
            ) from e

    action.RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    callback.CallbackNaturalLanguageGenerator.validate_response = staticmethod(  # type: ignore[method-assign]
        validate_response
    )
    _installed = True
