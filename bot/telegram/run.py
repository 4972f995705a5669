"""Running the channel: long polling by default, a webhook when TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.db.session import configure
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel, with_retries

log = logging.getLogger("drogowskaz.telegram")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_UPDATE_BYTES = 1024 * 1024


def http_app(application: Application[Any, Any, Any, Any, Any, Any], secret: str,
             path: str | None) -> Starlette:
    """`GET /healthz`, and with a webhook `POST <path>`, which accepts Telegram's updates
    only with the right secret token."""
    expected = secret.encode()

    async def receive(request: Request) -> Response:
        supplied = request.headers.get(SECRET_HEADER, "").encode()
        if not expected or not hmac.compare_digest(supplied, expected):
            return JSONResponse({"error": "wrong or missing secret token"}, status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return JSONResponse({"error": "update too large"}, status_code=413)
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return JSONResponse({"error": "not JSON"}, status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        await application.update_queue.put(Update.de_json(data, application.bot))
        return Response(status_code=200)

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    routes = [Route("/healthz", health, methods=["GET"])]
    if path is not None:
        routes.append(Route(path, receive, methods=["POST"]))
    return Starlette(routes=routes)


def webhook_path(settings: Settings) -> str | None:
    if not settings.telegram_webhook_url:
        return None
    return urlsplit(settings.telegram_webhook_url).path or "/"


async def serve(channel: TelegramChannel,
                on_server: Callable[[uvicorn.Server], None] | None = None) -> None:
    """Run the channel until SIGINT/SIGTERM: updates by webhook or long polling, plus the
    small HTTP server (health check, webhook) on TELEGRAM_WEBHOOK_LISTEN.

    `on_server` receives the HTTP server (setting its `should_exit` stops the channel)."""
    settings = channel.settings
    application = channel.build_application()
    path = webhook_path(settings)
    host, _, port = settings.telegram_webhook_listen.rpartition(":")
    server = uvicorn.Server(uvicorn.Config(
        http_app(application, settings.telegram_webhook_secret, path),
        host=host, port=int(port), log_level=settings.log_level.lower(),
    ))
    if on_server is not None:
        on_server(server)
    async with application:
        await channel.set_commands(application)
        if path is not None:
            await with_retries(lambda: application.bot.set_webhook(
                settings.telegram_webhook_url,
                secret_token=settings.telegram_webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            ))
        elif application.updater is not None:
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await application.start()
        channel.start_delivery(application)
        try:
            await server.serve()
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()


def run(settings: Settings) -> int:
    """Run the channel until interrupted (blocking)."""
    if not settings.telegram_token:
        log.error("TELEGRAM_TOKEN is not set: the Telegram channel is off")
        return 2
    engine = configure(settings.database_url)
    channel = TelegramChannel(settings)
    mode = f"webhook {settings.telegram_webhook_url}" if settings.telegram_webhook_url \
        else "long polling"
    log.info("Telegram channel: %s; health check on http://%s/healthz",
             mode, settings.telegram_webhook_listen)
    async def main() -> None:
        try:
            await serve(channel)
        finally:
            await channel.aclose()

    try:
        asyncio.run(main())
    finally:
        engine.dispose()
    return 0
