"""The kiosk's server side without a browser: page rendering, settings, espeak-ng wrapper."""

from __future__ import annotations

import io
import stat
import struct
import wave
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.settings import SettingsError, load_settings
from bot.web.kiosk import kiosk_router, render_kiosk_page
from bot.web.tts import (
    MAX_TTS_CHARS,
    Speaker,
    SpeechUnavailable,
    TextProblem,
    check_text,
    find_espeak,
    fix_wav_sizes,
)

needs_espeak = pytest.mark.skipif(
    find_espeak() is None, reason="espeak-ng is missing: run scripts/system-deps.sh"
)


def client(**env: str) -> TestClient:
    app = FastAPI()
    app.include_router(kiosk_router(load_settings(env)))
    return TestClient(app)


def test_kiosk_times_come_from_the_settings() -> None:
    defaults = load_settings({})
    assert (defaults.kiosk_idle_seconds, defaults.kiosk_countdown_seconds) == (120, 20)
    page = client(KIOSK_IDLE_SECONDS="7", KIOSK_COUNTDOWN_SECONDS="4").get("/kiosk")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-idle-seconds="7"' in page.text
    assert 'data-countdown-seconds="4"' in page.text
    assert "__KIOSK_" not in render_kiosk_page(defaults)


@pytest.mark.parametrize("value", ["0", "-5", "abc", "1.5", "100000"])
def test_bad_kiosk_times_are_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="KIOSK_IDLE_SECONDS"):
        load_settings({"KIOSK_IDLE_SECONDS": value})


def test_text_checks() -> None:
    assert check_text("  Dzień dobry\n") == "Dzień dobry"
    assert check_text("a" * MAX_TTS_CHARS) == "a" * MAX_TTS_CHARS
    for bad, reason in [("", "empty"), (" \n ", "empty"), ("a" * (MAX_TTS_CHARS + 1), "long"),
                        ("a\x00b", "plain text"), ("a\x1bb", "plain text"),
                        ("zażółć\ufffd", "plain text"), ("a\u202eb", "plain text")]:
        with pytest.raises(TextProblem, match=reason):
            check_text(bad)


def streamed_wav(frames: bytes) -> bytes:
    """A WAV header as espeak-ng writes it to a pipe: placeholder sizes."""
    fmt = struct.pack("<HHIIHH", 1, 1, 22050, 44100, 2, 16)
    return (b"RIFF" + struct.pack("<I", 0x7FFFF024) + b"WAVE" + b"fmt " + struct.pack("<I", 16)
            + fmt + b"data" + struct.pack("<I", 0x7FFFF000) + frames)


def test_wav_sizes_are_fixed() -> None:
    fixed = fix_wav_sizes(streamed_wav(b"\x01\x00" * 100))
    with wave.open(io.BytesIO(fixed)) as audio:
        assert audio.getnframes() == 100
    assert struct.unpack_from("<I", fixed, 4)[0] == len(fixed) - 8
    with pytest.raises(SpeechUnavailable):
        fix_wav_sizes(b"not a wav file at all")
    with pytest.raises(SpeechUnavailable):
        fix_wav_sizes(streamed_wav(b"")[:36])


@needs_espeak
async def test_espeak_speaks_polish_offline() -> None:
    audio = await Speaker().wav("Zażółć gęślą jaźń. Dzień dobry!")
    with wave.open(io.BytesIO(audio)) as parsed:
        assert parsed.getnframes() / parsed.getframerate() > 1.0


@needs_espeak
async def test_text_is_never_taken_as_options() -> None:
    # on standard input "-v en --help" is just text to read, not command-line options
    audio = await Speaker().wav("-v en --help; rm -rf /")
    assert audio.startswith(b"RIFF")


def fake_espeak(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "espeak-ng"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


async def test_a_hanging_espeak_is_killed(tmp_path: Path) -> None:
    speaker = Speaker(executable=fake_espeak(tmp_path, "exec sleep 30"), timeout=0.3)
    with pytest.raises(SpeechUnavailable, match="longer than"):
        await speaker.wav("hej")


async def test_a_failing_espeak_is_reported(tmp_path: Path) -> None:
    speaker = Speaker(executable=fake_espeak(tmp_path, "echo broken >&2; exit 3"))
    with pytest.raises(SpeechUnavailable, match="exit code 3"):
        await speaker.wav("hej")


def test_missing_espeak_gives_503_with_retry() -> None:
    app = FastAPI()
    app.include_router(kiosk_router(load_settings({}), Speaker(executable=None)))
    response = TestClient(app).post("/api/tts", json={"text": "hej"})
    assert response.status_code == 503
    assert response.json()["retry"] is True
