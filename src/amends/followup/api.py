"""JSON API of follow-up: the customer's survey answer (no login; the signed link is the credential)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from . import services

router = Router(tags=["follow-up"])


class SurveyIn(Schema):
    solved: bool | None = Field(None, description="Is the problem solved?")
    satisfaction: int | None = Field(None, description="Overall satisfaction, 1–5")
    reliability: int | None = Field(None, description="信度: promises kept, 1–5")
    responsiveness: int | None = Field(None, description="效度: speed, 1–5")
    competence: int | None = Field(None, description="精度: getting it right, 1–5")
    attitude: int | None = Field(None, description="态度: courtesy, 1–5")
    standards: int | None = Field(None, description="法度: fair and by the rules, 1–5")
    renew: int | None = Field(None, description="Intent to renew, 0–10")
    recommend: int | None = Field(None, description="Likelihood to recommend, 0–10")
    comment: str = Field("", max_length=5000)


@router.post("/surveys/{token}", response=dict, auth=None)
def answer_survey(request: HttpRequest, token: str, payload: SurveyIn) -> Any:
    """The customer's follow-up answer. 404 for a forged or unknown link, 403 `link_expired`, 409
    `survey_closed` once answered, 422 with the offending fields for an answer off its scale."""
    survey = services.survey_answer(token=token, answer=payload.dict())
    return {"status": survey.status, "answered_at": survey.answered_at}
