"""Back-office 依申请公开 pages: case lists, registration, the case page and its actions.

Scope: a user sees and acts only on cases of organisations where they are 依申请公开经办人 or
管理员 (a case outside that scope is a 404, so its existence is not revealed). Lists show
personal data masked; the full data is a separate POST that writes an audit row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Role
from gongkai.accounts.permissions import forbidden, staff_required
from gongkai.accounts.selectors import organisations_for_role, user_has_role
from gongkai.core.params import bounded_int
from gongkai.core.status import ContentStatus
from gongkai.core.storage import private_file_response
from gongkai.foi import forms, selectors, services
from gongkai.foi.models import (
    OPEN_STATUSES,
    Case,
    CaseDocument,
    FeeNotice,
    Outcome,
    ReplyKind,
    ReplyTemplate,
    Status,
)
from gongkai.foi.reply_kinds import LEGACY_OUTCOME_KINDS, report_row
from gongkai.foi.services import TRANSITIONS
from gongkai.review import chain_services as review_chain
from gongkai.review import workflow as review_workflow
from gongkai.review.chain_forms import SubmitForm
from gongkai.review.chain_models import ReviewDecision
from gongkai.workdays.selectors import load_calendar


def _case_or_404(request: AuthenticatedHttpRequest, pk: int) -> Case:
    case = selectors.case_for_staff(request.user, pk)
    if case is None:
        raise Http404(_("找不到该申请，或您无权查看"))
    return case


@staff_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = selectors.cases_for_staff(request.user)
    status = request.GET.get("status", "")
    view = request.GET.get("view", "")
    org = request.GET.get("org", "")
    q = request.GET.get("q", "").strip()
    today = timezone.localdate()
    if status in Status.values:
        qs = qs.filter(status=status)
    elif view == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    if view == "overdue":
        qs = selectors.overdue(qs, today)
    org_id = bounded_int(org)
    if org_id is not None:
        qs = qs.filter(organisation_id=org_id)
    if q:
        qs = qs.filter(
            Q(reference__icontains=q) | Q(info_title__icontains=q) | Q(applicant_name__icontains=q)
        )
    page = Paginator(selectors.with_letter_review(qs).order_by("-id"), 30).get_page(
        request.GET.get("page")
    )
    letter_labels = dict(ContentStatus.choices)
    cases = list(page.object_list)
    calendar = load_calendar()
    for case in cases:  # the annotation of selectors.with_letter_review
        label = letter_labels.get(getattr(case, "letter_review", "") or "", "")
        setattr(case, "letter_review_label", label)  # noqa: B010
        # 剩余工作日 as a column (issue 15, item 4); closed cases have none.
        left = (
            selectors.workdays_left(case, today, calendar) if case.status in OPEN_STATUSES else None
        )
        setattr(case, "workdays_left", left)  # noqa: B010
        setattr(case, "overdue_days", -left if left is not None and left < 0 else 0)  # noqa: B010
    mine = selectors.cases_for_staff(request.user)
    due_soon = selectors.due_within(mine, 5, today)
    overdue = list(selectors.overdue(mine, today)[:50])
    return render(
        request,
        "staff/foi/case_list.html",
        {
            "page_obj": page,
            "cases": cases,
            "statuses": Status.choices,
            "organisations": organisations_for_role(
                request.user,
                Role.FOI_HANDLER,
                Role.ADMIN,
            ),
            "filters": {"status": status, "view": view, "org": org, "q": q},
            "due_soon": due_soon,
            "overdue": overdue,
        },
    )


@staff_required
def case_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.RecordForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():  # type: ignore[attr-defined]  # a ModelChoiceField; fields[] is typed Field
        return forbidden(request, _("您不是任何机关的依申请公开经办人"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case, code = services.case_record(
                organisation=d["organisation"],
                data=form.service_data(),
                channel=d["channel"],
                arrived=d["arrived"],
                letter_kind=d.get("letter_kind") or "",
                confirmed=d.get("confirmed"),
                acting_user=request.user,
            )
        except services.CaseError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("已登记申请 %(ref)s，查询码 %(code)s（请告知申请人，仅显示一次）")
                % {"ref": case.reference, "code": code},
            )
            return redirect("staff:foi_case", pk=case.pk)
    return render(request, "staff/foi/record.html", {"form": form})


def _errors_to_form(form, exc: services.CaseError) -> None:
    if hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            for m in msgs:
                form.add_error(field if field in form.fields else None, m)
    else:
        for m in exc.messages:
            form.add_error(None, m)


def _submit_reply(case: Case, d: dict[str, Any], user: Any, form: Any) -> None:
    """Send the current reply letter into the review chain (先审后发)."""
    letter = services.current_reply(case)
    if letter is None:
        raise services.CaseError(_("尚未拟定答复书"))
    try:
        review_chain.review_submit(
            content=letter, acting_user=user, override_reason=d["override_reason"]
        )
    except services.CaseError:
        raise
    except ValidationError as exc:
        raise services.CaseError(exc.messages) from exc


def _answered_disclosure(case: Case) -> bool:
    """第四十四条: only a 予以公开/部分公开 reply, once answered, may become proactive."""
    return case.status in (Status.REPLIED, Status.ARCHIVED) and case.outcome in ("1", "2")


DONE = gettext_lazy("操作已完成")


@dataclass(frozen=True)
class CaseAction:
    """One action of the case page: its form, the service it calls and who may see it.

    ``form(data, case)`` builds the (bound or unbound) form, ``run(case, cleaned_data, user,
    form)`` calls the service; ``step`` is the transition whose start statuses make the action
    available, unless ``available`` decides instead; ``roles`` (empty: every handler in scope)
    limits who is offered it. The service still checks everything itself."""

    run: Callable[[Case, dict[str, Any], Any, Any], object]
    form: Callable[[Any, Case], Any] | None = None
    step: str | None = None
    available: Callable[[Case], bool] | None = None
    roles: tuple[str, ...] = ()
    message: Any = DONE


def _form(cls: Any, prefix: str) -> Callable[[Any, Case], Any]:
    return lambda data, case: cls(data, prefix=prefix)


def _posted_notice_awaiting(case: Case) -> FeeNotice | None:
    """The unpaid posted fee notice whose receipt may be recorded (pay-by from receipt)."""
    if case.status != Status.AWAITING_FEE:
        return None
    return (
        case.fee_notices.filter(state=FeeNotice.State.ISSUED, delivery=FeeNotice.Delivery.POST)
        .order_by("-id")
        .first()
    )


def _posted_notice(case: Case) -> FeeNotice:
    notice = _posted_notice_awaiting(case)
    if notice is None:
        raise services.CaseError(_("没有待登记签收日期的邮寄收费通知"))
    return notice


def _lines(text: str) -> list[str]:
    return text.splitlines()


# action name (the URL segment and the form's key on the page) → its form and service.
ACTIONS: dict[str, CaseAction] = {
    "confirm": CaseAction(
        step="confirm_receipt",
        form=_form(forms.DateForm, "confirm"),
        run=lambda case, d, user, form: services.case_confirm_receipt(
            case=case, on=d["on"], acting_user=user
        ),
    ),
    "supplement": CaseAction(
        step="request_supplement",
        form=_form(forms.SupplementForm, "supplement"),
        run=lambda case, d, user, form: services.case_request_supplement(
            case=case,
            points=_lines(d["points"]),
            reply_by=d["reply_by"],
            on=d["on"],
            acting_user=user,
        ),
    ),
    "receive_supplement": CaseAction(
        step="receive_supplement",
        form=_form(forms.DateForm, "rs"),
        run=lambda case, d, user, form: services.case_receive_supplement(
            case=case, on=d["on"], acting_user=user
        ),
    ),
    "abandon": CaseAction(
        step="mark_abandoned",
        form=_form(forms.DateForm, "abandon"),
        run=lambda case, d, user, form: services.case_mark_abandoned(
            case=case, on=d["on"], acting_user=user
        ),
    ),
    "assign": CaseAction(
        step="assign",
        # The current handler and unit are preselected (issue 15, item 4).
        form=lambda data, case: forms.AssignForm(
            data,
            prefix="assign",
            organisation=case.organisation,
            initial={"handler": case.handler_id, "unit": case.handling_unit_id},
        ),
        run=lambda case, d, user, form: services.case_assign(
            case=case, handler=d["handler"], unit=d["unit"], acting_user=user
        ),
    ),
    "consult": CaseAction(
        step="consultation_start",
        form=_form(forms.ConsultationForm, "consult"),
        run=lambda case, d, user, form: services.consultation_start(
            case=case,
            kind=d["kind"],
            party=d["party"],
            sent_date=d["sent_date"],
            acting_user=user,
        ),
    ),
    "consult_reply": CaseAction(
        step="consultation_reply",
        form=lambda data, case: forms.ConsultationReplyForm(data, prefix="cr", case=case),
        run=lambda case, d, user, form: services.consultation_reply(
            consultation=d["consultation"],
            replied_date=d["replied_date"],
            reply=d["reply"],
            agrees=d["agrees"],
            acting_user=user,
        ),
    ),
    "extend": CaseAction(
        step="extend",
        roles=(Role.ADMIN,),
        form=_form(forms.ExtendForm, "extend"),
        run=lambda case, d, user, form: services.case_extend(
            case=case, days=d["days"], reason=d["reason"], on=d["on"], acting_user=user
        ),
    ),
    "fee": CaseAction(
        step="fee_notice_issue",
        form=_form(forms.FeeForm, "fee"),
        run=lambda case, d, user, form: services.fee_notice_issue(
            case=case,
            method=d["method"],
            pages=d.get("pages"),
            on=d["on"],
            delivery=d["delivery"],
            acting_user=user,
        ),
    ),
    "fee_received": CaseAction(
        available=lambda case: _posted_notice_awaiting(case) is not None,
        form=_form(forms.FeeReceiptForm, "feerec"),
        run=lambda case, d, user, form: services.fee_notice_receipt_record(
            notice=_posted_notice(case), received_date=d["received_date"], acting_user=user
        ),
    ),
    "fee_paid": CaseAction(
        step="fee_paid",
        form=_form(forms.DateForm, "paid"),
        run=lambda case, d, user, form: services.fee_paid(case=case, on=d["on"], acting_user=user),
    ),
    "fee_unpaid": CaseAction(
        step="fee_unpaid",
        form=_form(forms.DateForm, "unpaid"),
        run=lambda case, d, user, form: services.fee_unpaid(
            case=case, on=d["on"], acting_user=user
        ),
    ),
    "explain": CaseAction(
        step="request_explanation",
        form=_form(forms.ExplanationForm, "explain"),
        run=lambda case, d, user, form: services.case_request_explanation(
            case=case,
            points=_lines(d["points"]),
            reply_by=d["reply_by"],
            on=d["on"],
            acting_user=user,
        ),
    ),
    "explained": CaseAction(
        step="receive_explanation",
        form=_form(forms.ExplanationReceivedForm, "explained"),
        run=lambda case, d, user, form: services.case_receive_explanation(
            case=case, on=d["on"], note=d["note"], explained=d["explained"], acting_user=user
        ),
    ),
    "defer": CaseAction(
        available=lambda case: (
            case.status in TRANSITIONS["defer_reply"][0] and services.explanation_accepted(case)
        ),
        form=_form(forms.DeferralForm, "defer"),
        run=lambda case, d, user, form: services.case_reply_deferral_set(
            case=case, due_date=d["due_date"], reason=d["reason"], acting_user=user
        ),
    ),
    "reply": CaseAction(
        step="reply",
        form=_form(forms.ReplyForm, "reply"),
        run=lambda case, d, user, form: services.case_reply(
            case=case,
            kind=d["outcome"],
            facts=form.facts(),
            responsible=d["responsible"],
            detail=d["detail"],
            on=d["on"],
            acting_user=user,
        ),
    ),
    "submit": CaseAction(
        step="reply_review",
        form=_form(SubmitForm, "submit"),
        run=_submit_reply,
        message=gettext_lazy("答复书已提交审核，审核通过后方可送达。"),
    ),
    "deliver": CaseAction(
        step="deliver",
        form=_form(forms.DeliverForm, "deliver"),
        run=lambda case, d, user, form: services.case_deliver(
            case=case, method=d["method"], on=d["on"], acting_user=user
        ),
    ),
    "difficult": CaseAction(
        available=lambda case: case.is_open,
        run=lambda case, d, user, form: services.case_mark_difficult(
            case=case, difficult=not case.difficult, acting_user=user
        ),
    ),
    "archive": CaseAction(
        step="archive",
        run=lambda case, d, user, form: services.case_archive(case=case, acting_user=user),
    ),
    "propose": CaseAction(
        available=_answered_disclosure,
        form=_form(forms.ProposalForm, "propose"),
        run=lambda case, d, user, form: services.case_propose_proactive(
            case=case, reason=d["reason"], acting_user=user
        ),
    ),
    "admin_review": CaseAction(
        available=lambda case: not case.is_open,
        form=_form(forms.AdminReviewForm, "ar"),
        run=lambda case, d, user, form: services.admin_review_record(
            case=case,
            kind=d["kind"],
            result=d["result"],
            filed_date=d["filed_date"],
            decided_date=d["decided_date"],
            note=d["note"],
            acting_user=user,
        ),
    ),
}


def _action_forms(case: Case, data: Any = None, which: str = "") -> dict[str, Any]:
    """Every action's form for the case page; only the posted one (``which``) is bound."""
    return {
        name: action.form(data if name == which else None, case)
        for name, action in ACTIONS.items()
        if action.form is not None
    }


