"""Writes of the registers app: 清单 adjustments (reviewed, then applied) and the 整改台账.

Every function is atomic and writes its audit row in the same transaction.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role
from gongkai.accounts.permissions import can_administer_organisation
from gongkai.accounts.selectors import user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.status import ContentStatus
from gongkai.review.chain_services import content_saved, publish_approved, withdraw_published

from . import kinds
from .kinds import Action, ListKind
from .models import (
    Adjustment,
    Assessment,
    AssessmentItem,
    AssessmentScore,
    AssessmentTemplate,
    Entry,
    EntryVersion,
    Project,
    ProjectStageItem,
    Proposal,
    Rectification,
    SpotCheckMatter,
    SpotCheckPlan,
    SpotCheckResult,
    TrainingRecord,
    WorkTask,
)

CONTENT_FIELDS = tuple(kinds.FIELD_LABELS)
CODE_PREFIX = {
    ListKind.POWERS: "QZ",
    ListKind.PUBLIC_SERVICES: "GG",
    ListKind.FEES: "SF",
    ListKind.INTERMEDIARY: "ZJ",
    ListKind.LICENSING: "XK",
}
EDITABLE = (ContentStatus.DRAFT, ContentStatus.RETURNED, ContentStatus.WITHDRAWN)


def _require_editor(user: Any, organisation: Any) -> None:
    if not user_has_role(user, organisation, Role.EDITOR):
        raise PermissionDenied(_("您没有在“%(org)s”编辑清单的权限") % {"org": organisation.name})


def current_version(entry: Entry) -> EntryVersion | None:
    """The entry's open version (None: cancelled or delegated)."""
    return entry.versions.filter(valid_to__isnull=True).order_by("-valid_from", "-id").first()


def _clean_values(list_kind: str, values: dict[str, Any]) -> dict[str, str]:
    """Only the columns of this kind, stripped; the rest empty."""
    allowed = kinds.KIND_FIELDS[list_kind]
    return {
        name: (str(values.get(name) or "").strip() if name in allowed else "")
        for name in CONTENT_FIELDS
    }


def _entry_errors(
    organisation: Any, list_kind: str, action: str, entry: Entry | None, on: datetime.date
) -> dict[str, list[str]]:
    if action == Action.ADD:
        return {"entry": [_("新增事项不选择已有事项")]} if entry is not None else {}
    if entry is None:
        return {"entry": [_("请选择要调整的事项")]}
    if entry.organisation_id != organisation.pk or entry.list_kind != list_kind:
        return {"entry": [_("所选事项不属于本机构的这份清单")]}
    live = current_version(entry)
    if live is None:
        return {"entry": [_("该事项已取消或下放，不在现行清单中")]}
    if on < live.valid_from:
        return {
            "effective_date": [
                _("调整日期不能早于该事项现行版本的起始日期（%(d)s）") % {"d": live.valid_from}
            ]
        }
    return {}


