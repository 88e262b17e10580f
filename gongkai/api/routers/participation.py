"""政民互动（意见征集）: ``GET /api/v1/participation/consultations`` (published consultations,
open or closed, by organisation), ``GET /api/v1/participation/consultations/{id}`` (one
consultation with the counts of its published 意见采纳情况反馈) and
``GET /api/v1/participation/decisions`` (the published 重大行政决策事项目录 of a year). The same
selectors as the public pages, so the API never shows what the portal does not."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from gongkai.core.status import ContentStatus
from gongkai.participation import rules, selectors

from ..errors import ErrorOut
from ..params import ObjectId, PageNumber, PageSize, Year
from .catalogue import DEFAULT_PAGE_SIZE, OrganisationRef, clamp_page

PREFIX = "/participation"
router = Router(tags=["意见征集"])


class ConsultationOut(Schema):
    id: int
    title: str
    kind: str = Field(..., description="文件类型：major_decision/market_entity/normative/other")
    organisation: OrganisationRef
    opens_on: date
    closes_on: date
    state: str = Field(..., description="征集状态：not_open 未开始，open 正在征集，closed 已截止")
    days_left: int = Field(..., description="剩余可提交意见的天数（含今天，中国时间）")
    feedback_published: bool = Field(..., description="是否已公开意见采纳情况反馈")
    url: str


class ConsultationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ConsultationOut]


class ConsultationFilters(Schema):
    page: PageNumber = 1
    page_size: PageSize = DEFAULT_PAGE_SIZE
    state: Literal["open", "closed"] | None = Field(
        None, description="open 正在征集，closed 已截止；省略时为全部"
    )
    org: str | None = Field(None, max_length=32, description="征集机构代码")


class NonAdoptionOut(Schema):
    title: str
    disposition: str
    reason: str


class FeedbackOut(Schema):
    title: str
    published_date: date | None
    counts: dict[str, int] = Field(
        ...,
        description="按处理结果统计的意见条数：adopted/partly/not_adopted/already/other；total",
    )
    non_adoption: list[NonAdoptionOut] = Field(..., description="未采纳或部分采纳的意见及理由")


class ConsultationDetailOut(ConsultationOut):
    target_group: str
    draft_text: str
    explanation: str
    shortened_reason: str
    questions: list[str]
    feedback: FeedbackOut | None = Field(..., description="已公开的意见采纳情况反馈，未公开为 null")


class StageOut(Schema):
    stage: str
    label: str
    state: str
    started_on: date | None
    finished_on: date | None


class DecisionOut(Schema):
    number: int
    title: str
    owner: OrganisationRef
    legal_basis: str
    planned_time: str
    stages: list[StageOut] = Field(..., description="决策程序环节，按法定顺序")


class DirectoryOut(Schema):
    organisation: OrganisationRef
    year: int
    published_date: date | None
    decisions: list[DecisionOut]


class DirectoryFilters(Schema):
    year: Year | None = Field(None, description="年度（1900–2100）；省略时为已公布的最近年度")


def _org(o: Any) -> dict[str, str]:
    return {"code": o.code, "name": o.name}


def _consultation(c: Any, now: Any) -> dict[str, Any]:
    # public_consultations joins the feedback: no query per row.
    feedback = getattr(c, "feedback", None)
    if feedback is not None and feedback.status != ContentStatus.PUBLISHED:
        feedback = None
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "organisation": _org(c.organisation),
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "state": rules.window_state(now, c.opens_on, c.closes_on, c.closed_at),
        "days_left": rules.days_left(now, c.closes_on),
        "feedback_published": feedback is not None,
        "url": f"/participation/consultations/{c.pk}/",
    }


@router.get(
    "/consultations",
    response={200: ConsultationPage, 422: ErrorOut},
    summary="意见征集列表",
    description=(
        "已发布的意见征集，按开始日期倒序。state：open 正在征集、closed 已截止（中国时间）；"
        "org：征集机构代码。page_size 大于 100 时按 100 计。"
    ),
    auth=None,
)
def consultation_list(request: HttpRequest, filters: Query[ConsultationFilters]) -> dict[str, Any]:
    now = timezone.now()
    qs = selectors.public_consultations(state=filters.state or "", now=now)
    if filters.org:
        qs = qs.filter(organisation__code=filters.org)
    page, page_size = clamp_page(filters.page, filters.page_size)
    start = (page - 1) * page_size
    return {
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
        "results": [_consultation(c, now) for c in qs[start : start + page_size]],
    }


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="意见征集详情及采纳情况",
    description="一件已发布的意见征集：征求意见稿、起草说明、征求的问题，以及已公开的意见采纳情况反馈的统计。",
    auth=None,
)
def consultation_detail(request: HttpRequest, consultation_id: ObjectId) -> dict[str, Any]:
    now = timezone.now()
    c = get_object_or_404(selectors.public_consultations(now=now), pk=consultation_id)
    feedback = selectors.published_feedback(c)
    data = _consultation(c, now)
    data.update(
        target_group=c.target_group,
        draft_text=c.draft_text,
        explanation=c.explanation,
        shortened_reason=c.shortened_reason,
        questions=[q.text for q in c.questions.order_by("number")],
        feedback=None
        if feedback is None
        else {
            "title": feedback.title,
            "published_date": feedback.published_date,
            "counts": {k: int(v) for k, v in (feedback.counts or {}).items()},
            "non_adoption": [
                {
                    "title": r.get("title", ""),
                    "disposition": r.get("disposition", ""),
                    "reason": r.get("reason", ""),
                }
                for r in feedback.non_adoption or []
            ],
        },
    )
    return data


@router.get(
    "/decisions",
    response={200: list[DirectoryOut], 422: ErrorOut},
    summary="重大行政决策事项目录",
    description="已公布的重大行政决策事项目录（按年度），每个事项附决策程序各环节的状态。",
    auth=None,
)
def directory(request: HttpRequest, filters: Query[DirectoryFilters]) -> list[dict[str, Any]]:
    year = filters.year
    if year is None:
        years = selectors.directory_years()
        if not years:
            return []
        year = years[0]
    result = []
    for d in selectors.public_directories(year):
        decisions = []
        for x in selectors.directory_decisions(d).filter(removed=False):
            stages = sorted(x.stages.all(), key=lambda s: s.position)
            decisions.append(
                {
                    "number": x.number,
                    "title": x.title,
                    "owner": _org(x.owner),
                    "legal_basis": x.legal_basis,
                    "planned_time": x.planned_time,
                    "stages": [
                        {
                            "stage": s.stage,
                            "label": str(rules.STAGE_LABELS.get(s.stage, s.stage)),
                            "state": s.state,
                            "started_on": s.started_on,
                            "finished_on": s.finished_on,
                        }
                        for s in stages
                    ],
                }
            )
        result.append(
            {
                "organisation": _org(d.organisation),
                "year": d.year,
                "published_date": d.published_date,
                "decisions": decisions,
            }
        )
    return result
