"""Back-office pages of review & compliance (/staff/review/): the text checker with one-click
masking, the 错敏词 dictionary overview, and the 我为政府网站找错 queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Role
from gongkai.accounts.permissions import forbidden, staff_required
from gongkai.accounts.selectors import organisation_ids_for_role
from gongkai.catalogue import services as catalogue_services
from gongkai.checks import services as checks_services
from gongkai.checks.forms import TextCheckForm, WordlistEntryForm, WordlistUploadForm
from gongkai.checks.models import WordCategory, WordlistEntry
from gongkai.checks.selectors import current_checker
from gongkai.checks.text import Finding, mask, privacy_findings
from gongkai.checks.wordlist import (
    WordlistFileError,
    decode_csv_bytes,
    parse_wordlist,
    starter_rows,
)
from gongkai.oversight import services as oversight_services
from gongkai.oversight.forms import ErrorReportAnswerForm
from gongkai.oversight.models import ErrorReport
from gongkai.oversight.selectors import disclosure_reviews_due, error_report_counts

PAGE_SIZE = 30


def _segments(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """The text cut into plain and highlighted pieces; overlapping hits show the first one."""
    out: list[tuple[str, Finding | None]] = []
    pos = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < pos:
            continue
        if f.start > pos:
            out.append((text[pos : f.start], None))
        out.append((text[f.start : f.end], f))
        pos = f.end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _may_answer_reports(user) -> bool:
    """政务公开管理员 anywhere (or a superuser) answers 网站找错 reports for the site."""
    scope = organisation_ids_for_role(user, Role.ADMIN)
    return scope is None or bool(scope)


@staff_required
def review_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    findings: list[Finding] | None = None
    segments: list[tuple[str, Finding | None]] = []
    if request.method == "POST":
        form = TextCheckForm(request.POST)
        if form.is_valid():
            text = form.cleaned_data["text"]
            checker = current_checker()
            if request.POST.get("action") == "mask":
                masked = mask(text, privacy_findings(text))
                if masked != text:
                    messages.success(request, _("已遮蔽个人信息，请复制下方文本使用。"))
                text = masked
                form = TextCheckForm({"text": text})
                form.is_valid()
            findings = checker.check(text)
            segments = _segments(text, findings)
    else:
        form = TextCheckForm()
    labels = dict(WordCategory.choices)
    by_category = [
        (labels.get(row["category"], row["category"]), row["n"])
        for row in WordlistEntry.objects.values("category").annotate(n=Count("id")).order_by()
    ]
    return render(
        request,
        "staff/review/home.html",
        {
            "form": form,
            "findings": findings,
            "segments": segments,
            "has_privacy": bool(findings) and any(f.kind != "word" for f in findings or []),
            "wordlist_total": sum(n for _label, n in by_category),
            "wordlist_by_category": sorted(by_category),
            "report_counts": error_report_counts(),
            "disclosure_due": disclosure_reviews_due(request.user),
        },
    )


@staff_required
def review_error_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "new")
    qs = ErrorReport.objects.select_related("answered_by").order_by("-created_at", "-id")
    if status in ErrorReport.Status.values:
        qs = qs.filter(status=status)
    else:
        status = "all"
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, mask(r.contact, privacy_findings(r.contact))) for r in page.object_list]
    return render(
        request,
        "staff/review/error_reports.html",
        {
            "page": page,
            "page_obj": page,
            "rows": rows,
            "status": status,
            "counts": error_report_counts(),
        },
    )


@staff_required
def review_error_report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ErrorReport.objects.select_related("answered_by"), pk=pk)
    may_answer = _may_answer_reports(request.user)
    if not may_answer:
        # A citizen's contact details are for the staff who answer, like FOI applicants' data.
        return forbidden(request, _("只有政务公开管理员可以查看网站找错报告。"))
    form = ErrorReportAnswerForm(initial={"answer": report.answer})
    if request.method == "POST":
        if not may_answer:
            return forbidden(request, _("只有政务公开管理员可以答复网站找错报告。"))
        form = ErrorReportAnswerForm(request.POST)
        if form.is_valid():
            try:
                oversight_services.error_report_answer(
                    report=report, answer=form.cleaned_data["answer"], acting_user=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("答复已保存。"))
                return redirect("staff:review_error_reports")
    return render(
        request,
        "staff/review/error_report_detail.html",
        {
            "report": report,
            "form": form,
            "may_answer": may_answer,
            "masked_contact": mask(report.contact, privacy_findings(report.contact)),
        },
    )


@staff_required
@require_POST
def review_wordlist_starter(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Load the shipped starter 错敏词 dictionary (only the words the dictionary lacks)."""
    if not _may_answer_reports(request.user):
        return forbidden(request, _("只有政务公开管理员可以维护错敏词库。"))
    loaded = checks_services.wordlist_load_starter(acting_user=request.user)
    messages.success(
        request,
        _("已载入内置词库：新增 %(created)d 条，已有 %(unchanged)d 条未改动。")
        % {"created": loaded.created, "unchanged": loaded.unchanged},
    )
    return redirect("staff:review_wordlist")


