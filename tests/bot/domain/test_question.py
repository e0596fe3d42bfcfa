from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import question
from bot.domain.question import Case, Parsed, Years

TODAY = dt.date(2026, 11, 23)


def read(text: str) -> Case:
    return question.read(text, TODAY)


# ---- Years of experience -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("et avec 15 ans ?", Years(15, stated=False)),
        ("avec dix ans tout pile je touche combien", Years(10, stated=False)),
        ("mon conjoint a douze ans d'expérience", Years(12, stated=True)),
        ("I have 7 years of experience, how much would I get?", Years(7, stated=True)),
        ("salary for someone with twenty-two years?", Years(22, stated=False)),
        # past 10: "au-delà de 10 ans", as the pre-application reads it too
        ("10 ans et demi d'expérience", Years(11, stated=True, exact=False)),
        ("10 years and 3 months", Years(11, False, exact=False)),
        ("and with 10 1/2 years?", Years(11, False, exact=False)),
        ("and 10½ years?", Years(11, False, exact=False)),
        ("ten-and-a-half years?", Years(11, False, exact=False)),
        ("and 10 years plus a few months?", Years(11, False, exact=False)),
        ("plus de 10 ans d'xp", Years(11, stated=True, exact=False)),
        ("and if I've got more than 10 yrs?", Years(11, stated=False, exact=False)),
        ("the salary past 10 years of experience?", Years(11, stated=True, exact=False)),
        ("I worked for the past 10 years as a dev, pay?", Years(10, stated=True)),
        ("ok et passé dix ans de carrière ?", Years(11, stated=True, exact=False)),
        ("and after ten years?", Years(11, stated=False, exact=False)),
        ("less than 10 years of experience", Years(9, stated=True, exact=False)),
        ("a year of experience", Years(1, stated=True)),
        ("je bosse depuis 2015", Years(11, stated=True)),
        ("what if it were a decade and a half?", Years(15, stated=False)),
        ("I have a decade of experience exactly", Years(10, stated=True)),
        ("and whats the variable for >10 yrs", Years(11, stated=False, exact=False)),
        ("and once I pass 10 years?", Years(11, stated=False, exact=False)),
        ("et quand j'aurai dépassé les 10 ans ?", Years(11, stated=False, exact=False)),
        ("au-delà des 10 ans ?", Years(11, stated=False, exact=False)),
    ],
)
def test_years_of_experience_are_read_in_digits_and_words(text, years):
    assert read(text).years == years


@pytest.mark.parametrize(
    "text",
    [
        "j'ai 45 ans, c'est trop tard ?",  # an age
        "I'm 30 years old",
        "un contrat de 2 ans ?",  # a contract's length
        "quel salaire ?",
        "la promo 2021",
        # a time from now: "in two years I'll have eleven" gives eleven, below
        "et dans deux ans j'en aurai onze, ça change quoi ?",
        "in 2 years, what then?",
    ],
)
def test_ages_contract_lengths_and_calendar_years_are_not_experience(text):
    assert read(text).years is None


# ---- Promotions, years of a call -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "promotion"),
    [
        ("la paie de la promo 3 c'était combien ?", 3),
        ("les webinaires de la 5e promo ?", 5),
        ("EIG 5 salary", 5),
        ("et pour la cinquieme promo", 5),  # no accents
        ("the fifth cohort", 5),
        ("and the 6th?", 6),
        ("promotion n°4", 4),
        ("la 7ème promotion", 7),
        ("ma référence EIG-7K3M-Q9XZ", None),  # a pre-application reference
        ("j'ai 6 ans d'expérience", None),
        ("la 1re promo", 1),
        ("et la 5e ?", 5),
        ("et la 5 ?", 5),
        ("pour la 4", 4),
        ("combien de défis pour la 3 ?", 3),
        ("and what did the 6th pay?", 6),
        ("the 3rd of April", None),  # a date
        ("the 2nd interview", None),
        ("combien de postes dans la 6 ?", 6),
        ("la 3 ça coûte combien ?", None),  # no rank alone
        ("who reads my file first?", None),  # an adverb, not the 1st promotion
        ("ça se passe comment en premier ?", None),
        # a rank alone, after an acknowledgement or with "one"
        ("6th one?", 6),
        ("right, and the 7th?", 7),
        ("5e ?", 5),
    ],
)
def test_promotions_are_read_by_rank(text, promotion):
    assert read(text).promotion == promotion


def test_a_calendar_year_is_read_but_not_the_start_of_a_career():
    assert read("c'était quoi la deadline en 2021").year == 2021
    assert read("la promo 2018").year == 2018
    assert read("je travaille depuis 2015").year is None


def test_a_year_names_the_promotion_of_its_call(known):
    assert question.promotion_of_year(known, 2021) == 5
    assert question.promotion_of_year(known, 2018) == 3
    assert question.promotion_of_year(known, 2019) is None  # no text covers it
    assert question.promotion_of_year(known, 2030) == known.current.number


# ---- Profiles, seniority, time -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("vous cherchez des devs ?", "developer"),
        ("je suis CTO", "technical_director"),
        ("head of product here", "product_director"),
        ("twelve years in data science", "data_scientist"),
        ("les géomaticiens sont acceptés ?", "geomatician"),
        ("quel salaire ?", None),
    ],
)
def test_profiles_are_read_by_their_titles(text, profile):
    assert read(text).profile == profile


def test_seniority_and_time():
    assert read("and for a junior?").seniority == question.JUNIOR
    assert read("pour un débutant ?").seniority == question.JUNIOR
    assert read("et pour quelqu'un qui débute ?").seniority == question.JUNIOR
    assert read("et un profil senior ?").seniority == question.SENIOR
    assert read("c'était à quelle heure ?").asks_time
    assert read("what time was it?").asks_time
    assert not read("quand ça ouvre ?").asks_time


def test_a_question_with_nothing_of_its_case_reads_empty():
    assert read("c'est quoi le programme ?").is_empty()


# ---- Follow-ups and corrections ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "follows"),
    [
        ("et avec 15 ans ?", True),
        ("and for a junior?", True),
        ("what about the 6th?", True),
        ("et pour la promo 5 ?", True),
        ("même un hôpital ?", True),
        ("even hospitals?", True),
        ("also for the 5th?", True),
        ("même si je suis fonctionnaire, je peux candidater au programme cette année ?", False),
        ("quel est le salaire ?", False),
        ("is that net?", True),  # points at what was just said
        ("wait what's this pool thing you mentioned", True),
        ("how long do those last", True),
        ("I want that job", False),  # no question
        ("is it raining tomorrow?", False),
        ("who reads it?", True),  # ends on what was just said
        ("when did it all start?", True),  # asks about it with a question word
        ("which bodies took them in?", False),  # names its own subject
        ("what time is it in Tokyo?", False),
        ("le muséum aussi ?", True),  # something added to what was just said
        ("hospitals too?", True),
        ("I want to apply too", False),
        ("all of it?", True),
        ("celui du 24 c'était sur quel thème ?", True),
        (
            "et je voudrais savoir combien de temps dure le contrat exactement et s'il est renouvelable",
            False,
        ),
    ],
)
def test_short_questions_that_start_like_follow_ups_lean_on_the_previous_answer(text, follows):
    assert question.leans_on_previous(text) is follows


