"""``minsheng demo --federated``: the Chongqing node (the whole demo city) and a Sichuan
node (Chengdu counters, a few Chengdu residents with their SC cards), each with its own
database and key pair, registered as each other's peer (川渝通办)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from minsheng.app.demo import DEMO_PASSWORD, DemoAccount
from minsheng.hrss.cards import service as cards
from minsheng.hrss.cards.models import SocialSecurityCard
from minsheng.hrss.employment.models import Vacancy
from minsheng.hrss.employment.service import peer as vacancy_peer
from minsheng.hrss.pension.models import PensionRecipient
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Employer, Person
from minsheng.hrss.registry.schemas import PersonCreate
from minsheng.platform import ids
from minsheng.platform.db import unit_of_work
from minsheng.platform.exchange import service as exchange
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.security.roles import Role

SICHUAN_STAFF = (
    DemoAccount("sc_admin", Role.ADMIN, "", "四川节点系统管理员"),
    DemoAccount("chengdu_clerk", Role.CLERK, "510100", "成都市窗口 杨帆"),
    DemoAccount("chengdu_officer", Role.CASE_OFFICER, "510100", "成都市承办人 何静"),
)

#: Chengdu residents of the Sichuan node: name, district, birth date, male.
SICHUAN_PEOPLE = (
    ("罗成", "510104", date(1979, 4, 2), True), ("何佳", "510105", date(1986, 9, 17), False),
    ("邓文", "510106", date(1968, 12, 1), True), ("唐悦", "510107", date(1992, 6, 30), False),
    ("曾强", "510108", date(1975, 2, 14), True), ("蒋琳", "510104", date(1999, 11, 8), False),
)


def node_urls(url: str) -> dict[str, str]:
    """The two nodes' databases next to ``url``: ``minsheng.db`` → ``minsheng-cq.db`` and
    ``minsheng-sc.db``; a PostgreSQL database ``x`` → ``x_cq`` and ``x_sc``."""
    parsed = make_url(url)
    found = {}
    for node in ("cq", "sc"):
        if parsed.drivername.startswith("sqlite"):
            name = parsed.database or "minsheng.db"
            stem, dot, suffix = name.rpartition(".")
            database = f"{stem}-{node}.{suffix}" if dot else f"{name}-{node}"
        else:
            database = f"{parsed.database}_{node}"
        found[node] = parsed.set(database=database).render_as_string(hide_password=False)
    return found


def load_sichuan(factory: sessionmaker[Session]) -> list[DemoAccount]:
    """The Sichuan node's demo: its staff and a few Chengdu residents with active cards."""
    with unit_of_work(factory) as session:
        if session.scalar(select(Person.id).limit(1)) is not None:
            return list(SICHUAN_STAFF)
        for account in SICHUAN_STAFF:
            security.add_user(session, actor=SYSTEM, username=account.username,
                              role=account.role, password=DEMO_PASSWORD,
                              display_name=account.display_name, region_code=account.region)
        for serial, (name, district, birth, male) in enumerate(SICHUAN_PEOPLE, start=1):
            first17 = f"{district}{birth:%Y%m%d}{serial:02d}{1 if male else 2}"
            person = registry.register_person(session, SYSTEM, PersonCreate(
                resident_id=first17 + ids.resident_id_check_char(first17), name=name,
                phone=f"1398000{serial:04d}", hukou_region=district,
                residence_region=district, hukou_type="urban"))
            card = cards.apply_for_card(session, SYSTEM, person.id)
            cards.activate_card(session, SYSTEM, card.card_no,
                                resident_id=person.resident_id, name=name)
    return list(SICHUAN_STAFF)


@dataclass(frozen=True)
class Peering:
    node_id: str
    url: str
    factory: sessionmaker[Session]


def connect(one: Peering, other: Peering) -> None:
    """Each node registers the other, with its current public key."""
    for me, them in ((one, other), (other, one)):
        with unit_of_work(them.factory) as session:
            identity = exchange.identity(session, them.node_id)
        with unit_of_work(me.factory) as session:
            exchange.add_peer(session, SYSTEM, node_id=them.node_id, url=them.url,
                              public_key=identity.public_key, key_id=identity.key_id,
                              self_node=me.node_id)


def share_vacancies(cq: sessionmaker[Session], limit: int = 30) -> int:
    """The newest open Chongqing vacancies, shared to the Sichuan job board (vacancies
    posted from now on are shared as they are posted)."""
    with unit_of_work(cq) as session:
        rows = session.execute(
            select(Vacancy, Employer.name).join(Employer, Employer.id == Vacancy.employer_id)
            .where(Vacancy.status == "open")
            .order_by(Vacancy.posted_date.desc(), Vacancy.id.desc()).limit(limit)).all()
        for vacancy, employer_name in rows:
            vacancy_peer.share(session, SYSTEM, vacancy, employer_name)
    return len(rows)


def cases(cq: sessionmaker[Session]) -> list[str]:
    """What to try across the two nodes, named from the Chongqing demo data."""
    found = []
    with unit_of_work(cq) as session:
        pensioner = session.execute(
            select(Person.name, Person.resident_id).join(
                PensionRecipient, PensionRecipient.person_id == Person.id)
            .where(PensionRecipient.status == "suspended",
                   Person.residence_region.startswith("51"))
            .order_by(Person.id).limit(1)).first()
        if pensioner is not None:
            found.append(f"就地认：以 chengdu_clerk 登录四川节点，为居住在四川的重庆待遇领取人"
                         f" {pensioner.name}（{pensioner.resident_id}）办理认证，"
                         "重庆节点随即恢复其暂停的养老金")
        holder = session.execute(
            select(Person.name, Person.resident_id, SocialSecurityCard.card_no)
            .join(SocialSecurityCard, SocialSecurityCard.person_id == Person.id)
            .where(SocialSecurityCard.state == "active").order_by(Person.id).limit(1)
        ).first()
        if holder is not None:
            found.append(f"就近办：在四川节点为重庆持卡人 {holder.name}（{holder.resident_id}，"
                         f"卡号 {holder.card_no}）办理社保卡挂失或解挂")
    return found
