"""Talent-records JSON API: skill certificates, professional titles, scarce-talent
introductions and talent events, skills-competition results, postdoctoral stations and
intake, the talent counts and the bulk import."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, UploadFile

from minsheng.hrss.talent import rules
from minsheng.hrss.talent.models import (
    CompetitionResult,
    PostdocIntake,
    PostdocStation,
    ProfessionalTitle,
    SkillCertificate,
    TalentEvent,
    TalentIntroduction,
)
from minsheng.hrss.talent.schemas import (
    CompetitionResultCreate,
    CompetitionResultRead,
    EventCreate,
    EventRead,
    IntakeCreate,
    IntakeRead,
    IntroductionCreate,
    IntroductionRead,
    LevelCount,
    SkillCertificateCreate,
    SkillCertificateRead,
    StationCreate,
    StationRead,
    TalentCountsRead,
    TitleCreate,
    TitleRead,
)
from minsheng.hrss.talent.service import counts, introductions, postdoc, records, uploads
from minsheng.platform import imports
from minsheng.platform import uploads as upload_kit
from minsheng.platform.imports import ImportReport
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import RegionQuery, YearQuery
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/talent", tags=["talent"])
Reader = Annotated[Principal, Depends(require("talent:read"))]
Writer = Annotated[Principal, Depends(require("talent:write"))]
ImportKindPath = Annotated[Literal["skill-certificates", "titles"],
                           Path(description="导入类别")]


def _certificate(c: SkillCertificate) -> SkillCertificateRead:
    return SkillCertificateRead(
        id=c.id, certificate_no=c.certificate_no, person_id=c.person_id, region=c.region,
        occupation_code=c.occupation_code, level=c.level,
        level_label=rules.skill_level_label(c.level), issuing_body=c.issuing_body,
        issued_on=c.issued_on)


def _title(t: ProfessionalTitle) -> TitleRead:
    return TitleRead(id=t.id, certificate_no=t.certificate_no, person_id=t.person_id,
                     region=t.region, series=t.series, level=t.level,
                     level_label=rules.TITLE_LEVEL_LABELS[t.level],
                     issuing_body=t.issuing_body, granted_on=t.granted_on)


@router.post("/skill-certificates", status_code=201, response_model=SkillCertificateRead)
def record_certificate(data: SkillCertificateCreate, session: SessionDep,
                       actor: Writer) -> SkillCertificateRead:
    """登记职业技能等级证书 (level 1 高级技师 … 5 初级工)."""
    return _certificate(records.record_certificate(session, actor, data))


@router.post("/titles", status_code=201, response_model=TitleRead)
def record_title(data: TitleCreate, session: SessionDep, actor: Writer) -> TitleRead:
    """登记职称 (初级、中级、副高级、正高级, by series)."""
    return _title(records.record_title(session, actor, data))


@router.post("/introductions", status_code=201, response_model=IntroductionRead)
def declare_introduction(data: IntroductionCreate, session: SessionDep,
                         actor: CurrentUser) -> IntroductionRead:
    """申报引进优秀紧缺人才: the employer for its own talent, or staff of the region."""
    found: TalentIntroduction = introductions.declare(session, actor, data)
    names = introductions.category_names(session)
    return IntroductionRead(
        id=found.id, person_id=found.person_id, employer_id=found.employer_id,
        region=found.region, category_code=found.category_code,
        category_name=names.get(found.category_code, ""), introduced_on=found.introduced_on,
        event_id=found.event_id, project_name=found.project_name)


def _event(e: TalentEvent, talents: int) -> EventRead:
    return EventRead(id=e.id, name=e.name, region=e.region, held_on=e.held_on,
                     projects_signed=e.projects_signed, talents=talents)


@router.post("/events", status_code=201, response_model=EventRead)
def create_event(data: EventCreate, session: SessionDep, actor: Writer) -> EventRead:
    """登记人才活动 (重庆英才大会 …) with the projects signed."""
    return _event(introductions.create_event(session, actor, data), 0)


@router.get("/events", response_model=list[EventRead])
def list_events(session: SessionDep, actor: Reader) -> list[EventRead]:
    """Talent events with the introduced talents tied to each (of the caller's region)."""
    return [_event(e, n) for e, n in introductions.events(session, actor)]


@router.post("/competition-results", status_code=201, response_model=CompetitionResultRead)
def record_result(data: CompetitionResultCreate, session: SessionDep,
                  actor: Writer) -> CompetitionResultRead:
    """登记技能大赛成绩 (金牌、银牌、铜牌、优胜奖)."""
    r: CompetitionResult = postdoc.record_result(session, actor, data)
    return CompetitionResultRead(id=r.id, competition=r.competition, held_on=r.held_on,
                                 trade=r.trade, person_id=r.person_id, region=r.region,
                                 award=r.award)


@router.post("/postdoc-stations", status_code=201, response_model=StationRead)
def add_station(data: StationCreate, session: SessionDep, actor: Writer) -> StationRead:
    s: PostdocStation = postdoc.add_station(session, actor, data)
    return StationRead(id=s.id, name=s.name, kind=s.kind, region=s.region,
                       established_on=s.established_on)


@router.post("/postdoc-intakes", status_code=201, response_model=IntakeRead)
def admit(data: IntakeCreate, session: SessionDep, actor: Writer) -> IntakeRead:
    """博士后进站."""
    i: PostdocIntake = postdoc.admit(session, actor, data)
    return IntakeRead(id=i.id, station_id=i.station_id, person_id=i.person_id,
                      region=i.region, entered_on=i.entered_on, left_on=i.left_on)


@router.get("/counts", response_model=TalentCountsRead)
def talent_counts(session: SessionDep, actor: Reader, region: RegionQuery = "",
                  year: YearQuery | None = None) -> TalentCountsRead:
    """技能人才 and 专技人才 (people, each once at their highest level) at the year's end,
    introductions and postdoctoral intake in the year, of the caller's region or a part."""
    found = counts.talent_counts(session, actor, region=region, year=year)
    return TalentCountsRead(
        region=found.region, year=found.year, skilled=found.skilled,
        skilled_by_level=[LevelCount(level=str(lv), label=rules.SKILL_LEVEL_LABELS[lv],
                                     people=n) for lv, n in found.skilled_by_level.items()],
        professional=found.professional,
        professional_by_level=[LevelCount(level=lv, label=rules.TITLE_LEVEL_LABELS[lv],
                                          people=n)
                               for lv, n in found.professional_by_level.items()],
        introductions=found.introductions, postdoc_intake=found.postdoc_intake)


@router.post("/imports/{kind}", response_model=ImportReport)
def import_records(kind: ImportKindPath, file: UploadFile, session: SessionDep,
                   actor: Writer) -> ImportReport:
    """批量导入 skill certificates or titles (.xlsx/.csv): all rows or none, with the
    report of every bad row."""
    content = upload_kit.read_limited(file.file, imports.MAX_IMPORT_BYTES)
    return uploads.import_records(session, actor, kind, file.filename or "upload", content)
