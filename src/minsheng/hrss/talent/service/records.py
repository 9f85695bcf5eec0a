"""Skill certificates (职业技能等级证书) and professional titles (职称): recording one,
the staff work-lists with their exports, and a person's credentials for other domains.
Rules: ``talent.rules``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talent import rules
from minsheng.hrss.talent.models import ProfessionalTitle, SkillCertificate, TalentIntroduction
from minsheng.hrss.talent.schemas import SkillCertificateCreate, TitleCreate
from minsheng.hrss.talent.service._common import person_of, refuse
from minsheng.platform import paging
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, scoped


def _visible_person(actor: Principal, person: Person) -> None:
    if actor.is_staff and not actor.sees_region(person.residence_region):
        raise invalid_field("person_id", "人员不存在或不在您的管辖范围内",
                            "no such person in your region")


def record_certificate(session: Session, actor: Principal,
                       data: SkillCertificateCreate) -> SkillCertificate:
    """登记职业技能等级证书 for a person of the actor's region; the certificate number is
    unique (a second record of the same number is a 409)."""
    actor.require("talent:write")
    person = person_of(session, data.person_id)
    _visible_person(actor, person)
    refuse(rules.certificate_problems(data.level, data.occupation_code, data.certificate_no,
                                      data.issued_on, date.today(), person.birth_date))
    if session.scalar(select(SkillCertificate.id).where(
            SkillCertificate.certificate_no == data.certificate_no)) is not None:
        raise Conflict("证书编号已登记：该证书已在册",
                       "certificate_no: a certificate with this number is already recorded")
    certificate = SkillCertificate(
        certificate_no=data.certificate_no, person_id=person.id,
        region=person.residence_region, occupation_code=data.occupation_code,
        level=data.level, issuing_body=data.issuing_body, issued_on=data.issued_on,
        recorded_by=actor.username)
    session.add(certificate)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.certificate_record",
                 subject_type="skill_certificate", subject_id=certificate.id,
                 payload={"person_id": person.id, "level": data.level,
                          "certificate_no": data.certificate_no})
    return certificate


def record_title(session: Session, actor: Principal, data: TitleCreate) -> ProfessionalTitle:
    """登记职称 (series, level, certificate) for a person of the actor's region."""
    actor.require("talent:write")
    person = person_of(session, data.person_id)
    _visible_person(actor, person)
    refuse(rules.record_date_problems("granted_on", data.granted_on, date.today(),
                                      person.birth_date))
    if session.scalar(select(ProfessionalTitle.id).where(
            ProfessionalTitle.certificate_no == data.certificate_no)) is not None:
        raise Conflict("证书编号已登记：该职称证书已在册",
                       "certificate_no: a title with this certificate number is recorded")
    title = ProfessionalTitle(
        certificate_no=data.certificate_no, person_id=person.id,
        region=person.residence_region, series=data.series, level=data.level,
        issuing_body=data.issuing_body, granted_on=data.granted_on,
        recorded_by=actor.username)
    session.add(title)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.title_record",
                 subject_type="professional_title", subject_id=title.id,
                 payload={"person_id": person.id, "series": data.series, "level": data.level,
                          "certificate_no": data.certificate_no})
    return title


