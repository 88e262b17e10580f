"""Every write to interpretations (政策解读) and the Q&A knowledge base goes through here.

Rules: "谁起草、谁解读" — an interpretation belongs to the organisation whose editors write it;
editors (or that organisation's 政务公开管理员) create and edit. Each write appends an audit
row in the same transaction.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import InternalUnit, Organisation, Role, User
from gongkai.accounts.selectors import user_has_role
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.richtext import body_to_html, html_to_text
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.status import ContentStatus
from gongkai.core.terms import term_delete, term_save
from gongkai.review.chain_services import content_saved

from .industries import is_valid_code, normalise_code
from .models import (
    EnterpriseScale,
    Interpretation,
    MatchProfile,
    PolicyConditions,
    PolicyIndustry,
    QAEntry,
    Qualification,
)

EDIT_ROLES = (Role.EDITOR, Role.ADMIN)
# Like catalogue.item_publish, publishing is one entry point called by the review chain on
# final approval (the final reviewer acts); it refuses content the chain has not approved.
PUBLISH_ROLES = (Role.EDITOR, Role.REVIEWER, Role.ADMIN)

INTERPRETATION_FIELDS = (
    "title",
    "form",
    "body",
    "image",
    "image_alt",
    "video_url",
    "interpreter",
    "published_date",
)
QA_FIELDS = ("question", "answer", "unit", "policy", "contact_phone", "published_date")


def _require_role(user: User | None, organisation: Organisation, roles: tuple[str, ...]) -> None:
    """``None`` is the system itself (the chain's scheduled publishing, the demo builder)."""
    if user is None:
        return
    if not user_has_role(user, organisation, *roles):
        raise PermissionDenied(_("您没有在“%(org)s”办理此项操作的权限。") % {"org": organisation})


def _validate_interpretation(obj: Interpretation) -> None:
    errors: dict[str, list[str]] = {}
    if not (obj.title or "").strip():
        errors.setdefault("title", []).append(_("请填写解读标题。"))
    if obj.form not in Interpretation.Form.values:
        errors.setdefault("form", []).append(_("解读形式不正确。"))
    if obj.form == Interpretation.Form.GRAPHIC and not obj.image:
        errors.setdefault("image", []).append(_("图解解读需要上传图解图片。"))
    if obj.image and not (obj.image_alt or "").strip():
        # Images need a text alternative for screen-reader users (WCAG 1.1.1).
        errors.setdefault("image_alt", []).append(_("上传图片时必须填写图片文字说明。"))
    if obj.form == Interpretation.Form.VIDEO and not obj.video_url:
        errors.setdefault("video_url", []).append(_("视频解读需要填写视频链接。"))
    if obj.form in (Interpretation.Form.TEXT, Interpretation.Form.QA) and not html_to_text(
        obj.body
    ):
        errors.setdefault("body", []).append(_("文字解读和简明问答需要填写正文。"))
    if errors:
        raise ValidationError(errors)


def _check_policies(policies: Iterable[InformationItem]) -> list[InformationItem]:
    items = list(policies)
    bad = [p for p in items if not p.policy_kind]
    if bad:
        raise ValidationError(
            {
                "policies": [
                    _("“%(title)s”（索引号 %(index)s）不是政策文件，不能关联解读。")
                    % {"title": p.title, "index": p.index_number}
                    for p in bad
                ]
            }
        )
    return items


@transaction.atomic
def interpretation_create(
    *,
    organisation: Organisation,
    title: str,
    form: str = Interpretation.Form.TEXT,
    body: str = "",
    image: Any = None,
    image_alt: str = "",
    video_url: str = "",
    interpreter: str = "",
    policies: Iterable[InformationItem] = (),
    external_id: str | None = None,
    acting_user: User,
) -> Interpretation:
    _require_role(acting_user, organisation, EDIT_ROLES)
    clean_body = body_to_html(body)
    obj = Interpretation(
        organisation=organisation,
        title=title.strip(),
        form=form,
        body=clean_body,
        body_text=html_to_text(clean_body),
        image_alt=image_alt.strip(),
        video_url=video_url.strip(),
        interpreter=interpreter.strip(),
        external_id=external_id,
        created_by=acting_user if acting_user.is_authenticated else None,
    )
    if image:
        obj.image = image
    _validate_interpretation(obj)
    linked = _check_policies(policies)
    obj.save()
    content_saved(content=obj, created=True)  # the version of the fields, links join later
    if linked:
        obj.policies.set(linked)
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=obj,
        detail={"form": obj.form, "policies": [p.pk for p in linked]},
    )
    return obj


