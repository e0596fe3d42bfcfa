"""``rasa data validate``, failing on every warning except the few this design expects.

Responses that only actions dispatch, and an intent that only buttons send, are unknown
to Rasa's story checks by construction; each expected warning is listed with its reason,
so any other warning fails the build.
"""

from __future__ import annotations

import re
import sys
import warnings

from bot import ROOT

DATA_PATHS = [str(ROOT / "data" / part) for part in ("nlu", "rules")]

# Each by name: a new response that nothing uses must fail validation, not slip through
# a pattern.
ASKED_BY_A_FORM = (  # utter_ask_<slot>
    "structure_type", "has_data_project", "has_sponsor", "fits_duration", "data_access",
    "target_profile", "years_experience",
    "entrepreneurial_experience", "entrepreneurial_description", "led_teams",
    "project_interest", "consent", "first_name", "email", "cancel_confirmed",
    "correction_field", "notify_consent", "deletion_reference", "deletion_email",
)  # fmt: skip
INVALID_ANSWERS = (  # utter_invalid_<slot>, from actions.forms.GuidedFormValidation.reject
    "structure_type", "has_data_project", "has_sponsor", "fits_duration", "data_access",
    "target_profile", "years_experience",
    "entrepreneurial_experience", "entrepreneurial_description", "led_teams",
    "project_interest", "consent", "first_name", "email", "summary_confirmed",
    "cancel_confirmed", "correction_field", "notify_consent", "deletion_reference",
    "deletion_email",
)  # fmt: skip
DISPATCHED_BY_ACTIONS = (
    # actions.fallback and bot.rasa_server.channels (the apology)
    "did_you_mean", "default", "error",
    "bad_input_empty", "bad_input_markup", "bad_input_no_letters", "bad_input_too_long",
    # actions.hosts, actions.webinars
    "host_check_result", "host_check_stuck", "webinar_followup", "webinar_not_yet",
    "webinar_unknown", "webinar_followup_typed", "webinar_thanks",
    # actions.preapplication (and actions.forms: an answer to a later question, kept)
    "form_stuck", "form_dont_know", "answer_corrected", "answer_noted", "email_noted_until_consent",
    "offer_notification", "follow_call", "pre_application_cancelled",
    "pre_application_go_ahead", "pre_application_intro", "pre_application_result",
    "pre_application_resumed",
    "pre_application_storage_error", "pre_application_summary",
    # actions.notifications, actions.deletion
    "notification_already", "notification_cancel_link", "notification_declined",
    "notification_saved", "mail_unavailable", "cancellation_unavailable", "storage_error",
    "data_deleted", "data_not_found",
    # actions.courtesy
    "goodbye",
    # actions.topics (the offer after the deadline's answer)
    "ask_notification",
)  # fmt: skip
BUTTON_ONLY_INTENTS = ("choose_topic", "host_check", "i_am_candidate", "inform")


def _one_of(names: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(name) for name in names) + ")"


EXPECTED = {
    # Raised unconditionally by Rasa 3.x, which filters it itself (rasa.utils.common).
    r"Slot auto-fill has been removed in 3\.0": "unconditional Rasa notice",
    # Rasa merges retrieval intents found in the NLU data into the domain, which must also
    # list them for rules to use them: the docs' own layout raises this for `faq`.
    r"The following duplicated intents have been found across multiple domain files: faq$": (
        "retrieval intent listed in the domain, as Rasa's docs require"
    ),
    # Asked by the forms themselves.
    rf"^The utterance 'utter_ask_{_one_of(ASKED_BY_A_FORM)}' is not used in any story or "
    r"rule\.": "asked by a form",
    # Said when an answer is not valid.
    rf"^The utterance 'utter_invalid_{_one_of(INVALID_ANSWERS)}' is not used in any story "
    r"or rule\.": "dispatched by a form's validation action",
    # Dispatched by the actions and the channels' apology.
    rf"^The utterance 'utter_{_one_of(DISPATCHED_BY_ACTIONS)}' is not used in any story or "
    r"rule\.": "dispatched by an action",
    # Answers a form question with a button; the form's slot mapping consumes it.
    r"^The intent 'inform' is not used in any story or rule\.": "form answer",
    # Sent only by buttons (/choose_topic{"faq_topic": …}), never typed.
    rf"^The intent '{_one_of(BUTTON_ONLY_INTENTS)}' is listed in the domain file, but is not "
    r"found in the NLU training data\.": "button-only intent",
}


def unexpected(messages: list[str]) -> list[str]:
    return [m for m in messages if not any(re.search(p, m) for p in EXPECTED)]


def main() -> int:
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_config(
        config_path=str(ROOT / "config.yml"),
        domain_path=str(ROOT / "domain.yml"),
        training_data_paths=DATA_PATHS,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator = Validator.from_importer(importer)
        ok = all(
            [
                validator.verify_domain_validity(),
                validator.verify_nlu(ignore_warnings=True),
                validator.verify_intents_in_stories(ignore_warnings=True),
                validator.verify_example_repetition_in_intents(ignore_warnings=True),
                validator.verify_utterances_in_stories(ignore_warnings=True),
                validator.verify_story_structure(ignore_warnings=True),
                validator.verify_slot_mappings(),
                validator.verify_forms_in_stories_rules(),
                validator.verify_actions_in_stories_rules(),
            ]
        )
    messages = sorted({str(w.message) for w in caught if issubclass(w.category, UserWarning)})
    bad = unexpected(messages)
    for message in messages:
        print(("✗ " if message in bad else "· expected: ") + message.splitlines()[0])
    if bad:
        print(f"{len(bad)} unexpected validation warning(s).", file=sys.stderr)
        return 1
    if not ok:
        print("data validation: failed", file=sys.stderr)
        return 1
    print("data validation: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