@staff_required
def review_wordlist(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The 错敏词 dictionary: search it; 政务公开管理员 add words or upload a CSV."""
    may_edit = _may_answer_reports(request.user)
    upload_form = WordlistUploadForm()
    entry_form = WordlistEntryForm()
    upload_errors: list[str] = []
    if request.method == "POST":
        if not may_edit:
            return forbidden(request, _("只有政务公开管理员可以维护错敏词库。"))
        if request.POST.get("action") == "upload":
            upload_form = WordlistUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                uploaded = upload_form.cleaned_data["file"]
                try:
                    rows = parse_wordlist(decode_csv_bytes(uploaded.read()))
                except WordlistFileError as exc:
                    upload_errors = exc.errors
                else:
                    result = checks_services.wordlist_import(
                        rows=rows, acting_user=request.user, source=uploaded.name
                    )
                    messages.success(
                        request,
                        _(
                            "导入完成：新增 %(created)d 条，更新 %(updated)d 条，"
                            "未变 %(unchanged)d 条。"
                        )
                        % {
                            "created": result.created,
                            "updated": result.updated,
                            "unchanged": result.unchanged,
                        },
                    )
                    return redirect("staff:review_wordlist")
        else:
            entry_form = WordlistEntryForm(request.POST)
            if entry_form.is_valid():
                try:
                    entry = checks_services.wordlist_entry_save(
                        word=entry_form.cleaned_data["word"],
                        category=entry_form.cleaned_data["category"],
                        suggestion=entry_form.cleaned_data["suggestion"],
                        is_blocking=entry_form.is_blocking(),
                        acting_user=request.user,
                    )
                except ValidationError as exc:
                    entry_form.add_error(None, exc)
                else:
                    messages.success(request, _("已保存词语“%(word)s”。") % {"word": entry.word})
                    return redirect("staff:review_wordlist")
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    qs = WordlistEntry.objects.order_by("category", "word")
    if q:
        qs = qs.filter(Q(word__contains=q) | Q(suggestion__contains=q))
    if category in WordCategory.values:
        qs = qs.filter(category=category)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/review/wordlist.html",
        {
            "page": page,
            "page_obj": page,
            "q": q,
            "category": category,
            "categories": WordCategory.choices,
            "may_edit": may_edit,
            "upload_form": upload_form,
            "entry_form": entry_form,
            "upload_errors": upload_errors,
            "starter_count": len(starter_rows()) if may_edit else 0,
        },
    )


@staff_required
@require_POST
def review_wordlist_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not _may_answer_reports(request.user):
        return forbidden(request, _("只有政务公开管理员可以维护错敏词库。"))
    entry = get_object_or_404(WordlistEntry, pk=pk)
    checks_services.wordlist_entry_delete(entry=entry, acting_user=request.user)
    messages.success(request, _("已删除词语“%(word)s”。") % {"word": entry.word})
    return redirect("staff:review_wordlist")


@staff_required
@require_POST
def review_item_mask(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """一键遮蔽 on an item, then back to where the button was (the item page by default)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.http import url_has_allowed_host_and_scheme

    from gongkai.catalogue.models import InformationItem

    item = get_object_or_404(InformationItem, pk=pk)
    try:
        changed = catalogue_services.item_mask_personal_data(item=item, acting_user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        changed = None
    if changed:
        messages.success(request, _("已遮蔽正文、标题和内容概述中的个人信息。"))
    elif changed is not None:
        messages.info(request, _("没有需要遮蔽的个人信息（附件中的内容需替换附件文件）。"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = f"/staff/items/{item.pk}/"
    return redirect(target)


# --------------------------------------------------------------------------------------------
# 条例第十八条: 不公开信息定期评估 — and the 第二十条 column mapping of 网站自查
# --------------------------------------------------------------------------------------------


@staff_required
def review_disclosure(request: AuthenticatedHttpRequest) -> HttpResponse:
    from gongkai.oversight.disclosure import review_state_labels
    from gongkai.oversight.selectors import disclosure_review_months, disclosure_review_rows

    show_all = request.GET.get("all") == "1"
    rows = disclosure_review_rows(request.user, include_current=show_all)
    return render(
        request,
        "staff/review/disclosure.html",
        {
            "rows": rows,
            "show_all": show_all,
            "months": disclosure_review_months(),
            "state_labels": review_state_labels(),
        },
    )


@staff_required
def review_disclosure_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from gongkai.catalogue.models import InformationItem
    from gongkai.catalogue.selectors import can_edit_item
    from gongkai.oversight.forms import DisclosureReviewForm
    from gongkai.oversight.models import DisclosureReview

    item = get_object_or_404(InformationItem.objects.select_related("organisation"), pk=pk)
    if not can_edit_item(request.user, item):
        return forbidden(request, _("您没有评估其他机构政府信息的权限。"))
    form = DisclosureReviewForm(
        request.POST or None,
        initial={"disclosure": item.disclosure, "reason": item.disclosure_reason},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["decision"] == "keep":
                oversight_services.disclosure_review_keep(
                    item=item,
                    disclosure=d["disclosure"],
                    reason=d["reason"],
                    acting_user=request.user,
                )
                messages.success(request, _("已记录评估结论：维持不主动公开。"))
            else:
                oversight_services.disclosure_review_propose(
                    item=item, reason=d["reason"], acting_user=request.user
                )
                messages.success(request, _("已提出转主动公开建议，待本机关政务公开管理员决定。"))
        except ValidationError as error:
            item.refresh_from_db()
            form.add_service_errors(error)
        else:
            return redirect("staff:review_disclosure")
    return render(
        request,
        "staff/review/disclosure_item.html",
        {
            "item": item,
            "form": form,
            "history": DisclosureReview.objects.filter(item=item).select_related("proposal"),
        },
    )


@staff_required
def review_article20(request: AuthenticatedHttpRequest) -> HttpResponse:
    from gongkai.catalogue.models import Column
    from gongkai.oversight.disclosure import ARTICLE_20_CATEGORIES, CHECKED_CATEGORIES
    from gongkai.oversight.forms import Article20ColumnsForm
    from gongkai.oversight.selectors import article20_mapping

    if not oversight_services.can_configure_article20(request.user):
        return forbidden(request, _("只有上级机关的政务公开管理员可以设置第二十条栏目对应关系。"))
    columns = Column.objects.filter(is_active=True).select_related("organisation")
    mapping = article20_mapping()
    form = Article20ColumnsForm(request.POST or None, mapping=mapping, columns=columns)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for number, _item, _text in ARTICLE_20_CATEGORIES:
                    oversight_services.article20_columns_set(
                        number=number,
                        columns=list(form.cleaned_data[f"c{number}"]),
                        acting_user=request.user,
                    )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("已保存第二十条栏目对应关系。"))
            return redirect("staff:review_article20")
    return render(
        request,
        "staff/review/article20.html",
        {
            "form": form,
            "unchecked": [
                f"c{n}" for n, _i, _t in ARTICLE_20_CATEGORIES if n not in CHECKED_CATEGORIES
            ],
        },
    )
