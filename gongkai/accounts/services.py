"""Writes of the accounts app: organisations, staff, roles, public accounts, login audit."""

import copy
import ipaddress
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from gongkai.core.imports import ImportRejected
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import InternalUnit, Organisation, Role, RoleAssignment, User
from .org_import import OrganisationRow, code_error, kind_error, name_error, validate_rows


def client_ip(request: HttpRequest | None) -> str | None:
    """The address axes uses for throttling, so the audit trail and the lockout agree; ``None``
    when the request carries no real address (``Client.force_login`` builds one without
    REMOTE_ADDR): the audit column is an ``inet`` on PostgreSQL and refuses anything else."""
    if request is None:
        return None
    try:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or ""
    except Exception:  # pragma: no cover - a malformed request must not break login
        address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


# --- organisations -----------------------------------------------------------------------------


@dataclass
class OrganisationImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class _DryRun(Exception):
    pass


def organisations_import(
    *,
    rows: Iterable[OrganisationRow],
    acting_user: Any = None,
    dry_run: bool = False,
    source: str = "",
) -> OrganisationImportResult:
    """Create or update organisations from validated rows, all or nothing.

    Raises `ImportRejected` listing every bad row; then nothing is written. Existing codes get
    their name, kind and parent replaced by the file's values. With ``dry_run`` everything is
    validated and counted, then rolled back.
    """
    rows = list(rows)
    result = OrganisationImportResult()
    try:
        with transaction.atomic():
            # Lock the tree for the duration so two imports cannot interleave into a cycle.
            orgs = list(Organisation.objects.select_for_update().order_by("pk"))
            code_by_id = {o.pk: o.code for o in orgs}
            existing = {o.code: o for o in orgs}
            existing_parents = {
                o.code: (code_by_id[o.parent_id] if o.parent_id else None) for o in orgs
            }
            errors = validate_rows(rows, existing_parents)
            if errors:
                raise ImportRejected(errors)
            by_code: dict[str, Organisation] = dict(existing)
            created_codes: set[str] = set()
            # Pass 1: create new organisations and update plain fields; parents may be declared
            # further down the file, so they are linked in pass 2.
            for row in rows:
                org = existing.get(row.code)
                if org is None:
                    org = _organisation_insert(code=row.code, name=row.name, kind=row.kind)
                    by_code[row.code] = org
                    created_codes.add(row.code)
                    result.created.append(row.code)
            for row in rows:
                org = by_code[row.code]
                parent = by_code[row.parent_code] if row.parent_code else None
                parent_id = parent.pk if parent else None
                if row.code in created_codes:
                    org.parent = parent
                    org.save(update_fields=["parent"])
                    continue
                if (org.name, org.kind, org.parent_id) == (row.name, row.kind, parent_id):
                    result.unchanged.append(row.code)
                    continue
                org.name, org.kind, org.parent = row.name, row.kind, parent
                org.save(update_fields=["name", "kind", "parent"])
                result.updated.append(row.code)
            audit_record(
                action=AuditEntry.Action.IMPORT,
                acting_user=acting_user,
                target_label=_("机构导入 %(source)s") % {"source": source}
                if source
                else _("机构导入"),
                detail={
                    "kind": "organisations",
                    "source": source,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": len(result.unchanged),
                },
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


# --- staff and roles ---------------------------------------------------------------------------


def _organisation_insert(
    *, code: str, name: str, kind: str, parent: Organisation | None = None, **extra: Any
) -> Organisation:
    """The one place an organisation row is born (the import and the back office's 新建机构);
    callers have validated the fields with the rules of ``org_import`` and audit the creation."""
    return Organisation.objects.create(code=code, name=name, kind=kind, parent=parent, **extra)


def staff_user_create(
    *,
    username: str,
    password: str | None,
    display_name: str,
    acting_user: Any,
    unit: InternalUnit | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("请填写用户名")})
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    if len(username) > User._meta.get_field("username").max_length:  # type: ignore[operator]
        raise ValidationError({"username": _("用户名最多150个字符")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已被使用") % {"u": username}})
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            kind=User.Kind.STAFF,
            unit=unit,
        )
        if password:
            validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=user,
            target_label=user.get_full_name(),
            organisation=unit.organisation if unit else None,
            detail={"kind": "staff"},
        )
    return user


