"""Database layer: models, the session factory, migrations and the repository.

Everything else talks to the database only through `bot.db.repository`.
"""
