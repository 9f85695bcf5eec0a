"""A case's written decision notice as an A4 PDF in Chinese: the office at the head, the
title, the case number, the applicant, the decision's paragraphs, then the office and the
date of the decision, as a notice served on paper would read."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from minsheng.platform.cases.rules import Stage
from minsheng.platform.cases.service import CaseView
from minsheng.platform.db import LOCAL_TIME
from minsheng.platform.pdf import cjk_font


def _date_zh(view: CaseView) -> str:
    decided = next((s.step for s in view.stages if s.stage == Stage.DECIDED and s.step), None)
    moment = (decided.at if decided else view.case.filed_at).astimezone(LOCAL_TIME)
    return f"{moment.year}年{moment.month}月{moment.day}日"


def render_notice_pdf(view: CaseView) -> bytes:
    """The notice of a decided case (``view.case.notice_title`` set)."""
    case = view.case
    font = cjk_font().name
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=22, wordWrap="CJK",
                          textColor=colors.HexColor("#1a1a1a"), firstLineIndent=24)
    head = ParagraphStyle("head", base, fontSize=14, alignment=TA_CENTER, firstLineIndent=0,
                          textColor=colors.HexColor("#b22222"))
    title = ParagraphStyle("title", base, fontSize=20, leading=30, alignment=TA_CENTER,
                           firstLineIndent=0, spaceBefore=4 * mm)
    number = ParagraphStyle("number", base, fontSize=10.5, alignment=TA_CENTER,
                            firstLineIndent=0, textColor=colors.HexColor("#666666"))
    plain = ParagraphStyle("plain", base, firstLineIndent=0)
    sign = ParagraphStyle("sign", base, alignment=TA_RIGHT, firstLineIndent=0)
    story = [
        Paragraph(escape(case.office), head),
        HRFlowable(width="100%", thickness=1.2, color=colors.HexColor("#b22222")),
        Paragraph(escape(case.notice_title or ""), title),
        Paragraph(f"办件编号：{escape(case.number)}", number),
        Spacer(1, 6 * mm),
        Paragraph(f"{escape(case.applicant_name)}：", plain),
    ]
    story += [Paragraph(escape(text), base) for text in view.notice_paragraphs]
    story += [
        Spacer(1, 14 * mm),
        Paragraph(escape(case.office), sign),
        Paragraph(_date_zh(view), sign),
        Spacer(1, 10 * mm),
        Paragraph(f"事项：{escape(case.title)}。可凭办件编号和证件号码在“办件进度查询”查看办理进度。",
                  ParagraphStyle("foot", plain, fontSize=9, leading=14,
                                 textColor=colors.HexColor("#666666"))),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                      topMargin=25 * mm, bottomMargin=25 * mm, title=case.notice_title or "",
                      author=case.office, subject=case.number).build(story)
    return buffer.getvalue()
