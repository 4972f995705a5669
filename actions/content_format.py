"""How facts appear in answers: "1 010 zł (od 1.01.2025)", "14 dni", "2 dni robocze".

Shared by the assistant (actions.content_store) and the content checker
(actions/content/check_content.py), so what is checked is what users see.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# [word] in a tool's text (actions/content/tools/): filled in by the action at run time
RUNTIME_RE = re.compile(r"\[([a-z_]+)\]")
STRING_UNITS = {"phone", "godziny"}


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n == 1:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def number_text(value: float | int) -> str:
    """Polish number: thousands separated by a non-breaking space, decimal comma."""
    if isinstance(value, float) and not value.is_integer():
        whole, frac = f"{value:.2f}".split(".")
    else:
        whole, frac = str(int(value)), ""
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = "\u00a0".join(groups) if len("".join(groups)) >= 4 else "".join(groups)
    return f"{text},{frac}" if frac else text


def _date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day}.{d.month:02d}.{d.year}"


UNIT_FORMS = {
    "dni": ("dzień", "dni", "dni"),
    "dni robocze": ("dzień roboczy", "dni robocze", "dni roboczych"),
    "miesiące": ("miesiąc", "miesiące", "miesięcy"),
}


def format_fact(fact: dict[str, Any]) -> str:
    """The text that replaces {fact_id}: value with its unit, plus the date when shown."""
    value, unit = fact["value"], fact["unit"]
    if unit in STRING_UNITS:
        text = str(value)
    elif unit == "zł":
        text = f"{number_text(value)}\u00a0zł"
    elif unit == "%":
        text = f"{number_text(value)}%"
    elif unit == "m²":
        text = f"{number_text(value)}\u00a0m²"
    else:
        one, few, many = UNIT_FORMS[unit]
        text = f"{number_text(value)}\u00a0{_plural(int(value), one, few, many)}"
    if fact.get("show_date"):
        start, end = fact.get("valid_from"), fact.get("valid_until")
        if start and end:
            text += f" (od {_date(start)} do {_date(end)})"
        elif start:
            text += f" (od {_date(start)})"
        elif end:
            text += f" (do {_date(end)})"
    return text


def render_text(text: str, facts: dict[str, dict[str, Any]]) -> str:
    """Message text with every {fact_id} replaced by format_fact."""
    return PLACEHOLDER_RE.sub(lambda m: format_fact(facts[m.group(1)]), text)