def test_corrections_are_told_from_facts_given_with_a_question():
    assert question.corrects("en fait j'ai 15 ans d'expérience")
    assert question.corrects("sorry, it's 9 years not 19")
    assert not question.corrects("mon conjoint a 12 ans d'expérience")
    assert not question.corrects("Does 20 years of experience change the salary?")
    assert question.corrects("change my years to 20")
    assert question.corrects("non, 12 ans, ça change quoi ?")  # a correction cue first
    assert not question.corrects("I have 7 years of experience, how much would I get?")


# ---- Two questions in one message ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("quel salaire et quel type de contrat ?", ["quel salaire", "quel type de contrat ?"]),
        (
            "who organises it and when does the call open?",
            ["who organises it", "when does the call open?"],
        ),
        (
            "c'est quoi le salaire et la durée du contrat ?",
            ["c'est quoi le salaire", "la durée du contrat ?"],
        ),
        (
            "Quel est le salaire ? Et le contrat, il dure combien ?",
            ["Quel est le salaire ?", "le contrat, il dure combien ?"],
        ),
        # spoken French: the question word inside the clause, a subject after "et"
        (
            "salut, c'est combien le salaire et c'est un cdd ?",
            ["c'est combien le salaire", "c'est un cdd ?"],
        ),
        (
            "Bonjour, qui peut candidater et jusqu'à quand ?",
            ["qui peut candidater", "jusqu'à quand ?"],
        ),
        ("who can apply and until when?", ["who can apply", "until when?"]),
        ("c'est ouvert quand et on postule où", ["c'est ouvert quand", "on postule où"]),
        (
            "le salaire c'est combien, et le contrat il dure combien ?",
            ["le salaire c'est combien", "le contrat il dure combien ?"],
        ),
        ("what's the salary and is it renewable?", ["what's the salary", "is it renewable?"]),
        # "c'est qui" asks from inside; a preposition before the second question word
        (
            "salut ! c'est qui l'employeur et ça paye combien ?",
            ["c'est qui l'employeur", "ça paye combien ?"],
        ),
        (
            "comment se passe la sélection, et sur quels critères vous jugez ?",
            ["comment se passe la sélection", "sur quels critères vous jugez ?"],
        ),
        # the question word last, then the next question after a comma
        (
            "ok, et la prochaine promo c'est pour quand, il y a des webinaires avant ?",
            ["la prochaine promo c'est pour quand", "il y a des webinaires avant ?"],
        ),
    ],
)
def test_a_message_with_two_questions_is_cut_into_them(text, parts):
    assert question.clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "do men and women get the same pay",
        "je suis dev et j'ai 6 ans d'xp, combien je toucherais ?",  # context, then one question
        "was the webinar about code and data or about design?",
        "salaire et contrat ?",
        "quel est le salaire ?",
        # a fact, then one question: a subject after "and" does not make a second question
        "I work in a bank and I want to know how much EIGs earn",
        "j'ai 12 ans d'expérience et je voudrais savoir combien je gagnerais",
        "je suis designer et je voudrais savoir si c'est bon",
        "je travaille sur le projet et pour quel salaire ?",
        "c'est combien, à peu près ?",
        "ça ouvre quand, je sais pas trop",
    ],
)
def test_one_question_stays_whole(text):
    assert question.clauses(text) == []


# ---- Which topics to answer ----------------------------------------------------------------

SURE_SALARY = Parsed("faq", "salary", 0.9)
UNSURE = Parsed("faq", "host_cofinancing", 0.2)


NO_CASE = Case()


def topics(
    whole, parts=(), case=NO_CASE, follows=False, previous=None, correction=False, pay=False
):
    return answer(whole, list(parts), case, follows, previous, correction=correction, pay=pay)


def answer(whole, parts, case, follows, previous, **flags):
    """``topics_to_answer`` with the readings said as flags."""
    return question.topics_to_answer(
        whole, list(parts), case, question.Readings(follows=follows, **flags), previous
    )


def test_two_sure_clauses_are_answered_in_order_once_each():
    parts = [Parsed("faq", "salary", 0.8), Parsed("faq", "contract", 0.7)]
    assert topics(Parsed("faq", "contract", 0.5), parts) == ["salary", "contract"]
    same = [Parsed("faq", "salary", 0.8), Parsed("faq", "salary", 0.7)]
    assert topics(SURE_SALARY, same) == ["salary"]
    unsure = [Parsed("faq", "salary", 0.8), Parsed("faq", "contract", 0.2)]
    assert topics(SURE_SALARY, unsure) == ["salary"]


def test_a_clause_read_as_a_wish_with_a_sure_topic_is_still_a_question():
    parts = [Parsed("faq", "who_runs", 0.99), Parsed("pre_apply", "apply", 0.94)]
    assert topics(Parsed("faq", "apply", 1.0), parts) == ["who_runs", "apply"]
    unsure = [Parsed("faq", "who_runs", 0.99), Parsed("pre_apply", "apply", 0.6)]
    assert topics(Parsed("faq", "apply", 1.0), unsure) == ["apply"]


def test_a_follow_up_is_about_the_previous_topic_unless_its_own_is_clear():
    assert topics(UNSURE, follows=True, previous="contract") == ["contract"]
    assert topics(Parsed("faq", "deadline", 0.9), follows=True, previous="salary") == ["deadline"]
    promotion = Case(promotion=5)
    assert topics(UNSURE, case=promotion, previous="deadline") == ["deadline"]


def test_years_or_a_junior_with_no_clear_topic_are_about_pay():
    assert topics(UNSURE, case=Case(years=Years(15, False)), follows=True) == ["salary"]
    junior = Case(seniority=question.JUNIOR)
    assert topics(Parsed("nlu_fallback", "profiles", 0.3), case=junior, follows=True) == ["salary"]


def test_years_outside_a_form_are_pay_unless_worded_as_a_correction():
    years = Case(years=Years(12, True))
    assert topics(Parsed("correct"), case=years) == ["salary"]
    assert topics(Parsed("correct"), case=years, correction=True) == []
    assert topics(Parsed("correct")) == []
    # "en fait j'en ai plutôt 11, ça change quelque chose ?" right after the pay: its years
    assert topics(Parsed("correct"), case=years, correction=True, previous="salary") == ["salary"]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("en fait j'en ai plutôt 11 si je compte mon alternance, ça change quelque chose ?", 11),
        ("et si j'en avais quasiment douze ?", 12),
        ("j'en ai presque 10", 10),
        ("actually it's closer to 12, does that change it?", 12),
        ("more like 11 in fact", 11),
    ],
)
def test_years_named_by_en_are_read(text, years):
    assert question.read_years(text, TODAY).value == years


@pytest.mark.parametrize(
    "text",
    [
        "j'en ai 2 enfants",
        "j'en ai 3 mois",
        "j'en ai monté 2",
        "j'en ai 4 000 €",
        "closer to 5000 a month?",
        "more like 6 months?",
    ],
)
def test_other_things_named_by_en_are_not_years(text):
    assert question.read_years(text, TODAY) is None


