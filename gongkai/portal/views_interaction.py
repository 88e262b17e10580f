"""政民互动 on the portal: the message form, public messages with replies, each message's page,
the monthly 留言办理情况统计, and the status query by reference and query code.

Published messages show masked text only (``services.mask_personal_text``) and never the
person's name or contacts.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.models import Organisation
from gongkai.core import ratelimit
from gongkai.core.pagination import paginate
from gongkai.core.params import bounded_int
from gongkai.interaction import selectors, services
from gongkai.interaction.content import portal_section_links
from gongkai.interaction.forms import FeedbackForm, MessageForm, StatusQueryForm
from gongkai.interaction.models import Category, Message, Publication

SESSION_DONE = "interaction_done"
SESSION_VERIFIED = "interaction_verified"


def _organisation(request: HttpRequest) -> Organisation | None:
    code = request.GET.get("org", "")
    return Organisation.objects.filter(code=code, is_active=True).first() if code else None


def index(request: HttpRequest) -> HttpResponse:
    """Public messages with their replies, by organisation and category, searchable."""
    organisation = _organisation(request)
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.public_messages(organisation=organisation, category=category, q=q)
    page = paginate(request, qs, 20)
    return render(
        request,
        "portal/interaction/index.html",
        {
            "page_obj": page,
            "messages_list": page.object_list,
            "organisation": organisation,
            "organisations": Organisation.objects.filter(is_active=True).order_by(
                "sort_order", "code"
            ),
            "categories": Category.choices,
            "filters": {"org": organisation.code if organisation else "", "category": category},
            "q": q,
            "section_links": portal_section_links(),
        },
    )


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    initial: dict = {"wants_public": True}
    chosen = _organisation(request)
    if chosen is not None:
        initial["organisation"] = chosen.pk
    if request.GET.get("category") in Category.values:
        initial["category"] = request.GET["category"]
    user = request.user
    if user.is_authenticated and getattr(user, "kind", "") == "public":
        initial.update(name=user.get_full_name(), email=user.email)
    form = MessageForm(request.POST or None, request.FILES or None, initial=initial)
    guard = ratelimit.Guard(request, "message_submit")
    if request.method == "POST" and guard.blocked:
        return ratelimit.too_many(request)
    if request.method == "POST" and guard.passes() and form.is_valid():
        try:
            message, code = services.message_submit(
                organisation=form.cleaned_data["organisation"],
                data=form.service_data(),
                acting_user=user,
                attachments=form.cleaned_data.get("attachments") or [],
            )
        except services.MessageError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            request.session[SESSION_DONE] = {
                "reference": message.reference,
                "code": code,
                "due": message.due_date.isoformat() if message.due_date else "",
            }
            return redirect("portal:interaction_done")
    return render(
        request, "portal/interaction/write.html", {"form": form, "captcha": guard.captcha}
    )


def done(request: HttpRequest) -> HttpResponse:
    data = request.session.get(SESSION_DONE)
    if not data:
        return redirect("portal:interaction_write")
    return render(request, "portal/interaction/done.html", data)


def detail(request: HttpRequest, reference: str) -> HttpResponse:
    message = (
        Message.objects.select_related("organisation")
        .filter(reference=reference, publication=Publication.PUBLIC)
        .first()
    )
    if message is None:
        raise Http404(_("该留言不存在或未公开"))
    return render(
        request,
        "portal/interaction/detail.html",
        {
            "message": message,
            "content": services.mask_personal_text(message.content),
            "reply": services.mask_personal_text(message.reply),
        },
    )


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    form = StatusQueryForm(request.POST or None)
    guard = ratelimit.Guard(request, "message_status", count_posts=False)
    context: dict = {"form": form, "captcha": guard.captcha}
    if request.method == "POST" and guard.blocked:
        form.add_error(None, _("查询失败次数过多，请一小时后再试"))
        return render(request, "portal/interaction/status.html", context, status=429)
    if request.method == "POST" and "satisfaction" in request.POST:
        return _feedback(request, context)
    if request.method == "POST" and guard.passes() and form.is_valid():
        message = services.message_by_query(
            form.cleaned_data["reference"], form.cleaned_data["code"]
        )
        if message is None:
            guard.count_failure()
            form.add_error(None, _("留言编号或查询码不正确"))
        else:
            request.session[SESSION_VERIFIED] = message.pk
            context.update(_status_context(message))
    context["captcha"] = guard.captcha
    return render(request, "portal/interaction/status.html", context)


def _status_context(message: Message) -> dict:
    return {
        "message": message,
        "timeline": selectors.public_events(message),
        "feedback_form": FeedbackForm()
        if message.replied_at and not message.satisfaction
        else None,
    }


def _feedback(request: HttpRequest, context: dict) -> HttpResponse:
    """满意度 for the message verified in this session (the query code was checked)."""
    pk = request.session.get(SESSION_VERIFIED)
    message = Message.objects.filter(pk=pk).first() if pk else None
    if message is None:
        return redirect("portal:interaction_status")
    feedback = FeedbackForm(request.POST)
    if feedback.is_valid():
        try:
            message = services.message_feedback(
                message=message,
                satisfaction=feedback.cleaned_data["satisfaction"],
                note=feedback.cleaned_data["note"],
            )
        except services.MessageError as exc:
            feedback.add_error(None, "；".join(exc.messages))
    context.update(_status_context(message))
    context["feedback_done"] = bool(message.satisfaction)
    return render(request, "portal/interaction/status.html", context)


def stats(request: HttpRequest) -> HttpResponse:
    """The monthly 留言办理情况统计 (by organisation), and an organisation's figures for the
    month from the same selector as the command and the API."""
    today = timezone.localdate()
    year = bounded_int(request.GET.get("year", "")) or today.year
    month = bounded_int(request.GET.get("month", "")) or today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        year, month = today.year, today.month
    start, end = selectors.month_bounds(year, month)
    # A month still running is counted up to today (the figures "截至" today).
    date_to = min(end, today) if start <= today else end
    organisation = _organisation(request)
    figures = selectors.interaction_stats(organisation, start, date_to) if organisation else None
    return render(
        request,
        "portal/interaction/stats.html",
        {
            "year": year,
            "month": month,
            "start": start,
            "end": end,
            "date_to": date_to,
            "rows": selectors.monthly_table(year, month, date_to),
            "organisation": organisation,
            "figures": figures,
            "organisations": Organisation.objects.filter(is_active=True).order_by(
                "sort_order", "code"
            ),
            "months": range(1, 13),
        },
    )


def _organisations() -> Any:
    return Organisation.objects.filter(is_active=True).order_by("sort_order", "code")


def press_list(request: HttpRequest) -> HttpResponse:
    """新闻发布会: published records, by organisation and year, searchable by topic/speaker."""
    organisation = _organisation(request)
    year = bounded_int(request.GET.get("year", "")) or None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(
        request,
        selectors.public_press_conferences(organisation=organisation, year=year, q=q),
        20,
    )
    return render(
        request,
        "portal/interaction/press_list.html",
        {
            "page_obj": page,
            "conferences": page.object_list,
            "organisation": organisation,
            "organisations": _organisations(),
            "year": year,
            "q": q,
            "section_links": portal_section_links(),
        },
    )


def press_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = selectors.public_press_conferences().filter(pk=pk).first()
    if conference is None:
        raise Http404(_("该新闻发布会不存在或未发布"))
    return render(
        request,
        "portal/interaction/press_detail.html",
        {
            "conference": conference,
            **selectors.public_links(conference),
            "responses": selectors.public_concern_responses().filter(conference=conference),
        },
    )


def concern_list(request: HttpRequest) -> HttpResponse:
    """回应关切: published responses, by organisation, searchable."""
    organisation = _organisation(request)
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.public_concern_responses(organisation=organisation, q=q), 20)
    return render(
        request,
        "portal/interaction/concern_list.html",
        {
            "page_obj": page,
            "responses": page.object_list,
            "organisation": organisation,
            "organisations": _organisations(),
            "q": q,
            "section_links": portal_section_links(),
        },
    )


def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.public_concern_responses().filter(pk=pk).first()
    if response is None:
        raise Http404(_("该回应不存在或未发布"))
    conference = response.conference
    if conference is not None and not conference.is_published:
        conference = None
    return render(
        request,
        "portal/interaction/concern_detail.html",
        {"response": response, "conference": conference, **selectors.public_links(response)},
    )
