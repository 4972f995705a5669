"""Polish wording of the directory's validation problems, for the office edit form.

The rules are the CSV import's (bot.directory.csvformat.check_row, which reports in
English for the command line); this only rewords its messages. A message without a
Polish wording here is shown as it is.
"""

from __future__ import annotations

import re
from typing import Final

from bot.directory.csvformat import Problem

DAYS: Final = {
    "Monday": "poniedziałek",
    "Tuesday": "wtorek",
    "Wednesday": "środa",
    "Thursday": "czwartek",
    "Friday": "piątek",
    "Saturday": "sobota",
    "Sunday": "niedziela",
}
_DAY = "(" + "|".join(DAYS) + ")"

# (English pattern, Polish wording with {1}, {2}... for the pattern's groups)
_ROW: Final = [
    (r"is (\d+) characters long; at most (\d+)", "ma {1} znaków; może mieć najwyżej {2}"),
    (r"contains a control character", "zawiera niedozwolony znak sterujący"),
    (r"contains a line break or control character",
     "nie może zawierać przejścia do nowej linii ani znaków sterujących"),
    (r"is required", "to pole jest wymagane"),
    (r"may contain only letters, digits, '\.', '_' and '-' \(at most 64\)",
     "może zawierać tylko litery, cyfry, '.', '_' i '-' (najwyżej 64 znaki)"),
    (r"(.+) is not a kind; use one of: (.+)", "{1} to nie jest znany rodzaj; wybierz z listy"),
    (r"for kind ops use one of: (.+)", "dla ośrodka pomocy społecznej wpisz jedno z: {1}"),
    (r"(.+) is not a postal code written NN-NNN",
     "{1} to nie jest kod pocztowy; wpisz go w postaci 00-000"),
    (r"(.+) is not a TERYT gmina code \(7 digits, the last 1, 2 or 3\)",
     "{1} to nie jest kod gminy TERYT (7 cyfr, ostatnia to 1, 2 lub 3)"),
    (r"there is no gmina (\S+) in the TERYT register", "w rejestrze TERYT nie ma gminy {1}"),
    (r"(.+) is not a TERYT powiat code \(4 digits\)",
     "{1} to nie jest kod powiatu TERYT (4 cyfry)"),
    (r"there is no powiat (\S+) in the TERYT register", "w rejestrze TERYT nie ma powiatu {1}"),
    (r"give serves_gmina or serves_powiat: the area the place serves",
     "podaj obsługiwaną gminę albo powiat: obszar, któremu placówka pomaga"),
    (r"gmina (\S+) is not in powiat (\S+)", "gmina {1} nie leży w powiecie {2}"),
    (r"(.+): a phone number may contain only digits, spaces and \+ \( \) -; separate numbers "
     r"with ';' and put remarks in note",
     "{1}: numer może zawierać tylko cyfry, spacje i znaki + ( ) -; kilka numerów oddziel "
     "średnikiem, a uwagi wpisz w polu Uwagi"),
    (r"(.+) is too short to be a phone number", "{1} jest za krótki na numer telefonu"),
    (r"(.+) is not an e-mail address", "{1} to nie jest adres e-mail"),
    (r"must be an address starting with http:// or https://",
     "wpisz adres zaczynający się od http:// albo https://"),
    (r"must not contain spaces", "adres nie może zawierać spacji"),
    (r"use one of: (.+)", "wybierz jedną z możliwości z listy"),
    (r"must be a number in decimal degrees with a dot, e\.g\. 50\.2649",
     "wpisz liczbę stopni z kropką, np. 50.2649"),
    (r"(\S+) is outside Poland \((.+)\)", "{1} leży poza Polską ({2})"),
    (r"give both latitude and longitude, or neither", "podaj obie współrzędne albo żadnej"),
    (r"the point is outside Poland", "ten punkt leży poza Polską"),
    (r"(.+) is not a date written YYYY-MM-DD, YYYY-MM or YYYY",
     "{1} to nie jest data; wpisz RRRR-MM-DD, RRRR-MM albo RRRR"),
    (r"(.+) is not a date written YYYY-MM-DD", "{1} to nie jest data; wpisz RRRR-MM-DD"),
    (r"cannot read the opening hours: (.+)", "nie da się odczytać godzin otwarcia: {hours}"),
]
_HOURS: Final = [
    (_DAY + r": time out of range", "{1}: godzina poza zakresem"),
    (_DAY + r": (\S+) opens and closes at the same time",
     "{1}: {2} – otwarcie i zamknięcie o tej samej godzinie"),
    (_DAY + r": the hours overlap", "{1}: godziny nachodzą na siebie"),
    (r"no opening hours given \(every day closed\)",
     "nie podano żadnych godzin (każdy dzień zamknięty)"),
    (_DAY + r": the night hours run into " + _DAY + r"'s hours",
     "{1}: godziny nocne nachodzą na godziny dnia {2}"),
    (r"(.+) is not a time of day", "{1} to nie jest godzina"),
    (r"cannot read (.+) as a time", "nie da się odczytać {1} jako godziny"),
    (r"unknown word (.+)", "nieznane słowo {1}"),
    (r"unexpected character (.+)", "niespodziewany znak {1}"),
    (r"(\S+) has no closing time", "{1} – brak godziny zamknięcia"),
    (r"'do' without a day or time before it", "„do” bez dnia albo godziny przed nim"),
    (r"a day is given as both closed and open",
     "ten sam dzień jest podany jako zamknięty i otwarty"),
    (_DAY + r" is given twice", "{1} jest podany dwa razy"),
    (r"text longer than (\d+) characters", "tekst dłuższy niż {1} znaków"),
    (r"no opening hours found", "nie znaleziono godzin otwarcia"),
    (r"days without hours", "są dni bez godzin"),
    (r"hours without days: say on which days \(e\.g\. '(.+)'\)",
     "godziny bez dni: napisz, w które dni (np. '{1}')"),
    (r"hours without days", "godziny bez dni"),
]
_ROW_RE: Final = [(re.compile(p, re.DOTALL), polish) for p, polish in _ROW]
_HOURS_RE: Final = [(re.compile(p, re.DOTALL), polish) for p, polish in _HOURS]


def _fill(polish: str, match: re.Match[str]) -> str:
    def group(found: re.Match[str]) -> str:
        value = match.group(int(found.group(1)))
        return DAYS.get(value, value)

    return re.sub(r"\{(\d)\}", group, polish)


def _reword(text: str, table: list[tuple[re.Pattern[str], str]]) -> str | None:
    for pattern, polish in table:
        match = pattern.fullmatch(text)
        if match is not None:
            if "{hours}" in polish:
                inner = _reword(match.group(1), _HOURS_RE)
                return None if inner is None else polish.replace("{hours}", inner)
            return _fill(polish, match)
    return None


def polish_reason(reason: str) -> str:
    """The problem's reason in Polish (unchanged when there is no wording for it)."""
    return _reword(reason, _ROW_RE) or reason


def has_polish_wording(problem: Problem) -> bool:
    return _reword(problem.reason, _ROW_RE) is not None
