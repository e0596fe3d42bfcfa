from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import reading

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("12", 12),
        ("12 ans", 12),
        ("douze ans", 12),
        ("Douze", 12),
        ("vingt-cinq ans", 25),
        ("vingt et un ans", 21),
        ("dix-sept", 17),
        ("soixante", 60),
        ("10+ years", 10),
        ("twenty five years", 25),
        ("twelve", 12),
        ("since 2015", 11),
        ("depuis 2015", 11),
        ("2015", 11),
        ("j'ai commencé en 2010", 16),
        ("12,5 ans", 13),  # past 12, as "plus de 12 ans"
        ("10 ans et demi", 11),  # past the pay's 10-year boundary
        ("ten and a half years", 11),
        ("10 ans et 3 mois", 11),
        ("10½ ans", 11),
        ("10 ans et quelques mois", 11),
        ("six mois", 0),
        ("six mois", 0),
        ("18 months", 1),
        ("un an", 1),
        ("a year", 1),
        ("0", 0),
        ("about 8 years in product", 8),
        # the side of the 10-year boundary a comparison names, as the FAQ reads it
        ("plus de 10 ans", 11),
        ("a little over ten years", 11),
        ("moins de dix ans", 9),
        ("just under 10 years", 9),
        ("presque dix ans", 9),
        # decades, a degree, and years said beside the year a career started
        ("une décennie", 10),
        ("a decade", 10),
        ("two decades", 20),
        ("a decade and a half", 15),
        ("une décennie et demie", 15),
        ("bac+5 et 6 ans d'expérience", 6),
        ("after my master's in 2015 I've been working 9 years", 9),
    ],
)
def test_years_are_read_from_natural_answers(text, years):
    assert reading.read_years(text, TODAY) == years


@pytest.mark.parametrize(
    "text",
    ["beaucoup", "a lot", "61", "75 ans", "-3", "since 1950", "depuis 2030", "", "un peu", "🙂"],
)
def test_years_outside_0_to_60_or_not_a_duration_are_refused(text):
    assert reading.read_years(text, TODAY) is None


@pytest.mark.parametrize(
    "text", ["attendez, il y a une limite d'âge ? j'ai 58 ans", "I am 45 years old, is that ok?"]
)
def test_an_age_is_no_years_of_experience(text):
    assert reading.read_years(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("CTO", "technical_director"),
        ("directrice technique", "technical_director"),
        ("Engineering manager", "technical_director"),
        ("head of product", "product_director"),
        ("Directeur produit", "product_director"),
        ("CPO", "product_director"),
        ("dev", "developer"),
        ("je suis développeuse", "developer"),
        ("data scientist", "data_scientist"),
        ("UX designer", "designer"),
        ("autre", "other"),
        ("Other", "other"),
        ("boulanger", None),
    ],
)
def test_profiles_are_read_from_titles(text, profile):
    assert reading.read_profile(text) == profile


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("oui", True),
        ("Oui, bien sûr !", True),
        ("yes", True),
        ("yep", True),
        ("j'accepte", True),
        ("non", False),
        ("No thanks", False),
        ("pas du tout", False),
        ("jamais", False),
        ("peut-être", None),
        ("nonsense", None),
    ],
)
def test_yes_and_no(text, answer):
    assert reading.read_yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("Anne.Dupont@Exemple.FR", "anne.dupont@exemple.fr"),
        ("c'est anne@exemple.fr", "anne@exemple.fr"),
        ("my email is bob@example.com.", "bob@example.com"),
        ("anne@exemple", None),
        ("pas de mail", None),
        ("a@b.fr et c@d.fr", None),
        ("jerome point martin arobase gmail point com", "jerome.martin@gmail.com"),
        ("my email is anna at example dot org", "anna@example.org"),
        ("I am at home", None),
        ("on se voit au point de rendez-vous", None),
    ],
)
def test_emails_are_found_and_normalised(text, email):
    assert reading.read_email(text) == email


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Anne-Marie", "Anne-Marie"),
        ("je m'appelle Chloé", "Chloé"),
        ("my name is Sean O'Brien", "Sean O'Brien"),
        ("karim", "Karim"),
        ("R2D2", None),
        ("<b>Bob</b>", None),
        ("a" * 60, None),
        ("un deux trois quatre cinq", None),
    ],
)
def test_first_names(text, name):
    assert reading.read_first_name(text) == name


