"""Vacancies shared between the provinces (川渝招聘求职一点通): each vacancy posted or
closed on one node is sent to the peer node over the exchange (``platform.exchange``),
in the transaction that posts or closes it; the peer keeps it on its job board, the
newest version of each vacancy winning whatever order the envelopes arrive in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.employment.models import PeerVacancy, Vacancy
from minsheng.platform import paging
from minsheng.platform.exchange import service as exchange
from minsheng.platform.exchange.kinds import EnvelopeKind, Received
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

KIND = "employment.vacancy"


class SharedVacancy(BaseModel):
    """The envelope's body: the vacancy as the job board shows it."""

    id: int = Field(ge=1)
    version: int = Field(ge=1)
    employer_name: str = Field(max_length=200)
    title: str = Field(min_length=1, max_length=100)
    occupation_code: str = Field(max_length=8)
    region: str = Field(pattern=r"^\d{6}$")
    education_required: int = Field(ge=0, le=9)
    pay_min: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    pay_max: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    headcount: int = Field(ge=1, le=100_000)
    description: str = Field(default="", max_length=4000)
    status: Literal["open", "closed"]
    posted_date: date


def share(session: Session, actor: Principal, vacancy: Vacancy, employer_name: str) -> int:
    """Send the vacancy (as it now stands) to every peer; how many envelopes."""
    body = SharedVacancy(
        id=vacancy.id, version=vacancy.version, employer_name=employer_name,
        title=vacancy.title, occupation_code=vacancy.occupation_code, region=vacancy.region,
        education_required=vacancy.education_required, pay_min=vacancy.pay_min,
        pay_max=vacancy.pay_max, headcount=vacancy.headcount,
        description=vacancy.description[:4000], status=vacancy.status,
        posted_date=vacancy.posted_date)
    peers = exchange.peers(session)
    for peer in peers:
        exchange.send(session, actor, peer.node_id, KIND, body)
    return len(peers)


def apply_vacancy(session: Session, received: Received, body: SharedVacancy) -> None:
    """At the peer: insert or update the shared vacancy unless a newer version is here."""
    row = session.scalar(select(PeerVacancy).where(
        PeerVacancy.origin_node == received.sender, PeerVacancy.origin_id == body.id)
        .with_for_update())
    if row is not None and row.origin_version >= body.version:
        return
    values = body.model_dump(exclude={"id", "version"})
    if row is None:
        row = PeerVacancy(origin_node=received.sender, origin_id=body.id,
                          origin_version=body.version, **values)
        session.add(row)
    else:
        row.origin_version = body.version
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    audit.record(session, actor=received.actor.username, action="employment.peer_vacancy",
                 subject_type="envelope", subject_id=received.envelope_id,
                 payload={"origin_id": body.id, "version": body.version,
                          "status": body.status})


def peer_vacancies_page(session: Session, *, text: str = "", page: int = 1,
                        size: int = 20) -> paging.Listing[PeerVacancy]:
    """Open vacancies of the other province, newest first, by words of the title."""
    stmt = select(PeerVacancy).where(PeerVacancy.status == "open")
    words = text.strip()[:50]
    if words:
        stmt = stmt.where(func.lower(PeerVacancy.title).contains(words.lower(),
                                                                 autoescape=True))
    return paging.paginate(session, stmt.order_by(PeerVacancy.posted_date.desc(),
                                                 PeerVacancy.id.desc()), page, size)


KINDS = (EnvelopeKind(KIND, "川渝共享岗位", SharedVacancy, apply_vacancy),)