def _validate(
    *,
    organisation: Any,
    list_kind: str,
    action: str,
    entry: Entry | None,
    effective_date: datetime.date,
    reason: str,
    legal_basis: str,
    values: dict[str, str],
    delegated_to: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if list_kind not in ListKind.values:
        raise ValidationError({"list_kind": [_("未知的清单类型")]})
    if action not in Action.values:
        raise ValidationError({"action": [_("未知的调整类型")]})
    errors.update(_entry_errors(organisation, list_kind, action, entry, effective_date))
    if not reason.strip():
        errors["reason"] = [_("请填写调整理由")]
    if not legal_basis.strip():
        errors["legal_basis"] = [_("请填写调整依据")]
    if action == Action.DELEGATE and not delegated_to.strip():
        errors["delegated_to"] = [_("下放事项请填写下放至哪一级或哪个机构")]
    if action in (Action.ADD, Action.CHANGE):
        for name in kinds.missing_fields(list_kind, values):
            errors.setdefault(name, []).append(
                _("请填写“%(f)s”") % {"f": kinds.field_label(list_kind, name)}
            )
        category = values.get("category", "")
        if category and category not in kinds.PowerCategory.values:
            errors.setdefault("category", []).append(_("未知的类别"))
    if errors:
        raise ValidationError(errors)


def _prefill(action: str, entry: Entry | None, values: dict[str, str]) -> dict[str, str]:
    """取消 and 下放 carry the entry's current content, so the history names what left."""
    if action in (Action.CANCEL, Action.DELEGATE) and entry is not None:
        live = current_version(entry)
        if live is not None:
            return {name: getattr(live, name) for name in CONTENT_FIELDS}
    return values


def adjustment_create(
    *,
    organisation: Any,
    list_kind: str,
    action: str,
    effective_date: datetime.date,
    reason: str,
    legal_basis: str,
    values: dict[str, Any],
    acting_user: Any,
    entry: Entry | None = None,
    delegated_to: str = "",
) -> Adjustment:
    """Draft one 动态调整 (新增, 取消, 下放, 变更); it changes the list only once published."""
    _require_editor(acting_user, organisation)
    cleaned = _clean_values(list_kind, values) if list_kind in ListKind.values else {}
    _validate(
        organisation=organisation,
        list_kind=list_kind,
        action=action,
        entry=entry,
        effective_date=effective_date,
        reason=reason,
        legal_basis=legal_basis,
        values=cleaned,
        delegated_to=delegated_to,
    )
    with transaction.atomic():
        adjustment = Adjustment.objects.create(
            organisation=organisation,
            list_kind=list_kind,
            action=action,
            entry=entry,
            effective_date=effective_date,
            reason=reason.strip(),
            legal_basis=legal_basis.strip(),
            delegated_to=delegated_to.strip() if action == Action.DELEGATE else "",
            created_by=acting_user,
            **_prefill(action, entry, cleaned),
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=adjustment,
            organisation=organisation,
            detail={"list_kind": list_kind, "action": action, "entry": entry and entry.code},
        )
        # The first version, and content_changed for search, open data and the audit views.
        content_saved(content=adjustment, created=True, acting_user=acting_user)
    return adjustment


def adjustment_update(
    *,
    adjustment: Adjustment,
    effective_date: datetime.date,
    reason: str,
    legal_basis: str,
    values: dict[str, Any],
    acting_user: Any,
    delegated_to: str = "",
) -> Adjustment:
    """Edit a draft (or returned) adjustment; its kind, action and entry stay."""
    _require_editor(acting_user, adjustment.organisation)
    with transaction.atomic():
        obj = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
        if obj.status not in EDITABLE:
            raise ValidationError(_("只有草稿或被退回的调整可以修改"))
        cleaned = _clean_values(obj.list_kind, values)
        _validate(
            organisation=obj.organisation,
            list_kind=obj.list_kind,
            action=obj.action,
            entry=obj.entry,
            effective_date=effective_date,
            reason=reason,
            legal_basis=legal_basis,
            values=cleaned,
            delegated_to=delegated_to,
        )
        for name, value in _prefill(obj.action, obj.entry, cleaned).items():
            setattr(obj, name, value)
        obj.effective_date = effective_date
        obj.reason = reason.strip()
        obj.legal_basis = legal_basis.strip()
        obj.delegated_to = delegated_to.strip() if obj.action == Action.DELEGATE else ""
        obj.save()
        audit_record(action=AuditEntry.Action.EDIT, acting_user=acting_user, target=obj)
        content_saved(content=obj, acting_user=acting_user)
    adjustment.refresh_from_db()
    return obj


def _next_code(organisation: Any, list_kind: str) -> str:
    prefix = CODE_PREFIX[ListKind(list_kind)]
    taken = Entry.objects.filter(organisation=organisation, list_kind=list_kind).count()
    number = taken + 1
    while Entry.objects.filter(
        organisation=organisation, list_kind=list_kind, code=f"{prefix}-{number:04d}"
    ).exists():
        number += 1
    return f"{prefix}-{number:04d}"


def _apply(obj: Adjustment) -> None:
    """Write a published adjustment into the list's versions (inside the caller's lock)."""
    if obj.action == Action.ADD:
        obj.entry = Entry.objects.create(
            organisation=obj.organisation,
            list_kind=obj.list_kind,
            code=_next_code(obj.organisation, obj.list_kind),
        )
    else:
        assert obj.entry is not None
        Entry.objects.select_for_update().get(pk=obj.entry.pk)
        errors = _entry_errors(
            obj.organisation, obj.list_kind, obj.action, obj.entry, obj.effective_date
        )
        if errors:
            raise ValidationError(errors)
        for version in EntryVersion.objects.filter(entry=obj.entry, valid_to__isnull=True):
            version.valid_to = obj.effective_date
            version.save(update_fields=["valid_to"])
    if obj.action in (Action.ADD, Action.CHANGE):
        EntryVersion.objects.create(
            entry=obj.entry,
            adjustment=obj,
            valid_from=obj.effective_date,
            **{name: getattr(obj, name) for name in CONTENT_FIELDS},
        )


def adjustment_publish(
    *,
    adjustment: Adjustment,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
) -> Adjustment:
    """Publish an approved adjustment and apply it to the list from its 调整日期.

    Refused unless the review chain approved it at the final level; ``without_review`` is the
    audited exception for lists an agency published before Gongkai (the demo's history)."""

    def apply(obj: Adjustment, _day: datetime.date, _reason: str) -> list[str]:
        _apply(obj)
        obj.applied_at = timezone.now()
        return ["entry", "applied_at"]

    return publish_approved(
        adjustment,
        acting_user=acting_user,
        on=on,
        without_review=without_review,
        already=_("该调整已经发布"),
        prepare=apply,
        detail=lambda obj: {
            "entry": obj.entry.code if obj.entry else "",
            "action": obj.action,
            "effective_date": obj.effective_date.isoformat(),
        },
    )


def adjustments_import(
    *,
    organisation: Any,
    list_kind: str,
    data: bytes,
    effective_date: datetime.date,
    reason: str,
    legal_basis: str,
    acting_user: Any,
) -> list[Adjustment]:
    """Excel import: every valid row becomes a draft 新增 adjustment — all or nothing. Errors
    name the sheet, the row and the column (``excel.read_entries``)."""
    from .excel import read_entries

    _require_editor(acting_user, organisation)
    rows = read_entries(data, list_kind)
    created: list[Adjustment] = []
    with transaction.atomic():
        for values in rows:
            created.append(
                adjustment_create(
                    organisation=organisation,
                    list_kind=list_kind,
                    action=Action.ADD,
                    effective_date=effective_date,
                    reason=reason,
                    legal_basis=legal_basis,
                    values=values,
                    acting_user=acting_user,
                )
            )
        audit_record(
            action=AuditEntry.Action.IMPORT,
            acting_user=acting_user,
            organisation=organisation,
            target_label=str(ListKind(list_kind).label),
            detail={"rows": len(created), "list_kind": list_kind},
        )
    return created


# --- 整改台账 ------------------------------------------------------------------------------


def rectification_deadline(
    *, found_on: datetime.date, deadline: datetime.date | None, period_workdays: int | None
) -> datetime.date:
    """The deadline as given, or ``period_workdays`` working days after the day the problem
    was found (the 调休 calendar, ``gongkai.workdays``)."""
    from gongkai.workdays.selectors import load_calendar

    if deadline is not None:
        if deadline < found_on:
            raise ValidationError({"deadline": [_("整改期限不能早于发现日期")]})
        return deadline
    if not period_workdays or period_workdays < 1:
        raise ValidationError({"deadline": [_("请填写整改期限，或整改时限（工作日）")]})
    calendar = load_calendar([found_on.year, found_on.year + 1])
    return calendar.add_workdays(found_on, period_workdays)


def rectification_create(
    *,
    organisation: Any,
    source: str,
    problem: str,
    found_on: datetime.date,
    lead_unit: str,
    acting_user: Any,
    supporting_units: str = "",
    deadline: datetime.date | None = None,
    period_workdays: int | None = None,
    source_ref: str = "",
    source_label: str = "",
) -> Rectification:
    if not user_has_role(acting_user, organisation, Role.EDITOR):
        raise PermissionDenied(
            _("您没有在“%(org)s”登记整改事项的权限") % {"org": organisation.name}
        )
    errors: dict[str, list[str]] = {}
    if source not in Rectification.Source.values:
        errors["source"] = [_("未知的问题来源")]
    if not problem.strip():
        errors["problem"] = [_("请填写问题描述")]
    if not lead_unit.strip():
        errors["lead_unit"] = [_("请填写牵头单位")]
    if errors:
        raise ValidationError(errors)
    due = rectification_deadline(
        found_on=found_on, deadline=deadline, period_workdays=period_workdays
    )
    with transaction.atomic():
        if (
            source_ref
            and Rectification.objects.filter(
                organisation=organisation, source_ref=source_ref
            ).exists()
        ):
            raise ValidationError(_("该问题已列入整改台账"))
        item = Rectification.objects.create(
            organisation=organisation,
            source=source,
            source_ref=source_ref,
            source_label=source_label.strip(),
            problem=problem.strip(),
            found_on=found_on,
            lead_unit=lead_unit.strip(),
            supporting_units=supporting_units.strip(),
            deadline=due,
            period_workdays=period_workdays if deadline is None else None,
            created_by=acting_user,
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=item,
            organisation=organisation,
            detail={"source": source, "source_ref": source_ref, "deadline": due.isoformat()},
        )
    return item


def rectification_from_finding(
    *,
    organisation: Any,
    run_id: int,
    index: int,
    finding: dict[str, Any],
    today: datetime.date,
    lead_unit: str,
    period_workdays: int,
    acting_user: Any,
) -> Rectification:
    """One click from a 网站自查 finding (``oversight``'s report, passed in as plain data by the
    staff view: registers sits below oversight and does not import it)."""
    label = finding.get("target_label") or ""
    return rectification_create(
        organisation=organisation,
        source=Rectification.Source.SELF_INSPECTION,
        problem=str(finding.get("message") or ""),
        found_on=today,
        lead_unit=lead_unit,
        period_workdays=period_workdays,
        source_ref=f"inspection:{run_id}:{index}",
        source_label=_("网站自查 %(day)s %(label)s") % {"day": today.isoformat(), "label": label},
        acting_user=acting_user,
    )


def rectification_progress(
    *, item: Rectification, measures: str, evidence: str, done: bool, acting_user: Any
) -> Rectification:
    """Record measures and evidence; ``done`` reports it 已整改 (waiting for 销号)."""
    if not user_has_role(acting_user, item.organisation, Role.EDITOR):
        raise PermissionDenied(_("您没有更新该整改事项的权限"))
    with transaction.atomic():
        obj = Rectification.objects.select_for_update().get(pk=item.pk)
        if obj.state == Rectification.State.CLOSED:
            raise ValidationError(_("该问题已销号，不能再修改"))
        if done and not evidence.strip():
            raise ValidationError({"evidence": [_("报告整改完成时请填写整改佐证")]})
        obj.measures = measures.strip()
        obj.evidence = evidence.strip()
        if done:
            obj.state = Rectification.State.DONE
            obj.done_on = timezone.localdate()
        obj.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            organisation=obj.organisation,
            detail={"done": done},
        )
    item.refresh_from_db()
    return obj