def test_free_text_is_tidied_and_bounded():
    assert reading.read_free_text("  la  santé\x00 publique ", 100) == "la santé publique"
    assert reading.read_free_text("🙂🙂", 100) is None
    assert reading.read_free_text("x" * 101, 100) is None


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("EIG-7K3M-Q9XZ", "EIG-7K3M-Q9XZ"),
        ("ma référence : eig 7k3m q9xz", "EIG-7K3M-Q9XZ"),
        ("EIG-0000-1111", None),  # 0 and 1 are never drawn
        ("12345", None),
    ],
)
def test_references(text, reference):
    assert reading.read_reference(text) == reference


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("changer mon e-mail", "email"),
        ("change my email address", "email"),
        ("en fait j'ai 8 ans d'expérience", "years_experience"),
        ("actually I have 8 years of experience", "years_experience"),
        ("corriger mon prénom", "first_name"),
        ("modifier ma réponse sur l'entrepreneuriat", "entrepreneurial_experience"),
        ("changer mon profil", "target_profile"),
        ("je me suis trompé", None),
    ],
)
def test_which_answer_a_correction_is_about(text, field):
    assert reading.field_from_text(text) == field


def test_a_number_too_big_for_a_float_is_not_a_duration():
    import datetime as dt

    from bot.domain import reading

    assert reading.read_years("9" * 400 + " ans", dt.date(2026, 11, 23)) is None


@pytest.mark.parametrize(
    "text",
    [
        "no idea", "aucune idée", "je sais pas", "bof", "peut-être", "non je sais pas", "dunno",
        "hmm, hard to tell", "difficile de dire pour l'instant", "can't say yet",
    ],
)  # fmt: skip
def test_i_do_not_know_is_neither_yes_nor_no(text):
    assert reading.is_dont_know(text)
    assert reading.read_yes_no(text) is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("oui", True),
        ("yes, we want to use our complaint data", True),
        ("we want to use our complaint data", True),
        ("on aimerait exploiter nos données de réclamations", True),
        ("nous n'avons pas encore de projet", False),
        ("pas de projet pour l'instant", False),
        ("we don't have a data project", False),
        ("non", False),
        ("no idea", None),
        ("bananas", None),
        ("et c'est quand l'appel à projets ?", None),
        ("a data project, what would that be?", None),
    ],
)
def test_a_project_told_answers_the_project_question(text, answer):
    assert reading.read_project_answer(text) is answer


@pytest.mark.parametrize(
    ("text", "said"),
    [("douze ans", True), ("6 years", True), ("depuis 2015", True), ("7ans", True),
     ("12", False), ("CTO", False), ("dans la santé", False)],
)  # fmt: skip
def test_a_duration_said_as_one(text, said):
    assert reading.mentions_duration(text) is said


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("donc je peux postuler dès aujourd'hui ?", True),
        ("je peux candidater maintenant ?", True),
        ("c'est ouvert là ?", True),
        ("can I apply right now then?", True),
        ("are applications open yet?", True),
        ("je peux postuler avec un profil de dev ?", False),
        ("comment postuler ?", False),
        ("c'était à quelle heure ?", False),
        ("je veux postuler dès aujourd'hui", False),
        ("je peux postuler dès aujourd'hui", True),
        # a request to be told, not the question
        ("prévenez-moi dès que c'est ouvert alors", False),
        ("ping me when applications open", False),
    ],
)
def test_asking_whether_the_call_is_open_today(text, asks):
    assert reading.asks_if_open_now(text) is asks


@pytest.mark.parametrize(
    ("text", "starts"),
    [("c'est quoi un CTO ?", True), ("combien ça paie", True), ("what is it", True),
     ("et c'est quand l'appel à projets ?", True), ("and when is the call?", True),
     ("douze ans ?", False), ("oui", False), ("et pour 15 ans ?", False)],
)  # fmt: skip
def test_questions_by_their_first_words(text, starts):
    assert reading.starts_like_question(text) is starts


