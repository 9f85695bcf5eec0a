"""Social security cards and e-cards (社会保障卡)."""

from sqlalchemy.orm import Session

from minsheng.hrss.cards import api, cli, indicators, models, pages, peer, service
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.events import PersonDied, Subscription
from minsheng.platform.security.principal import Principal
from minsheng.platform.web.links import LinkSource, RecordLink
from minsheng.platform.web.templating import NavItem


def person_links(session: Session, actor: Principal, person_id: int,
                 state: str) -> list[RecordLink]:
    if not actor.can("cards:read"):
        return []
    return [RecordLink("社会保障卡", f"/cards/person/{person_id}", "person-cards-link")]


def close_card_of_deceased(session: Session, actor: Principal, event: PersonDied) -> None:
    service.cancel_cards_on_death(session, actor, event.person_id, event.death_date)


DOMAIN = Domain(
    name="cards", label="社会保障卡", order=30, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("社会保障卡", "/cards", "cards", "cards:read", order=30)],
    cli=[("cards", cli.app)],
    subscriptions=[Subscription(PersonDied, close_card_of_deceased)],
    links=[LinkSource("person", person_links, order=30)],
    indicators=indicators.INDICATORS,
    envelope_kinds=peer.KINDS,
)