def test_other_intents_are_left_alone_unless_they_follow_on():
    out = Parsed("out_of_scope", "salary", 0.9)
    assert topics(out, case=Case(profile="data_scientist"), previous="salary") == []
    assert topics(out, follows=True, previous="webinars") == ["webinars"]


def test_a_follow_up_read_as_a_wish_gets_its_own_topic_when_it_is_sure():
    wish = Parsed("pre_apply", "apply", 0.78)
    assert topics(wish, follows=True, previous="selection_criteria") == ["apply"]
    doubtful = Parsed("pre_apply", "apply", 0.4)
    assert topics(doubtful, follows=True, previous="selection_criteria") == ["selection_criteria"]


def test_a_plain_question_gets_its_own_topic():
    assert topics(SURE_SALARY, previous="contract") == ["salary"]


def test_parses_and_clause_records_are_read_back():
    parse = {"response": {"intent_response_key": "faq/salary", "confidence": 0.8}}
    whole = question.parsed_from({"name": "faq"}, {"faq": parse})
    assert whole == Parsed("faq", "salary", 0.8)
    assert question.parsed_from(None, "junk") == Parsed(None)
    records = [question.clause_record(whole, "quel salaire"), "junk", {"intent": None}]
    assert question.clauses_from(records) == [whole, Parsed(None)]


def test_asking_for_the_previous_answer_again_leans_on_it():
    assert question.leans_on_previous("vous pouvez me redonner les points clés ?")
    assert question.leans_on_previous("could you remind me of the main points?")
    assert not question.leans_on_previous("quel est le résumé du programme")


def test_a_profile_alone_asks_about_profiles_not_about_the_previous_answer():
    cto = Case(profile="technical_director")
    assert topics(Parsed("faq", "profiles", 0.4), case=cto, previous="salary") == ["profiles"]


def test_years_stated_without_a_word_of_pay_are_not_a_pay_question():
    statement = Case(years=Years(4, True), profile="developer")
    assert topics(Parsed("faq", "profiles", 0.4), case=statement) == ["profiles"]
    assert topics(Parsed("faq", "profiles", 0.4), case=statement, pay=True) == ["salary"]
    assert question.asks_pay("je toucherais combien ?") and question.asks_pay(
        "how much would I get"
    )
    assert not question.asks_pay("jsuis dev fullstack 4ans xp")


def test_a_short_follow_up_read_as_a_correction_is_a_follow_up():
    assert topics(Parsed("correct"), follows=True, previous="contract") == ["contract"]


def test_comparing_with_the_previous_answer_leans_on_it():
    assert question.leans_on_previous("is it the same for women?")
    assert question.leans_on_previous("c'est pareil pour les femmes ?")


def test_what_someone_would_make_is_pay():
    assert question.asks_pay("what would someone with fifteen years of experience make?")


def test_experience_that_follows_on_the_pay_answer_stays_on_pay():
    junior = Case(seniority=question.JUNIOR)
    wrong = Parsed("faq", "contact", 0.7)
    assert topics(wrong, case=junior, follows=True, previous="salary") == ["salary"]
    assert topics(wrong, case=junior, follows=True, previous="contract") == ["contact"]


def test_a_question_the_texts_do_not_answer_beside_one_they_do_gets_its_own_answer():
    parts = [Parsed("faq", "who_runs", 0.8), Parsed("nlu_fallback", "not_in_sources", 0.4)]
    assert question.clause_topics(parts) == ["who_runs", "not_in_sources"]
    assert topics(Parsed("faq", "who_runs", 0.7), parts) == ["who_runs", "not_in_sources"]
    vague = [Parsed("faq", "salary", 0.8), Parsed("nlu_fallback", "contract", 0.3)]
    assert question.clause_topics(vague) == []
    doubtful = [Parsed("faq", "salary", 0.8), Parsed("faq", "not_in_sources", 0.2)]
    assert question.clause_topics(doubtful) == []


def test_a_time_asked_right_after_an_answer_is_about_it_however_it_is_read():
    out = Parsed("out_of_scope", "host_cofinancing", 0.3)
    assert topics(out, case=Case(asks_time=True), previous="webinars") == ["webinars"]
    assert topics(out, case=Case(asks_time=True)) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("renewable?", True),
        ("renouvelable ?", True),
        ("en CDI ?", True),
        ("renouvelable", False),  # not asked
        ("quel contrat ?", False),  # a question word: a question of its own
        ("is it renewable?", False),
        ("c'est renouvelable combien de fois ?", False),
    ],
)
def test_a_question_of_one_or_two_words_is_a_fragment(text, fragment):
    assert question.is_fragment(text) is fragment


def test_a_fragment_read_as_a_programme_question_or_unsure_is_a_follow_up():
    unsure = Parsed("nlu_fallback", "webinars", 0.3)
    assert answer(unsure, [], NO_CASE, False, "contract", fragment=True) == ["contract"]
    out = Parsed("out_of_scope", None, 0.0)  # "pizza?" after the contract answer
    assert answer(out, [], NO_CASE, False, "contract", fragment=True) == []
    cto = Case(profile="technical_director")  # "CTO ?" asks about that profile
    assert answer(unsure, [], cto, False, "salary", fragment=True) == ["profiles"]


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("et il faut combien d'années d'expérience ?", True),
        ("how many years of experience do you need?", True),
        ("combien d'années d'expérience minimum ?", True),
        ("what experience is required?", True),
        ("how many years of experience do I have to have?", True),
        ("avec 10 ans je touche combien ?", False),
        ("I have 12 years of experience, how much would I get?", False),
        ("combien d'années dure le contrat ?", False),
    ],
)
def test_how_much_experience_is_required(text, asks):
    assert question.asks_required_experience(text) is asks


def test_the_experience_required_is_the_profiles_whatever_the_topic_read():
    salary = Parsed("faq", "salary", 1.0)  # "années" pulls it towards pay
    required = {"required_experience": True}
    assert answer(salary, [], NO_CASE, True, "self_taught", **required) == ["profiles"]
    unsure = Parsed("nlu_fallback", "contract", 0.3)
    assert answer(unsure, [], NO_CASE, False, None, **required) == ["profiles"]
    years = Case(years=Years(12, True))  # years given: the pay for them, as before
    assert answer(salary, [], years, False, None, **required) == ["salary"]
    pre_apply = Parsed("pre_apply", None, 0.0)
    assert answer(pre_apply, [], NO_CASE, False, None, **required) == []


def test_an_unclear_question_naming_a_profile_asks_whether_it_is_sought():
    designer = Case(profile="designer")  # "je suis designer, c'est bon ?"
    unsure = Parsed("nlu_fallback", "contract", 0.4)
    assert answer(unsure, [], designer, False, None) == ["profiles"]
    assert answer(unsure, [], designer, False, None, pay=True) == []
    sure = Parsed("faq", "salary", 0.9)  # "combien gagne un designer ?": its own topic
    assert answer(sure, [], designer, False, None) == ["salary"]
    other = Parsed("greet", None, 0.0)
    assert answer(other, [], designer, False, None) == []


