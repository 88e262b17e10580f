"""公开管理 → 平台名录 and 留言答复时限 (issue 15, item 7).

The platform's lists — 主题分类 (the national two-level list), 服务对象, 企业资质 — are edited
by a platform administrator (``can_administer_platform``) only; each organisation's own
留言答复时限 per channel by that organisation's 政务公开管理员 (the scope of the organisation
page). Every write goes through the owning app's service, which checks the same rule, refuses
bad input in Chinese with nothing changed, and audits."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.permissions import can_administer_platform, staff_required
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Audience, TopicCategory
from gongkai.interaction import services as interaction_services
from gongkai.interaction.models import Channel, DeadlineRule
from gongkai.interaction.selectors import deadline_table
from gongkai.policies import services as policies_services
from gongkai.policies.models import PolicyConditions, Qualification

from .forms_manage_lists import DeadlineRuleForm, TermForm
from .views_manage import _org_or_403, _refused

# --- 平台名录 -----------------------------------------------------------------------------------

Saver = Callable[..., Any]


def _save_topic(*, obj: Any, data: dict[str, Any], parent: Any, acting_user: Any) -> Any:
    return catalogue_services.topic_category_save(
        data=data, topic=obj, parent=parent, acting_user=acting_user
    )


def _save_audience(*, obj: Any, data: dict[str, Any], parent: Any, acting_user: Any) -> Any:
    return catalogue_services.audience_save(data=data, audience=obj, acting_user=acting_user)


def _save_qualification(*, obj: Any, data: dict[str, Any], parent: Any, acting_user: Any) -> Any:
    if "sort_order" in data:  # the 企业资质 table calls its order "position"
        data["position"] = data.pop("sort_order")
    return policies_services.qualification_save(
        data=data, qualification=obj, acting_user=acting_user
    )


def _delete_topic(obj: Any, acting_user: Any) -> None:
    catalogue_services.topic_category_delete(topic=obj, acting_user=acting_user)


def _delete_audience(obj: Any, acting_user: Any) -> None:
    catalogue_services.audience_delete(audience=obj, acting_user=acting_user)


def _delete_qualification(obj: Any, acting_user: Any) -> None:
    policies_services.qualification_delete(qualification=obj, acting_user=acting_user)


@dataclass(frozen=True)
class ListSpec:
    slug: str
    title: Promise
    model: type[Model]
    order_field: str
    save: Saver
    delete: Callable[[Any, Any], None]
    help: Promise


LISTS = {
    spec.slug: spec
    for spec in (
        ListSpec(
            "topics",
            _lazy("主题分类"),
            TopicCategory,
            "sort_order",
            _save_topic,
            _delete_topic,
            _lazy(
                "全国政府信息公开主题分类，分两级；二级分类须在一级分类下添加。"
                "政策文件库的“文件主题”按一级分类统计。"
            ),
        ),
        ListSpec(
            "audiences",
            _lazy("服务对象"),
            Audience,
            "sort_order",
            _save_audience,
            _delete_audience,
            _lazy("文件的服务对象，用于政策文件库的“服务对象”筛选和订阅。"),
        ),
        ListSpec(
            "qualifications",
            _lazy("企业资质"),
            Qualification,
            "position",
            _save_qualification,
            _delete_qualification,
            _lazy("政策申报条件和政策找人档案中可选的企业资质；导入文件时按名称对应。"),
        ),
    )
}


def _spec_or_403(request: AuthenticatedHttpRequest, kind: str) -> ListSpec:
    spec = LISTS.get(kind)
    if spec is None:
        raise Http404
    if not can_administer_platform(request.user):
        raise PermissionDenied(_("只有全平台的政务公开管理员可以维护平台名录"))
    return spec


def _uses(spec: ListSpec) -> dict[int, int]:
    """How many documents use each term (shown so the administrator knows what can go)."""
    if spec.model is Qualification:
        through = PolicyConditions.qualifications.through
        rows = through.objects.values_list("qualification_id").annotate(n=Count("pk"))
    else:
        rows = spec.model._default_manager.values_list("pk").annotate(n=Count("items"))
    return dict(rows)


def _rows(spec: ListSpec) -> list[dict[str, Any]]:
    uses = _uses(spec)
    manager: Any = spec.model._default_manager
    if spec.model is TopicCategory:
        tops = manager.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=TopicCategory.objects.order_by("sort_order", "id"))
        )
        return [
            {
                "term": top,
                "order": top.sort_order,
                "uses": uses.get(top.pk, 0),
                "children": [
                    {"term": c, "order": c.sort_order, "uses": uses.get(c.pk, 0)}
                    for c in top.children.all()
                ],
            }
            for top in tops.order_by("sort_order", "id")
        ]
    return [
        {"term": t, "order": getattr(t, spec.order_field), "uses": uses.get(t.pk, 0)}
        for t in manager.all()
    ]


def _max_length(spec: ListSpec) -> int:
    return spec.model._meta.get_field("name").max_length or 100  # type: ignore[union-attr]  # a CharField


@staff_required
def manage_lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    _spec_or_403(request, "topics")
    return redirect("staff:manage_list", kind="topics")


@staff_required
def manage_list(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    spec = _spec_or_403(request, kind)
    parents = TopicCategory.objects.filter(parent__isnull=True) if kind == "topics" else None
    initial = {"parent": request.GET.get("parent")} if parents is not None else {}
    form = TermForm(
        request.POST or None, max_length=_max_length(spec), parents=parents, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            term = spec.save(
                obj=None,
                data=form.values(),
                parent=form.cleaned_data.get("parent"),
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(
                request, _("已添加%(what)s“%(n)s”。") % {"what": spec.title, "n": term}
            )
            return redirect("staff:manage_list", kind=kind)
    return render(
        request,
        "staff/manage/lists/list.html",
        {
            "spec": spec,
            "lists": LISTS.values(),
            "rows": _rows(spec),
            "form": form,
            "platform": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def manage_list_term(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _spec_or_403(request, kind)
    term = get_object_or_404(spec.model._default_manager, pk=pk)
    form = TermForm(
        request.POST or None,
        max_length=_max_length(spec),
        initial={"name": term.name, "sort_order": getattr(term, spec.order_field)},  # type: ignore[attr-defined]  # every list has a name
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec.save(
                obj=spec.model._default_manager.get(pk=pk),
                data=form.values(),
                parent=None,
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("已保存%(what)s“%(n)s”。") % {"what": spec.title, "n": form.cleaned_data["name"]},
            )
            return redirect("staff:manage_list", kind=kind)
    return render(
        request,
        "staff/manage/lists/term.html",
        {"spec": spec, "term": term, "form": form, "platform": True},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def manage_list_term_delete(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _spec_or_403(request, kind)
    term = get_object_or_404(spec.model._default_manager, pk=pk)
    label = str(term)
    try:
        spec.delete(term, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("staff:manage_list_term", kind=kind, pk=pk)
    messages.success(request, _("已删除%(what)s“%(n)s”。") % {"what": spec.title, "n": label})
    return redirect("staff:manage_list", kind=kind)


# --- 留言答复时限 -------------------------------------------------------------------------------


def _rule_post(
    request: AuthenticatedHttpRequest, organisation: Any, form: DeadlineRuleForm
) -> bool:
    if request.POST.get("form") == "reset":
        channel = request.POST.get("channel", "")
        rule = DeadlineRule.objects.filter(organisation=organisation, channel=channel).first()
        if rule is not None:
            interaction_services.deadline_rule_delete(rule=rule, acting_user=request.user)
            messages.success(
                request,
                _("已取消“%(c)s”渠道的本机关时限，恢复默认时限。") % {"c": Channel(channel).label},
            )
        return True
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        interaction_services.deadline_rule_set(
            organisation=organisation,
            channel=data["channel"],
            reply_workdays=data["reply_workdays"],
            resolution_workdays=data["resolution_workdays"],
            first_contact_hours=data["first_contact_hours"],
            acting_user=request.user,
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(form, error)
        return False
    messages.success(
        request, _("已保存“%(c)s”渠道的留言答复时限。") % {"c": Channel(data["channel"]).label}
    )
    return True


@staff_required
def manage_deadlines(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    organisation = _org_or_403(request, code)
    table = deadline_table(organisation)
    chosen = request.GET.get("channel", "")
    row = next((r for r in table if r.channel == chosen), None)
    initial: dict[str, Any] = {}
    if row is not None:
        initial = {
            "channel": row.channel,
            "reply_workdays": row.limits.reply_days,
            "resolution_workdays": row.limits.resolution_days,
            "first_contact_hours": row.limits.first_contact_hours,
        }
    posted = request.method == "POST"
    form = DeadlineRuleForm(
        request.POST if posted and request.POST.get("form") == "rule" else None, initial=initial
    )
    if posted and _rule_post(request, organisation, form):
        return redirect("staff:manage_deadlines", code=organisation.code)
    return render(
        request,
        "staff/manage/lists/deadlines.html",
        {
            "organisation": organisation,
            "table": table,
            "form": form,
            "platform": can_administer_platform(request.user),
        },
        status=400 if posted else 200,
    )
