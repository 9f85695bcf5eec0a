"""Request and response shapes of the card and electronic-card API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Id, Input, Version


class CardApply(Input):
    person_id: Id


class _Versioned(Input):
    #: The card version the requester saw (optional): if the card changed since, 409.
    version: Version | None = None


class CardActivate(_Versioned):
    resident_id: str = Field(max_length=32)
    name: str = Field(max_length=200)


class CardReportLoss(_Versioned):
    kind: Literal["temporary", "formal"]


class CardCancelLossReport(_Versioned):
    pass


class CardIssue(_Versioned):
    pass


class CardReplace(_Versioned):
    #: Default: ``loss`` after a formal loss report, else ``damage``.
    reason: Literal["loss", "damage", "change", "other"] | None = None


class CardEventRead(BaseModel):
    event: str
    event_label: str
    from_state: str | None
    to_state: str
    actor: str
    note: str
    occurred_at: datetime


class CardRead(BaseModel):
    card_no: str
    state: str
    state_label: str
    person_id: int
    name: str
    resident_id: str
    resident_id_masked: bool
    #: Set while a loss report is in force: the state the card returns to on 解挂.
    previous_state: str | None
    loss_reported_at: datetime | None
    #: When a temporary loss report stops being in force.
    loss_report_expires_at: datetime | None
    replaced_by: str | None
    replacement_reason: str
    applied_at: datetime
    issued_at: datetime | None
    activated_at: datetime | None
    closed_at: datetime | None
    version: int
    allowed_actions: list[str]
    events: list[CardEventRead] = []


class ECardIssue(Input):
    person_id: Id | None = None


class ECardIssued(BaseModel):
    token: str
    token_id: str
    card_no: str
    issued_at: datetime
    expires_at: datetime
    #: The token as a QR code, an SVG document.
    qr_svg: str


class ECardVerification(BaseModel):
    valid: bool
    #: ``valid``, ``malformed``, ``bad_signature``, ``expired``, ``unknown_token`` or
    #: ``card_not_active``.
    reason: str
    message: str
    name: str | None = None
    resident_id: str | None = None
    card_no: str | None = None
    card_state: str | None = None
    expires_at: datetime | None = None


class ECardPublicKey(BaseModel):
    algorithm: Literal["Ed25519"] = "Ed25519"
    #: The raw 32-byte public key, base64url without padding.
    public_key: str


class CounterServiceCreate(Input):
    """挂失、解挂、启用 at this node's counter for a card of either node (川渝通办)."""

    card_no: str = Field(min_length=3, max_length=20, pattern=r"^\s*[A-Za-z0-9]+\s*$")
    resident_id: str = Field(min_length=15, max_length=18)
    name: str = Field(min_length=1, max_length=64)
    action: Literal["report_loss", "cancel_loss_report", "activate"]
    kind: Literal["temporary", "formal"] = "formal"


class CounterServiceRead(BaseModel):
    state: Literal["done", "sent"]
    card: CardRead | None = None
    envelope_id: str | None = None
    card_node: str | None = None
