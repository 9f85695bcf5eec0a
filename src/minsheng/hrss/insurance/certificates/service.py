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

Three kinds (``Certificate.kind``), one PDF generator and one verification:

- ``person``: a person's 个人参保证明, all their enrolments. Who may issue: staff with
  ``registry:read`` for a person living in their region scope (or opened to a counter
  clerk by a 全市通办 lookup), and a citizen for themself; anyone else gets 404, as for
  the person record itself.
- ``employee``: the 个人参保证明 an employer obtains for one of its employees (current or
  former: anyone with an enrolment through that employer), stating only what was
  enrolled and assessed through that employer. Who may issue: the employer's account
  for its own unit, or a counter clerk acting for an employer in their scope.
- ``employer``: the unit's 单位参保证明: enrolled staff by scheme, the months assessed and
  paid up per scheme, and whether the unit is in arrears. Who may issue: the
  employer's account, or staff reading employers in their scope.
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
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
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
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import Certificate, Contribution, Enrolment
from minsheng.hrss.insurance.schemas import CertificateVerify
from minsheng.hrss.insurance.service import SCHEME_LABELS
from minsheng.hrss.insurance.service._common import (
    _acting_for_employer,
    employer_for,
    is_in_arrears,
)
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer
from minsheng.platform import ids, regions
from minsheng.platform.cases import service as cases
from minsheng.platform.config import get_settings
from minsheng.platform.db import utcnow
from minsheng.platform.errors import not_found
from minsheng.platform.money import to_money
from minsheng.platform.months import label, month_of
from minsheng.platform.pdf import CjkFont, cjk_font
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

#: 32 symbols: digits 2–9 and capitals without I and O (0/O and 1/I/L are not both present).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_RANDOM_LENGTH = 16
_CODE_PATTERN = re.compile(rf"^(CQ|SC)[{CODE_ALPHABET}]{{{CODE_RANDOM_LENGTH}}}$")
#: The QR code opens the human verification page; ``API_VERIFY_PATH`` answers machines.
VERIFY_PATH = "/certificates/verify/"
API_VERIFY_PATH = "/api/v1/certificates/verify/"

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



