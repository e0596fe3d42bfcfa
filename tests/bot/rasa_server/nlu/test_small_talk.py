from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.nlu_keys import PROBLEM_KEY
from bot.rasa_server.nlu.small_talk import SmallTalk


def parsed(text: str, intent: str, confidence: float = 0.4, **more) -> Message:
    first = {"name": intent, "confidence": confidence}
    return Message(data={TEXT: text, INTENT: first, INTENT_RANKING_KEY: [first], **more})


def ranked(text: str, *ranking: tuple[str, float], **more) -> Message:
    """A message the classifiers read as the first of ``ranking``, the others after it."""
    items = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={TEXT: text, INTENT: items[0], INTENT_RANKING_KEY: items, **more})


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


def test_a_message_that_opens_with_a_stop_is_a_stop_whatever_follows():
    unsure = parsed("stop, je dois d'abord voir avec mon chef", "nlu_fallback")
    doubtful = parsed("let's stop here, I need to talk to my manager first", "stop", 0.67)
    SmallTalk().process([unsure, doubtful])
    assert unsure.get(INTENT) == {"name": "stop", "confidence": 1.0}
    assert doubtful.get(INTENT) == {"name": "stop", "confidence": 1.0}


def test_a_stop_of_something_else_or_in_a_question_is_left_alone():
    messages = [
        parsed("stop sending me emails", "delete_my_data", 0.8),
        parsed("arrête de m'écrire", "delete_my_data", 0.8),
        parsed("can I stop the contract early?", "faq", 0.9),
        parsed("pas de stop", "deny", 0.6),
    ]
    before = [m.get(INTENT) for m in messages]
    SmallTalk().process(messages)
    assert [m.get(INTENT) for m in messages] == before


def test_someone_back_from_a_webinar_gets_the_follow_up_not_the_webinars_list():
    back = parsed("j'ai assisté au webinaire hier soir, c'est quoi la suite ?", "faq", 1.0)
    helped = parsed("I watched the information session this morning. What now?", "help", 0.84)
    next_one = parsed("c'est quand le prochain webinaire ?", "faq", 1.0)
    notify = parsed("I attended the webinar, email me when it opens", "notify_me", 0.9)
    SmallTalk().process([back, helped, next_one, notify])
    assert back.get(INTENT)["name"] == "webinar_followup"
    assert helped.get(INTENT)["name"] == "webinar_followup"
    assert next_one.get(INTENT)["name"] == "faq"
    assert notify.get(INTENT)["name"] == "notify_me"


def test_a_wish_to_have_ones_data_erased_is_a_deletion_request():
    faq = parsed("mon dossier porte la référence EIG-7K3M, vous pouvez effacer mes données ?",
                 "faq", 0.96)  # fmt: skip
    texting = parsed("pls erase my stuff", "out_of_scope", 0.99)
    retention = parsed("how long do you keep my data?", "faq", 0.9)
    SmallTalk().process([faq, texting, retention])
    assert faq.get(INTENT)["name"] == "delete_my_data"
    assert texting.get(INTENT)["name"] == "delete_my_data"
    assert retention.get(INTENT)["name"] == "faq"


def test_a_request_about_the_webinar_attended_stays_a_question_about_webinars():
    request = parsed(
        "Dear team, I attended the webinar yesterday and would like to receive the recording.",
        "faq", 0.9,
    )  # fmt: skip
    SmallTalk().process([request])
    assert request.get(INTENT)["name"] == "faq"


def test_a_webinar_follow_up_the_classifier_guessed_for_a_webinar_question_is_undone():
    guessed = ranked(
        "Having attended ur webinar, when is the next one?",
        ("webinar_followup", 0.47),
        ("faq", 0.41),
    )
    SmallTalk().process([guessed])
    assert guessed.get(INTENT) == {"name": "faq", "confidence": 0.41}


def test_a_webinar_question_guessed_as_a_follow_up_is_its_clear_topic_whatever_comes_next():
    guessed = ranked(
        "Il y a des sessions d'information prévues pour les futurs candidats ?",
        ("webinar_followup", 0.9),
        ("i_am_candidate", 0.05),
        response_selector={
            "faq": {"response": {"intent_response_key": "faq/webinars", "confidence": 0.8}}
        },
    )
    SmallTalk().process([guessed])
    assert guessed.get(INTENT) == {"name": "faq", "confidence": 0.8}


def test_asking_whether_the_assistant_is_a_person_is_a_bot_challenge_whatever_was_read():
    btw = parsed("are you a real person btw?", "i_am_administration", 0.98)
    SmallTalk().process([btw])
    assert btw.get(INTENT) == {"name": "bot_challenge", "confidence": 1.0}


