"""Social security cards and e-cards (社会保障卡)."""

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.cards import api, cli, indicators, models, pages, peer, rules, service
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.events import PersonDied, Subscription
from minsheng.platform.security.history import HistorySource
from minsheng.platform.security.principal import Principal
from minsheng.platform.summary import SummarySection
from minsheng.platform.web.links import LinkSource, RecordLink
from minsheng.platform.web.templating import NavItem


def person_links(session: Session, actor: Principal, person_id: int,
                 state: str) -> list[RecordLink]:
    if not actor.can("cards:read"):
        return []
    return [RecordLink("社会保障卡", f"/cards/person/{person_id}", "person-cards-link")]


def close_card_of_deceased(session: Session, actor: Principal, event: PersonDied) -> None:
    service.cancel_cards_on_death(session, actor, event.person_id, event.death_date)


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """A person's cards (audited as ``social_security_card`` by card number)."""
    return [("social_security_card", session.scalars(
        select(models.SocialSecurityCard.card_no)
        .where(models.SocialSecurityCard.person_id == person_id)))]


HISTORY = HistorySource(
    labels={**{f"card.{action.value}": f"社会保障卡{label}"
               for action, label in rules.ACTION_LABELS.items()},
            "card.apply": "申领社会保障卡", "card.issue_replacement": "补换新卡",
            "card.activate_refused": "社会保障卡启用被拒（身份核验不符）",
            "card.counter_for_peer": "跨省通办代办社会保障卡业务",
            "card.read": "查阅社会保障卡"},
    fields={"from": "原状态", "to": "新状态", "replaces": "原卡号"},
    values={state.value: label for state, label in rules.STATE_LABELS.items()},
    subjects=person_subjects)


def person_summary(session: Session, actor: Principal,
                   person_id: int) -> Sequence[SummarySection]:
    if not actor.can("cards:read") and actor.person_id != person_id:
        return []
    cards = session.scalars(select(models.SocialSecurityCard)
                            .where(models.SocialSecurityCard.person_id == person_id)
                            .order_by(models.SocialSecurityCard.id.desc())).all()
    return [SummarySection("社会保障卡", order=30, empty="未申领社会保障卡", table=[
        ["卡号", "状态"],
        *([c.card_no, rules.STATE_LABELS.get(rules.CardState(c.state), "")] for c in cards)]
        if cards else ())]


DOMAIN = Domain(
    name="cards", label="社会保障卡", order=30, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("社会保障卡", "/cards", "cards", "cards:read", order=30)],
    cli=[("cards", cli.app)],
    subscriptions=[Subscription(PersonDied, close_card_of_deceased)],
    links=[LinkSource("person", person_links, order=30)],
    indicators=indicators.INDICATORS,
    envelope_kinds=peer.KINDS,
    history=[HISTORY],
    summary=[person_summary],
)
