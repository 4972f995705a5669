"""Reading the dashboard's HTML forms (application/x-www-form-urlencoded), with a size limit.

The dashboard has no file uploads, so forms are parsed here from the raw body instead of
through multipart machinery; a body over MAX_FORM_BYTES is refused before parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl

from fastapi import Request

MAX_FORM_BYTES: Final = 64 * 1024
MAX_FIELDS: Final = 100


class FormTooLarge(Exception):
    pass


class NotAForm(Exception):
    pass


@dataclass(frozen=True)
class Form:
    """The fields of a submitted form; a missing field reads as the empty string."""

    fields: Mapping[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def text(self, name: str) -> str:
        """The field with line ends made LF and surrounding whitespace removed."""
        return self.get(name).replace("\r\n", "\n").replace("\r", "\n").strip()


async def read_form(request: Request) -> Form:
    """The request's form; raises FormTooLarge or NotAForm."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise FormTooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge()
    if not body:
        return Form({})  # a form with no fields (a button alone, or a bare POST)
    if content_type != "application/x-www-form-urlencoded":
        raise NotAForm(content_type)
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                          max_num_fields=MAX_FIELDS, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotAForm(str(exc)) from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)  # the first of repeated fields counts
    return Form(fields)
