"""Offline Polish speech for the kiosk: espeak-ng turns a bot message into a WAV file.

The text goes to espeak-ng on standard input (never on the command line, never through
a shell), the process runs with a timeout and is killed when it overruns, and at most a
few syntheses run at once so that one kiosk cannot starve the machine.
"""

from __future__ import annotations

import asyncio
import shutil
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

MAX_TTS_CHARS = 1000
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_CONCURRENCY = 2
VOICE = "pl"
WORDS_PER_MINUTE = 150
# Line breaks and tabs are fine in a message; any other control, format, private-use or
# unassigned character means the "text" is not text a person should hear.
_ALLOWED_CONTROLS = {"\n", "\t", "\r"}


class TextProblem(ValueError):
    """The text cannot be spoken (empty, too long, or not plain text)."""


class SpeechUnavailable(RuntimeError):
    """espeak-ng is missing, failed or took too long."""


def check_text(text: str) -> str:
    """The text to speak, trimmed; raises TextProblem with a readable reason."""
    if "\ufffd" in text or any(
        unicodedata.category(ch).startswith("C") and ch not in _ALLOWED_CONTROLS for ch in text
    ):
        raise TextProblem("text must be plain text (no control or binary characters)")
    text = text.strip()
    if not text:
        raise TextProblem("text is empty")
    if len(text) > MAX_TTS_CHARS:
        raise TextProblem(f"text is too long: at most {MAX_TTS_CHARS} characters, "
                          f"got {len(text)}")
    return text


def find_espeak() -> Path | None:
    found = shutil.which("espeak-ng")
    return Path(found) if found else None


def fix_wav_sizes(wav: bytes) -> bytes:
    """Write the real RIFF and data sizes into a WAV header.

    With --stdout espeak-ng streams, so its header carries placeholder sizes (about
    2 GB); players that trust them show a wrong length. Raises SpeechUnavailable when
    the bytes are not a PCM WAV file.
    """
    if len(wav) < 12 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise SpeechUnavailable("espeak-ng did not produce a WAV file")
    out = bytearray(wav)
    offset = 12
    while offset + 8 <= len(out):
        chunk_id = bytes(out[offset : offset + 4])
        if chunk_id == b"data":
            struct.pack_into("<I", out, offset + 4, len(out) - offset - 8)
            struct.pack_into("<I", out, 4, len(out) - 8)
            return bytes(out)
        (size,) = struct.unpack_from("<I", out, offset + 4)
        offset += 8 + size + (size & 1)
    raise SpeechUnavailable("espeak-ng produced a WAV file without audio data")


@dataclass
class Speaker:
    """Runs espeak-ng; one per web app."""

    executable: Path | None = field(default_factory=find_espeak)
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    concurrency: int = DEFAULT_CONCURRENCY
    _slots: asyncio.Semaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)

    def command(self) -> list[str]:
        if self.executable is None:
            raise SpeechUnavailable("espeak-ng is not installed (scripts/system-deps.sh)")
        return [str(self.executable), "-v", VOICE, "-s", str(WORDS_PER_MINUTE),
                "-b", "1", "--stdin", "--stdout"]

    async def wav(self, text: str) -> bytes:
        """WAV audio of `text` (already checked with check_text)."""
        command = self.command()
        async with self._slots:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                audio, errors = await asyncio.wait_for(
                    process.communicate(text.encode("utf-8")), self.timeout
                )
            except TimeoutError:
                process.kill()
                await process.wait()
                raise SpeechUnavailable(
                    f"espeak-ng took longer than {self.timeout:g} s"
                ) from None
            except BaseException:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
                raise
        if process.returncode != 0:
            detail = errors.decode("utf-8", "replace").strip()[:200]
            raise SpeechUnavailable(f"espeak-ng failed (exit code {process.returncode}): "
                                    f"{detail}")
        return fix_wav_sizes(audio)
