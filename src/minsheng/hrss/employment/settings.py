"""Employment-service settings (environment prefix ``MINSHENG_EMPLOYMENT_``).

Rules we could not confirm nationally are settings, not guesses (CONTRIBUTING "Rules").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmploymentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MINSHENG_EMPLOYMENT_", env_file=".env",
                                      extra="ignore")

    #: Days to place at least one member of a zero-employment household. No national
    #: time limit exists (hrss-rules §9 ✘); local practice sets one.
    zero_household_days: int = Field(default=30, ge=1, le=366)
    #: Which statutory retirement age ends a woman's working age when the records do not
    #: say whether she is a worker or a cadre (the 2024 decision; 50→55 or 55→58).
    female_retirement_category: Literal["female_worker", "female_cadre"] = "female_worker"
    #: Most results a match or search returns.
    match_limit: int = Field(default=20, ge=1, le=200)


@lru_cache
def get_employment_settings() -> EmploymentSettings:
    return EmploymentSettings()