def _offered(case: Case, user: Any, action: CaseAction) -> bool:
    if action.roles and not user_has_role(user, case.organisation, *action.roles):
        return False
    if action.available is not None:
        return action.available(case)
    return action.step is not None and case.status in TRANSITIONS[action.step][0]


def _available(case: Case, user: Any, reply_doc: CaseDocument | None = None) -> set[str]:
    review_status = reply_doc.review_status if reply_doc is not None else ""
    out = {name for name, action in ACTIONS.items() if _offered(case, user, action)}
    # A letter in review is not redrafted (the reviewers would be judging a replaced text);
    # only a draft or a returned letter is submitted.
    if review_status == ContentStatus.IN_REVIEW:
        out.discard("reply")
    if review_status not in (ContentStatus.DRAFT, ContentStatus.RETURNED):
        out.discard("submit")
    return out


@dataclass(frozen=True)
class Step:
    """One button of the case page's action bar (issue 15, item 4): the step's name in the
    bar, the heading and submit label of its form, and a line of help where the law needs it."""

    name: str
    button: Any
    heading: Any
    submit: Any
    help: Any = ""


# The bar's order follows the statutory flow: receipt, assignment, 补正/说明理由, 征求意见,
# 延期, fees, reply, delivery, then what may happen around a case (疑难, 归档, 复议, 主动公开).
STEPS: tuple[Step, ...] = (
    Step(
        "confirm",
        gettext_lazy("确认收到"),
        gettext_lazy("确认收到（双方确认之日）"),
        gettext_lazy("确认收到"),
    ),
    Step("assign", gettext_lazy("分办"), gettext_lazy("分办"), gettext_lazy("分办")),
    Step(
        "supplement",
        gettext_lazy("告知补正"),
        gettext_lazy("告知补正"),
        gettext_lazy("发出补正告知"),
    ),
    Step(
        "receive_supplement",
        gettext_lazy("收到补正"),
        gettext_lazy("收到补正"),
        gettext_lazy("登记收到补正"),
    ),
    Step(
        "abandon",
        gettext_lazy("逾期未补正"),
        gettext_lazy("逾期未补正"),
        gettext_lazy("视为放弃申请"),
    ),
    Step(
        "explain",
        gettext_lazy("要求说明理由"),
        gettext_lazy("要求说明理由（条例第三十五条）"),
        gettext_lazy("发出说明理由告知书"),
        gettext_lazy(
            "申请数量、频次明显超过合理范围时使用；与补正不同，说明期间暂停计算，不重新起算。"
        ),
    ),
    Step(
        "explained",
        gettext_lazy("登记申请人说明"),
        gettext_lazy("申请人的说明"),
        gettext_lazy("登记"),
    ),
    Step(
        "defer",
        gettext_lazy("确定延迟答复期限"),
        gettext_lazy("确定延迟答复的合理期限（条例第三十五条）"),
        gettext_lazy("发出延迟答复告知书"),
        gettext_lazy(
            "申请人说明的理由合理，但无法在条例第三十三条规定的期限内答复时使用；"
            "答复期限改为所定日期，须晚于当前答复期限。"
        ),
    ),
    Step(
        "consult",
        gettext_lazy("征求意见"),
        gettext_lazy("征求意见"),
        gettext_lazy("发出征求意见书"),
    ),
    Step(
        "consult_reply",
        gettext_lazy("登记征求意见答复"),
        gettext_lazy("征求意见答复"),
        gettext_lazy("登记答复"),
    ),
    Step(
        "extend",
        gettext_lazy("延期答复"),
        gettext_lazy("延期答复（负责人批准）"),
        gettext_lazy("批准延期"),
    ),
    Step("fee", gettext_lazy("收费通知"), gettext_lazy("收费通知"), gettext_lazy("发出收费通知")),
    Step(
        "fee_received",
        gettext_lazy("登记收费通知签收"),
        gettext_lazy("申请人签收收费通知（邮寄）"),
        gettext_lazy("登记签收日期"),
        gettext_lazy("缴费期限自申请人收到收费通知之次日起计算20个工作日。"),
    ),
    Step("fee_paid", gettext_lazy("登记缴费"), gettext_lazy("已缴费"), gettext_lazy("登记缴费")),
    Step(
        "fee_unpaid",
        gettext_lazy("逾期未缴费"),
        gettext_lazy("逾期未缴费"),
        gettext_lazy("不再处理"),
    ),
    Step("reply", gettext_lazy("答复"), gettext_lazy("答复"), gettext_lazy("生成答复书")),
    Step("deliver", gettext_lazy("送达"), gettext_lazy("送达"), gettext_lazy("登记送达")),
    Step(
        "admin_review",
        gettext_lazy("登记复议/诉讼"),
        gettext_lazy("登记行政复议/行政诉讼"),
        gettext_lazy("登记"),
    ),
    Step(
        "propose",
        gettext_lazy("建议主动公开"),
        gettext_lazy("建议转为主动公开"),
        gettext_lazy("提出建议"),
    ),
)
# Steps without a form: one click in the bar posts them.
DIRECT_STEPS = ("difficult", "archive")