def role_assignment_check(
    *, user: User, organisation: Organisation, role: str, review_level: int
) -> None:
    """The rules of a grant, shared by `role_assign` and the admin form."""
    if user.kind != User.Kind.STAFF:
        raise ValidationError(_("只能给工作人员账号授予角色，“%(u)s”是公众账号") % {"u": user})
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色“%(r)s”") % {"r": role}})
    if role == Role.REVIEWER and review_level not in (1, 2, 3):
        raise ValidationError({"review_level": _("审核人须指定审核级别：1 初审，2 复审，3 终审")})
    if role != Role.REVIEWER and review_level != 0:
        raise ValidationError({"review_level": _("只有审核人才有审核级别")})
    if RoleAssignment.objects.filter(
        user=user, organisation=organisation, role=role, review_level=review_level
    ).exists():
        raise ValidationError(
            _("%(u)s 已在 %(o)s 拥有该角色") % {"u": user.get_full_name(), "o": organisation}
        )


def role_assign(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    acting_user: Any,
    review_level: int = 0,
    include_descendants: bool = False,
) -> RoleAssignment:
    role_assignment_check(
        user=user, organisation=organisation, role=role, review_level=review_level
    )
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user,
            organisation=organisation,
            role=role,
            review_level=review_level,
            include_descendants=include_descendants,
        )
        audit_record(
            action=AuditEntry.Action.PERMISSION,
            acting_user=acting_user,
            target=user,
            target_label=user.get_full_name(),
            organisation=organisation,
            detail={
                "change": "assign",
                "role": role,
                "organisation": organisation.code,
                "review_level": review_level,
                "include_descendants": include_descendants,
            },
        )
    return assignment


def role_revoke(*, assignment: RoleAssignment, acting_user: Any) -> None:
    with transaction.atomic():
        user, organisation = assignment.user, assignment.organisation
        detail = {
            "change": "revoke",
            "role": assignment.role,
            "organisation": organisation.code,
            "review_level": assignment.review_level,
            "include_descendants": assignment.include_descendants,
        }
        assignment.delete()
        audit_record(
            action=AuditEntry.Action.PERMISSION,
            acting_user=acting_user,
            target=user,
            target_label=user.get_full_name(),
            organisation=organisation,
            detail=detail,
        )


# --- public accounts ---------------------------------------------------------------------------


# --- public sign-up (ADR 0007: e-mail first, one-time code, no account enumeration) ----------

REGISTRATION_CODE_SECONDS = 30 * 60
REGISTRATION_CODE_ATTEMPTS = 5
_CODE_SALT = "gongkai.accounts.registration-code"


def _code_digest(email: str, code: str) -> str:
    return salted_hmac(_CODE_SALT, f"{email}\n{code}", algorithm="sha256").hexdigest()


def _existing_account_mail(user: User, request: HttpRequest | None) -> tuple[str, str]:
    site = settings.GONGKAI_SITE_NAME
    lines = [
        _("%(name)s，您好：") % {"name": user.get_full_name()},
        "",
        _(
            "有人（希望是您本人）使用本邮箱申请注册%(site)s的公众账号。该邮箱已经有账号，无需重复注册。"
        )
        % {"site": site},
        _("您的用户名：%(username)s") % {"username": user.get_username()},
    ]
    if user.is_active and user.has_usable_password():
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        url = request.build_absolute_uri(path) if request is not None else path
        lines += ["", _("如果忘记了密码，请在3天内打开下面的链接重设："), url]
    else:
        lines += ["", _("该账号目前不能登录，请联系网站管理员。")]
    lines += ["", _("如果不是您本人操作，请忽略本邮件，您的账号不会有任何变化。")]
    return _("【%(site)s】您已有账号") % {"site": site}, "\n".join(lines)


def _code_mail(code: str) -> tuple[str, str]:
    site = settings.GONGKAI_SITE_NAME
    body = "\n".join(
        [
            _("您好："),
            "",
            _("您正在注册%(site)s的公众账号，邮箱验证码：%(code)s") % {"site": site, "code": code},
            _("验证码30分钟内有效，请勿告诉他人。"),
            "",
            _("如果不是您本人操作，请忽略本邮件。"),
        ]
    )
    return _("【%(site)s】注册验证码 %(code)s") % {"site": site, "code": code}, body


