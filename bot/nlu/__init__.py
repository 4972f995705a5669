"""Custom Rasa NLU components (loaded inside the Rasa environment, .venv-rasa)."""
