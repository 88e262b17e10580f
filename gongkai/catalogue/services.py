"""Every write to the catalogue goes through here."""

import datetime
import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.selectors import user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.signals import rows_written_send
from gongkai.core.terms import term_delete, term_save
from gongkai.review.chain_services import content_saved

from . import filetypes
from .index_numbers import IndexFormatError, format_index_number, validate_index_format
from .models import (
    Attachment,
    Audience,
    Column,
    IndexSequence,
    InformationItem,
    Page,
    TopicCategory,
)
from .richtext import html_to_text, sanitize_html

# ---------------------------------------------------------------------------------------------
# 索引号
# ---------------------------------------------------------------------------------------------


def _checked_format(organisation: Organisation) -> str:
    template = organisation.index_number_format
    try:
        validate_index_format(template)
        format_index_number(template, code=organisation.code, year=2000, month=1, serial=1)
    except IndexFormatError as exc:
        raise ValidationError(
            _("机构“%(org)s”的%(error)s") % {"org": organisation.name, "error": exc}
        ) from exc
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationError(
            _("机构“%(org)s”的索引号格式“%(format)s”无法使用")
            % {"org": organisation.name, "format": template}
        ) from exc
    return template


def _reserve_serials(organisation: Organisation, year: int, count: int) -> int:
    """Reserve ``count`` serials and return the first.

    The counter row is incremented with an UPDATE inside the caller's transaction, which takes
    a row lock on PostgreSQL (and the write lock on SQLite), so concurrent creators queue and
    never receive the same serial. The national 指引 restarts the serial every year.
    """
    with transaction.atomic():
        IndexSequence.objects.get_or_create(organisation=organisation, year=year)
        IndexSequence.objects.filter(organisation=organisation, year=year).update(
            last_serial=F("last_serial") + count
        )
        last = IndexSequence.objects.get(organisation=organisation, year=year).last_serial
    return last - count + 1


def index_numbers_allocate(
    *, organisation: Organisation, on_date: datetime.date, count: int = 1
) -> list[str]:
    """Reserve ``count`` consecutive 索引号 for ``organisation`` in the year of ``on_date``."""
    if count < 1:
        return []
    template = _checked_format(organisation)
    first = _reserve_serials(organisation, on_date.year, count)
    return [
        format_index_number(
            template, code=organisation.code, year=on_date.year, month=on_date.month, serial=serial
        )
        for serial in range(first, first + count)
    ]


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------

# Fields staff may set through item_create / item_update (index_number and organisation never:
# the 索引号 "does not change even if the publishing agency changes", 指引 §索引号).
SCALAR_FIELDS = (
    "title",
    "unit",
    "doc_number",
    "written_date",
    "scheduled_at",
    "topic",
    "genre",
    "keywords",
    "summary",
    "body",
    "disclosure",
    "disclosure_reason",
    "policy_kind",
    "effective_date",
    "expiry_date",
    "registration_number",
    "external_id",
)
M2M_FIELDS = ("audiences", "columns")


def _require_role(user: Any, organisation: Organisation, *roles: str) -> None:
    """``None`` is the system itself (management commands); people need the role in the org."""
    if user is None:
        return
    if not user_has_role(user, organisation, *roles):
        raise PermissionDenied(_("您没有在“%(org)s”执行此操作的权限") % {"org": organisation.name})


def _apply_data(item: InformationItem, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if "index_number" in unknown:
        raise ValidationError({"index_number": _("索引号一经生成不得更改")})
    if "organisation" in unknown:
        raise ValidationError({"organisation": _("发布机构创建后不能更改")})
    if unknown:
        raise ValueError(f"unknown item fields: {sorted(unknown)}")
    for name in SCALAR_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str) and name not in ("body",):
                value = value.strip()
            if name == "external_id" and not value:
                value = None
            setattr(item, name, value)
    item.body = sanitize_html(item.body)
    item.body_text = html_to_text(item.body)
    return {name: list(data[name]) for name in M2M_FIELDS if name in data}