def registration_code_send(*, email: str, request: HttpRequest | None = None) -> dict[str, Any]:
    """Sign-up, step 1: mail a one-time code to ``email``, or — when the address already has an
    account — a "you already have an account, reset your password here" message instead. The
    caller keeps the returned record (the browser session) and answers the same either way,
    so the page never tells whether an address is registered. No code opens the record of a
    registered address."""
    email = User.objects.normalize_email(email.strip()).lower()
    existing = (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )
    if existing is None:
        code = f"{secrets.randbelow(1_000_000):06d}"
        digest = _code_digest(email, code)
        subject, body = _code_mail(code)
    else:
        digest = ""
        subject, body = _existing_account_mail(existing, request)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return {
        "email": email,
        "digest": digest,
        "expires": int(time.time()) + REGISTRATION_CODE_SECONDS,
        "attempts": 0,
    }


def registration_code_matches(pending: dict[str, Any], code: str) -> bool:
    """Whether ``code`` is the one mailed for ``pending`` and still valid; the caller counts
    every comparison (``REGISTRATION_CODE_ATTEMPTS``)."""
    digest = str(pending.get("digest") or "")
    if not digest or int(pending.get("expires") or 0) < time.time():
        return False
    return constant_time_compare(digest, _code_digest(str(pending.get("email", "")), code))


def public_account_register(
    *,
    username: str,
    password: str,
    display_name: str,
    applicant_type: str,
    phone: str,
    email: str = "",
    request: HttpRequest | None = None,
) -> User:
    """条例 Art. 27: 公民、法人或者其他组织 may apply; the type feeds the annual-report table.
    The portal calls it after the address is verified (``registration_code_matches``), with
    the address as the username: an error about a taken name or address reaches only the
    owner of that mailbox."""
    if applicant_type not in User.ApplicantType.values:
        raise ValidationError({"applicant_type": _("请选择申请人类型")})
    username = username.strip()
    email = email.strip()
    taken = User.objects.filter(username__iexact=username)
    if email:
        taken = taken | User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if taken.exists():
        raise ValidationError({"email": _("该邮箱已经注册过账号，请直接登录或重设密码。")})
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name.strip(),
            phone=phone.strip(),
            email=email,
            applicant_type=applicant_type,
            kind=User.Kind.PUBLIC,
        )
        if applicant_type != User.ApplicantType.NATURAL:
            user.organisation_name = user.display_name
        validate_password(password, user)
        user.set_password(password)
        user.save()
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=user,
            target=user,
            target_label=user.get_full_name(),
            detail={"kind": "public", "applicant_type": applicant_type},
            ip_address=client_ip(request),
        )
    return user


# --- login audit (called from the auth signals) ------------------------------------------------


def login_succeeded_record(*, user: User, request: HttpRequest | None) -> None:
    audit_record(
        action=AuditEntry.Action.LOGIN,
        acting_user=user,
        target=user,
        target_label=user.get_full_name(),
        ip_address=client_ip(request),
    )


def login_failed_record(*, username: str, request: HttpRequest | None) -> None:
    """Record the attempted name; point at the account when it exists, to spot guessing."""
    username = (username or "")[:150]
    account = User.objects.filter(username=username).first() if username else None
    audit_record(
        action=AuditEntry.Action.LOGIN_FAILED,
        target=account,
        target_label=username,
        detail={"username": username},
        ip_address=client_ip(request),
    )


# ------------------------------------------------------------- account controls (issue 19)


@transaction.atomic
def password_set(
    *, user: User, password: str, acting_user: Any, request: HttpRequest | None = None, how: str
) -> User:
    """A password change (``how``: "change" by the user, "reset" by an e-mailed link).

    The caller validated the password with the form (``validate_password``); the audit row
    records that it changed, never the value.
    """
    user.set_password(password)  # also stamps password_changed_at (定期更换)
    # The owner's own password replaces an administrator's temporary one.
    user.password_must_change = False
    user.save(update_fields=["password", "password_changed_at", "password_must_change"])
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user if getattr(acting_user, "is_authenticated", False) else user,
        target=user,
        target_label=user.get_full_name(),
        detail={"password": how},
        ip_address=client_ip(request),
    )
    return user


