"""The kiosk page in a real browser (Debian's Chromium) against the real stack."""

from __future__ import annotations

import io
import json
import re
import time
import wave
from collections.abc import Callable
from typing import Any

import pytest
from e2e.staff_browser import StaffBrowser, add_user
from playwright.sync_api import Page, Route, expect

from bot.db.repository import escalations
from bot.db.session import configure
from bot.launcher import Stack

from .conftest import COUNTDOWN_SECONDS, DOCS, IDLE_SECONDS, Kiosk, base_url

pytestmark = pytest.mark.e2e

TOPICS = [
    ("Nocleg", "/ask_shelter"),
    ("Pieniądze", "/ask_financial_aid"),
    ("Mieszkanie", "/ask_housing_allowance"),
    ("Niepełnosprawność", "/ask_disability_assessment"),
    ("Rodzina", "/ask_family_benefits"),
    ("Praca", "/ask_employment"),
    ("Dokumenty", "/ask_id_documents"),
    ("Zdrowie", "/ask_health_insurance"),
    ("Po wyjściu", "/ask_release_checklist"),
    ("Porozmawiaj z człowiekiem", "/request_human"),
]
SESSION_ID = re.compile(r"^k[0-9a-f]{32}$")


# ---------------------------------------------------------------------------- helpers
def topic(page: Page, payload: str) -> Any:
    return page.locator(f'#topics .topic[data-payload="{payload}"]')


def bot_replies(page: Page) -> Any:
    return page.locator("#log .msg.bot")


def click_and_answer(kiosk: Kiosk, click: Callable[[], None]) -> list[dict[str, Any]]:
    """Do `click`, wait for its /api/chat answer and for the page to show it."""
    before = bot_replies(kiosk.page).count()
    with kiosk.page.expect_response(lambda r: r.url.endswith("/api/chat")) as answer:
        click()
    assert answer.value.status == 200, answer.value.text()
    expect(bot_replies(kiosk.page)).to_have_count(before + 1)
    messages: list[dict[str, Any]] = answer.value.json()["messages"]
    return messages


def shown_texts(page: Page, reply_index: int) -> list[str]:
    return [t.strip() for t in
            bot_replies(page).nth(reply_index).locator(".text").all_inner_texts()]


def assert_no_page_scroll(page: Page) -> None:
    sizes = page.evaluate(
        "() => { const d = document.documentElement; return {sh: d.scrollHeight, h: innerHeight,"
        " sw: d.scrollWidth, w: innerWidth, y: scrollY} }"
    )
    assert sizes["sh"] <= sizes["h"] and sizes["sw"] <= sizes["w"], sizes
    assert sizes["y"] == 0, sizes


