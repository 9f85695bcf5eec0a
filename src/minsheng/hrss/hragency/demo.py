"""Demo data for HR service agencies: sixty licensed agencies (one statement; those of
渝中区 and 涪陵区 first, where the demo clerks work), one
revoked and a few expired, annual reports for 2020 to last year (one statement per year;
one agency in six has not reported on last year, one in nine reported late), and the
demo employer licensed with last year's report still to file. Runs once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.hragency.models import AgencyLicence
from minsheng.hrss.hragency.schemas import LicenceCreate
from minsheng.hrss.hragency.service import register
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.security.principal import SYSTEM

AGENCIES = 60
FIRST_YEAR = 2020


def seed_demo_agencies(factory: sessionmaker[Session], employer_id: int | None = None) -> int:
    """Load the demo; returns the number of licences made (0 when present)."""
    with unit_of_work(factory) as session:
        if session.scalar(select(func.count()).select_from(AgencyLicence)):
            return 0
        now = utcnow()
        session.execute(text(
            "INSERT INTO hr_agency_licence (licence_no, employer_id, region, scope, issued_on, "
            "valid_until, state, revoked_on, revoke_reason, version, created_at, updated_at) "
            "SELECT 'RS' || e.region || '-' || CAST(e.id AS VARCHAR(12)), e.id, e.region, "
            "CASE e.id % 3 WHEN 0 THEN 'information,job_intermediary' "
            "  WHEN 1 THEN 'consulting,job_intermediary,training' "
            "  ELSE 'headhunting,job_intermediary,outsourcing' END, "
            "CASE e.id % 4 WHEN 0 THEN :i0 WHEN 1 THEN :i1 WHEN 2 THEN :i2 ELSE :i3 END, "
            "CASE WHEN e.id % 13 = 0 THEN :expired ELSE :until END, "
            "CASE WHEN e.id % 17 = 0 THEN 'revoked' ELSE 'valid' END, "
            "CASE WHEN e.id % 17 = 0 THEN :revoked END, "
            "CASE WHEN e.id % 17 = 0 THEN '以欺骗手段取得许可' ELSE '' END, 1, :now, :now "
            "FROM employer e WHERE e.id IN (SELECT id FROM employer "
            "  WHERE (:demo IS NULL OR id <> :demo) "
            "  ORDER BY CASE WHEN region IN ('500103', '500102') THEN 0 ELSE 1 END, id "
            "  LIMIT :n)"),
            {"i0": date(2016, 5, 10), "i1": date(2018, 9, 3), "i2": date(2019, 11, 20),
             "i3": date(2021, 3, 15), "expired": date(2024, 6, 30),
             "until": date(2030, 12, 31), "revoked": date(2025, 5, 1), "now": now,
             "demo": employer_id, "n": AGENCIES})
        last = date.today().year - 1
        for year in range(FIRST_YEAR, last + 1):
            session.execute(text(
                "INSERT INTO hr_agency_report (licence_id, year, revenue_fen, placements, "
                "training_sessions, training_people, filed_on, filed_by, version, "
                "created_at, updated_at) "
                "SELECT l.id, :year, (l.id % 37 + 3) * 4567800 + :year * 100, "
                "l.id % 90 + 20, l.id % 12 + 1, (l.id % 12 + 1) * 35, "
                "CASE WHEN l.id % 9 = 0 THEN :late ELSE :on_time END, '演示数据', 1, :now, :now "
                "FROM hr_agency_licence l "
                "WHERE l.issued_on <= :last_day AND l.valid_until >= :first_day "
                "  AND (l.revoked_on IS NULL OR l.revoked_on >= :first_day) "
                "  AND NOT (:year = :final AND l.id % 6 = 0)"),
                {"year": year, "late": date(year + 1, 4, 20), "on_time": date(year + 1, 3, 15),
                 "last_day": date(year, 12, 31), "first_day": date(year, 1, 1), "now": now,
                 "final": last})
        made = session.scalar(select(func.count()).select_from(AgencyLicence)) or 0
        if employer_id is not None:
            register(session, SYSTEM, LicenceCreate(
                licence_no="渝人社服许（演示）0001号", employer_id=employer_id,
                scope=["job_intermediary", "training"], issued_on=date(last, 1, 2),
                valid_until=date(last + 5, 1, 1)))
            made += 1
        return made