def totp_device_for_enrolment(*, user: User) -> Any:
    """The account's unconfirmed TOTP device (created once, so a reload shows the same key)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    return device


@transaction.atomic
def totp_enrol_confirm(
    *, device: Any, token: str, acting_user: User, request: HttpRequest | None = None
) -> bool:
    """Confirm the device with a first correct code; other devices of the account are removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.user_id != acting_user.pk or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=acting_user,
        target_label=acting_user.get_full_name(),
        detail={"totp": "enrolled"},
        ip_address=client_ip(request),
    )
    return True


def organisation_guide_update(
    *, organisation: Organisation, data: dict[str, str], acting_user: Any
) -> Organisation:
    """Update the 政府信息公开工作机构 contacts the 公开指南 is built from (条例第十二条).

    Only the organisation's 政务公开管理员 may; the audit row names the fields that changed with
    their old and new values. ``data`` holds cleaned form values of ``OGI_OFFICE_FIELDS``.
    """
    from .guide import OGI_OFFICE_FIELDS
    from .permissions import can_administer_organisation

    if not can_administer_organisation(acting_user, organisation):
        raise PermissionDenied(_("只有本机构的政务公开管理员可以修改公开指南"))
    unknown = set(data) - set(OGI_OFFICE_FIELDS)
    if unknown:
        raise ValidationError(_("公开指南没有这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    changes = {
        name: {"old": getattr(organisation, name), "new": (value or "").strip()}
        for name, value in data.items()
        if (value or "").strip() != getattr(organisation, name)
    }
    if not changes:
        return organisation
    # Validate a copy, so a refused change leaves the caller's instance as it was.
    candidate = copy.copy(organisation)
    for name, change in changes.items():
        setattr(candidate, name, change["new"])
    candidate.full_clean(validate_unique=False)
    for name, change in changes.items():
        setattr(organisation, name, change["new"])
    with transaction.atomic():
        organisation.save(update_fields=list(changes))
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=organisation,
            organisation=organisation,
            detail={"guide": changes},
        )
    return organisation


# --- administration by the 政务公开管理员 (issue 15, item 7) ----------------------------------

# The organisation fields the 政务公开管理员 keeps in the back office. The code (索引号 前段码,
# the key of imports and URLs), the parent and the kind stay with whoever builds the tree
# (import_organisations), the 索引号 format goes through catalogue.services.
ORGANISATION_ADMIN_FIELDS = (
    "name",
    "short_name",
    "address",
    "office_hours",
    "phone",
    "fax",
    "email",
    "postcode",
    "leaders",
    "functions",
    "sort_order",
)
UNIT_FIELDS = ("name", "phone", "functions", "sort_order")


def _require_admin_of(acting_user: Any, organisation: Organisation, message: str) -> None:
    from .permissions import can_administer_organisation

    if not (
        getattr(acting_user, "is_superuser", False)
        or can_administer_organisation(acting_user, organisation)
    ):
        raise PermissionDenied(message)


