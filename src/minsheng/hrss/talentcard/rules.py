"""The talent service card (英才服务卡) as pure functions: the card's states and the steps
between them, its validity, which declared basis a tier accepts, and the service-level
deadline of a booked service in working days.

Sources: 重庆英才服务卡 is a municipal scheme (《重庆英才服务管理办法》 and the 重庆英才
计划 implementing rules). Its tiers (eligible categories, titles and skill levels, the
card's validity) and the service catalogue with each provider's deadline are dated data
kept in the rulebook (``models.TalentCardTier``, ``models.TalentServiceItem``) marked
with their ``source_status``, not constants here: we could not confirm their current
values (DESIGN.md: an unconfirmed rule is a setting).

Service deadlines count working days after the request date (the request day is not
counted, 民事诉讼法 art. 85 applied to administrative time limits; 重庆市政务服务 promise
periods are stated in working days), by the platform calendar: statutory holidays off,
make-up working days (调休) counted (``platform.workdays``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from minsheng.platform.workdays import Deadline, HolidayCalendar, add_workdays


class CardState(StrEnum):
    """申请、审核、发卡、续期、注销、到期."""

    APPLIED = "applied"      # 已申请，待审核
    APPROVED = "approved"    # 审核通过，待制卡
    REFUSED = "refused"      # 审核不通过
    ACTIVE = "active"        # 有效
    REVOKED = "revoked"      # 已注销
    EXPIRED = "expired"      # 已到期


STATE_LABELS = {
    CardState.APPLIED: "待审核", CardState.APPROVED: "审核通过待发卡",
    CardState.REFUSED: "审核不通过", CardState.ACTIVE: "有效",
    CardState.REVOKED: "已注销", CardState.EXPIRED: "已到期",
}


class CardAction(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"
    ISSUE = "issue"
    RENEW = "renew"
    REVOKE = "revoke"
    EXPIRE = "expire"


#: The legal steps: (from, action) → to. Renewal of an active card keeps it active; a
#: card that has expired may be renewed (its holder still qualifies); a revoked or
#: refused card is final — the person applies again.
_STEPS: dict[tuple[CardState, CardAction], CardState] = {
    (CardState.APPLIED, CardAction.APPROVE): CardState.APPROVED,
    (CardState.APPLIED, CardAction.REFUSE): CardState.REFUSED,
    (CardState.APPROVED, CardAction.ISSUE): CardState.ACTIVE,
    (CardState.ACTIVE, CardAction.RENEW): CardState.ACTIVE,
    (CardState.EXPIRED, CardAction.RENEW): CardState.ACTIVE,
    (CardState.ACTIVE, CardAction.REVOKE): CardState.REVOKED,
    (CardState.ACTIVE, CardAction.EXPIRE): CardState.EXPIRED,
}

#: States in which the person holds or is about to hold a card: a second application
#: is refused while one of these stands.
OPEN_STATES = frozenset({CardState.APPLIED, CardState.APPROVED, CardState.ACTIVE})


class StepRefused(ValueError):
    """The step is not allowed from the card's state."""


def card_step(state: CardState, action: CardAction) -> CardState:
    """The state after ``action``; :class:`StepRefused` when the scheme does not allow it
    (e.g. issuing a card not yet approved, renewing a revoked one)."""
    found = _STEPS.get((state, action))
    if found is None:
        raise StepRefused(f"{action} not allowed from {state}")
    return found


def effective_state(state: CardState, valid_until: date | None, today: date) -> CardState:
    """What the card is on ``today``: an active card past its last valid day has
    expired, whether or not the nightly ``expire`` job has flipped it yet."""
    if state is CardState.ACTIVE and valid_until is not None and today > valid_until:
        return CardState.EXPIRED
    return state


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February (民法典 art. 202: the corresponding day)
        return day.replace(year=day.year + years, day=28)


def valid_until(start: date, years: int) -> date:
    """The last valid day of a card valid ``years`` years from ``start``: the day before
    the same calendar day ``years`` later (issued 2026-03-02 for 3 years → valid to
    2029-03-01; a period in years ends the day before the corresponding day)."""
    if years < 1:
        raise ValueError("validity must be at least one year")
    return _years_after(start, years) - timedelta(days=1)


#: A card may be renewed from this many days before its last valid day (unconfirmed:
#: a setting of the scheme, kept here as the default the service uses).
RENEWAL_WINDOW_DAYS = 90


class RenewalRefused(ValueError):
    """Too early to renew: ``opens_on`` is the first day a renewal is accepted."""

    def __init__(self, opens_on: date) -> None:
        super().__init__(f"renewal opens on {opens_on}")
        self.opens_on = opens_on


def renewed_until(current_until: date, on: date, years: int) -> date:
    """The new last valid day of a card renewed on ``on``: a card still valid runs on
    from the day after its current last day; an expired card from the renewal day.
    Renewing more than :data:`RENEWAL_WINDOW_DAYS` days early is refused."""
    opens = current_until - timedelta(days=RENEWAL_WINDOW_DAYS)
    if on < opens:
        raise RenewalRefused(opens)
    start = current_until + timedelta(days=1) if on <= current_until else on
    return valid_until(start, years)


# --- eligibility ---------------------------------------------------------------------