@pytest.mark.parametrize(
    ("text", "stops"),
    [("non en fait stop", True), ("laissez tomber", True), ("never mind", True),
     ("en fait j'ai 8 ans", False), ("change my e-mail", False)],
)  # fmt: skip
def test_a_wish_to_stop(text, stops):
    assert reading.says_stop(text) is stops


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("en tant que candidat", "candidate"),
        ("as a candidate", "candidate"),
        ("Je veux devenir EIG", "candidate"),  # the button's title, typed
        ("pour moi", "candidate"),
        ("plutôt côté administration", "administration"),
        ("for my ministry", "administration"),
        ("I represent an administration", "administration"),
        ("je suis dans une mairie", "administration"),
        # a question, both sides, neither, or a long sentence: not an answer
        ("comment on postule ?", None),
        ("c'est quoi la différence ?", None),
        ("as a candidate for a hospital", None),
        ("euh les deux", None),
        ("je suis candidat mais je voudrais d'abord savoir plein de choses sur le programme", None),
    ],
)
def test_the_side_someone_takes_part_on(text, side):
    assert reading.read_audience(text) == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("jsuis dev fullstack 4ans xp", "candidate"),
        ("je cherche un poste dans le public", "candidate"),
        ("I'm a freelance developer interested in becoming an EIG", "candidate"),
        ("hi, I'm on the candidate side", "candidate"),
        ("I'm a project manager in a central government directorate.", "administration"),
        ("bonjour, je travaille dans une communauté d'agglomération", "administration"),
        ("we're a public agency", "administration"),
        # a name first, then who writes
        ("Hi, Aurélien Moreau here, CTO at a startup in Nantes, looking for a change", "candidate"),
        ("Salut, moi c'est Inès, je suis dev depuis 6 ans", "candidate"),
        ("je m'appelle Paul et je travaille dans une mairie", "administration"),
        ("hi, Marie here, how much is the salary?", None),
        # a question, a name, neither side, both, or "we" looking for a job: not told
        ("je suis designer, c'est bon ?", None),
        ("je suis dev, combien je toucherais", None),
        ("Salut, moi c'est Inès !", None),
        ("je suis de retour, on continue", None),
        ("je suis data scientist dans un ministère", None),
        ("nous sommes développeurs", None),
        ("mon conjoint est développeur", None),
    ],
)
def test_the_side_of_someone_who_introduces_themselves(text, side):
    assert reading.read_introduction(text) == side


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("go pour la precandidature", True),
        ("jveux voir si je corresponds au poste de directeur technique", True),
        ("can you run the eligibility check for me", True),
        ("wanna see if I'm a match for the technical director role", True),
        ("je voudrais vérifier si mon profil colle", True),
        # a wish to apply, or to have one's own profile checked
        ("je veux postuler à EIG", True),
        ("j'aimerais bien candidater pour la 7e promo", True),
        ("je veu postulé", True),
        ("I'd like to apply for the 7th promotion", True),
        ("ok I'm applying", True),
        ("let's start my application", True),
        ("allez, on fait la candidature", True),
        ("Je suis Engineering Manager, je peux checker mon fit avec vous ?", True),
        ("I'd like you to assess my profile", True),
        ("je crois que je coche les cases, on regarde ?", True),
        # typed in a hurry
        ("i wnat to aplly now, can we start?", True),
        ("i wanna aply", True),
        # how, where or when to apply is the FAQ's; someone else's wish is not one
        ("je veux postuler, je fais comment ?", False),
        ("I want to apply, where is the form?", False),
        ("je veux postuler cette année, c'est encore possible ?", False),
        ("I'd like to apply, when does the call open?", False),
        ("je compte postuler, quels sont les critères ?", False),
        ("I want to apply, what's the salary?", False),
        ("je ne veux pas postuler, je voudrais juste le salaire", False),
        ("mon collègue veut postuler", False),
        # a question about the pre-application, or another's fit: not a wish to do it
        ("c'est quoi la précandidature ?", False),
        ("is the pre-application mandatory?", False),
        ("combien de temps prend la precandidature", False),
        ("are my pre-application answers stored?", False),
        ("voir si mon administration est éligible", False),
        ("I want to see if my company fits", False),
        ("I don't want the pre-application, just the salary", False),
        ("pas besoin de précandidature, je veux juste le salaire", False),
    ],
)
def test_a_wish_to_do_the_pre_application_in_words(text, asks):
    assert reading.asks_pre_application(text) is asks


