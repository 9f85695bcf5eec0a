"""What the HR service agencies feed to the scorecard (民生答卷), seed-figures.md:
人力资源服务机构 — 1,860 licensed agencies and 35.7 billion yuan revenue. Both are the
statement of ``service.counts_select`` (the counts the API and the staff page show) over
the cut's region and grouping; agencies count in their own district."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import String, and_, cast, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.hragency import service
from minsheng.hrss.hragency.models import AgencyLicence, AgencyReport
from minsheng.hrss.registry.service import Employer
from minsheng.platform.indicators import Cut, Figure, Indicator, Kind, RecordSelect

SOURCE = "人才服务"
PERMISSION = "talent:read"
_ARTICLE = "全市人力资源服务机构达1860家，年营业收入357亿元"
_PLACE = "地区按机构（用人单位）所在区县，已撤销的区县代码计入现行区县"


def _licensed(session: Session, cut: Cut) -> dict[str, Figure]:
    rows = session.execute(service.counts_select(
        cut.within(AgencyLicence.region), cut.key(AgencyLicence.region),
        cut.period.end.year)).all()
    return {r[0] or "": Figure(Decimal(r[1] or 0)) for r in rows}


def _licensed_records(cut: Cut) -> RecordSelect:
    end = cut.period.end
    return (select(AgencyLicence.licence_no.label("record"), Employer.name.label("name"),
                   literal(None).label("resident_id"), AgencyLicence.region.label("region"),
                   AgencyLicence.issued_on.label("day"),
                   AgencyLicence.scope.label("detail"))
            .join(Employer, Employer.id == AgencyLicence.employer_id)
            .where(cut.within(AgencyLicence.region), service.in_force_on_sql(
                date(end.year, 12, 31)))
            .order_by(AgencyLicence.region, AgencyLicence.licence_no))


LICENSED_AGENCIES = Indicator(
    id="hr_service_agencies", name="人力资源服务机构数", name_en="Licensed HR service agencies",
    unit="家", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=140,
    numerator="统计期末所在年度12月31日持有有效人力资源服务许可证（已颁发、未过有效期、"
              "未吊销）的机构数",
    period_rule="统计期末所在年度年末时点数；" + _PLACE,
    dedup="按许可证计：一家机构同一时点只持有一证",
    compute=_licensed, records=_licensed_records,
    article=_ARTICLE, article_value=Decimal(1860), article_years=(2020, 2020))


def _revenue(session: Session, cut: Cut) -> dict[str, Figure]:
    totals: dict[str, Figure] = {}
    for year in range(cut.period.start.year, cut.period.end.year + 1):
        for row in session.execute(service.counts_select(
                cut.within(AgencyLicence.region), cut.key(AgencyLicence.region), year)):
            key = row[0] or ""
            yuan = Figure(Decimal(int(row[3] or 0)) / 100)
            totals[key] = totals[key] + yuan if key in totals else yuan
    return totals


def _revenue_records(cut: Cut) -> RecordSelect:
    first, last = cut.period.start.year, cut.period.end.year
    return (select(AgencyLicence.licence_no.label("record"), Employer.name.label("name"),
                   literal(None).label("resident_id"), AgencyLicence.region.label("region"),
                   AgencyReport.filed_on.label("day"),
                   cast(AgencyReport.year, String).label("detail"))
            .join(AgencyLicence, AgencyLicence.id == AgencyReport.licence_id)
            .join(Employer, Employer.id == AgencyLicence.employer_id)
            .where(cut.within(AgencyLicence.region),
                   and_(AgencyReport.year >= first, AgencyReport.year <= last))
            .order_by(AgencyLicence.region, AgencyLicence.licence_no, AgencyReport.year))


AGENCY_REVENUE = Indicator(
    id="hr_service_agency_revenue", name="人力资源服务机构营业收入",
    name_en="HR service agency revenue", unit="元", kind=Kind.AMOUNT, domain=SOURCE,
    permission=PERMISSION, order=141, flow=True,
    numerator="统计期间各年度人力资源服务机构年度报告所报营业收入之和",
    period_rule="按年度报告所属年度计；" + _PLACE,
    dedup="按年度报告计：一证一年一份",
    compute=_revenue, records=_revenue_records,
    article=_ARTICLE, article_value=Decimal(35_700_000_000), article_years=(2020, 2020))

INDICATORS = [LICENSED_AGENCIES, AGENCY_REVENUE]
