"""Answer codes of escalations: what a person types on a kiosk to read the staff's answer.

Six characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, V/U...),
stored without a dash and shown in two groups: "KF7-M3X". Typed codes are accepted in
any case, with or without the dash or spaces.
"""

from __future__ import annotations

import secrets
from typing import Final

ALPHABET: Final = "ACEFHJKLMNPRTUWXY34679"
LENGTH: Final = 6
_SEPARATORS: Final = frozenset(" -\u2010\u2011\u2012\u2013\u2014\u2212\t_.")


def new_code() -> str:
    """A random code (22**6, about 113 million possibilities), stored form."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(typed: str) -> str | None:
    """The stored form of a typed code ("kf7 m3x" -> "KF7M3X"), or None if it cannot be one."""
    if len(typed) > 4 * LENGTH:
        return None
    code = "".join(ch for ch in typed.strip() if ch not in _SEPARATORS).upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    """How a code is shown to people: "KF7M3X" -> "KF7-M3X"."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == LENGTH else code