@pytest.mark.parametrize(
    ("text", "greets"),
    [
        ("Salut, moi c'est Inès !", True),
        ("hey there, I'm Tom", True),
        ("je m'appelle karim", True),
        ("moi c'est Jean-Paul", True),
        ("Bonjour, je suis Marie Dupont", True),
        # a job, a state, a question, no name written as one: not a name
        ("hi, I'm a developer", False),
        ("Bonjour, je suis Développeur", False),
        ("Salut, je suis perdu", False),
        ("hey I'm interested", False),
        ("Salut c'est moi", False),
        ("salut ça va ?", False),
        ("Hello, this is Anna from the ministry", False),
    ],
)
def test_a_hello_with_a_first_name(text, greets):
    assert reading.greets_by_name(text) is greets


@pytest.mark.parametrize(
    ("question", "text", "answer"),
    [
        ("has_sponsor", "oui le DGS porte le projet", "yes"),
        ("has_sponsor", "notre directrice soutient le projet", "yes"),
        ("has_sponsor", "personne ne porte le projet pour l'instant", "no"),
        ("has_sponsor", "plutôt non", "no"),
        ("has_sponsor", "c'est quoi un portage ?", None),
        ("fits_duration", "ça tiendrait en un an je pense", "yes"),
        ("fits_duration", "10 months", "yes"),
        ("fits_duration", "no, it would probably take two years", "no"),
        ("fits_duration", "plutôt 18 mois", "no"),
        ("fits_duration", "plutôt oui", "yes"),
        ("fits_duration", "le DGS est d'accord", None),
        ("data_access", "yes, the team would have access to the data and the servers", "yes"),
        ("data_access", "on n'a pas encore accès aux données", "no"),
        ("data_access", "pas sûr qu'on ait le budget", reading.UNSURE),
        ("data_access", "no idea", reading.UNSURE),
    ],
)
def test_the_host_check_criteria_are_read_from_natural_words(question, text, answer):
    assert reading.read_criterion_answer(question, text) == answer


@pytest.mark.parametrize(
    ("text", "refuses"),
    [
        ("non je préfère pas que vous gardiez mes infos", True),
        ("I'd rather you didn't keep my data", True),
        ("Non, ne rien conserver", True),
        ("No, keep nothing", True),
        ("don't store my email please", True),
        ("je ne garde pas mon poste", False),
        ("oui vous pouvez garder mes infos", False),
        ("je n'ai jamais monté de boîte", False),
    ],
)
def test_a_refusal_to_have_ones_answers_kept_is_read_anywhere(text, refuses):
    assert reading.refuses_keeping(text) is refuses


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        ("stop, je dois d'abord voir avec mon chef", True),
        ("hold on, stop, I need to check something first", True),
        ("on arrête là pour l'instant", True),
        ("Stop!", True),
        ("stop sending me emails", False),
        ("arrête de m'écrire", False),
        ("can I stop the contract early?", False),
        ("je veux arrêter mon CDI pour candidater", False),
    ],
)
def test_a_stop_said_first_is_read_whatever_follows(text, stops):
    assert reading.opens_with_stop(text) is stops


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("bah non, toujours en CDI dans des grands groupes", False),
        ("ben oui", True),
        ("well yes, for about a year", True),
        ("I think so, a first version at least", True),
        ("je pense que non", False),
        ("probably not", False),
        ("euh je sais pas", None),
        ("bon", None),
    ],
)
def test_a_yes_or_no_after_a_filler_or_as_a_belief(text, answer):
    assert reading.read_yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "attended"),
    [
        ("bonjour, j'ai assisté au webinaire hier soir, c'est quoi la suite ?", True),
        ("I was at the 6pm webinar today, what should I do now?", True),
        ("Bonjour, je sors du webinaire de présentation", True),
        ("when is the next webinar?", False),
        ("I missed the webinar, is there a replay?", False),
        ("je n'ai pas pu assister au webinaire", False),
        ("y a-t-il un replay du webinaire ?", False),
        ("I attended the webinar yesterday, is the recording online?", False),
    ],
)
def test_someone_back_from_a_webinar_is_told_from_one_who_missed_it(text, attended):
    assert reading.attended_webinar(text) is attended


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("as a candidate - I'm a product manager looking for my next role", "candidate"),
        ("en tant que candidat, je cherche un poste dans le numerique public", "candidate"),
        ("côté administration, nous sommes une mairie", "administration"),
        ("as a candidate for a hospital", None),
    ],
)
def test_the_side_said_first_is_read_whatever_follows(text, side):
    assert reading.read_audience(text) == side


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("I think so, a first version at least", "yes"),
        ("probably, it's fairly contained", "yes"),
        ("probably not", "no"),
        ("hmm probably not, it's more of a two year thing", "no"),
        ("normalement oui", "yes"),
    ],
)
def test_a_hedged_answer_to_a_host_criterion_is_read(text, answer):
    assert reading.read_criterion_answer("fits_duration", text) == answer


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("prodcut director", "product_director"),
        ("directeur tecnique", "technical_director"),
        ("dta scientist", "data_scientist"),
        ("hello", None),
        ("je ne sais pas", None),
    ],
)
def test_a_profile_name_misspelt_by_a_letter_or_two_is_read(text, profile):
    assert reading.read_profile(text) == profile


