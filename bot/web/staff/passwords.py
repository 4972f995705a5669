"""Staff passwords: argon2id hashes (argon2-cffi) and the rule for a new password."""

from __future__ import annotations

from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH: Final = 10
MAX_LENGTH: Final = 256

_hasher = PasswordHasher()
# Checked when the username is unknown, so that such an attempt takes as long as a real one.
_DUMMY_HASH: Final = _hasher.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; None checks a dummy hash (same time, always False)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not good enough (Polish, plain), or None."""
    if len(password) < MIN_LENGTH:
        return f"Hasło musi mieć co najmniej {MIN_LENGTH} znaków."
    if len(password) > MAX_LENGTH:
        return f"Hasło może mieć najwyżej {MAX_LENGTH} znaków."
    if not password.strip():
        return "Hasło nie może składać się z samych spacji."
    if username and username.lower() in password.lower():
        return "Hasło nie może zawierać nazwy użytkownika."
    if len(set(password)) < 4:
        return "Hasło jest zbyt proste: użyj różnych znaków."
    return None
