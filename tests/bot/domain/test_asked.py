from __future__ import annotations

import pytest

from bot.domain.asked import (
    UNKNOWN_SUBJECTS,
    asks_current_places,
    asks_for_recording,
    glossary_topic,
    other_unknown_subject,
    surely_asks,
    unknown_subject,
    without_set_aside,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "pas de question sur le salaire, je voudrais savoir qui organise",
            "je voudrais savoir qui organise",
        ),
        (
            "le salaire ne m'intéresse pas, je veux savoir si c'est un CDI",
            "je veux savoir si c'est un CDI",
        ),
        ("je ne demande pas la date limite mais comment on candidate", "comment on candidate"),
        (
            "ma question ne porte pas sur la paie mais sur la durée du contrat",
            "sur la durée du contrat",
        ),
        ("hors salaire, il y a des tickets resto ?", "il y a des tickets resto ?"),
        ("je connais déjà le salaire, mais le contrat c'est quoi ?", "le contrat c'est quoi ?"),
        (
            "je voudrais connaître le contrat plutôt que le salaire",
            "je voudrais connaître le contrat",
        ),
        ("not asking about the pay, who organises it?", "who organises it?"),
        (
            "I don't care about the deadline, what profiles do you want?",
            "what profiles do you want?",
        ),
        ("Forget the pay, how long is the contract?", "how long is the contract?"),
        ("I'd like the contract details rather than the salary.", "I'd like the contract details"),
        ("No question about pay, I want to know who runs it.", "I want to know who runs it."),
        (
            "I don't want to apply right now, just tell me what the programme is.",
            "just tell me what the programme is.",
        ),
        ("Not asking about the salary - who organises it?", "who organises it?"),
        ("I know the pay already; what about the contract?", "what about the contract?"),
        (
            "Je ne veux pas candidater, je voudrais juste savoir qui gère le programme.",
            "je voudrais juste savoir qui gère le programme.",
        ),
        (
            "Pas besoin de m'expliquer ce qu'est EIG, je veux juste la date limite.",
            "je veux juste la date limite.",
        ),
        (
            "Ce n'est pas la sélection des candidats qui m'intéresse mais celle des projets",
            "celle des projets",
        ),
        # the question after an "et" in the clause that sets a topic aside
        (
            "Oublie l'histoire du salaire et dis-moi qui organise",
            "dis-moi qui organise",
        ),
        ("never mind the deadline and tell me who runs it", "tell me who runs it"),
        (
            "pas de question sur le salaire et le contrat, je voudrais savoir qui organise",
            "je voudrais savoir qui organise",
        ),
    ],
)
def test_clauses_that_set_a_topic_aside_are_dropped(text, expected):
    assert without_set_aside(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the negation is the question itself
        "je n'ai pas de diplôme, je peux postuler ?",
        "pas de diplome mais 10 ans de code, ça passe ?",
        "no degree but 10 years coding, is that ok",
        "I'm not French, can I apply?",
        "I don't need a degree, right?",
        "est-ce que c'est pas besoin de diplome pour candidater, c'est ça ?",
        # a cue inside a clause that is not about the question
        "j'ai oublié ma référence, comment supprimer mes données ?",
        "je vis à lyon, je peux travailler hors de paris ?",
        "je sais déjà coder, je peux postuler ?",
        # what would be left is too short to be a question: a move of its own
        "never mind",
        "non merci, laisse tomber",
        # dropping what is going on, nothing named: a stop with its reason
        "never mind, I'll come back later",
        "bon laissez tomber, je reviendrai plus tard avec mon chef",
        "c'est quoi le salaire ?",
    ],
)
def test_other_messages_are_left_as_they_are(text):
    assert without_set_aside(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on peut bosser en télétravail ?", "remote_work"),
        ("can I work from home two days a week?", "remote_work"),
        ("is it OK to work remotely?", "remote_work"),
        ("la mutuelle est prise en charge ?", "health_insurance"),
        ("do we get health insurance", "health_insurance"),
        ("combien de jours de congés par an ?", "days_off"),
        ("how many days off do EIGs get", "days_off"),
        ("how many weeks of holiday a year?", "days_off"),
        ("il y a des tickets resto ?", "meal_vouchers"),
        ("are there meal vouchers", "meal_vouchers"),
        ("combien de places pour la 7e promo ?", "places"),
        ("how many positions are open this year?", "places"),
        ("quelle est la date exacte de début de mission ?", "dates"),
        ("what's the exact start date?", "dates"),
        ("je suis déjà fonctionnaire, je peux être eig ?", "civil_servant"),
        ("I'm already a civil servant, can I apply?", "civil_servant"),
        ("c'est possible à temps partiel ?", "part_time"),
        ("can I do it part-time", "part_time"),
        ("je pourrais la faire à 80 % ?", "part_time"),
        ("à 80 ans, c'est trop tard ?", "age"),
        ("je peux garder une activité en parallèle ?", "side_activity"),
        ("le logement est fourni ?", "housing"),
        ("faut-il déménager à paris ?", "relocation"),
        ("will you help me relocate", "relocation"),
        ("c'est forcément sur Paris ?", "relocation"),
        ("would they cover moving costs to Paris", "relocation"),
        ("quelles langues faut-il parler ?", "languages"),
        ("do I need to speak French?", "languages"),
        ("y a une limite d'âge ?", "age"),
        ("j'ai 55 ans, je peux encore candidater ?", "age"),
        ("faut-il être de nationalité française ?", "nationality"),
        ("do you sponsor visas", "nationality"),
        # remote work before residence: the question is what can be done from abroad
        ("je vis à l'étranger, je peux travailler de chez moi ?", "remote_work"),
        # a topic set aside is not the subject
        ("pas de question sur le télétravail, mais y a-t-il une mutuelle ?", "health_insurance"),
        # years of experience are not an age
        ("avec 12 ans d'expérience, il y a une mutuelle ?", "health_insurance"),
        ("j'ai 12 ans d'expérience, on peut négocier ?", None),
        ("une question que personne ne pose", None),
    ],
)
def test_unknown_subject(text, expected):
    assert unknown_subject(text) == expected


