"""GET /api/v1/policies (政策文件库 with its six facets), policy detail and interpretations."""

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from gongkai.catalogue.richtext import sanitize_html
from gongkai.catalogue.selectors import public_items
from gongkai.policies import selectors as ps
from gongkai.policies.models import Interpretation

from ..errors import ErrorOut
from ..params import ObjectId, PageNumber, PageSize, Year
from .catalogue import (
    DEFAULT_PAGE_SIZE,
    InterpretationRef,
    ItemDetailOut,
    ItemOut,
    OrganisationRef,
    clamp_page,
    interpretation_ref,
    item_detail_dict,
    item_dict,
    item_queryset,
)

PREFIX = "/policies"
router = Router(tags=["政策文件库"])


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    active: bool


class FacetOut(Schema):
    key: str
    label: str
    values: list[FacetValueOut]


class PolicyPage(Schema):
    count: int
    page: int
    page_size: int
    facets: list[FacetOut]
    results: list[ItemOut]


class PolicyFilters(Schema):
    page: PageNumber = 1
    page_size: PageSize = DEFAULT_PAGE_SIZE
    scope: Literal["all", "normative", "repealed"] = "all"
    kind: list[str] = []
    org: list[ObjectId] = []
    org_code: list[str] = []
    year: list[Year] = []
    topic: list[ObjectId] = []
    audience: list[ObjectId] = []
    special: list[ObjectId] = []


class InterpretationOut(InterpretationRef):
    organisation: OrganisationRef
    interpreter: str
    body: str
    image_url: str | None
    image_alt: str
    video_url: str
    policies: list[ItemOut]


class InterpretationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InterpretationRef]


class InterpretationFilters(Schema):
    page: PageNumber = 1
    page_size: PageSize = DEFAULT_PAGE_SIZE
    form: str | None = None
    policy: ObjectId | None = None


@router.get(
    "",
    response={200: PolicyPage, 422: ErrorOut},
    summary="政策文件库",
    description=(
        "公开的政策文件（规章、行政规范性文件、其他政策文件），按发布日期倒序，附六个维度的"
        "分面计数（每个维度的计数应用其他维度的筛选条件）。筛选参数可重复（同一维度取并集，"
        "不同维度取交集）：kind（rule/normative/other），org（机构编号）或 org_code（机构代码），"
        "year（发布年份，1900–2100），"
        "topic（一级主题分类编号），audience（服务对象编号），special（专题专栏编号）。"
        "scope：all 全部，normative 行政规范性文件库（无文件类型维度，忽略 kind），"
        "repealed 废止失效文件。结果与网站政策文件库页面相同。"
    ),
)
def policy_list(request: HttpRequest, filters: Query[PolicyFilters]) -> dict[str, Any]:
    # The portal's library, asked the same question: the selector parses, filters and counts.
    library = ps.policy_library_query(
        {key: [str(v) for v in getattr(filters, key)] for key in ps.FACET_KEYS},
        scope=filters.scope,
        org_codes=filters.org_code,
    )
    page, page_size = clamp_page(filters.page, filters.page_size)
    start = (page - 1) * page_size
    rows = list(item_queryset(library.results)[start : start + page_size])
    return {
        "count": library.count,
        "page": page,
        "page_size": page_size,
        "facets": [
            {
                "key": f.key,
                "label": f.label,
                "values": [
                    {"value": v.value, "label": v.label, "count": v.count, "active": v.active}
                    for v in f.values
                ],
            }
            for f in library.facets
        ],
        "results": [item_dict(request, i) for i in rows],
    }


@router.get(
    "/interpretations",
    response={200: InterpretationPage, 422: ErrorOut},
    summary="政策解读列表",
    description="已发布的政策解读。筛选：form（text/graphic/video/qa），policy（政策编号）。",
)
def interpretation_list(
    request: HttpRequest, filters: Query[InterpretationFilters]
) -> dict[str, Any]:
    qs = ps.public_interpretations()
    if filters.form:
        qs = qs.filter(form=filters.form)
    if filters.policy is not None:
        qs = qs.filter(policies__in=public_items().filter(pk=filters.policy))
    qs = qs.order_by("-published_date", "-id")
    page, page_size = clamp_page(filters.page, filters.page_size)
    start = (page - 1) * page_size
    return {
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
        "results": [interpretation_ref(request, i) for i in qs[start : start + page_size]],
    }


@router.get(
    "/interpretations/{interpretation_id}",
    response={200: InterpretationOut, 404: ErrorOut, 422: ErrorOut},
    summary="政策解读详情",
)
def interpretation_detail(request: HttpRequest, interpretation_id: ObjectId) -> dict[str, Any]:
    obj: Interpretation = get_object_or_404(
        ps.public_interpretations().select_related("organisation"), pk=interpretation_id
    )
    policies = item_queryset(public_items().filter(interpretations=obj)).order_by(
        "-published_date", "-id"
    )
    data = interpretation_ref(request, obj)
    data.update(
        organisation={"code": obj.organisation.code, "name": obj.organisation.name},
        interpreter=obj.interpreter,
        body=sanitize_html(obj.body),
        image_url=request.build_absolute_uri(obj.image.url) if obj.image else None,
        image_alt=obj.image_alt,
        video_url=obj.video_url,
        policies=[item_dict(request, p) for p in policies],
    )
    return data


@router.get(
    "/{policy_id}",
    response={200: ItemDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="政策文件详情（含解读）",
)
def policy_detail(request: HttpRequest, policy_id: ObjectId) -> dict[str, Any]:
    item = get_object_or_404(item_queryset(ps.public_policies()), pk=policy_id)
    return item_detail_dict(request, item)