def assert_touch_targets(page: Page) -> None:
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('button, input'))
          .filter((e) => e.offsetParent !== null)
          .map((e) => { const r = e.getBoundingClientRect();
                        return {name: e.textContent.trim() || e.id, w: r.width, h: r.height}; })
          .filter((r) => r.w < 48 || r.h < 48)"""
    )
    assert not small, f"touch targets smaller than 48 px: {small}"


def serious_axe_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    page.evaluate(axe_source)  # a DevTools evaluation: not an inline script, the CSP holds
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']},
             resultTypes: ['violations']})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def type_on_screen(page: Page, text: str) -> None:
    for char in text:
        key = "Spacja" if char == " " else char
        page.locator("#keyboard .key").filter(has_text=re.compile(f"^{re.escape(key)}$")).click()


# ---------------------------------------------------------------------------- start screen
def test_start_screen_is_polish_large_local_and_accessible(kiosk: Kiosk, axe_source: str,
                                                           kiosk_factory: Callable[..., Kiosk]
                                                           ) -> None:
    page = kiosk.page
    kiosk.open()
    assert page.evaluate("document.documentElement.lang") == "pl"
    intro = page.locator("#start .intro").inner_text()
    assert "program komputerowy, nie człowiek" in intro
    assert "Nie podawaj imienia ani nazwiska" in intro
    font_px = page.locator(".intro-bot").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font_px >= 24

    buttons = page.locator("#topics .topic[data-payload]")
    assert buttons.count() == len(TOPICS)
    expect(page.locator("#have-code")).to_contain_text("Mam kod odpowiedzi")
    for index, (title, payload) in enumerate(TOPICS):
        button = buttons.nth(index)
        assert button.get_attribute("data-payload") == payload
        assert button.inner_text().replace("\xa0", " ").startswith(title)
        expect(button).to_be_visible()

    assert page.locator("a[href], iframe, object, embed, form[action]").count() == 0
    assert page.evaluate("document.cookie") == ""
    assert_no_page_scroll(page)
    assert_touch_targets(page)
    assert serious_axe_violations(page, axe_source) == []
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "kiosk-start.png"))

    big = kiosk_factory(kiosk.base_url, viewport={"width": 1920, "height": 1080})
    big.open()
    assert_no_page_scroll(big.page)
    assert_touch_targets(big.page)


def test_kiosk_page_sends_security_headers(kiosk: Kiosk) -> None:
    response = kiosk.page.goto(f"{kiosk.base_url}/kiosk")
    assert response is not None
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "connect-src 'self'" in csp
    assert "http" not in csp  # no other origin is allowed anywhere
    assert headers["cache-control"] == "no-store"
    assert "set-cookie" not in headers


# ---------------------------------------------------------------------------- conversation
def test_full_conversation_by_touch(kiosk: Kiosk, axe_source: str) -> None:
    page = kiosk.page
    kiosk.open()

    answer = click_and_answer(kiosk, topic(page, "/ask_shelter").click)
    expect(page.locator("#start")).to_be_hidden()
    expect(page.locator("#log .msg.user").first).to_have_text("Nocleg")
    # the page shows exactly what the assistant answered, as text
    assert shown_texts(page, 0) == [m["text"] for m in answer if m["text"]]
    chips = bot_replies(page).nth(0).locator(".chip")
    offered = [b for m in answer for b in m["buttons"]]
    assert offered, "the shelter answer offers follow-up buttons"
    assert chips.all_inner_texts() == [b["title"] for b in offered]

    follow_up = click_and_answer(kiosk, chips.first.click)
    assert shown_texts(page, 1) == [m["text"] for m in follow_up if m["text"]]
    assert shown_texts(page, 1) != shown_texts(page, 0)
    expect(page.locator("#log .msg.user").nth(1)).to_have_text(offered[0]["title"])

    bodies = kiosk.chat_bodies()
    assert [b.get("payload") for b in bodies] == ["/ask_shelter", offered[0]["payload"]]
    session_ids = {b["session_id"] for b in bodies}
    assert len(session_ids) == 1 and SESSION_ID.match(session_ids.pop())

    # "Tematy" brings the ten topics back into the conversation
    page.get_by_role("button", name="Tematy").click()
    expect(page.locator("#log .msg.menu .chip")).to_have_count(len(TOPICS))

    assert_no_page_scroll(page)
    assert_touch_targets(page)
    assert serious_axe_violations(page, axe_source) == []
    page.locator("#log").evaluate("log => { log.querySelector('.msg.menu').remove(); }")
    page.locator("#log").evaluate(
        "log => { log.scrollTop = log.querySelectorAll('.msg.user')[1].offsetTop - 8; }")
    page.screenshot(path=str(DOCS / "kiosk-conversation.png"))


def test_on_screen_keyboard_types_polish_and_sends(kiosk: Kiosk) -> None:
    page = kiosk.page
    kiosk.open()
    box = page.locator("#text")
    assert box.get_attribute("inputmode") == "none"  # the system keyboard stays away

    type_on_screen(page, "noclegx")
    page.get_by_role("button", name="Usuń ostatnią literę").click()
    type_on_screen(page, " dziś")
    expect(box).to_have_value("nocleg dziś")

    with page.expect_response(lambda r: r.url.endswith("/api/chat")) as answer:
        page.get_by_role("button", name="Wyślij").click()
    assert answer.value.status == 200
    assert kiosk.chat_bodies()[-1]["text"] == "nocleg dziś"
    expect(page.locator("#log .msg.user")).to_have_text("nocleg dziś")
    expect(bot_replies(page)).to_have_count(1)
    expect(box).to_have_value("")


def test_text_is_shown_as_text_never_as_html(kiosk: Kiosk) -> None:
    page = kiosk.page
    kiosk.open()
    hostile = '<img src=x onerror="document.title=1">'
    page.locator("#text").fill(hostile)
    page.get_by_role("button", name="Wyślij").click()
    expect(page.locator("#log .msg.user")).to_have_text(hostile)
    expect(bot_replies(page)).to_have_count(1)
    assert page.locator("#log img").count() == 0
    assert page.title() == "Drogowskaz"


# ---------------------------------------------------------------------------- session safety
def test_idle_countdown_continue_then_wipe(kiosk_factory: Callable[..., Kiosk],
                                           short_idle_app: str) -> None:
    kiosk = kiosk_factory(short_idle_app)
    page = kiosk.page
    kiosk.open()
    assert page.locator("body").get_attribute("data-idle-seconds") == str(IDLE_SECONDS)
    overlay = page.locator("#idle")

    # the untouched start screen has nothing to hide: no countdown
    page.wait_for_timeout(IDLE_SECONDS * 1000 + 700)
    expect(overlay).to_be_hidden()

    click_and_answer(kiosk, topic(page, "/ask_shelter").click)
    page.locator("#text").fill("moje pytanie")
    expect(overlay).to_be_visible(timeout=(IDLE_SECONDS + 3) * 1000)
    expect(page.get_by_role("alertdialog")).to_contain_text("Czy jesteś tu dalej?")
    page.get_by_role("button", name="Kontynuuj").click()
    expect(overlay).to_be_hidden()
    expect(bot_replies(page)).to_have_count(1)  # still there for the same person

    expect(overlay).to_be_visible(timeout=(IDLE_SECONDS + 3) * 1000)
    expect(page.locator("#start")).to_be_visible(timeout=(COUNTDOWN_SECONDS + 3) * 1000)
    expect(overlay).to_be_hidden()
    assert page.locator("#log").inner_html() == ""
    expect(page.locator("#text")).to_have_value("")
    storage = page.evaluate(
        "[localStorage.length, sessionStorage.length, document.cookie, history.length]")
    assert storage[:3] == [0, 0, ""]
    assert page.context.cookies() == []

    click_and_answer(kiosk, topic(page, "/ask_employment").click)
    first, second = (b["session_id"] for b in kiosk.chat_bodies())
    assert first != second and SESSION_ID.match(second)


def test_end_button_wipes_at_once_and_drops_late_answers(kiosk: Kiosk) -> None:
    page = kiosk.page
    kiosk.open()
    click_and_answer(kiosk, topic(page, "/ask_id_documents").click)
    page.locator("#text").fill("coś jeszcze")

    page.get_by_role("button", name="Zakończ", exact=True).click()
    expect(page.locator("#start")).to_be_visible()
    assert page.locator("#log").inner_html() == ""
    expect(page.locator("#text")).to_have_value("")
    expect(page.locator("#wiped")).to_have_text("Rozmowa została usunięta z ekranu.")

    # an answer still on its way when the person leaves never reaches the next person
    with page.expect_request(lambda r: r.url.endswith("/api/chat")):
        topic(page, "/ask_health_insurance").click()
    page.get_by_role("button", name="Zakończ", exact=True).click()
    page.wait_for_timeout(2500)  # longer than the assistant takes to answer
    expect(page.locator("#start")).to_be_visible()
    assert bot_replies(page).count() == 0

    click_and_answer(kiosk, topic(page, "/ask_employment").click)
    ids = [b["session_id"] for b in kiosk.chat_bodies()]
    assert len(ids) == 3 and len(set(ids)) == 3


# ---------------------------------------------------------------------------- print
def test_print_view_shows_only_the_chosen_answer(kiosk: Kiosk) -> None:
    page = kiosk.page
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    page.clock.set_fixed_time("2026-11-23T10:00:00+01:00")  # the date on the slip
    kiosk.open()
    click_and_answer(kiosk, topic(page, "/ask_shelter").click)
    click_and_answer(kiosk, bot_replies(page).nth(0).locator(".chip").first.click)

    bot_replies(page).nth(1).get_by_role("button", name="Wydrukuj").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    visible = page.evaluate(
        """() => Array.from(document.querySelectorAll('#log > .msg'))
                 .filter((e) => getComputedStyle(e).display !== 'none').length""")
    assert visible == 1
    chosen = bot_replies(page).nth(1)
    expect(chosen.locator(".text").first).to_be_visible()
    for hidden in ("header.top", "#composer", "#log .msg.user", ".actions", ".chips", "#more"):
        expect(page.locator(hidden).first).to_be_hidden()
    styles = chosen.evaluate(
        "e => { const s = getComputedStyle(e.querySelector('.text'));"
        " return [s.color, getComputedStyle(e).backgroundColor]; }")
    assert styles == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    width = page.locator("body").evaluate("b => b.getBoundingClientRect().width")
    assert width < 300  # a narrow slip (72 mm), not a screen
    page.screenshot(path=str(DOCS / "kiosk-print.png"))


def test_offices_from_the_directory_come_as_cards_that_print_alone(
    kiosk_factory: Callable[..., Kiosk], seeded_stack: Stack
) -> None:
    """Topic, then the place typed on the on-screen keyboard, then real office cards."""
    kiosk = kiosk_factory(base_url(seeded_stack.settings.web_port))
    page = kiosk.page
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    kiosk.open()
    first = click_and_answer(kiosk, topic(page, "/ask_shelter").click)
    asks_place = [m for m in first if any(b["payload"] == "/deny" for b in m["buttons"])]
    assert asks_place, "the shelter answer asks where the person is"

    type_on_screen(page, "sosnowiec")
    offices = click_and_answer(kiosk, page.get_by_role("button", name="Wyślij").click)
    cards = [m["card"] for m in offices if "card" in m]
    assert cards, offices
    shown = bot_replies(page).nth(1).locator(".card")
    expect(shown).to_have_count(len(cards))
    for index, card in enumerate(cards):
        expect(shown.nth(index).locator(".card-name")).to_have_text(card["name"])
        rows = " ".join(shown.nth(index).locator(".card-row").all_inner_texts())
        assert card["address"] in rows and card["phone"] in rows
    # the plain-text version of each card is not shown as well
    assert not any(t.startswith(cards[0]["kind"] + ":") for t in shown_texts(page, 1))

    target = shown.first if len(cards) == 1 else shown.nth(1)
    name = "Wydrukuj kartkę" if len(cards) == 1 else "Wydrukuj tę kartkę"
    (bot_replies(page).nth(1) if len(cards) == 1 else target).get_by_role(
        "button", name=name).click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(target).to_be_visible()
    printed = page.evaluate(
        """() => Array.from(document.querySelectorAll('#log .card'))
                 .filter((e) => getComputedStyle(e).display !== 'none').length""")
    assert printed == 1


OFFICE = {
    "kind": "Ośrodek pomocy społecznej",
    "name": "Miejski Ośrodek Pomocy Społecznej w Testowie",
    "address": "ul. Przykładowa 1, 00-001 Testowo",
    "phone": "22 000 00 00",
    "hours": "pon.–pt. 8:00–16:00",
    "open_now": "Teraz otwarte, do 16:00.",
    "updated": "Dane z katalogu (źródło: testowo.example, stan z 2026-11-01). "
               "Przed wyjściem zadzwoń i sprawdź.",
}
CARD_TEXT = "Ośrodek pomocy społecznej: Miejski Ośrodek Pomocy Społecznej w Testowie\n..."
HOSTILE = {"name": '<img src=x onerror="document.title=1"><b>Ośrodek</b>', "phone": "<i>1</i>",
           "address": "", "hours": "", "updated": "2026-11-01"}


def test_office_card_is_shown_and_printed_as_a_slip(kiosk: Kiosk) -> None:
    """Cards as the chat API sends them (bot/web/chat.py), with a made-up office."""
    page = kiosk.page
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    page.clock.set_fixed_time("2026-11-23T10:00:00+01:00")
    replies = [
        [{"text": "Najbliżej Ciebie:", "buttons": []},
         {"text": CARD_TEXT, "buttons": [], "card": OFFICE},
         {"text": "Zadzwoń przed wizytą.", "buttons": [
             {"title": "Inny ośrodek", "payload": "/ask_office_contact"}]}],
        [{"text": "x", "buttons": [], "card": HOSTILE},
         {"text": "y", "buttons": [], "card": dict(OFFICE, name="Noclegownia w Testowie")}],
    ]

    def directory_answer(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json",
                      body=json.dumps({"messages": replies.pop(0)}))

    page.route("**/api/chat", directory_answer)
    kiosk.open()
    topic(page, "/ask_shelter").click()
    card = page.locator("#log .card")
    expect(card).to_have_count(1)
    expect(card.locator(".card-name")).to_have_text(OFFICE["name"])
    expect(card.locator(".card-kind")).to_have_text(OFFICE["kind"])
    rows = card.locator(".card-row").all_inner_texts()
    for label, key in (("Adres", "address"), ("Telefon", "phone"), ("Godziny", "hours")):
        assert any(label in row and OFFICE[key] in row for row in rows), (label, rows)
    expect(card.locator(".card-open")).to_have_text(OFFICE["open_now"])
    expect(card.locator(".card-updated")).to_have_text(OFFICE["updated"])
    # the card's plain-text version (for channels without cards) is not shown twice
    assert shown_texts(page, 0) == ["Najbliżej Ciebie:", "Zadzwoń przed wizytą."]

    page.get_by_role("button", name="Wydrukuj kartkę").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(card).to_be_visible()
    expect(page.locator("#log .chip").first).to_be_hidden()
    expect(page.locator("#composer")).to_be_hidden()
    page.screenshot(path=str(DOCS / "kiosk-print-card.png"))

    # printed without choosing an answer (e.g. the browser's own print): only the cards
    page.emulate_media(media="screen")
    page.evaluate("document.body.classList.remove('print-selection')")
    page.emulate_media(media="print")
    expect(card).to_be_visible()
    expect(page.locator("#log .msg.bot .text").first).to_be_hidden()
    page.emulate_media(media="screen")

    # markup in a card stays text
    page.get_by_role("button", name="Tematy").click()
    page.locator("#log .msg.menu .chip").first.click()
    expect(page.locator("#log .card")).to_have_count(3)
    hostile = page.locator("#log .card").nth(1)
    expect(hostile.locator(".card-name")).to_have_text(HOSTILE["name"])
    expect(hostile.locator(".card-updated")).to_have_text("Stan z 2026-11-01")
    assert hostile.locator("img, b, i").count() == 0
    assert page.title() == "Drogowskaz"

    # several offices in one answer: each card can be printed alone
    shelter = page.locator("#log .card").nth(2)
    shelter.get_by_role("button", name="Wydrukuj tę kartkę").click()
    assert page.evaluate("window.__printed") == 2
    page.emulate_media(media="print")
    expect(shelter).to_be_visible()
    expect(hostile).to_be_hidden()
    expect(page.locator("#log .card").first).to_be_hidden()
    expect(shelter.get_by_role("button")).to_be_hidden()


# ---------------------------------------------------------------------------- read aloud
def test_read_aloud_returns_a_wav_and_the_page_plays_it(kiosk: Kiosk) -> None:
    page = kiosk.page
    kiosk.open()
    api = page.request
    text = "Dzień dobry. Zażółć gęślą jaźń."
    response = api.post(f"{kiosk.base_url}/api/tts", data={"text": text})
    assert response.status == 200 and response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.body())) as audio:
        assert audio.getnchannels() == 1 and audio.getsampwidth() == 2
        seconds = audio.getnframes() / audio.getframerate()
        assert 0.5 < seconds < 30
        assert len(audio.readframes(audio.getnframes())) == audio.getnframes() * 2

    click_and_answer(kiosk, topic(page, "/request_human").click)
    reply = bot_replies(page).nth(0)
    with page.expect_response(lambda r: r.url.endswith("/api/tts")) as spoken:
        reply.get_by_role("button", name="Przeczytaj na głos").click()
    assert spoken.value.status == 200
    sent = spoken.value.request.post_data_json
    code = reply.locator(".ticket-code").inner_text().strip()  # the answer code, spelled out
    assert sent == {"text": "\n".join([*shown_texts(page, 0), "Twój kod: " + " ".join(code)])}
    expect(reply).to_have_attribute("data-audio", "playing")
    page.wait_for_function(
        "() => { const p = document.getElementById('player');"
        " return p.currentTime > 0.2 && p.duration > 1 && !p.paused; }")
    expect(reply.get_by_role("button", name="Zatrzymaj czytanie")).to_be_visible()
    reply.get_by_role("button", name="Zatrzymaj czytanie").click()
    expect(reply).to_have_attribute("data-audio", "stopped")
    assert page.evaluate("document.getElementById('player').paused")

    # played to the end (fast-forwarded so that the test stays short)
    reply.get_by_role("button", name="Przeczytaj na głos").click()
    expect(reply).to_have_attribute("data-audio", "playing")
    page.evaluate("document.getElementById('player').playbackRate = 16")
    expect(reply).to_have_attribute("data-audio", "ended", timeout=15_000)
    expect(reply.get_by_role("button", name="Przeczytaj na głos")).to_be_visible()


def test_read_aloud_refuses_what_it_cannot_speak(kiosk: Kiosk) -> None:
    api = kiosk.page.request
    url = f"{kiosk.base_url}/api/tts"
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"data": {"text": "a" * 1001}}, 422, "at most 1000 characters"),
        ({"data": {"text": "   "}}, 422, "empty"),
        ({"data": {"text": "a\u0000b"}}, 422, "plain text"),
        ({"data": {"text": "ok", "voice": "en"}}, 400, "unknown field"),
        ({"data": {"text": 5}}, 400, "must be a string"),
        ({"data": b"\xff\xfe\x00binary", "headers": {"Content-Type": "application/json"}},
         400, "must be JSON"),
        ({"form": {"text": "a"}}, 415, "application/json"),
        ({"data": {"text": "a" * 20_000}}, 413, "too large"),
    ]
    for options, status, message in cases:
        response = api.post(url, **options)
        assert response.status == status, (options, response.text())
        assert message in response.json()["error"]


# ---------------------------------------------------------------------------- assistant down
def test_assistant_down_gives_a_friendly_message_and_retries(
    kiosk_factory: Callable[..., Kiosk], down_app: str
) -> None:
    kiosk = kiosk_factory(down_app)
    page = kiosk.page
    kiosk.open()
    with page.expect_response(lambda r: r.url.endswith("/api/chat")) as first:
        topic(page, "/ask_shelter").click()
    assert first.value.status == 503 and first.value.json()["retry"] is True
    pending = page.locator("#log .msg.pending")
    expect(pending).to_contain_text("Przepraszam, chwilowo nie mogę odpowiedzieć.")
    expect(pending).to_contain_text(re.compile(r"Następna próba za \d+ s\."))
    # it tries again by itself (after Retry-After: 5 s)
    with page.expect_request(lambda r: r.url.endswith("/api/chat"), timeout=12_000):
        pass
    body = page.locator("body").inner_text()
    for leak in ("Traceback", "Exception", "Error", "503", "{"):
        assert leak not in body
    expect(page.locator("#start")).to_be_hidden()
    ids = {b["session_id"] for b in kiosk.chat_bodies()}
    assert len(ids) == 1


def test_lost_connection_is_retried_until_the_answer_comes(kiosk: Kiosk) -> None:
    page = kiosk.page
    failures = {"left": 1}

    def flaky(route: Route) -> None:
        if failures["left"]:
            failures["left"] -= 1
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route("**/api/chat", flaky)
    kiosk.open()
    topic(page, "/ask_employment").click()
    expect(page.locator("#log .msg.pending")).to_contain_text("Brak połączenia z asystentem.")
    expect(bot_replies(page)).to_have_count(1, timeout=15_000)
    expect(page.locator("#log .msg.pending")).to_have_count(0)
    assert len(kiosk.chat_bodies()) == 2


def test_no_answer_in_time_is_retried(kiosk: Kiosk) -> None:
    page = kiosk.page
    held: list[Route] = []

    def hang_first(route: Route) -> None:
        if not held:
            held.append(route)  # the first request never gets an answer
        else:
            route.continue_()

    page.clock.install()
    page.route("**/api/chat", hang_first)
    kiosk.open()
    topic(page, "/ask_employment").click()
    pending = page.locator("#log .msg.pending")
    expect(pending).to_contain_text("Szukam odpowiedzi")
    page.clock.run_for(9_000)
    expect(pending).to_contain_text("To trwa dłużej niż zwykle")
    page.clock.run_for(12_000)  # 21 s without an answer: give up, retry in a moment
    expect(pending).to_contain_text("Asystent długo nie odpowiada.")
    with page.expect_response(lambda r: r.url.endswith("/api/chat")):
        page.clock.run_for(5_000)
    expect(bot_replies(page)).to_have_count(1)
    expect(pending).to_have_count(0)
    assert len(kiosk.chat_bodies()) == 2


# ---------------------------------------------------------------------------- network
def test_every_request_stays_on_this_machine(kiosk: Kiosk) -> None:
    page = kiosk.page
    kiosk.open()
    click_and_answer(kiosk, topic(page, "/ask_financial_aid").click)
    with page.expect_response(lambda r: r.url.endswith("/api/tts")):
        bot_replies(page).nth(0).get_by_role("button", name="Przeczytaj na głos").click()
    time.sleep(0.3)
    urls = [r.url for r in kiosk.requests]
    assert any(u.endswith("/kiosk") for u in urls)
    assert any(u.endswith("/static/kiosk.js") for u in urls)
    assert any(u.endswith("/static/kiosk.css") for u in urls)
    assert all(u.startswith(kiosk.base_url + "/") or u.startswith("blob:" + kiosk.base_url)
               or u.startswith("data:") for u in urls), urls
    # the static files name no other origin either
    for asset in ("/kiosk", "/static/kiosk.js", "/static/kiosk.css"):
        source = page.request.get(kiosk.base_url + asset).text()
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", source, re.I), asset


# ---------------------------------------------------------------------------- a person behind

def test_asking_for_a_person_shows_a_code_and_the_code_shows_the_answer(
    kiosk: Kiosk, stack: Stack
) -> None:
    page = kiosk.page
    kiosk.open()
    click_and_answer(kiosk, topic(page, "/request_human").click)
    code = page.locator("#log .ticket-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code), code

    engine = configure(stack.settings.database_url)
    try:
        ticket = escalations.get_by_code(code)
        assert ticket is not None and ticket.channel == "kiosk"
    finally:
        engine.dispose()
    staff = StaffBrowser(stack)
    try:
        staff.login(add_user(stack))
        staff.answer(ticket.id, "Zapytaj wychowawcę o <b>bilet</b> na dojazd.")
    finally:
        staff.close()

    page.get_by_role("button", name="Zakończ").click()  # the next person, on the same kiosk
    page.locator("#have-code").click()
    expect(page.locator("#log .code-prompt")).to_be_visible()
    page.locator("#text").fill(code.lower())
    with page.expect_response(lambda r: r.url.endswith("/api/answer")) as answer:
        page.get_by_role("button", name="Wyślij").click()
    assert answer.value.status == 200
    reply = bot_replies(page).last
    expect(reply).to_contain_text("Pracownik odpowiedział.")
    expect(reply).to_contain_text("Zapytaj wychowawcę o <b>bilet</b> na dojazd.")  # as text
    expect(reply.locator(".action.print")).to_be_visible()


def test_release_checklist_is_one_printable_list(kiosk: Kiosk) -> None:
    page = kiosk.page
    kiosk.open()
    click_and_answer(kiosk, topic(page, "/ask_release_checklist").click)
    for text in ("za tydzien", "Sosnowiec"):
        page.locator("#text").fill(text)
        with page.expect_response(lambda r: r.url.endswith("/api/chat")):
            page.get_by_role("button", name="Wyślij").click()
    checklist = page.locator("#log .checklist")
    expect(checklist).to_have_count(1)
    expect(checklist.locator(".checklist-phase").first).to_have_text("Przed wyjściem")
    expect(checklist.locator(".step-office").first).to_be_visible()
    assert checklist.locator(".checklist-step").count() >= 8