def test_every_subject_has_a_pattern():
    assert all(UNKNOWN_SUBJECTS.values())
    assert unknown_subject(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Not about the deadline: how are candidates evaluated?", "how are candidates evaluated?"),
        (
            "Ni développeur ni data scientist, je suis juste curieux : qui est derrière ce "
            "programme ?",
            "je suis juste curieux : qui est derrière ce programme ?",
        ),
        (
            "je ne suis ni dev ni designer, je peux postuler ?",
            "je ne suis ni dev ni designer, je peux postuler ?",
        ),  # the negation is the question
    ],
)
def test_a_topic_set_aside_first_is_left_out(text, kept):
    assert without_set_aside(text) == kept


@pytest.mark.parametrize(
    ("text", "current"),
    [
        ("How many positions are open in the 7th promotion?", True),
        ("combien de places pour la 7e promotion ?", True),
        ("ok, and how many places are there this time?", True),
        ("How many EIGs since the start?", False),
        ("combien de postes en 2021 ?", False),
        ("how many people per team this year?", False),
    ],
)
def test_places_asked_for_the_current_promotion(text, current):
    assert asks_current_places(text) is current


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("does that make me a civil servant afterwards?", "tenure"),
        ("on est titularisé à la fin ?", "tenure"),
        ("y a une période d'essai ?", "trial_period"),
        ("je suis déjà fonctionnaire, je peux être eig ?", None),  # being one already
        ("who would be my employer?", None),
        ("how long do you stay in the pool?", "selection_duration"),
        ("il faut attendre combien de semaines entre les deux entretiens ?", "selection_duration"),
        ("combien de temps s'écoule entre les deux entretiens ?", "selection_duration"),
        ("how long between the first and the second interview?", "selection_duration"),
        ("combien de temps dure un entretien ?", None),
        ("ok. et les entretiens, c'est en visio ou sur place ?", "interview_format"),
        ("are the interviews held remotely or in person?", "interview_format"),
        ("is the interview online?", "interview_format"),
        ("le salaire est négociable ou c'est fixe ?", "pay_negotiation"),
        ("can I negotiate the salary?", "pay_negotiation"),
    ],
)
def test_other_unknown_subject(text, expected):
    assert other_unknown_subject(text) == expected


def test_interviews_held_remotely_are_not_remote_work():
    assert unknown_subject("are the interviews held remotely?") is None
    assert unknown_subject("is remote work possible?") == "remote_work"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("le PIA c'est quoi ?", "host_cofinancing"),
        ("Etalab c'est quoi exactement ?", "who_runs"),
        ("what's this pool thing exactly", "selection_process"),
        ("le vivier, c'est quoi exactement ?", "selection_process"),
        ("what is the salary?", None),  # not a word of the programme's
        ("DINUM ?", None),  # not asked what it is
    ],
)
def test_a_word_of_the_programme_asked_about_alone(text, topic):
    assert glossary_topic(text) == topic


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("is there a recording?", True),
        ("y a un replay ?", True),
        ("c'était enregistré ?", True),
        ("I recorded my answers, is that ok", False),  # no question
        ("is there a recording of every interview of the selection, and who watches it?", False),
    ],
)
def test_a_recording_asked_for_in_a_short_question(text, asks):
    assert asks_for_recording(text) is asks


@pytest.mark.parametrize(
    ("text", "sure"),
    [
        ("y a-t-il une limite d'âge pour candidater ?", True),
        ("am I too old to apply at 52?", True),
        ("and if I move from Lyon, do you help with relocation?", True),
        ("les frais de déménagement sont pris en charge ?", True),
        ("avec 20 ans d'expérience ?", False),  # years of experience, which the texts answer
        ("la mission est en Île-de-France ?", False),  # where the mission is
    ],
)
def test_an_age_limit_or_a_move_is_surely_what_the_texts_do_not_say(text, sure):
    assert surely_asks(unknown_subject(text), text) is sure