def _validate_item(item: InformationItem, m2m: dict[str, Any]) -> None:
    """Business rules first (with Chinese messages), then the model's own validation."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not item.title:
        add("title", _("请填写信息名称"))
    # 依申请公开 / 不予公开 must say why (条例 Art. 14–16; the 目录 records the reason).
    if item.disclosure != InformationItem.Disclosure.PROACTIVE and not item.disclosure_reason:
        add(
            "disclosure_reason",
            _("公开属性为“%(kind)s”时必须填写理由")
            % {"kind": InformationItem.Disclosure(item.disclosure).label},
        )
    if item.disclosure == InformationItem.Disclosure.PROACTIVE:
        item.disclosure_reason = ""
    if item.unit is not None and item.unit.organisation_id != item.organisation_id:
        add("unit", _("起草科室不属于发布机构“%(org)s”") % {"org": item.organisation.name})
    if item.written_date and item.published_date and item.written_date > item.published_date:
        add("written_date", _("成文日期不能晚于发布日期"))
    for name, message in normative_problems(item):
        add(name, message)
    for column in m2m.get("columns", []):
        if column.organisation_id and column.organisation_id != item.organisation_id:
            add("columns", _("栏目“%(name)s”不属于本机构") % {"name": column.name})
    if errors:
        raise ValidationError(errors)
    item.full_clean(exclude=["index_number"] if not item.index_number else None)


# 统一登记号: provinces use their own shapes (e.g. ZJSP01-2021-0001, 粤府规〔2020〕1号), so
# only the characters are checked: letters, digits, 汉字, brackets and connectors, no spaces.
_REGISTRATION_NUMBER = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff〔〕\[\]（）()\-－—_/]{4,64}$")


def normative_problems(item: InformationItem) -> list[tuple[str, str]]:
    """定时发布 not before the 成文日期; 施行日期, 有效期至 and 统一登记号 (行政规范性文件,
    国办发〔2018〕37号): dates in order, the 登记号 only on a 行政规范性文件 and in a plausible
    shape. Pure on the item's fields."""
    out: list[tuple[str, str]] = []
    written = item.written_date
    if item.scheduled_at and written and timezone.localtime(item.scheduled_at).date() < written:
        out.append(("scheduled_at", _("定时发布时间不能早于成文日期")))
    if item.effective_date and item.written_date and item.effective_date < item.written_date:
        out.append(("effective_date", _("施行日期不能早于成文日期")))
    if item.expiry_date and item.effective_date and item.expiry_date <= item.effective_date:
        out.append(("expiry_date", _("有效期至应晚于施行日期")))
    if item.expiry_date and item.written_date and item.expiry_date <= item.written_date:
        out.append(("expiry_date", _("有效期至应晚于成文日期")))
    number = item.registration_number
    if number:
        if item.policy_kind != "normative":
            out.append(
                ("registration_number", _("只有行政规范性文件有统一登记号，请先选择文件类型"))
            )
        elif not _REGISTRATION_NUMBER.match(number):
            out.append(
                (
                    "registration_number",
                    _("统一登记号“%(n)s”格式不对：应为4至64位字母、数字、汉字或连接符，不含空格")
                    % {"n": number},
                )
            )
    return out


def _set_m2m(item: InformationItem, m2m: dict[str, Any]) -> None:
    if "audiences" in m2m:
        item.audiences.set(m2m["audiences"])
    if "columns" in m2m:
        item.columns.set(m2m["columns"])


def _snapshot(item: InformationItem) -> dict[str, Any]:
    return {
        name: (
            str(getattr(item, f"{name}_id", None) or "")
            if name in ("unit", "topic")
            else str(getattr(item, name) if getattr(item, name) is not None else "")
        )
        for name in SCALAR_FIELDS
    }


def item_create(
    *, organisation: Organisation, data: dict[str, Any], acting_user: Any
) -> InformationItem:
    """A new draft. Its 索引号 comes from the year of the 成文日期 (or today), kept for ever."""
    _require_role(acting_user, organisation, Role.EDITOR)
    item = InformationItem(
        organisation=organisation,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    m2m = _apply_data(item, data)
    _validate_item(item, m2m)
    with transaction.atomic():
        on_date = item.written_date or timezone.localdate()
        item.index_number = index_numbers_allocate(organisation=organisation, on_date=on_date)[0]
        item.save()
        # The version of the fields as saved (服务对象 and 栏目 join it on submission).
        content_saved(content=item, created=True)
        _set_m2m(item, m2m)
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=item,
            detail={"index_number": item.index_number},
        )
    return item


def _refuse_live_edit(item: InformationItem) -> None:
    """先审后发 also for corrections: published content changes only through a 修订稿
    (``item_revision_open``) whose approval applies it (ADR 0005)."""
    if item.status == InformationItem.Status.PUBLISHED:
        raise ValidationError(
            _("“%(title)s”已发布，不能直接修改：请在修订稿中修改，审核通过后替换公开内容")
            % {"title": item.title}
        )
    if item.revision_of_id and item.revision_closed_at is not None:
        raise ValidationError(_("该修订稿已关闭，不能再修改"))


def item_update(
    *, item: InformationItem, data: dict[str, Any], acting_user: Any
) -> InformationItem:
    _require_role(acting_user, item.organisation, Role.EDITOR)
    _refuse_live_edit(item)
    before = _snapshot(item)
    index_number = item.index_number
    m2m = _apply_data(item, data)
    _validate_item(item, m2m)
    with transaction.atomic():
        item.index_number = index_number
        item.save()
        content_saved(content=item)
        _set_m2m(item, m2m)
        after = _snapshot(item)
        changed = sorted(k for k in after if after[k] != before[k]) + sorted(m2m)
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=item,
            detail={"changed": changed},
        )
    return item


def item_keep_withheld(
    *, item: InformationItem, disclosure: str, reason: str, acting_user: Any
) -> InformationItem:
    """条例第十八条 yearly review: an item stays 依申请公开 or 不予公开 (staff may move it
    between the two) with a freshly stated reason. Nothing of it is on the public pages either
    way, so — like 有效性 — this is immediate, audited and allowed on a published item; making
    it 主动公开 is a real change of public content and goes through a 修订稿 and review."""
    _require_role(acting_user, item.organisation, Role.EDITOR)
    Disclosure = InformationItem.Disclosure
    if disclosure not in (Disclosure.ON_REQUEST, Disclosure.WITHHELD):
        raise ValidationError({"disclosure": _("请选择维持“依申请公开”或“不予公开”")})
    if item.disclosure == Disclosure.PROACTIVE:
        raise ValidationError({"disclosure": _("主动公开的信息不在不公开评估范围内")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"disclosure_reason": _("请填写维持不主动公开的理由")})
    with transaction.atomic():
        changed = [
            name
            for name, value in (("disclosure", disclosure), ("disclosure_reason", reason))
            if getattr(item, name) != value
        ]
        item.disclosure = disclosure
        item.disclosure_reason = reason
        item.save(update_fields=["disclosure", "disclosure_reason", "updated_at"])
        content_saved(content=item)
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=item,
            detail={"changed": changed},
        )
    return item


