"""Bulk-import jobs every domain shares: reading an uploaded .xlsx/.csv, the job record
with its row-level error report, and the downloadable error sheet.

A domain's import (people, employers, hires ...) validates and merges its own rows and
records one :class:`ImportJob`; the pages and API show its :class:`ImportReport`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import openpyxl
from pydantic import BaseModel
from sqlalchemy import DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from minsheng.platform.db import Base, utcnow
from minsheng.platform.errors import NotFound, RuleViolation
from minsheng.platform.messages import field_label
from minsheng.platform.security.principal import Principal

#: The largest file an import accepts.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
#: Chinese headings of the resident-ID column, accepted by every import of people.
RESIDENT_ID_ALIASES = {"公民身份号码": "resident_id", "身份证号": "resident_id",
                       "身份证号码": "resident_id"}


class ImportJob(Base):
    """One upload of a file of people or employers, with its row-level error report."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    inserted_rows: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_rows: Mapped[int] = mapped_column(Integer, default=0)
    error_rows: Mapped[int] = mapped_column(Integer, default=0)
    #: JSON list of {row, field, message, message_en}.
    errors: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImportReport(BaseModel):
    job_id: int
    total_rows: int
    inserted_rows: int
    unchanged_rows: int
    error_rows: int
    errors: list[dict[str, object]]


# --- reading files ----------------------------------------------------------------


def _header(cells: list[Any], aliases: Mapping[str, str]) -> list[str]:
    names = []
    for cell in cells:
        name = str(cell or "").strip().lstrip("\ufeff")
        names.append(aliases.get(name, name.lower()))
    return names


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RuleViolation("文件编码无法识别（请用 UTF-8 或 GB18030）",
                        "Unknown text encoding (use UTF-8 or GB18030)")


def read_table(
    file_name: str, content: bytes, aliases: Mapping[str, str] | None = None,
) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Header and numbered data rows (row 1 is the header, data starts at 2) of a .csv
    (UTF-8 or GB18030) or .xlsx file; header cells found in ``aliases`` (Chinese column
    headings) are replaced by the field name they stand for."""
    lowered = file_name.lower()
    if lowered.endswith(".csv"):
        text = _decode(content)
        if "\x00" in text:
            raise RuleViolation("CSV 文件含有空字符（NUL），不是文本文件",
                                "The CSV file contains NUL characters; it is not text")
        try:
            table = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise RuleViolation("无法读取 CSV 文件", f"Cannot read the CSV file: {exc}") from exc
        header = table[0] if table else None
        rows: Iterator[list[Any]] = iter(table[1:])
    elif lowered.endswith(".xlsx"):
        # Read the whole sheet here: a damaged sheet fails while its rows are read, and
        # that must be the same refusal as a file that does not open.
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet_rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] \
                if book.worksheets else []
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise RuleViolation("无法读取 Excel 文件，文件已损坏或不是 .xlsx 格式",
                                f"Cannot read the Excel file: {exc}") from exc
        header = sheet_rows[0] if sheet_rows else None
        rows = iter(sheet_rows[1:])
    else:
        raise RuleViolation("只支持 .xlsx 或 .csv 文件", "Only .xlsx and .csv files are accepted")
    if not header:
        raise RuleViolation("文件为空或缺少表头", "The file is empty or has no header row")
    numbered = ((n, row) for n, row in enumerate(rows, start=2)
                if any(c not in (None, "") for c in row))
    return _header(header, aliases or {}), numbered


# --- jobs --------------------------------------------------------------------------


def report_of(job: ImportJob) -> ImportReport:
    return ImportReport(
        job_id=job.id,
        total_rows=job.total_rows,
        inserted_rows=job.inserted_rows,
        unchanged_rows=job.unchanged_rows,
        error_rows=job.error_rows,
        errors=json.loads(job.errors),
    )


def get_job(session: Session, actor: Principal, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or (job.actor != actor.username and actor.role != "admin"):
        raise NotFound(f"导入任务 {job_id} 不存在", f"Import job {job_id} not found")
    return job


def recent_jobs(session: Session, actor: Principal, limit: int = 10) -> list[ImportJob]:
    """The actor's latest import jobs, newest first."""
    return list(session.scalars(
        select(ImportJob).where(ImportJob.actor == actor.username)
        .order_by(ImportJob.id.desc()).limit(limit)))


def error_sheet(session: Session, actor: Principal, job_id: int) -> bytes:
    """The rejected rows of an import as an .xlsx the clerk can fix and re-upload."""
    job = get_job(session, actor, job_id)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("错误报告")
    sheet.append(["行号", "字段", "原因"])
    for e in json.loads(job.errors):
        sheet.append([e["row"], field_label(e["field"]), e["message"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