def rectification_close(*, item: Rectification, acting_user: Any) -> Rectification:
    """销号: only the 政务公开管理员 of the organisation, and only once reported 已整改."""
    if not can_administer_organisation(acting_user, item.organisation):
        raise PermissionDenied(_("只有政务公开管理员可以销号"))
    with transaction.atomic():
        obj = Rectification.objects.select_for_update().get(pk=item.pk)
        if obj.state != Rectification.State.DONE:
            raise ValidationError(_("只有已整改并提交佐证的问题可以销号"))
        obj.state = Rectification.State.CLOSED
        obj.closed_by = acting_user
        obj.closed_at = timezone.now()
        obj.save()
        audit_record(
            action=AuditEntry.Action.TRANSITION,
            acting_user=acting_user,
            target=obj,
            organisation=obj.organisation,
            detail={"state": "closed"},
        )
    item.refresh_from_db()
    return obj


# --- 重大建设项目 --------------------------------------------------------------------------

PROJECT_FIELDS = (
    "name", "owner", "location", "district", "industry", "investment", "phase", "year",
    "involves_land", "summary",
)  # fmt: skip


def _project_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    from .projects import Phase

    errors: dict[str, list[str]] = {}
    for name in ("name", "owner", "location", "district", "industry"):
        if not str(values.get(name) or "").strip():
            label = getattr(Project._meta.get_field(name), "verbose_name", name)
            errors[name] = [_("请填写“%(f)s”") % {"f": label}]
    if values.get("phase") not in Phase.values:
        errors["phase"] = [_("请选择建设进程（报批、在建或竣工）")]
    year = values.get("year")
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        errors["year"] = [_("年份应在1990年至2100年之间")]
    investment = values.get("investment")
    if investment is None or investment < 0:
        errors["investment"] = [_("请填写总投资（万元，不小于0）")]
    return errors