@pytest.mark.parametrize(
    ("text", "erasure"),
    [
        ("vous pouvez effacer mes données ?", True),
        ("del my data thx", True),
        ("I kindly request the erasure of all personal data relating to me", True),
        ("right to be forgotten please", True),
        ("how long do you keep my data?", False),
        ("can I remove the variable part?", False),
    ],
)
def test_a_wish_to_have_ones_data_erased_is_read_however_worded(text, erasure):
    assert reading.asks_erasure(text) is erasure


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("je voudrais savoir si ma mairie peut accueillir des EIG", True),
        ("We would like to verify whether our administration could welcome a team of EIGs.", True),
        ("nous souhaiterions vérifier notre éligibilité en tant que structure d'accueil", True),
        ("quelles administrations peuvent accueillir des EIG ?", False),  # who may, in general
        ("je voudrais savoir si je peux devenir EIG", False),  # a candidate
        ("I want to know if EIGs work in teams", False),
    ],
)
def test_the_host_check_asked_for_in_words(text, asks):
    assert reading.asks_host_check(text) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("can you check if our project fits?", True),
        ("vous pouvez vérifier si notre projet correspond ?", True),
        ("could you see whether our administration qualifies", True),
        ("can you check if my profile fits?", False),  # one's own profile
        ("can you check if our project fits? I want to apply myself", False),  # a candidate
        ("what is our project about", False),  # no check asked
    ],
)
def test_a_check_of_our_project_is_read(text, asks):
    assert reading.asks_our_project_check(text) is asks


def test_being_told_whether_one_is_eligible_is_the_pre_application():
    assert reading.asks_pre_application("can you tell me whether I am eligible to become an EIG?")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("il y a un mail pour en parler ?", True),
        ("is there an email to discuss it?", True),
        ("c'est quoi votre adresse mail ?", True),
        ("can you email me when applications open?", False),  # to be told
        ("prévenez-moi par mail quand ça ouvre ?", False),
        ("vous pouvez m'envoyer un mail à l'ouverture des candidatures ?", False),
        ("vous pouvez m'envoyer un mail quand c'est ouvert ?", False),
        ("voici mon mail : camille@example.org, c'est bon ?", False),  # giving one's own
        ("un mail pour en parler", False),  # no question
    ],
)
def test_the_team_s_address_asked_for(text, asks):
    assert reading.asks_for_address(text) is asks


@pytest.mark.parametrize(
    "text",
    [
        "jsors du webinaire, et mtn ?",
        "Je suis allée au webinaire de jeudi et je me demande ce qui se passe ensuite.",
        "I have assisted to the webinar yesterday, what is the next step for me?",
        "Just watched the webinar replay, what now?",
        "Hi, I was at your session for administrations last week, what are the next steps?",
        "On a suivi la réunion d'info pour les administrations, c'est quoi la suite pour nous ?",
        "I attended last week's session with my colleagues, where do we go from here?",
        "suis revenue du webinnaire de présentation, quelles sont les prochaine étapes ?",
        "j'ai suivi la présentation d'hier, c'est quoi la suite ?",
        "I assisted to the webinar yesterday, what is the following?",
        "coucou ! je viens de finir la session d'info en replay. et maintenant ?",
        "ma connexion a sauté à la fin du webinaire, vous pouvez me dire ce qui était prévu "
        "pour la suite ?",
        "hey i was on the zoom thing last night about EIG, what now",
        "I was at the online presentation on Thursday. Is there anything I should prepare "
        "before the call opens?",
        "Merci pour la présentation de ce midi ! Du coup c'est quoi la suite pour les candidats ?",
        "j'avais suivi un des deux webinaires de l'EIG 6 en mars 2022. il se passe quoi depuis ?",
        "Hi, I was at the session on code and data careers. What are the next steps for me?",
        "webinar done. next?",
        "I signed up for the webinar but could only stay twenty minutes. What comes next?",
    ],
)
def test_back_from_a_webinar_in_other_words(text: str):
    assert reading.attended_webinar(text)
    assert reading.asks_what_next(text)


