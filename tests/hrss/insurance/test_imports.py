"""增员 by upload: good rows enrolled, each bad row reported, nothing else written."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.imports import import_hires
from minsheng.hrss.insurance.models import Enrolment
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def _broken(resident_id: str) -> str:
    """The same number with a wrong check character."""
    return resident_id[:-1] + ("1" if resident_id[-1] != "1" else "2")


def _csv(rows: list[str]) -> bytes:
    return ("resident_id,start_month,declared_wage\n" + "\n".join(rows) + "\n").encode()


class TestImportHires:
    def test_good_rows_in_bad_rows_reported(self, session: Session) -> None:
        employer = f.employer(session, work_injury_risk_class=2)
        a, b, busy = f.person(session), f.person(session), f.person(session)
        f.enrolment(session, busy.id, "resident_pension", start_month="2019-01")
        content = _csv([
            f"{a.resident_id},2026-05,6500",          # 2 ok
            f"{b.resident_id},2026-13,6500",          # 3 bad month
            f"{f.resident_id()},2026-05,6500",        # 4 unknown person
            f"{busy.resident_id},2026-05,6500",       # 5 overlaps resident pension
            f"{_broken(b.resident_id)},2026-05,abc",  # 6 bad id and bad wage
            f"{a.resident_id},2026-06,7000",          # 7 duplicate of row 2
        ])
        before = session.scalar(select(func.count()).select_from(Enrolment))
        job = import_hires(session, SYSTEM, employer.id, "hires.csv", content)
        reported = {(e["row"], e["field"]) for e in json.loads(job.errors)}
        assert {(3, "start_month"), (4, "resident_id"), (5, "start_month"),
                (6, "declared_wage"), (7, "resident_id")} <= reported
        assert (6, "resident_id") in reported
        assert (job.inserted_rows, job.error_rows) == (1, 5)
        after = session.scalar(select(func.count()).select_from(Enrolment))
        assert after == (before or 0) + 3
        schemes = set(session.scalars(select(Enrolment.scheme).where(
            Enrolment.person_id == a.id, Enrolment.employer_id == employer.id)))
        assert schemes == {"employee_pension", "unemployment", "work_injury"}

    def test_uploading_twice_adds_nothing(self, session: Session) -> None:
        employer = f.employer(session, work_injury_risk_class=2)
        a = f.person(session)
        content = _csv([f"{a.resident_id},2026-05,6500"])
        assert import_hires(session, SYSTEM, employer.id, "h.csv", content).inserted_rows == 1
        again = import_hires(session, SYSTEM, employer.id, "h.csv", content)
        assert (again.inserted_rows, again.error_rows) == (0, 1)


class TestUploadApi:
    def test_employer_account_uploads(self, client: TestClient, session: Session) -> None:
        from minsheng.platform.security import service as security

        employer = f.employer(session, work_injury_risk_class=2)
        worker = f.person(session)
        account = security.add_user(session, actor=SYSTEM, username="hr-up", role="employer",
                                    password=f.PASSWORD, employer_id=employer.id)
        response = client.post(
            f"/api/v1/employers/{employer.id}/employees/upload",
            headers=f.login(client, security.principal_of(account)),
            files={"file": ("hires.csv", _csv([f"{worker.resident_id},2026-05,6500"]),
                            "text/csv")})
        assert response.status_code == 200, response.text
        assert response.json()["inserted_rows"] == 1
