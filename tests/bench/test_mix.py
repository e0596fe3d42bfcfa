"""The realistic load mix: every realistic text once, a quarter of button payloads, and
pre-applications that answer the form's questions in its order."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest

from bench import load, mix
from bot.domain import reading


@pytest.fixture(scope="module")
def pool() -> list[load.Script]:
    return mix.build()


def realistic_texts() -> set[str]:
    texts = set()
    for language in mix.LANGUAGES:
        texts |= {t for turns in mix.read_conversations(language) for t in turns}
        texts |= {t for ex in mix.read_messages(language).values() for t in ex}
    return texts


def test_the_same_seed_gives_the_same_pool_and_another_a_different_one(pool):
    assert mix.build() == pool
    assert mix.build(seed=16) != pool


def test_every_realistic_text_is_in_the_pool_as_often_as_in_the_sets(pool):
    pre_applications = pool[-2 * mix.PRE_APPLICATIONS :]
    others = [t for s in pool[: -2 * mix.PRE_APPLICATIONS] for t, _ in s if t != load.CLICK]
    starts = {s[0][0] for s in pre_applications}
    answers = {t for s in pre_applications for t, _ in s[1:]}
    for language in mix.LANGUAGES:  # kept for the pre-applications' yes/no answers
        messages = mix.read_messages(language)
        answers |= set(mix.yes_no_answers(messages["affirm"], True))
        answers |= set(mix.yes_no_answers(messages["deny"], False))
    in_conversations = Counter(
        t for language in mix.LANGUAGES for turns in mix.read_conversations(language) for t in turns
    )
    expected = in_conversations + Counter(
        realistic_texts() - set(in_conversations) - starts - answers
    )
    assert Counter(others) == expected
    assert sum(expected.values()) - len(expected) == 3  # the writer's own repeats: "CTO"…


def test_every_conversation_is_played_as_written_in_its_language(pool):
    for language in mix.LANGUAGES:
        for turns in mix.read_conversations(language):
            typed = [
                [t for t, _ in s if t != load.CLICK] for s in pool if s[0] == (turns[0], language)
            ]
            assert turns in typed


def test_a_quarter_of_the_turns_played_are_button_payloads(pool):
    turns = [t for s in pool for t, _ in s]
    clicks = turns.count(load.CLICK)
    payloads = sum(t.startswith("/") for t in turns)
    played = clicks * mix.CLICKS_PLAYED
    share = (payloads + played) / (len(turns) - clicks + played)
    assert share == pytest.approx(mix.CLICK_SHARE, abs=0.005)
    assert payloads > 0 and clicks > 0
    assert mix.describe(pool)["turns"] == len(turns)


def test_clicks_follow_typed_turns_in_the_same_language(pool):
    for script in pool:
        assert script[0][0] != load.CLICK
        for (before, language), (text, click_language) in itertools.pairwise(script):
            if text == load.CLICK:
                assert before != load.CLICK and click_language == language


def test_pre_applications_answer_the_form_in_its_order(pool):
    pre_applications = pool[-2 * mix.PRE_APPLICATIONS :]
    assert Counter(s[0][1] for s in pre_applications) == {
        "fr": mix.PRE_APPLICATIONS,
        "en": mix.PRE_APPLICATIONS,
    }
    today = dt.date(2026, 11, 30)

    def yes_no(text: str):
        return {"/affirm": True, "/deny": False}.get(text, reading.read_yes_no(text))

    for script in pre_applications:
        texts = [t for t, _ in script]
        assert load.CLICK not in texts
        assert reading.read_profile(texts[0]) is None  # the start does not answer for them
        profile = texts[1].removeprefix("/inform")
        profile = reading.read_profile(profile) or next(
            p for p in reading.CURRENT_PROFILES if p in profile
        )
        assert profile in reading.CURRENT_PROFILES
        assert reading.read_years(texts[2], today) is not None
        rest = texts[3:]
        entrepreneurial = yes_no(rest.pop(0))
        assert entrepreneurial is not None
        if entrepreneurial:
            assert yes_no(rest.pop(0)) is None  # the description
        if profile == "technical_director":
            assert yes_no(rest.pop(0)) is not None  # led teams
        assert yes_no(rest.pop(0)) is None  # the project
        consent = yes_no(rest.pop(0))
        assert consent is not None
        if consent:
            assert reading.read_first_name(rest.pop(0))
            assert reading.read_email(rest.pop(0))
        assert rest and yes_no(rest.pop(0)) is True  # the summary is confirmed
        assert not rest


def test_the_mix_plays_every_visit_once_before_any_again():
    pool = [[(str(i), "fr")] for i in range(7)]
    draws = mix.Mix(seed=3, pool=pool)
    first = [draws.next() for _ in pool]
    second = [draws.next() for _ in pool]
    assert sorted(first) == sorted(second) == sorted(pool)
    assert first != second  # each cycle in its own order
    assert draws.cycles == 2
    again = mix.Mix(seed=3, pool=pool)
    assert [again.next() for _ in range(14)] == first + second
