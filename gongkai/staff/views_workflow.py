"""Back-office pages of the review chain (/staff/workflow/): my queue, a content's review page
(preview, check findings with one-click masking, versions with diff, decisions), the 审查台账
and the 网站自查 report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.permissions import staff_required
from gongkai.accounts.selectors import (
    organisations_for_role,
    user_has_role,
)
from gongkai.checks.item_checks import http_fetcher
from gongkai.core.status import ContentStatus
from gongkai.oversight import inspection, ledger
from gongkai.oversight.models import InspectionRun
from gongkai.review import chain_services as cs
from gongkai.review import workflow
from gongkai.review.chain_forms import (
    ChainForm,
    DecisionForm,
    LedgerFilterForm,
    SubmitForm,
    WithdrawForm,
)
from gongkai.review.chain_models import ContentKind, ReviewChain, ReviewDecision, ReviewRequest
from gongkai.review.selectors import review_abilities, review_queue, stuck_review_requests

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEDGER_PAGE_SIZE = 50


def _errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for values in error.message_dict.values():
            for message in values:
                messages.error(request, message)
    else:
        for message in error.messages:
            messages.error(request, message)


@staff_required
def workflow_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    pending: list[ReviewRequest] = list(
        review_queue(user)
        .select_related("organisation", "submitted_by")
        .order_by("submitted_at", "id")[:200]
    )
    letters = [r.object_id for r in pending if r.content_kind == ContentKind.REPLY_LETTER]
    if letters:
        from gongkai.foi.selectors import reply_letter_due_dates

        due = reply_letter_due_dates(letters)
        for r in pending:
            is_letter = r.content_kind == ContentKind.REPLY_LETTER
            setattr(r, "due_date", due.get(r.object_id) if is_letter else None)  # noqa: B010
    mine = list(
        ReviewRequest.objects.filter(submitted_by_id=user.pk)
        .select_related("organisation")
        .order_by("-submitted_at", "-id")[:50]
    )
    own_letters = [r.object_id for r in mine if r.content_kind == ContentKind.REPLY_LETTER]
    if own_letters:
        from gongkai.foi.selectors import superseded_letter_ids

        # A returned letter that has been redrafted lives on as the new draft only.
        replaced = superseded_letter_ids(own_letters)
        mine = [
            r
            for r in mine
            if not (r.content_kind == ContentKind.REPLY_LETTER and r.object_id in replaced)
        ]
    return render(
        request,
        "staff/workflow/queue.html",
        {
            "pending": pending,
            "has_letters": bool(letters),
            "mine": mine,
            "is_admin": organisations_for_role(user, Role.ADMIN).exists(),
        },
    )


def _content_or_404(kind: str, pk: int) -> Any:
    try:
        return cs.load_content(kind, pk)
    except (ObjectDoesNotExist, ValidationError):
        raise Http404(_("没有找到该内容")) from None


def _can_view(user: Any, obj: Any) -> bool:
    adapter = cs.adapter_for(obj)
    return user_has_role(user, adapter.organisation(obj), adapter.submit_role, Role.REVIEWER)


def _content_for(request: AuthenticatedHttpRequest, kind: str, pk: int) -> Any:
    obj = _content_or_404(kind, pk)
    if not _can_view(request.user, obj):
        raise PermissionDenied(_("您没有权限查看其他机构的内容。"))
    return obj


def _body_html(kind: str, obj: Any) -> str:
    # Stored bodies were sanitised (nh3 allow-list) by the content services before saving.
    if kind == ContentKind.ITEM or kind == ContentKind.INTERPRETATION:
        return str(obj.body or "")
    if kind == ContentKind.QA:
        return str(obj.answer or "")
    if kind == ContentKind.REPLY_LETTER:
        # Plain text drafted from the reply template: escaped, one paragraph per line.
        return str(linebreaks(obj.body or "", autoescape=True))
    # Other registered kinds (意见征集, 采纳情况反馈): the texts their adapter checks, escaped.
    return "".join(
        format_html("<h3>{}</h3>", label) + str(linebreaks(text, autoescape=True))
        for _source, label, text in cs.adapter_for(obj).texts(obj)
        if text
    )


@staff_required
def workflow_content(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _content_for(request, kind, pk)
    adapter = cs.adapter_for(obj)
    user = request.user
    review = cs.review_request_for(obj)
    findings = adapter.findings(obj)
    state = adapter.status(obj)
    organisation = adapter.organisation(obj)
    abilities = review_abilities(user, obj, review=review, findings=findings)
    versions = cs.versions_for(obj)
    diff: list[workflow.FieldDiff] = []
    old = new = None
    if len(versions) >= 2:
        by_number = {v.number: v for v in versions}
        try:
            b = int(request.GET.get("b", versions[-1].number))
            a = int(request.GET.get("a", b - 1))
        except ValueError:
            a, b = versions[-2].number, versions[-1].number
        old, new = by_number.get(a), by_number.get(b)
        if old is not None and new is not None:
            diff = [d for d in cs.version_diff(obj, old, new) if d.changed]
    decisions = (
        list(ReviewDecision.objects.filter(request=review).select_related("reviewer"))
        if review
        else []
    )
    levels = review.levels if review else cs.chain_levels(organisation, adapter.kind)
    return render(
        request,
        "staff/workflow/content.html",
        {
            "obj": obj,
            "kind": kind,
            "kind_label": cs._kind_label(kind),  # registered kinds beyond the enum too
            "title": adapter.title(obj),
            "state": state,
            "state_label": (
                review.position_label
                if review is not None and review.state == state
                else workflow.state_label(state)
            ),
            "review": review,
            "levels": levels,
            "level_names": [workflow.level_label(n, levels) for n in range(1, levels + 1)],
            "findings": findings,
            "has_blocking": any(f.blocking for f in findings),
            "abilities": abilities,
            "body_html": _body_html(kind, obj),
            "versions": versions,
            "old": old,
            "new": new,
            "diff": diff,
            "decisions": decisions,
            "submit_form": SubmitForm(),
            "decision_form": DecisionForm(),
            "withdraw_form": WithdrawForm(),
            "edit_url": _edit_url(kind, obj),
            "publishes": adapter.publishes,
            "case_url": (
                reverse("staff:foi_case", args=[obj.case_id])
                if kind == ContentKind.REPLY_LETTER
                else ""
            ),
            "letter_facts": _letter_facts(obj) if kind == ContentKind.REPLY_LETTER else [],
            # A 修订稿 links to the live page it will replace.
            "public_url": (
                adapter.public_url(obj)
                if state == ContentStatus.PUBLISHED or getattr(obj, "revision_of_id", None)
                else ""
            ),
        },
    )


def _letter_facts(obj: Any) -> list[tuple[str, str]]:
    """What a reviewer of a reply letter needs besides its text: the case and its deadline
    (the statutory clock keeps running during review)."""
    from gongkai.foi.selectors import workdays_left

    case = obj.case
    left = workdays_left(case)
    if left is None:
        remaining = "—"
    elif left < 0:
        remaining = _("已超期%(n)d个工作日") % {"n": -left}
    else:
        remaining = _("%(n)d个工作日") % {"n": left}
    return [
        (_("申请编号"), case.reference),
        (_("所需信息"), case.requested_info),
        (_("办理结果"), f"{case.outcome} {case.get_outcome_display()}" if case.outcome else "—"),
        (_("答复期限"), case.due_date.isoformat() if case.due_date else "—"),
        (_("剩余工作日"), remaining),
        (_("拟稿人"), obj.created_by.get_full_name() if obj.created_by else "—"),
    ]


@staff_required
def workflow_letter_file(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The reply letter as drafted (DOCX/PDF, with 法律依据 and 救济途径), for its reviewers."""
    obj = _content_for(request, ContentKind.REPLY_LETTER, pk)
    field = obj.pdf if fmt == "pdf" else obj.file if fmt == "docx" else None
    if not field:
        raise Http404
    return FileResponse(  # type: ignore[return-value]  # FileResponse is an HttpResponseBase; views return it
        field.open("rb"), as_attachment=True, filename=f"{obj.case.reference}-{obj.title}.{fmt}"
    )


