"""Every mapped model, imported so that ``Base.metadata`` is complete (Alembic, tests)."""

from minsheng.hrss.cards.models import CardEvent, ECard, SocialSecurityCard
from minsheng.hrss.insurance.models import (
    AssessmentRun,
    Certificate,
    Contribution,
    ContributionRule,
    EmployerPayment,
    Enrolment,
    GovernmentPaymentRule,
    PersonDesignation,
    ResidentPensionGrade,
)
from minsheng.hrss.pension.models import (
    Certification,
    Overpayment,
    PayrollRun,
    PensionAward,
    PensionPayment,
    PensionRecipient,
    PensionSuspension,
    PensionUplift,
)
from minsheng.hrss.registry.models import Employer, Household, ImportJob, Person
from minsheng.platform.calendar.models import CalendarDay, CalendarYear
from minsheng.platform.db import Base
from minsheng.platform.security.models import AppSecret, AuditChainHead, AuditEvent, UserAccount

__all__ = [
    "AppSecret",
    "AssessmentRun",
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "CardEvent",
    "Certificate",
    "Certification",
    "Contribution",
    "ContributionRule",
    "ECard",
    "Employer",
    "EmployerPayment",
    "Enrolment",
    "GovernmentPaymentRule",
    "Household",
    "ImportJob",
    "Overpayment",
    "PayrollRun",
    "PensionAward",
    "PensionPayment",
    "PensionRecipient",
    "PensionSuspension",
    "PensionUplift",
    "Person",
    "PersonDesignation",
    "ResidentPensionGrade",
    "SocialSecurityCard",
    "UserAccount",
]
