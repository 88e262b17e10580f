"""Public catalogue pages: item pages, the 政府信息公开专栏 (2+4+1), 机构职能目录, columns."""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from gongkai.accounts.guide import ogi_office_contacts
from gongkai.accounts.models import InternalUnit, Organisation
from gongkai.accounts.selectors import organisation_tree
from gongkai.catalogue.models import Column, InformationItem, Page, TopicCategory
from gongkai.catalogue.richtext import sanitize_html
from gongkai.catalogue.selectors import column_items, public_items, validity_banner
from gongkai.core.params import bounded_int
from gongkai.reports.selectors import published_reports_by_year

from .selectors import item_page_item, item_page_lists
from .views_policies import paginate


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = item_page_item(pk)
    if not found:
        raise Http404
    item = found[0]
    # Replaced items, 原文 and 附件, 解读, 问答, columns and 服务对象: one query (selectors).
    lists = item_page_lists(item)
    for entry in lists["qa_entries"]:
        entry.answer_html = sanitize_html(entry.answer)
    return render(
        request,
        "portal/catalogue/item_detail.html",
        {
            "item": item,
            "body_html": sanitize_html(item.body),
            # The banner links to the replacing/amending item only when the public may open it.
            "banner": validity_banner(item),
            # The 原文 (PDF/OFD as issued) is offered beside the web text; the rest stay 附件.
            **lists,
        },
    )


def _top_topic_counts(qs) -> list[dict]:
    return list(
        qs.order_by()
        .filter(topic__isnull=False)
        .annotate(
            top=Coalesce("topic__parent_id", "topic_id"),
            top_name=Coalesce("topic__parent__name", "topic__name"),
            top_order=Coalesce("topic__parent__sort_order", "topic__sort_order"),
        )
        .values("top", "top_name", "top_order")
        .annotate(n=Count("id"))
        .order_by("top_order", "top")
    )


def zfxxgk_index(request: HttpRequest) -> HttpResponse:
    """政府信息公开专栏 "2+4+1": 主动公开内容, 政策; 指南, 制度, 年报, 依申请; 机构职能."""
    org_counts = dict(
        public_items().order_by().values_list("organisation_id").annotate(n=Count("id"))
    )
    tree = [(org, depth, org_counts.get(org.pk, 0)) for org, depth in organisation_tree()]
    return render(
        request,
        "portal/catalogue/zfxxgk_index.html",
        {"tree": tree, "topics": _top_topic_counts(public_items())},
    )


def zfxxgk_org(request: HttpRequest, code: str) -> HttpResponse:
    """主动公开基本目录 of one organisation, by catalogue column."""
    organisation = get_object_or_404(Organisation, code=code, is_active=True)
    items = public_items().filter(organisation=organisation)
    through = InformationItem.columns.through
    column_counts = {
        row["column_id"]: row["n"]
        for row in through.objects.filter(
            informationitem_id__in=items.values("id"), column__kind=Column.Kind.CATALOGUE
        )
        .values("column_id")
        .annotate(n=Count("informationitem_id"))
    }
    columns = [
        (column, column_counts.get(column.pk, 0))
        for column in Column.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True),
            kind=Column.Kind.CATALOGUE,
            is_active=True,
        )
    ]
    current = None
    column_id = bounded_int(request.GET.get("column"))
    if column_id is not None:
        current = next((c for c, _n in columns if c.pk == column_id), None)
        if current is None:
            raise Http404(_("栏目不存在。"))
        items = items.filter(columns=current)
    page = paginate(
        request, items.select_related("topic", "topic__parent").order_by("-published_date", "-id")
    )
    return render(
        request,
        "portal/catalogue/zfxxgk_org.html",
        {
            "organisation": organisation,
            "columns": columns,
            "current": current,
            "page_obj": page,
            "topics": _top_topic_counts(public_items().filter(organisation=organisation)),
        },
    )