def _action_bar(
    available: set[str], chosen: str, reply_doc: CaseDocument | None
) -> tuple[list[Step], Step | None]:
    """The steps legal in the case's current state (and the user's role), and the one whose
    form is open: the chosen one, or the only one when there is a single next step."""
    steps = [
        step
        for step in STEPS
        if step.name in available
        # Delivery only of a letter that passed its review (先审后发 of the reply).
        and (step.name != "deliver" or (reply_doc is not None and reply_doc.reviewed))
    ]
    by_name = {step.name: step for step in steps}
    if chosen in by_name:
        return steps, by_name[chosen]
    return steps, steps[0] if len(steps) == 1 else None


def _reply_review(reply_doc: CaseDocument | None) -> dict[str, Any]:
    """The reply letter's place in the review chain, for the case page."""
    if reply_doc is None or not reply_doc.review_status:
        return {}
    adapter = review_chain.adapter_for(reply_doc)
    review = review_chain.review_request_for(reply_doc)
    organisation = adapter.organisation(reply_doc)
    levels = (
        review.levels
        if review is not None
        else review_chain.chain_levels(organisation, adapter.kind)
    )
    state = adapter.status(reply_doc)
    if review is not None and review.state == state:
        label = review.position_label
    else:
        label = review_workflow.state_label(state)
    returned = None
    if state == ContentStatus.RETURNED and review is not None:
        returned = (
            ReviewDecision.objects.filter(request=review, decision=ReviewDecision.Decision.RETURN)
            .order_by("-created_at", "-id")
            .first()
        )
    findings = adapter.findings(reply_doc) if state in review_workflow.SUBMITTABLE else []
    return {
        "label": label,
        "level_names": [review_workflow.level_label(n, levels) for n in range(1, levels + 1)],
        "returned": returned,
        "findings": findings,
        "has_blocking": any(f.blocking for f in findings),
        "url": adapter.staff_url(reply_doc),
    }


