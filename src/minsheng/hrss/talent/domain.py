"""Talent records (人才服务): vocational skill level certificates, professional titles,
scarce-talent introductions and talent events, skills-competition results, postdoctoral
stations and intake, and the counts of talent for the scorecard."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.talent import api, indicators, models, pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security.history import HistorySource
from minsheng.platform.web.templating import NavItem


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """The person's certificates, titles, introductions, competition results and
    postdoctoral intake (audited by their ids)."""
    kinds = (("skill_certificate", models.SkillCertificate),
             ("professional_title", models.ProfessionalTitle),
             ("talent_introduction", models.TalentIntroduction),
             ("skills_competition_result", models.CompetitionResult),
             ("postdoc_intake", models.PostdocIntake))
    return [(subject, session.scalars(select(model.id).where(model.person_id == person_id)))
            for subject, model in kinds]


HISTORY = HistorySource(
    labels={"talent.certificate_record": "登记职业技能等级证书",
            "talent.title_record": "登记专业技术职称",
            "talent.introduction_declare": "申报引进人才",
            "talent.competition_record": "登记技能竞赛成绩",
            "talent.postdoc_admit": "博士后进站"},
    subjects=person_subjects)

DOMAIN = Domain(
    name="talent", label="人才服务", order=100, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("人才服务", "/talent", "talent", "talent:read", order=100)],
    indicators=indicators.INDICATORS,
    history=[HISTORY],
)
