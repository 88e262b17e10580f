"""订阅 (issue 14): an account's subscriptions and the one-click subscription to a policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.catalogue.selectors import public_items
from gongkai.subscriptions.forms import SubscriptionForm
from gongkai.subscriptions.models import Subscription
from gongkai.subscriptions.selectors import subscriptions_of
from gongkai.subscriptions.services import subscription_create, subscription_delete


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription_create(
                user=request.user,
                kind=form.cleaned_data["kind"],
                target=form.cleaned_data["target"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("已订阅。新发布的相关信息会推送到个人中心。"))
            return redirect("portal:subscription_list")
    return render(
        request,
        "portal/subscriptions/list.html",
        {"form": form, "subscriptions": list(subscriptions_of(request.user))},
    )


@require_POST
@login_required
def subscription_remove(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=pk, user=request.user)
    subscription_delete(subscription=subscription, acting_user=request.user)
    messages.success(request, _("已取消订阅。"))
    return redirect("portal:subscription_list")


@require_POST
@login_required
def subscription_policy(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(public_items(), pk=pk)
    subscription_create(
        user=request.user, kind=Subscription.Kind.POLICY, target=item, acting_user=request.user
    )
    messages.success(request, _("已订阅本政策：有新的解读时会推送到个人中心。"))
    return redirect("portal:item_detail", pk=item.pk)