def _edit_url(kind: str, obj: Any) -> str:
    names = {
        ContentKind.ITEM: "staff:items_edit",
        ContentKind.INTERPRETATION: "staff:policies_interpretation_edit",
        ContentKind.QA: "staff:policies_qa_edit",
    }
    name = names.get(kind)  # type: ignore[call-overload]  # kind is a plain str from the URL
    if name is None:
        # Kinds registered beyond the enum name their edit page in the registry.
        from gongkai.core import content

        entry = content.get(kind)
        name = entry.extra.get("staff_edit_url_name") if entry is not None else None
    return reverse(name, args=[obj.pk]) if name else ""


def _back(kind: str, pk: int) -> HttpResponse:
    return redirect("staff:workflow_content", kind=kind, pk=pk)


@require_POST
@staff_required
def workflow_submit(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _content_for(request, kind, pk)
    form = SubmitForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    try:
        review = cs.review_submit(content=obj, acting_user=request.user, override_reason=reason)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("已提交审核，等待第1级（%(label)s）审核。")
            % {"label": workflow.level_label(1, review.levels)},
        )
    return _back(kind, pk)


@require_POST
@staff_required
def workflow_mask(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _content_for(request, kind, pk)
    try:
        count = cs.content_mask_privacy(content=obj, acting_user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        if count:
            messages.success(request, _("已遮蔽 %(n)d 处个人信息。") % {"n": count})
        else:
            messages.info(request, _("没有需要遮蔽的个人信息。"))
    return _back(kind, pk)


@require_POST
@staff_required
def workflow_decide(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _content_for(request, kind, pk)
    review = cs.review_request_for(obj)
    form = DecisionForm(request.POST)
    if review is None or not form.is_valid():
        messages.error(request, _("审核意见无效。"))
        return _back(kind, pk)
    decision = form.cleaned_data["decision"]
    try:
        outcome = cs.review_decide(
            request=review,
            decision=decision,
            acting_user=request.user,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        _errors(request, error)
        return _back(kind, pk)
    if decision == workflow.RETURN:
        messages.success(request, _("已退回起草人修改。"))
    elif outcome.request.state == ContentStatus.APPROVED and kind == ContentKind.REPLY_LETTER:
        messages.success(request, _("终审通过，经办人可以送达答复书。"))
    elif outcome.published:
        messages.success(request, _("终审通过，已发布。"))
    elif outcome.request.state == ContentStatus.APPROVED:
        messages.success(request, _("终审通过，将在定时发布时间自动发布。"))
    else:
        messages.success(
            request,
            _("已通过，转第%(level)d级审核。") % {"level": outcome.request.level},
        )
    return redirect("staff:workflow_queue")


@require_POST
@staff_required
def workflow_withdraw(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _content_for(request, kind, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cs.review_withdraw(content=obj, reason=reason, acting_user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("已撤回。"))
    return _back(kind, pk)


# --------------------------------------------------------------------------------------------
# Chains
# --------------------------------------------------------------------------------------------


@staff_required
def workflow_chains(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    orgs = organisations_for_role(user, Role.ADMIN)
    if not orgs.exists():
        raise PermissionDenied(_("只有政务公开管理员可以设置审核流程。"))
    form = ChainForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            cs.review_chain_set(
                organisation=form.cleaned_data["organisation"],
                content_kind=form.cleaned_data["content_kind"],
                levels=form.cleaned_data["levels"],
                acting_user=user,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                messages.error(request, str(error))
            else:
                _errors(request, error)
        else:
            messages.success(request, _("已保存审核流程设置。"))
            # Saving is allowed (reviewers may be assigned next), but say which levels of the
            # organisations using this chain nobody can decide at: submitting there is refused.
            saved_for = form.cleaned_data["organisation"]
            for gap in cs.chain_gaps(
                cs.organisations_under(saved_for), [form.cleaned_data["content_kind"]]
            ):
                messages.warning(request, _("%(gap)s，提交后无法审核完成") % {"gap": gap.message})
            return redirect("staff:workflow_chains")
    scope = list(orgs.values_list("id", flat=True))
    chains = ReviewChain.objects.filter(
        Q(organisation_id__in=scope) | Q(organisation__isnull=True)
    ).select_related("organisation")
    return render(
        request,
        "staff/workflow/chains.html",
        {
            "form": form,
            "chains": chains,
            "gaps": cs.chain_gaps(list(orgs.order_by("sort_order", "code"))),
            "stuck": stuck_review_requests(set(scope)),
        },
    )


# --------------------------------------------------------------------------------------------
# 审查台账
# --------------------------------------------------------------------------------------------


@staff_required
def workflow_audit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    try:
        scope = ledger.ledger_scope(user)
    except PermissionDenied:
        raise
    orgs = Organisation.objects.filter(is_active=True)
    if scope is not None:
        orgs = orgs.filter(id__in=scope)
    form = LedgerFilterForm(
        request.GET or None, organisations=orgs, target_types=ledger.target_type_choices()
    )
    filters = ledger.LedgerFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = ledger.LedgerFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            action=data["action"],
            actor=data["actor"].strip(),
            organisation_id=data["organisation"].pk if data["organisation"] else None,
            target_type=data["target_type"],
        )
    elif form.is_bound:
        filters = ledger.LedgerFilter(action="__invalid__")
    entries = ledger.ledger_entries(user, filters)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(ledger.ledger_workbook(entries), content_type=XLSX)
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="shencha-taizhang-{stamp}.xlsx"'
        return response
    page = Paginator(entries, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    type_labels = dict(ledger.target_type_choices())
    rows = [
        (
            e,
            ledger.audit_sentence(e, type_labels.get(e.target_type)),
            ledger.entry_detail(e),
        )
        for e in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "staff/workflow/audit.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


# --------------------------------------------------------------------------------------------
# 网站自查
# --------------------------------------------------------------------------------------------


def _require_admin(user: Any) -> None:
    if not organisations_for_role(user, Role.ADMIN).exists():
        raise PermissionDenied(_("只有政务公开管理员可以查看网站自查。"))


def inspection_fetcher() -> Any:
    """The on-demand run checks links for real unless ``GONGKAI_INSPECTION_FETCH_LINKS`` is
    false (development machines without network)."""
    from django.conf import settings

    if not getattr(settings, "GONGKAI_INSPECTION_FETCH_LINKS", True):
        return None
    return lambda url: http_fetcher(url, timeout=5.0)


@staff_required
def workflow_inspection(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request.user)
    if request.method == "POST":
        inspection.inspection_run(fetcher=inspection_fetcher(), acting_user=request.user)
        messages.success(request, _("已完成网站自查。"))
        return redirect("staff:workflow_inspection")
    run = InspectionRun.objects.order_by("-created_at", "-id").first()
    if run is not None and request.GET.get("export") == "xlsx":
        response = HttpResponse(inspection.inspection_workbook(run), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="wangzhan-zicha-{run.today:%Y%m%d}.xlsx"'
        )
        return response
    labels = inspection.rule_labels()
    summary = []
    groups: dict[str, list[dict]] = {}
    if run is not None:
        not_applicable = run.counts.get("not_applicable", [])
        for rule in inspection.RULES:
            summary.append((labels[rule], run.counts.get(rule, 0), rule in not_applicable))
        for index, f in enumerate(run.findings):
            groups.setdefault(labels.get(f["rule"], f["rule"]), []).append({**f, "index": index})
    return render(
        request,
        "staff/workflow/inspection.html",
        {"run": run, "summary": summary, "groups": list(groups.items())},
    )
