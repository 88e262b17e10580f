"""GET /api/v1/items and /api/v1/items/{id}: public government information (read-only).

Only ``catalogue.selectors.public_items()`` is ever read, so 依申请公开, 不予公开 and
unpublished items do not exist for the API (404), the same as on the portal.
"""

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema

from gongkai.catalogue.models import Column, InformationItem, PolicyKind
from gongkai.catalogue.richtext import sanitize_html
from gongkai.catalogue.selectors import public_items
from gongkai.policies.selectors import public_interpretations

from ..errors import ErrorOut
from ..params import ObjectId, PageNumber, PageSize, Year

PREFIX = "/items"
router = Router(tags=["政府信息"])

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_KEYWORD_SPLIT = re.compile(r"[,，;；、\s]+")


class OrganisationRef(Schema):
    code: str
    name: str


class TopicRef(Schema):
    id: int
    name: str
    path: str  # "一级\二级" as shown on gov.cn pages


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    url: str


class InterpretationRef(Schema):
    id: int
    title: str
    form: str
    form_label: str
    published_date: str | None
    url: str


class ItemOut(Schema):
    id: int
    external_id: str | None
    index_number: str
    title: str
    doc_number: str
    organisation: OrganisationRef
    written_date: str | None
    published_date: str | None
    topic: TopicRef | None
    genre: str
    genre_label: str
    audiences: list[str]
    keywords: list[str]
    summary: str
    validity: str
    validity_label: str
    validity_date: str | None
    replaced_by: int | None
    policy_kind: str
    policy_kind_label: str
    url: str
    attachments: list[AttachmentOut]


class ItemDetailOut(ItemOut):
    body: str
    interpretations: list[InterpretationRef]


class ItemPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ItemOut]


class ItemFilters(Schema):
    page: PageNumber = 1
    page_size: PageSize = DEFAULT_PAGE_SIZE
    org: str | None = None
    topic: ObjectId | None = None
    audience: ObjectId | None = None
    policy_kind: str | None = None
    year: Year | None = None
    validity: str | None = None
    column: str | None = None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def item_queryset(qs: QuerySet[InformationItem]) -> QuerySet[InformationItem]:
    """Everything a serialised item needs in a fixed number of queries (no N+1)."""
    return qs.select_related(
        "organisation", "topic", "topic__parent", "replaced_by"
    ).prefetch_related("audiences", "attachments")


def interpretation_ref(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "title": obj.title,
        "form": obj.form,
        "form_label": str(obj.get_form_display()),
        "published_date": _iso(obj.published_date),
        "url": request.build_absolute_uri(reverse("portal:interpretation_detail", args=[obj.pk])),
    }


def item_dict(request: HttpRequest, item: InformationItem) -> dict[str, Any]:
    topic = None
    if item.topic is not None:
        topic = {"id": item.topic.pk, "name": item.topic.name, "path": str(item.topic)}
    replaced = item.replaced_by
    return {
        "id": item.pk,
        "external_id": item.external_id,
        "index_number": item.index_number,
        "title": item.title,
        "doc_number": item.doc_number,
        "organisation": {"code": item.organisation.code, "name": item.organisation.name},
        "written_date": _iso(item.written_date),
        "published_date": _iso(item.published_date),
        "topic": topic,
        "genre": item.genre,
        "genre_label": str(item.get_genre_display()) if item.genre else "",
        "audiences": [a.name for a in item.audiences.all()],
        "keywords": [k for k in _KEYWORD_SPLIT.split(item.keywords or "") if k],
        "summary": item.summary,
        "validity": item.validity,
        "validity_label": str(item.get_validity_display()),
        "validity_date": _iso(item.validity_date),
        # A replacing item that is not public is not even hinted at.
        "replaced_by": replaced.pk if replaced is not None and replaced.is_public else None,
        "policy_kind": item.policy_kind,
        "policy_kind_label": str(item.get_policy_kind_display()) if item.policy_kind else "",
        "url": request.build_absolute_uri(reverse("portal:item_detail", args=[item.pk])),
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "kind": a.file_kind,
                "size": a.size,
                "url": request.build_absolute_uri(
                    reverse("portal:attachment_download", args=[a.pk])
                ),
            }
            for a in item.attachments.all()
        ],
    }


def item_detail_dict(request: HttpRequest, item: InformationItem) -> dict[str, Any]:
    data = item_dict(request, item)
    data["body"] = sanitize_html(item.body)
    data["interpretations"] = [
        interpretation_ref(request, i)
        for i in public_interpretations().filter(policies=item).order_by("-published_date", "-id")
    ]
    return data


def clamp_page(page: int, page_size: int) -> tuple[int, int]:
    return max(1, page), max(1, min(page_size, MAX_PAGE_SIZE))


def paged(
    request: HttpRequest, qs: QuerySet[InformationItem], page: int, page_size: int
) -> dict[str, Any]:
    page, page_size = clamp_page(page, page_size)
    start = (page - 1) * page_size
    rows = list(item_queryset(qs)[start : start + page_size])
    return {
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
        "results": [item_dict(request, i) for i in rows],
    }


@router.get(
    "",
    response={200: ItemPage, 422: ErrorOut},
    summary="政府信息列表",
    description=(
        "公开的政府信息（主动公开且已发布），按发布日期倒序。分页：page（从 1 开始），"
        "page_size（最多 100）。筛选：org（机构代码），topic（主题分类编号，一级分类含其二级），"
        "audience（服务对象编号），policy_kind（rule/normative/other），year（发布年份），"
        "validity（valid/expired/repealed/amended），column（栏目标识）。"
    ),
)
def item_list(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, Any]:
    qs = public_items()
    if filters.org:
        qs = qs.filter(organisation__code=filters.org)
    if filters.topic is not None:
        qs = qs.filter(Q(topic_id=filters.topic) | Q(topic__parent_id=filters.topic))
    if filters.audience is not None:
        qs = qs.filter(
            id__in=InformationItem.audiences.through.objects.filter(
                audience_id=filters.audience
            ).values("informationitem_id")
        )
    if filters.policy_kind:
        if filters.policy_kind not in PolicyKind.values:
            qs = qs.none()
        else:
            qs = qs.filter(policy_kind=filters.policy_kind)
    if filters.year is not None:
        qs = qs.filter(published_date__year=filters.year)
    if filters.validity:
        qs = qs.filter(validity=filters.validity)
    if filters.column:
        column = Column.objects.filter(slug=filters.column, is_active=True).first()
        qs = qs.filter(columns=column) if column is not None else qs.none()
    return paged(request, qs.order_by("-published_date", "-id"), filters.page, filters.page_size)


@router.get(
    "/{item_id}",
    response={200: ItemDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="政府信息详情",
)
def item_detail(request: HttpRequest, item_id: ObjectId) -> dict[str, Any]:
    item = get_object_or_404(item_queryset(public_items()), pk=item_id)
    return item_detail_dict(request, item)
