"""Phrases that always mean "this person may be in danger" (checked on folded text).

A deterministic safety net under the statistical classifier: the crisis answer
(emergency numbers) must never depend on a confidence score. False alarms are
acceptable; a missed crisis is not. Patterns are matched against `bot.textnorm.fold`
output (lowercase, no diacritics), so "nie chcę żyć" and "nie chce zyc" both match.
"""

from __future__ import annotations

import re

from bot.textnorm import fold

_PATTERNS = [
    # suicide, wanting to die
    r"\b(zabi(c|je)|zabil(bym|abym)?|powies(ic|ze)|otruc|utopic|odebrac sobie) sie\b",
    r"\bsie (zabi(c|je)|powiesze|potne|otruje)\b",
    r"\bsamoboj",
    r"\bnie (chce|chcialbym|moge|umiem|dam rady) (juz )?(dalej )?(zyc|tak zyc)\b",
    r"\bnie chce mi sie (juz )?zyc\b",
    r"\b(nie ma|nie widze) sensu (zyc|zycia)\b",
    r"\b(chce|chcialbym|wolalbym|lepiej) (juz )?(umrzec|zdechnac|nie zyc|nie istniec)\b",
    r"\b(skoncz|skonczyc|skoncze|konczyc|koncze) (ze soba|z tym zyciem|z zyciem)\b",
    r"\bskocz(e|yc) (z|pod|z mostu|z okna|z dachu|pod pociag)\b",
    r"\bpod pociag\b",
    r"\b(podetne|podciac|podcinam|podcialem|podcielam) (sobie )?zyly\b",
    # preparing: a rope or noose, a farewell letter, hoarded pills
    r"\bsznur(ek|a|em|ka|kiem)?\b",
    r"\bpet(la|le|li|elke|elka)\b",
    r"\b(list|liscik) pozegnaln|\bpozegnaln(y|a) list",
    r"\b(zbieram|nazbieralem|nazbieralam|odkladam|chomikuje) (sobie )?"
    r"(tabletki|tabletek|leki|lekow|prochy|prochow)\b",
    # self-harm
    r"\b(tne|ciac|pocialem|pocielam|pocial|pocielem) sie\b",
    r"\bsamookalecz",
    r"\b(okalecz|rani(e|c)) (sie|siebie)\b",
    r"\bzrobie sobie krzywde\b",
    r"\b(lyknac|lyknalem|nazarlem sie|zjadlem) (wszystkie )?(tabletki|tabsy|prochy|leki)\b",
    # violence against the person
    r"\b(bije|bil|pobil|pobila|pobili|katuje|dusi|dusil) mnie\b",
    r"\bmnie (bije|bil|pobil|pobila|pobili|katuje|dusi|dusil)\b",
    # "grozi mi" is a threat from a person, not "grozi mi eksmisja / kara / komornik"
    r"\b(grozi|grozil|grozili|groza) mi\b(?! (eksmisj|wyrzuceni|wymeldowani|kar[aey]\b|grzywn|"
    r"komornik|odwiesz|areszt|wiezieni|odsiadk|utrat|odciecie|wylaczeni|zadluz|dlug|"
    r"odsetk|wezwani|sad|rozprawa|termin|przedawnieni))",
    r"\bchc(e|a) mnie zabic\b",
    r"\b(boje|boi) sie o (swoje |moje )?zycie\b",
    r"\bprzemoc domow",
]
_CRISIS = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS))


def crisis_phrase(text: str) -> str | None:
    """The crisis phrase found in `text`, or None."""
    match = _CRISIS.search(fold(text))
    return match.group(0) if match else None