def test_back_then_takes_the_promotion_or_year_of_an_earlier_question():
    assert question.refers_back("and what did they pay back then?")
    assert question.refers_back("c'était payé combien à l'époque ?")
    assert question.refers_back("what about webinars that year?")
    assert not question.refers_back("c'est payé combien cette année ?")  # this year: today
    assert question.leans_on_previous("c'était combien à l'époque ?")
    earlier = Case(promotion=5)
    assert question.with_earlier(Case(), earlier) == Case(promotion=5)
    assert question.with_earlier(Case(year=2018), earlier) == Case(year=2018)  # its own
    assert question.with_earlier(Case(), None) == Case()


def test_pay_asked_after_another_answer_is_pay_when_the_classifier_leans_to_it():
    unclear_pay = Parsed("faq", "salary", 0.4)
    assert answer(unclear_pay, [], NO_CASE, True, "deadline", pay=True) == ["salary"]
    assert answer(unclear_pay, [], NO_CASE, True, "deadline") == ["deadline"]


def test_two_profiles_named_are_the_profiles_in_general():
    compared = read("c'est quoi la différence entre directeur produit et directeur technique ?")
    assert compared == Case(several_profiles=True)
    unsure = Parsed("nlu_fallback", "contract", 0.3)
    assert answer(unsure, [], compared, False, "salary") == ["profiles"]
    assert read("product director or technical director?").profile is None
    assert read("je suis CTO, ça passe ?").profile == "technical_director"


@pytest.mark.parametrize(
    ("text", "core"),
    [
        (
            "Je suis développeur depuis 9 ans, j'ai monté une agence web. Depuis je fais du "
            "conseil. C'est quoi le contrat exactement ?",
            "C'est quoi le contrat exactement ?",
        ),
        (
            "Madame, Monsieur, je souhaiterais connaître les modalités de candidature. "
            "Veuillez agréer mes salutations distinguées.",
            "je souhaiterais connaître les modalités de candidature.",
        ),
        (
            "Good morning, I would be most grateful to be told when applications open. "
            "Best regards, Hélène",
            "I would be most grateful to be told when applications open.",
        ),
        (
            "To whom it may concern: I kindly request the erasure of my personal data.",
            "I kindly request the erasure of my personal data.",
        ),
        ("Bonjour, c'est quoi le salaire ?", "c'est quoi le salaire ?"),
        (
            "I'm a head of product. I have a notice period of three months. Who hires me? "
            "And where do I work?",
            "Who hires me? And where do I work?",
        ),
        # No question: the request; no request either: the last of several sentences.
        (
            "J'ai raté l'appel. Je veux être prêt cette fois. Merci !",
            "Je veux être prêt cette fois.",
        ),
        ("J'ai raté le dernier appel. Cette fois je serai prête.", "Cette fois je serai prête."),
    ],
)
def test_a_message_of_several_sentences_is_read_by_its_question(text, core):
    assert question.core_question(text) == core


@pytest.mark.parametrize(
    "text",
    [
        "c'est quoi le salaire ?",  # one sentence: the whole message
        "Salut, moi c'est Inès !",  # a greeting and a name: what it says is the greeting
        "Merci beaucoup. Bonne journée !",  # courtesies only
        "ok",
        "",
    ],
)
def test_a_message_with_nothing_to_set_aside_has_no_core(text):
    assert question.core_question(text) is None


def test_years_with_pay_said_outright_are_pay_even_read_as_unanswered():
    years = Case(years=Years(10, False))
    unanswered = Parsed("faq", "not_in_sources", 1.0)
    assert answer(unanswered, [], years, False, None, pay_said=True) == ["salary"]
    assert answer(unanswered, [], years, False, None) == ["not_in_sources"]
    assert question.says_pay("avec 10 ans pile je suis a 4250 ou a 5000 ?")
    assert question.says_pay("is it 3,500 € net?")
    assert not question.says_pay("avec 12 ans, le contrat dure combien de temps ?")


@pytest.mark.parametrize(
    "text, how_long",
    [
        ("ça dure combien de temps ?", True),
        ("how long do those last", True),
        ("et ça prend combien de temps ?", True),
        ("how long?", True),
        ("how long is the contract?", False),  # names what lasts
        ("la mission dure combien de temps ?", False),
        ("combien de temps dure le programme EIG ?", False),
        ("c'est quoi le salaire ?", False),
        ("how long does it take for the selection committee to read every application", False),
        # names what lasts, another thing than the webinars just answered
        ("et les entretiens durent combien de temps ?", False),
        ("how long do the interviews last?", False),
    ],
)
def test_how_long_of_nothing_named_is_read(text, how_long):
    assert question.asks_how_long_of_previous(text) is how_long
    if how_long:
        assert question.leans_on_previous(text)


def test_how_long_after_something_that_lasts_is_about_it_however_sure_the_contract():
    contract = Parsed("faq", "contract", 1.0)
    for previous in ("selection_process", "webinars", "support"):
        assert answer(contract, [], NO_CASE, True, previous, how_long=True) == [previous]
    # after the pay or with nothing before, "how long?" is the contract's length
    assert answer(contract, [], NO_CASE, True, "salary", how_long=True) == ["contract"]
    assert answer(contract, [], NO_CASE, True, None, how_long=True) == ["contract"]
    # two questions are answered each, as before
    parts = [Parsed("faq", "salary", 0.9), Parsed("faq", "contract", 0.9)]
    assert answer(contract, parts, NO_CASE, True, "webinars", how_long=True) == [
        "salary",
        "contract",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "en 2021 le contrat durait 10 mois, c'est toujours pareil ?",
        "la promo 5 avait des webinaires, il y en a encore aujourd'hui ?",
        "EIG 6 paid 4,000, is that still the case?",
    ],
)
def test_a_past_promotion_named_to_ask_about_today_asks_about_the_current_one(text):
    case = read(text)
    assert case.promotion is None and case.year is None


def test_a_past_promotion_asked_about_stays_named():
    assert read("en 2021 le contrat durait combien ?").year == 2021
    assert read("the 5th promotion's pay?").promotion == 5


def test_a_follow_up_naming_a_profile_asks_whether_it_is_sought_unless_it_follows_the_pay():
    unsure = Parsed("nlu_fallback", "self_taught", 0.4)
    data = Case(profile="data_scientist")
    assert topics(unsure, case=data, follows=True, previous="self_taught") == ["profiles"]
    assert topics(unsure, case=data, follows=True, previous="salary") == ["salary"]
    assert topics(unsure, follows=True, previous="self_taught") == ["self_taught"]


def test_a_follow_up_naming_a_promotion_that_counts_nothing_stays_on_the_previous_topic():
    figures = Parsed("faq", "key_figures", 1.0)
    in_2021 = Case(year=2021)
    assert answer(figures, [], in_2021, True, "webinars", counts=False) == ["webinars"]
    assert answer(figures, [], Case(promotion=5), True, "salary", counts=False) == ["salary"]
    # how many, or not a follow-up: the key figures
    assert answer(figures, [], in_2021, True, "webinars", counts=True) == ["key_figures"]
    assert answer(figures, [], in_2021, False, "webinars", counts=False) == ["key_figures"]
    assert question.counts_something("and how many challenges were there in 2018")
    assert not question.counts_something("and when were they in 2021?")


