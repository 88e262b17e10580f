"""An organisation's own 答复书 templates."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role, User
from gongkai.accounts.selectors import is_staff_user, user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .. import reply_kinds
from ..models import (
    ReplyKind,
    ReplyTemplate,
)
from .base import CaseError

TEMPLATE_PLACEHOLDERS = (
    "applicant",
    "received",
    "reference",
    "info",
    "organisation",
    "facts",
    "detail",
)


def _check_template(body: str) -> None:
    import string

    try:
        names = {name for _t, name, _f, _c in string.Formatter().parse(body) if name is not None}
    except ValueError as exc:
        raise CaseError(
            {"body": _("答复正文格式错误（花括号不配对）：%(e)s") % {"e": exc}}
        ) from exc
    unknown = sorted(n for n in names if n not in TEMPLATE_PLACEHOLDERS)
    if unknown:
        raise CaseError(
            {
                "body": _("无法识别的占位符：%(n)s；可用 %(ok)s")
                % {
                    "n": "、".join("{" + n + "}" for n in unknown),
                    "ok": "、".join("{" + n + "}" for n in TEMPLATE_PLACEHOLDERS),
                }
            }
        )


@transaction.atomic
def reply_template_save(
    *,
    organisation: Organisation,
    outcome: str,
    body: str,
    legal_basis: str,
    remedy: str,
    acting_user: User,
) -> ReplyTemplate:
    """An organisation's own 答复书 text for one reply kind (``outcome`` holds the kind;
    overrides the default template)."""
    if not is_staff_user(acting_user) or not user_has_role(acting_user, organisation, Role.ADMIN):
        raise PermissionDenied(_("只有本机关的政务公开管理员可以修改答复书模板"))
    outcome = reply_kinds.LEGACY_OUTCOME_KINDS.get(outcome, outcome)
    if outcome not in ReplyKind.values:
        raise CaseError({"outcome": _("请选择答复类型")})
    if not body.strip():
        raise CaseError({"body": _("请填写答复正文")})
    _check_template(body)
    if reply_kinds.KIND_RULES[outcome].required and "{facts}" not in body:
        # Without it the letter would drop what 第三十六条 requires it to tell the applicant.
        raise CaseError(
            {
                "body": _("“%(k)s”的答复正文须包含占位符{facts}（答复所述事实）")
                % {"k": ReplyKind(outcome).label}
            }
        )
    tpl, created = ReplyTemplate.objects.update_or_create(
        outcome=outcome,
        organisation=organisation,
        defaults={
            "body": body.strip(),
            "legal_basis": legal_basis.strip(),
            "remedy": remedy.strip(),
        },
    )
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=tpl,
        organisation=organisation,
        detail={"outcome": outcome},
    )
    return tpl