def _detail(
    request: AuthenticatedHttpRequest,
    case: Case,
    action_forms=None,
    status: int = 200,
    step: str = "",
) -> HttpResponse:
    left = selectors.workdays_left(case)
    reply_doc = services.current_reply(case)
    available = _available(case, request.user, reply_doc)
    # A refused POST reopens its own form; otherwise the step chosen in the bar (?step=).
    steps, open_step = _action_bar(available, step or request.GET.get("step", ""), reply_doc)
    return render(
        request,
        "staff/foi/case_detail.html",
        {
            "case": case,
            "events": case.events.select_related("actor").order_by("date", "id"),
            "documents": case.documents.order_by("id"),
            "consultations": case.consultations.all(),
            "fee_notices": case.fee_notices.all(),
            "proposals": case.proactive_proposals.all(),
            "admin_reviews": case.admin_reviews.all(),
            "left": left,
            "overdue_by": -left if left is not None and left < 0 else 0,
            "explanation": [line for line in case.deadline_note.split("\n") if line],
            "forms": action_forms or _action_forms(case),
            "available": available,
            "steps": steps,
            "open_step": open_step,
            "direct_steps": [name for name in DIRECT_STEPS if name in available],
            "reply_doc": reply_doc,
            "reply_review": _reply_review(reply_doc),
        },
        status=status,
    )


