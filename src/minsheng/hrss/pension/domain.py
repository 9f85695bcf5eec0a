"""Pension awards, payroll and certification (养老待遇), and the public estimator."""

from sqlalchemy.orm import Session

from minsheng.hrss.pension import api, cli, indicators, models, pages, peer, service
from minsheng.hrss.pension.estimator import api as estimator_api
from minsheng.hrss.pension.estimator import pages as estimator_pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.events import PersonDied, Subscription
from minsheng.platform.security.principal import Principal
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
)