def item_publish(
    *, item: InformationItem, acting_user: Any, on: datetime.date | None = None
) -> InformationItem:
    """Publish now: called by the review chain on final approval (or at the 定时发布 time)
    through the one publish step, ``review.chain_services.publish_approved`` (row lock, final
    approval, status, 发布日期, audit row), like every other kind; the item adds its own refusals
    (a 修订稿 is never published on its own, no 发布日期 before the 成文日期). Imported
    historical documents are the one path recorded as published without review
    (``documents_import``)."""
    from gongkai.review.chain_services import publish_approved

    _require_role(acting_user, item.organisation, Role.EDITOR)
    if item.revision_of_id:
        raise ValidationError(_("修订稿不单独发布，审核通过后替换原信息的公开内容"))
    # The audit row says which state the item left (read under the lock, before it changes).
    left: dict[str, str] = {}

    def not_before_written(locked: InformationItem, day: datetime.date, _reason: str) -> list[str]:
        if locked.written_date and locked.written_date > day:
            raise ValidationError(_("发布日期不能早于成文日期"))
        left["from"] = str(locked.status)
        return []

    publish_approved(
        item,
        acting_user=acting_user,
        on=on,
        already=_("“%(title)s”已经发布") % {"title": item.title},
        prepare=not_before_written,
        detail=lambda locked: {**left, "published_date": locked.published_date.isoformat()},
    )
    return item


def item_withdraw(*, item: InformationItem, reason: str, acting_user: Any) -> InformationItem:
    """Take a published item off the public pages through the one withdraw step
    (``withdraw_published``); the reason goes into the audit trail."""
    from gongkai.review.chain_services import withdraw_published

    _require_role(acting_user, item.organisation, Role.EDITOR)
    reason = (reason or "").strip()
    if item.status != InformationItem.Status.PUBLISHED:
        raise ValidationError(_("只有已发布的信息可以撤回"))
    if not reason:
        raise ValidationError({"reason": _("请填写撤回理由")})

    def discard_revisions(locked: InformationItem) -> dict[str, Any]:
        # Withdrawal is immediate; a correction still in review is discarded with it (kept,
        # closed, for the record): the withdrawn item is now edited and resubmitted itself.
        discarded = _revisions_discard(locked)
        return {"revision_discarded": discarded} if discarded else {}

    withdraw_published(item, reason=reason, acting_user=acting_user, also=discard_revisions)
    return item


def _revisions_discard(live: Any) -> list[int]:
    from gongkai.review.chain_services import review_close_revision

    open_revisions = list(
        type(live).objects.select_for_update().filter(revision_of=live, revision_closed_at=None)
    )
    for revision in open_revisions:
        type(live).objects.filter(pk=revision.pk).update(
            status=InformationItem.Status.WITHDRAWN, revision_closed_at=timezone.now()
        )
        review_close_revision(revision=revision)
    return [r.pk for r in open_revisions]


# ---------------------------------------------------------------------------------------------
# 修订稿: corrections of published items go through review (ADR 0005)
# ---------------------------------------------------------------------------------------------

# What a revision carries and applies; external_id stays with the live item (unique), the
# 定时发布时间 of the revision says when its correction goes live, not the live item's.
REVISED_FIELDS = tuple(f for f in SCALAR_FIELDS if f not in ("external_id", "scheduled_at"))


def _copy_attachments(source: InformationItem, target: InformationItem) -> None:
    """Copy the attachment rows — they point at the same stored files (content-addressed) —
    and point the 附件 links of the target's 正文 (copied from the source) at the copies: the
    source's rows are the published version's own (a 修订稿 must not change what the public
    sees) and are deleted when an approved revision replaces them."""
    originals = list(source.attachments.all())
    copies = Attachment.objects.bulk_create(
        [
            Attachment(
                item=target,
                file=a.file.name,
                original_name=a.original_name,
                file_kind=a.file_kind,
                size=a.size,
                sha256=a.sha256,
                extracted_text=a.extracted_text,
                is_original=a.is_original,
                sort_order=a.sort_order,
            )
            for a in originals
        ]
    )
    moved = {a.pk: copy.pk for a, copy in zip(originals, copies, strict=True)}
    target.body = _attachment_links_moved(target.body, moved)


def _attachment_link() -> re.Pattern[str]:
    """The path of an attachment's public download, any id: what the 正文 editor's 插入附件
    inserts (as a full address, so the host before it may be any)."""
    from django.urls import reverse

    head, tail = reverse("portal:attachment_download", args=[987654321]).split("987654321")
    return re.compile(f"({re.escape(head)})([0-9]+)({re.escape(tail)})")


