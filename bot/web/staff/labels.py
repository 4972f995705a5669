"""Polish words the dashboard shows for stored values, and how times and ages are written."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

WARSAW: Final = ZoneInfo("Europe/Warsaw")

STATUS: Final = {
    "new": "Nowa",
    "claimed": "W toku",
    "answered": "Odpowiedziano",
    "closed": "Zamknięta",
}
PRIORITY: Final = {"urgent": "Pilna", "normal": "Zwykła"}
CHANNEL: Final = {"kiosk": "Kiosk", "telegram": "Telegram"}
AUTHOR: Final = {"user": "Osoba", "bot": "Asystent", "staff": "Pracownik"}
ROLE: Final = {"admin": "administrator", "staff": "pracownik"}
ACTION: Final = {
    "login": "Logowanie",
    "login_failed": "Nieudane logowanie",
    "logout": "Wylogowanie",
    "claim": "Wzięcie sprawy",
    "reply": "Odpowiedź",
    "close": "Zamknięcie sprawy",
    "reassign": "Przekazanie sprawy",
    "user_add": "Nowe konto",
    "user_disable": "Wyłączenie konta",
    "user_enable": "Włączenie konta",
    "password_change": "Zmiana hasła",
    "password_reset": "Nowe hasło od administratora",
    "office_edit": "Zmiana placówki",
    "purge": "Usunięcie starych danych",
}
KIND: Final = {
    "ops": "Ośrodek pomocy społecznej",
    "pcpr": "Powiatowe centrum pomocy rodzinie",
    "pup": "Urząd pracy",
    "zon": "Zespół orzekania o niepełnosprawności",
    "shelter": "Schronisko",
    "night_shelter": "Noclegownia",
    "warming_centre": "Ogrzewalnia",
    "food": "Jadłodajnia, bank żywności",
    "addiction": "Leczenie uzależnień",
    "ngo": "Organizacja pozarządowa",
    "prison": "Zakład karny, areszt",
}
FOR_WHOM: Final = {
    "men": "mężczyźni",
    "women": "kobiety",
    "families": "rodziny",
    "mixed": "mężczyźni i kobiety",
    "any": "wszyscy",
}
CONFIDENCE: Final = {"high": "wysoka", "medium": "średnia", "low": "niska"}
# Escalation categories: the intent (topic) the person asked about, or how they got here.
CATEGORY: Final = {
    "crisis": "Kryzys",
    "request_human": "Prośba o rozmowę z człowiekiem",
    "ask_shelter": "Nocleg",
    "ask_financial_aid": "Pieniądze, zasiłki",
    "ask_housing_allowance": "Dodatek mieszkaniowy",
    "ask_disability_assessment": "Niepełnosprawność",
    "ask_family_benefits": "Świadczenia rodzinne",
    "ask_employment": "Praca",
    "ask_id_documents": "Dokumenty",
    "ask_health_insurance": "Ubezpieczenie zdrowotne",
    "ask_release_checklist": "Po wyjściu",
    "ask_addiction_help": "Uzależnienia",
    "ask_application_process": "Jak złożyć wniosek",
    "ask_food_clothing": "Jedzenie, ubrania",
    "ask_income_criterion": "Kryterium dochodowe",
    "ask_office_contact": "Kontakt z urzędem",
    "ask_postpenitentiary_help": "Pomoc postpenitencjarna",
    "ask_probation": "Kurator, dozór",
    "ask_capabilities": "Co umie asystent",
}
ORIGIN: Final = {"seed": "dane startowe", "staff": "zmienione przez pracowników"}


def label(table: dict[str, str], value: str | None) -> str:
    """The Polish word for a stored value; the value itself when there is none."""
    if value is None:
        return ""
    return table.get(value, value)


def when(moment: datetime | None) -> str:
    """Local (Warsaw) date and time: "22.11.2026 12:05"."""
    if moment is None:
        return ""
    return moment.astimezone(WARSAW).strftime("%d.%m.%Y %H:%M")


def _days(number: int) -> str:
    return "1 dzień" if number == 1 else f"{number} dni"


def age(since: datetime, now: datetime) -> str:
    """How long ago, shortly: "przed chwilą", "12 min", "3 godz. 5 min", "2 dni"."""
    elapsed = max(now - since, timedelta(0))
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 1:
        return "przed chwilą"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} godz. {rest} min" if rest else f"{hours} godz."
    days, hours = divmod(hours, 24)
    return f"{_days(days)} {hours} godz." if hours and days < 3 else _days(days)


def ago(since: datetime, now: datetime) -> str:
    """"przed chwilą", "12 min temu"."""
    elapsed = age(since, now)
    return elapsed if elapsed == "przed chwilą" else f"{elapsed} temu"
