"""Back office of subscriptions (issue 14): a 修订稿 marked 实质性修改 notifies subscribers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.permissions import staff_required
from gongkai.catalogue.models import InformationItem
from gongkai.subscriptions.services import correction_mark


@require_POST
@staff_required
def item_correction_mark(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(InformationItem.objects.select_related("organisation"), pk=pk)
    substantive = request.POST.get("substantive") == "1"
    try:
        correction_mark(revision=revision, substantive=substantive, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("已标记为实质性修改：终审通过后通知订阅者。")
            if substantive
            else _("已取消实质性修改标记：终审通过后不通知订阅者。"),
        )
    return redirect("staff:items_detail", pk=revision.pk)
