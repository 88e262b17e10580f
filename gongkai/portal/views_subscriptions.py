"""订阅 (issue 14): an account's subscriptions and the one-click subscription to a policy."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.catalogue.selectors import public_items
from gongkai.subscriptions.forms import SavedSearchForm, SubscriptionForm
from gongkai.subscriptions.models import Subscription
from gongkai.subscriptions.selectors import (
    mail_address_of,
    saved_search_facets,
    subscriptions_of,
)
from gongkai.subscriptions.services import (
    mail_address_confirm,
    mail_address_request,
    subscription_create,
    subscription_delete,
    subscription_set_delivery,
    subscription_unsubscribe_mail,
    unsubscribe_subscription,
)


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
        {
            "form": form,
            "search_form": SavedSearchForm(),
            "subscriptions": list(subscriptions_of(request.user)),
            "deliveries": Subscription.Delivery.choices,
            "address": mail_address_of(request.user),
        },
    )


@require_POST
@login_required
def subscription_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=pk, user=request.user)
    try:
        subscription_set_delivery(
            subscription=subscription,
            delivery=request.POST.get("delivery", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("推送方式已保存。"))
    return redirect("portal:subscription_list")


@require_POST
@login_required
def mail_address_set(request: HttpRequest) -> HttpResponse:
    try:
        address = mail_address_request(
            user=request.user, email=request.POST.get("email", ""), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "确认邮件已发送到 %(email)s，请在3天内打开邮件中的链接，"
                "确认后才会向该邮箱发送订阅信息。"
            )
            % {"email": address.email},
        )
    return redirect("portal:subscription_list")


def mail_address_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        address = mail_address_confirm(token=token)
    except ValidationError as error:
        return render(
            request,
            "portal/subscriptions/mail_result.html",
            {"ok": False, "message": " ".join(error.messages)},
            status=400,
        )
    return render(
        request,
        "portal/subscriptions/mail_result.html",
        {"ok": True, "message": _("邮箱 %(email)s 已确认，订阅信息将按您选择的方式发送。")
         % {"email": address.email}},
    )  # fmt: skip


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session
def subscription_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click unsubscribe address of every mail: GET shows a confirmation button (link
    scanners must not unsubscribe anyone), POST stops the subscription's e-mail."""
    try:
        subscription = unsubscribe_subscription(token)
        if request.method == "POST":
            subscription = subscription_unsubscribe_mail(token=token)
    except ValidationError as error:
        return render(
            request,
            "portal/subscriptions/mail_result.html",
            {"ok": False, "message": " ".join(error.messages)},
            status=400,
        )
    return render(
        request,
        "portal/subscriptions/unsubscribe.html",
        {"subscription": subscription, "done": request.method == "POST"},
    )


def _library_path(facets: dict) -> str:
    """The policy library showing a saved search made in the personal centre."""
    params = [
        *[("topic", t.pk) for t in facets["topic"]],
        *[("audience", a.pk) for a in facets["audience"]],
        *[("org", o.pk) for o in facets["organisation"]],
        *[("kind", k) for k in facets["policy_kind"]],
        *([("q", facets["keyword"])] if facets["keyword"] else []),
    ]
    return f"{reverse('portal:policy_library')}?{urlencode(params)}"


@require_POST
@login_required
def subscription_search(request: HttpRequest) -> HttpResponse:
    """Subscribe to the facet combination shown on the policy library or search page, or
    chosen in the personal centre — every value of each facet."""
    facets = saved_search_facets(request.POST)
    if not facets["query"]:
        facets["query"] = _library_path(facets)
    try:
        subscription_create(
            user=request.user, kind=Subscription.Kind.SEARCH, target=facets,
            acting_user=request.user,
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已订阅当前检索条件：新发布的相关政策会推送到个人中心。"))
    return redirect("portal:subscription_list")


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
