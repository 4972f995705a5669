"""Rasa's bot messages as Telegram messages: text split to Telegram's limit, inline keyboards."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.web.chat import to_reply_message

MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data
_SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+|\n+")
# A Polish nine-digit number as people write it ("12 616 54 00", "800 120 002",
# "123-456-789"), not part of a longer number or an amount.
_PHONE = re.compile(
    r"(?<![\d+])(?:\+48[ ]?)?"
    r"(\d{2}[ -]\d{3}[ -]\d{2}[ -]\d{2}|\d{3}[ -]\d{3}[ -]\d{3}|\d{9})"
    r"(?![\d]|[ ]?z[łl])"
)


def tappable_phones(text: str) -> str:
    """Write Polish phone numbers as +48 ..., which Telegram's apps make tappable
    (a bot cannot send a tel: link)."""
    return _PHONE.sub(lambda m: "+48 " + re.sub(r"-", " ", m.group(1)), text)


@dataclass(frozen=True)
class OutMessage:
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (title, payload)

    def keyboard(self) -> InlineKeyboardMarkup | None:
        usable = [(t, p) for t, p in self.buttons if len(p.encode()) <= MAX_CALLBACK_BYTES]
        if not usable:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(title, callback_data=payload)] for title, payload in usable]
        )


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split `text` into parts of at most `limit` characters, at sentence boundaries when
    possible (then at spaces, then anywhere)."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window) if m.start() <= limit),
                  default=0)
        if cut <= 0:
            cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = limit
        head = text[:cut].rstrip()
        if head:
            parts.append(head)
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def card_text(text: str, card: dict[str, str]) -> str:
    """An office card as plain text (phone numbers are made tappable afterwards)."""
    if text:
        return text
    lines = [f"{card.get('kind', '')}: {card.get('name', '')}".strip(": ")]
    for label, key in (("Adres", "address"), ("Telefon", "phone"), ("Godziny", "hours")):
        if card.get(key):
            lines.append(f"{label}: {card[key]}")
    return "\n".join(lines)


def to_out_messages(rasa_messages: list[dict[str, Any]]) -> list[OutMessage]:
    """Rasa's messages as Telegram messages; buttons go on the last part of their message."""
    out: list[OutMessage] = []
    for message in map(to_reply_message, rasa_messages):
        if message is None:
            continue
        text = str(message["text"])
        if isinstance(message.get("card"), dict):
            text = card_text(text, message["card"])
        text = tappable_phones(text)
        buttons = [(str(b["title"]), str(b["payload"])) for b in message["buttons"]]
        parts = split_text(text) or (["Wybierz:"] if buttons else [])
        for index, part in enumerate(parts):
            out.append(OutMessage(part, buttons if index == len(parts) - 1 else []))
    return out