def test_asking_for_an_address_is_the_contact_question_not_the_alert():
    mail = parsed("il y a un mail pour en parler ?", "notify_me", 0.61)
    alert = parsed("prévenez-moi par mail quand ça ouvre", "notify_me", 0.9)
    SmallTalk().process([mail, alert])
    assert mail.get(INTENT) == {"name": "faq", "confidence": 1.0}
    chosen = mail.get("response_selector")["faq"]["response"]
    assert (chosen["intent_response_key"], chosen["confidence"]) == ("faq/contact", 1.0)
    assert alert.get(INTENT)["name"] == "notify_me"


def test_back_from_a_webinar_however_it_is_said():
    said = [
        "j'ai suivi le webinaire hier soir, c'est quoi la prochaine étape pour moi ?",
        "on s'est vus au webinaire de mardi, je fais quoi maintenant ?",
        "coucou, webinaire fini, c'est quoi la suite ?",
        "Just got out of the info session — what are the next steps for me?",
        "Je sors de la visio de présentation EIG, quelles sont les prochaines étapes pour moi ?",
        "Back from the livestream session earlier, where do I go from here?",
        # what was said there, summed up by the follow-up
        "coucou, j'ai vu le webinaire EIG, tu peux me redonner les points clés ?",
        "hey, I watched the webinar, can you recap the key points?",
    ]
    messages = [parsed(text, "faq", 0.99) for text in said]
    SmallTalk().process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["webinar_followup"] * len(said)
    next_one = parsed("j'ai vu le webinaire, la prochaine c'est quand ?", "faq", 0.99)
    SmallTalk().process([next_one])
    assert next_one.get(INTENT)["name"] == "faq"


def test_a_follow_up_read_as_a_deletion_request_is_undone():
    guessed = ranked("and data scientists, not anymore?", ("delete_my_data", 0.85), ("faq", 0.1))
    erase = parsed("and can you also delete my data?", "delete_my_data", 0.9)
    SmallTalk().process([guessed, erase])
    assert guessed.get(INTENT) == {"name": "faq", "confidence": 0.1}
    assert erase.get(INTENT)["name"] == "delete_my_data"


def test_a_follow_up_question_read_as_a_farewell_is_a_question():
    guessed = ranked("et le prochain ?", ("goodbye", 0.8), ("resume", 0.04))
    bye = parsed("ok merci, à la prochaine !", "goodbye", 0.9)
    SmallTalk().process([guessed, bye])
    assert guessed.get(INTENT)["name"] == "nlu_fallback"  # the previous answer's topic
    assert bye.get(INTENT)["name"] == "goodbye"
    clear = parsed("and the next one?", "goodbye", 0.8)
    clear.set(
        "response_selector",
        {"faq": {"response": {"intent_response_key": "faq/webinars", "confidence": 0.52}}},
    )
    SmallTalk().process([clear])
    assert clear.get(INTENT)["name"] == "faq"


def test_how_to_apply_read_as_a_wish_to_start_the_pre_application_is_the_apply_question():
    how = parsed("comment je postule ?", "pre_apply", 0.73)
    wish = parsed("je veux postuler, on commence ?", "pre_apply", 0.95)
    SmallTalk().process([how, wish])
    assert how.get(INTENT)["name"] == "faq"
    assert how.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/apply"
    assert wish.get(INTENT)["name"] == "pre_apply"


def test_a_follow_up_naming_a_year_read_as_coming_back_is_a_question():
    back_then = parsed("and back in 2018?", "resume", 0.46)
    back = parsed("ok on reprend ?", "resume", 0.9)
    SmallTalk().process([back_then, back])
    assert back_then.get(INTENT)["name"] == "nlu_fallback"
    assert back.get(INTENT)["name"] == "resume"


def test_a_profile_said_with_a_word_of_going_on_is_no_wish_to_resume():
    answer = parsed("ok je continue : technique", "resume", 0.78)
    back = parsed("ok je continue", "resume", 0.9)
    SmallTalk().process([answer, back])
    assert answer.get(INTENT)["name"] != "resume"
    assert back.get(INTENT)["name"] == "resume"


def test_a_recording_asked_for_is_the_webinars():
    recording = parsed("is there a recording?", "nlu_fallback", 0.3)
    SmallTalk().process([recording])
    assert recording.get("response_selector")["faq"]["response"]["intent_response_key"] == (
        "faq/webinars"
    )


def test_the_form_put_off_is_a_stop():
    later = parsed("attendez, je préfère pas donner mon mail maintenant", "delete_my_data", 0.6)
    SmallTalk().process([later])
    assert later.get(INTENT)["name"] == "stop"


def test_a_word_of_the_programme_asked_about_gets_the_answer_that_says_what_it_is():
    pia = parsed("le PIA c'est quoi ?", "faq", 1.0)
    SmallTalk().process([pia])
    assert pia.get("response_selector")["faq"]["response"]["intent_response_key"] == (
        "faq/host_cofinancing"
    )