class BasisKind(StrEnum):
    """What the application rests on: a declared talent category (引才目录类别), a
    professional title level (职称), or a vocational skill level (职业技能等级)."""

    CATEGORY = "category"
    TITLE = "title"
    SKILL_LEVEL = "skill_level"


BASIS_LABELS = {BasisKind.CATEGORY: "人才类别", BasisKind.TITLE: "专业技术职称",
                BasisKind.SKILL_LEVEL: "职业技能等级"}


def parse_bases(text: str) -> frozenset[tuple[BasisKind, str]]:
    """A tier's eligible bases as stored: ``"title:正高,skill_level:1,category:A"``.
    Unknown kinds or empty values are refused (ValueError): the data is checked when a
    tier is published, not guessed at when it is read."""
    found: set[tuple[BasisKind, str]] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        kind, sep, value = part.partition(":")
        if not sep or not value.strip():
            raise ValueError(f"bad basis {part!r}")
        found.add((BasisKind(kind.strip()), value.strip()))
    return frozenset(found)


def basis_accepted(bases: frozenset[tuple[BasisKind, str]], kind: BasisKind,
                   value: str) -> bool:
    """Whether a tier accepts a declared basis. A skill level names the level or a
    better one (1 = 高级技师 is the highest of the five levels of 国家职业技能标准); a
    title of 正高 satisfies a tier open to 副高; a category must match exactly."""
    value = value.strip()
    if kind is BasisKind.SKILL_LEVEL:
        if not value.isdigit():
            return False
        level = int(value)
        return any(k is BasisKind.SKILL_LEVEL and v.isdigit() and 1 <= level <= int(v)
                   for k, v in bases)
    if kind is BasisKind.TITLE:
        rank = TITLE_RANKS.get(value)
        if rank is None:
            return False
        return any(k is BasisKind.TITLE and TITLE_RANKS.get(v, 99) >= rank for k, v in bases)
    return (kind, value) in bases


def describe_bases(text: str) -> str:
    """The eligible bases in Chinese for pages and the rulebook: ``人才类别 A、B；专业技术
    职称 正高及以上；职业技能等级 一级/高级技师及以上``."""
    bases = parse_bases(text)
    parts = []
    categories = sorted(v for k, v in bases if k is BasisKind.CATEGORY)
    if categories:
        parts.append("人才类别 " + "、".join(categories))
    for value in sorted(v for k, v in bases if k is BasisKind.TITLE):
        parts.append(f"专业技术职称 {value}及以上")
    for value in sorted(v for k, v in bases if k is BasisKind.SKILL_LEVEL):
        parts.append(f"职业技能等级 {SKILL_LEVEL_LABELS.get(value, value)}及以上")
    return "；".join(parts)


#: Professional title levels (职称层级, 人社部 职称制度改革), best first.
TITLE_RANKS = {"正高": 1, "副高": 2, "中级": 3, "初级": 4}
SKILL_LEVEL_LABELS = {"1": "一级/高级技师", "2": "二级/技师", "3": "三级/高级工",
                      "4": "四级/中级工", "5": "五级/初级工"}


# --- services ----------------------------------------------------------------------


class BookingState(StrEnum):
    REQUESTED = "requested"  # 已预约，待办理
    DELIVERED = "delivered"  # 已办结


BOOKING_STATE_LABELS = {BookingState.REQUESTED: "办理中", BookingState.DELIVERED: "已办结"}


def service_due(requested_on: date, sla_workdays: int, cal: HolidayCalendar) -> Deadline:
    """The provider's deadline: the ``sla_workdays``-th working day after the request
    (the request day not counted; holidays skipped, make-up working days counted). With
    0 working days the service is due the same day, or the next working day."""
    return add_workdays(requested_on, sla_workdays, cal)


def is_overdue(state: BookingState, due_on: date, today: date) -> bool:
    """Not delivered and past its deadline."""
    return state is BookingState.REQUESTED and today > due_on


def delivered_on_time(due_on: date, delivered_on: date) -> bool:
    return delivered_on <= due_on


SATISFACTION_LABELS = {1: "很不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}


def valid_satisfaction(score: int) -> bool:
    """满意度评价 on the five-point scale of 政务服务“好差评” (国办发〔2019〕51号)."""
    return 1 <= score <= 5


#: The talent register's title levels (``hrss/talent``) as this domain names them.
TITLE_OF_RECORD = {"senior": "正高", "deputy_senior": "副高", "intermediate": "中级",
                   "junior": "初级"}


def basis_on_record(kind: BasisKind, value: str, *, skill_levels: Iterable[int],
                    titles: Iterable[str], categories: Iterable[str]) -> bool:
    """Whether the talent register holds what the applicant declared: a skill level of
    the declared level or better (1 = 高级技师 is the best), a title of the declared rank
    or higher, or an introduction under the declared category. The reviewer sees the
    result; a basis not on record asks for the original certificate (the register may
    not hold certificates issued before it or outside the city)."""
    value = value.strip()
    if kind is BasisKind.SKILL_LEVEL:
        return value.isdigit() and any(level <= int(value) for level in skill_levels)
    if kind is BasisKind.TITLE:
        wanted = TITLE_RANKS.get(value)
        return wanted is not None and any(
            TITLE_RANKS.get(TITLE_OF_RECORD.get(t, t), 99) <= wanted for t in titles)
    return value in set(categories)