def changed_fields(instance: Any, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields of ``data`` whose value differs from ``instance``'s, with old and new values
    (what the audit row records: only what changed)."""

    def plain(value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    return {
        name: {"old": getattr(instance, name), "new": plain(value)}
        for name, value in data.items()
        if plain(value) != getattr(instance, name)
    }


def organisation_update(
    *, organisation: Organisation, data: dict[str, Any], acting_user: Any
) -> Organisation:
    """Update an organisation's name, contacts, leaders, functions and order. Only its
    政务公开管理员 (or one above it with 含下级机构) may; the audit row names what changed."""
    _require_admin_of(acting_user, organisation, _("只有本机构的政务公开管理员可以修改机构信息"))
    unknown = set(data) - set(ORGANISATION_ADMIN_FIELDS)
    if unknown:
        raise ValidationError(_("不能在此修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    changes = changed_fields(organisation, data)
    if not changes:
        return organisation
    candidate = copy.copy(organisation)
    for name, change in changes.items():
        setattr(candidate, name, change["new"])
    candidate.full_clean(validate_unique=False)
    with transaction.atomic():
        for name, change in changes.items():
            setattr(organisation, name, change["new"])
        organisation.save(update_fields=list(changes))
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=organisation,
            organisation=organisation,
            detail={"changes": changes},
        )
    return organisation


def internal_unit_save(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    acting_user: Any,
    unit: InternalUnit | None = None,
) -> InternalUnit:
    """Create (``unit=None``) or update a 科室 of ``organisation``; a 科室 name is unique within
    its organisation."""
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError(_("该科室不属于%(o)s") % {"o": organisation.name})
    _require_admin_of(acting_user, organisation, _("只有本机构的政务公开管理员可以维护科室"))
    unknown = set(data) - set(UNIT_FIELDS)
    if unknown:
        raise ValidationError(_("科室没有这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    created = unit is None
    target = unit if unit is not None else InternalUnit(organisation=organisation)
    changes = changed_fields(target, data) if not created else {}
    name = (data.get("name", target.name) or "").strip()
    clash = InternalUnit.objects.filter(organisation=organisation, name=name)
    if not created:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("%(o)s已有名为“%(n)s”的科室") % {"o": organisation.name, "n": name}}
        )
    for field_name, value in data.items():
        setattr(target, field_name, value.strip() if isinstance(value, str) else value)
    target.full_clean()
    if not created and not changes:
        return target
    with transaction.atomic():
        target.save()
        audit_record(
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=target,
            organisation=organisation,
            detail={"unit": {k: getattr(target, k) for k in UNIT_FIELDS}}
            if created
            else {"changes": changes},
        )
    return target


def internal_unit_delete(*, unit: InternalUnit, acting_user: Any) -> None:
    """Remove a 科室; its members keep their accounts (their 科室 becomes empty)."""
    organisation = unit.organisation
    _require_admin_of(acting_user, organisation, _("只有本机构的政务公开管理员可以维护科室"))
    with transaction.atomic():
        label, pk, members = str(unit), unit.pk, unit.members.count()
        unit.delete()
        audit_record(
            action=AuditEntry.Action.DELETE,
            acting_user=acting_user,
            target_label=label,
            organisation=organisation,
            detail={"unit_id": pk, "members_unassigned": members},
        )


def role_assign_by_admin(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    acting_user: Any,
    review_level: int = 0,
    include_descendants: bool = False,
) -> RoleAssignment:
    """A 政务公开管理员 gives a staff member a role in an organisation they administer (审核人
    of a review level, editor, handler, administrator). Public accounts get no staff role."""
    _require_admin_of(acting_user, organisation, _("只能在本人管理的机构内分配角色"))
    if not user.is_active:
        raise ValidationError({"user": _("账号“%(u)s”已停用，不能分配角色") % {"u": user}})
    if role != Role.REVIEWER:
        review_level = 0  # the form's level field only means something for 审核人
    return role_assign(
        user=user,
        organisation=organisation,
        role=role,
        acting_user=acting_user,
        review_level=review_level,
        include_descendants=include_descendants,
    )


def role_revoke_by_admin(*, assignment: RoleAssignment, acting_user: Any) -> None:
    _require_admin_of(acting_user, assignment.organisation, _("只能在本人管理的机构内撤销角色"))
    if assignment.user_id == getattr(acting_user, "pk", None) and assignment.role == Role.ADMIN:
        # Revoking one's own administrator role could leave the organisation unmanaged.
        raise ValidationError(_("不能撤销本人的政务公开管理员角色，请由其他管理员操作"))
    role_revoke(assignment=assignment, acting_user=acting_user)


# --- new organisations and their 停用 (issue 15, item 7) ---------------------------------------


def _require_tree_admin(acting_user: Any, parent: Organisation | None, message: str) -> None:
    from .permissions import can_administer_tree_under

    if can_administer_tree_under(acting_user, parent):
        return
    if parent is None:
        raise PermissionDenied(_("只有全平台的政务公开管理员可以新建或停用顶级机构"))
    raise PermissionDenied(message)


def organisation_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Organisation | None,
    acting_user: Any,
    short_name: str = "",
    sort_order: int = 100,
) -> Organisation:
    """A new organisation under ``parent`` (a 下级机构 or 部门), or a top-level one. The fields
    follow the import's rules (``org_import``); contacts and the 公开指南 are edited afterwards.

    A creator whose administrator role does not reach the new organisation (no 含下级机构) is
    made its 政务公开管理员, so whoever creates a body can go on to staff it."""
    _require_tree_admin(acting_user, parent, _("只能在本人管理的机构下新建下级机构"))
    if parent is not None and not parent.is_active:
        raise ValidationError(
            {"parent": _("上级机构“%(o)s”已停用，不能在其下新建机构") % {"o": parent.name}}
        )
    code, name, short_name = code.strip(), name.strip(), short_name.strip()
    errors = {
        field: problem
        for field, problem in (
            ("code", code_error(code)),
            ("name", name_error(name)),
            ("kind", kind_error(kind)),
        )
        if problem
    }
    holder = None if "code" in errors else Organisation.objects.filter(code=code).first()
    if holder is not None:
        errors["code"] = _("机构代码“%(code)s”已被“%(o)s”使用") % {"code": code, "o": holder.name}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            organisation = _organisation_insert(
                code=code,
                name=name,
                kind=kind,
                parent=parent,
                short_name=short_name,
                sort_order=sort_order,
            )
            audit_record(
                action=AuditEntry.Action.CREATE,
                acting_user=acting_user,
                target=organisation,
                organisation=organisation,
                detail={"code": code, "kind": kind, "parent": parent.code if parent else None},
            )
            _admin_role_for_creator(acting_user, organisation)
    except IntegrityError as error:  # the same code saved a moment ago by someone else
        raise ValidationError({"code": _("机构代码“%(code)s”已被使用") % {"code": code}}) from error
    return organisation


def _admin_role_for_creator(acting_user: Any, organisation: Organisation) -> None:
    from .permissions import can_administer_organisation

    if getattr(acting_user, "is_superuser", False) or can_administer_organisation(
        acting_user, organisation
    ):
        return
    role_assign(
        user=acting_user, organisation=organisation, role=Role.ADMIN, acting_user=acting_user
    )


def organisation_active_set(
    *, organisation: Organisation, active: bool, acting_user: Any
) -> Organisation:
    """停用 or 启用 an organisation. Organisations are never deleted here: their items,
    applications and audit rows keep pointing at them. A 停用 organisation leaves the menus,
    the forms and the administrators' lists; its published content stays where it is."""
    parent = organisation.parent
    _require_tree_admin(acting_user, parent, _("只有上级机构的政务公开管理员可以停用或启用本机构"))
    if organisation.is_active == active:
        return organisation
    if not active and organisation.children.filter(is_active=True).exists():
        raise ValidationError(
            _("“%(o)s”还有启用的下级机构，请先停用下级机构") % {"o": organisation.name}
        )
    if active and parent is not None and not parent.is_active:
        raise ValidationError(_("上级机构“%(p)s”已停用，请先启用上级机构") % {"p": parent.name})
    with transaction.atomic():
        organisation.is_active = active
        organisation.save(update_fields=["is_active"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=organisation,
            organisation=organisation,
            detail={"changed": ["is_active"], "is_active": active},
        )
    return organisation


# --- staff accounts kept by the 政务公开管理员 (issue 15, item 7) -----------------------------

# What the administrator edits on an account; the username stays (it is the login and the
# audit trail's key), the password only through ``staff_password_reset_by_admin``.
STAFF_FIELDS = ("display_name", "unit", "email", "phone")
LOOKALIKE_FREE_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def _require_staff_admin(acting_user: Any, user: User) -> None:
    from .permissions import can_administer_staff_user

    if not can_administer_staff_user(acting_user, user):
        raise PermissionDenied(_("只能管理本人所管机构的工作人员账号"))


def _unit_in_scope(acting_user: Any, unit: InternalUnit | None) -> InternalUnit:
    if unit is None:
        raise ValidationError({"unit": _("请选择所在科室：账号由科室所属机构的政务公开管理员管理")})
    _require_admin_of(acting_user, unit.organisation, _("只能选择本人所管机构的科室"))
    if not unit.organisation.is_active:
        raise ValidationError(
            {"unit": _("“%(o)s”已停用，不能把账号放在其科室") % {"o": unit.organisation.name}}
        )
    return unit


def staff_user_create_by_admin(
    *,
    username: str,
    display_name: str,
    unit: InternalUnit | None,
    acting_user: Any,
    email: str = "",
    phone: str = "",
) -> User:
    """A 政务公开管理员 opens a staff account in a 科室 of an organisation they administer. It has
    no password yet: ``staff_password_reset_by_admin`` gives it a temporary one."""
    unit = _unit_in_scope(acting_user, unit)
    if not display_name.strip():
        raise ValidationError({"display_name": _("请填写姓名")})
    return staff_user_create(
        username=username,
        password=None,
        display_name=display_name,
        unit=unit,
        email=email,
        phone=phone,
        acting_user=acting_user,
    )


def staff_user_update(*, user: User, data: dict[str, Any], acting_user: Any) -> User:
    """Change an account's 姓名, 科室, e-mail or phone; the audit row names the changed fields."""
    _require_staff_admin(acting_user, user)
    unknown = set(data) - set(STAFF_FIELDS)
    if unknown:
        raise ValidationError(_("不能在此修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    if "unit" in data and data["unit"] != user.unit:
        _unit_in_scope(acting_user, data["unit"])
    if "display_name" in data and not (data["display_name"] or "").strip():
        raise ValidationError({"display_name": _("请填写姓名")})
    changes = changed_fields(user, data)
    if not changes:
        return user
    candidate = copy.copy(user)
    for name, change in changes.items():
        setattr(candidate, name, change["new"])
    candidate.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changes])
    with transaction.atomic():
        for name, change in changes.items():
            setattr(user, name, change["new"])
        user.save(update_fields=list(changes))
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=user,
            target_label=user.get_full_name(),
            organisation=user.unit.organisation if user.unit else None,
            detail={"changed": sorted(changes)},
        )
    return user


def staff_user_active_set(*, user: User, active: bool, acting_user: Any) -> User:
    """停用 (the account can no longer log in, its open sessions end) or 启用 again. Roles are
    kept, so a reactivated account works as before; an administrator cannot lock themselves out."""
    _require_staff_admin(acting_user, user)
    if not active and user.pk == getattr(acting_user, "pk", None):
        raise ValidationError(_("不能停用本人的账号，请由其他管理员操作"))
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=user,
            target_label=user.get_full_name(),
            organisation=user.unit.organisation if user.unit else None,
            detail={"changed": ["is_active"], "is_active": active},
        )
    return user


