"""A throw-away PostgreSQL schema, for the tests and the load benchmark's scale-out run."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def private_schema(base: str, prefix: str = "t") -> Iterator[str]:
    """A URL of the PostgreSQL database `base` that uses a new, empty schema (its
    `search_path`); the schema and everything in it are dropped afterwards."""
    if not prefix.isidentifier() or not prefix.islower():
        raise ValueError(f"schema prefix must be a lower-case identifier, got {prefix!r}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"  # needs no quoting in SQL or in the URL
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
