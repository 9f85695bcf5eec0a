"""Labour relations (劳动关系): labour disputes in arbitration, labour-inspection
complaints, labour contracts and the signing rate, tripartite coordination bodies."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.labour import api, indicators, models, pages
from minsheng.hrss.labour.service import complaints, disputes
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security.history import HistorySource
from minsheng.platform.web.templating import NavItem


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """The person's contracts, disputes and complaints (audited by their ids)."""
    return [
        ("labour_contract", session.scalars(select(models.LabourContract.id)
                                            .where(models.LabourContract.person_id == person_id))),
        ("labour_dispute", session.scalars(
            select(models.LabourDispute.id)
            .where(models.LabourDispute.applicant_person_id == person_id))),
        ("labour_complaint", session.scalars(
            select(models.InspectionComplaint.id)
            .where(models.InspectionComplaint.complainant_person_id == person_id))),
    ]


_DISPUTE = {"apply": "申请劳动争议仲裁", "accept": "劳动争议仲裁受理决定",
            "mediate": "劳动争议调解", "mediation_failed": "劳动争议调解不成",
            "extend": "延长劳动争议审理期限", "close": "劳动争议结案", "read": "查阅劳动争议案件"}
_COMPLAINT = {"file": "劳动保障监察投诉", "accept": "投诉受理决定", "extend": "延长投诉办理期限",
              "close": "投诉结案", "read": "查阅投诉案件"}
HISTORY = HistorySource(
    labels={"labour.contract_file": "劳动合同备案", "labour.contract_terminate": "劳动合同解除",
            **{f"labour.dispute_{a}": label for a, label in _DISPUTE.items()},
            **{f"labour.complaint_{a}": label for a, label in _COMPLAINT.items()}},
    fields={"case_no": "案件编号"}, subjects=person_subjects)

DOMAIN = Domain(
    name="labour", label="劳动关系", order=95, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("劳动关系", "/labour", "labour", "labour:read", order=95)],
    indicators=indicators.INDICATORS,
    work=[disputes.waiting_work, complaints.waiting_work],
    history=[HISTORY],
)
