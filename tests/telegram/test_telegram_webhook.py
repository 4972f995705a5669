"""Webhook mode and the channel as a service of `make run`."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from dataclasses import replace

import httpx
import pytest
import uvicorn
from test_telegram_channel import buttons, to_chat, wait_texts
from tg_fake_api import FakeBotApi
from tg_fixtures import fake_api, new_chat, text  # noqa: F401

from bot.db.session import configure
from bot.launcher import Stack, free_port, service_env, telegram_services, telegram_status
from bot.settings import PROJECT_ROOT, Settings
from bot.telegram.channel import TelegramChannel
from bot.telegram.run import SECRET_HEADER, serve

pytestmark = pytest.mark.e2e

SECRET = "test-secret-token_0123456789"
TOKEN = "123456:TEST-token"


def telegram_settings(stack: Stack, api: FakeBotApi, **extra: str) -> Settings:
    return replace(stack.settings, telegram_token=TOKEN, telegram_api_base_url=api.base_url,
                   telegram_webhook_listen=f"127.0.0.1:{free_port()}", **extra)


async def test_webhook_takes_updates_only_with_telegrams_secret(
    stack: Stack, fake_api: FakeBotApi  # noqa: F811
) -> None:
    settings = telegram_settings(stack, fake_api,
                                 telegram_webhook_url="https://bot.example.org/tg/updates",
                                 telegram_webhook_secret=SECRET)
    engine = configure(settings.database_url)
    channel = TelegramChannel(settings)
    servers: list[uvicorn.Server] = []
    task = asyncio.create_task(serve(channel, servers.append))
    try:
        [hook] = await fake_api.wait_for("setWebhook", 1)
        assert hook.params["url"] == "https://bot.example.org/tg/updates"
        assert hook.params["secret_token"] == SECRET
        address = f"http://{settings.telegram_webhook_listen}"
        async with httpx.AsyncClient(base_url=address, timeout=10) as client:
            for _ in range(200):
                if servers and servers[0].started:
                    break
                await asyncio.sleep(0.05)
            assert (await client.get("/healthz")).json() == {"status": "ok"}

            chat_id = new_chat()
            update = {"update_id": 77, "message": text(chat_id, "/start")}
            assert (await client.post("/tg/updates", json=update)).status_code == 403
            wrong = {SECRET_HEADER: "not-the-secret-0123456789"}
            assert (await client.post("/tg/updates", json=update,
                                      headers=wrong)).status_code == 403
            right = {SECRET_HEADER: SECRET}
            assert (await client.post("/tg/updates", content=b"\xff\x00",
                                      headers=right)).status_code == 400
            assert (await client.post("/tg/updates", json={"message": "x"},
                                      headers=right)).status_code == 400
            assert (await client.post("/tg/updates", content=b"x" * (2 * 1024 * 1024),
                                      headers=right)).status_code == 413
            assert (await client.post("/elsewhere", json=update,
                                      headers=right)).status_code == 404
            await asyncio.sleep(1)
            assert to_chat(fake_api, chat_id) == []  # nothing rejected reached the bot

            assert (await client.post("/tg/updates", json=update,
                                      headers=right)).status_code == 200
            sent = await wait_texts(fake_api, chat_id, 2)
            assert "lokalizac" in sent[0]["text"]
        assert not fake_api.sent("getUpdates")  # a webhook bot does not poll
    finally:
        if servers:
            servers[0].should_exit = True
        await asyncio.wait_for(task, 30)
        await channel.aclose()  # what `run` does after `serve`
        engine.dispose()


def test_make_run_starts_the_channel_when_a_token_is_set(
    stack: Stack, fake_api: FakeBotApi  # noqa: F811
) -> None:
    settings = telegram_settings(stack, fake_api)
    [service] = telegram_services(settings, service_env(settings))
    assert telegram_status(settings) == "Telegram: on (long polling)"
    service.start()
    try:
        deadline = time.monotonic() + 90
        while not service.healthy():
            assert service.exited() is None, service.log_tail()
            assert time.monotonic() < deadline, service.log_tail()
            time.sleep(0.3)
        chat_id = new_chat()
        fake_api.push(message=text(chat_id, "/start"))
        deadline = time.monotonic() + 90
        while not any(buttons(p) for p in to_chat(fake_api, chat_id)):
            assert time.monotonic() < deadline, (to_chat(fake_api, chat_id),
                                                 service.log_tail())
            time.sleep(0.1)
        assert fake_api.sent("setMyCommands")
    finally:
        service.stop()
    assert service.exited() is not None


def test_without_a_token_the_channel_is_off_and_says_so(stack: Stack) -> None:
    settings = replace(stack.settings, telegram_token="")
    assert telegram_services(settings, service_env(settings)) == []
    assert "TELEGRAM_TOKEN is not set" in telegram_status(settings)
    env = {k: v for k, v in service_env(settings).items() if k != "TELEGRAM_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "telegram"], cwd=PROJECT_ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "TELEGRAM_TOKEN is not set" in done.stderr
