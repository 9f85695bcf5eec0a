"""A person's summary (人员信息摘要) as an official A4 PDF in Chinese: the office and the
print date at the head of every page, the person's (masked) basic data, then a section
from each domain that holds something about the person (enrolments and contributions,
benefits, cards, recent decisions).

Each domain declares, in its ``domain.py`` (``summary=[...]``), a function that gives its
sections for a viewer — only what the viewer's role may read — so the summary gathers
them without knowing the domains, as the workbench gathers waiting work.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from minsheng.platform.pdf import cjk_font
from minsheng.platform.security.principal import Principal


@dataclass(frozen=True)
class SummarySection:
    """One section: facts (``rows``: label, value) and/or a table (``table``: the header
    row first); ``empty`` is said when it has neither. ``order`` sorts the sections."""

    title: str
    rows: Sequence[tuple[str, str]] = ()
    table: Sequence[Sequence[str]] = ()
    empty: str = "无记录"
    order: int = 100


#: ``source(session, viewer, person_id)`` → the domain's sections for this viewer.
SummarySource = Callable[[Session, Principal, int], Sequence[SummarySection]]

_sources: list[SummarySource] = []


def add_summary_source(source: SummarySource) -> None:
    if source not in _sources:
        _sources.append(source)


def sections_of(session: Session, actor: Principal, person_id: int) -> list[SummarySection]:
    """Every domain's sections about the person that ``actor`` may read, in order."""
    found = [section for source in _sources for section in source(session, actor, person_id)]
    return sorted(found, key=lambda s: s.order)


def date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_summary_pdf(*, office: str, printed_on: date, title: str,
                       basics: Sequence[tuple[str, str]],
                       sections: Sequence[SummarySection], reference: str = "") -> bytes:
    """The summary: the ``office`` and ``printed_on`` at the head of every page, the
    ``title``, the ``basics`` (already masked for the viewer), then each section."""
    font = cjk_font().name
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK",
                          textColor=colors.HexColor("#1a1a1a"))
    heading = ParagraphStyle("heading", base, fontSize=18, leading=26, alignment=TA_CENTER,
                             spaceAfter=2 * mm)
    section_title = ParagraphStyle("section", base, fontSize=12.5, leading=20,
                                   spaceBefore=5 * mm, spaceAfter=2 * mm,
                                   textColor=colors.HexColor("#b22222"))
    small = ParagraphStyle("small", base, fontSize=9, leading=13,
                           textColor=colors.HexColor("#666666"))
    cell = ParagraphStyle("cell", base, fontSize=9.5, leading=13)
    width = A4[0] - 40 * mm

    def facts(rows: Sequence[tuple[str, str]]) -> Table:
        data = [[Paragraph(escape(label), cell), Paragraph(escape(value or "—"), cell)]
                for label, value in rows]
        table = Table(data, colWidths=[40 * mm, width - 40 * mm])
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return table

    def grid(rows: Sequence[Sequence[str]]) -> Table:
        data = [[Paragraph(escape(str(value) or "—"), cell) for value in row] for row in rows]
        table = Table(data, colWidths=[width / max(1, len(rows[0]))] * len(rows[0]),
                      repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return table

    story: list[object] = [Paragraph(escape(title), heading),
                           Paragraph("基本信息", section_title), facts(basics)]
    for section in sections:
        block: list[object] = [Paragraph(escape(section.title), section_title)]
        if section.rows:
            block.append(facts(section.rows))
        if section.table:
            block.append(grid(section.table))
        if not section.rows and not section.table:
            block.append(Paragraph(escape(section.empty), base))
        story.append(KeepTogether(block))
    story += [Spacer(1, 8 * mm),
              HRFlowable(width="100%", thickness=0.6, color=colors.HexColor("#999999")),
              Paragraph("本摘要由经办系统生成，公民身份号码等个人信息已按查阅人员的权限脱敏；"
                        "内容以业务系统记录为准。" + (f"编号：{escape(reference)}"
                                                   if reference else ""), small)]

    def page_head(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.setFillColor(colors.HexColor("#444444"))
        top = A4[1] - 12 * mm
        canvas.drawString(20 * mm, top, office)
        canvas.drawRightString(A4[0] - 20 * mm, top, f"打印日期：{date_zh(printed_on)}")
        canvas.setStrokeColor(colors.HexColor("#b22222"))
        canvas.line(20 * mm, top - 2 * mm, A4[0] - 20 * mm, top - 2 * mm)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=22 * mm, bottomMargin=18 * mm, title=title, author=office,
                      subject=reference).build(story, onFirstPage=page_head,
                                               onLaterPages=page_head)
    return buffer.getvalue()
