"""Unemployment insurance and job-stabilisation refunds (失业保险、稳岗返还)."""

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment import api, cli, indicators, models, pages, service
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.events import PersonDied, PersonPlaced, Subscription
from minsheng.platform.money import money_text
from minsheng.platform.months import label as month_label
from minsheng.platform.security.history import HistorySource
from minsheng.platform.security.principal import Principal
from minsheng.platform.summary import SummarySection
from minsheng.platform.web.templating import NavItem


def end_benefit_of_deceased(session: Session, actor: Principal, event: PersonDied) -> None:
    service.stop_on_death(session, actor, event.person_id, event.death_date)


def end_registration_of_placed(session: Session, actor: Principal,
                               event: PersonPlaced) -> None:
    service.end_registration(session, actor, event.person_id, event.placed_date,
                             reason="re_employed")


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """A person's benefit claims (audited as ``unemployment_claim`` by id)."""
    return [("unemployment_claim", session.scalars(
        select(models.UnemploymentClaim.id)
        .where(models.UnemploymentClaim.person_id == person_id)))]


HISTORY = HistorySource(
    labels={"unemployment.register": "失业登记", "unemployment.end_registration": "终止失业登记",
            "unemployment.claim": "申领失业保险金", "unemployment.decide": "审核失业保险金申领",
            "unemployment.suspend": "暂停发放失业保险金",
            "unemployment.resume": "恢复发放失业保险金",
            "unemployment.stop": "停止发放失业保险金",
            "unemployment.death_grant": "核定丧葬补助金和抚恤金",
            "unemployment.read": "查阅失业保险业务"},
    fields={"approve": "准予领取", "monthly_amount": "月领取金额（元）",
            "entitled_months": "应领月数", "claim_no": "申领编号"},
    values={**pages.CLAIM_LABELS, "re_employed": "重新就业", "death": "死亡"},
    subjects=person_subjects)


def person_summary(session: Session, actor: Principal,
                   person_id: int) -> Sequence[SummarySection]:
    """The person's benefit claims, for readers of unemployment insurance."""
    if not actor.can("unemployment:read") and actor.person_id != person_id:
        return []
    claims = session.scalars(select(models.UnemploymentClaim)
                             .where(models.UnemploymentClaim.person_id == person_id)
                             .order_by(models.UnemploymentClaim.start_month.desc())).all()
    if not claims:
        return []
    return [SummarySection("失业保险金", order=60, table=[
        ["申领编号", "起始月份", "应领月数", "月领取金额（元）", "状态"],
        *([c.claim_no, month_label(c.start_month), str(c.entitled_months),
           money_text(c.monthly_amount), pages.CLAIM_LABELS.get(c.status, "")]
          for c in claims)])]


DOMAIN = Domain(
    name="unemployment", label="失业保险", order=60, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("失业保险", "/unemployment", "unemployment", "unemployment:read", order=60)],
    cli=[("unemployment", cli.app), ("refunds", cli.refunds_app)],
    subscriptions=[Subscription(PersonDied, end_benefit_of_deceased),
                   Subscription(PersonPlaced, end_registration_of_placed)],
    indicators=indicators.INDICATORS,
    work=[service.waiting_work, refunds.waiting_work],
    history=[HISTORY],
    summary=[person_summary],
)