def _attachment_links_moved(body: str, moved: dict[int, int]) -> str:
    """``body`` with its links to the attachments ``moved`` (old id → new id) rewritten, in one
    pass (an id that is both old and new is not rewritten twice); other links stay."""
    if not moved or not body:
        return body

    def relink(match: re.Match[str]) -> str:
        new = moved.get(int(match.group(2)))
        return match.group(0) if new is None else f"{match.group(1)}{new}{match.group(3)}"

    return _attachment_link().sub(relink, body)


def _attachment_links_blanked(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot whose 附件 links name no row: copied attachments get new ids, which is no
    change of the 正文 an audit row should report."""
    return {**snapshot, "body": _attachment_link().sub(r"\1#\3", snapshot.get("body", ""))}


def open_revision(item: InformationItem) -> InformationItem | None:
    return item.revisions.filter(revision_closed_at=None).first()


def _copy_conditions(*, source: InformationItem, target: InformationItem) -> None:
    """政策兑现 conditions travel with the 修订稿 (issue 14; owned by the policies app)."""
    from gongkai.policies.services import policy_conditions_copy

    policy_conditions_copy(source=source, target=target)


def item_revision_open(*, item: InformationItem, acting_user: Any) -> InformationItem:
    """The open 修订稿 of a published item, created on first use: a draft copy (metadata,
    服务对象, 栏目, attachments) that the editor corrects and submits; the public keeps seeing
    the live item until the chain approves the revision."""
    _require_role(acting_user, item.organisation, Role.EDITOR)
    if item.revision_of_id:
        raise ValidationError(_("修订稿不能再生成修订稿"))
    with transaction.atomic():
        live = InformationItem.objects.select_for_update().get(pk=item.pk)
        if live.status != InformationItem.Status.PUBLISHED:
            raise ValidationError(_("只有已发布的信息通过修订稿修改，未发布的信息请直接编辑"))
        existing = open_revision(live)
        if existing is not None:
            return existing
        revision = InformationItem(
            organisation=live.organisation,
            index_number=live.index_number,
            revision_of=live,
            status=InformationItem.Status.DRAFT,
            body_text=live.body_text,
            validity=live.validity,
            validity_date=live.validity_date,
            replaced_by_id=live.replaced_by_id,
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        for name in REVISED_FIELDS:
            setattr(revision, name, getattr(live, name))
        revision.save()
        revision.audiences.set(live.audiences.all())
        revision.columns.set(live.columns.all())
        _copy_attachments(live, revision)
        revision.save(update_fields=["body"])
        _copy_conditions(source=live, target=revision)
        # The first version, once the copy is complete (m2m, attachments).
        content_saved(content=revision, acting_user=acting_user, note=_("生成修订稿"))
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=revision,
            target_label=_("修订稿：%(title)s") % {"title": live.title},
            organisation=live.organisation,
            detail={"revision_of": live.pk, "index_number": live.index_number},
        )
    return revision


def item_revision_apply(*, revision: InformationItem, acting_user: Any) -> InformationItem:
    """On the revision's final approval (or its 定时发布 time): its content replaces the live
    item's — fields, 服务对象, 栏目 and attachments — in one transaction, with a new version
    and search change-log row of the live item (``content_saved``) and an audit row naming the
    approving reviewer. The revision is closed, kept for the record, never public."""
    from gongkai.review.chain_services import final_approval, review_approval_problem

    if not revision.revision_of_id:
        raise ValidationError(_("“%(title)s”不是修订稿") % {"title": revision.title})
    with transaction.atomic():
        rev = InformationItem.objects.select_for_update().get(pk=revision.pk)
        if rev.revision_closed_at is not None:
            raise ValidationError(_("该修订稿已关闭，不能再修改"))
        problem = review_approval_problem(rev)
        if problem:
            raise ValidationError(problem)
        live = (
            InformationItem.objects.select_for_update()
            .select_related("organisation")
            .get(pk=rev.revision_of_id or 0)
        )
        if live.status != InformationItem.Status.PUBLISHED:
            raise ValidationError(
                _("“%(title)s”已不在发布状态，修订稿不能替换其内容") % {"title": live.title}
            )
        before = _snapshot(live)
        for name in REVISED_FIELDS:
            setattr(live, name, getattr(rev, name))
        live.body_text = html_to_text(live.body)
        m2m = {"audiences": list(rev.audiences.all()), "columns": list(rev.columns.all())}
        _validate_item(live, m2m)
        _set_m2m(live, m2m)
        old_files = sorted(a.sha256 for a in live.attachments.all())
        # Rows only: the stored files stay, the closed revision and older versions cite them.
        live.attachments.all().delete()
        _copy_attachments(rev, live)
        _copy_conditions(source=rev, target=live)
        live.save()
        content_saved(content=live, note=_("修订稿审核通过"))
        # New attachment ids in the 正文's links are no change of its text.
        before, after = (
            _attachment_links_blanked(before),
            _attachment_links_blanked(_snapshot(live)),
        )
        decision = final_approval(rev)
        attachments_changed = old_files != sorted(a.sha256 for a in rev.attachments.all())
        audit_record(
            action=AuditEntry.Action.PUBLISH,
            acting_user=acting_user
            if acting_user is not None
            else getattr(decision, "reviewer", None),
            target=live,
            detail={
                "revision": rev.pk,
                "changed": sorted(k for k in after if after[k] != before[k])
                + (["attachments"] if attachments_changed else []),
                "approved_by": decision.reviewer_name if decision else "",
            },
        )
        InformationItem.objects.filter(pk=rev.pk).update(
            status=InformationItem.Status.APPROVED, revision_closed_at=timezone.now()
        )
        _correction_notice(rev, live)
    revision.refresh_from_db()
    return live


def _correction_notice(revision: InformationItem, live: InformationItem) -> None:
    """Subscribers hear of a correction only when staff marked it substantive (issue 14)."""
    from gongkai.subscriptions.services import revision_applied

    revision_applied(revision=revision, live=live)


def _validity_notice(item: InformationItem, validity: str) -> None:
    """Subscribers and matched 政策找人 profiles hear of a repeal (issue 14; subscriptions app)."""
    from gongkai.subscriptions.services import validity_change_notify

    validity_change_notify(item=item, validity=validity)


def _may_link(user: Any, target: InformationItem) -> bool:
    from .selectors import linkable_items

    return linkable_items(user, scope="successor").filter(pk=target.pk).exists()


def item_set_validity(
    *,
    item: InformationItem,
    validity: str,
    date: datetime.date | None,
    replaced_by: InformationItem | None,
    acting_user: Any,
) -> InformationItem:
    """有效性 lifecycle: 失效/废止/已修改 carry the date; 已修改 names the amending item and a
    失效 or 废止 one may name its successor, so the old page points readers to the text in force."""
    _require_role(acting_user, item.organisation, Role.EDITOR)
    if item.revision_of_id:
        raise ValidationError(_("有效性在原信息上直接变更，不通过修订稿"))
    Validity = InformationItem.Validity
    if validity not in Validity.values:
        raise ValidationError({"validity": _("有效性取值无效")})
    errors: dict[str, str] = {}
    if validity == Validity.VALID:
        date, replaced_by = None, None
    else:
        if date is None:
            errors["validity_date"] = _("有效性为“%(v)s”时必须填写日期") % {
                "v": Validity(validity).label
            }
        if validity == Validity.AMENDED and replaced_by is None:
            errors["replaced_by"] = _("有效性为“已修改”时必须指明修改后的文件")
        # A 失效 document may name the one issued in its place (a 试行 办法 that ran out and
        # its formal successor), so every superseded text leads to the one in force.
        if replaced_by is not None and replaced_by.pk == item.pk:
            errors["replaced_by"] = _("文件不能由其自身替代或修改")
        elif replaced_by is not None and not _may_link(acting_user, replaced_by):
            # Another organisation's draft is not the editor's to name: its title would be
            # recorded here (audit, 修订稿) before its own organisation chose to publish it.
            errors["replaced_by"] = _(
                "只能指明已公开的文件或本机构的文件；索引号为“%(n)s”的文件尚未公开"
            ) % {"n": replaced_by.index_number}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _validity_notice(item, validity)
        previous = item.validity
        item.validity = validity
        item.validity_date = date
        item.replaced_by = replaced_by
        item.save(update_fields=["validity", "validity_date", "replaced_by", "updated_at"])
        content_saved(content=item)
        audit_record(
            action=AuditEntry.Action.VALIDITY,
            acting_user=acting_user,
            target=item,
            detail={
                "from": previous,
                "to": validity,
                "date": date.isoformat() if date else None,
                "replaced_by": replaced_by.index_number if replaced_by else None,
            },
        )
    return item


# ---------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------


def _megabytes(size: int, *, up: bool = False) -> str:
    """Megabytes with two decimals; a file's size is rounded up so it never reads as the limit."""
    hundredths = size * 100 / (1024 * 1024)
    value = (math.ceil(hundredths) if up else round(hundredths)) / 100
    return f"{value:.2f}".rstrip("0").rstrip(".")


ORIGINAL_KINDS = (filetypes.PDF, filetypes.OFD)


def attachment_add(
    *, item: InformationItem, uploaded_file: Any, acting_user: Any, is_original: bool = False
) -> Attachment:
    """Accept a PDF, OFD, Word, Excel or image file whose bytes match its extension, within the
    limit. ``is_original`` marks the issuing body's fixed-layout 原文 (PDF or OFD only)."""
    _require_role(acting_user, item.organisation, Role.EDITOR)
    if item.status == InformationItem.Status.PUBLISHED:
        raise ValidationError(
            _("“%(title)s”已发布，不能直接添加附件：请在修订稿中上传，审核通过后公开")
            % {"title": item.title}
        )
    if item.revision_of_id and item.revision_closed_at is not None:
        raise ValidationError(_("该修订稿已关闭，不能再修改"))
    name = (getattr(uploaded_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("附件“%(name)s”大小为%(size)sMB，超过上限%(limit)sMB")
            % {"name": name, "size": _megabytes(size, up=True), "limit": _megabytes(limit)}
        )
    claimed = filetypes.kind_from_name(name)
    if claimed is None:
        raise ValidationError(
            _("附件“%(name)s”的类型不受支持，只能上传PDF、OFD、Word、Excel或图片（PNG、JPEG、GIF）")
            % {"name": name}
        )
    content = uploaded_file.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("附件“%(name)s”大小超过上限%(limit)sMB") % {"name": name, "limit": _megabytes(limit)}
        )
    if not content:
        raise ValidationError(_("附件“%(name)s”是空文件") % {"name": name})
    actual = filetypes.sniff_kind(content)
    if actual != claimed:
        raise ValidationError(
            _("附件“%(name)s”的内容与扩展名不符：扩展名表示%(claimed)s，实际内容%(actual)s")
            % {
                "name": name,
                "claimed": filetypes.KIND_LABELS[claimed],
                "actual": (
                    _("是%(kind)s") % {"kind": filetypes.KIND_LABELS[actual]}
                    if actual
                    else _("无法识别")
                ),
            }
        )
    try:
        text = filetypes.extract_text(actual, content)
    except filetypes.ArchiveRefused as exc:
        raise ValidationError(
            _("附件“%(name)s”：%(reason)s") % {"name": name, "reason": str(exc)}
        ) from exc
    except filetypes.ExtractionError as exc:
        raise ValidationError(_("附件“%(name)s”已损坏或无法读取") % {"name": name}) from exc
    if is_original and actual not in ORIGINAL_KINDS:
        raise ValidationError(
            _("附件“%(name)s”是%(kind)s，只有PDF或OFD版式文件可以标为原文")
            % {"name": name, "kind": filetypes.KIND_LABELS[actual]}
        )
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        item=item,
        original_name=name[:255],
        file_kind=actual,
        size=len(content),
        sha256=digest,
        extracted_text=text,
        is_original=is_original,
        sort_order=item.attachments.count(),
    )
    stored_name = f"{digest[:16]}{'.jpg' if actual == filetypes.JPEG else '.' + actual}"
    attachment.file.save(stored_name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            audit_record(
                action=AuditEntry.Action.EDIT,
                acting_user=acting_user,
                target=item,
                detail={
                    "attachment_added": name,
                    "sha256": digest,
                    "size": len(content),
                    "is_original": is_original,
                },
            )
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


# ---------------------------------------------------------------------------------------------
# Import of existing documents (import_documents FILE.jsonl)
# ---------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    index_numbers: list[str] = field(default_factory=list)


class DocumentImportError(Exception):
    """The file had bad lines; ``errors`` holds one Chinese message per bad line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _import_date(item: InformationItem) -> datetime.date:
    # The 索引号 year follows the 成文日期 (生成日期), else the 发布日期 (required on import).
    on_date = item.written_date or item.published_date
    assert on_date is not None
    return on_date


def _import_conditions(prepared: list[Any]) -> None:
    """政策兑现 conditions of the imported lines (issue 14), written by the policies app."""
    pairs = [(doc.item, doc.conditions) for doc in prepared if doc.conditions is not None]
    if pairs:
        from gongkai.policies.services import policy_conditions_bulk_create

        policy_conditions_bulk_create(pairs=pairs)


def documents_import(
    *, lines: Iterable[str], acting_user: Any = None, source: str = ""
) -> ImportResult:
    """Validate every line, then create all items in one transaction — or none at all.

    The one path that records items as 已发布 without the review chain, on purpose: these are
    documents an agency has already published (on its old site, reviewed there), imported
    with their original 发布日期. The IMPORT audit row says so (``published_without_review``).
    Anything new, and any correction, goes through the chain (``item_publish`` refuses)."""
    from .importing import prepare_documents

    prepared, errors = prepare_documents(lines)
    if errors:
        raise DocumentImportError(errors)
    result = ImportResult()
    if not prepared:
        return result
    through = InformationItem.audiences.through
    with transaction.atomic():
        groups: dict[tuple[int, int], list[int]] = {}
        for position, doc in enumerate(prepared):
            on_date = _import_date(doc.item)
            groups.setdefault((doc.item.organisation_id, on_date.year), []).append(position)
        for (_org_id, year), positions in groups.items():
            organisation = prepared[positions[0]].item.organisation
            template = _checked_format(organisation)
            first = _reserve_serials(organisation, year, len(positions))
            for offset, position in enumerate(positions):
                item = prepared[position].item
                on_date = _import_date(item)
                item.index_number = format_index_number(
                    template,
                    code=organisation.code,
                    year=year,
                    month=on_date.month,
                    serial=first + offset,
                )
        items = [doc.item for doc in prepared]
        for item in items:
            item.created_by = (
                acting_user if getattr(acting_user, "is_authenticated", False) else None
            )
        InformationItem.objects.bulk_create(items, batch_size=500)
        links = [
            through(informationitem_id=doc.item.pk, audience_id=audience_id)
            for doc in prepared
            for audience_id in doc.audience_ids
        ]
        through.objects.bulk_create(links, batch_size=1000)
        _import_conditions(prepared)
        # bulk_create sends no post_save: without this every other server's search would
        # never see the imported documents.
        rows_written_send(InformationItem, items)
        audit_record(
            action=AuditEntry.Action.IMPORT,
            acting_user=acting_user,
            target_label=_("导入政府信息%(n)d条") % {"n": len(items)},
            detail={
                "source": source,
                "count": len(items),
                "published_without_review": _("历史文件导入：已在原网站发布"),
                "first": items[0].index_number,
                "last": items[-1].index_number,
            },
        )
    result.created = len(items)
    result.index_numbers = [item.index_number for item in items]
    return result


def item_mask_personal_data(*, item: Any, acting_user: Any) -> list[str]:
    """One-click masking on an information item: ID, bank-card and mobile numbers and e-mail
    addresses in the title, summary and body are replaced by their masked forms (rules note
    §5.6, 去标识化). Saved through the catalogue's own update service (role check, audit row).
    Returns the names of the fields that changed. Attachments cannot be rewritten: their
    findings stay until the file is replaced."""
    from gongkai.checks.text import mask, mask_html, privacy_findings

    data: dict[str, str] = {}
    for name in ("title", "summary"):
        value = getattr(item, name) or ""
        masked = mask(value, privacy_findings(value))
        if masked != value:
            data[name] = masked
    body = item.body or ""
    masked_body = mask_html(body)
    if masked_body != body:
        data["body"] = masked_body
    if data:
        item_update(item=item, data=data, acting_user=acting_user)
    return sorted(data)


# ---------------------------------------------------------------------------------------------
# Administration by the 政务公开管理员 (issue 15, item 7): 栏目/专题专栏, 公开制度 pages, 索引号
# formats. An organisation's own columns and pages belong to its administrators; the platform's
# (no organisation) to the administrators of a top-level organisation.
# ---------------------------------------------------------------------------------------------

COLUMN_FIELDS = (
    "name",
    "slug",
    "kind",
    "parent",
    "description",
    "update_period_days",
    "sort_order",
    "is_active",
)
PAGE_SLUGS = {"guide": _lazy("政府信息公开指南"), "rules": _lazy("政府信息公开制度")}


def _require_admin_for(acting_user: Any, organisation: Organisation | None) -> None:
    from gongkai.accounts.permissions import can_administer_organisation, can_administer_platform

    if getattr(acting_user, "is_superuser", False):
        return
    allowed = (
        can_administer_platform(acting_user)
        if organisation is None
        else can_administer_organisation(acting_user, organisation)
    )
    if not allowed:
        raise PermissionDenied(
            _("只有全平台的政务公开管理员可以修改全平台设置")
            if organisation is None
            else _("只有“%(org)s”的政务公开管理员可以修改其设置") % {"org": organisation.name}
        )


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    return value


@transaction.atomic
def column_save(
    *,
    organisation: Organisation | None,
    data: dict[str, Any],
    acting_user: Any,
    column: Column | None = None,
) -> Column:
    """Create (``column=None``) or change a 栏目 or 专题专栏 of ``organisation`` (``None``: the
    platform's). A parent must belong to the same owner; a column is never its own ancestor."""
    if column is not None and column.organisation_id != (organisation.pk if organisation else None):
        raise ValidationError(_("该栏目不属于所选机构"))
    _require_admin_for(acting_user, organisation)
    unknown = set(data) - set(COLUMN_FIELDS)
    if unknown:
        raise ValidationError(_("栏目没有这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    created = column is None
    target = column if column is not None else Column(organisation=organisation)
    before = {name: _plain(getattr(target, name)) for name in data} if not created else {}
    parent = data.get("parent", target.parent if not created else None)
    if parent is not None:
        if parent.organisation_id not in (None, organisation.pk if organisation else None):
            raise ValidationError({"parent": _("上级栏目须为本机构或全平台的栏目")})
        node: Column | None = parent
        while node is not None:
            if not created and node.pk == target.pk:
                raise ValidationError({"parent": _("上级栏目不能是本栏目或其下级栏目")})
            node = node.parent
    for name, value in data.items():
        setattr(target, name, value.strip() if isinstance(value, str) else value)
    target.full_clean()
    after = {name: _plain(getattr(target, name)) for name in data}
    changes = (
        {}
        if created
        else {k: {"old": before[k], "new": v} for k, v in after.items() if before[k] != v}
    )
    if not created and not changes:
        return target
    target.save()
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=target,
        organisation=organisation,
        detail={"column": after} if created else {"changes": changes},
    )
    return target


@transaction.atomic
def page_save(
    *,
    slug: str,
    organisation: Organisation | None,
    title: str,
    body: str,
    acting_user: Any,
) -> Page:
    """Write the 公开指南 or 公开制度 page of ``organisation`` (``None``: the platform's). The
    body is sanitised like every item body (nh3), so the portal shows what was saved."""
    if slug not in PAGE_SLUGS:
        raise ValidationError(_("未知的专栏页面“%(s)s”") % {"s": slug})
    _require_admin_for(acting_user, organisation)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写页面标题")})
    clean_body = sanitize_html(body or "")
    page = Page.objects.select_for_update().filter(slug=slug, organisation=organisation).first()
    created = page is None
    if page is None:
        page = Page(slug=slug, organisation=organisation)
    changes = {
        name: {"old": getattr(page, name), "new": value}
        for name, value in (("title", title), ("body", clean_body))
        if getattr(page, name) != value
    }
    if not created and not changes:
        return page
    page.title, page.body = title, clean_body
    page.full_clean()
    page.save()
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=page,
        organisation=organisation,
        detail={"page": slug, "changes": {k: v for k, v in changes.items() if k == "title"}}
        | ({"body_changed": True} if "body" in changes else {}),
    )
    return page


@transaction.atomic
def index_number_format_set(
    *, organisation: Organisation, template: str, acting_user: Any
) -> Organisation:
    """Set the organisation's 索引号 format (前段码/后段码, 目录系统实施指引). Numbers already
    given keep their value: a 索引号 never changes once allocated."""
    _require_admin_for(acting_user, organisation)
    template = (template or "").strip()
    candidate = Organisation(code=organisation.code, name=organisation.name)
    candidate.index_number_format = template
    _checked_format(candidate)
    if len(template) > (Organisation._meta.get_field("index_number_format").max_length or 80):
        raise ValidationError({"index_number_format": _("索引号格式过长（最多80个字符）")})
    old = organisation.index_number_format
    if old == template:
        return organisation
    organisation.index_number_format = template
    organisation.save(update_fields=["index_number_format"])
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=organisation,
        organisation=organisation,
        detail={"changes": {"index_number_format": {"old": old, "new": template}}},
    )
    return organisation


# --- the platform's lists: 主题分类 and 服务对象 (issue 15 item 7) ------------------------------
#
# Both lists are the platform's, so only a platform administrator edits them. Public pages and
# facets read the names live by primary key (the page cache is invalidated by the table write,
# ADR 0008; the maintained policy facet counts hold ids, ADR 0015), so a rename shows at once.
# A 主题分类 never changes level or parent here: the facet counts and the search index count a
# second-level topic towards its parent, and would not follow such a move.


def _require_platform_admin(acting_user: Any, what: str) -> None:
    from gongkai.accounts.permissions import can_administer_platform

    if not can_administer_platform(acting_user):
        raise PermissionDenied(_("只有全平台的政务公开管理员可以维护%(what)s") % {"what": what})


def _list_values(data: dict[str, Any], allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            _("%(what)s没有这些字段：%(f)s") % {"what": what, "f": "、".join(sorted(unknown))}
        )
    return dict(data)


@transaction.atomic
def topic_category_save(
    *,
    data: dict[str, Any],
    acting_user: Any,
    topic: TopicCategory | None = None,
    parent: TopicCategory | None = None,
) -> TopicCategory:
    """Add (``topic=None``; under ``parent`` for a second-level 主题分类) or rename/reorder a
    主题分类. ``data``: ``name`` and/or ``sort_order``."""
    what = str(_("主题分类"))
    _require_platform_admin(acting_user, what)
    values = _list_values(data, ("name", "sort_order"), what)
    created = topic is None
    if topic is None:
        if parent is not None and parent.parent_id is not None:
            raise ValidationError(
                _("“%(p)s”是二级分类，其下不能再添加分类（主题分类只有两级）") % {"p": parent}
            )
        topic = TopicCategory(parent=parent)
        values.setdefault("sort_order", _next_order(TopicCategory.objects.filter(parent=parent)))
    elif parent is not None and parent.pk != topic.parent_id:
        raise ValidationError(_("不能调整已有主题分类的上级分类"))
    siblings = TopicCategory.objects.filter(parent_id=topic.parent_id)
    saved = term_save(
        instance=topic,
        created=created,
        values=values,
        siblings=siblings,
        what=what,
        acting_user=acting_user,
    )
    return saved


@transaction.atomic
def topic_category_delete(*, topic: TopicCategory, acting_user: Any) -> None:
    """Delete an unused 主题分类 (a first-level one only once it has no second level)."""
    what = str(_("主题分类"))
    _require_platform_admin(acting_user, what)
    topic = TopicCategory.objects.select_for_update().get(pk=topic.pk)
    children = topic.children.count()
    if children:
        raise ValidationError(
            _("主题分类“%(t)s”下有%(n)d个二级分类，不能删除；请先删除其二级分类。")
            % {"t": topic, "n": children}
        )
    term_delete(
        instance=topic,
        what=what,
        documents=InformationItem,
        skip=(TopicCategory,),
        acting_user=acting_user,
    )


@transaction.atomic
def audience_save(
    *, data: dict[str, Any], acting_user: Any, audience: Audience | None = None
) -> Audience:
    """Add (``audience=None``) or rename/reorder a 服务对象. ``data``: ``name``, ``sort_order``."""
    what = str(_("服务对象"))
    _require_platform_admin(acting_user, what)
    values = _list_values(data, ("name", "sort_order"), what)
    created = audience is None
    if audience is None:
        audience = Audience()
        values.setdefault("sort_order", _next_order(Audience.objects.all()))
    saved = term_save(
        instance=audience,
        created=created,
        values=values,
        siblings=Audience.objects.all(),
        what=what,
        acting_user=acting_user,
    )
    return saved


@transaction.atomic
def audience_delete(*, audience: Audience, acting_user: Any) -> None:
    """Delete an unused 服务对象."""
    what = str(_("服务对象"))
    _require_platform_admin(acting_user, what)
    audience = Audience.objects.select_for_update().get(pk=audience.pk)
    term_delete(instance=audience, what=what, documents=InformationItem, acting_user=acting_user)


def _next_order(rows: models.QuerySet[Any]) -> int:
    """A new term goes last unless an order was given."""
    last = rows.aggregate(m=models.Max("sort_order"))["m"]
    return 1 if last is None else last + 1
