"""Proof-of-enrolment certificates (参保证明): issue a PDF, verify it by its code.

A certificate states a person's enrolments (scheme, employer, first and last month) and
their contribution months per scheme, as recorded when it was issued. The facts are
frozen in a canonical JSON ``summary`` whose SM3 digest (GB/T 32905-2016) is stored
next to it and written to the audit chain; anyone holding the verification code (printed
and in a QR code) can ask ``GET /api/v1/certificates/verify/{code}`` whether the
certificate exists and is unaltered, and see the certified facts with the holder's name
and ID masked.

Verification codes are business numbers (DESIGN.md, identifiers): the node code
(``CQ``/``SC``) followed by 16 characters drawn with ``secrets`` from a 32-symbol
alphabet without the confusable ``0 1 I O`` — 80 random bits, so codes cannot be guessed.

Who may issue: staff with ``registry:read`` for a person living in their region scope,
and a citizen for themself; anyone else gets 404, as for the person record itself.
The resident ID is printed in full only when the holder prints their own certificate;
a certificate printed by staff shows it masked (``5001**********1234``), because the
paper leaves the system and may be handed to third parties; the verification result
always shows it masked.

The SM3 digest is unkeyed: verification catches a summary edited in the database, or
one moved to another code or person; someone who rewrites summary *and* digest is
caught by comparing with the ``certificate.issue`` audit event, which carries the digest
inside the SM3 audit chain (``minsheng audit verify``).
"""

from __future__ import annotations

import io
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    CondPageBreak,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import Certificate, Contribution, Enrolment
from minsheng.hrss.insurance.schemas import CertificateVerify
from minsheng.hrss.insurance.service import SCHEME_LABELS
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer
from minsheng.platform import ids
from minsheng.platform.config import get_settings
from minsheng.platform.db import utcnow
from minsheng.platform.months import label, month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

#: 32 symbols: digits 2–9 and capitals without I and O (0/O and 1/I/L are not both present).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_RANDOM_LENGTH = 16
_CODE_PATTERN = re.compile(rf"^(CQ|SC)[{CODE_ALPHABET}]{{{CODE_RANDOM_LENGTH}}}$")
VERIFY_PATH = "/api/v1/certificates/verify/"

SCHEME_ORDER = tuple(SCHEME_LABELS)
#: Issuing authority printed on certificates, per node. Demo names, marked as such.
ISSUING_AUTHORITY = {
    "cq": "重庆市社会保险事务中心（演示）",
    "sc": "四川省社会保险事业管理局（演示）",
}
PLACE_NAME = {"cq": "重庆市", "sc": "四川省"}
LOCAL_TIME = ZoneInfo("Asia/Shanghai")


# --- codes and summaries ----------------------------------------------------------


def new_code(node_id: str) -> str:
    """A fresh verification code: node code + 16 symbols from ``CODE_ALPHABET``."""
    random_part = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))
    return node_id.upper() + random_part


def normalise_code(text: str) -> str | None:
    """Upper-case, drop spaces and hyphens; ``None`` unless it is a well-formed code."""
    code = re.sub(r"[\s-]", "", text).upper()
    return code if _CODE_PATTERN.fullmatch(code) else None


def canonical_json(data: dict[str, Any]) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def summary_hash(summary_text: str) -> str:
    """SM3 of the canonical form of a stored summary (re-canonicalised, so that the
    digest depends on the certified facts, not on how the JSON text was laid out)."""
    return audit.sm3_hex(canonical_json(json.loads(summary_text)).encode("utf-8"))


