"""Server-side pages of the dashboard: Jinja2 with autoescaping, and the labels it shows.

Templates are in `templates/`; every value is escaped unless a template says otherwise
(none does). Pages have no inline scripts or styles (the app's Content-Security-Policy
forbids them): all styling is in /static/staff.css.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.db.models import utcnow
from bot.escalation_codes import format_code
from bot.web.staff import labels

TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters.update(
    {
        "when": labels.when,
        "code": format_code,
        "status": lambda value: labels.label(labels.STATUS, value),
        "priority": lambda value: labels.label(labels.PRIORITY, value),
        "channel": lambda value: labels.label(labels.CHANNEL, value),
        "author": lambda value: labels.label(labels.AUTHOR, value),
        "role": lambda value: labels.label(labels.ROLE, value),
        "action": lambda value: labels.label(labels.ACTION, value),
        "kind": lambda value: labels.label(labels.KIND, value),
        "category": lambda value: labels.label(labels.CATEGORY, value),
        "origin": lambda value: labels.label(labels.ORIGIN, value),
    }
)
_env.globals.update(
    {
        "STATUS": labels.STATUS,
        "CHANNEL": labels.CHANNEL,
        "KIND": labels.KIND,
        "FOR_WHOM": labels.FOR_WHOM,
        "CONFIDENCE": labels.CONFIDENCE,
    }
)


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page `name` with `context`; `staff` (who is signed in, or None) is always there."""
    now = utcnow()
    context.setdefault("staff", None)
    context.setdefault("notice", None)
    context.setdefault("error", None)
    context["now"] = now
    context["age"] = lambda since: labels.age(since, now)
    context["ago"] = lambda since: labels.ago(since, now)
    return HTMLResponse(_env.get_template(name).render(**context), status_code=status)