@pytest.mark.parametrize(
    "text", ["when is the next webinar?", "when's the next one?", "et le prochain c'est quand ?"]
)
def test_when_the_next_one_is_asks_no_next_step(text: str):
    assert not reading.asks_what_next(text)


@pytest.mark.parametrize(
    "text",
    [
        "Je me demandais si un webinaire d'information était prévu prochainement.",
        "I attended the webinar, is there a replay?",
        "la session 2021 ça payait combien ?",
        "le revenu des EIG, je l'ai appris au webinaire ?",
        "les webinaires prévus, c'est quand ?",
        "I missed the webinar, is there a recording?",
    ],
)
def test_not_back_from_a_webinar(text: str):
    assert not reading.attended_webinar(text)


def test_stop_followed_by_a_gerund_is_no_stop():
    assert not reading.opens_with_stop("Stop wasting my time and tell me when the deadline is.")
    assert reading.opens_with_stop("let's stop here, I need to talk to my manager first")


@pytest.mark.parametrize(
    "text",
    [
        "We're trying to budget this, so I'd like to know if the ministry pays part of it.",
        "I'm wondering whether local authorities are allowed to take part in the call.",
        "Je cherche le lien pour postuler mais je ne le trouve nulle part",
        "Je suis DGS d'une commune et je souhaiterais savoir si nous pouvons candidater.",
    ],
)
def test_an_indirect_question_is_no_self_introduction(text: str):
    assert reading.read_introduction(text) is None


def test_the_opening_before_a_question_asked_last():
    text = "hang on, before that: what's the pay past ten years?"
    assert reading.opening_before_question(text) == "hang on, before that"
    assert reading.opening_before_question("oui, et c'est payé combien ?") is None
    assert reading.opening_before_question("douze ans ?") is None


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        ("we need to check with the president first lets stop here", True),
        ("je dois voir avec mon chef, on arrête là pour l'instant", True),
        ("ok on s'arrête là", True),
        ("lets stop here?", False),
        ("the project could stop", False),
        ("hang on, I need to ask my boss first. cancel for now", True),
        ("on annule pour l'instant", True),
        ("stop sending me emails for now", False),
        ("je veux annuler pour l'instant ma candidature", False),
    ],
)
def test_a_stop_said_last(text: str, stops: bool):
    assert reading.ends_with_stop(text) is stops


@pytest.mark.parametrize(
    ("text", "puts_off"),
    [
        ("en fait non, plus tard", True),
        ("maybe later", True),
        ("pas maintenant merci", True),
        ("attendez, je préfère pas donner mon mail maintenant", True),
        ("hold on, I'd rather not give my email yet", True),
        ("je vous recontacte plus tard", False),  # a farewell
        ("I'd rather not give my e-mail", False),  # a refusal, for the consent question
        ("not yet", False),  # "have you led a team?": a no
        ("pas encore", False),
        ("plus tard ?", False),
    ],
)
def test_the_form_put_off_in_a_few_words(text: str, puts_off: bool):
    assert reading.puts_off(text) is puts_off


@pytest.mark.parametrize(
    "text",
    [
        "We were at your information meeting for administrations last week. What now?",
        "Good evening, yesterday I have followed the online session about EIG, what I must do now?",
        "Following the presentation webinar, what are my next steps?",
        "the webinar was great, what now?",
    ],
)
def test_back_from_an_information_meeting_or_an_online_session(text: str):
    assert reading.attended_webinar(text)