def temporary_password(user: User) -> str:
    """Four groups of four characters without look-alikes (0/O, 1/l/I), e.g. ``Kp7m-Qe2x-…``;
    it passes the platform's password rules, checked rather than assumed."""
    for _attempt in range(20):
        groups = [
            "".join(secrets.choice(LOOKALIKE_FREE_CHARACTERS) for _i in range(4)) for _g in range(4)
        ]
        password = "-".join(groups)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise RuntimeError("no temporary password passed the password validators")  # pragma: no cover


def staff_password_reset_by_admin(*, user: User, acting_user: Any) -> str:
    """Give the account a new temporary password and return it, to be shown once to the
    administrator (it is stored only hashed). The owner must change it at the next login
    (``User.password_must_change``, enforced by the account middleware); the old password and
    every open session of the account stop working."""
    _require_staff_admin(acting_user, user)
    if user.pk == getattr(acting_user, "pk", None):
        raise ValidationError(_("不能为本人重置密码，请在“修改密码”中修改本人的密码"))
    if not user.is_active:
        raise ValidationError(
            _("账号“%(u)s”已停用，请先启用再重置密码") % {"u": user.get_full_name()}
        )
    password = temporary_password(user)
    with transaction.atomic():
        user.set_password(password)
        user.password_must_change = True
        user.save(update_fields=["password", "password_changed_at", "password_must_change"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=user,
            target_label=user.get_full_name(),
            organisation=user.unit.organisation if user.unit else None,
            detail={"changed": ["password"], "temporary_password": True},
        )
        # Staff most often ask for a new password after locking themselves out: the lockout
        # (five failures, an hour) would refuse the temporary password too.
        from axes.utils import reset as axes_reset

        axes_reset(username=user.username)
    return password