def project_create(*, organisation: Any, values: dict[str, Any], acting_user: Any) -> Project:
    _require_editor(acting_user, organisation)
    errors = _project_errors(values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = Project.objects.create(
            organisation=organisation,
            created_by=acting_user,
            **{name: values.get(name) for name in PROJECT_FIELDS if name in values},
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=project,
            organisation=organisation,
        )
    return project


def project_update(*, project: Project, values: dict[str, Any], acting_user: Any) -> Project:
    """Edit a draft, returned or withdrawn project (a published one is withdrawn first, then
    edited and submitted again: every public change goes through review)."""
    _require_editor(acting_user, project.organisation)
    errors = _project_errors(values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        obj = Project.objects.select_for_update().get(pk=project.pk)
        if obj.status not in EDITABLE:
            raise ValidationError(_("已提交审核或已发布的项目不能直接修改，请先撤回"))
        for name in PROJECT_FIELDS:
            if name in values:
                setattr(obj, name, values[name])
        obj.save()
        audit_record(action=AuditEntry.Action.EDIT, acting_user=acting_user, target=obj)
    project.refresh_from_db()
    return obj


def project_publish(
    *, project: Project, acting_user: Any, on: datetime.date | None = None, without_review: str = ""
) -> Project:
    """Publish after the chain's final approval; ``without_review``: the demo's history."""
    return publish_approved(project, acting_user=acting_user, on=on, without_review=without_review)


def project_withdraw(*, project: Project, reason: str, acting_user: Any) -> None:
    withdraw_published(project, reason=reason, acting_user=acting_user)


def stage_item_create(
    *,
    project: Project,
    stage: str,
    title: str,
    item_date: datetime.date,
    acting_user: Any,
    url: str = "",
    file: Any = None,
) -> ProjectStageItem:
    """One piece of stage information, linked (``url``) or uploaded (``file``); reviewed and
    published on its own."""
    from .projects import Stage

    _require_editor(acting_user, project.organisation)
    errors: dict[str, list[str]] = {}
    if stage not in Stage.values:
        errors["stage"] = [_("未知的阶段")]
    if not title.strip():
        errors["title"] = [_("请填写信息名称")]
    if not (url or "").strip() and not file:
        errors["url"] = [_("请填写链接或上传附件")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = ProjectStageItem.objects.create(
            project=project,
            stage=stage,
            title=title.strip(),
            item_date=item_date,
            url=(url or "").strip(),
            created_by=acting_user,
        )
        if file:
            item.file.save(getattr(file, "name", "file"), file, save=True)
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=item,
            organisation=project.organisation,
            detail={"project": project.pk, "stage": stage},
        )
    return item


def stage_item_publish(
    *,
    item: ProjectStageItem,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
) -> ProjectStageItem:
    return publish_approved(item, acting_user=acting_user, on=on, without_review=without_review)


def stage_item_withdraw(*, item: ProjectStageItem, reason: str, acting_user: Any) -> None:
    withdraw_published(item, reason=reason, acting_user=acting_user)


# --- 双随机一公开 and 建议提案 -------------------------------------------------------------


def record_publish(
    *, obj: Any, acting_user: Any, on: datetime.date | None = None, without_review: str = ""
) -> Any:
    """Publish an approved 抽查事项, 抽查计划, 抽查结果 or 建议提案 (``without_review``: the
    demo's history)."""
    return publish_approved(obj, acting_user=acting_user, on=on, without_review=without_review)


def record_withdraw(*, obj: Any, reason: str, acting_user: Any) -> None:
    withdraw_published(obj, reason=reason, acting_user=acting_user)


def _require_text(values: dict[str, tuple[str, str]]) -> None:
    errors = {
        name: [_("请填写“%(f)s”") % {"f": label}]
        for name, (label, value) in values.items()
        if not str(value or "").strip()
    }
    if errors:
        raise ValidationError(errors)


def _created(obj: Any, organisation: Any, acting_user: Any) -> Any:
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=obj,
        organisation=organisation,
    )
    return obj


def spot_matter_create(
    *, organisation: Any, name: str, basis: str, targets: str, method: str, acting_user: Any
) -> SpotCheckMatter:
    _require_editor(acting_user, organisation)
    _require_text(
        {"name": ("抽查事项", name), "basis": ("抽查依据", basis), "targets": ("抽查对象", targets)}
    )
    with transaction.atomic():
        obj = SpotCheckMatter.objects.create(
            organisation=organisation,
            name=name.strip(),
            basis=basis.strip(),
            targets=targets.strip(),
            method=method.strip(),
            created_by=acting_user,
        )
        return _created(obj, organisation, acting_user)


def spot_plan_create(
    *, organisation: Any, year: int, title: str, body: str, acting_user: Any
) -> SpotCheckPlan:
    _require_editor(acting_user, organisation)
    _require_text({"title": ("计划名称", title)})
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": [_("年度应在1990年至2100年之间")]})
    with transaction.atomic():
        obj = SpotCheckPlan.objects.create(
            organisation=organisation,
            year=year,
            title=title.strip(),
            body=body.strip(),
            created_by=acting_user,
        )
        return _created(obj, organisation, acting_user)


def spot_result_create(
    *,
    plan: SpotCheckPlan,
    target: str,
    matter: str,
    checked_on: datetime.date,
    result: str,
    handling: str,
    acting_user: Any,
) -> SpotCheckResult:
    _require_editor(acting_user, plan.organisation)
    _require_text(
        {
            "target": ("抽查对象", target),
            "matter": ("抽查事项", matter),
            "result": ("抽查结果", result),
        }
    )
    with transaction.atomic():
        obj = SpotCheckResult.objects.create(
            plan=plan,
            target=target.strip(),
            matter=matter.strip(),
            checked_on=checked_on,
            result=result.strip(),
            handling=handling.strip(),
            created_by=acting_user,
        )
        return _created(obj, plan.organisation, acting_user)


def proposal_create(
    *,
    organisation: Any,
    kind: str,
    year: int,
    number: str,
    title: str,
    proposer: str,
    received_on: datetime.date,
    acting_user: Any,
    deadline: datetime.date | None = None,
    co_organisations: Any = (),
) -> Proposal:
    """Register a 建议/提案 assigned to ``organisation`` (主办); the deadline defaults to three
    months after 交办 (``proposals.default_deadline``)."""
    from .proposals import default_deadline

    _require_editor(acting_user, organisation)
    _require_text(
        {"number": ("编号", number), "title": ("标题", title), "proposer": ("提出人", proposer)}
    )
    if kind not in Proposal.Kind.values:
        raise ValidationError({"kind": [_("请选择人大代表建议或政协提案")]})
    due = deadline or default_deadline(received_on)
    if due < received_on:
        raise ValidationError({"deadline": [_("办理期限不能早于交办日期")]})
    with transaction.atomic():
        if Proposal.objects.filter(kind=kind, year=year, number=number.strip()).exists():
            raise ValidationError({"number": [_("该年度已有相同编号的建议提案")]})
        obj = Proposal.objects.create(
            organisation=organisation,
            kind=kind,
            year=year,
            number=number.strip(),
            title=title.strip(),
            proposer=proposer.strip(),
            received_on=received_on,
            deadline=due,
            created_by=acting_user,
        )
        obj.co_organisations.set([o for o in co_organisations if o.pk != organisation.pk])
        return _created(obj, organisation, acting_user)


def proposal_reply(
    *,
    proposal: Proposal,
    reply: str,
    replied_on: datetime.date,
    mode: str,
    acting_user: Any,
    summary: str = "",
    reason: str = "",
) -> Proposal:
    """Write the 复文 and choose how it is published; then it goes to review."""
    from .proposals import publication_problem

    _require_editor(acting_user, proposal.organisation)
    if mode not in Proposal.Mode.values:
        raise ValidationError({"mode": [_("请选择公开方式")]})
    problem = publication_problem(reply=reply, mode=mode, summary=summary, reason=reason)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        obj = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if obj.status not in EDITABLE:
            raise ValidationError(_("已提交审核或已发布的复文不能直接修改，请先撤回"))
        obj.reply = reply.strip()
        obj.replied_on = replied_on
        obj.mode = mode
        obj.summary = summary.strip() if mode == Proposal.Mode.SUMMARY else ""
        obj.not_published_reason = reason.strip() if mode == Proposal.Mode.NONE else ""
        obj.save()
        audit_record(action=AuditEntry.Action.EDIT, acting_user=acting_user, target=obj)
    proposal.refresh_from_db()
    return obj


# --- 政务公开工作台账 ----------------------------------------------------------------------


def work_task_create(
    *,
    organisation: Any,
    year: int,
    title: str,
    lead_unit: str,
    acting_user: Any,
    source: str = "",
    supporting_units: str = "",
    deadline: datetime.date | None = None,
) -> WorkTask:
    _require_editor(acting_user, organisation)
    _require_text({"title": ("工作任务", title), "lead_unit": ("牵头单位", lead_unit)})
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": [_("年度应在1990年至2100年之间")]})
    with transaction.atomic():
        task = WorkTask.objects.create(
            organisation=organisation,
            year=year,
            title=title.strip(),
            source=source.strip(),
            lead_unit=lead_unit.strip(),
            supporting_units=supporting_units.strip(),
            deadline=deadline,
        )
        return _created(task, organisation, acting_user)


def work_task_progress(*, task: WorkTask, progress: str, done: bool, acting_user: Any) -> WorkTask:
    _require_editor(acting_user, task.organisation)
    with transaction.atomic():
        obj = WorkTask.objects.select_for_update().get(pk=task.pk)
        obj.progress = progress.strip()
        if done and obj.state != WorkTask.State.DONE:
            obj.state = WorkTask.State.DONE
            obj.done_on = timezone.localdate()
        obj.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            organisation=obj.organisation,
            detail={"done": done},
        )
    task.refresh_from_db()
    return obj


