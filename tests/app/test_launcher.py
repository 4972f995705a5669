"""The processes `make run` starts, without starting them."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from bot.launcher import (
    answers,
    build_services,
    free_ports,
    port_is_free,
    scale_out_settings_env,
    scale_out_store_env,
)
from bot.settings import PROJECT_ROOT, SettingsError, load_settings


def test_a_token_starting_with_a_dash_stays_one_argument() -> None:
    settings = replace(load_settings({}), rasa_token="-Xy_12abc")
    rasa = next(s for s in build_services(settings) if s.name == "Rasa server")
    assert "--auth-token=-Xy_12abc" in rasa.command
    assert "-Xy_12abc" not in rasa.command  # never a separate argument argparse could misread


def test_one_machine_starts_three_services_without_telegram() -> None:
    names = [s.name for s in build_services(replace(load_settings({}), rasa_token="t"))]
    assert names == ["action server", "Rasa server", "web app"]


def test_scale_out_pairs_rasa_servers_with_action_servers() -> None:
    settings = replace(load_settings({
        "RASA_PROCESSES": "3", "ACTION_PROCESSES": "2", "RASA_PORT": "6000",
        "ACTION_PORT": "7000",
        "RASA_ENDPOINTS": str(PROJECT_ROOT / "bot" / "endpoints.production.yml"),
    }), rasa_token="t")
    services = {s.name: s for s in build_services(settings)}
    assert [services[f"Rasa server {i}"].port for i in (1, 2, 3)] == [6000, 6001, 6002]
    assert [services[f"Rasa server {i}"].env["ACTION_ENDPOINT_URL"] for i in (1, 2, 3)] == [
        "http://127.0.0.1:7000/webhook", "http://127.0.0.1:7001/webhook",
        "http://127.0.0.1:7000/webhook"]
    assert services["web app"].env["RASA_URLS"] == (
        "http://127.0.0.1:6000,http://127.0.0.1:6001,http://127.0.0.1:6002")


def test_several_rasa_servers_need_shared_stores() -> None:
    with pytest.raises(SettingsError, match="shared tracker store"):
        load_settings({"RASA_PROCESSES": "2"})


def test_scale_out_store_env_spells_a_postgresql_url_as_the_production_endpoints_read_it(
) -> None:
    env = scale_out_store_env(
        "postgresql+psycopg://rasa:p%40ss@db.internal:5433/drogowskaz"
        "?options=-csearch_path%3Drasa", "drogowskaz", redis_host="redis.internal")
    assert env == {
        "TRACKER_DB_HOST": "db.internal", "TRACKER_DB_PORT": "5433",
        "TRACKER_DB_NAME": "drogowskaz", "TRACKER_DB_USER": "rasa",
        "TRACKER_DB_PASSWORD": "p@ss", "TRACKER_DB_OPTIONS": "-csearch_path=rasa",
        "REDIS_HOST": "redis.internal", "REDIS_PORT": "6379", "REDIS_DB": "0",
        "LOCK_KEY_PREFIX": "drogowskaz",
    }
    bare = scale_out_store_env("postgresql://127.0.0.1/test", "x")
    assert (bare["TRACKER_DB_USER"], bare["TRACKER_DB_PORT"], bare["TRACKER_DB_OPTIONS"]) == (
        "postgres", "5432", "")


def test_free_ports_gives_a_run_of_ports_nothing_listens_on() -> None:
    first = free_ports(3)
    assert all(port_is_free(first + i) for i in range(3))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", first))
        taken.listen()
        assert not port_is_free(first)
        assert free_ports(3) != first


def test_scale_out_settings_give_two_processes_each_on_consecutive_ports() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dx"
    settings = load_settings({"VAR_DIR": "/tmp/x", **scale_out_settings_env(url)})
    assert (settings.rasa_processes, settings.action_processes) == (2, 2)
    assert settings.database_url == url and settings.tracker_db == url
    assert settings.rasa_port == settings.action_port + 2
    assert settings.rasa_endpoints == PROJECT_ROOT / "bot" / "endpoints.production.yml"
    names = [s.name for s in build_services(settings)]
    assert names[:4] == ["action server 1", "action server 2", "Rasa server 1", "Rasa server 2"]


def test_answers_tells_a_listening_port_from_a_closed_one() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert answers(port)
    assert not answers(port)
