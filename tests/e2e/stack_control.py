"""Stopping and restarting one service of a running stack (fault and scale-out tests)."""

from __future__ import annotations

import time

from bot.launcher import Service, Stack


def service(stack: Stack, name: str) -> Service:
    return next(s for s in stack.services if s.name == name)


def restart(found: Service) -> None:
    """Start a stopped service again and wait until it answers its health check."""
    found.start()
    deadline = time.monotonic() + found.ready_timeout
    while not found.healthy():
        assert found.exited() is None, found.log_tail()
        assert time.monotonic() < deadline, found.log_tail()
        time.sleep(0.3)