def mask_name(name: str) -> str:
    """Keep the first character (usually the surname) and hide the rest: 张三 → 张*."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*" * len(name)


def verify_url(base_url: str, code: str) -> str:
    return base_url.rstrip("/") + VERIFY_PATH + code


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gather_facts(session: Session, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """The person's enrolments (with employer names) and, per scheme, the months that
    have a contribution record, how many of them are paid, and the first and last."""
    enrolment_rows = session.execute(
        select(Enrolment.scheme, Employer.name, Enrolment.start_month, Enrolment.end_month)
        .outerjoin(Employer, Employer.id == Enrolment.employer_id)
        .where(Enrolment.person_id == person_id)
    ).all()
    enrolments = [
        {
            "scheme": scheme,
            "employer": employer_name,
            "start_month": label(start),
            "end_month": label(end) if end is not None else None,
        }
        for scheme, employer_name, start, end in sorted(
            enrolment_rows, key=lambda r: (SCHEME_ORDER.index(r[0]), r[2], r[3] or 999_912)
        )
    ]
    paid = func.sum(case((Contribution.status == "paid", 1), else_=0))
    contribution_rows = session.execute(
        select(
            Contribution.scheme,
            func.count(func.distinct(Contribution.period)),
            paid,
            func.min(Contribution.period),
            func.max(Contribution.period),
        )
        .where(Contribution.person_id == person_id)
        .group_by(Contribution.scheme)
    ).all()
    contributions = [
        {
            "scheme": scheme,
            "months": int(months),
            "paid_months": int(paid_months or 0),
            "first_month": label(first),
            "last_month": label(last),
        }
        for scheme, months, paid_months, first, last in sorted(
            contribution_rows, key=lambda r: SCHEME_ORDER.index(r[0])
        )
    ]
    return {"enrolments": enrolments, "contributions": contributions}


# --- issue ------------------------------------------------------------------------


def issue_certificate(
    session: Session, actor: Principal, person_id: int, *, verify_base_url: str
) -> tuple[Certificate, bytes]:
    """Issue a proof-of-enrolment certificate (参保证明) and render it as an A4 PDF.

    Records the certified facts (canonical JSON) and their SM3 digest in ``certificate``
    and appends ``certificate.issue`` to the audit chain (with the digest, so that a row
    rewritten together with its digest still disagrees with the chain). Returns the
    row and the PDF bytes; the QR code encodes ``{verify_base_url}/api/v1/certificates/
    verify/{code}``.
    """
    person = registry.person_for_read(session, actor, person_id)  # else 404
    settings = get_settings()
    code = new_code(settings.node_id)
    while session.scalar(select(Certificate.id).where(Certificate.code == code)) is not None:
        code = new_code(settings.node_id)  # 80 random bits: practically never
    issued_at = utcnow().replace(microsecond=0)
    facts = gather_facts(session, person.id)
    summary: dict[str, Any] = {
        "code": code,
        "node": settings.node_id,
        "person_id": person.id,
        "name": person.name,
        "resident_id": person.resident_id,
        "issued_at": _utc_text(issued_at),
        "as_of_month": label(month_of(issued_at.astimezone(LOCAL_TIME).date())),
        "authority": ISSUING_AUTHORITY[settings.node_id],
        **facts,
    }
    text = canonical_json(summary)
    certificate = Certificate(
        code=code,
        person_id=person.id,
        issued_at=issued_at,
        content_hash=audit.sm3_hex(text.encode("utf-8")),
        summary=text,
        actor=actor.username,
    )
    session.add(certificate)
    session.flush()
    full_id = actor.person_id == person.id
    audit.record(
        session,
        actor=actor.username,
        action="certificate.issue",
        subject_type="person",
        subject_id=person.id,
        payload={
            "code": code,
            "content_hash": certificate.content_hash,
            "resident_id": ids.mask_resident_id(person.resident_id),
            "full_id_printed": full_id,
        },
    )
    shown_id = person.resident_id if full_id else ids.mask_resident_id(person.resident_id)
    pdf = render_certificate_pdf(
        summary, shown_resident_id=shown_id, verify_link=verify_url(verify_base_url, code)
    )
    return certificate, pdf


# --- verify -----------------------------------------------------------------------

_UNKNOWN = "未找到该验证码对应的参保证明 / No certificate has this verification code"
_MALFORMED = "验证码格式不正确 / The verification code is malformed"
_ALTERED = "证明内容与出具时不一致，可能已被篡改 / The certificate record has been altered"
#: Summary keys that name the holder; the public answer shows them only masked.
_IDENTITY_KEYS = frozenset({"name", "resident_id", "person_id"})


def verify_certificate(session: Session, code: str) -> CertificateVerify:
    """Is ``code`` a certificate this node issued, unaltered since?

    Unknown or malformed codes and altered rows (the stored summary no longer matches
    its SM3 digest, or names another code or person) are ``valid=False`` with a reason
    in Chinese and English. A valid answer shows the holder's name and ID masked and the
    certified facts. Public and read-only: nothing is written.
    """
    normalised = normalise_code(code)
    if normalised is None:
        return CertificateVerify(valid=False, code=code[:64], reason=_MALFORMED)
    certificate = session.scalar(select(Certificate).where(Certificate.code == normalised))
    if certificate is None:
        return CertificateVerify(valid=False, code=normalised, reason=_UNKNOWN)
    altered = CertificateVerify(valid=False, code=normalised, reason=_ALTERED)
    try:
        summary = json.loads(certificate.summary)
        digest = summary_hash(certificate.summary)
    except ValueError:  # not JSON any more
        return altered
    if (
        not isinstance(summary, dict)
        or digest != certificate.content_hash
        or summary.get("code") != certificate.code
        or summary.get("person_id") != certificate.person_id
    ):
        return altered
    return CertificateVerify(
        valid=True,
        code=normalised,
        name=mask_name(str(summary.get("name", ""))),
        resident_id=ids.mask_resident_id(str(summary.get("resident_id", ""))),
        issued_at=_utc_text(certificate.issued_at),
        summary={k: v for k, v in summary.items() if k not in _IDENTITY_KEYS},
    )


# --- PDF --------------------------------------------------------------------------

#: TrueType CJK fonts that reportlab can embed (as a subset), best first, with the
#: face index inside a .ttc collection. Debian: fonts-wqy-zenhei, fonts-wqy-microhei,
#: fonts-arphic-uming, fonts-droid-fallback. Noto CJK (fonts-noto-cjk) is not listed:
#: it has CFF (PostScript) outlines, which reportlab cannot embed.
CJK_TRUETYPE_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
#: Adobe's standard Simplified-Chinese CID font: every PDF reader must supply it, so
#: nothing is embedded and the glyphs come from the reader's own CJK font.
CJK_CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class CjkFont:
    name: str
    embedded: bool
    source: str


@lru_cache
def cjk_font(candidates: tuple[tuple[str, int], ...] = CJK_TRUETYPE_CANDIDATES) -> CjkFont:
    """The font certificates are set in, registered with reportlab once.

    The first installed TrueType CJK font among ``candidates`` is embedded (subset), so
    the PDF looks the same everywhere; if none is installed or loadable, the CID font
    STSong-Light is used, which readers render with a CJK font of their own.
    """
    for path, index in candidates:
        if not Path(path).is_file():
            continue
        name = f"MinshengCJK-{Path(path).stem}-{index}"
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except TTFError:  # e.g. CFF outlines: try the next candidate
            continue
        return CjkFont(name, embedded=True, source=path)
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_CID_FALLBACK))
    return CjkFont(CJK_CID_FALLBACK, embedded=False, source="cid")


INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#666666")
RULE_RED = colors.HexColor("#b22222")
HEAD_FILL = colors.HexColor("#eef1f5")
LINE = colors.HexColor("#8a8f98")
MARGIN = 20 * mm
#: A section heading starts a new page unless this much room is left for its table.
SECTION_ROOM = 30 * mm


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, bulletFontName=font, fontSize=10.5,
                          leading=15, textColor=INK, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontSize=22, leading=28, alignment=TA_CENTER,
                                spaceAfter=2 * mm),
        "number": ParagraphStyle("number", base, fontSize=9, leading=12, textColor=GREY,
                                 alignment=TA_RIGHT),
        "section": ParagraphStyle("section", base, fontSize=12, leading=16, spaceBefore=5 * mm,
                                  spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", base, fontSize=9.5, leading=13),
        "cell_c": ParagraphStyle("cell_c", base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "head": ParagraphStyle("head", base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=12.5, textColor=GREY),
        "sign": ParagraphStyle("sign", base, fontSize=10.5, leading=17, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, alignment=TA_CENTER,
                                textColor=GREY),
        "link": ParagraphStyle("link", base, fontSize=7.5, leading=10, alignment=TA_RIGHT,
                               textColor=GREY),
    }


def _grid(data: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="CENTER")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    table.setStyle(TableStyle(style))
    return table


def _month_zh(text: str | None) -> str:
    if not text:
        return "—"
    year, month = text.split("-")
    return f"{year}年{month}月"


def _date_zh(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _qr(link: str, size: float) -> Drawing:
    widget = QrCodeWidget(link, barLevel="M", barBorder=4)  # the 4-module quiet zone
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _story(summary: dict[str, Any], st: dict[str, ParagraphStyle], *,
           shown_resident_id: str, verify_link: str) -> list[Any]:
    code = str(summary["code"])
    issued_local = datetime.strptime(str(summary["issued_at"]), "%Y-%m-%dT%H:%M:%SZ")
    issued_local = issued_local.replace(tzinfo=UTC).astimezone(LOCAL_TIME)
    width = A4[0] - 2 * MARGIN

    def p(text: str, style: str = "cell", *, markup: bool = False) -> Paragraph:
        return Paragraph(text if markup else escape(text), st[style])

    story: list[Any] = [
        p(f"证明编号：{code}", "number"),
        Spacer(1, 4 * mm),
        p(f"{PLACE_NAME[str(summary['node'])]}社会保险个人参保证明", "title"),
        HRFlowable(width="100%", thickness=1.6, color=RULE_RED, spaceBefore=1 * mm,
                   spaceAfter=0.8 * mm),
        HRFlowable(width="100%", thickness=0.5, color=RULE_RED, spaceAfter=5 * mm),
        p(
            f"兹证明 <u>{escape(str(summary['name']))}</u>（公民身份号码："
            f"{escape(shown_resident_id)}），截至 {_month_zh(str(summary['as_of_month']))}，"
            "在本统筹地区参加社会保险及缴费情况如下：",
            "base",
            markup=True,
        ),
        CondPageBreak(SECTION_ROOM),
        p("一、参保登记情况", "section"),
    ]
    enrolment_rows: list[list[Any]] = [
        [p(h, "head") for h in ("序号", "险种", "参保单位", "起始年月", "终止年月", "状态")]
    ]
    for number, item in enumerate(summary["enrolments"], start=1):
        enrolment_rows.append([
            p(str(number), "cell_c"),
            p(SCHEME_LABELS[item["scheme"]]),
            p(item["employer"] or "个人参保（无单位）"),
            p(_month_zh(item["start_month"]), "cell_c"),
            p(_month_zh(item["end_month"]) if item["end_month"] else "至今", "cell_c"),
            p("已停保" if item["end_month"] else "参保缴费", "cell_c"),
        ])
    if len(enrolment_rows) == 1:
        enrolment_rows.append([p("无参保登记记录", "cell_c"), "", "", "", "", ""])
    enrolments = _grid(enrolment_rows, [12 * mm, 42 * mm, 50 * mm, 23 * mm, 23 * mm, 20 * mm])
    if not summary["enrolments"]:
        enrolments.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    story.append(enrolments)

    story += [CondPageBreak(SECTION_ROOM), p("二、缴费月数情况", "section")]
    contribution_rows: list[list[Any]] = [
        [p(h, "head") for h in ("险种", "首次缴费年月", "最近缴费年月", "应缴月数", "实缴月数",
                                "未缴月数")]
    ]
    for item in summary["contributions"]:
        contribution_rows.append([
            p(SCHEME_LABELS[item["scheme"]]),
            p(_month_zh(item["first_month"]), "cell_c"),
            p(_month_zh(item["last_month"]), "cell_c"),
            p(str(item["months"]), "cell_c"),
            p(str(item["paid_months"]), "cell_c"),
            p(str(item["months"] - item["paid_months"]), "cell_c"),
        ])
    if len(contribution_rows) == 1:
        contribution_rows.append([p("无缴费记录", "cell_c"), "", "", "", "", ""])
    contributions = _grid(contribution_rows,
                          [46 * mm, 28 * mm, 28 * mm, 22 * mm, 22 * mm, 24 * mm])
    if not summary["contributions"]:
        contributions.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    story.append(contributions)

    closing: list[Any] = [
        Spacer(1, 5 * mm),
        p("说明：", "note"),
        p("1. 应缴月数为已核定缴费记录的月数，实缴月数为其中已足额到账的月数。", "note"),
        p("2. 本证明依据出具时信息系统中的记录出具。可扫描右下方二维码或访问核验地址、输入"
          "验证码核验真伪；核验结果与本证明不一致的，以核验结果为准。", "note"),
        p("3. 本证明由演示系统生成，仅供演示，不作为办事凭证。", "note"),
        Spacer(1, 10 * mm),
    ]
    qr_size = 34 * mm
    signature = Table(
        [[
            [
                p(f"出具机构：{summary['authority']}", "sign"),
                p(f"出具日期：{_date_zh(issued_local)}", "sign"),
                Spacer(1, 3 * mm),
                p(f"验证码：{code}", "sign"),
                p(f"核验地址：{verify_link}", "link"),
            ],
            [_qr(verify_link, qr_size), p("扫码核验", "small")],
        ]],
        colWidths=[width - qr_size - 8 * mm, qr_size + 8 * mm],
    )
    signature.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
    ]))
    # The notes travel with the signature block, so that it never stands alone on a page.
    story.append(KeepTogether([*closing, signature]))
    return story


def render_certificate_pdf(
    summary: dict[str, Any],
    *,
    shown_resident_id: str,
    verify_link: str,
    font: CjkFont | None = None,
) -> bytes:
    """Lay out the certificate on A4: title, holder, enrolments, contribution months,
    notes, issuing authority and date, verification code and QR; on every page a footer
    with the code and "第 x 页 共 n 页" (built twice: the first pass counts the pages)."""
    font = font or cjk_font()
    st = _styles(font.name)
    code = str(summary["code"])
    pages = total_pages = 0

    def footer(canvas: Any, doc: Any) -> None:
        nonlocal pages
        pages = max(pages, int(doc.page))
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
        canvas.setFont(font.name, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 10 * mm, f"验证码 {code}")
        total = f" 共 {total_pages} 页" if total_pages else ""
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"第 {doc.page} 页{total}")
        canvas.restoreState()

    for _ in range(2):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=f"参保证明 {code}",
            author=str(summary["authority"]),
            subject="社会保险个人参保证明",
            creator="Minsheng",
            initialFontName=font.name,
        )
        story = _story(summary, st, shown_resident_id=shown_resident_id,
                       verify_link=verify_link)
        document.build(story, onFirstPage=footer, onLaterPages=footer)
        total_pages = pages
    return buffer.getvalue()
