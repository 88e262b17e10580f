"""GET /api/v1/search — full-text search over everything public, with facets and snippets."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema

from gongkai.search.forms import parse_query
from gongkai.search.selectors import FACET_TITLES, MAX_PAGE_SIZE, PAGE_SIZE, run_search

from ..errors import ErrorOut

PREFIX = "/search"
router = Router(tags=["搜索"])


class FacetBucket(Schema):
    value: str | int
    label: str
    count: int
    selected: bool


class SearchHit(Schema):
    id: int
    external_id: str | None
    type: str
    type_label: str
    title: str
    doc_number: str
    url: str
    snippet: str
    published: str | None
    score: float
    validity: str
    validity_label: str
    inactive: bool


class SearchOut(Schema):
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetBucket]]
    facet_titles: dict[str, str]
    facets_approximate: bool
    total_approximate: bool
    hits: list[SearchHit]
    exact_url: str | None
    errors: list[str]


@router.get(
    "",
    response={200: SearchOut, 422: ErrorOut},
    summary="全文检索",
    description=(
        "检索公开的政府信息、政策文件、政策解读和政策问答。参数：q（关键词或文号），page，"
        "page_size（最多 50），sort（relevance/date），筛选：type, policy_kind, org, year, "
        "topic, audience, special, validity（可重复或逗号分隔），date_from, date_to（YYYY-MM-DD）。"
        "snippet 为已转义的 HTML，匹配处以 <mark> 标出。检索词非常常见（候选文档超过 2.5 万）时，"
        "总数和分面计数为抽样估算值（total_approximate、facets_approximate 为 true），"
        "按相关度排序时，相关度最高的至多 300 条按相关度排列，"
        "其后的命中按发布日期从新到旧（score 为 0）。"
    ),
)
def search(request: HttpRequest, page_size: int = PAGE_SIZE) -> JsonResponse:
    parsed = parse_query(request.GET)
    result = run_search(
        user=request.user,
        staff_scope=False,
        page_size=max(1, min(page_size, MAX_PAGE_SIZE)),
        **parsed.as_kwargs(),
    )
    # Built from our own typed values; returned directly so large pages skip re-validation.
    data: dict[str, Any] = {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "facets": {
            name: [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                for v in values
            ]
            for name, values in result.facets.items()
        },
        "facet_titles": {name: str(title) for name, title in FACET_TITLES.items()},
        "facets_approximate": result.facets_approximate,
        "total_approximate": result.total_approximate,
        "hits": result.hits,
        "exact_url": result.exact_url or None,
        "errors": parsed.errors,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
