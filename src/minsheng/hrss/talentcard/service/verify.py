"""英才服务卡二维码: a signed, time-limited token shown by the holder and checked by a
provider (hospital, school, housing office) — like the electronic social security card.

A token is ``base64url(claims JSON) "." base64url(Ed25519 signature)``: whoever checks
needs only the node's public key and cannot mint tokens. The node's key pair is stored in
``app_secret`` (``talent_card_ed25519``) at first use. The verifier is told the holder's
name and ID masked, the tier, the card's state and its last valid day — nothing more."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentCardTier
from minsheng.hrss.talentcard.schemas import CardVerification
from minsheng.hrss.talentcard.service import cards
from minsheng.hrss.talentcard.service._common import record
from minsheng.platform import ids
from minsheng.platform.config import get_settings
from minsheng.platform.security.models import AppSecret
from minsheng.platform.security.principal import Principal

KEY_NAME = "talent_card_ed25519"
TOKEN_TTL = timedelta(minutes=5)
#: The holder's page asks for a fresh code this often (well inside the token's life).
REFRESH_SECONDS = 60
TOKEN_VERSION = 1
VERIFY_PATH = "/talent/cards/verify"

MESSAGES = {
    "valid": ("英才服务卡有效", "The talent card is valid"),
    "malformed": ("无法识别的二维码", "Not a talent card code"),
    "bad_signature": ("二维码签名无效：内容被改动，或不是本系统签发",
                      "Bad signature: altered, or not signed by this node"),
    "expired": ("二维码已过期，请持卡人刷新后重新出示",
                "The code has expired; ask for a fresh one"),
    "unknown_card": ("未找到该英才服务卡", "No such card"),
    "card_not_valid": ("英才服务卡当前不可用", "The card is not valid"),
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _stored_key(session: Session) -> Ed25519PrivateKey | None:
    row = session.get(AppSecret, KEY_NAME)
    return Ed25519PrivateKey.from_private_bytes(_unb64(row.value)) if row is not None else None


def signing_key(session: Session) -> Ed25519PrivateKey:
    """The node's key for card codes, generated and stored at first use."""
    key = _stored_key(session)
    if key is not None:
        return key
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    try:
        with session.begin_nested():
            session.add(AppSecret(name=KEY_NAME, value=_b64(raw)))
            session.flush()
    except IntegrityError:  # made at the same moment by another request: use theirs
        stored = _stored_key(session)
        assert stored is not None
        return stored
    return key


def public_key_text(session: Session) -> str:
    return _b64(signing_key(session).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw))


@dataclass(frozen=True)
class Claims:
    card_no: str
    node_id: str
    issued_at: datetime
    expires_at: datetime


def sign(key: Ed25519PrivateKey, claims: Claims) -> str:
    body = json.dumps({"v": TOKEN_VERSION, "t": "talent_card", "c": claims.card_no,
                       "n": claims.node_id, "i": int(claims.issued_at.timestamp()),
                       "e": int(claims.expires_at.timestamp())},
                      separators=(",", ":"), sort_keys=True).encode("utf-8")
    payload = _b64(body)
    return payload + "." + _b64(key.sign(payload.encode("ascii")))


class Malformed(ValueError):
    pass


class BadSignature(ValueError):
    pass


def read_token(public_key: Ed25519PublicKey | None, token: str) -> Claims:
    """The claims of a token whose signature is good (expiry not checked here)."""
    parts = token.strip().split(".")
    if len(parts) != 2 or not all(parts):
        raise Malformed("expected two parts")
    payload, signature = parts
    try:
        signature_bytes = _unb64(signature)
        data = json.loads(_unb64(payload))
        if data["v"] != TOKEN_VERSION or data["t"] != "talent_card":
            raise Malformed("not a talent card token")
        claims = Claims(card_no=str(data["c"]), node_id=str(data["n"]),
                        issued_at=datetime.fromtimestamp(int(data["i"]), UTC),
                        expires_at=datetime.fromtimestamp(int(data["e"]), UTC))
        payload_bytes = payload.encode("ascii")
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError, OSError,
            UnicodeError) as exc:
        raise Malformed("not a token") from exc
    if public_key is None:
        raise BadSignature("no key")
    try:
        public_key.verify(signature_bytes, payload_bytes)
    except InvalidSignature as exc:
        raise BadSignature("signature does not match") from exc
    return claims


@dataclass(frozen=True)
class IssuedCode:
    token: str
    card: TalentCard
    expires_at: datetime

    def qr_svg(self) -> str:
        code = segno.make(self.token, error="m", micro=False)
        return str(code.svg_inline(scale=3, dark="#7a1f1f", title="英才服务卡二维码"))


def issue_code(session: Session, actor: Principal, card_no: str,
               now: datetime | None = None, ttl: timedelta = TOKEN_TTL) -> IssuedCode:
    """A fresh code for the holder's valid card (409 when the card is not valid)."""
    actor.require_any("talent:self", "talent:read")
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    card = cards.card_by_no(session, actor, card_no)
    cards.ensure_valid(card, moment.date())
    assert card.card_no is not None
    claims = Claims(card_no=card.card_no, node_id=get_settings().node_id,
                    issued_at=moment, expires_at=moment + ttl)
    token = sign(signing_key(session), claims)
    record(session, actor, "code", "talent_card", card.id, card_no=card.card_no,
           expires_at=claims.expires_at.isoformat())
    return IssuedCode(token, card, claims.expires_at)


def verify(session: Session, token: str, now: datetime | None = None) -> CardVerification:
    """Check a code: signature, expiry, the card and its state as of now."""
    moment = now or datetime.now(UTC)

    def result(reason: str, **fields: object) -> CardVerification:
        zh, en = MESSAGES[reason]
        return CardVerification.model_validate({"valid": reason == "valid", "reason": reason,
                                                "message": zh, "message_en": en, **fields})

    key = _stored_key(session)
    try:
        claims = read_token(key.public_key() if key is not None else None, token)
    except Malformed:
        return result("malformed")
    except BadSignature:
        return result("bad_signature")
    known = {"card_no": claims.card_no, "expires_at": claims.expires_at}
    if moment >= claims.expires_at:
        return result("expired", **known)
    card = session.scalar(select(TalentCard).where(TalentCard.card_no == claims.card_no))
    if card is None:
        return result("unknown_card", **known)
    state = rules.effective_state(rules.CardState(card.state), card.valid_until,
                                  moment.date())
    tier_name = session.scalar(select(TalentCardTier.name).where(
        TalentCardTier.code == card.tier).order_by(TalentCardTier.valid_from.desc()).limit(1))
    facts = {**known, "tier": card.tier, "tier_name": tier_name or card.tier,
             "state": state.value, "state_label": rules.STATE_LABELS[state],
             "valid_until": card.valid_until}
    if state is not rules.CardState.ACTIVE:
        return result("card_not_valid", **facts)
    person = session.get(Person, card.person_id)
    assert person is not None
    return result("valid", name=ids.mask_name(person.name),
                  resident_id=ids.mask_resident_id(person.resident_id), **facts)


