"""Personnel-file JSON shapes. Dates are ISO ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from minsheng.platform.types import Day, Input, RegionCode, Version

CustodianCode = Annotated[str, Field(min_length=2, max_length=32,
                                     pattern=r"^[A-Za-z0-9_-]+$",
                                     description="档案管理机构代码")]


class CustodianCreate(Input):
    code: CustodianCode
    name: str = Field(min_length=2, max_length=100, pattern=r"^[^\x00]*$")
    region: RegionCode
    peer_node: Annotated[str, Field(pattern=r"^(sc)$")] | None = None


class CustodianRead(BaseModel):
    id: int
    code: str
    name: str
    region: str
    peer_node: str | None


class CustodyOpen(Input):
    custodian: CustodianCode
    since: Day


class TransferCreate(Input):
    to_custodian: CustodianCode
    on: Day | None = Field(default=None, description="转出日期（缺省为今日）")
    version: Version | None = Field(default=None, description="档案保管记录的版本号")


class ReceiveBody(Input):
    on: Day | None = Field(default=None, description="接收日期（缺省为今日）")
    version: Version | None = Field(default=None, description="转递记录的版本号")


class TransferRead(BaseModel):
    id: int
    transfer_no: str
    person_id: int
    state: str
    from_custodian: str
    to_custodian: str
    dispatched_on: date
    receipt_due: date
    received_on: date | None
    overdue: bool
    peer_node: str | None
    version: int


class CustodyRead(BaseModel):
    id: int
    custodian: str
    custodian_name: str
    region: str
    state: str
    since: date
    until: date | None
    version: int


class ItemRead(BaseModel):
    id: int
    category: int
    title: str
    pages: int
    sha256: str
    size_bytes: int
    media_type: str
    added_on: date


class FileRead(BaseModel):
    person_id: int
    name: str
    resident_id: str
    custody: CustodyRead | None
    history: list[CustodyRead]
    transfers: list[TransferRead]
    items: list[ItemRead]
    missing_categories: list[int]


class MissingRead(BaseModel):
    person_id: int
    name: str
    resident_id: str
    custodian: str
    missing_categories: list[int]
