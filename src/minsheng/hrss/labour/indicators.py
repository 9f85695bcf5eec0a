"""What labour relations feed to the scorecard (民生答卷), seed-figures.md: the contract
signing rate, the dispute closure and mediation-success rates, the inspection complaint
closure rate and the tripartite coordination bodies — each the statement the labour
overview page shows (``service.contracts.signing_select``, ``disputes.rates_select``,
``complaints.closure_select``, ``contracts.bodies_select``) with the cut's region and
grouping. Cases and contracts count in their employer's district."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Date, and_, case, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.labour import rules
from minsheng.hrss.labour.models import InspectionComplaint, LabourDispute, TripartiteBody
from minsheng.hrss.labour.service import complaints, contracts, disputes
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform.indicators import Compute, Cut, Figure, Indicator, Kind, RecordSelect

SOURCE = "劳动关系"
PERMISSION = "labour:read"
_ARTICLE = "“十三五”时期，全市劳动合同签订率维持在95%以上，劳动人事争议案件结案率保持在92%以上"
_CASE_PLACE = "地区按被申请（被投诉）用人单位所在区县，已撤销的区县代码计入现行区县"


def _pick(rows: Any, numerator: int, denominator: int) -> dict[str, Figure]:
    return {row[0] or "": Figure(Decimal(row[numerator] or 0), Decimal(row[denominator] or 0))
            for row in rows}


# --- 劳动合同签订率 -------------------------------------------------------------------------


def _signing(session: Session, cut: Cut) -> dict[str, Figure]:
    return _pick(session.execute(contracts.signing_select(
        cut.within(Employer.region), cut.key(Employer.region), cut.period.end)).all(), 1, 2)


def _signing_records(cut: Cut) -> RecordSelect:
    listed = contracts.employees_select(cut.period.end).subquery("employees")
    return (select(listed.c.person_id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), listed.c.region.label("region"),
                   literal(cut.period.end, Date).label("day"),
                   case((listed.c.signed, literal("已备案劳动合同")),
                        else_=literal("未备案劳动合同")).label("detail"))
            .join(Person, Person.id == listed.c.person_id)
            .where(cut.within(listed.c.region))
            .order_by(listed.c.region, listed.c.person_id))


CONTRACT_SIGNING_RATE = Indicator(
    id="labour_contract_signing_rate", name="劳动合同签订率",
    name_en="Labour contract signing rate", unit="%", kind=Kind.RATE, domain=SOURCE,
    permission=PERMISSION, order=70,
    numerator="期末当月通过用人单位参加职工基本养老保险、且与该单位有在有效期内的备案劳动"
              "合同的职工人次",
    denominator="期末当月通过用人单位参加职工基本养老保险的职工人次（在保职工）",
    period_rule="统计期末时点数；地区按用人单位所在区县，已撤销的区县代码计入现行区县",
    dedup="按“职工—用人单位”计：同一职工在两家单位参保的分别计算",
    compute=_signing, records=_signing_records,
    article=_ARTICLE, article_value=Decimal(95))


# --- 劳动人事争议案件结案率、调解成功率 ----------------------------------------------------


def _dispute_rates(numerator: int, denominator: int) -> Compute:
    def compute(session: Session, cut: Cut) -> dict[str, Figure]:
        return _pick(session.execute(disputes.rates_select(
            cut.within(LabourDispute.region), cut.key(LabourDispute.region),
            cut.period.start, cut.period.end)).all(), numerator, denominator)
    return compute


def _dispute_records(cut: Cut) -> RecordSelect:
    d = LabourDispute
    in_period = and_(d.accepted_on >= cut.period.start, d.accepted_on <= cut.period.end)
    closed_in = and_(d.accepted_on.is_not(None), d.closed_on >= cut.period.start,
                     d.closed_on <= cut.period.end)
    state = case(*((d.state == s.value, literal(label))
                   for s, label in rules.DISPUTE_STATE_LABELS.items()), else_=d.state)
    return (select(d.case_no.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), d.region.label("region"),
                   d.accepted_on.label("day"), state.label("detail"))
            .join(Person, Person.id == d.applicant_person_id)
            .where(cut.within(d.region), in_period | closed_in)
            .order_by(d.accepted_on, d.id))


DISPUTE_CLOSURE_RATE = Indicator(
    id="labour_dispute_closure_rate", name="劳动人事争议案件结案率",
    name_en="Labour dispute closure rate", unit="%", kind=Kind.RATE, domain=SOURCE,
    permission=PERMISSION, order=71,
    numerator="期间内受理的劳动人事争议案件中，至期末已结案（裁决、调解、撤回）的件数",
    denominator="期间内受理的劳动人事争议案件件数（不予受理的不计）",
    period_rule="按受理日期归属期间；" + _CASE_PLACE,
    dedup="按案件计：一件案件只计一次",
    compute=_dispute_rates(2, 1), records=_dispute_records,
    article=_ARTICLE, article_value=Decimal(92))

MEDIATION_SUCCESS_RATE = Indicator(
    id="labour_mediation_success_rate", name="劳动人事争议调解成功率",
    name_en="Labour dispute mediation success rate", unit="%", kind=Kind.RATE,
    domain=SOURCE, permission=PERMISSION, order=72,
    numerator="期间内结案的已受理案件中以调解方式结案的件数",
    denominator="期间内结案的已受理案件件数（裁决、调解、撤回）",
    period_rule="按结案日期归属期间；" + _CASE_PLACE,
    dedup="按案件计",
    compute=_dispute_rates(4, 3), records=_dispute_records,
    article="劳动人事争议调解成功率保持在60%左右", article_value=Decimal(60))


# --- 劳动保障监察举报投诉结案率 ------------------------------------------------------------


def _complaint_closure(session: Session, cut: Cut) -> dict[str, Figure]:
    return _pick(session.execute(complaints.closure_select(
        cut.within(InspectionComplaint.region), cut.key(InspectionComplaint.region),
        cut.period.start, cut.period.end)).all(), 2, 1)


def _complaint_records(cut: Cut) -> RecordSelect:
    c = InspectionComplaint
    state = case(*((c.state == s.value, literal(label))
                   for s, label in rules.COMPLAINT_STATE_LABELS.items()), else_=c.state)
    return (select(c.case_no.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), c.region.label("region"),
                   c.accepted_on.label("day"), state.label("detail"))
            .join(Person, Person.id == c.complainant_person_id)
            .where(cut.within(c.region), c.accepted_on >= cut.period.start,
                   c.accepted_on <= cut.period.end)
            .order_by(c.accepted_on, c.id))


COMPLAINT_CLOSURE_RATE = Indicator(
    id="labour_complaint_closure_rate", name="劳动保障监察举报投诉结案率",
    name_en="Labour inspection complaint closure rate", unit="%", kind=Kind.RATE,
    domain=SOURCE, permission=PERMISSION, order=73,
    numerator="期间内立案的举报投诉中，至期末已结案的件数",
    denominator="期间内立案的举报投诉件数（不予受理的不计）",
    period_rule="按立案日期归属期间；" + _CASE_PLACE,
    dedup="按案件计",
    compute=_complaint_closure, records=_complaint_records,
    article="劳动保障监察举报投诉结案率达到100%", article_value=Decimal(100))


# --- 协调劳动关系三方机构 -----------------------------------------------------------------


def _bodies(session: Session, cut: Cut) -> dict[str, Figure]:
    return {row[0] or "": Figure(Decimal(row[1])) for row in session.execute(
        contracts.bodies_select(cut.within(TripartiteBody.region),
                                cut.key(TripartiteBody.region), cut.period.end))}


TRIPARTITE_BODIES = Indicator(
    id="labour_tripartite_bodies", name="协调劳动关系三方机构",
    name_en="Tripartite labour-relations bodies", unit="个", kind=Kind.COUNT,
    domain=SOURCE, permission=PERMISSION, order=74,
    numerator="期末存续的各级协调劳动关系三方机构（市、区县、乡镇街道、园区）",
    period_rule="统计期末时点数；地区按机构所在地",
    dedup="按机构计",
    levels=("市", "区县", "乡镇街道"),
    compute=_bodies,
    article="全市各级协调劳动关系机构达到950个", article_value=Decimal(950))

INDICATORS = [CONTRACT_SIGNING_RATE, DISPUTE_CLOSURE_RATE, MEDIATION_SUCCESS_RATE,
              COMPLAINT_CLOSURE_RATE, TRIPARTITE_BODIES]