def verify_url(base_url: str, code: str) -> str:
    return base_url.rstrip("/") + VERIFY_PATH + code


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gather_facts(session: Session, person_id: int, *, employer_id: int | None = None
                 ) -> dict[str, list[dict[str, Any]]]:
    """The person's enrolments (with employer names) and, per scheme, the months that
    have a contribution record, how many of them are paid, and the first and last; with
    ``employer_id``, only those through that employer."""
    through: tuple[Any, ...] = ()
    paid_through: tuple[Any, ...] = ()
    if employer_id is not None:
        through = (Enrolment.employer_id == employer_id,)
        paid_through = (Contribution.employer_id == employer_id,)
    enrolment_rows = session.execute(
        select(Enrolment.scheme, Employer.name, Enrolment.start_month, Enrolment.end_month)
        .outerjoin(Employer, Employer.id == Enrolment.employer_id)
        .where(Enrolment.person_id == person_id, *through)
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
        .where(Contribution.person_id == person_id, *paid_through)
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


def _new_unique_code(session: Session, node_id: str) -> str:
    code = new_code(node_id)
    while session.scalar(select(Certificate.id).where(Certificate.code == code)) is not None:
        code = new_code(node_id)  # 80 random bits: practically never
    return code


def _store(
    session: Session, actor: Principal, summary: dict[str, Any], *, kind: str,
    person_id: int | None, employer_id: int | None, issued_at: datetime,
) -> Certificate:
    """Freeze ``summary`` (canonical JSON and its SM3 digest) in a ``certificate`` row."""
    text = canonical_json(summary)
    certificate = Certificate(
        code=str(summary["code"]), kind=kind, person_id=person_id, employer_id=employer_id,
        issued_at=issued_at, content_hash=audit.sm3_hex(text.encode("utf-8")), summary=text,
        actor=actor.username,
    )
    session.add(certificate)
    session.flush()
    return certificate


def _header(session: Session, kind: str) -> tuple[dict[str, Any], datetime]:
    settings = get_settings()
    issued_at = utcnow().replace(microsecond=0)
    return {
        "code": _new_unique_code(session, settings.node_id),
        "kind": kind,
        "node": settings.node_id,
        "issued_at": _utc_text(issued_at),
        "as_of_month": label(month_of(issued_at.astimezone(LOCAL_TIME).date())),
        "authority": ISSUING_AUTHORITY[settings.node_id],
    }, issued_at


def _instant_case(session: Session, actor: Principal, certificate: Certificate,
                  applicant: cases.Applicant, region: str) -> None:
    """A certificate is issued while the applicant waits (即办件): its case is received,
    accepted, decided and done at once, naming the certificate's verification code."""
    title = KIND_LABELS[certificate.kind] + "开具"
    cases.open_case(session, actor, kind="insurance.certificate", title=title,
                    subject_type="certificate", subject_id=certificate.code,
                    applicant=applicant, region=region, accepted=True,
                    at=certificate.issued_at)
    for stage in (cases.Stage.DECIDED, cases.Stage.DONE):
        cases.advance(session, actor, subject_type="certificate", subject_id=certificate.code,
                      stage=stage, outcome=cases.Outcome.APPROVED, outcome_label="已出具",
                      at=certificate.issued_at,
                      note=f"验证码 {certificate.code}，可扫码或在参保证明核验页面核验"
                      if stage == cases.Stage.DONE else "")


def issue_certificate(
    session: Session, actor: Principal, person_id: int, *, verify_base_url: str
) -> tuple[Certificate, bytes]:
    """Issue a proof-of-enrolment certificate (参保证明) and render it as an A4 PDF.

    Records the certified facts (canonical JSON) and their SM3 digest in ``certificate``
    and appends ``certificate.issue`` to the audit chain (with the digest, so that a row
    rewritten together with its digest still disagrees with the chain). Returns the
    row and the PDF bytes; the QR code encodes ``{verify_base_url}/certificates/verify/
    {code}``, the public verification page.
    """
    person = registry.person_for_read(session, actor, person_id)  # else 404
    header, issued_at = _header(session, "person")
    summary: dict[str, Any] = {
        **header, "person_id": person.id, "name": person.name,
        "resident_id": person.resident_id, **gather_facts(session, person.id),
    }
    certificate = _store(session, actor, summary, kind="person", person_id=person.id,
                         employer_id=None, issued_at=issued_at)
    full_id = actor.person_id == person.id
    audit.record(
        session,
        actor=actor.username,
        action="certificate.issue",
        subject_type="person",
        subject_id=person.id,
        payload={
            "code": certificate.code,
            "kind": "person",
            "content_hash": certificate.content_hash,
            "resident_id": ids.mask_resident_id(person.resident_id),
            "full_id_printed": full_id,
        },
    )
    _instant_case(session, actor, certificate, cases.Applicant(
        cases.PERSON, person.id, person.name, person.resident_id), person.residence_region)
    shown_id = person.resident_id if full_id else ids.mask_resident_id(person.resident_id)
    pdf = render_certificate_pdf(summary, shown_resident_id=shown_id,
                                 verify_link=verify_url(verify_base_url, certificate.code))
    return certificate, pdf


def issue_employee_certificate(
    session: Session, actor: Principal, employer_id: int, person_id: int, *,
    verify_base_url: str,
) -> tuple[Certificate, bytes]:
    """The 个人参保证明 an employer obtains for one of its employees, current or former.

    Only the employer's own account (or a counter clerk acting for an employer in their
    scope, ``insurance:employer``) may; the person must have an enrolment through that
    employer, else 404 — the employer learns nothing of other people. The certificate
    states only the enrolments and contribution months through that employer, and the
    resident ID is printed masked (the paper is for a third party). Audited as
    ``certificate.issue`` (kind ``employee``).
    """
    actor.require("insurance:employer")
    employer = employer_for(session, actor, employer_id)  # own unit or in scope, else 404
    linked = session.scalar(select(Enrolment.id).where(
        Enrolment.person_id == person_id, Enrolment.employer_id == employer.id).limit(1))
    if linked is None:
        raise not_found("人员", "Person", person_id)
    # The enrolment through this employer is the ground for reading the person, wherever
    # they live (as for 增员/减员: ``_acting_for_employer``).
    person = registry.person_for_read(
        session, _acting_for_employer(replace(actor, employer_id=employer.id)), person_id)
    header, issued_at = _header(session, "employee")
    summary: dict[str, Any] = {
        **header, "person_id": person.id, "name": person.name,
        "resident_id": person.resident_id, "employer_id": employer.id,
        "employer": employer.name, "uscc": employer.uscc,
        **gather_facts(session, person.id, employer_id=employer.id),
    }
    certificate = _store(session, actor, summary, kind="employee", person_id=person.id,
                         employer_id=employer.id, issued_at=issued_at)
    audit.record(session, actor=actor.username, action="certificate.issue",
                 subject_type="person", subject_id=person.id, payload={
                     "code": certificate.code, "kind": "employee", "employer_id": employer.id,
                     "content_hash": certificate.content_hash,
                     "resident_id": ids.mask_resident_id(person.resident_id),
                     "full_id_printed": False})
    pdf = render_certificate_pdf(summary,
                                 shown_resident_id=ids.mask_resident_id(person.resident_id),
                                 verify_link=verify_url(verify_base_url, certificate.code))
    return certificate, pdf


def gather_employer_facts(session: Session, employer_id: int, *, as_of: int,
                          today: date) -> dict[str, Any]:
    """A unit's facts: people with an open enrolment in ``as_of`` per scheme; per scheme
    the months assessed, those fully paid (no row of the month still due), the first and
    the last; and the months in arrears (unpaid after the collection month) with the
    amount owed."""
    staff_rows = session.execute(
        select(Enrolment.scheme, func.count(func.distinct(Enrolment.person_id)))
        .where(Enrolment.employer_id == employer_id, Enrolment.start_month <= as_of,
               or_(Enrolment.end_month.is_(None), Enrolment.end_month >= as_of))
        .group_by(Enrolment.scheme)).all()
    staff = [{"scheme": scheme, "people": int(people)} for scheme, people in
             sorted(staff_rows, key=lambda r: SCHEME_ORDER.index(r[0]))]
    due = func.sum(case((Contribution.status == "due", 1), else_=0))
    month_rows = session.execute(
        select(Contribution.scheme, Contribution.period, due)
        .where(Contribution.employer_id == employer_id)
        .group_by(Contribution.scheme, Contribution.period)).all()
    by_scheme: dict[str, list[tuple[int, bool]]] = {}
    for scheme, period, unpaid in month_rows:
        by_scheme.setdefault(scheme, []).append((period, not unpaid))
    contributions = [
        {"scheme": scheme, "months": len(months),
         "paid_months": sum(1 for _, paid in months if paid),
         "first_month": label(min(p for p, _ in months)),
         "last_month": label(max(p for p, _ in months))}
        for scheme, months in sorted(by_scheme.items(), key=lambda i: SCHEME_ORDER.index(i[0]))
    ]
    arrears_rows = session.execute(
        select(Contribution.period,
               func.sum(Contribution.employer_amount + Contribution.personal_amount))
        .where(Contribution.employer_id == employer_id, Contribution.status == "due")
        .group_by(Contribution.period).order_by(Contribution.period)).all()
    # Arrears are judged in the unit's region, by the grace in force for each month.
    region = session.scalar(select(Employer.region).where(Employer.id == employer_id)) or ""
    overdue = [(int(period), to_money(amount)) for period, amount in arrears_rows
               if is_in_arrears(session, region, period, today)]
    owed = sum((amount for _, amount in overdue), to_money(0))
    return {
        "staff": staff, "contributions": contributions,
        "arrears": {"months": [label(p) for p, _ in overdue], "amount": str(owed)},
    }


def issue_employer_certificate(
    session: Session, actor: Principal, employer_id: int, *, verify_base_url: str,
    today: date | None = None,
) -> tuple[Certificate, bytes]:
    """The unit's 单位参保证明: staff enrolled by scheme, months assessed and paid up,
    arrears (欠费) status. The employer's own account, or staff who read employers in
    their scope (``insurance:read``); another unit is 404. Audited as
    ``certificate.issue`` on the employer."""
    actor.require_any("insurance:employer", "insurance:read")
    employer = employer_for(session, actor, employer_id)  # own unit or in scope, else 404
    header, issued_at = _header(session, "employer")
    local_day = today or issued_at.astimezone(LOCAL_TIME).date()
    summary: dict[str, Any] = {
        **header, "employer_id": employer.id, "employer": employer.name,
        "uscc": employer.uscc, "region": employer.region,
        **gather_employer_facts(session, employer.id, as_of=month_of(local_day),
                                today=local_day),
    }
    certificate = _store(session, actor, summary, kind="employer", person_id=None,
                         employer_id=employer.id, issued_at=issued_at)
    audit.record(session, actor=actor.username, action="certificate.issue",
                 subject_type="employer", subject_id=employer.id, payload={
                     "code": certificate.code, "kind": "employer",
                     "content_hash": certificate.content_hash})
    _instant_case(session, actor, certificate, cases.Applicant(
        cases.EMPLOYER, employer.id, employer.name, employer.uscc), employer.region)
    pdf = render_certificate_pdf(summary, shown_resident_id="",
                                 verify_link=verify_url(verify_base_url, certificate.code))
    return certificate, pdf


# --- verify -----------------------------------------------------------------------

_UNKNOWN = "未找到该验证码对应的参保证明 / No certificate has this verification code"
_MALFORMED = "验证码格式不正确 / The verification code is malformed"
_ALTERED = "证明内容与出具时不一致，可能已被篡改 / The certificate record has been altered"
#: Summary keys that name the holder; the public answer shows them only masked.
_IDENTITY_KEYS = frozenset({"name", "resident_id", "person_id", "employer_id"})
KIND_LABELS = {"person": "社会保险个人参保证明", "employee": "社会保险个人参保证明（单位申请）",
               "employer": "社会保险单位参保证明"}


def _holder_matches(certificate: Certificate, summary: dict[str, Any]) -> bool:
    """The summary names the code, kind, person and employer of its row."""
    kind = summary.get("kind", "person")  # certificates issued before kinds existed
    return (
        summary.get("code") == certificate.code
        and kind == certificate.kind
        and summary.get("person_id") == certificate.person_id
        and (kind == "person" or summary.get("employer_id") == certificate.employer_id)
    )


def verify_certificate(session: Session, code: str) -> CertificateVerify:
    """Is ``code`` a certificate this node issued, unaltered since?

    Unknown or malformed codes and altered rows (the stored summary no longer matches
    its SM3 digest, or names another code, kind, person or employer) are ``valid=False``
    with a reason in Chinese and English (``hash_matches`` says whether the digest
    still matched). A valid answer shows a person's name and ID masked, the unit's name,
    and the certified facts. Public and read-only: nothing is written.
    """
    normalised = normalise_code(code)
    if normalised is None:
        return CertificateVerify(valid=False, code=code[:64], reason=_MALFORMED)
    certificate = session.scalar(select(Certificate).where(Certificate.code == normalised))
    if certificate is None:
        return CertificateVerify(valid=False, code=normalised, reason=_UNKNOWN)
    try:
        summary = json.loads(certificate.summary)
        digest = summary_hash(certificate.summary)
    except ValueError:  # not JSON any more
        return CertificateVerify(valid=False, code=normalised, reason=_ALTERED,
                                 kind=certificate.kind, hash_matches=False)
    hash_matches = digest == certificate.content_hash
    if not isinstance(summary, dict) or not hash_matches or not _holder_matches(
            certificate, summary):
        return CertificateVerify(valid=False, code=normalised, reason=_ALTERED,
                                 kind=certificate.kind, hash_matches=hash_matches,
                                 issued_at=_utc_text(certificate.issued_at))
    person_kind = certificate.kind in ("person", "employee")
    return CertificateVerify(
        valid=True,
        code=normalised,
        kind=certificate.kind,
        name=ids.mask_name(str(summary.get("name", ""))) if person_kind else None,
        resident_id=ids.mask_resident_id(str(summary.get("resident_id", "")))
        if person_kind else None,
        employer=summary.get("employer"),
        issued_at=_utc_text(certificate.issued_at),
        hash_matches=True,
        summary={k: v for k, v in summary.items() if k not in _IDENTITY_KEYS},
    )


# --- PDF --------------------------------------------------------------------------

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

    if summary.get("kind") == "employer":
        notes = [
            "1. 参保职工人数为截至证明月份在本单位参保缴费的人数；已缴清月数为该险种"
            "应缴费用已全部到账的月数。",
            "2. 所属月份次月结束仍未缴纳的费用计为欠费。",
        ]
        return _employer_body(summary, p) + _closing(
            summary, p, notes, code=code, verify_link=verify_link, issued_local=issued_local,
            width=width)
    employee = summary.get("kind") == "employee"
    where = (f"在 <u>{escape(str(summary['employer']))}</u> 参加社会保险及缴费情况如下："
             if employee else "在本统筹地区参加社会保险及缴费情况如下：")
    story: list[Any] = [
        *_title(summary, p, "社会保险个人参保证明", code),
        p(
            f"兹证明 <u>{escape(str(summary['name']))}</u>（公民身份号码："
            f"{escape(shown_resident_id)}），截至 {_month_zh(str(summary['as_of_month']))}，"
            + where,
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

    notes = ["1. 应缴月数为已核定缴费记录的月数，实缴月数为其中已足额到账的月数。"]
    if employee:
        notes.append(f"2. 本证明应用人单位申请出具，仅载明该职工在{summary['employer']}"
                     "（统一社会信用代码 " + str(summary["uscc"]) + "）的参保缴费情况。")
    return story + _closing(summary, p, notes, code=code, verify_link=verify_link,
                            issued_local=issued_local, width=width)


Para = Callable[..., Paragraph]


def _title(summary: dict[str, Any], p: Para, title: str, code: str) -> list[Any]:
    return [
        p(f"证明编号：{code}", "number"),
        Spacer(1, 4 * mm),
        p(f"{PLACE_NAME[str(summary['node'])]}{title}", "title"),
        HRFlowable(width="100%", thickness=1.6, color=RULE_RED, spaceBefore=1 * mm,
                   spaceAfter=0.8 * mm),
        HRFlowable(width="100%", thickness=0.5, color=RULE_RED, spaceAfter=5 * mm),
    ]


def _employer_body(summary: dict[str, Any], p: Para) -> list[Any]:
    """The unit certificate: staff by scheme, months assessed and paid up, arrears."""
    region = regions.name_of(str(summary["region"])) or str(summary["region"])
    story: list[Any] = [
        *_title(summary, p, "社会保险单位参保证明", str(summary["code"])),
        p(
            f"兹证明 <u>{escape(str(summary['employer']))}</u>（统一社会信用代码："
            f"{escape(str(summary['uscc']))}，所在地：{escape(region)}），截至 "
            f"{_month_zh(str(summary['as_of_month']))}，在本统筹地区参加社会保险及缴费情况如下：",
            "base", markup=True),
        CondPageBreak(SECTION_ROOM),
        p("一、参保职工人数", "section"),
    ]
    staff_rows: list[list[Any]] = [[p(h, "head") for h in ("险种", "参保职工人数")]]
    for item in summary["staff"]:
        staff_rows.append([p(SCHEME_LABELS[item["scheme"]]),
                           p(f"{item['people']} 人", "cell_c")])
    if len(staff_rows) == 1:
        staff_rows.append([p("当前无参保职工", "cell_c"), ""])
    staff = _grid(staff_rows, [90 * mm, 60 * mm])
    if not summary["staff"]:
        staff.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    story += [staff, CondPageBreak(SECTION_ROOM), p("二、缴费情况", "section")]
    rows: list[list[Any]] = [[p(h, "head") for h in (
        "险种", "首次缴费年月", "最近缴费年月", "应缴月数", "已缴清月数", "未缴清月数")]]
    for item in summary["contributions"]:
        rows.append([
            p(SCHEME_LABELS[item["scheme"]]),
            p(_month_zh(item["first_month"]), "cell_c"),
            p(_month_zh(item["last_month"]), "cell_c"),
            p(str(item["months"]), "cell_c"),
            p(str(item["paid_months"]), "cell_c"),
            p(str(item["months"] - item["paid_months"]), "cell_c"),
        ])
    if len(rows) == 1:
        rows.append([p("无缴费记录", "cell_c"), "", "", "", "", ""])
    table = _grid(rows, [46 * mm, 28 * mm, 28 * mm, 22 * mm, 22 * mm, 24 * mm])
    if not summary["contributions"]:
        table.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    arrears = summary["arrears"]
    if arrears["months"]:
        months = "、".join(_month_zh(m) for m in arrears["months"])
        status = (f"该单位有欠费：{months}，共 {len(arrears['months'])} 个月，"
                  f"欠费金额 {arrears['amount']} 元。")
    else:
        status = "该单位无欠费。"
    story += [table, CondPageBreak(SECTION_ROOM), p("三、欠费情况", "section"),
              p(status, "base")]
    return story


def _closing(summary: dict[str, Any], p: Para, notes: list[str], *, code: str,
             verify_link: str, issued_local: datetime, width: float) -> list[Any]:
    numbered = len(notes)
    closing: list[Any] = [
        Spacer(1, 5 * mm),
        p("说明：", "note"),
        *(p(note, "note") for note in notes),
        p(f"{numbered + 1}. 本证明依据出具时信息系统中的记录出具。可扫描右下方二维码或访问核验"
          "地址、输入验证码核验真伪；核验结果与本证明不一致的，以核验结果为准。", "note"),
        p(f"{numbered + 2}. 本证明由演示系统生成，仅供演示，不作为办事凭证。", "note"),
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
    return [KeepTogether([*closing, signature])]


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
            subject=KIND_LABELS.get(str(summary.get("kind", "person")), "社会保险个人参保证明"),
            creator="Minsheng",
            initialFontName=font.name,
        )
        story = _story(summary, st, shown_resident_id=shown_resident_id,
                       verify_link=verify_link)
        document.build(story, onFirstPage=footer, onLaterPages=footer)
        total_pages = pages
    return buffer.getvalue()
