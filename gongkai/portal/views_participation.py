"""Public pages of 意见征集 and the 重大行政决策事项目录 (no JavaScript needed).

The consultation page shows the draft, its 起草说明 and questions, the days left (China time),
the public comments, and — once published through review — the 意见采纳情况反馈 with the final
document. The comment form is guarded by ``core.ratelimit`` (limits and the question).
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import ratelimit
from gongkai.core.params import MAX_DATE, MIN_DATE, bounded_int
from gongkai.core.pdf import PdfFontsMissing
from gongkai.core.status import ContentStatus
from gongkai.core.text import spreadsheet_text
from gongkai.participation import documents, rules, selectors, services
from gongkai.participation.forms import CommentForm, OpenDayForm
from gongkai.participation.models import (
    Consultation,
    DecisionDirectory,
    OpenDayEvent,
    PolicyEvaluation,
)

COMMENT_SCOPE = "consultation_comment"


def consultation_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in (rules.OPEN, rules.CLOSED):
        state = ""
    now = timezone.now()
    rows = [
        (c, services.window_state(c, now), rules.days_left(now, c.closes_on))
        for c in selectors.public_consultations(state=state, now=now)[:200]
    ]
    return render(
        request,
        "portal/participation/list.html",
        {"rows": rows, "state": state},
    )


def _comment(request: HttpRequest, consultation: Consultation, form: CommentForm) -> bool:
    """Hand the valid form to the service; its refusal goes back onto the form."""
    data = form.cleaned_data
    user: Any = request.user if request.user.is_authenticated else None
    try:
        services.comment_submit(
            consultation=consultation,
            body=data["body"],
            author=user,
            is_public=data["is_public"],
            question=data.get("question"),
            article=data["article"],
            author_name=data["author_name"],
            as_legal_person=data["as_legal_person"],
        )
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return False
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, texts in error.message_dict.items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
        else:
            for text in error.messages:
                form.add_error(None, text)
        return False
    return True


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(
        Consultation.objects.filter(status=ContentStatus.PUBLISHED).select_related(
            "organisation", "final_document"
        ),
        pk=pk,
    )
    form = CommentForm(request.POST or None, consultation=consultation)
    guard = ratelimit.Guard(request, COMMENT_SCOPE)
    if request.method == "POST":
        if guard.blocked:
            return ratelimit.too_many(request)
        if guard.passes() and form.is_valid() and _comment(request, consultation, form):
            messages.success(
                request, _("意见已提交，经审核后处理；选择公开的意见审核通过后在本页显示。")
            )
            return redirect("portal:consultation_detail", pk=consultation.pk)
    now = timezone.now()
    feedback = selectors.published_feedback(consultation)
    return render(
        request,
        "portal/participation/detail.html",
        {
            "c": consultation,
            "state": services.window_state(consultation, now),
            "days_left": rules.days_left(now, consultation.closes_on),
            "questions": consultation.questions.all(),
            "attachments": consultation.attachments.all(),
            "extensions": consultation.extensions.all(),
            "comments": selectors.public_comments(consultation),
            "offline_inputs": consultation.offline_inputs.all() if feedback else [],
            "hearings": selectors.upcoming_hearings(consultation, rules.china_date(now)),
            "feedback": feedback,
            "count_rows": documents.count_rows(feedback) if feedback else [],
            "form": form,
            "captcha": guard.captcha,
            "final_document": (
                consultation.final_document
                if consultation.final_document
                and consultation.final_document.status == ContentStatus.PUBLISHED
                else None
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


def feedback_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk, status=ContentStatus.PUBLISHED)
    feedback = selectors.published_feedback(consultation)
    if feedback is None or fmt not in ("docx", "pdf"):
        raise Http404
    if fmt == "docx":
        data = documents.render_docx(feedback)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        try:
            data = documents.render_pdf(feedback)
        except PdfFontsMissing:
            return HttpResponse(_("服务器缺少中文字体，暂时无法生成PDF。"), status=503)
        ctype = "application/pdf"
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="feedback-{consultation.pk}.{fmt}"'
    return response


def _year(request: HttpRequest) -> int | None:
    years = selectors.directory_years()
    year = bounded_int(request.GET.get("year"), low=1900, high=2100)
    if year is None and years:
        year = years[0]
    return year


def _on(request: HttpRequest) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat((request.GET.get("on") or "").strip())
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


def directory(request: HttpRequest) -> HttpResponse:
    """The year's published directories as they stand (or, with ``?on=YYYY-MM-DD``, as they
    stood that day), each with its published adjustments."""
    year = _year(request)
    on = _on(request)
    directories = [
        (
            d,
            selectors.directory_as_of(d, on)
            if on is not None
            else selectors.directory_decisions(d).filter(removed=False),
            selectors.directory_adjustment_history(d),
        )
        for d in selectors.public_directories(year)
    ]
    return render(
        request,
        "portal/participation/directory.html",
        {"year": year, "years": selectors.directory_years(), "directories": directories, "on": on},
    )


def _directory_rows(year: int | None) -> list[list[object]]:
    """The header and one row per decision of the year's published directories."""
    stage_labels = [str(label) for label in rules.STAGE_LABELS.values()]
    rows: list[list[object]] = [
        [
            _("决策机关"),
            _("序号"),
            _("决策事项"),
            _("承办单位"),
            _("决策依据"),
            _("计划完成时间"),
            *stage_labels,
        ]
    ]
    directory_rows: list[DecisionDirectory] = list(selectors.public_directories(year))
    for d in directory_rows:
        for decision in selectors.directory_decisions(d).filter(removed=False):
            stages = {s.stage: s for s in decision.stages.all()}
            cells: list[object] = [
                d.organisation.name,
                decision.number,
                decision.title,
                decision.owner.name,
                decision.legal_basis,
                decision.planned_time,
            ]
            for stage in rules.STAGES:
                s = stages.get(stage)
                cells.append(
                    "" if s is None else f"{s.get_state_display()} {s.finished_on or ''}".strip()
                )
            # Titles and bases are typed by users: none may become a live formula.
            rows.append([spreadsheet_text(x) for x in cells])
    return rows


