"""Request and response models of the exchange API."""

from __future__ import annotations

from pydantic import BaseModel, Field

from minsheng.platform.types import Id, Input


class OutboxCounts(BaseModel):
    pending: int
    delivered: int
    failed: int


class InboxCounts(BaseModel):
    applied: int
    rejected: int
    duplicates_dropped: int


class StatusRead(BaseModel):
    outbox: OutboxCounts
    inbox: InboxCounts
    oldest_pending_seconds: float | None
    probes: int


class NodeRead(BaseModel):
    node_id: str
    key_id: str
    public_key: str


class RetryRequest(Input):
    #: The failed envelopes to send again (outbox ids); none given: every failed one.
    ids: list[Id] | None = Field(default=None, max_length=1000)


class RetryRead(BaseModel):
    retried: int
