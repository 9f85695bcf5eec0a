"""Electronic social security card tokens (电子社保卡二维码): signed, time-limited.

A token is ``base64url(claims JSON) "." base64url(Ed25519 signature of the first part)``
(the JWS compact idea without its header: one algorithm only, so nothing to negotiate).
Ed25519 (RFC 8032, ``cryptography``) rather than an HMAC because whoever checks a QR
code — a counter of the other province, a hospital, a bank terminal — needs only the
node's *public* key and cannot mint tokens. Each node has its own key pair, kept in its
database (``app_secret``, see ``service.e_card_signing_key``).

Nothing here touches the database; expiry and card state are checked by the service.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

TOKEN_VERSION = 1


class TokenMalformed(ValueError):
    """Not a token of ours: wrong shape, encoding or claims."""


class TokenBadSignature(ValueError):
    """Well formed, but the signature does not match: altered or not signed by this node."""


@dataclass(frozen=True)
class ECardClaims:
    token_id: str
    card_no: str
    node_id: str
    issued_at: datetime
    expires_at: datetime


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(b64decode(text))


def private_key_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    return b64encode(raw)


def public_key_text(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return b64encode(key.public_bytes(serialization.Encoding.Raw,
                                      serialization.PublicFormat.Raw))


def sign(key: Ed25519PrivateKey, claims: ECardClaims) -> str:
    """The token for ``claims`` signed with the node's private key."""
    body = json.dumps({
        "v": TOKEN_VERSION,
        "j": claims.token_id,
        "c": claims.card_no,
        "n": claims.node_id,
        "i": int(claims.issued_at.timestamp()),
        "e": int(claims.expires_at.timestamp()),
    }, separators=(",", ":"), sort_keys=True).encode("utf-8")
    payload = b64encode(body)
    return payload + "." + b64encode(key.sign(payload.encode("ascii")))


def read(public_key: Ed25519PublicKey | None, token: str) -> ECardClaims:
    """The claims of a token whose signature is good (expiry is *not* checked here).

    Raises ``TokenMalformed`` for anything that is not a token, ``TokenBadSignature``
    when a byte of it was changed or another key signed it (or there is no key)."""
    parts = token.strip().split(".")
    if len(parts) != 2 or not all(parts):
        raise TokenMalformed("expected two dot-separated parts")
    payload, signature = parts
    try:
        signature_bytes = b64decode(signature)
        payload_bytes = payload.encode("ascii")
        data = json.loads(b64decode(payload))
        if data["v"] != TOKEN_VERSION:
            raise TokenMalformed(f"unknown token version {data['v']}")
        claims = ECardClaims(
            token_id=str(data["j"]),
            card_no=str(data["c"]),
            node_id=str(data["n"]),
            issued_at=datetime.fromtimestamp(int(data["i"]), UTC),
            expires_at=datetime.fromtimestamp(int(data["e"]), UTC),
        )
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError, OSError) as exc:
        raise TokenMalformed("not a token") from exc
    if public_key is None:
        raise TokenBadSignature("no key to check the signature with")
    try:
        public_key.verify(signature_bytes, payload_bytes)
    except InvalidSignature as exc:
        raise TokenBadSignature("signature does not match") from exc
    return claims
