"""Place-name resolution for Poland (GUS TERYT): which gmina serves a town the user typed.

Import-light: nothing is loaded at import time; the index loads on first use through
:func:`get_index` (about 1 s, cached for the process). Run-time code uses only the
standard library; Morfeusz 2 is needed only by ``build_data`` (developer tool).

    >>> from bot.places import get_index
    >>> get_index().resolve("w Sosnowcu").place.gmina.teryt
    '2475011'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.places.model import Gmina, Place, Resolution
    from bot.places.resolver import PlaceIndex, find_in_text, get_index, resolve

__all__ = ["Gmina", "Place", "PlaceIndex", "Resolution", "find_in_text", "get_index", "resolve"]

_LAZY = {
    "Gmina": "bot.places.model",
    "Place": "bot.places.model",
    "Resolution": "bot.places.model",
    "PlaceIndex": "bot.places.resolver",
    "find_in_text": "bot.places.resolver",
    "get_index": "bot.places.resolver",
    "resolve": "bot.places.resolver",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bot.places' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
