"""Password hashing with Argon2id (argon2-cffi defaults, RFC 9106 recommended profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def set_cost(*, time_cost: int, memory_cost: int, parallelism: int = 1) -> None:
    """Hash new passwords with another Argon2 cost. Only the test suite calls this, with a
    cheap cost; stored hashes carry their own parameters and verify either way."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost,
                             parallelism=parallelism)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
