"""The text of a staff reply exactly as the person will get it.

The dashboard cleans what staff typed with `clean_reply` and stores that text; the
channels deliver it as plain text inside their own frame, which `as_delivered` repeats
for the preview: on Telegram the message of bot/telegram/channel.py (STAFF_REPLY_TEXT),
on the kiosk the bubble bot/web/static/kiosk.js shows after the code is typed
(tests/staff checks that both still match).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

MAX_REPLY: Final = 2000  # characters; well inside Telegram's 4096 per message
_BIDI: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BLANK_LINES: Final = re.compile(r"\n{3,}")


TELEGRAM_FRAME: Final = "Odpowiedź pracownika (sprawa {code}):\n\n{text}"
KIOSK_FRAME: Final = "Odpowiedź pracownika:\n{text}"


def as_delivered(channel: str, code: str, text: str) -> str:
    """The reply as the person's channel shows it (`code` shown form, e.g. "KF7-M3X")."""
    frame = TELEGRAM_FRAME if channel == "telegram" else KIOSK_FRAME
    return frame.format(code=code, text=text)


def clean_reply(text: str) -> str:
    """Line ends made LF, tabs made spaces, control and direction-override characters
    removed, trailing spaces and more than one empty line in a row dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = "".join(
        ch for ch in text
        if ch == "\n" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI)
    )
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def reply_problem(text: str) -> str | None:
    """Why a cleaned reply cannot be sent (Polish), or None."""
    if not text:
        return "Wpisz odpowiedź."
    if len(text) > MAX_REPLY:
        return f"Odpowiedź jest za długa: {len(text)} znaków, najwyżej {MAX_REPLY}."
    return None