def test_pay_named_with_a_promotion_or_an_unsure_topic_is_about_pay():
    figures = Parsed("faq", "key_figures", 1.0)
    promo = Case(promotion=3)
    said = {"pay_said": True}
    assert answer(figures, [], promo, False, None, counts=False, **said) == ["salary"]
    assert answer(figures, [], promo, False, None, counts=True, **said) == ["key_figures"]
    # another employer's pay is out of scope, whatever its topic's guess
    other = Parsed("out_of_scope", "key_figures", 0.6)
    assert answer(other, [], NO_CASE, False, None, pay_said=True) == []
    # "et combien sont restés dans le public ?": how many, not pay
    assert answer(figures, [], NO_CASE, True, "key_figures", pay=True) == ["key_figures"]
    unsure = Parsed("nlu_fallback", "salary", 0.3)
    assert answer(unsure, [], NO_CASE, False, None, pay_said=True) == ["salary"]
    assert answer(unsure, [], NO_CASE, False, None) == []
    assert (
        read("jai fait partie de la promo 2018 (EIG 3), le salaire a changé depuis ?").promotion
        is None
    )


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("et si j'en ai exactement 10 ?", 10),
        ("what if I have exactly 10?", 10),
        ("et avec dix ?", 10),
        ("et à 11 ?", 11),
        ("10% ?", None),
        ("à 14h ?", None),
        ("and in 2021?", None),
        ("et 3500 € ?", None),
        ("entre 8 et 12 ?", None),
        ("et pour 3 mois ?", None),
        ("et le contrat c'est un CDI ?", None),  # "un" is an article
        ("and one more thing", None),
    ],
)
def test_bare_number_is_one_small_number_without_a_unit(text: str, number: int | None):
    assert question.bare_number(text) == number


@pytest.mark.parametrize(
    ("text", "varies"),
    [
        ("ça change selon qu'on est produit ou technique ?", True),
        ("does it vary by profile?", True),
        ("est-ce que ça dépend du profil ?", True),
        ("c'est pareil pour les hôpitaux ?", True),
        ("ça va ?", False),
        ("le salaire change selon le profil ?", False),
    ],
)
def test_asks_if_it_varies(text: str, varies: bool):
    assert question.asks_if_it_varies(text) is varies
    if varies:
        assert question.leans_on_previous(text)


def test_host_topics_are_the_administrations():
    assert question.is_host_topic("host_timeline")
    assert not question.is_host_topic("deadline")
    assert not question.is_host_topic(None)


def test_the_other_one_points_back():
    assert question.leans_on_previous("what does the tech one involve?")
    assert question.leans_on_previous("and the other one?")


def test_a_bracket_is_pay():
    assert question.says_pay("10 years exactly, which bracket do I fall in?")
    assert question.asks_pay("je suis dans quelle tranche avec 8 ans ?")


def test_a_question_on_that_leans_on_the_previous_answer():
    assert question.leans_on_previous(
        "would that move up to the higher level after a few more years?"
    )
    assert not question.leans_on_previous("is it possible to do the whole thing remotely from Lyon")
    assert not question.leans_on_previous(
        "does this programme accept foreigners who live abroad and do not speak french?"
    )


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("ok and past 10?", Years(11, False, exact=False)),
        ("et plus de 10 ?", Years(11, False, exact=False)),
        ("et avec 12 ?", Years(12, False)),
        ("and 10 and a half?", Years(11, False, exact=False)),  # past 10, as the form reads it
        ("et le contrat c'est un CDI ?", None),
        ("et dans deux ans j'en aurai onze, ça change quoi ?", Years(11, False)),
        ("in two years I'll have eleven, does that change anything?", Years(11, False)),
    ],
)
def test_a_number_alone_after_the_pay_names_its_side_of_the_boundary(text, years):
    assert question.bare_years(text) == years


def test_ten_years_and_a_half_said_before_the_unit_are_past_ten():
    assert read("10 and a half years").years == Years(11, False, exact=False)
    assert read("10+ years of experience").years == Years(11, True, exact=False)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "My daughter is 34, she's been a designer for ages and is fed up with selling ads. "
            "She won't ask herself: what profiles are you looking for?",
            [],
        ),
        (
            "I'm a product lead and my partner works at a ministry, she says the State needs "
            "people like me. Before I jump in, what's the salary with 12 years?",
            [],
        ),
        (
            "I'm taking some time off to think about what's next. Who would employ me and "
            "for how long?",
            [],
        ),
        ("What is the salary. Is the contract renewable?", ["What is the salary.", "Is the "
         "contract renewable?"]),
        ("c'est quoi le salaire et la durée du contrat ?", ["c'est quoi le salaire",
         "la durée du contrat ?"]),
    ],
)  # fmt: skip
def test_a_sentence_that_tells_asks_only_when_a_question_word_opens_it(text, parts):
    assert question.clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "tu peux faire plus court",
        "tu peux résumer en une phrase ?",
        "en gros ? plus simple stp",
        "can you put all that in one line, plain words",
        "can you sum that up in three bullet points?",
        "quand ?",
        "et combien ?",
        "where?",
        "où ça ?",
    ],
)
def test_asking_the_answer_again_simpler_or_a_question_word_alone_leans_on_it(text):
    assert question.leans_on_previous(text)


@pytest.mark.parametrize(
    "text",
    [
        "en gros c'est combien le salaire ?",
        "c'est quoi EIG en deux mots ?",
        "can I send my resume?",
        "quand est-ce que ça ouvre ?",
    ],
)
def test_a_question_of_its_own_is_no_request_for_the_answer_again(text):
    assert not question.asks_it_simpler(text)


def test_the_answer_asked_again_simpler_keeps_its_topic_however_sure_the_classifier():
    sure_elsewhere = Parsed("faq", "what_is_eig", 1.0, 1.0)
    assert answer(sure_elsewhere, [], NO_CASE, True, "support", simpler=True) == ["support"]
    assert topics(sure_elsewhere, follows=True, previous="support") == ["what_is_eig"]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "Je suis au service informatique d'un centre hospitalier, les hôpitaux ont le "
            "droit de répondre à l'appel à projets ?",
            "les hôpitaux ont le droit de répondre à l'appel à projets ?",
        ),
        (
            "Bonjour, nous sommes une autorité indépendante : pouvons-nous candidater ?",
            "pouvons-nous candidater ?",
        ),
        (
            "Bonjour, excusez-moi, je préfère écrire en français : combien gagne un EIG ?",
            "combien gagne un EIG ?",
        ),
        ("Bonjour, je suis chargée de mission à la mairie de Saint-Brieuc", None),
        ("si je suis autodidacte, je peux postuler ?", None),
        # who writes, by name
        ("Kevin here, how do I apply?", "how do I apply?"),
        ("Bonjour, moi c'est Inès, comment on postule ?", "comment on postule ?"),
        ("c'est quoi, le salaire des EIG ?", None),
    ],
)
def test_the_question_after_someone_says_who_they_are(text, asked):
    assert question.question_after_introduction(text) == asked


