"""Tests run inside .venv-rasa (make test-rasa): our code that Rasa loads in-process."""
