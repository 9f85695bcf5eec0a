"""Excel exports of staff work-lists: one write-only workbook, streamed row by row from
the database, offered as a download. The caller masks resident IDs (DESIGN.md) and
audits the export (``<domain>.export``) with the row count this module returns."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import openpyxl
from fastapi.responses import Response
from sqlalchemy.orm import Session

from minsheng.platform.config import get_settings
from minsheng.platform.ids import mask_resident_id
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

__all__ = ["XLSX", "Workbook", "audited_xlsx", "resident_id_for", "xlsx_bytes",
           "xlsx_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The most rows one export holds (an .xlsx sheet holds 1,048,576 with its header).
EXPORT_ROW_LIMIT = 1_000_000


class Workbook:
    """A one-sheet workbook built row by row; ``rows`` counts the data rows."""

    def __init__(self, sheet: str, headers: Sequence[str]) -> None:
        self._book = openpyxl.Workbook(write_only=True)
        self._sheet = self._book.create_sheet(sheet[:31])
        self._sheet.append(list(headers))
        self.rows = 0

    def extend(self, rows: Iterable[Sequence[Any]]) -> Workbook:
        for row in rows:
            if self.rows >= EXPORT_ROW_LIMIT:
                break
            self._sheet.append(list(row))
            self.rows += 1
        return self

    def content(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


def xlsx_bytes(sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
               ) -> tuple[bytes, int]:
    """The workbook of ``rows`` under ``headers`` and how many data rows it holds."""
    book = Workbook(sheet, headers).extend(rows)
    return book.content(), book.rows


def xlsx_response(content: bytes, filename: str) -> Response:
    """A download of an .xlsx; ``filename`` may be Chinese (RFC 5987), with an ASCII
    fallback for old clients."""
    fallback = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    if not fallback.endswith(".xlsx"):
        fallback = "export.xlsx"
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition":
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"})


def resident_id_for(actor: Principal, resident_id: str) -> str:
    """The resident ID as this actor may see it in an export: whole only for roles that
    handle identity (``settings.full_id_roles``), otherwise ``5001**********1234``."""
    if actor.role in get_settings().full_id_roles:
        return resident_id
    return mask_resident_id(resident_id)


def audited_xlsx(session: Session, actor: Principal, *, action: str, subject_type: str,
                 subject_id: str, filters: dict[str, Any], sheet: str,
                 headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The workbook of a work-list export, recorded in the audit chain with its filter
    and row count (``action`` like ``insurance.export``)."""
    content, count = xlsx_bytes(sheet, headers, rows)
    audit.record(session, actor=actor.username, action=action, subject_type=subject_type,
                 subject_id=subject_id or "all",
                 payload={"rows": count, "filter": {k: str(v) for k, v in filters.items() if v}})
    return content