def test_a_name_with_a_few_words_of_browsing_is_a_greeting():
    assert reading.greets_by_name("I'm Siobhan, just nosing around")
    assert reading.greets_by_name("moi c'est Inès, je me renseigne")
    assert reading.greets_by_name("I'm Ngozi by the way")
    assert not reading.greets_by_name("I'm a developer")


def test_a_question_that_interrupts():
    assert reading.interrupts_with_question("attendez, au-delà de 10 ans c'est payé combien déjà ?")
    assert not reading.interrupts_with_question("attendez, je réfléchis")
    assert reading.opens_with_stop("ah zut, on arrête là j'ai une réunion")
    assert reading.opens_with_stop("let's leave it there, I'll come back once we have something")
    assert reading.opens_with_stop("bon, on en reste là pour aujourd'hui")


def test_having_to_pay_is_no_wish_to_host():
    assert not reading.asks_host_check(
        "I need to know whether the hospital would have to pay part of the EIGs' salaries."
    )
    assert reading.asks_host_check("we want to know if we could have EIGs in our department")


@pytest.mark.parametrize(
    ("text", "led"),
    [
        ("J'ai dirigé une équipe de 12 devs pendant 5 ans", True),
        ("I managed a team of 8 engineers", True),
        ("je n'ai jamais encadré d'équipe", False),
        ("une dans la edtech qu'on a revendue", False),
    ],
)
def test_a_team_led_told_as_a_fact(text: str, led: bool):
    assert reading.tells_leading_a_team(text) is led


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("euh… disons oui, une équipe de 6 devs", True),
        ("errr… yes-ish? I ran a one-person consultancy", True),
        ("diriger une équipe… non pas vraiment", False),
        ("a team of six devs, yes", True),
        ("une appli de covoiturage, tenue 3 ans, 12 salariés à la fin", None),
        ("j'ai géré un peu, non ?", None),
        ("disons que non", None),
    ],
)
def test_a_yes_or_no_after_a_hesitation_or_at_the_end_of_the_answer(text, answer):
    assert reading.read_yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "go_ahead"),
    [
        ("sure, check it", True),
        ("oui allons-y", True),
        ("Oui, vas-y !", True),
        ("ok, go ahead please", True),
        ("oui", False),
        ("yes, we have a project", False),
        ("go on with the pay question", False),
    ],
)
def test_a_go_ahead_is_only_a_go_ahead(text, go_ahead):
    assert reading.says_go_ahead(text) is go_ahead


def test_a_yes_said_last_in_a_few_words():
    assert reading.read_yes_no("le collège est au courant, je pense que oui") is True
    assert reading.read_yes_no("le DG n'a pas encore signé, je crois que non") is False


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("comment je postule ?", True),
        ("where do i apply tho", True),
        ("le formulaire de candidature c'est où ?", True),
        ("ok nice, je postule où ?", True),
        ("je dépose mon dossier où ?", True),
        ("I would like to candidate now please, how we begin?", False),  # a wish, now
        ("Je voudrais candidater, comment faire ?", False),
        ("how do I know if I qualify before applying?", False),  # whether one fits
        ("comment rejoindre EIG ?", False),  # as what: asked back
    ],
)
def test_how_or_where_to_apply_asked(text, asks):
    assert reading.asks_how_to_apply(text) is asks


@pytest.mark.parametrize(
    ("text", "outright"),
    [("Yes, I would appreciate that.", True), ("oui merci", True), ("d'accord, merci", False)],
)
def test_a_yes_said_outright_beside_thanks(text, outright):
    assert reading.says_yes_outright(text) is outright


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("d'accord, et on s'engage à quoi exactement ?", True),
        ("ok. et le calendrier ?", True),
        ("oui, et c'est payé combien ?", False),  # answers first
        ("ok merci", False),
    ],
)
def test_an_acknowledgement_then_a_question(text, asks):
    assert reading.takes_in_then_asks(text) is asks


@pytest.mark.parametrize(
    ("text", "went"),
    [
        ("Hi, I missed the end of the info webinar, is there a recording?", True),
        ("Bonjour, j'ai raté la fin du webinaire de présentation, il y a un replay ?", True),
        ("I missed the webinar, is there a recording?", False),
    ],
)
def test_missing_part_of_a_webinar_is_having_been_there(text, went):
    assert reading.went_to_webinar(text) is went