def zfxxgk_topic(request: HttpRequest, pk: int) -> HttpResponse:
    """主动公开基本目录 by theme (主题分类); a first-level theme includes its second level."""
    topic = get_object_or_404(TopicCategory.objects.select_related("parent"), pk=pk)
    if topic.parent_id is None:
        items = public_items().filter(Q(topic=topic) | Q(topic__parent=topic))
        child_counts = dict(
            public_items()
            .order_by()
            .filter(topic__parent=topic)
            .values_list("topic_id")
            .annotate(n=Count("id"))
        )
        children = [(c, child_counts.get(c.pk, 0)) for c in topic.children.all()]
    else:
        items = public_items().filter(topic=topic)
        children = []
    page = paginate(
        request,
        items.select_related("organisation", "topic", "topic__parent").order_by(
            "-published_date", "-id"
        ),
    )
    return render(
        request,
        "portal/catalogue/zfxxgk_topic.html",
        {"topic": topic, "children": children, "page_obj": page},
    )


def _editable_page(
    request: HttpRequest, slug: str, default_title: str, *, every_organisation: bool = False
) -> HttpResponse:
    """公开指南 / 公开制度: an organisation's own page when it has one, else the platform's.

    The 公开指南 (``every_organisation``) exists for every organisation: its 工作机构 block is
    built from the organisation's data (条例第十二条), its own page text is optional."""
    organisation = None
    code = request.GET.get("org", "")
    if code:
        organisation = get_object_or_404(Organisation, code=code, is_active=True)
    page = None
    if organisation is not None:
        page = Page.objects.filter(slug=slug, organisation=organisation).first()
    if page is None:
        page = Page.objects.filter(slug=slug, organisation__isnull=True).first()
    others = list(
        Page.objects.filter(slug=slug, organisation__isnull=False, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__sort_order", "organisation__code")
    )
    extra: dict = {}
    if every_organisation:
        extra["tree"] = organisation_tree()
        if organisation is not None:
            extra["contacts"] = ogi_office_contacts(organisation)
    return render(
        request,
        "portal/catalogue/editable_page.html",
        {
            "page": page,
            "body_html": sanitize_html(page.body) if page else "",
            "default_title": default_title,
            "organisation": organisation,
            "others": others,
            "slug": slug,
            **extra,
        },
    )


def zfxxgk_guide(request: HttpRequest) -> HttpResponse:
    return _editable_page(request, "guide", _("政府信息公开指南"), every_organisation=True)


def zfxxgk_rules(request: HttpRequest) -> HttpResponse:
    return _editable_page(request, "rules", _("政府信息公开制度"))


def zfxxgk_annual_reports(request: HttpRequest) -> HttpResponse:
    """公开年报: every organisation's published annual reports, by the year reported on."""
    return render(
        request,
        "portal/catalogue/annual_reports.html",
        {"years": published_reports_by_year()},
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    """机构职能目录: the agency tree with functions and contacts (条例 Art. 20(2))."""
    units: dict[int, list[InternalUnit]] = {}
    for unit in InternalUnit.objects.filter(organisation__is_active=True):
        units.setdefault(unit.organisation_id, []).append(unit)
    nodes = organisation_tree()
    names = {org.pk: org.name for org, _depth in nodes}
    tree = [
        (org, depth, units.get(org.pk, []), names.get(org.parent_id or 0, ""))
        for org, depth in nodes
    ]
    return render(request, "portal/catalogue/organisation_list.html", {"tree": tree})


def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("parent"), code=code, is_active=True
    )
    return render(
        request,
        "portal/catalogue/organisation_detail.html",
        {
            "organisation": organisation,
            "units": list(organisation.units.all()),
            "children": list(organisation.children.filter(is_active=True)),
            "leaders": [line.strip() for line in organisation.leaders.splitlines() if line.strip()],
            "latest": list(public_items().filter(organisation=organisation)[:10]),
        },
    )


def column_detail(request: HttpRequest, slug: str) -> HttpResponse:
    column = get_object_or_404(
        Column.objects.select_related("organisation"), slug=slug, is_active=True
    )
    page = paginate(request, column_items(column))
    return render(
        request,
        "portal/catalogue/column_detail.html",
        {
            "column": column,
            "children": list(column.children.filter(is_active=True)),
            "page_obj": page,
        },
    )
