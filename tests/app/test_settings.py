from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, normalise_database_url


def test_defaults_run_on_one_machine_with_sqlite() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/drogowskaz.db")
    assert settings.web_port == 8000
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.action_endpoint_url == "http://127.0.0.1:5055/webhook"
    assert settings.kiosk_url == "http://127.0.0.1:8000/kiosk"


def test_ports_follow_each_other() -> None:
    settings = load_settings({"RASA_PORT": "6005", "ACTION_PORT": "6055", "WEB_PORT": "9000",
                              "WEB_HOST": "0.0.0.0"})
    assert settings.rasa_url == "http://127.0.0.1:6005"
    assert settings.action_endpoint_url == "http://127.0.0.1:6055/webhook"
    assert settings.kiosk_url == "http://127.0.0.1:9000/kiosk"


def test_var_dir_moves_the_sqlite_files(tmp_path: Path) -> None:
    settings = load_settings({"VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'drogowskaz.db'}"
    assert settings.tracker_db == str(tmp_path / "tracker.db")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg3(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WEB_PORT": "eighty"}, "WEB_PORT must be a whole number"),
        ({"RASA_PORT": "70000"}, "RASA_PORT must be a port number"),
        ({"RASA_TIMEOUT": "-1"}, "RASA_TIMEOUT must be positive"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be"),
    ],
)
def test_bad_values_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(env)
