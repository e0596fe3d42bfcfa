"""The back office in a real browser (Playwright driving Debian's Chromium) against the
three real services: conversations had with the assistant first, then an editor signs in,
triages an inbox item into a training example, reads the dashboard and is refused the
pre-applications; the data officer reaches them. axe-core finds no violation on any page.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator

import pytest

from bot import ROOT
from bot.admin import accounts, training
from bot.applications.storage import Storage
from tests.e2e.conftest import PORTS, Conversation
from tests.e2e.test_browser import ARTIFACTS, AXE, CHROMIUM, CHROMIUM_ARGS

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect
Page = playwright_api.Page

BASE = f"http://127.0.0.1:{PORTS.web}"
PASSWORD = "un mot de passe bien long"
GIBBERISH = "zorblax flibuste quantique vrombissante ?"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (`make chromium`)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is missing: run `make assets`"),
]  # fmt: skip


@pytest.fixture(scope="module")
def staff(stack) -> Iterator[Storage]:
    store = Storage(f"sqlite:///{stack.var_dir / 'applications.db'}")
    for name, role in (("eddie", accounts.EDITOR), ("olga", accounts.DATA_OFFICER)):
        if accounts.get(store, name) is None:
            accounts.add(store, name, role, PASSWORD)
    yield store
    store.close()


@pytest.fixture(scope="module")
def talked(stack) -> None:
    """Real conversations with the assistant: a question it answers, one it cannot."""
    chat = Conversation(language="fr")
    chat.say("bonjour")
    chat.say("c'est quoi le salaire ?")
    chat.say(GIBBERISH)


@pytest.fixture(scope="module")
def browser(stack) -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert errors == [], errors


def no_violations(page: Page, name: str) -> None:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-admin-{name}.json").write_text(
        json.dumps({"url": results["url"], "passes": len(results["passes"]),
                    "violations": violations}, indent=2), encoding="utf-8",
    )  # fmt: skip
    page.screenshot(path=str(ARTIFACTS / f"admin-{name}.png"), full_page=True)
    assert len(results["passes"]) > 15, "axe-core did not run"
    assert violations == [], violations


def sign_in(page: Page, name: str, lang: str = "fr") -> None:
    page.goto(f"{BASE}/admin/{lang}/")  # no session: the sign-in page
    expect(page).to_have_url(f"{BASE}/admin/{lang}/login")
    page.get_by_label("Identifiant" if lang == "fr" else "User name").fill(name)
    page.get_by_label("Mot de passe" if lang == "fr" else "Password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter" if lang == "fr" else "Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_editor_triages_an_inbox_item_into_a_training_example(page, staff, talked, tmp_path):
    page.goto(f"{BASE}/admin/fr/login")
    no_violations(page, "login")
    sign_in(page, "eddie")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce que l'assistant n'a pas compris")
    no_violations(page, "inbox")
    card = page.locator("section.eig-admin-item", has_text="zorblax")
    expect(card).to_have_count(1)
    card.get_by_role("link", name="Contexte 1").click()
    expect(page.get_by_text("c'est quoi le salaire ?")).to_be_visible()
    no_violations(page, "context")
    page.go_back()
    card = page.locator("section.eig-admin-item", has_text="zorblax")
    card.get_by_label("Phrase d'entraînement").fill("zorblax flibuste, c'est hors sujet ?")
    card.get_by_label("Sujet").select_option("out_of_scope")
    card.get_by_role("button", name="C'est ce sujet").click()
    expect(page.get_by_role("status")).to_contain_text("Exemple ajouté")
    expect(page.locator("section.eig-admin-item", has_text="zorblax")).to_have_count(0)
    page.get_by_role("link", name="Exemples en attente").click()
    expect(page.get_by_role("cell", name="zorblax flibuste, c'est hors sujet ?")).to_be_visible()
    no_violations(page, "pending")

    # The maintainer's one command, on a copy of the training data; Rasa reads the result.
    nlu = tmp_path / "nlu"
    shutil.copytree(ROOT / "data" / "nlu", nlu)
    merged, refused = training.merge(staff, nlu)
    assert refused == [] and len(merged) == 1
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(merged[0][1]))
    assert ("zorblax flibuste, c'est hors sujet ?", "out_of_scope") in {
        (m.get("text"), m.get("intent")) for m in data.intent_examples
    }


def test_an_editor_reads_the_dashboard_and_is_refused_the_applications(page, staff, talked):
    sign_in(page, "eddie")
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment va l'assistant")
    expect(page.locator("svg[role=img]")).to_have_count(6)
    page.get_by_text("Voir les chiffres").first.click()
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    row = page.locator("#activity-data tr", has_text=today).locator("td")
    assert int(row.nth(1).inner_text()) >= 1 and int(row.nth(2).inner_text()) >= 3
    no_violations(page, "dashboard")
    page.get_by_role("link", name="Fraîcheur des faits").click()
    no_violations(page, "knowledge")
    expect(page.get_by_role("link", name="Pré-candidatures")).to_have_count(0)
    reply = page.goto(f"{BASE}/admin/fr/applications")
    assert reply is not None and reply.status == 403
    assert page.errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
    page.errors.clear()  # that 403 was the point
    expect(page.get_by_text("réservée au responsable des données")).to_be_visible()
    no_violations(page, "refused")


def test_the_data_officer_reaches_the_applications_in_english(page, staff, talked):
    page.goto(f"{BASE}/admin/en/login")
    page.get_by_label("User name").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Pre-applications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-applications")
    no_violations(page, "applications")
    page.get_by_role("link", name="Access log").click()
    no_violations(page, "audit")