# --- work-lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    """What a list is cut by: a level (``"1"``…``"5"`` or a title level), the year of issue,
    a certificate number or the start of a name."""

    level: str = ""
    year: int | None = None
    q: str = ""
    #: The order asked for (the list's default when ``None``).
    sort: paging.Sort | None = None


#: The orders the certificate list allows; the default is the newest first.
CERTIFICATE_SORTING = paging.Sorting({
    "issued": SkillCertificate.issued_on,
    "certificate_no": SkillCertificate.certificate_no,
    "level": SkillCertificate.level,
    "occupation": SkillCertificate.occupation_code,
}, default="issued", default_descending=True, tie_breakers=[SkillCertificate.id.desc()])

#: The orders the title list allows; the default is the newest first.
TITLE_SORTING = paging.Sorting({
    "granted": ProfessionalTitle.granted_on,
    "certificate_no": ProfessionalTitle.certificate_no,
    "series": ProfessionalTitle.series,
    "level": ProfessionalTitle.level,
}, default="granted", default_descending=True, tie_breakers=[ProfessionalTitle.id.desc()])


def certificates_query(actor: Principal, flt: ListFilter) -> Select[*tuple[Any, ...]]:
    """The skill certificates of the actor's region with the holder's name and resident
    ID, newest first."""
    actor.require("talent:read")
    c = SkillCertificate
    stmt: Select[*tuple[Any, ...]] = (select(c, Person.name, Person.resident_id)
            .join(Person, Person.id == c.person_id))
    if flt.level.isdigit() and rules.is_skill_level(int(flt.level)):
        stmt = stmt.where(c.level == int(flt.level))
    if flt.year is not None:
        stmt = stmt.where(c.issued_on >= date(flt.year, 1, 1),
                          c.issued_on <= date(flt.year, 12, 31))
    if flt.q:
        stmt = stmt.where((c.certificate_no == rules.normal_certificate_no(flt.q))
                          | Person.name.startswith(flt.q.strip(), autoescape=True))
    return scoped(stmt, c.region, actor).order_by(
        *CERTIFICATE_SORTING.order_by(flt.sort or CERTIFICATE_SORTING.default))


def certificates_page(session: Session, actor: Principal, flt: ListFilter,
                      page: int = 1) -> paging.Listing[Any]:
    return paging.paginate(session, certificates_query(actor, flt), page, scalars=False)


def all_certificates(session: Session, actor: Principal, flt: ListFilter) -> Iterator[Any]:
    """Every row of the list, streamed (the export)."""
    yield from session.execute(certificates_query(actor, flt).execution_options(
        yield_per=2000))


def titles_query(actor: Principal, flt: ListFilter, series: str = "") -> Select[*tuple[Any, ...]]:
    """The professional titles of the actor's region with the holder's name and ID."""
    actor.require("talent:read")
    t = ProfessionalTitle
    stmt: Select[*tuple[Any, ...]] = select(t, Person.name, Person.resident_id).join(
        Person, Person.id == t.person_id)
    if flt.level in rules.TITLE_LEVEL_LABELS:
        stmt = stmt.where(t.level == flt.level)
    if series in rules.TITLE_SERIES:
        stmt = stmt.where(t.series == series)
    if flt.year is not None:
        stmt = stmt.where(t.granted_on >= date(flt.year, 1, 1),
                          t.granted_on <= date(flt.year, 12, 31))
    if flt.q:
        stmt = stmt.where((t.certificate_no == rules.normal_certificate_no(flt.q))
                          | Person.name.startswith(flt.q.strip(), autoescape=True))
    return scoped(stmt, t.region, actor).order_by(
        *TITLE_SORTING.order_by(flt.sort or TITLE_SORTING.default))


def titles_page(session: Session, actor: Principal, flt: ListFilter, series: str = "",
                page: int = 1) -> paging.Listing[Any]:
    return paging.paginate(session, titles_query(actor, flt, series), page, scalars=False)


def all_titles(session: Session, actor: Principal, flt: ListFilter,
               series: str = "") -> Iterator[Any]:
    yield from session.execute(titles_query(actor, flt, series).execution_options(
        yield_per=2000))


# --- a person's credentials -----------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """What a person holds: skill levels (highest first), title levels (highest first)
    and the categories they were introduced under."""

    person_id: int
    skill_levels: list[int]
    titles: list[str]
    introduction_categories: list[str]

    @property
    def highest_skill_level(self) -> int | None:
        return rules.highest_skill_level(self.skill_levels)

    @property
    def highest_title(self) -> str | None:
        return rules.highest_title(self.titles)


def credentials(session: Session, person_id: int) -> Credentials:
    """A person's skill levels, title levels and introduction categories — for the
    talent service card's eligibility (``hrss/talentcard``). Three indexed selects."""
    levels = sorted(set(session.scalars(select(SkillCertificate.level).where(
        SkillCertificate.person_id == person_id))))
    titles = sorted(set(session.scalars(select(ProfessionalTitle.level).where(
        ProfessionalTitle.person_id == person_id))),
        key=lambda lv: -rules.TITLE_RANK.get(lv, 0))
    categories = sorted(set(session.scalars(select(TalentIntroduction.category_code).where(
        TalentIntroduction.person_id == person_id))))
    return Credentials(person_id, levels, titles, categories)
