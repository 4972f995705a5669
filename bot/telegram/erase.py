"""Erasing a conversation's transcript from Rasa's tracker store.

Rasa 3.6's HTTP API cannot delete a tracker: `PUT /conversations/{id}/tracker/events` with
an empty list saves a tracker with no *new* events, and the SQL tracker store only ever
appends, so every stored event would stay. The transcript is therefore deleted where it
lives: the `events` table of the SQL tracker store (`TRACKER_DB`, bot/endpoints.yml).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import create_engine, text
from sqlalchemy.exc import NoSuchTableError, OperationalError, ProgrammingError

from bot.settings import normalise_database_url


def erase_transcripts(tracker_db: str, sender_ids: Sequence[str]) -> int:
    """Delete every stored event of these Rasa senders; returns how many were deleted."""
    if not sender_ids:
        return 0
    url = normalise_database_url(tracker_db) if "://" in tracker_db \
        else f"sqlite:///{tracker_db}"
    engine = create_engine(url, connect_args={"timeout": 10} if url.startswith("sqlite") else {})
    try:
        with engine.begin() as connection:
            deleted = 0
            for sender in sender_ids:
                result = connection.execute(
                    text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender}
                )
                deleted += int(result.rowcount or 0)
            return deleted
    except (NoSuchTableError, OperationalError, ProgrammingError) as exc:
        if "no such table" in str(exc) or 'relation "events" does not exist' in str(exc):
            return 0  # Rasa has not stored anything yet
        raise
    finally:
        engine.dispose()
