"""Settings, read once from the environment (prefix ``MINSHENG_``)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MINSHENG_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///minsheng.db"
    #: HMAC key for tokens and session cookies. Empty means: generate one per database
    #: (stored in the database by ``minsheng init``), fine for the demo.
    secret_key: str = ""
    token_ttl_minutes: int = Field(default=60 * 8, ge=1)
    #: Send the session cookie only over HTTPS (``Secure``); set it wherever the site is
    #: served over HTTPS, also behind a TLS-terminating proxy. Adds HSTS to every answer.
    cookie_secure: bool = False
    #: Wrong passwords for one account within the window before the account is locked.
    login_max_failures: int = Field(default=5, ge=1)
    #: Failed sign-ins from one client address within the window before the address is
    #: locked (higher: a bureau's counters may share one address behind NAT).
    login_max_failures_per_address: int = Field(default=30, ge=1)
    #: The window in which failed sign-ins are counted.
    login_failure_window_minutes: int = Field(default=15, ge=1)
    #: How long a lock-out lasts; 0 = until an administrator lifts it
    #: (``minsheng user unlock``).
    login_lockout_minutes: int = Field(default=30, ge=0)
    #: The node this database belongs to: prefixes business numbers (CQ..., SC...).
    node_id: str = Field(default="cq", pattern="^(cq|sc)$")
    #: Rows per batch in bulk imports and the synthetic-city generator.
    bulk_batch_rows: int = Field(default=20_000, ge=100)
    #: Roles that see full resident ID numbers in person details.
    full_id_roles: tuple[str, ...] = ("clerk", "case_officer", "reviewer")
    #: Days a temporary (oral) card loss report stays in force (local practice, ✘ no national rule).
    card_temporary_loss_days: int = Field(default=5, ge=1)
    #: Months divisor for retirement ages that are not whole years (✘ no national rule).
    pension_divisor_rule: Literal["floor", "interpolate"] = "floor"
    #: Transitional pension rate per deemed year (province sets it); 0 = not applied.
    pension_transitional_rate: Decimal = Field(default=Decimal("0"), ge=0, le=Decimal("0.05"))
    #: Personal-account interest on a year's own credits within that year: "none" (the
    #: credits of a year earn interest from the next year on) or "monthly" (each month's
    #: credit earns for the rest of its year); ✘ no national text found for the in-year part.
    pension_account_in_year_interest: Literal["none", "monthly"] = "none"
    #: Whether unused benefit months of a previous claim may be claimed after less than a
    #: year of new contributions: 失业保险金申领发放办法 art. 15 ("重新就业后不满一年再次
    #: 失业的，可以继续申领其前次失业应领取而尚未领取的失业保险金") ✔, so on.
    unemployment_carry_over_without_new_year: bool = True
    #: Minutes a scorecard figure may be served from its summary (``scorecard_snapshot``)
    #: after a change was audited since it was computed; 0 = always as of now (each change
    #: makes the next view recompute). A bureau that refreshes the summary on a schedule
    #: (``minsheng scorecard refresh``) sets the schedule's interval; pages then show the
    #: time the figures stand at (数据截至).
    scorecard_max_age_minutes: int = Field(default=0, ge=0)
    #: Which statutory retirement age a woman claiming unemployment benefit has when the
    #: claim does not say (2024 decision: 50→55 for female workers, 55→58 for cadres); the
    #: benefit is paid until that age when it would otherwise end less than a year before.
    unemployment_female_retirement_category: Literal["female_worker", "female_cadre"] = (
        "female_worker")
    #: The exchange between nodes (川渝通办): an envelope whose ``sent_at`` is further
    #: than this from the receiver's clock is refused (the replay window).
    exchange_window_seconds: int = Field(default=300, ge=5)
    #: Delivery retries back off exponentially from the base up to the cap.
    exchange_retry_base_seconds: float = Field(default=1.0, gt=0)
    exchange_retry_max_seconds: float = Field(default=300.0, gt=0)
    #: How often the delivery worker looks for due envelopes when idle.
    exchange_poll_seconds: float = Field(default=1.0, gt=0)
    #: Seconds to wait for a peer's answer to one delivery.
    exchange_timeout_seconds: float = Field(default=10.0, gt=0)
    #: How long a peer's rotated-out key still verifies (the overlap period).
    exchange_key_overlap_days: int = Field(default=7, ge=0)
    #: Threads a web worker runs blocking request work in (AnyIO's default is 40); keep
    #: it above the requests a worker takes at once (uvicorn ``--limit-concurrency``).
    web_threads: int = Field(default=400, ge=8, le=10_000)
    #: How often a thread of ``minsheng serve`` seals audit events left unsealed.
    audit_seal_seconds: float = Field(default=2.0, gt=0, le=3_600)
    #: PostgreSQL: each web worker process seals in one thread woken by every commit,
    #: instead of each request sealing after its own commit (``minsheng serve`` turns it
    #: on; off by default so that a request's events are sealed when it returns).
    audit_seal_in_background: bool = False
    #: How often an auditor verifies the audit chain (the workbench shows it as due
    #: this many days after the last verification). The bureau's own routine, not a law.
    audit_verify_days: int = Field(default=7, ge=1, le=366)
    #: How many days before a year starts its plan targets appear as work to do (they are
    #: due by 31 December). The bureau's own routine, not a law.
    scorecard_targets_lead_days: int = Field(default=92, ge=0, le=366)
    #: Deliver from the outbox in a thread of ``minsheng serve``.
    exchange_worker: bool = True
    #: Working days within which staff reply to a citizen's or employer's feedback
    #: (意见建议), the submission day not counted. The bureau's own service commitment.
    feedback_reply_working_days: int = Field(default=10, ge=1, le=60)


@lru_cache
def get_settings() -> Settings:
    return Settings()