@staff_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case_or_404(request, pk))


@staff_required
@require_POST
def case_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Every case action: validate its form, call its service, report the outcome."""
    case = _case_or_404(request, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    user: Any = request.user
    fs = _action_forms(case, request.POST, action)
    form = fs.get(action)
    if form is not None and not form.is_valid():
        messages.error(request, _("操作未完成：请按提示修改表单。"))
        return _detail(request, case, fs, status=400, step=action)
    try:
        spec.run(case, form.cleaned_data if form is not None else {}, user, form)
    except PermissionDenied as exc:
        return forbidden(request, str(exc) or None)
    except services.CaseError as exc:
        if form is not None:
            _errors_to_form(form, exc)
        for m in exc.messages:
            messages.error(request, m)
        case.refresh_from_db()
        return _detail(request, case, fs, status=400, step=action)
    messages.success(request, str(spec.message))
    return redirect("staff:foi_case", pk=case.pk)


@staff_required
@require_POST
def case_personal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Full identity number, phone and address: a separate, audited action."""
    case = _case_or_404(request, pk)
    data = services.case_view_personal(
        case=case,
        acting_user=request.user,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return render(request, "staff/foi/personal.html", {"case": case, "personal": data})


@staff_required
def case_document(
    request: AuthenticatedHttpRequest, pk: int, doc_pk: int, fmt: str
) -> HttpResponse:
    case = _case_or_404(request, pk)
    doc = get_object_or_404(CaseDocument, pk=doc_pk, case=case)
    field = doc.pdf if fmt == "pdf" else doc.file if fmt == "docx" else None
    if not field:
        raise Http404
    return private_file_response(field, filename=f"{doc.title}.{fmt}")


@staff_required
def proactive_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    proposals = selectors.proactive_queue(request.user)
    return render(request, "staff/foi/proactive.html", {"proposals": proposals})


@staff_required
@require_POST
def proactive_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proactive_queue(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    try:
        services.proactive_proposal_decide(
            proposal=proposal,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", ""),
            acting_user=request.user,
        )
    except PermissionDenied as exc:
        return forbidden(request, str(exc) or None)
    except services.CaseError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("已处理"))
    return redirect("staff:foi_proactive")


@staff_required
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """答复书模板 of the organisations the user administers: own text or the default."""
    orgs = list(organisations_for_role(request.user, Role.ADMIN))
    if not orgs:
        return forbidden(request, _("只有政务公开管理员可以管理答复书模板"))
    org = next((o for o in orgs if str(o.pk) == request.GET.get("org")), orgs[0])
    own = set(ReplyTemplate.objects.filter(organisation=org).values_list("outcome", flat=True))
    rows = [
        (k.value, k.label, Outcome(report_row(k.value)).label, k.value in own) for k in ReplyKind
    ]
    return render(request, "staff/foi/templates.html", {"orgs": orgs, "org": org, "rows": rows})


@staff_required
def template_edit(request: AuthenticatedHttpRequest, org_pk: int, outcome: str) -> HttpResponse:
    orgs = organisations_for_role(request.user, Role.ADMIN)
    org = orgs.filter(pk=org_pk).first()
    outcome = LEGACY_OUTCOME_KINDS.get(outcome, outcome)
    if org is None or outcome not in ReplyKind.values:
        raise Http404
    body, basis, remedy = services.reply_template_for(outcome, org)
    form = forms.ReplyTemplateForm(
        request.POST or None, initial={"body": body, "legal_basis": basis, "remedy": remedy}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_template_save(
                organisation=org,
                outcome=outcome,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except services.CaseError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("答复书模板已保存"))
            return redirect(f"{reverse('staff:foi_templates')}?org={org.pk}")
    return render(
        request,
        "staff/foi/template_edit.html",
        {"org": org, "outcome": outcome, "outcome_label": ReplyKind(outcome).label, "form": form},
    )