def training_record(
    *,
    organisation: Any,
    held_on: datetime.date,
    topic: str,
    audience: str,
    acting_user: Any,
    participants: int | None = None,
    materials: str = "",
) -> TrainingRecord:
    _require_editor(acting_user, organisation)
    _require_text({"topic": ("培训主题", topic), "audience": ("培训对象", audience)})
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            organisation=organisation,
            held_on=held_on,
            topic=topic.strip(),
            audience=audience.strip(),
            participants=participants,
            materials=materials.strip(),
        )
        return _created(record, organisation, acting_user)


# --- 考核/测评 self-assessment ------------------------------------------------------------


def _require_assessor(user: Any, organisation: Any) -> None:
    if not can_administer_organisation(user, organisation):
        raise PermissionDenied(_("只有本机关的政务公开管理员可以进行考核自评"))


def assessment_default_template() -> AssessmentTemplate:
    """The default checklist (``assessment.DEFAULT_ITEMS``), created on first use."""
    from .assessment import DEFAULT_ITEMS, DEFAULT_TARGETS

    template, created = AssessmentTemplate.objects.get_or_create(name=_("政务公开工作考核自评表"))
    if created:
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                template=template,
                order=n,
                title=title,
                measure=measure,
                max_score=max_score,
                target=DEFAULT_TARGETS.get(measure),
            )
            for n, (title, measure, max_score) in enumerate(DEFAULT_ITEMS, start=1)
        )
    return template


