"""Feedback JSON shapes. Dates are ISO ``YYYY-MM-DD``. The bounds here only keep
oversized input out; the precise limits (and their bilingual messages) are the rules'."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from minsheng.platform.types import Input, Version

Loose = Annotated[str, Field(max_length=4000)]


class FeedbackCreate(Input):
    kind: Annotated[str, Field(max_length=16, description="类别：inquiry/suggestion/"
                                                         "complaint/praise")]
    subject: Loose = Field(description="主题（2–60 字）")
    text: Loose = Field(description="内容（10–1000 字）")
    phone: Annotated[str, Field(max_length=40, description="联系电话（可不填）")] = ""


class ReplyCreate(Input):
    reply: Loose = Field(description="答复意见（5–1000 字）")
    version: Version | None = None


class FeedbackRead(BaseModel):
    id: int
    kind: str
    subject: str
    text: str
    state: str
    region: str
    submitter_kind: str
    submitter_name: str
    phone: str
    submitted_on: date
    due_on: date
    due_estimated: bool
    overdue: bool
    replied_on: date | None
    reply: str
    case_number: str | None = None
    version: int
