"""All reads and writes of the application database, one module per area.

Each public function is one unit of work: one short `with Session.begin()` block.
Nothing outside this package builds queries.
"""

from __future__ import annotations

from sqlalchemy import text

from bot.db.session import Session


def ping() -> bool:
    """True when the database answers a trivial query."""
    with Session() as session:
        session.execute(text("SELECT 1"))
    return True
