"""Passwords, hashed with argon2id (argon2-cffi's RFC 9106 defaults)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


@cache
def dummy_hash() -> str:
    """Verifying against this when the user does not exist takes as long as a real check, so response
    times do not tell which usernames exist. Made on first use: hashing is slow, and most commands never sign anyone in."""
    return hash_password("not a password of anyone")
