from __future__ import annotations

import pytest

from bot.domain.small_talk import asks_if_bot, keeps_yes_or_no, small_talk, thanks_too


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("super merci, bonne soirée", "goodbye"),
        ("k thx bye", "goodbye"),
        ("cheers mate, that's me done", "goodbye"),
        ("bon tant pis, merci quand même", "thank"),
        ("that's all, cheers", "goodbye"),
        ("c'est tout merci", "goodbye"),
        ("Merci, salut !", "goodbye"),  # a greeting word after thanks takes leave
        ("Thanks a lot, have a nice day!", "goodbye"),
        ("merci pour votre aide !", "thank"),
        ("thanks for your help 👍", "thank"),
        ("mercii", "thank"),
        ("Hello, ça va ?", "greet"),
        ("Bonjour Madame", "greet"),
        ("hi there", "greet"),
    ],
)
def test_a_message_of_courtesies_only_is_small_talk(text, kind):
    assert small_talk(text) == kind


@pytest.mark.parametrize("text", ["cool", "super", "ok super", "parfait !", "great, very helpful"])
def test_a_word_of_appreciation_alone_thanks(text):
    assert small_talk(text) == "thank"
    assert thanks_too(text)


@pytest.mark.parametrize(
    "text",
    [
        "Salut, moi c'est Inès !",  # a name: an introduction
        "merci, et le salaire ?",
        "oui merci",
        "ok",
        "bonjour, je veux postuler",
        "thanks, how do I apply?",
        "",
        "🙂",
        "merci " * 60,  # too long to be a courtesy
    ],
)
def test_a_message_that_says_anything_else_is_not(text):
    assert small_talk(text) is None


def test_a_yes_or_a_no_read_by_the_classifiers_stays_one():
    assert keeps_yes_or_no("ok merci", "affirm")
    assert keeps_yes_or_no("non merci", "deny")
    assert not keeps_yes_or_no("merci", "affirm")
    assert not keeps_yes_or_no("ok merci", "thank")


@pytest.mark.parametrize(
    "text, thanks",
    [
        ("merci, c'est tout", True),
        ("thanks, that's all", True),
        ("k thx bye", True),
        ("Merci beaucoup, bonne journée !", True),
        ("au revoir", False),
        ("that's all", False),
        ("bye, merciful heavens", False),  # "merciful" is no thank-you
    ],
)
def test_a_goodbye_that_thanks_too(text, thanks):
    assert thanks_too(text) is thanks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("are you a real person btw?", True),
        ("t'es un humain ?", True),
        ("am I talking to a bot?", True),
        ("vous êtes une personne ou une machine ?", True),
        ("c'est un robot qui répond ?", True),
        ("is it a person who reads my file?", False),  # the selection
        ("are you a ministry?", False),
        ("is this a real job?", False),
        ("you're a script, right?", True),
        ("Is there an actual human here or just this dumb script?", True),
        ("is there a person who reads my file?", False),  # the selection
        ("are you a real person? " + "I ask because " * 5, False),  # too long to be only that
    ],
)
def test_whether_the_assistant_is_a_person(text, asks):
    assert asks_if_bot(text) is asks


@pytest.mark.parametrize(
    "text",
    [
        "that's me done for today, ta-ra",
        "gotta go, thanks",
        "alright, that's it from me, thanks",
        "that's all I needed, cheers",
        "c'est tout pour moi, merci",
    ],
)
def test_more_ways_of_leaving(text):
    assert small_talk(text) == "goodbye"


@pytest.mark.parametrize(
    "text", ["c'est gentil 🙏", "that's very kind, thanks", "much appreciated!"]
)
def test_kind_words_thank(text):
    assert small_talk(text) == "thank"
