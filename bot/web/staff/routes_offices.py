"""Admin: the directory of offices and shelters, searched by name or town and edited one
row at a time with the CSV import's own checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bot.db.repository import directory, office_editing
from bot.directory.csvformat import COLUMNS, MULTILINE, check_row, record_to_row
from bot.directory.kinds import CONFIDENCE, FOR_WHOM, KINDS
from bot.web.staff import labels
from bot.web.staff.auth import Admin, AdminPost, Staff
from bot.web.staff.office_problems import polish_reason
from bot.web.staff.routing import PageNotFound, StaffRoute
from bot.web.staff.templating import render

NOTICES: Final = {
    "saved": "Zmiany zapisane. Asystent podaje już nowe dane.",
    "same": "Nic się nie zmieniło, więc nic nie zapisano.",
}


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); a select when given
    required: bool = False

    @property
    def multiline(self) -> bool:
        return self.name in MULTILINE


def _choices(values: tuple[str, ...], words: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((value, f"{words.get(value, value)} ({value})") for value in values)


FIELDS: Final = (
    Field("name", "Nazwa", required=True),
    Field("kind", "Rodzaj", choices=_choices(KINDS, labels.KIND), required=True),
    Field("subtype", "Podrodzaj", "Dla ośrodka pomocy społecznej: MOPS, MOPR, OPS, GOPS "
          "albo CUS."),
    Field("street_address", "Ulica i numer", "Na przykład: ul. 3 Maja 33"),
    Field("postal_code", "Kod pocztowy", "W postaci 00-000."),
    Field("locality", "Miejscowość"),
    Field("serves_gmina", "Obsługiwana gmina (kod TERYT)", "7 cyfr. Podaj gminę albo powiat."),
    Field("serves_powiat", "Obsługiwany powiat (kod TERYT)", "4 cyfry, np. 2475."),
    Field("phones", "Telefony", "Kilka numerów oddziel średnikiem."),
    Field("email", "E-mail"),
    Field("website", "Strona internetowa", "Adres zaczynający się od https://"),
    Field("hours", "Godziny otwarcia", "Na przykład: pn-pt 07:30-15:30; sb 08:00-12:00"),
    Field("hours_text", "Godziny tak, jak podaje źródło"),
    Field("for_whom", "Dla kogo", choices=(("", "nie wiadomo"),
                                           *_choices(FOR_WHOM, labels.FOR_WHOM))),
    Field("latitude", "Szerokość geograficzna", "Stopnie z kropką, np. 50.2649"),
    Field("longitude", "Długość geograficzna", "Stopnie z kropką, np. 19.0238"),
    Field("source_url", "Skąd są dane (adres strony)"),
    Field("source_date", "Data źródła", "RRRR-MM-DD, RRRR-MM albo RRRR."),
    Field("confidence", "Pewność danych", choices=_choices(CONFIDENCE, labels.CONFIDENCE),
          required=True),
    Field("verified_at", "Kiedy ktoś to sprawdził", "RRRR-MM-DD."),
    Field("note", "Uwagi"),
)
assert {f.name for f in FIELDS} == set(COLUMNS) - {"id"}, "every CSV column has a field"


def edit_page(staff: Staff, office_id: str, origin: str, values: dict[str, str], *,
              problems: dict[str, list[str]] | None = None, status: int = 200,
              notice: str | None = None) -> Response:
    return render("office_edit.html", section="offices", status=status, staff=staff,
                  office_id=office_id, origin=origin, fields=FIELDS, values=values,
                  problems=problems or {}, notice=notice)


def offices_router() -> APIRouter:
    router = APIRouter(prefix="/staff/admin/offices", route_class=StaffRoute)

    @router.get("", include_in_schema=False)
    def offices(request: Request, staff: Admin) -> Response:
        text = request.query_params.get("q", "")[:200]
        return render("offices.html", section="offices", staff=staff, q=text,
                      found=office_editing.search_offices(text))

    @router.get("/{office_id}", include_in_schema=False)
    def edit(request: Request, office_id: str, staff: Admin) -> Response:
        stored = directory.get_office(office_id)
        if stored is None:
            raise PageNotFound()
        return edit_page(staff, office_id, stored.origin, record_to_row(stored.office),
                         notice=NOTICES.get(request.query_params.get("ok", "")))

    @router.post("/{office_id}", include_in_schema=False)
    def save(office_id: str, posted: AdminPost) -> Response:
        stored = directory.get_office(office_id)
        if stored is None:
            raise PageNotFound()
        row = {name: posted.form.get(name) for name in COLUMNS}
        row["id"] = office_id
        record, problems = check_row(row, 1, directory.register())
        if record is None:
            by_field: dict[str, list[str]] = {}
            for problem in problems:
                by_field.setdefault(problem.column, []).append(polish_reason(problem.reason))
            return edit_page(posted.staff, office_id, stored.origin, row, problems=by_field,
                             status=400)
        try:
            saved = office_editing.save_office(record, by=posted.staff.user.username)
        except KeyError:
            raise PageNotFound() from None
        key = "saved" if saved.changed else "same"
        return RedirectResponse(f"/staff/admin/offices/{office_id}?ok={key}", status_code=303)

    return router
