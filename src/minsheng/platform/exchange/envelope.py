"""Envelopes between nodes: canonical JSON signed with Ed25519 (RFC 8032).

An envelope is ``{id, sender, recipient, kind, sent_at, key_id, body, signature}``. The
signature covers the canonical JSON of every other field: keys sorted, no whitespace,
UTF-8. ``sent_at`` is stamped at each delivery attempt, so an envelope retried after a
long outage is still inside the receiver's replay window, while its id (the receiver's
de-duplication key) never changes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

FIELDS = ("id", "sender", "recipient", "kind", "sent_at", "key_id", "body")


class MalformedEnvelope(ValueError):
    """The bytes are not an envelope (missing or mistyped fields)."""


@dataclass(frozen=True)
class Envelope:
    id: str
    sender: str
    recipient: str
    kind: str
    sent_at: str
    key_id: str
    body: dict[str, Any]
    signature: str = ""

    def unsigned(self) -> dict[str, Any]:
        return {"id": self.id, "sender": self.sender, "recipient": self.recipient,
                "kind": self.kind, "sent_at": self.sent_at, "key_id": self.key_id,
                "body": self.body}

    def to_json(self) -> dict[str, Any]:
        return {**self.unsigned(), "signature": self.signature}

    def sent_at_ms(self) -> int:
        try:
            moment = datetime.fromisoformat(self.sent_at)
        except ValueError as exc:
            raise MalformedEnvelope("sent_at") from exc
        if moment.tzinfo is None:
            raise MalformedEnvelope("sent_at")
        return int(moment.timestamp() * 1000)


def canonical(value: Any) -> bytes:
    """The one byte form that is signed and verified."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def stamp(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="milliseconds")


def new_private_key() -> tuple[str, str]:
    """A new key pair: (PKCS#8 PEM of the private key, base64 of the raw public key)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode("ascii")
    return pem, public_of(pem)


def public_of(private_pem: str) -> str:
    key = _private(private_pem)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _private(private_pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 key")
    return key


def sign(envelope: Envelope, private_pem: str) -> Envelope:
    signature = _private(private_pem).sign(canonical(envelope.unsigned()))
    return Envelope(**envelope.unsigned(), signature=base64.b64encode(signature).decode())


def verify(envelope: Envelope, public_key_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64,
                                                                  validate=True))
        key.verify(base64.b64decode(envelope.signature, validate=True),
                   canonical(envelope.unsigned()))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def valid_public_key(text: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error):
        return False
    return True


def parse(raw: bytes) -> Envelope:
    """The envelope in ``raw``; ``MalformedEnvelope`` naming the first bad field."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedEnvelope("json") from exc
    if not isinstance(data, dict):
        raise MalformedEnvelope("json")
    for name in (*FIELDS, "signature"):
        value = data.get(name)
        expected = dict if name == "body" else str
        if not isinstance(value, expected) or (expected is str and not 0 < len(value) <= 200):
            raise MalformedEnvelope(name)
    if set(data) != {*FIELDS, "signature"}:
        raise MalformedEnvelope("fields")
    return Envelope(**{name: data[name] for name in (*FIELDS, "signature")})