def assessment_open(
    *,
    organisation: Any,
    year: int,
    acting_user: Any,
    template: AssessmentTemplate | None = None,
) -> Assessment:
    """The organisation's self-assessment of ``year`` (one per organisation and year), created
    with its checklist and the measured scores computed."""
    _require_assessor(acting_user, organisation)
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": [_("年度应在1990年至2100年之间")]})
    existing = Assessment.objects.filter(organisation=organisation, year=year).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        assessment = Assessment.objects.create(
            organisation=organisation,
            year=year,
            template=template or assessment_default_template(),
        )
        AssessmentScore.objects.bulk_create(
            AssessmentScore(assessment=assessment, item=item)
            for item in assessment.template.items.all()
        )
        _created(assessment, organisation, acting_user)
        return assessment_compute(assessment=assessment, acting_user=acting_user)


def assessment_compute(*, assessment: Assessment, acting_user: Any) -> Assessment:
    """(Re)compute every measured item from the platform's figures; manual scores stay."""
    from .assessment import Measure, figure_text, measured_score
    from .selectors import assessment_figures

    _require_assessor(acting_user, assessment.organisation)
    figures = assessment_figures(assessment.organisation, assessment.year, timezone.localdate())
    with transaction.atomic():
        obj = Assessment.objects.select_for_update().get(pk=assessment.pk)
        for score in obj.scores.select_related("item").exclude(item__measure=Measure.MANUAL):
            item = score.item
            figure = figures[item.measure]
            target = item.target if item.target is not None else Decimal(0)
            score.figure = figure_text(item.measure, figure)
            score.score = measured_score(item.measure, item.max_score, target, figure)
            score.save(update_fields=["figure", "score", "updated_at"])
        obj.computed_at = timezone.now()
        obj.save(update_fields=["computed_at"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            organisation=obj.organisation,
            detail={"assessment": "computed", "year": obj.year},
        )
        return obj


def assessment_score_manual(
    *, score: AssessmentScore, value: Decimal, note: str, acting_user: Any
) -> AssessmentScore:
    """Staff score a manual item, between 0 and its maximum, with a note saying why."""
    from .assessment import Measure, round_score

    assessment = score.assessment
    _require_assessor(acting_user, assessment.organisation)
    if score.item.measure != Measure.MANUAL:
        raise ValidationError({"score": [_("该指标由平台数据自动计分，不能手工修改")]})
    errors: dict[str, list[str]] = {}
    if not Decimal(0) <= value <= score.item.max_score:
        errors["score"] = [_("得分应在0至%(max)s分之间") % {"max": score.item.max_score}]
    if not note.strip():
        errors["note"] = [_("请填写评分说明")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        obj = AssessmentScore.objects.select_for_update().get(pk=score.pk)
        obj.score = round_score(value)
        obj.note = note.strip()
        obj.scored_by = acting_user
        obj.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=assessment,
            organisation=assessment.organisation,
            detail={"item": obj.item.title, "score": str(obj.score)},
        )
        return obj
