"""Pension awards, payroll and certification (养老待遇), and the public estimator."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from minsheng.hrss.pension import api, cli, indicators, models, pages, peer, service
from minsheng.hrss.pension.estimator import api as estimator_api
from minsheng.hrss.pension.estimator import pages as estimator_pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.errors import NotFound
from minsheng.platform.events import PersonDied, Subscription
from minsheng.platform.money import money_text
from minsheng.platform.months import label as month_label
from minsheng.platform.security.history import HistorySource
from minsheng.platform.security.principal import Principal
from minsheng.platform.summary import SummarySection
from minsheng.platform.web.links import LinkSource, RecordLink
from minsheng.platform.web.templating import NavItem


def person_links(session: Session, actor: Principal, person_id: int,
                 state: str) -> list[RecordLink]:
    """养老待遇 for a recipient; 退休待遇核定 for a living person, to those who award."""
    if actor.can("pension:read") and service.is_recipient(session, person_id):
        return [RecordLink("养老待遇", f"/pension/person/{person_id}", "person-pension-link")]
    if actor.can("pension:award") and state == "alive":
        return [RecordLink("退休待遇核定", f"/pension/person/{person_id}#award",
                           "person-pension-link")]
    return []


def stop_pension_of_deceased(session: Session, actor: Principal, event: PersonDied) -> None:
    service.stop_on_death(session, actor, event.person_id, event.death_date)


HISTORY = HistorySource(
    labels={"pension.award": "核定养老待遇", "pension.certify": "待遇资格认证",
            "pension.certify_for_peer": "跨省通办代办待遇资格认证",
            "pension.stop_on_death": "因死亡停发养老金", "pension.read": "查阅养老待遇"},
    fields={"total": "月养老金（元）", "start": "起始月份", "method": "认证方式"},
    values={**pages.SCHEME_LABELS, **pages.METHOD_LABELS})

RECIPIENT_STATUSES = {"active": "正常发放", "suspended": "暂停发放", "stopped": "终止发放"}


def person_summary(session: Session, actor: Principal,
                   person_id: int) -> Sequence[SummarySection]:
    """The pension in force, for readers of pensions."""
    if not actor.can("pension:read") and actor.person_id != person_id:
        return []
    try:
        award = service.current_award(session, person_id)
    except NotFound:
        return []
    status = service.recipient_status(session, person_id)
    return [SummarySection("养老待遇", order=40, rows=[
        ("险种", pages.SCHEME_LABELS.get(award.scheme, "")),
        ("起始月份", month_label(award.effective_month)),
        ("月养老金（元）", money_text(award.total_amount)),
        ("发放状态", RECIPIENT_STATUSES.get(status or "", "—"))])]


DOMAIN = Domain(
    name="pension", label="养老待遇", order=40, models=models,
    api=[api.router, estimator_api.router], pages=[estimator_pages.router, pages.router],
    templates=templates_beside(__file__),
    nav=[NavItem("养老待遇", "/pension", "pension", "pension:read", order=40)],
    cli=[("pension", cli.app)],
    subscriptions=[Subscription(PersonDied, stop_pension_of_deceased)],
    links=[LinkSource("person", person_links, order=40)],
    indicators=indicators.INDICATORS,
    envelope_kinds=peer.KINDS,
    work=[service.waiting_work],
    history=[HISTORY],
    summary=[person_summary],
)
