"""Unemployment insurance and job-stabilisation refunds (失业保险、稳岗返还)."""

from sqlalchemy.orm import Session

from minsheng.hrss.unemployment import api, cli, indicators, models, pages, service
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.events import PersonDied, PersonPlaced, Subscription
from minsheng.platform.security.principal import Principal
from minsheng.platform.web.templating import NavItem


def end_benefit_of_deceased(session: Session, actor: Principal, event: PersonDied) -> None:
    service.stop_on_death(session, actor, event.person_id, event.death_date)


def end_registration_of_placed(session: Session, actor: Principal,
                               event: PersonPlaced) -> None:
    service.end_registration(session, actor, event.person_id, event.placed_date,
                             reason="re_employed")


DOMAIN = Domain(
    name="unemployment", label="失业保险", order=60, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("失业保险", "/unemployment", "unemployment", "unemployment:read", order=60)],
    cli=[("unemployment", cli.app), ("refunds", cli.refunds_app)],
    subscriptions=[Subscription(PersonDied, end_benefit_of_deceased),
                   Subscription(PersonPlaced, end_registration_of_placed)],
    indicators=indicators.INDICATORS,
    work=[service.waiting_work, refunds.waiting_work],
)