@pytest.mark.parametrize(
    ("text", "core"),
    [
        (
            "merci, vous pouvez me redonner le mail de l'équipe ?",
            "vous pouvez me redonner le mail de l'équipe ?",
        ),
        ("Merci, vous m'avez bien aidée", None),
        ("merci beaucoup, au revoir", None),
    ],
)
def test_thanks_before_a_question_are_set_aside(text, core):
    assert question.core_question(text) == core


def test_tax_is_a_word_of_pay():
    assert question.says_pay("is that before or after tax")


def test_years_and_a_profile_without_pay_ask_whether_it_is_sought():
    case = Case(years=Years(2, True), profile="developer")
    unclear = Parsed("faq", "team_size", 0.4, 1.0)
    assert topics(unclear, case=case, previous="who_runs") == ["profiles"]
    assert topics(unclear, case=case, follows=True, previous="salary") == ["salary"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("A friend told me EIGs make 5k a month, is that true?", True),
        ("Un collègue m'a dit que c'était 5000 balles par mois, c'est vrai ça ?", True),
        ("ok donc au minimum 4250 c'est ça ?", True),
        ("il y a 200 EIG ?", False),
        ("en 2022 c'était 50 non ?", False),
        # a thousands comma, a month said
        ("someone in the webinar said 5,000 a month, is that for everyone?", True),
        ("on m'a parlé de 3800 par mois", True),
        ("2016 à 2022", False),
    ],
)
def test_an_amount_of_pay_said_is_read(text, named):
    assert question.names_pay_amount(text) is named


def test_an_amount_of_pay_said_asks_the_pay_whatever_the_topic_read():
    figures = Parsed("faq", "key_figures", 0.9, 1.0)
    assert answer(figures, [], NO_CASE, False, None, amount=True) == ["salary"]
    hosts = Parsed("faq", "host_cofinancing", 0.9, 1.0)
    assert answer(hosts, [], NO_CASE, False, None, amount=True) == ["host_cofinancing"]


@pytest.mark.parametrize(
    "text", ["what's the compensation like?", "la rému ?", "et niveau thune ?", "le package ?"]
)
def test_the_words_of_pay_people_use_say_pay(text):
    assert question.says_pay(text)


def test_pay_said_in_a_question_the_classifiers_doubt_is_the_pay():
    unsure = Parsed("nlu_fallback", "what_is_eig", 0.3)
    assert answer(unsure, [], NO_CASE, False, None, pay_said=True) == ["salary"]
    # not another employer's, nor the administrations' money
    assert answer(unsure, [], NO_CASE, False, None, pay_said=True, other_employer=True) == []
    # "et côté argent ?", its guess the administrations' co-financing, names none
    hosts = Parsed("nlu_fallback", "host_cofinancing", 0.3)
    assert answer(hosts, [], NO_CASE, False, None, pay_said=True) == ["salary"]
    said = question.read_message("qui paie, le PIA ou l'administration ?")
    assert said.pay_said and said.hosts_money
    assert question.topics_to_answer(hosts, [], NO_CASE, said, None) != ["salary"]
    assert answer(unsure, [], NO_CASE, False, "host_commitments", pay_said=True) != ["salary"]


def test_an_amount_of_pay_named_back_in_doubt_is_the_pay_not_the_previous_answer():
    unsure = Parsed("nlu_fallback", None, 0.3)
    # "you mentioned 5000 a month, who gets that?" after the webinars
    assert answer(unsure, [], NO_CASE, True, "webinars", amount=True) == ["salary"]
    assert answer(unsure, [], NO_CASE, True, "host_cofinancing", amount=True) == [
        "host_cofinancing"
    ]


@pytest.mark.parametrize("text", ["from how many years?", "à partir de combien d'années ?"])
def test_where_the_pay_bands_start_asked_after_the_pay_is_the_pay(text):
    figures = Parsed("faq", "key_figures", 0.9, 1.0)
    said = question.read_message(text)
    assert said.threshold
    assert question.topics_to_answer(figures, [], NO_CASE, said, "salary") == ["salary"]
    assert question.topics_to_answer(figures, [], NO_CASE, said, "deadline") != ["salary"]


def test_a_profile_in_a_follow_up_of_the_pay_is_the_pay():
    profiles = Parsed("faq", "profiles", 1.0, 1.0)
    text = "and for a data scientist?"
    said, case = question.read_message(text), question.read(text, TODAY)
    assert question.topics_to_answer(profiles, [], case, said, "salary") == ["salary"]
    assert question.topics_to_answer(profiles, [], case, said, "contract") == ["profiles"]


def test_pay_said_with_a_profile_read_as_the_profiles_is_pay():
    case = Case(profile="product_director")
    profiles = Parsed("faq", "profiles", 0.9, 1.0)
    assert question.says_pay("Quel est le salare pour un directeur de produit ?")
    assert topics(profiles, case=case, pay=True) == ["profiles"]
    assert answer(profiles, [], case, False, None, pay_said=True) == ["salary"]


@pytest.mark.parametrize(
    ("text", "more"),
    [
        ("et de projets ?", True),
        ("and how many projects?", True),
        ("et le salaire ?", False),
        ("et les projets retenus, ils portaient sur quoi ?", False),
    ],
)
def test_another_count_right_after_one(text, more):
    assert question.counts_more(text) is more


def test_another_count_after_the_key_figures_stays_on_them():
    criteria = Parsed("faq", "host_project_criteria", 0.9, 1.0)
    assert answer(criteria, [], NO_CASE, True, "key_figures", counted_more=True) == ["key_figures"]
    assert answer(criteria, [], NO_CASE, True, "salary", counted_more=True) == [
        "host_project_criteria"
    ]


def test_pay_said_right_after_the_pay_with_no_clear_topic_is_pay():
    unsure = Parsed("nlu_fallback", "support", 0.2, 0.3)
    assert question.says_pay("la prime de 6 % c'est sur quoi ?")
    assert answer(unsure, [], NO_CASE, False, "salary", pay_said=True) == ["salary"]


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("et qui est derrière ?", True),
        ("and where did they work?", True),
        ("when did it all start?", False),  # about what was just said
        ("et combien ?", False),
        ("what does the tech one involve?", False),
    ],
)
def test_a_follow_up_with_a_question_of_its_own(text, own):
    assert question.asks_its_own_question(text) is own


