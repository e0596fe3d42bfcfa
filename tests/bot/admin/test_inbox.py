"""The inbox on real stores: what shows (redacted, grouped, counted, newest first), the
context link, the decisions and the training examples they make."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil

import pytest
import yaml

from bot import ROOT
from bot.admin import training
from bot.applications import feedback
from tests.bot.admin.conftest import add_events, raw, signed_in

MID = "f" * 32


def user(text, intent="nlu_fallback", confidence=0.3, **extra):
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": confidence}, "text": text},
        **extra,
    }


def bot(text, **metadata):
    return {"event": "bot", "text": text, "metadata": metadata}


FALLBACK = {"event": "action", "name": "action_default_fallback"}
FR = {"event": "slot", "name": "language", "value": "fr"}


@pytest.fixture
def filled(conversations, storage):
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    add_events(conversations, "a" * 32, [FR, user("Bonjour", "greet", 0.99), bot("Bonjour !"),
               user("blorp glorp ?"), FALLBACK, bot("Je n'ai pas compris."),
               user("merci", "thanks", 0.98), bot("Avec plaisir")], start=now - 7200)  # fmt: skip
    add_events(conversations, "b" * 32, [FR, user("Blorp  glorp"), FALLBACK,
               bot("Je n'ai pas compris.")], start=now - 3600)  # fmt: skip
    add_events(conversations, "c" * 32, [FR,
        user("mon mail est jeanne.dupont@example.org, et le salaire ?", "faq", 0.4),
        bot("Le salaire…"),
        {"event": "active_loop", "name": "pre_application_form"},
        {"event": "slot", "name": "requested_slot", "value": "first_name"},
        user("Camille Zorglub", "inform", 0.2), bot("Merci Camille Zorglub !", first_name="Camille Zorglub"),
        {"event": "slot", "name": "first_name", "value": "Camille Zorglub"},
    ], start=now - 1800)  # fmt: skip
    add_events(conversations, "d" * 32, [FR, user("combien on gagne en tant qu'eig", "faq", 0.99),
               bot("4 250 €", message_id=MID)], start=now - 600)  # fmt: skip
    feedback.record(storage, feedback.Feedback(MID, "utter_faq/salary", "fr", False, "bof"))


async def test_the_inbox_groups_counts_redacts_and_orders(client, editor, filled):
    await signed_in(client, "eddie")
    html = await (await client.get("/admin/fr/")).text()
    titles = re.findall(r'<h2 class="fr-h5 eig-admin-item__title"[^>]*>« (.*?) »</h2>', html)
    assert titles == [
        "combien on gagne en tant qu&#39;eig",  # newest: a "no" in the feedback buttons
        "mon mail est [redacted], et le salaire ?",
        "blorp glorp ?",  # two conversations, near-same texts, one group
    ]
    assert "2 fois" in html and "réponse jugée inutile" in html and "faible confiance" in html
    for secret in ("jeanne", "dupont", "Zorglub", "a" * 32, "b" * 32, "c" * 32, "d" * 32):
        assert secret not in html
    only_en = await (await client.get("/admin/fr/?language=en")).text()
    assert "blorp" not in only_en and "Rien à trier" in only_en


async def test_the_context_is_one_click_away_and_redacted(client, editor, filled):
    await signed_in(client, "eddie")
    html = await (await client.get("/admin/fr/")).text()
    links = re.findall(r'href="(/admin/fr/context\?c=[^"]+)"', html)
    assert len(links) == 4  # one per conversation of each group
    pages = [await (await client.get(link)).text() for link in links]
    context = next(
        page for page in pages if "Je n&#39;ai pas compris" in page and "Bonjour" in page
    )
    assert context.index("Bonjour") < context.index("blorp glorp") < context.index("merci")
    assert "ce message" in context
    mail = next(page for page in pages if "salaire" in page)
    assert "jeanne" not in mail and "Zorglub" not in mail and "[redacted]" in mail
    assert (await client.get("/admin/fr/context?c=forged")).status == 404


async def test_this_is_topic_x_makes_a_pending_example_merged_into_data_nlu(
    client, editor, storage, filled, tmp_path
):
    token = await signed_in(client, "eddie")
    form = {"csrf": token, "language": "fr", "text": "blorp glorp", "count": "2",
            "decision": "topic", "topic": "faq/salary", "example": "blorp glorp, ça paie combien ?"}  # fmt: skip
    reply = await client.post("/admin/fr/decide", data=form, allow_redirects=False)
    assert reply.status == 303
    page = await (await client.get(reply.headers["Location"])).text()
    assert "Exemple ajouté aux changements en attente" in page
    assert "blorp" not in page  # decided: out of the inbox
    [row] = raw(storage, "inbox_decisions")
    assert (row["decision"], row["topic"], row["example"], row["decided_by"]) == (
        "topic", "faq/salary", "blorp glorp, ça paie combien ?", "eddie"
    )  # fmt: skip
    assert "ça paie combien" in await (await client.get("/admin/fr/pending")).text()

    nlu = tmp_path / "nlu"
    shutil.copytree(ROOT / "data" / "nlu", nlu)
    merged, refused = training.merge(storage, nlu)
    assert refused == [] and [item.example for item, _ in merged] == [row["example"]]
    [(_, path)] = merged
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    block = next(b for b in data["nlu"] if b["intent"] == "faq/salary")
    assert "- blorp glorp, ça paie combien ?" in block["examples"].splitlines()
    changed = [p.name for p in (nlu / "fr").glob("*.yml")
               if p.read_text() != (ROOT / "data/nlu/fr" / p.name).read_text()]  # fmt: skip
    assert changed == [path.name]
    assert raw(storage, "inbox_decisions")[0]["merged_at"] is not None
    assert training.merge(storage, nlu) == ([], [])  # merged once


async def test_a_held_out_sentence_is_refused(client, editor, storage, filled):
    held_out = next(text for _, text in training._examples(ROOT / "tests" / "nlu" / "fr.yml"))
    token = await signed_in(client, "eddie")
    form = {"csrf": token, "language": "fr", "text": "blorp glorp", "count": "2",
            "decision": "topic", "topic": "greet", "example": held_out.upper() + " !"}  # fmt: skip
    reply = await client.post("/admin/fr/decide", data=form)
    assert reply.status == 400
    assert "jeux d&#39;évaluation" in await reply.text()
    assert raw(storage, "inbox_decisions") == []
    with pytest.raises(training.TrainingError, match="evaluation"):
        training.check_example(held_out, "fr")


def test_every_realistic_set_is_refused_whatever_its_format(tmp_path):
    # The TEST-format files (messages: with text; conversations: turns with user) are read as
    # well as Rasa NLU YAML, and every realistic set of the project is among the files.
    nlu = tmp_path / "nlu"
    (nlu / "realistic_x").mkdir(parents=True)
    (tmp_path / "conversations" / "realistic_x").mkdir(parents=True)
    (nlu / "fr.yml").write_text("nlu:\n- intent: greet\n  examples: |\n    - coucou toi\n")
    (nlu / "realistic_x" / "fr.yml").write_text(
        "messages:\n  - text: la paie pour douze ans ?\n    label: faq/salary\n"
    )
    (tmp_path / "conversations" / "realistic_x" / "fr.yml").write_text(
        "conversations:\n  - name: c\n    turns:\n      - user: et renouvelable alors\n"
    )
    training.evaluation_sentences.cache_clear()
    for sentence in ("coucou toi", "La paie pour douze ans", "et RENOUVELABLE alors ?"):
        with pytest.raises(training.TrainingError, match="evaluation"):
            training.check_example(sentence, "fr", nlu)
    assert training.check_example("une phrase neuve", "fr", nlu) == "une phrase neuve"
    files = {p.relative_to(ROOT).as_posix() for p in training.evaluation_files("en")}
    for expected in ("tests/nlu/en.yml", "tests/nlu/realistic/en.yml",
                     "tests/nlu/realistic_test/en.yml", "tests/conversations/realistic/en.yml",
                     "tests/conversations/realistic_test/en.yml"):  # fmt: skip
        assert expected in files


async def test_an_unknown_topic_or_decision_is_refused(client, editor, storage, filled):
    token = await signed_in(client, "eddie")
    base = {"csrf": token, "language": "fr", "text": "blorp glorp", "count": "2"}
    for bad in ({"decision": "topic", "topic": "faq/nothing"}, {"decision": "delete"}):
        reply = await client.post("/admin/fr/decide", data={**base, **bad, "example": "x y"})
        assert reply.status == 400
    assert raw(storage, "inbox_decisions") == []


async def test_not_covered_goes_to_the_content_todo_and_its_csv(client, editor, storage, filled):
    token = await signed_in(client, "eddie")
    form = {"csrf": token, "language": "fr", "text": "blorp glorp", "count": "2",
            "decision": "not_covered", "example": "=HYPERLINK(\"x\") blorp"}  # fmt: skip
    assert (await client.post("/admin/fr/decide", data=form)).status == 200
    html = await (await client.get("/admin/fr/")).text()
    assert "blorp" not in html.split("</form>", 1)[1]  # decided: out of the inbox
    todo = await (await client.get("/admin/fr/todo")).text()
    assert "HYPERLINK" in todo
    reply = await client.get("/admin/fr/todo.csv")
    assert reply.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(await reply.text())))
    assert rows[0] == ["language", "count", "question", "since"]
    assert rows[1][:3] == ["fr", "2", '\'=HYPERLINK("x") blorp']


def test_the_fold_is_the_evaluations_normalise():
    from bot.ops.evaluation import normalise

    for text in ("C'est un CDD ou un CDI ?", "Éligible à 45 ans ?!", "  l'EIG -- ça paie ? "):
        assert training.fold(text) == normalise(text)