def _apply_changes(
    obj: Any, changes: dict[str, Any], allowed: Iterable[str], *, rich_field: str
) -> list[str]:
    """Set the changed fields (rich text sanitised, other strings trimmed); returns their names."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    changed: list[str] = []
    for name, value in changes.items():
        if name == rich_field:
            value = body_to_html(value or "")
        elif isinstance(value, str):
            value = value.strip()
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _refuse_live_edit(obj: Any) -> None:
    """先审后发 also for corrections: published content changes only through a 修订稿
    (``*_revision_open``), which the chain reviews and applies on approval (ADR 0005)."""
    if obj.status == ContentStatus.PUBLISHED:
        raise ValidationError(
            _("已发布的内容不能直接修改：请在修订稿中修改，审核通过后替换公开内容。")
        )
    if obj.revision_of_id and obj.revision_closed_at is not None:
        raise ValidationError(_("该修订稿已关闭，不能再修改。"))


def _publish(
    obj: Any,
    *,
    acting_user: Any,
    on: datetime.date | None,
    without_review: str,
    already: str,
    validate: Any,
) -> Any:
    """The one publish step (``publish_approved``: final approval, or an explicit, audited
    reason why none is needed — content an agency published before Gongkai, the demo world's
    history, imports); a 修订稿 is never published on its own, and a 发布日期 given or kept
    from an earlier publication stays."""
    from gongkai.review.chain_services import publish_approved

    _require_role(acting_user, obj.organisation, PUBLISH_ROLES)
    # A revision is never 已发布 itself, so refusing it first changes no earlier refusal.
    if obj.revision_of_id:
        raise ValidationError(_("修订稿不单独发布，审核通过后替换原内容。"))
    return publish_approved(
        obj,
        acting_user=acting_user,
        on=on or obj.published_date,
        without_review=without_review,
        already=already,
        prepare=lambda locked, _day, _reason: validate(locked),
    )


def _save_edit(obj: Any, changed: list[str], acting_user: Any) -> None:
    obj.save()
    content_saved(content=obj)
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=obj,
        detail={"fields": changed},
    )


@transaction.atomic
def interpretation_update(
    *, interpretation: Interpretation, acting_user: User, **changes: Any
) -> Interpretation:
    obj = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
    _require_role(acting_user, obj.organisation, EDIT_ROLES)
    _refuse_live_edit(obj)
    # Keep the current picture unless a new one is uploaded.
    if "image" in changes and not changes["image"]:
        del changes["image"]
    changed = _apply_changes(obj, changes, INTERPRETATION_FIELDS, rich_field="body")
    obj.body_text = html_to_text(obj.body)
    _validate_interpretation(obj)
    _save_edit(obj, changed, acting_user)
    interpretation.refresh_from_db()
    return obj


@transaction.atomic
def interpretation_link(
    *, interpretation: Interpretation, policies: Iterable[InformationItem], acting_user: User
) -> Interpretation:
    """Replace the set of policies the interpretation explains (双向关联: shown on both pages)."""
    _require_role(acting_user, interpretation.organisation, EDIT_ROLES)
    _refuse_live_edit(Interpretation.objects.get(pk=interpretation.pk))
    linked = _check_policies(policies)
    before = sorted(interpretation.policies.values_list("id", flat=True))
    interpretation.policies.set(linked)
    after = sorted(p.pk for p in linked)
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=interpretation,
        detail={"policies_before": before, "policies_after": after},
    )
    return interpretation


@transaction.atomic
def interpretation_publish(
    *,
    interpretation: Interpretation,
    acting_user: User | None,
    published_date: datetime.date | None = None,
    without_review: str = "",
) -> Interpretation:
    """Publish after the chain's final approval (refused otherwise). ``without_review`` is
    the explicit, audited exception for content published before Gongkai (the demo's history)."""
    return _publish(
        interpretation,
        acting_user=acting_user,
        on=published_date,
        without_review=without_review,
        already=_("该解读已经发布。"),
        validate=_validate_interpretation,
    )


def _validate_qa(obj: QAEntry) -> None:
    errors: dict[str, list[str]] = {}
    if not (obj.question or "").strip():
        errors.setdefault("question", []).append(_("请填写问题。"))
    if not html_to_text(obj.answer or ""):
        errors.setdefault("answer", []).append(_("请填写答复内容。"))
    if obj.unit_id and obj.unit is not None and obj.unit.organisation_id != obj.organisation_id:
        errors.setdefault("unit", []).append(_("答复科室必须属于答复机构。"))
    if obj.policy_id and obj.policy is not None and not obj.policy.policy_kind:
        errors.setdefault("policy", []).append(_("相关政策必须是政策文件。"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def qa_create(
    *,
    organisation: Organisation,
    question: str,
    answer: str,
    unit: InternalUnit | None = None,
    policy: InformationItem | None = None,
    contact_phone: str = "",
    acting_user: User,
) -> QAEntry:
    _require_role(acting_user, organisation, EDIT_ROLES)
    obj = QAEntry(
        organisation=organisation,
        unit=unit,
        question=question.strip(),
        answer=body_to_html(answer),
        policy=policy,
        contact_phone=contact_phone.strip(),
        created_by=acting_user if acting_user.is_authenticated else None,
    )
    _validate_qa(obj)
    obj.save()
    content_saved(content=obj, created=True)
    audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=obj)
    return obj


@transaction.atomic
def qa_update(*, entry: QAEntry, acting_user: User, **changes: Any) -> QAEntry:
    obj = QAEntry.objects.select_for_update().get(pk=entry.pk)
    _require_role(acting_user, obj.organisation, EDIT_ROLES)
    _refuse_live_edit(obj)
    changed = _apply_changes(obj, changes, QA_FIELDS, rich_field="answer")
    _validate_qa(obj)
    _save_edit(obj, changed, acting_user)
    entry.refresh_from_db()
    return obj


@transaction.atomic
def qa_publish(
    *,
    entry: QAEntry,
    acting_user: User | None,
    published_date: datetime.date | None = None,
    without_review: str = "",
) -> QAEntry:
    """Publish after the chain's final approval (refused otherwise); ``without_review`` as in
    ``interpretation_publish``."""
    return _publish(
        entry,
        acting_user=acting_user,
        on=published_date,
        without_review=without_review,
        already=_("该问答已经发布。"),
        validate=_validate_qa,
    )


# --- 修订稿: corrections of published interpretations and Q&A (ADR 0005) ----------------------

INTERPRETATION_REVISED: tuple[str, ...] = (
    "title",
    "form",
    "body",
    "body_text",
    "image",
    "image_alt",
    "video_url",
    "interpreter",
)
QA_REVISED = ("question", "answer", "unit", "policy", "contact_phone")


def _revision_open(
    model: Any, live_pk: int, fields: tuple[str, ...], m2m: tuple[str, ...], acting_user: Any
) -> Any:
    if not user_has_role(acting_user, model.objects.get(pk=live_pk).organisation, *EDIT_ROLES):
        raise PermissionDenied(_("您没有修改该内容的权限。"))
    with transaction.atomic():
        live = model.objects.select_for_update().get(pk=live_pk)
        if live.revision_of_id:
            raise ValidationError(_("修订稿不能再生成修订稿。"))
        if live.status != ContentStatus.PUBLISHED:
            raise ValidationError(_("只有已发布的内容通过修订稿修改，未发布的内容请直接编辑。"))
        existing = live.revisions.filter(revision_closed_at=None).first()
        if existing is not None:
            return existing
        revision = model(
            organisation=live.organisation,
            revision_of=live,
            status=ContentStatus.DRAFT,
            created_by=acting_user if acting_user.is_authenticated else None,
        )
        for name in fields:
            setattr(revision, name, getattr(live, name))
        revision.save()
        for name in m2m:
            getattr(revision, name).set(getattr(live, name).all())
        # The first version, once the copy is complete (m2m).
        content_saved(content=revision, acting_user=acting_user, note=_("生成修订稿"))
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=revision,
            target_label=_("修订稿：%(title)s") % {"title": str(live)},
            organisation=live.organisation,
            detail={"revision_of": live.pk},
        )
    return revision


def _revision_apply(
    model: Any, revision_pk: int, fields: tuple[str, ...], m2m: tuple[str, ...], acting_user: Any
) -> Any:
    """The approved revision's content replaces the live object's in one transaction: a new
    version of the live object (``content_saved``), its search change-log row, an audit row
    naming the approving reviewer; the revision is closed, kept, never public."""
    from gongkai.review.chain_services import final_approval, review_approval_problem

    with transaction.atomic():
        rev = model.objects.select_for_update().get(pk=revision_pk)
        if not rev.revision_of_id:
            raise ValidationError(_("“%(title)s”不是修订稿。") % {"title": str(rev)})
        if rev.revision_closed_at is not None:
            raise ValidationError(_("该修订稿已关闭，不能再修改。"))
        problem = review_approval_problem(rev)
        if problem:
            raise ValidationError(problem)
        live = model.objects.select_for_update().get(pk=rev.revision_of_id)
        if live.status != ContentStatus.PUBLISHED:
            raise ValidationError(
                _("“%(title)s”已不在发布状态，修订稿不能替换其内容。") % {"title": str(live)}
            )
        # body_text is derived from body: not a change of its own.
        changed = [
            name
            for name in fields
            if name != "body_text" and getattr(live, name) != getattr(rev, name)
        ]
        for name in fields:
            setattr(live, name, getattr(rev, name))
        for name in m2m:
            wanted = set(getattr(rev, name).values_list("pk", flat=True))
            if wanted != set(getattr(live, name).values_list("pk", flat=True)):
                changed.append(name)
            getattr(live, name).set(wanted)
        live.save()
        content_saved(content=live, note=_("修订稿审核通过"))
        decision = final_approval(rev)
        audit_record(
            action=AuditEntry.Action.PUBLISH,
            acting_user=acting_user
            if acting_user is not None
            else getattr(decision, "reviewer", None),
            target=live,
            detail={
                "revision": rev.pk,
                "changed": changed,
                "approved_by": decision.reviewer_name if decision else "",
            },
        )
        model.objects.filter(pk=rev.pk).update(
            status=ContentStatus.APPROVED, revision_closed_at=timezone.now()
        )
    return live


def interpretation_revision_open(
    *, interpretation: Interpretation, acting_user: User
) -> Interpretation:
    """The open 修订稿 of a published interpretation (created on first use)."""
    return _revision_open(
        Interpretation, interpretation.pk, INTERPRETATION_REVISED, ("policies",), acting_user
    )


def interpretation_revision_apply(
    *, revision: Interpretation, acting_user: User | None
) -> Interpretation:
    return _revision_apply(
        Interpretation, revision.pk, INTERPRETATION_REVISED, ("policies",), acting_user
    )


def qa_revision_open(*, entry: QAEntry, acting_user: User) -> QAEntry:
    """The open 修订稿 of a published Q&A entry (created on first use)."""
    return _revision_open(QAEntry, entry.pk, QA_REVISED, (), acting_user)


def qa_revision_apply(*, revision: QAEntry, acting_user: User | None) -> QAEntry:
    return _revision_apply(QAEntry, revision.pk, QA_REVISED, (), acting_user)


# ---------------------------------------------------------------------------------------------
# 政策兑现 conditions (政策手册) and 政策找人 profiles (issue 14)
# ---------------------------------------------------------------------------------------------

CONDITION_TEXT_FIELDS = ("procedure", "materials", "office", "phone", "redemption", "amount")


def _scales_value(scales: Iterable[str]) -> str:
    ordered = [s for s in EnterpriseScale.values if s in set(scales)]
    return f",{','.join(ordered)}," if ordered else ""


def _conditions_row(item: InformationItem, data: Any) -> PolicyConditions:
    return PolicyConditions(
        item=item,
        has_regions=bool(data.region_ids),
        industries=list(data.industries),
        has_industries=bool(data.industries),
        scales=_scales_value(data.scales),
        min_years=data.min_years,
        has_qualifications=bool(data.qualification_ids),
        apply_from=data.apply_from,
        apply_until=data.apply_until,
        **{k: v for k, v in data.texts.items() if k in CONDITION_TEXT_FIELDS},
    )


def policy_conditions_bulk_create(*, pairs: list[tuple[InformationItem, Any]]) -> None:
    """The conditions of freshly imported items (``catalogue.documents_import``, inside its
    transaction and under its audit row): ``pairs`` of (saved item, ``ConditionsData``)."""
    rows = PolicyConditions.objects.bulk_create(
        [_conditions_row(item, data) for item, data in pairs], batch_size=500
    )
    regions = PolicyConditions.regions.through
    quals = PolicyConditions.qualifications.through
    regions.objects.bulk_create(
        [
            regions(policyconditions_id=row.pk, organisation_id=org_id)
            for row, (_item, data) in zip(rows, pairs, strict=True)
            for org_id in dict.fromkeys(data.region_ids)
        ],
        batch_size=1000,
    )
    quals.objects.bulk_create(
        [
            quals(policyconditions_id=row.pk, qualification_id=q_id)
            for row, (_item, data) in zip(rows, pairs, strict=True)
            for q_id in dict.fromkeys(data.qualification_ids)
        ],
        batch_size=1000,
    )
    PolicyIndustry.objects.bulk_create(
        [PolicyIndustry(conditions=row, code=code) for row in rows for code in row.industries],
        batch_size=1000,
    )


def _validate_conditions(data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    bad = [c for c in data.get("industries", []) if not is_valid_code(c)]
    if bad:
        errors["industries"] = [
            _("“%(code)s”不是GB/T 4754-2017行业代码（门类字母A–T，可带2至4位数字）。") % {"code": c}
            for c in bad
        ]
    if any(s not in EnterpriseScale.values for s in data.get("scales", [])):
        errors["scales"] = [_("企业规模只能是大型、中型、小型或微型。")]
    min_years = data.get("min_years")
    if min_years is not None and not 0 <= min_years <= 200:
        errors["min_years"] = [_("最低成立年限应为0至200年。")]
    start, end = data.get("apply_from"), data.get("apply_until")
    if start and end and start > end:
        errors["apply_until"] = [_("申报截止日期不能早于申报开始日期。")]
    if errors:
        raise ValidationError(errors)


def _refuse_live_conditions(item: InformationItem) -> None:
    """先审后发: the conditions of a published policy change through its 修订稿, applied with
    it on approval (ADR 0005), like every other field of the policy."""
    if item.status == InformationItem.Status.PUBLISHED:
        raise ValidationError(
            _(
                "“%(title)s”已发布，不能直接修改政策兑现信息："
                "请在修订稿中修改，审核通过后替换公开内容。"
            )
            % {"title": item.title}
        )
    if item.revision_of_id and item.revision_closed_at is not None:
        raise ValidationError(_("该修订稿已关闭，不能再修改。"))


def _write_conditions(item: InformationItem, data: dict[str, Any]) -> PolicyConditions:
    row, _created = PolicyConditions.objects.get_or_create(item=item)
    regions = list(data.get("regions", []))
    qualifications = list(data.get("qualifications", []))
    industries = list(dict.fromkeys(normalise_code(c) for c in data.get("industries", [])))
    row.industries = industries
    row.has_industries = bool(industries)
    row.has_regions = bool(regions)
    row.has_qualifications = bool(qualifications)
    row.scales = _scales_value(data.get("scales", []))
    row.min_years = data.get("min_years") or None
    row.apply_from = data.get("apply_from")
    row.apply_until = data.get("apply_until")
    for name in CONDITION_TEXT_FIELDS:
        setattr(row, name, (data.get(name) or "").strip())
    row.save()
    row.regions.set(regions)
    row.qualifications.set(qualifications)
    row.industry_rows.all().delete()
    PolicyIndustry.objects.bulk_create([PolicyIndustry(conditions=row, code=c) for c in industries])
    return row


@transaction.atomic
def policy_conditions_set(
    *, item: InformationItem, data: dict[str, Any], acting_user: User
) -> PolicyConditions:
    """Write the 申报条件 and 兑现 information of a draft policy or of a published policy's open
    修订稿 (published ones are refused: the 修订稿 carries the change through review).

    ``data`` keys: ``regions`` (organisations), ``industries`` (codes), ``scales``,
    ``min_years``, ``qualifications`` (``Qualification`` rows), ``apply_from``,
    ``apply_until`` and the texts ``procedure``, ``materials``, ``office``, ``phone``,
    ``redemption``, ``amount``."""
    locked = InformationItem.objects.select_for_update().get(pk=item.pk)
    _require_role(acting_user, locked.organisation, (Role.EDITOR,))
    _refuse_live_conditions(locked)
    unknown = set(data) - set(CONDITION_FORM_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    data = {**data, "industries": [normalise_code(c) for c in data.get("industries", [])]}
    _validate_conditions(data)
    row = _write_conditions(locked, data)
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=locked,
        detail={"policy_conditions": sorted(data)},
    )
    return row


CONDITION_FORM_FIELDS = (
    "regions",
    "industries",
    "scales",
    "min_years",
    "qualifications",
    "apply_from",
    "apply_until",
    *CONDITION_TEXT_FIELDS,
)


def conditions_as_data(row: PolicyConditions) -> dict[str, Any]:
    data: dict[str, Any] = {
        "regions": list(row.regions.all()),
        "industries": list(row.industries),
        "scales": row.scale_list,
        "min_years": row.min_years,
        "qualifications": list(row.qualifications.all()),
        "apply_from": row.apply_from,
        "apply_until": row.apply_until,
    }
    for name in CONDITION_TEXT_FIELDS:
        data[name] = getattr(row, name)
    return data


def policy_conditions_copy(*, source: InformationItem, target: InformationItem) -> None:
    """Copy the conditions with a 修订稿: on opening (live → revision) and on its approval
    (revision → live, ``catalogue.item_revision_apply``); the caller holds the transaction
    and writes the audit row. A source without conditions removes the target's."""
    row = PolicyConditions.objects.filter(item=source).first()
    if row is None:
        PolicyConditions.objects.filter(item=target).delete()
        return
    _write_conditions(target, conditions_as_data(row))


@transaction.atomic
def match_profile_save(*, user: User, data: dict[str, Any], acting_user: User) -> MatchProfile:
    """Create or update the account's 政策找人 profile (its owner only). ``data``: ``name``,
    ``credit_code``, ``region`` (organisation), ``industry``, ``scale``, ``established``,
    ``qualifications``."""
    if acting_user.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的政策找人档案。"))
    industry = normalise_code(data.get("industry") or "")
    errors: dict[str, list[str]] = {}
    if industry and not is_valid_code(industry):
        errors["industry"] = [
            _("“%(code)s”不是GB/T 4754-2017行业代码（门类字母A–T，可带2至4位数字）。")
            % {"code": industry}
        ]
    if not (data.get("name") or "").strip():
        errors["name"] = [_("请填写企业（个人）名称。")]
    if data.get("region") is None:
        errors["region"] = [_("请选择所在地区。")]
    if data.get("scale") and data["scale"] not in EnterpriseScale.values:
        errors["scale"] = [_("企业规模只能是大型、中型、小型或微型。")]
    if errors:
        raise ValidationError(errors)
    profile = MatchProfile.objects.filter(user=user).first() or MatchProfile(user=user)
    profile.name = data["name"].strip()
    profile.credit_code = (data.get("credit_code") or "").strip().upper()
    profile.region = data["region"]
    profile.industry = industry
    profile.scale = data.get("scale") or ""
    profile.established = data.get("established")
    profile.save()
    profile.qualifications.set(data.get("qualifications", []))
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=profile,
        organisation=profile.region,
        detail={"match_profile": "saved"},
    )
    return profile


# --- the 企业资质 list of 政策找人 (issue 15 item 7) -------------------------------------------
#
# Conditions and profiles hold qualifications by id and every page reads the name live, so a
# rename shows everywhere at once; 政策找人 matches by id and is unaffected. Only the import
# of documents looks qualifications up by name (``selectors.qualification_ids_by_name``): a file
# must then use the new name.


def _require_platform_admin(acting_user: Any) -> None:
    from gongkai.accounts.permissions import can_administer_platform

    if not can_administer_platform(acting_user):
        raise PermissionDenied(_("只有全平台的政务公开管理员可以维护企业资质"))


@transaction.atomic
def qualification_save(
    *, data: dict[str, Any], acting_user: Any, qualification: Qualification | None = None
) -> Qualification:
    """Add (``qualification=None``) or rename/reorder a 企业资质. ``data``: ``name``,
    ``position``."""
    _require_platform_admin(acting_user)
    what = str(_("企业资质"))
    unknown = set(data) - {"name", "position"}
    if unknown:
        raise ValidationError(
            _("%(what)s没有这些字段：%(f)s") % {"what": what, "f": "、".join(sorted(unknown))}
        )
    values = dict(data)
    created = qualification is None
    if qualification is None:
        qualification = Qualification()
        last = Qualification.objects.aggregate(m=Max("position"))["m"]
        values.setdefault("position", 1 if last is None else last + 1)
    saved = term_save(
        instance=qualification,
        created=created,
        values=values,
        siblings=Qualification.objects.all(),
        what=what,
        acting_user=acting_user,
    )
    return saved


@transaction.atomic
def qualification_delete(*, qualification: Qualification, acting_user: Any) -> None:
    """Delete a 企业资质 no policy's conditions and no 政策找人 profile uses."""
    _require_platform_admin(acting_user)
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    term_delete(
        instance=qualification,
        what=str(_("企业资质")),
        documents=PolicyConditions,
        acting_user=acting_user,
    )
