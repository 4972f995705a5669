"""The staff dashboard at /staff: escalations from the assistant, accounts, audit log and
the directory of offices. Server-rendered pages that work without JavaScript.

Every route except the login form needs a signed-in session (see `auth`); admin pages
also need the admin role.
"""

from __future__ import annotations

from fastapi import APIRouter

from bot.settings import Settings
from bot.web.staff.routes_admin import admin_router
from bot.web.staff.routes_auth import auth_router
from bot.web.staff.routes_offices import offices_router
from bot.web.staff.routes_queue import queue_router


def staff_router(settings: Settings) -> APIRouter:
    router = APIRouter()
    router.include_router(auth_router(settings))
    router.include_router(queue_router())
    router.include_router(admin_router())
    router.include_router(offices_router())
    return router
