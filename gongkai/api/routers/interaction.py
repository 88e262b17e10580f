"""政民互动: ``GET /api/v1/interaction/stats`` (the 留言办理情况统计, the same figures as
``gongkai interaction_stats`` and the statistics page) and ``POST /api/v1/interaction/messages``
(work orders dispatched by a 12345 / 接诉即办 platform, authenticated with the integration's
bearer token issued in the back office; idempotent by the platform's work-order id)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from gongkai.accounts.models import Organisation
from gongkai.interaction import selectors, services
from gongkai.interaction.models import Category, Channel

from ..errors import ErrorOut

PREFIX = "/interaction"
router = Router(tags=["政民互动"])


class Figures(Schema):
    received: int = Field(..., description="窗口内收到的留言数（按收到日期）")
    replied: int = Field(..., description="答复日期不晚于 to 的留言数")
    replied_on_time: int = Field(..., description="已答复且答复日期不晚于答复期限")
    open: int = Field(..., description="截至 to 未答复")
    open_overdue: int = Field(..., description="未答复且答复期限早于 to")


class StatsOut(Figures):
    by_channel: dict[str, Figures]
    by_category: dict[str, Figures]
    unanswered_over_3_months: list[str] = Field(
        ..., description="咨询类留言中，答复（截至 to 无答复则按 to）晚于收到日期加三个月的编号"
    )


class StatsQuery(Schema):
    org: str = Field(..., max_length=32, description="机构代码")
    date_from: date = Field(..., alias="from", description="起始日期（含）")
    date_to: date = Field(..., alias="to", description="截止日期（含）")
    scope: Literal["own", "all"] | None = Field(
        None, description="统计范围：own 本机关（默认），all 含下级机构"
    )
    format: Literal["json"] = "json"


@router.get(
    "/stats",
    response={200: StatsOut, 404: ErrorOut, 422: ErrorOut},
    summary="留言办理情况统计",
    auth=None,
)
def stats(request: HttpRequest, params: Query[StatsQuery]):
    organisation = get_object_or_404(Organisation, code=params.org)
    if params.date_to < params.date_from:
        return Status(422, {"detail": _("截止日期不能早于起始日期")})
    return selectors.interaction_stats(organisation, params.date_from, params.date_to, params.scope)


class IntegrationAuth(HttpBearer):
    """``Authorization: Bearer gk_<prefix>_<secret>`` — the token issued in the back office."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return selectors.integration_for_token(token)


class WorkOrderIn(Schema):
    work_order_id: str = Field(..., min_length=1, max_length=100, description="平台工单号")
    title: str = Field(..., min_length=1, max_length=200)
    content: str = Field(..., min_length=1, max_length=services.CONTENT_MAX)
    category: Category = Field(..., description="类别")
    channel: Channel | None = Field(None, description="渠道；省略时为对接的默认渠道")
    org_code: str | None = Field(
        None, max_length=32, description="承办机构代码；省略时为对接机构，须为对接机构或其下级"
    )
    received: datetime | None = Field(None, description="平台接件时间；省略时为现在")
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    wants_public: bool = False


class WorkOrderOut(Schema):
    reference: str
    work_order_id: str
    created: bool
    status: str
    organisation: str
    due_date: date | None
    resolution_due_date: date | None


def _target(integration: Any, org_code: str | None) -> Organisation | None:
    if not org_code:
        return integration.organisation
    allowed = selectors.scope_organisation_ids(integration.organisation, selectors.SCOPE_ALL)
    return Organisation.objects.filter(code=org_code, pk__in=allowed).first()


@router.post(
    "/messages",
    response={200: WorkOrderOut, 201: WorkOrderOut, 401: ErrorOut, 422: ErrorOut},
    summary="接收平台派发的工单（按工单号幂等）",
    auth=IntegrationAuth(),
)
def receive_work_order(request: HttpRequest, payload: WorkOrderIn):
    integration = request.auth  # type: ignore[attr-defined]  # ninja sets auth on the request
    organisation = _target(integration, payload.org_code)
    if organisation is None:
        return Status(422, {"detail": _("承办机构代码不存在或不属于本平台对接的机构")})
    received = payload.received or timezone.now()
    if timezone.is_naive(received):
        received = timezone.make_aware(received)
    if received > timezone.now():
        return Status(422, {"detail": _("接件时间不能晚于现在")})
    data = payload.dict()
    data.update(
        organisation=organisation,
        category=str(payload.category),
        channel=str(payload.channel) if payload.channel else "",
    )
    try:
        message, created = services.message_receive_work_order(
            integration=integration, data=data, received_at=received
        )
    except DjangoValidationError as exc:
        return Status(422, {"detail": "；".join(str(m) for m in exc.messages)})
    return Status(
        201 if created else 200,
        {
            "reference": message.reference,
            "work_order_id": message.work_order_id,
            "created": created,
            "status": message.status,
            "organisation": message.organisation.code,
            "due_date": message.due_date,
            "resolution_due_date": message.resolution_due_date,
        },
    )
