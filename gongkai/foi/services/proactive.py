"""转主动公开 proposals (条例第四十四条; 第十八条 for items)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role, User
from gongkai.accounts.selectors import is_staff_user, user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from ..models import (
    DISCLOSED_OUTCOMES,
    Case,
    CaseEvent,
    ProactiveProposal,
    Status,
)
from .base import CaseError, _require_handler, _today

E = CaseEvent.Type


@transaction.atomic
def case_propose_proactive(*, case: Case, reason: str, acting_user: User) -> ProactiveProposal:
    """依申请公开转主动公开 (条例第四十四条). Allowed on answered and archived cases: the
    proposal is a separate record and does not change the case itself."""
    _require_handler(acting_user, case)
    case = Case.objects.get(pk=case.pk)
    if case.outcome not in [o.value for o in DISCLOSED_OUTCOMES] or case.status not in (
        Status.REPLIED,
        Status.ARCHIVED,
    ):
        raise CaseError(_("只有已答复“予以公开”或“部分公开”的申请才能建议转为主动公开"))
    if not reason.strip():
        raise CaseError({"reason": _("请填写建议转为主动公开的理由")})
    if case.proactive_proposals.filter(state=ProactiveProposal.State.PENDING).exists():
        raise CaseError(_("该申请已有待处理的转主动公开建议"))
    proposal = ProactiveProposal.objects.create(
        case=case, reason=reason.strip(), proposed_by=acting_user
    )
    CaseEvent.record(
        case=case,
        type_=E.PROACTIVE_PROPOSED,
        on=_today(),
        acting_user=acting_user,
        note=reason.strip(),
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=proposal,
        organisation=case.organisation,
        detail={"case": case.reference},
    )
    return proposal


@transaction.atomic
def item_propose_proactive(*, item: Any, reason: str, acting_user: User) -> ProactiveProposal:
    """转主动公开 of an item marked 依申请公开/不予公开, proposed by its periodic review
    (条例第十八条: 因情势变化可以公开的政府信息应当公开). Called by
    ``oversight.services.disclosure_review_propose``, which records the review itself. The
    proposal joins the 第四十四条 queue; accepting it does not touch the item: the change to
    主动公开 is an ordinary edit that goes through the review chain (先审后发)."""
    organisation = item.organisation
    if not is_staff_user(acting_user) or not user_has_role(acting_user, organisation, Role.EDITOR):
        raise PermissionDenied(_("您没有评估该机关政府信息的权限"))
    if item.disclosure == "proactive":
        raise CaseError(_("“%(title)s”已是主动公开") % {"title": item.title})
    if not reason.strip():
        raise CaseError({"reason": _("请填写建议转为主动公开的理由")})
    if ProactiveProposal.objects.filter(item=item, state=ProactiveProposal.State.PENDING).exists():
        raise CaseError(_("“%(title)s”已有待处理的转主动公开建议") % {"title": item.title})
    proposal = ProactiveProposal.objects.create(
        item=item, reason=reason.strip(), proposed_by=acting_user
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=proposal,
        organisation=organisation,
        detail={"item": item.index_number},
    )
    return proposal


@transaction.atomic
def proactive_proposal_decide(
    *, proposal: ProactiveProposal, accept: bool, note: str = "", acting_user: User
) -> ProactiveProposal:
    case = proposal.case
    organisation = proposal.organisation
    if case is not None:
        _require_handler(acting_user, case)
    if not is_staff_user(acting_user) or not user_has_role(acting_user, organisation, Role.ADMIN):
        raise PermissionDenied(_("转主动公开须由本机关管理员决定"))
    proposal = ProactiveProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProactiveProposal.State.PENDING:
        raise CaseError(_("该建议已处理"))
    proposal.state = (
        ProactiveProposal.State.ACCEPTED if accept else ProactiveProposal.State.REJECTED
    )
    proposal.decided_by = acting_user
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save()
    audit_record(
        action=AuditEntry.Action.APPROVE if accept else AuditEntry.Action.RETURN,
        acting_user=acting_user,
        target=proposal,
        organisation=organisation,
        detail=(
            {"case": case.reference, "note": note}
            if case is not None
            else {"item": proposal.item.index_number, "note": note}  # type: ignore[union-attr]  # item is set whenever case is None
        ),
    )
    return proposal
