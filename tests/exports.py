"""Reading back the Excel exports of work-lists in tests."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.security.models import AuditEvent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    """The rows of the first sheet, header first."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def last_export(session: Session, action: str) -> dict[str, Any] | None:
    """The payload of the newest audit event of this export action."""
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.seq.desc()).limit(1))
    if event is None:
        return None
    payload = json.loads(event.payload) if isinstance(event.payload, str) else event.payload
    return dict(payload)
