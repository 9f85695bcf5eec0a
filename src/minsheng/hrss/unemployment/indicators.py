"""What unemployment insurance feeds to the scorecard (民生答卷), seed-figures.md: the
benefit standard, the benefit paid and its recipients, and job-stabilisation refunds,
each computed from records by one grouped SQL statement.

The statements are the domain's own definitions: the benefit standard is the rulebook's
lookup the payroll prices months with; payments count as the payroll's totals count
them (sent or paid); the refund figures are the refunds page's totals
(``refunds.refund_sums_query``), so the scorecard and the pages never disagree."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from sqlalchemy import Date, String, cast, null, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Employer, Person
from minsheng.hrss.unemployment.models import JobStabilisationRefund
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.hrss.unemployment.service import parameters, payroll
from minsheng.platform.indicators import (
    Cut,
    Figure,
    Indicator,
    Kind,
    Period,
    RecordSelect,
    figures,
)

SOURCE = "失业保险"
PERMISSION = "unemployment:read"


# --- 失业保险金标准 ---------------------------------------------------------------------


def _benefit_standard(session: Session, cut: Cut) -> dict[str, Figure]:
    return {k: f for k, f in figures(session.execute(
        parameters.benefit_standard_query(cut)).all()).items()
        if f.numerator}


UNEMPLOYMENT_BENEFIT_STANDARD = Indicator(
    id="unemployment_benefit_standard", name="失业保险金标准",
    name_en="Unemployment benefit (monthly)", unit="元/月", kind=Kind.SETTING,
    domain=SOURCE, permission=PERMISSION, order=16,
    numerator="期末所在月份对本地区执行的失业保险金月发放标准（规则库中覆盖本地区的最具体"
              "区划、最近生效的一条，即发放失业保险金时计价所用的标准）",
    period_rule="参数：期末所在月份在用的标准。全市（50）取全市统一标准本身，不取区县自定"
                "标准的最高值或平均值；按区县分列时各区县取其适用的标准（有区县标准的取区县"
                "标准，否则取全市标准）",
    dedup="—（参数，不累加）",
    compute=_benefit_standard,
    article="由“十二五”末一类区县 875 元/月、二类区县 805 元/月，统一提高到 1440 元/月",
    article_value=Decimal(1440))


# --- 失业保险金领取人数、发放金额 --------------------------------------------------------


def _recipients(session: Session, cut: Cut) -> dict[str, Figure]:
    return figures(session.execute(payroll.benefit_recipients_query(cut)).all())


def _recipient_records(cut: Cut) -> RecordSelect:
    first = payroll.first_benefit_payments(cut)
    return (select(first.c.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), first.c.region.label("region"),
                   cast(null(), Date).label("day"),
                   ("首次发放：" + cast(first.c.payroll_month, String) + " 批次")
                   .label("detail"))
            .join(Person, Person.id == first.c.person_id)
            .order_by(first.c.payroll_month, first.c.person_id))


def _paid(session: Session, cut: Cut) -> dict[str, Figure]:
    return figures(session.execute(payroll.benefit_paid_query(cut)).all())


def _payment_records(cut: Cut) -> RecordSelect:
    payment = payroll.benefit_payments(cut).subquery()
    return (select(payment.c.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), payment.c.region.label("region"),
                   cast(null(), Date).label("day"),
                   (cast(payment.c.benefit_month, String) + " 月失业保险金，"
                    + cast(payment.c.payroll_month, String) + " 批次发放").label("detail"))
            .join(Person, Person.id == payment.c.person_id)
            .order_by(payment.c.payroll_month, payment.c.person_id, payment.c.benefit_month))


_PAID_RULE = ("期间内各月发放批次（发放月份在期间内）已送银行或已到账的失业保险金（流量）；"
              "失败、已取消、待送盘的不计；地区按发放时领取人所在区县")

UNEMPLOYMENT_BENEFIT_RECIPIENTS = Indicator(
    id="unemployment_benefit_recipients", name="失业保险金领取人数",
    name_en="Unemployment benefit recipients", unit="人", kind=Kind.COUNT, domain=SOURCE,
    permission=PERMISSION, order=17, flow=True,
    numerator="期间内有失业保险金发放记录（已送银行或已到账）的人数",
    period_rule=_PAID_RULE,
    dedup="每人在期间内只计一次（一次补发多月或按月多次发放均计一人）；地区取其期间内"
          "首次发放所在区县，分区县合计等于总数",
    compute=_recipients, records=_recipient_records)

UNEMPLOYMENT_BENEFIT_PAID = Indicator(
    id="unemployment_benefit_paid", name="失业保险金发放金额",
    name_en="Unemployment benefit paid", unit="元", kind=Kind.AMOUNT, domain=SOURCE,
    permission=PERMISSION, order=18, flow=True,
    numerator="期间内发放的失业保险金金额合计（已送银行或已到账）",
    period_rule=_PAID_RULE,
    dedup="每人每个待遇月份至多一条发放记录（失败重发沿用原记录），不重复计",
    compute=_paid, records=_payment_records)


# --- 稳岗返还 ----------------------------------------------------------------------------


def refund_years(period: Period) -> tuple[int, int]:
    """The policy years whose refunds count in ``period``: a year's refunds are dated at
    its 31 December, so a period counts the years whose 31 December it contains."""
    last = period.end.year if (period.end.month, period.end.day) == (12, 31) \
        else period.end.year - 1
    return period.start.year, last


def _refund_sums(column: int, session: Session, cut: Cut) -> dict[str, Figure]:
    first, last = refund_years(cut.period)
    rows = session.execute(refunds.refund_sums_query(
        cut.within(JobStabilisationRefund.region), cut.key(JobStabilisationRefund.region),
        first, last, statuses=("paid",))).all()
    return figures([(row[0], row[column]) for row in rows])


def _refund_records(cut: Cut) -> RecordSelect:
    first, last = refund_years(cut.period)
    return (select(Employer.uscc.label("record"), Employer.name.label("name"),
                   null().label("resident_id"), JobStabilisationRefund.region.label("region"),
                   cast(null(), Date).label("day"),
                   (cast(JobStabilisationRefund.year, String) + " 年度稳岗返还，参保职工 "
                    + cast(JobStabilisationRefund.employees_covered, String) + " 人")
                   .label("detail"))
            .join(Employer, Employer.id == JobStabilisationRefund.employer_id)
            .where(JobStabilisationRefund.year.between(first, last),
                   JobStabilisationRefund.eligible.is_(True),
                   JobStabilisationRefund.status == "paid",
                   cut.within(JobStabilisationRefund.region))
            .order_by(JobStabilisationRefund.year, JobStabilisationRefund.region,
                      Employer.uscc))


_REFUND_RULE = ("按政策年度归属：某年度的返还计入包含该年12月31日的期间（流量）；只计已拨付的"
                "符合条件返还，待复核、已核准未拨付、已驳回的不计；地区按单位所在区县")

JOB_STABILISATION_REFUND_AMOUNT = Indicator(
    id="job_stabilisation_refund_amount", name="稳岗返还金额",
    name_en="Job-stabilisation refunds paid", unit="元", kind=Kind.AMOUNT, domain=SOURCE,
    permission=PERMISSION, order=19, flow=True,
    numerator="期间内各政策年度已拨付的稳岗返还金额合计",
    period_rule=_REFUND_RULE,
    dedup="每个单位每个政策年度一条返还记录，不重复计",
    compute=partial(_refund_sums, 3), records=_refund_records,
    article="“十三五”期间累计 87.3 亿元", article_value=Decimal(8_730_000_000))

JOB_STABILISATION_REFUND_EMPLOYERS = Indicator(
    id="job_stabilisation_refund_employers", name="稳岗返还惠及单位",
    name_en="Employers refunded", unit="户", kind=Kind.COUNT, domain=SOURCE,
    permission=PERMISSION, order=20, flow=True,
    numerator="期间内获得已拨付稳岗返还的单位数",
    period_rule=_REFUND_RULE,
    dedup="按单位去重：同一单位多个年度获返还只计一户（地区按返还记录的区县；单位跨区迁移"
          "时各区分别计，全市只计一次）",
    compute=partial(_refund_sums, 2), records=_refund_records)

JOB_STABILISATION_REFUND_EMPLOYEES = Indicator(
    id="job_stabilisation_refund_employees", name="稳岗返还惠及职工",
    name_en="Employees of refunded employers", unit="人次", kind=Kind.COUNT, domain=SOURCE,
    permission=PERMISSION, order=21, flow=True,
    numerator="期间内获得已拨付稳岗返还的单位，其返还所依据年度参加失业保险的职工人数之和",
    period_rule=_REFUND_RULE,
    dedup="按单位年度累加（人次）：同一职工在不同年度或不同单位获惠各计一次",
    compute=partial(_refund_sums, 4), records=_refund_records,
    article="“十三五”期间惠及职工 969 万人次", article_value=Decimal(9_690_000))

INDICATORS = [UNEMPLOYMENT_BENEFIT_STANDARD, UNEMPLOYMENT_BENEFIT_RECIPIENTS,
              UNEMPLOYMENT_BENEFIT_PAID, JOB_STABILISATION_REFUND_AMOUNT,
              JOB_STABILISATION_REFUND_EMPLOYERS, JOB_STABILISATION_REFUND_EMPLOYEES]