def test_a_follow_up_with_a_question_of_its_own_keeps_a_fairly_sure_topic():
    who = Parsed("faq", "who_runs", 0.56, 1.0)
    assert topics(who, follows=True, previous="what_is_eig") == ["what_is_eig"]
    assert answer(who, [], NO_CASE, True, "what_is_eig", own_question=True) == ["who_runs"]
    vague = Parsed("faq", "who_runs", 0.3, 1.0)
    assert answer(vague, [], NO_CASE, True, "what_is_eig", own_question=True) == ["what_is_eig"]


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("when then?", True),  # a question word alone, "then" after it
        ("quand alors ?", True),
        ("l'an dernier c'était à quelle date ?", True),  # the past of what was just said
        ("was it recorded?", True),
        ("what were the topics last time?", True),
        ("Was it recorded? A friend of mine missed it.", True),  # its one question, alone
        ("Is the call open? I attended the webinar yesterday and liked it a lot", False),
        ("c'était combien le salaire de la promo 3 quand vous avez lancé le programme ?", False),
    ],
)
def test_a_question_word_with_then_or_the_past_of_what_was_said_leans_on_it(text, leans):
    assert question.leans_on_previous(text) is leans


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("et côté calendrier ?", True),  # a subject of its own, named
        ("and as for the deadline?", True),
        ("et niveau salaire ?", True),
        ("et pour un CHU ?", False),  # a case of what was just said
        ("l'an dernier c'était à quelle date ?", False),  # what was just said, in the past
    ],
)
def test_a_follow_up_that_names_its_own_subject(text, own):
    assert question.asks_its_own_question(text) is own


def test_a_span_of_years_is_no_promotion_s_year():
    assert (
        question.read_calendar_year("how many EIGs were recruited between 2016 and 2022?") is None
    )
    assert question.read_calendar_year("combien d'EIG de 2016 à 2022 ?") is None
    assert question.read_calendar_year("le programme existe depuis 2016 ou 2017 ?") is None
    assert question.read_calendar_year("et en 2021 ?") == 2021


def test_the_variable_part_s_percentage_is_an_amount_of_pay():
    assert question.names_pay_amount("la prime de 6 % c'est sur quoi ?")
    assert question.names_pay_amount("is the 6% bonus guaranteed?")
    assert not question.names_pay_amount("60 % sont restés dans le public ?")


def test_a_promotion_s_call_named_by_its_rank_names_the_promotion():
    assert question.read_promotion("and when did the 6th call close?") == 6
    assert question.read_promotion("le 5e appel fermait quand ?") == 5
    assert question.read_promotion("2 calls a year?") is None


def test_that_year_or_that_promotion_refers_back():
    assert question.refers_back("on avait jusqu'à quand pour postuler cette année-là ?")
    assert question.refers_back("et à ce moment-là combien avaient été recrutés ?")
    assert question.refers_back("date limite de candidature pour cette promo ?")
    # a short question in the past: of the time just asked about
    assert question.refers_back("ils avaient recruté combien de personnes ?")
    assert question.refers_back("et les webinaires c'était quelles dates ?")
    assert not question.refers_back("is the call open?")
    assert not question.refers_back("were there any webinars?")  # asks in general as often


def test_the_variable_parts_percentages_are_pay():
    assert question.names_pay_amount("and the 6 percent, is that on top of it?")
    assert not question.names_pay_amount("60 percent stayed?")


def test_a_case_named_after_a_question_the_texts_do_not_answer_keeps_its_own_topic():
    unclear = Parsed("faq", "profiles", 0.44, 1.0)
    three = Case(years=Years(3, True))
    assert answer(unclear, [], three, False, "not_in_sources") == ["profiles"]
    assert answer(unclear, [], three, False, "contract") == ["contract"]
    assert answer(unclear, [], NO_CASE, True, "not_in_sources") == ["not_in_sources"]


def test_years_with_whether_one_may_apply_are_the_profiles_not_the_pay():
    assert question.asks_if_eligible("I only have 3 years of experience though, can I still apply?")
    assert question.asks_if_eligible("avec 3 ans ça passe ?")
    assert not question.asks_if_eligible("avec 3 ans je touche combien ?")
    unclear = Parsed("faq", "profiles", 0.44, 1.0)
    three = Case(years=Years(3, True))
    eligible = question.read_message("I only have 3 years of experience though, can I still apply?")
    assert question.topics_to_answer(unclear, [], three, eligible, "salary") == ["profiles"]
    self_taught = Parsed("faq", "self_taught", 0.9, 1.0)
    diploma = question.read_message("pas de diplome mais 10 ans de code, ça passe ?")
    ten = Case(years=Years(10, True))
    assert question.topics_to_answer(self_taught, [], ten, diploma, None) == ["self_taught"]
    pay = question.read_message("and with 3 years, how much?")
    assert question.topics_to_answer(unclear, [], three, pay, "salary") == ["salary"]


def test_a_length_after_the_contract_is_the_contract_s_not_years_of_experience():
    unsure = Parsed("nlu_fallback", "salary", 0.3, 0.3)
    one = Case(years=Years(1, True))
    after = question.read_message("et après un an c'est fini ?")
    assert question.topics_to_answer(unsure, [], one, after, "contract") == ["contract"]
    xp = question.read_message("et avec un an d'expérience ?")
    assert question.topics_to_answer(unsure, [], one, xp, "contract") == ["salary"]


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("et pour la promo 7 du coup ?", True),
        ("and what about EIG 5?", True),
        ("et en 2021 ?", True),
        ("et avec 15 ans ?", False),  # years of experience
        ("and in 2021, how many?", False),  # asks something of its own
    ],
)
def test_a_promotion_or_a_year_and_nothing_else(text, only):
    assert question.names_only_a_case(text) is only


def test_a_promotion_alone_after_an_answer_takes_that_answer_however_sure_the_classifier():
    sure_elsewhere = Parsed("faq", "not_in_sources", 1.0, 1.0)
    said = question.read_message("et pour la promo 7 du coup ?")
    assert question.topics_to_answer(sure_elsewhere, [], Case(promotion=7), said, "deadline") == [
        "deadline"
    ]


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("who decides?", True),
        ("qui décide au final ?", True),
        ("and who interviews me?", True),
        ("qui est-ce qui évalue ?", True),
        ("who runs the programme?", False),  # a question of its own
        ("who decides on the salary of a developer in a big company in paris?", False),
    ],
)
def test_who_does_what_was_just_described_leans_on_it(text, leans):
    assert question.leans_on_previous(text) is leans


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("et une fois le dossier envoyé ?", True),
        ("and once I've submitted?", True),
        ("what happens after I apply?", True),
        ("après avoir postulé il se passe quoi ?", True),
        ("et les prochaines étapes après le dossier, c'est quoi ?", True),
        ("comment je postule ?", False),
        ("after applying how long is the contract for someone with 12 years of experience?", False),
    ],
)
def test_what_follows_an_application_is_read(text, after):
    assert question.asks_after_applying(text) is after


def test_what_follows_an_application_is_the_selection_after_how_to_apply():
    whole = Parsed("faq", "not_in_sources", 0.6)
    said = {"after_applying": True}
    assert answer(whole, [], NO_CASE, True, "apply", **said) == ["selection_process"]
    assert answer(Parsed("faq", "apply", 0.4), [], NO_CASE, True, "apply", **said) == [
        "selection_process"
    ]
    assert answer(whole, [], NO_CASE, True, "apply") != ["selection_process"]


