"""The staff dashboard over HTTP, in-process, with a cookie-keeping client (both backends)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from bot.db.models import Escalation
from bot.db.repository import audit, escalations, staff
from bot.db.session import Session
from bot.web.app import create_app
from bot.web.staff import auth

from .conftest import (
    ADMIN_PASSWORD,
    MAX_FAILURES,
    STAFF_PASSWORD,
    Dashboard,
    add_user,
    app_settings,
    csrf_of,
    escalate,
)


def staff_routes(dashboard: Dashboard) -> list[tuple[str, str]]:
    """(method, path) of every route the app serves under /staff."""
    app = dashboard.client.app
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.router.routes):
        path = context.path
        if path == "/staff" or path.startswith("/staff/"):
            methods = getattr(context.original_route, "methods", None) or {"GET"}
            found.update((method, path) for method in methods if method != "HEAD")
    return sorted(found)


def fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def set_created(escalation_id: int, moment: datetime) -> None:
    with Session.begin() as session:
        session.execute(update(Escalation).where(Escalation.id == escalation_id)
                        .values(created_at=moment))


def codes_in(html: str) -> list[str]:
    return re.findall(r'class="code" href="/staff/escalations/\d+">([A-Z0-9-]{7})<', html)


# ---------------------------------------------------------------- signing in and out


def test_login_sets_a_strict_cookie_and_logout_ends_the_session(dashboard: Dashboard) -> None:
    response = dashboard.login("anna", ADMIN_PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/staff/queue"
    cookie = next(c for c in response.headers.get_list("set-cookie")
                  if c.startswith(auth.SESSION_COOKIE + "="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "samesite", "max-age"} <= attributes
    assert "path=/staff" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "secure" not in attributes  # STAFF_COOKIE_SECURE=false in these tests
    token = dashboard.client.cookies.get(auth.SESSION_COOKIE)
    assert token

    queue = dashboard.get("/staff/queue")
    assert queue.status_code == 200 and "anna (administrator)" in queue.text
    assert dashboard.get("/staff/login").headers["location"] == "/staff/queue"

    out = dashboard.post("/staff/logout")
    assert out.status_code == 303 and out.headers["location"] == "/staff/login?ok=out"
    assert dashboard.get("/staff/queue").status_code == 303
    # the old token is worthless now, even when sent again
    replay = TestClient(dashboard.client.app, cookies={auth.SESSION_COOKIE: token})
    assert replay.get("/staff/queue", follow_redirects=False).status_code == 303
    assert [e.action for e in audit.page().entries][:2] == ["logout", "login"]


def test_the_cookie_is_secure_by_default(dashboard: Dashboard, database_url: str) -> None:
    app = create_app(app_settings(database_url, STAFF_COOKIE_SECURE="true"))
    with TestClient(app) as client:
        form = client.get("/staff/login")
        assert "secure" in form.headers["set-cookie"].lower()
        token = csrf_of(form.text)
        # httpx keeps Secure cookies away from http://: send it as a browser on localhost would
        response = client.post(
            "/staff/login", data={"csrf": token, "username": "anna", "password": ADMIN_PASSWORD},
            headers={"Cookie": f"{auth.LOGIN_CSRF_COOKIE}={token}"}, follow_redirects=False)
        assert response.status_code == 303
        session_cookie = next(c for c in response.headers.get_list("set-cookie")
                              if c.startswith(auth.SESSION_COOKIE + "="))
        assert "; secure" in session_cookie.lower()


def test_login_after_being_sent_there_returns_to_the_page(dashboard: Dashboard) -> None:
    case = escalate("next00001")
    asked = dashboard.get(f"/staff/escalations/{case.id}")
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/staff/login?next=/staff/escalations/{case.id}"
    form = dashboard.client.get(asked.headers["location"])
    assert f'name="next" value="/staff/escalations/{case.id}"' in form.text
    response = dashboard.client.post("/staff/login", follow_redirects=False, data={
        "csrf": csrf_of(form.text), "username": "jan", "password": STAFF_PASSWORD,
        "next": f"/staff/escalations/{case.id}"})
    assert response.headers["location"] == f"/staff/escalations/{case.id}"
    fresh = TestClient(dashboard.client.app)
    evil = fresh.post("/staff/login", follow_redirects=False, data={
        "csrf": csrf_of(fresh.get("/staff/login?next=https://evil.example/").text),
        "username": "jan", "password": STAFF_PASSWORD, "next": "https://evil.example/"})
    assert evil.status_code == 303 and evil.headers["location"] == "/staff/queue"


def test_every_staff_route_refuses_anonymous_access(dashboard: Dashboard) -> None:
    routes = staff_routes(dashboard)
    assert len(routes) >= 18, routes
    public = {("GET", "/staff/login"), ("POST", "/staff/login")}
    assert public <= set(routes)
    anonymous = TestClient(dashboard.client.app)
    forged = TestClient(dashboard.client.app, cookies={auth.SESSION_COOKIE: "forged-token"})
    for client in (anonymous, forged):
        for method, path in routes:
            if (method, path) in public:
                continue
            response = client.request(method, fill(path), follow_redirects=False,
                                      data={"csrf": "x", "text": "x", "to": "1"})
            if method == "GET":
                assert response.status_code == 303, (method, path)
                assert response.headers["location"].startswith("/staff/login"), path
            else:
                assert response.status_code == 401, (method, path, response.status_code)
                assert "Zaloguj się" in response.text
    assert [e.action for e in audit.page().entries] == ["user_add", "user_add"]


def test_posts_without_the_right_csrf_token_change_nothing(
    dashboard: Dashboard, other_browser: Dashboard,
) -> None:
    case = escalate("csrf00001")
    dashboard.login_ok("jan", STAFF_PASSWORD)
    other_browser.login_ok("anna", ADMIN_PASSWORD)
    foreign = csrf_of(other_browser.get("/staff/queue").text)
    path = f"/staff/escalations/{case.id}/claim"
    for data in ({}, {"csrf": ""}, {"csrf": "wrong"}, {"csrf": foreign}):
        response = dashboard.client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403
        assert "Formularz nie został przyjęty" in response.text
    not_a_form = dashboard.client.post(path, json={"csrf": "x"}, follow_redirects=False)
    assert not_a_form.status_code == 400
    found = escalations.get(case.id)
    assert found is not None and found.status == "new"
    assert dashboard.post(path).status_code == 303


def test_the_login_form_has_its_own_csrf_check(dashboard: Dashboard) -> None:
    fresh = TestClient(dashboard.client.app)
    no_cookie = fresh.post("/staff/login", follow_redirects=False, data={
        "csrf": "abc", "username": "anna", "password": ADMIN_PASSWORD})
    assert no_cookie.status_code == 403
    token = csrf_of(fresh.get("/staff/login").text)
    mismatch = fresh.post("/staff/login", follow_redirects=False, data={
        "csrf": token + "x", "username": "anna", "password": ADMIN_PASSWORD})
    assert mismatch.status_code == 403
    assert auth.SESSION_COOKIE not in fresh.cookies


def test_staff_cannot_reach_admin_pages(dashboard: Dashboard) -> None:
    jan = staff.login_record("jan")
    assert jan is not None
    dashboard.login_ok("jan", STAFF_PASSWORD)
    queue = dashboard.get("/staff/queue").text
    assert "/staff/admin/users" not in queue and "Zmień hasło" in queue
    admin_routes = [(m, p) for m, p in staff_routes(dashboard) if p.startswith("/staff/admin")]
    assert len(admin_routes) >= 7
    for method, path in admin_routes:
        if method == "GET":
            response = dashboard.get(fill(path))
        else:
            response = dashboard.post(fill(path), {"active": "0", "password": "x" * 12,
                                                    "username": "mallory", "role": "admin"})
        assert response.status_code == 403, (method, path)
        assert "tylko dla administratorów" in response.text
    assert [u.username for u in staff.users()] == ["anna", "jan"]
    assert all(u.active for u in staff.users())


# ---------------------------------------------------------------- lockout


def test_brute_force_locks_the_account_without_telling_who_exists(dashboard: Dashboard) -> None:
    def answer(username: str, password: str) -> tuple[int, str]:
        response = dashboard.login(username, password)
        body = re.sub(r'name="csrf" value="[^"]+"', "", response.text)
        return response.status_code, body.replace(username, "NAME")

    unknown = answer("nikt", "zle-haslo-123")
    for _ in range(MAX_FAILURES):
        assert answer("jan", "zle-haslo-123") == unknown
    assert unknown[0] == 401 and "Nie udało się zalogować" in unknown[1]
    # locked now: the right password gets the very same answer
    assert answer("jan", STAFF_PASSWORD) == unknown
    assert dashboard.client.cookies.get(auth.SESSION_COOKIE) is None
    locked = staff.login_record("jan")
    assert locked is not None and locked.user.locked_until is not None

    dashboard.login_ok("anna", ADMIN_PASSWORD)
    assert "zablokowane do" in dashboard.get("/staff/admin/users").text
    log = dashboard.get("/staff/admin/audit").text
    assert log.count("Nieudane logowanie") == MAX_FAILURES + 2


def test_an_admin_unlocks_by_setting_a_new_password(dashboard: Dashboard,
                                                    other_browser: Dashboard) -> None:
    for _ in range(MAX_FAILURES):
        other_browser.login("jan", "zle-haslo-123")
    jan = staff.login_record("jan")
    assert jan is not None
    dashboard.login_ok("anna", ADMIN_PASSWORD)
    reset = dashboard.post(f"/staff/admin/users/{jan.user.id}/password",
                           {"password": "trzy-slowa-razem-7"}, from_page="/staff/admin/users")
    assert reset.status_code == 303
    other_browser.login_ok("jan", "trzy-slowa-razem-7")


# ---------------------------------------------------------------- the queue


def test_the_queue_shows_urgent_first_then_the_oldest_with_their_age(
    dashboard: Dashboard,
) -> None:
    now = datetime.now(UTC)
    old = escalate("queue0001")
    newer = escalate("queue0002")
    urgent = escalate("queue0003", priority="urgent", category="crisis")
    set_created(old.id, now - timedelta(minutes=40))
    set_created(newer.id, now - timedelta(minutes=12, seconds=20))
    set_created(urgent.id, now - timedelta(minutes=3))
    dashboard.login_ok("jan", STAFF_PASSWORD)
    page = dashboard.get("/staff/queue").text
    assert codes_in(page) == [urgent.display_code, old.display_code, newer.display_code]
    assert "12 min" in page and "40 min" in page and "3 min" in page
    urgent_row = page[page.index(urgent.display_code) - 300:page.index(urgent.display_code)]
    assert 'class="urgent"' in urgent_row
    assert page.count("PILNA") == 1


def test_the_queue_filters_by_status_channel_and_category(dashboard: Dashboard) -> None:
    jan = staff.login_record("jan")
    assert jan is not None
    kiosk = escalate("filter001", category="ask_shelter")
    telegram = escalate("55-0", channel="telegram", category="crisis")
    closed = escalate("filter002", category="ask_money")
    escalations.close(closed.id, jan.user.id)
    dashboard.login_ok("jan", STAFF_PASSWORD)

    def shown(query: str) -> set[str]:
        response = dashboard.get(f"/staff/queue{query}")
        assert response.status_code == 200
        return set(codes_in(response.text))

    assert shown("") == {kiosk.display_code, telegram.display_code}
    assert shown("?channel=telegram") == {telegram.display_code}
    assert shown("?category=ask_shelter") == {kiosk.display_code}
    assert shown("?status=closed") == {closed.display_code}
    assert shown("?status=all&category=ask_money") == {closed.display_code}
    assert shown("?status=bogus&channel=fax") == {kiosk.display_code, telegram.display_code}
    page = dashboard.get("/staff/queue?channel=telegram").text
    assert '<option value="telegram" selected>' in page
    assert '<option value="ask_shelter">Nocleg</option>' in page


def test_claim_reply_with_preview_and_close(dashboard: Dashboard) -> None:
    case = escalate("flow00001", lines=[("user", "Gdzie jest MOPS?"),
                                        ("bot", "Przekazuję pytanie pracownikowi.")])
    dashboard.login_ok("jan", STAFF_PASSWORD)
    claimed = dashboard.post(f"/staff/escalations/{case.id}/claim")
    assert claimed.headers["location"] == f"/staff/escalations/{case.id}?ok=claimed"
    page = dashboard.get(claimed.headers["location"]).text
    assert "Sprawa jest teraz Twoja." in page and "W toku" in page
    assert "Gdzie jest MOPS?" in page and "Przekazuję pytanie pracownikowi." in page
    assert "Wyślij" not in page

    page_url = f"/staff/escalations/{case.id}"
    typed = "Dzień dobry,\r\n\r\n\r\nMOPS jest przy ul. 3 Maja 33.   "
    preview = dashboard.post(f"{page_url}/reply", {"text": typed, "action": "preview"},
                             from_page=page_url)
    assert preview.status_code == 200
    shown = re.search(r'<p class="bubble">(.*?)</p>', preview.text, re.DOTALL)
    assert shown is not None
    assert shown.group(1) == "Odpowiedź pracownika:\nDzień dobry,\n\nMOPS jest przy ul. 3 Maja 33."
    assert "Wyślij" in preview.text and "po wpisaniu kodu " + case.display_code in preview.text
    assert escalations.undelivered_replies("kiosk") == []  # a preview sends nothing
    to_send = re.search(r'<input type="hidden" name="text" value="([^"]*)">', preview.text)
    assert to_send is not None

    sent = dashboard.post(f"{page_url}/reply", {"text": to_send.group(1), "action": "send"},
                          from_page=page_url)
    assert sent.headers["location"] == f"{page_url}?ok=sent"
    replies = escalations.undelivered_replies("kiosk")
    assert [r.text for r in replies] == ["Dzień dobry,\n\nMOPS jest przy ul. 3 Maja 33."]
    page = dashboard.get(page_url).text
    assert "Odpowiedziano" in page and "czeka na dostarczenie" in page
    escalations.mark_delivered(replies[0].message_id)
    assert "dostarczono" in dashboard.get(page_url).text

    closed = dashboard.post(f"{page_url}/close", from_page=page_url)
    assert closed.headers["location"] == f"{page_url}?ok=closed"
    assert case.display_code not in codes_in(dashboard.get("/staff/queue").text)
    page = dashboard.get(page_url).text
    assert "Zamknięta" in page and "Podgląd" not in page
    assert [(e.username, e.action, e.target) for e in audit.page().entries][:3] == [
        ("jan", "close", case.code), ("jan", "reply", case.code), ("jan", "claim", case.code)]


def test_an_empty_or_too_long_reply_is_refused(dashboard: Dashboard) -> None:
    case = escalate("reply0001")
    dashboard.login_ok("jan", STAFF_PASSWORD)
    page_url = f"/staff/escalations/{case.id}"
    empty = dashboard.post(f"{page_url}/reply", {"text": " \r\n ", "action": "send"},
                           from_page=page_url)
    assert empty.status_code == 400 and "Wpisz odpowiedź." in empty.text
    long = dashboard.post(f"{page_url}/reply", {"text": "x" * 2001, "action": "send"},
                          from_page=page_url)
    assert long.status_code == 400 and "za długa" in long.text
    assert escalations.transcript(case.id)[-1].author == "user"


def test_reassign_and_someone_elses_case(dashboard: Dashboard,
                                         other_browser: Dashboard) -> None:
    ewa = add_user("ewa")
    gone = add_user("gone")
    staff.set_active(gone.id, False, by="test")
    case = escalate("reass0001")
    dashboard.login_ok("jan", STAFF_PASSWORD)
    page_url = f"/staff/escalations/{case.id}"
    dashboard.post(f"{page_url}/claim", from_page=page_url)
    page = dashboard.get(page_url).text
    options = re.findall(r'<option value="(\d+)">([^<]+)</option>', page)
    assert [name for _, name in options] == ["anna (administrator)", "ewa (pracownik)"]
    moved = dashboard.post(f"{page_url}/reassign", {"to": str(ewa.id)}, from_page=page_url)
    assert moved.headers["location"] == f"{page_url}?ok=reassigned"
    found = escalations.get(case.id)
    assert found is not None and found.claimed_by_username == "ewa"

    # jan no longer holds it: no reply form, and a forged reply is refused
    page = dashboard.get(page_url).text
    assert "Twoja odpowiedź" not in page and "Tę sprawę prowadzi ewa" in page
    refused = dashboard.post(f"{page_url}/reply", {"text": "Hej", "action": "send"},
                             from_page=page_url)
    assert refused.status_code == 409 and "inna osoba" in refused.text
    assert dashboard.post(f"{page_url}/reassign", {"to": str(gone.id)},
                          from_page=page_url).status_code == 409
    # an admin may act on anyone's case
    other_browser.login_ok("anna", ADMIN_PASSWORD)
    assert other_browser.post(f"{page_url}/close", from_page=page_url).status_code == 303


def test_unknown_escalations_are_not_found(dashboard: Dashboard) -> None:
    dashboard.login_ok("jan", STAFF_PASSWORD)
    for path in ("/staff/escalations/999999", "/staff/escalations/abc",
                 "/staff/escalations/-1"):
        response = dashboard.get(path)
        assert response.status_code == 404 and "Nie znaleziono" in response.text
    assert dashboard.post("/staff/escalations/999999/close").status_code == 404


# ---------------------------------------------------------------- escaping, headers


def test_what_people_wrote_is_escaped_everywhere(dashboard: Dashboard) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    case = escalate("xss000001", lines=[("user", payload)], category=payload[:100],
                    place=payload)
    dashboard.login_ok("anna", ADMIN_PASSWORD)
    for path in ("/staff/queue", f"/staff/escalations/{case.id}"):
        page = dashboard.get(path).text
        assert "<script" not in page and "<img" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img" in page
    page_url = f"/staff/escalations/{case.id}"
    preview = dashboard.post(f"{page_url}/reply", {"text": payload, "action": "preview"},
                             from_page=page_url)
    assert "<script" not in preview.text and "&lt;script&gt;" in preview.text


def test_pages_have_no_inline_scripts_or_styles_and_keep_the_csp(dashboard: Dashboard) -> None:
    case = escalate("csp000001")
    dashboard.login_ok("anna", ADMIN_PASSWORD)
    pages = [p for m, p in staff_routes(dashboard) if m == "GET" and "{" not in p]
    pages += [f"/staff/escalations/{case.id}"]
    for path in pages:
        response = dashboard.client.get(path)
        assert response.status_code == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
        assert "<script" not in response.text and " style=" not in response.text, path
        assert '<html lang="pl">' in response.text
    assert dashboard.client.get("/static/staff.css").status_code == 200


# ---------------------------------------------------------------- accounts and the log


def test_admin_adds_disables_and_enables_accounts(dashboard: Dashboard,
                                                  other_browser: Dashboard) -> None:
    dashboard.login_ok("anna", ADMIN_PASSWORD)
    page = "/staff/admin/users"

    def add(**fields: str) -> Response:
        return dashboard.post(page, {"role": "staff", **fields}, from_page=page)

    weak = add(username="ola", password="krotkie", repeat="krotkie")
    assert weak.status_code == 400 and "co najmniej 10 znaków" in weak.text
    assert 'value="ola"' in weak.text
    differ = add(username="ola", password="dobre-haslo-oli", repeat="dobre-haslo-ol")
    assert "różnią się" in differ.text
    bad_name = add(username="Ola Nowak", password="dobre-haslo-oli", repeat="dobre-haslo-oli")
    assert "od 3 do 40 znaków" in bad_name.text
    taken = add(username="jan", password="dobre-haslo-oli", repeat="dobre-haslo-oli")
    assert "już istnieje" in taken.text
    added = add(username="ola", password="dobre-haslo-oli", repeat="dobre-haslo-oli")
    assert added.headers["location"] == f"{page}?ok=added"
    assert [u.username for u in staff.users()] == ["anna", "jan", "ola"]

    other_browser.login_ok("ola", "dobre-haslo-oli")
    ola = staff.login_record("ola")
    assert ola is not None
    off = dashboard.post(f"{page}/{ola.user.id}/active", {"active": "0"}, from_page=page)
    assert off.headers["location"] == f"{page}?ok=disabled"
    assert other_browser.get("/staff/queue").status_code == 303  # signed out at once
    assert other_browser.login("ola", "dobre-haslo-oli").status_code == 401
    on = dashboard.post(f"{page}/{ola.user.id}/active", {"active": "1"}, from_page=page)
    assert on.headers["location"] == f"{page}?ok=enabled"
    other_browser.login_ok("ola", "dobre-haslo-oli")

    anna = staff.login_record("anna")
    assert anna is not None
    myself = dashboard.post(f"{page}/{anna.user.id}/active", {"active": "0"}, from_page=page)
    assert myself.status_code == 400 and "własnego konta" in myself.text
    actions = [e.action for e in audit.page().entries]
    assert actions.count("user_add") == 3 and "user_disable" in actions
    assert "user_enable" in actions


def test_the_audit_log_is_newest_first_and_paginated(dashboard: Dashboard) -> None:
    for number in range(60):
        audit.record("anna", "office_edit", f"office-{number:02d}")
    dashboard.login_ok("anna", ADMIN_PASSWORD)
    first = dashboard.get("/staff/admin/audit").text
    targets = re.findall(r"<td>(office-\d\d)</td>", first)
    assert targets[:3] == ["office-59", "office-58", "office-57"]
    assert "Strona 1 z 2" in first and "Starsze" in first and "Nowsze" not in first
    second = dashboard.get("/staff/admin/audit?page=2").text
    older = re.findall(r"<td>(office-\d\d)</td>", second)
    assert older[-1] == "office-00"
    assert not set(targets) & set(older)
    assert "Strona 2 z 2" in second and "Nowsze" in second
    assert "Strona 2 z 2" in dashboard.get("/staff/admin/audit?page=99").text
    rows = [datetime.strptime(t, "%d.%m.%Y %H:%M")
            for t in re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", first)]
    assert all(a >= b for a, b in pairwise(rows))


def test_changing_ones_own_password(dashboard: Dashboard, other_browser: Dashboard) -> None:
    dashboard.login_ok("jan", STAFF_PASSWORD)
    other_browser.login_ok("jan", STAFF_PASSWORD)
    page = "/staff/password"

    def change(current: str, new: str, repeat: str | None = None) -> Response:
        return dashboard.post(page, {"current": current, "new": new,
                                     "repeat": new if repeat is None else repeat},
                              from_page=page)

    wrong = change("nie-to-haslo", "cztery-slowa-tutaj")
    assert wrong.status_code == 400 and "Obecne hasło" in wrong.text
    weak = change(STAFF_PASSWORD, "krotkie")
    assert "co najmniej 10" in weak.text
    differ = change(STAFF_PASSWORD, "cztery-slowa-tutaj", "cztery-slowa-tuta")
    assert "różnią się" in differ.text
    done = change(STAFF_PASSWORD, "cztery-slowa-tutaj")
    assert done.headers["location"] == f"{page}?ok=password"
    assert "Hasło zostało zmienione." in dashboard.get(f"{page}?ok=password").text
    assert other_browser.get("/staff/queue").status_code == 303  # the other device is out
    fresh = Dashboard(TestClient(dashboard.client.app), dashboard.settings)
    assert fresh.login("jan", STAFF_PASSWORD).status_code == 401
    fresh.login_ok("jan", "cztery-slowa-tutaj")


@pytest.mark.parametrize("size", [70 * 1024])
def test_oversized_forms_are_refused(dashboard: Dashboard, size: int) -> None:
    case = escalate("big000001")
    dashboard.login_ok("jan", STAFF_PASSWORD)
    page_url = f"/staff/escalations/{case.id}"
    response = dashboard.post(f"{page_url}/reply", {"text": "x" * size, "action": "send"},
                              from_page=page_url)
    assert response.status_code == 413
