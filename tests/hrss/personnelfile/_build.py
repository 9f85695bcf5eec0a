"""Builders for personnel-file tests: custodians of two districts and a file held by one."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile.models import FileCustodian, FileCustody
from minsheng.hrss.personnelfile.schemas import CustodianCreate, CustodyOpen
from minsheng.hrss.personnelfile.service import custody
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def custodian(session: Session, code: str, region: str, name: str = "",
              peer_node: str | None = None) -> FileCustodian:
    return custody.register_custodian(session, SYSTEM, CustodianCreate(
        code=code, name=name or f"{code} 人才服务中心", region=region, peer_node=peer_node))


def held_file(session: Session, holder: FileCustodian, since: date = date(2020, 1, 6),
              **person: object) -> tuple[int, FileCustody]:
    p = f.person(session, **person)
    return p.id, custody.take_into_custody(session, SYSTEM, p.id, CustodyOpen(
        custodian=holder.code, since=since))


def scan(size: tuple[int, int] = (40, 60), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("L", size, color=200).save(out, format=fmt)
    return out.getvalue()