@pytest.mark.parametrize(
    "text",
    ["ah donc ça a augmenté depuis ?", "so it went up since?", "has it changed since?"],
)
def test_whether_what_was_said_went_up_is_asked_of_it(text):
    assert question.asks_if_it_varies(text)


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("is there one coming up?", True),
        ("il y en aura d'autres ?", True),
        ("y en a un bientôt ?", True),
        ("is there a recording?", False),
        ("are there any jobs in lyon for data scientists?", False),
    ],
)
def test_another_one_of_what_was_said_leans_on_it(text, leans):
    assert question.leans_on_previous(text) is leans


def test_a_profile_named_right_after_the_profiles_is_about_that_one():
    developers = question.read("what about developers?", TODAY)
    whole = Parsed("faq", "what_is_eig", 0.9)
    assert answer(whole, [], developers, True, "profiles") == ["profiles"]
    assert answer(whole, [], developers, True, "profiles", pay=True) != ["profiles"]


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("wasn't it 10 months before?", True),
        ("c'était pas 10 mois avant ?", True),
        ("and before?", True),
        ("what did you do before", False),
        # a subject of its own named first: its own question, as it was before
        ("le contrat c'est toujours un CDD de 10 mois comme avant ?", False),
        ("and the salary, was it the same before?", False),
        ("et la même chose avant ?", True),
    ],
)
def test_before_said_first_or_last_asks_about_before(text, before):
    assert question.asks_about_before(text) is before


def test_years_in_a_longer_question_that_opens_as_a_follow_up_of_the_pay_are_the_pay():
    text = "et mon associé qui a vingt-cinq ans de métier ?"
    said = question.read_message(text)
    assert said.opens_follow_up and not said.follows
    case = question.read(text, TODAY)
    whole = Parsed("faq", "not_in_sources", 0.9)
    assert question.topics_to_answer(whole, [], case, said, "salary") == ["salary"]
    assert question.topics_to_answer(whole, [], case, said, "contract") != ["salary"]


def test_how_long_of_a_subject_the_texts_do_not_cover_is_not_the_previous_answer():
    text = "how long do you stay in the pool?"
    said = question.read_message(text)
    unknown = Parsed("faq", "not_in_sources", question.UNKNOWN_SUBJECT_SURE)
    assert answer(unknown, [], NO_CASE, True, "selection_process", how_long=True) == [
        "not_in_sources"
    ]
    assert said.how_long
    unsure = Parsed("faq", "contract", 0.7)
    assert answer(unsure, [], NO_CASE, True, "selection_process", how_long=True) == [
        "selection_process"
    ]


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("how many interviews in total?", True),
        ("il y a combien d'entretiens dans la sélection ?", True),
        ("how many rounds of interviews?", True),
        ("how many EIGs in total?", False),
        ("combien de projets ?", False),
    ],
)
def test_how_many_interviews_or_steps_is_the_selection(text, counted):
    assert question.counts_selection_steps(text) is counted
    if counted:
        whole = Parsed("faq", "key_figures", 0.9)
        said = question.read_message(text)
        assert question.topics_to_answer(whole, [], NO_CASE, said, None) == ["selection_process"]


@pytest.mark.parametrize(
    ("text", "next_one"),
    [
        ("and when's the next one?", True),
        ("et le prochain c'est quand ?", True),
        ("quand est le prochain ?", True),
        ("and when does the next call open?", False),  # names its subject
        ("le prochain appel ?", False),
    ],
)
def test_the_next_one_of_what_was_listed(text, next_one):
    assert question.asks_next_one(text) is next_one


@pytest.mark.parametrize(
    ("text", "goes_on"),
    [
        ("et combien de défis ?", True),
        ("and the deadline?", True),
        ("et pour la 7e ?", True),  # names its own: with_earlier keeps it
        ("et maintenant ?", False),
        ("and now?", False),
        ("combien de défis ?", False),
        ("and what about the pay for someone with twelve years of experience?", False),
        # what one may do, now
        ("et on peut rester 2 ans ?", False),
        ("and can I stay longer?", False),
    ],
)
def test_a_short_follow_up_goes_on_with_the_case_unless_it_names_today(text, goes_on):
    assert question.goes_on_with_case(text) is goes_on


def test_could_i_asks_about_oneself_now_could_people_about_back_then():
    assert not question.refers_back("could I stay 2 years then?")
    assert question.refers_back("until when could people apply?")


@pytest.mark.parametrize(
    ("text", "follows"),
    [("right, and the 7th?", True), ("super, et pour la 5e ?", True), ("ok", False)],
)
def test_an_acknowledgement_before_a_follow_up_keeps_it_one(text, follows):
    assert question.leans_on_previous(text) is follows


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("and the second one covered what?", True),
        ("et le premier c'était sur quoi ?", True),
        ("et la 2e promo ?", False),
        ("and the 6th?", False),
    ],
)
def test_the_first_or_second_one_is_an_item_of_a_list(text, item):
    assert question.names_a_list_item(text) is item


@pytest.mark.parametrize(
    ("text", "back"), [("deadline was?", True), ("the pay was?", True), ("what is it?", False)]
)
def test_the_past_said_last_refers_back(text, back):
    assert question.refers_back(text) is back


@pytest.mark.parametrize(
    ("text", "since"),
    [("depuis quand ?", True), ("and since when?", True), ("since when is that?", False)],
)
def test_since_when_alone(text, since):
    assert question.asks_since_when(text) is since


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("back from the webinar, what about money?", "what about money?"),
        (
            "the webinar was cool but how long does the programme last?",
            "how long does the programme last?",
        ),
        (
            "pendant le webinaire vous avez parlé du salaire, c'est combien déjà ?",
            "pendant le vous avez parlé du salaire, c'est combien déjà ?",
        ),
        # on the webinar itself: its recording, its time, the next one, what to do next
        ("is there a replay of the webinar?", None),
        ("c'était à quelle heure le webinaire ?", None),
        ("le prochain webinaire c'est quand ?", None),
        ("I attended the webinar, what now?", None),
        ("how long was the webinar?", None),  # no subject of its own
        ("quel est le salaire ?", None),  # no webinar
    ],
)
def test_a_webinar_named_as_where_a_question_comes_from_is_set_aside(text, asked):
    assert question.webinar_as_context(text) == asked


@pytest.mark.parametrize(
    ("text", "elsewhere"),
    [
        ("is SNCF hiring developers right now?", True),
        ("la Région Île-de-France a des postes de chef de projet numérique ouverts ?", True),
        ("comment je postule à l'ANSSI ?", True),
        ("are there developer openings at the European Commission?", True),
        ("I work at Capgemini, what would the salary be?", False),  # the EIGs' pay
        ("Je suis développeur chez Doctolib, je peux postuler ?", False),
        ("Is the DINUM hiring?", False),  # the programme's own names
        ("Can I apply with a PhD from MIT?", False),
        ("could I do the job remotely from Montreal?", False),  # a place
        ("un job à Lyon c'est possible ?", False),
    ],
)
def test_jobs_at_another_organisation_are_read(text, elsewhere):
    assert question.asks_jobs_elsewhere(text) is elsewhere


def test_recruiting_at_another_organisation_is_not_the_programme_recruiting():
    assert not question.read_message("is SNCF hiring developers right now?").recruits
    assert question.read_message("do you still hire designers at all?").recruits
