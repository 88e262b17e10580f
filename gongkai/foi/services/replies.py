"""答复 (条例第三十六条至第三十九条): the reply letter drafted from its kind's template, and the
steps of its review."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, User
from gongkai.core.status import ContentStatus

from .. import documents, reply_defaults, reply_kinds
from ..models import (
    Case,
    CaseDocument,
    CaseEvent,
    ReplyKind,
    ReplyTemplate,
    Status,
)
from . import letters
from .base import (
    CaseError,
    _check_step,
    _event,
    _lock,
    _not_before_receipt,
    _received,
    _require_handler,
    _today,
)
from .clock import _save

E = CaseEvent.Type


def reply_template_for(kind: str, organisation: Organisation) -> tuple[str, str, str]:
    """(body, legal basis, remedy) of a reply kind: the organisation's template, else the
    default one. A report-row code of a kind renamed in issue 20 (4.1, 3.8, 5.2) is accepted."""
    kind = reply_kinds.LEGACY_OUTCOME_KINDS.get(kind, kind)
    tpl = (
        ReplyTemplate.objects.filter(outcome=kind, organisation=organisation).first()
        or ReplyTemplate.objects.filter(outcome=kind, organisation__isnull=True).first()
    )
    if tpl is not None:
        return tpl.body, tpl.legal_basis, tpl.remedy
    body, basis = reply_defaults.DEFAULTS[kind]
    return body, basis, reply_defaults.default_remedy(kind)


def _published_item_facts(index_number: str) -> dict[str, str]:
    """第三十六条第（一）项: the proactively disclosed item the letter points to, by 索引号."""
    from django.urls import reverse

    from gongkai.catalogue.models import InformationItem

    item = InformationItem.objects.filter(
        index_number=index_number.strip(),
        status=InformationItem.Status.PUBLISHED,
        disclosure=InformationItem.Disclosure.PROACTIVE,
    ).first()
    if item is None:
        raise CaseError(
            {
                "index_number": _("索引号“%(i)s”不是已发布的主动公开信息，请核对")
                % {"i": index_number.strip()}
            }
        )
    # The letter leaves the site: the address must be absolute (the portal's public address).
    base = settings.GONGKAI_SITE_URL.rstrip("/")
    return {
        "index_number": item.index_number,
        "title": item.title,
        "published": documents.chinese_date(item.published_date) if item.published_date else "",
        "url": base + reverse("portal:item_detail", args=[item.pk]),
    }


def _reply_facts(
    case: Case, kind: str, facts: dict[str, str], responsible: Organisation | None
) -> dict[str, str]:
    """The facts the letter of this kind states, completed from the records where they exist
    (the published item, the responsible agency's contacts); refuses a letter that lacks one."""
    allowed = reply_kinds.KIND_RULES[kind].facts
    out = {k: str(v).strip() for k, v in facts.items() if k in allowed and str(v or "").strip()}
    if kind == ReplyKind.PROACTIVE_ALREADY:
        if out.get("index_number"):
            out.update(_published_item_facts(out["index_number"]))
        if not out.get("place") and case.organisation.address:
            out["place"] = case.organisation.name + _("（%(a)s）") % {
                "a": case.organisation.address
            }
    if kind == ReplyKind.NOT_OURS and responsible is not None:
        if responsible.pk == case.organisation_id:
            raise CaseError({"agency": _("负责公开的机关不能是本机关")})
        out["agency"] = responsible.name
        if not out.get("agency_contact"):
            contact = [c for c in (responsible.phone, responsible.address) if c]
            out["agency_contact"] = "，".join(contact)
    missing = reply_kinds.missing_facts(kind, out)
    if missing:
        raise CaseError(
            {
                name: _("“%(k)s”的答复须写明%(f)s")
                % {"k": ReplyKind(kind).label, "f": reply_kinds.FACT_LABELS[name]}
                for name in missing
            }
        )
    return out


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def case_reply(
    *,
    case: Case,
    kind: str = "",
    outcome: str = "",
    facts: dict[str, str] | None = None,
    responsible: Organisation | None = None,
    detail: str = "",
    on: date | None = None,
    acting_user: User,
    pdf: bool = True,
) -> CaseDocument:
    """Choose the kind of reply and draft the 答复书 (DOCX + PDF) from its template, stating
    the kind's facts (``reply_kinds``). The case's ``outcome`` becomes the report row of the
    kind. ``outcome`` is the pre-issue-20 way of choosing (a report-row code). A new draft
    replaces the previous letter (which must not be in review); it then goes through the
    review chain (先审后发: ``review.chain_services.review_submit``) before delivery.

    The letter is composed under the case's row lock and rendered after it is released
    (``letters``). Without a Chinese font the PDF cannot be made and the reply is refused
    (CaseError); ``pdf=False`` drafts the DOCX alone (the demo world on a machine without
    fonts)."""
    _require_handler(acting_user, case)
    with transaction.atomic():
        case = _lock(case)
        target = _check_step(case, "reply")
        kind = _reply_kind(case, kind or outcome, detail)
        stated = _reply_facts(case, kind, facts or {}, responsible)
        on = on or _today()
        _not_before_receipt(case, on, _("答复"))
        paragraphs, basis, remedy = _reply_text(case, kind, stated, detail)
        draft = letters.document_draft(
            case,
            CaseDocument.Kind.REPLY,
            _("政府信息公开申请答复书"),
            paragraphs,
            on,
            sections=[
                (_("办理结果"), str(ReplyKind(kind).label)),
                (_("法律依据"), basis),
                (_("救济途径"), remedy),
            ],
            pdf=pdf,
            created_by=acting_user,
            review_status=ContentStatus.DRAFT,
        )
    with letters.rendered(case, draft) as doc, transaction.atomic():
        case = letters.relock(case, draft)
        CaseDocument.objects.filter(
            case=case, kind=CaseDocument.Kind.REPLY, superseded=False
        ).update(superseded=True)
        letters.document_store(case, doc)
        outcome = reply_kinds.report_row(kind)
        case.outcome = outcome
        case.reply_kind = kind
        case.reply_facts = stated
        case.status = target
        _save(case)
        _event(
            case,
            E.REPLY_DRAFTED,
            on=on,
            acting_user=acting_user,
            data={"outcome": outcome, "kind": kind, "facts": stated, "document": doc.pk},
        )
    return doc


def _reply_kind(case: Case, chosen: str, detail: str) -> str:
    """The kind of reply, once the case allows it (no letter in review; 第三十六条 rules)."""
    previous = current_reply(case)
    if previous is not None and previous.review_status == ContentStatus.IN_REVIEW:
        raise CaseError(_("答复书正在审核中，不能重新拟定；如需修改，请审核人退回后再重新拟定"))
    try:
        kind = reply_kinds.kind_for(chosen)
    except ValueError:
        raise CaseError({"kind": _("请选择答复类型")}) from None
    if kind == ReplyKind.UNCLEAR and not case.events.filter(type=E.SUPPLEMENT_RECEIVED).exists():
        raise CaseError(
            {"kind": _("“补正后申请内容仍不明确”仅适用于已告知补正并收到补正材料的申请")}
        )
    if kind == ReplyKind.MASS and not case.events.filter(type=E.EXPLANATION_RECEIVED).exists():
        # 第三十五条: 不予处理 only after the applicant was asked to explain and the reasons
        # were found unreasonable (or none came in the time given); the letter says so.
        raise CaseError(
            {
                "kind": _(
                    "“不予处理：无正当理由大量反复申请”须先要求申请人说明理由，"
                    "并登记收到说明或逾期未说明（条例第三十五条）"
                )
            }
        )
    if kind in reply_kinds.REASONED_KINDS and not detail.strip():
        raise CaseError(
            {"detail": _("部分公开或不予公开的，须在答复中说明理由（条例第三十六条、第三十七条）")}
        )
    return kind


def _reply_text(
    case: Case, kind: str, stated: dict[str, str], detail: str
) -> tuple[list[str], str, str]:
    """(paragraphs, legal basis, remedy) of the letter, from the organisation's template."""
    body, basis, remedy = reply_template_for(kind, case.organisation)
    values = _SafeDict(
        applicant=case.applicant_name,
        received=documents.chinese_date(_received(case)) if case.received_date else "",
        reference=case.reference,
        info=case.requested_info,
        organisation=case.organisation.name,
        facts=reply_kinds.facts_text(kind, stated),
        detail=detail.strip(),
    )
    try:
        text = body.format_map(values)
    except (ValueError, IndexError) as exc:
        raise CaseError(
            _("答复书模板格式错误，请管理员修改“%(o)s”的模板") % {"o": ReplyKind(kind).label}
        ) from exc
    return [p for p in text.split("\n") if p.strip()], basis, remedy


def current_reply(case: Case) -> CaseDocument | None:
    return (
        CaseDocument.objects.filter(case=case, kind=CaseDocument.Kind.REPLY, superseded=False)
        .order_by("-id")
        .first()
    )


REVIEW_STEPS = {
    "submitted": E.REPLY_SUBMITTED,
    "level_approved": E.REPLY_LEVEL_APPROVED,
    "returned": E.REPLY_RETURNED,
    "approved": E.REPLY_APPROVED,
}


def reply_letter_submit_problem(document: CaseDocument) -> str:
    """Why this letter cannot be sent to review now ("" when it can)."""
    case = document.case
    if document.kind != CaseDocument.Kind.REPLY:
        return _("只有答复书需要提交审核")
    if case.status == Status.ARCHIVED:
        return _("申请 %(ref)s 已归档，不能再修改") % {"ref": case.reference}
    if document.superseded:
        return _("该答复书已被重新拟定的答复书替代，请提交最新的答复书")
    if case.status != Status.REPLY_REVIEW:
        return _("申请 %(ref)s 当前状态为“%(status)s”，不能提交答复书审核") % {
            "ref": case.reference,
            "status": Status(case.status).label,
        }
    return ""


def reply_letter_record(
    *,
    document: CaseDocument,
    step: str,
    acting_user: Any,
    note: str = "",
    data: dict | None = None,
) -> CaseEvent:
    """Record a review step of the reply letter on its case (event + audit row). Called by the
    review chain inside its transaction, after it has moved the letter's review status. The
    final approval also signs the letter (``reviewed``/``reviewed_by``/``reviewed_at``),
    which delivery requires. The statutory deadline is not paused by the review."""
    if step not in REVIEW_STEPS:
        raise CaseError(_("未知的答复书审核步骤：%(s)s") % {"s": step})
    case = _lock(document.case)
    _check_step(case, "reply_review")
    if step == "approved":
        document.reviewed = True
        document.reviewed_by = acting_user
        document.reviewed_at = timezone.now()
        document.review_status = ContentStatus.APPROVED
        document.save(update_fields=["reviewed", "reviewed_by", "reviewed_at", "review_status"])
    return _event(
        case,
        REVIEW_STEPS[step],
        on=_today(),
        acting_user=acting_user,
        note=note,
        data={"document": document.pk, **(data or {})},
    )
