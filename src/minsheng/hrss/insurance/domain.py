"""Social-insurance enrolment and contributions (参保缴费)."""

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import api, cli, indicators, models, pages, service
from minsheng.hrss.insurance.certificates import api as certificate_api
from minsheng.hrss.insurance.certificates import pages as certificate_pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.money import money_text
from minsheng.platform.security.history import HistorySource
from minsheng.platform.security.principal import Principal
from minsheng.platform.summary import SummarySection
from minsheng.platform.web.links import LinkSource, RecordLink
from minsheng.platform.web.templating import NavItem


def person_links(session: Session, actor: Principal, person_id: int,
                 state: str) -> list[RecordLink]:
    if not actor.can("insurance:read"):
        return []
    return [RecordLink("参保与缴费", f"/persons/{person_id}/insurance", "person-insurance-link")]


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """A person's enrolments (audited as ``enrolment`` by id)."""
    return [("enrolment", session.scalars(select(models.Enrolment.id)
                                          .where(models.Enrolment.person_id == person_id)))]


HISTORY = HistorySource(
    labels={"enrolment.create": "参保登记", "enrolment.end": "停止参保",
            "contribution.flexible_pay": "灵活就业人员缴费", "contribution.pay": "缴费",
            "resident_pension.pay": "城乡居民养老保险缴费", "person.designate": "认定代缴对象",
            "certificate.issue": "开具参保证明"},
    fields={"scheme": "险种", "designation": "代缴类别", "months": "缴费月数",
            "grade": "缴费档次"},
    values=service.SCHEME_LABELS, subjects=person_subjects)


def person_summary(session: Session, actor: Principal,
                   person_id: int) -> Sequence[SummarySection]:
    """Enrolments and the contributions of the last five years, for readers of insurance."""
    if not actor.can("insurance:read") and actor.person_id != person_id:
        return []
    enrolments = service.enrolments_of(session, actor, person_id)
    years = service.contribution_years(session, actor, person_id)[:5]
    return [
        SummarySection("参保登记", order=20, empty="未参保", table=[
            ["险种", "参保单位", "起始月份", "终止月份"],
            *([e.scheme_label, e.employer_name or "个人参保", e.start_month,
               e.end_month or "至今"] for e in enrolments)] if enrolments else ()),
        SummarySection("缴费情况（近五年）", order=21, empty="无缴费记录", table=[
            ["年度", "缴费月数", "单位缴纳（元）", "个人缴纳（元）", "欠缴（元）"],
            *([str(y.year), str(y.months), money_text(y.employer_amount),
               money_text(y.personal_amount), money_text(y.due_amount)] for y in years)]
            if years else ()),
    ]


DOMAIN = Domain(
    name="insurance", label="参保缴费", order=20, models=models,
    api=[api.router, certificate_api.router], pages=[pages.router, certificate_pages.router],
    templates=templates_beside(__file__),
    nav=[NavItem("参保缴费", "/insurance", "insurance", "insurance:read", order=20)],
    cli=[("contributions", cli.app)],
    links=[LinkSource("person", person_links, order=20)],
    indicators=indicators.INDICATORS,
    work=[service.waiting_work],
    history=[HISTORY],
    summary=[person_summary],
)
