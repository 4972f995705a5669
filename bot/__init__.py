"""Drogowskaz: the assistant's own code.

Kept import-light on purpose: Rasa loads `bot.nlu` and `bot.rasa_channel` in its own
environment, which has neither the web stack nor SQLAlchemy 2.
"""
