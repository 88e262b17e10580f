"""Back-office page for a policy's 政策兑现 information (申报条件, 申报流程 …; issue 14), at
/staff/items/<pk>/conditions/. A published policy is changed through its 修订稿, like every
other field of it (ADR 0005): the conditions are saved on the revision and replace the live
ones when the chain approves it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.permissions import staff_required
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.selectors import can_edit_item, can_view_item
from gongkai.policies.forms import PolicyConditionsForm
from gongkai.policies.selectors import conditions_for_item, qualified_profile_count
from gongkai.policies.services import conditions_as_data, policy_conditions_set
from gongkai.subscriptions.services import profiles_notice_push


def _item(request: AuthenticatedHttpRequest, pk: int) -> InformationItem:
    item = get_object_or_404(
        InformationItem.objects.select_related("organisation", "revision_of"), pk=pk
    )
    if not can_view_item(request.user, item):
        raise PermissionDenied(_("您没有权限查看或修改其他机构的政府信息。"))
    return item


@staff_required
def item_conditions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    live = item.status == InformationItem.Status.PUBLISHED and not item.revision_of_id
    if live and request.method != "POST":
        revision = catalogue_services.open_revision(item)
        if revision is not None:
            return redirect("staff:item_conditions", pk=revision.pk)
    current = conditions_for_item(item)
    can_edit = can_edit_item(request.user, item) and item.revision_closed_at is None
    initial = PolicyConditionsForm.initial_for(conditions_as_data(current)) if current else {}
    form = PolicyConditionsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您没有权限修改该政策的兑现信息。"))
        if form.is_valid():
            try:
                with transaction.atomic():
                    target = (
                        catalogue_services.item_revision_open(item=item, acting_user=request.user)
                        if live
                        else item
                    )
                    policy_conditions_set(
                        item=target,
                        data=form.cleaned_data,
                        acting_user=request.user,
                    )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("已保存到修订稿。请提交审核；终审通过后，兑现信息才替换网站上的公开内容。")
                    if live
                    else _("已保存政策兑现信息。"),
                )
                return redirect("staff:items_detail", pk=target.pk)
    return render(
        request,
        "staff/policies/conditions_form.html",
        {
            "item": item,
            "form": form,
            "live": live,
            "can_edit": can_edit,
            "qualified": qualified_profile_count(item, timezone.localdate()) if live else None,
        },
    )


@require_POST
@staff_required
def item_conditions_notice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Push a notice to the profiles the live policy matches (count only, no personal data)."""
    item = _item(request, pk)
    try:
        n = profiles_notice_push(
            item=item, message=request.POST.get("message", ""), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已向%(n)d个符合条件的档案推送通知。") % {"n": n})
    return redirect("staff:item_conditions", pk=item.pk)