def directory_export(request: HttpRequest) -> HttpResponse:
    """The year's directories as CSV (UTF-8 with BOM, opens in Excel)."""
    year = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decisions-{year or ""}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows(_directory_rows(year))
    return response


def directory_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The same rows as an Excel workbook; every text cell inert (``spreadsheet_text``)."""
    from openpyxl import Workbook

    year = _year(request)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = _("重大行政决策事项目录")
    for row in _directory_rows(year):
        ws.append(row)
    for column, width in zip("ABCDEF", (24, 6, 40, 24, 30, 16), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="decisions-{year or ""}.xlsx"'
    return response


def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = (
        PolicyEvaluation.objects.filter(status=ContentStatus.PUBLISHED)
        .select_related("organisation", "policy")
        .order_by("-published_date", "-id")[:200]
    )
    # 政府开放日 still to come (China time), also those not tied to an evaluation.
    open_days = (
        OpenDayEvent.objects.filter(held_on__gte=rules.china_date(timezone.now()))
        .select_related("organisation")
        .order_by("held_on", "id")[:50]
    )
    return render(
        request,
        "portal/participation/evaluations.html",
        {"evaluations": evaluations, "open_days": open_days},
    )


def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(
        PolicyEvaluation.objects.filter(status=ContentStatus.PUBLISHED).select_related(
            "organisation", "policy"
        ),
        pk=pk,
    )
    policy = evaluation.policy if evaluation.policy.status == ContentStatus.PUBLISHED else None
    return render(
        request,
        "portal/participation/evaluation_detail.html",
        {"e": evaluation, "policy": policy, "open_days": evaluation.open_days.all()},
    )


def open_day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """政府开放日: the event, seats left, and registration for logged-in public accounts."""
    event = get_object_or_404(OpenDayEvent.objects.select_related("organisation"), pk=pk)
    form = OpenDayForm(request.POST or None)
    user: Any = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if form.is_valid():
            try:
                services.open_day_register(
                    event=event,
                    user=user,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                for text in error.messages:
                    form.add_error(None, text)
            else:
                messages.success(request, _("报名成功。"))
                return redirect("portal:open_day_detail", pk=event.pk)
    taken = event.registrations.count()
    registered = user.is_authenticated and event.registrations.filter(user=user).exists()
    return render(
        request,
        "portal/participation/open_day.html",
        {
            "event": event,
            "left": max(0, event.capacity - taken),
            "registered": registered,
            "open": rules.china_date(timezone.now()) <= event.registration_closes_on,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
