"""Every write of public participation: ``<entity>_<verb>(*, ..., acting_user)``, atomic, with
its audit row. The statutory rules are asked from ``rules.py``; "now" is a parameter so the
window rules are tested at exact instants (the server compares in China time)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role, User
from gongkai.accounts.selectors import user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.status import ContentStatus
from gongkai.review.chain_services import withdraw_published

from . import rules
from .models import (
    AttendanceRecord,
    Comment,
    CommentGroup,
    Consultation,
    ConsultationAttachment,
    Decision,
    DecisionDirectory,
    DecisionStage,
    DecisionVersion,
    DirectoryAdjustment,
    Extension,
    Feedback,
    OfflineInput,
    OpenDayEvent,
    OpenDayRegistration,
    PolicyEvaluation,
    Question,
)

EDIT_ROLES = (Role.EDITOR, Role.ADMIN)
PUBLISH_ROLES = (Role.EDITOR, Role.REVIEWER, Role.ADMIN)
EDITABLE = (ContentStatus.DRAFT, ContentStatus.RETURNED, ContentStatus.WITHDRAWN)


def _require_role(user: Any, organisation: Organisation, roles: tuple[str, ...]) -> None:
    """``None`` is the system itself (the chain's scheduled publishing, the demo builder)."""
    if user is None:
        return
    if not user_has_role(user, organisation, *roles):
        raise PermissionDenied(_("您没有在“%(org)s”办理此项操作的权限") % {"org": organisation})


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def minimum_days(kind: str) -> int:
    return rules.min_days(kind, getattr(settings, "GONGKAI_CONSULTATION_MIN_DAYS", None))


def window_state(consultation: Consultation, now: datetime.datetime | None = None) -> str:
    return rules.window_state(
        _now(now), consultation.opens_on, consultation.closes_on, consultation.closed_at
    )


def _period_check(obj: Consultation) -> None:
    problem = rules.period_problem(
        kind=obj.kind,
        opens_on=obj.opens_on,
        closes_on=obj.closes_on,
        shortened_reason=obj.shortened_reason,
        minimum=minimum_days(obj.kind),
    )
    if problem:
        raise ValidationError({"closes_on": [problem]})


def _validate_consultation(obj: Consultation) -> None:
    errors: dict[str, list[str]] = {}
    for name, message in (
        ("title", _("请填写标题")),
        ("draft_text", _("请填写征求意见稿正文")),
        ("explanation", _("请填写起草说明（决策草案的说明，条例第十五条）")),
    ):
        if not (getattr(obj, name) or "").strip():
            errors[name] = [message]
    if errors:
        raise ValidationError(errors)
    _period_check(obj)


# ---------------------------------------------------------------- consultations
CONSULTATION_FIELDS = (
    "title",
    "kind",
    "draft_text",
    "explanation",
    "target_group",
    "how_to_comment",
    "opens_on",
    "closes_on",
    "shortened_reason",
)


def _set_questions(obj: Consultation, questions: Sequence[str]) -> None:
    obj.questions.all().delete()
    texts = [q.strip() for q in questions if q.strip()]
    for n, text in enumerate(texts, 1):
        Question.objects.create(consultation=obj, number=n, text=text[:500])


def consultation_create(
    *,
    organisation: Organisation,
    acting_user: Any,
    questions: Sequence[str] = (),
    **fields: Any,
) -> Consultation:
    _require_role(acting_user, organisation, EDIT_ROLES)
    unknown = set(fields) - set(CONSULTATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    obj = Consultation(organisation=organisation, created_by=acting_user, **fields)
    _validate_consultation(obj)
    with transaction.atomic():
        obj.save()
        _set_questions(obj, questions)
        audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=obj)
    return obj


def consultation_update(
    *,
    consultation: Consultation,
    acting_user: Any,
    questions: Sequence[str] | None = None,
    **fields: Any,
) -> Consultation:
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    with transaction.atomic():
        obj = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if obj.status not in EDITABLE:
            raise ValidationError(_("审核中或已发布的征集不能直接修改"))
        for name, value in fields.items():
            if name not in CONSULTATION_FIELDS:
                raise TypeError(f"unknown field: {name}")
            setattr(obj, name, value)
        _validate_consultation(obj)
        obj.save()
        if questions is not None:
            _set_questions(obj, questions)
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            detail={"fields": sorted(fields)},
        )
    consultation.refresh_from_db()
    return obj


def consultation_publish(
    *,
    consultation: Consultation,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
    now: datetime.datetime | None = None,
) -> Consultation:
    """Publish after the chain's final approval. A consultation approved after its planned
    opening day opens on the day it is published, and the period is checked again then: the
    public must get the whole period (条例第十五条)."""
    from gongkai.review.chain_services import publish_approved

    _require_role(acting_user, consultation.organisation, PUBLISH_ROLES)

    def open_in_time(obj: Consultation, day: datetime.date, reason: str) -> list[str]:
        if obj.opens_on < day and not reason:
            obj.opens_on = day
        _period_check(obj)
        return ["opens_on"]

    return publish_approved(
        consultation,
        acting_user=acting_user,
        on=on or rules.china_date(_now(now)),
        without_review=without_review,
        already=_("该征集已经发布"),
        prepare=open_in_time,
    )


def consultation_withdraw(*, consultation: Consultation, reason: str, acting_user: Any) -> None:
    _require_role(acting_user, consultation.organisation, PUBLISH_ROLES)
    withdraw_published(consultation, reason=reason, acting_user=acting_user)


def consultation_extend(
    *,
    consultation: Consultation,
    closes_on: datetime.date,
    reason: str,
    acting_user: Any,
    now: datetime.datetime | None = None,
) -> Extension:
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    with transaction.atomic():
        obj = Consultation.objects.select_for_update().get(pk=consultation.pk)
        today = rules.china_date(_now(now))
        problem = rules.extension_problem(
            current=obj.closes_on, new=closes_on, reason=reason, today=today
        )
        if not problem and obj.closed_at is not None:
            problem = _("征求意见已经提前截止，不能延期")
        if problem:
            raise ValidationError({"closes_on": [problem]})
        extension = Extension.objects.create(
            consultation=obj,
            previous_closes_on=obj.closes_on,
            closes_on=closes_on,
            reason=reason.strip(),
            created_by=acting_user,
        )
        obj.closes_on = closes_on
        obj.save(update_fields=["closes_on", "updated_at"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            detail={
                "extend": {"from": str(extension.previous_closes_on), "to": str(closes_on)},
                "reason": extension.reason,
            },
        )
    consultation.refresh_from_db()
    return extension


def consultation_close(
    *,
    consultation: Consultation,
    reason: str,
    acting_user: Any,
    now: datetime.datetime | None = None,
) -> Consultation:
    """Close before the closing day, with a reason that is published."""
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    moment = _now(now)
    with transaction.atomic():
        obj = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if obj.status != ContentStatus.PUBLISHED:
            raise ValidationError(_("征集尚未发布"))
        if window_state(obj, moment) == rules.CLOSED:
            raise ValidationError(_("征求意见已经截止"))
        if not (reason or "").strip():
            raise ValidationError({"reason": [_("请填写提前截止的理由")]})
        obj.closed_at = moment
        obj.closed_early_reason = reason.strip()
        obj.save(update_fields=["closed_at", "closed_early_reason", "updated_at"])
        audit_record(
            action=AuditEntry.Action.TRANSITION,
            acting_user=acting_user,
            target=obj,
            detail={"close_early": reason.strip()},
        )
    consultation.refresh_from_db()
    return obj


def _feedback_published(obj: Consultation) -> bool:
    feedback = Feedback.objects.filter(consultation=obj).first()
    return feedback is not None and feedback.status == ContentStatus.PUBLISHED


def consultation_finish(
    *, consultation: Consultation, acting_user: Any, now: datetime.datetime | None = None
) -> Consultation:
    """办结: refused until the 意见采纳情况反馈 is published (优化营商环境条例第六十二条)."""
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    moment = _now(now)
    with transaction.atomic():
        obj = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if obj.finished_at is not None:
            raise ValidationError(_("该征集已经办结"))
        if not _feedback_published(obj):
            raise ValidationError(_("意见采纳情况反馈经审核发布后，才能办结征集"))
        obj.finished_at = moment
        obj.save(update_fields=["finished_at", "updated_at"])
        audit_record(
            action=AuditEntry.Action.TRANSITION,
            acting_user=acting_user,
            target=obj,
            detail={"finish": True},
        )
    consultation.refresh_from_db()
    return obj


def consultation_link_document(
    *, consultation: Consultation, document: Any, acting_user: Any
) -> Consultation:
    """Link the final published document as the outcome; refused before the feedback."""
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    with transaction.atomic():
        obj = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not _feedback_published(obj):
            raise ValidationError(_("意见采纳情况反馈经审核发布后，才能关联正式文件"))
        if getattr(document, "status", None) != ContentStatus.PUBLISHED:
            raise ValidationError(_("只能关联已发布的正式文件"))
        obj.final_document = document
        obj.save(update_fields=["final_document", "updated_at"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            detail={"final_document": document.pk},
        )
    consultation.refresh_from_db()
    return obj


def consultation_attachment_add(
    *, consultation: Consultation, title: str, uploaded_file: Any, acting_user: Any
) -> ConsultationAttachment:
    """A PDF, OFD, Word, Excel or image file whose bytes match its extension, within the
    attachment limit, added to a draft (published drafts change only through review)."""
    from django.core.files.base import ContentFile

    from gongkai.catalogue import filetypes

    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    if consultation.status not in EDITABLE:
        raise ValidationError(_("审核中或已发布的征集不能再添加附件"))
    name = (getattr(uploaded_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
    claimed = filetypes.kind_from_name(name)
    if claimed is None:
        raise ValidationError(
            {
                "file": [
                    _("附件“%(name)s”的类型不受支持，只能上传PDF、OFD、Word、Excel或图片")
                    % {"name": name}
                ]
            }
        )
    content = uploaded_file.read(limit + 1)
    if len(content) > limit:
        raise ValidationError({"file": [_("附件“%(name)s”超过大小上限") % {"name": name}]})
    if filetypes.sniff_kind(content) != claimed:
        raise ValidationError({"file": [_("附件“%(name)s”的内容与扩展名不符") % {"name": name}]})
    if content.startswith(b"PK"):
        try:
            filetypes.check_archive(content)
        except filetypes.ExtractionError as error:
            raise ValidationError({"file": [str(error)]}) from error
    suffix = name.rsplit(".", 1)[-1].lower()
    with transaction.atomic():
        attachment = ConsultationAttachment(
            consultation=consultation, title=(title or "").strip()[:200] or name[:200]
        )
        attachment.file.save(f"{secrets.token_hex(8)}.{suffix}", ContentFile(content), save=False)
        attachment.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=consultation,
            detail={"attachment": attachment.title},
        )
    return attachment


# ---------------------------------------------------------------- comments
def _moderation_facts(body: str, today: datetime.date) -> tuple[str, list[str]]:
    """The masked public text and the 错敏词 found (checks app: dictionary and privacy)."""
    from gongkai.checks.selectors import current_checker
    from gongkai.checks.text import PRIVACY_KINDS, mask

    findings = current_checker().check(body, today=today)
    words = sorted({f.match for f in findings if f.kind not in PRIVACY_KINDS})
    return mask(body, findings), words


def _comment_author(
    consultation: Consultation, author: User | None, as_legal_person: bool
) -> tuple[str, str]:
    if author is not None and not author.is_public_account:
        raise PermissionDenied(_("工作人员账号不能以公众身份发表意见"))
    if not as_legal_person:
        return (author.get_full_name() if author is not None else ""), ""
    if author is None or not author.is_legal_person or not author.organisation_name:
        raise ValidationError(
            {"as_legal_person": [_("以企业（法人）名义发表意见，请先以法人账号登录")]}
        )
    return author.get_full_name(), author.organisation_name


def comment_submit(
    *,
    consultation: Consultation,
    body: str,
    author: User | None,
    is_public: bool,
    question: Question | None = None,
    article: str = "",
    author_name: str = "",
    as_legal_person: bool = False,
    now: datetime.datetime | None = None,
) -> Comment:
    """A comment of the public: accepted only while the window is open (China time); held for
    moderation (先审后发) with personal data masked in the text that may be published."""
    moment = _now(now)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("请填写意见内容")]})
    if len(body) > 5000:
        raise ValidationError({"body": [_("意见内容不能超过5000字")]})
    with transaction.atomic():
        obj = Consultation.objects.select_for_update().get(pk=consultation.pk)
        state = window_state(obj, moment)
        if obj.status != ContentStatus.PUBLISHED or state == rules.NOT_OPEN:
            raise ValidationError(_("该征集尚未开始，暂不接受意见"))
        if state == rules.CLOSED:
            raise ValidationError(_("征求意见已于%(d)s截止，不再接受意见") % {"d": obj.closes_on})
        if question is not None and question.consultation_id != obj.pk:
            raise ValidationError({"question": [_("所选问题不属于本次征集")]})
        name, legal_name = _comment_author(obj, author, as_legal_person)
        public_body, words = _moderation_facts(body, rules.china_date(moment))
        comment = Comment.objects.create(
            consultation=obj,
            question=question,
            article=article.strip()[:50],
            body=body,
            public_body=public_body,
            is_public=is_public,
            author=author,
            author_name=(author_name.strip() or name)[:150],
            as_legal_person=as_legal_person,
            legal_person_name=legal_name,
            flagged_words=words,
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=author,
            target=comment,
            organisation=obj.organisation,
        )
    return comment


def comment_moderate(
    *,
    comment: Comment,
    approve: bool,
    acting_user: Any,
    reason: str = "",
    note: str = "",
) -> Comment:
    """Approve or reject a comment; a rejection always names its reason."""
    consultation = comment.consultation
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    with transaction.atomic():
        obj = Comment.objects.select_for_update().get(pk=comment.pk)
        if approve:
            if obj.flagged_words and not (note or "").strip():
                raise ValidationError({"note": [_("该意见含有错敏词，通过前请说明处理情况")]})
            obj.moderation = Comment.Moderation.APPROVED
            obj.reject_reason = ""
        else:
            if reason not in Comment.RejectReason.values:
                raise ValidationError({"reason": [_("请选择未通过的原因")]})
            if reason == Comment.RejectReason.OTHER and not (note or "").strip():
                raise ValidationError({"note": [_("原因为“其他”时请填写说明")]})
            obj.moderation = Comment.Moderation.REJECTED
            obj.reject_reason = reason
            obj.group = None
        obj.reject_note = (note or "").strip()
        obj.moderated_by = acting_user
        obj.save()
        audit_record(
            action=AuditEntry.Action.APPROVE if approve else AuditEntry.Action.RETURN,
            acting_user=acting_user,
            target=obj,
            organisation=consultation.organisation,
            detail={"reason": reason, "note": obj.reject_note},
        )
    comment.refresh_from_db()
    return obj


# ---------------------------------------------------------------- offline input
def offline_input_record(
    *,
    consultation: Consultation,
    method: str,
    held_on: datetime.date,
    summary: str,
    acting_user: Any,
    **fields: Any,
) -> OfflineInput:
    """座谈会, 听证会, 实地走访, 问卷 … with a summary; a 听证会 must meet 条例第十六条."""
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    if method not in OfflineInput.Method.values:
        raise ValidationError({"method": [_("请选择征求意见方式")]})
    if not (summary or "").strip():
        raise ValidationError({"summary": [_("请填写情况摘要")]})
    obj = OfflineInput(
        consultation=consultation,
        method=method,
        held_on=held_on,
        summary=summary.strip(),
        created_by=acting_user,
        **fields,
    )
    if method == OfflineInput.Method.HEARING:
        problems = rules.hearing_problems(
            held_on=held_on,
            notice_published_on=obj.notice_published_on,
            materials_sent_on=obj.materials_sent_on,
            selection_method=obj.selection_method,
            participant_list=obj.participant_list,
        )
        if problems:
            raise ValidationError(problems)
    with transaction.atomic():
        obj.save()
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=obj,
            organisation=consultation.organisation,
        )
    return obj


# ---------------------------------------------------------------- dispositions
def group_save(
    *,
    consultation: Consultation,
    title: str,
    disposition: str,
    reason: str,
    acting_user: Any,
    comments: Iterable[Comment] = (),
    offline_inputs: Iterable[OfflineInput] = (),
    group: CommentGroup | None = None,
) -> CommentGroup:
    """Create (or change) a group of similar opinions with its disposition and reason."""
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    problem = rules.disposition_problem(disposition, reason)
    if problem:
        raise ValidationError({"reason": [problem]})
    if not (title or "").strip():
        raise ValidationError({"title": [_("请填写意见归类")]})
    comment_ids = [c.pk for c in comments]
    offline_ids = [o.pk for o in offline_inputs]
    with transaction.atomic():
        _lock_unfinished(consultation)
        bad = Comment.objects.filter(pk__in=comment_ids).exclude(
            consultation=consultation, moderation=Comment.Moderation.APPROVED
        )
        if bad.exists():
            raise ValidationError(_("只能归类本次征集中审核通过的意见"))
        if OfflineInput.objects.filter(pk__in=offline_ids).exclude(consultation=consultation):
            raise ValidationError(_("只能归类本次征集的线下意见"))
        if group is None:
            group = CommentGroup(consultation=consultation)
        group.title = title.strip()
        group.disposition = disposition
        group.reason = (reason or "").strip()
        group.save()
        # Row by row (a handful per group): every write passes the model signals.
        members: list[Comment | OfflineInput] = [
            *Comment.objects.filter(pk__in=comment_ids),
            *OfflineInput.objects.filter(pk__in=offline_ids),
        ]
        for member in members:
            member.group = group
            member.save(update_fields=["group"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=group,
            organisation=consultation.organisation,
            detail={"disposition": disposition, "comments": comment_ids, "offline": offline_ids},
        )
    return group


def _lock_unfinished(consultation: Consultation) -> Consultation:
    obj = Consultation.objects.select_for_update().get(pk=consultation.pk)
    feedback = Feedback.objects.filter(consultation=obj).first()
    if feedback is not None and feedback.status not in EDITABLE:
        raise ValidationError(_("采纳情况反馈已提交审核或已发布，不能再修改意见处理"))
    return obj


# ---------------------------------------------------------------- the feedback
def feedback_facts(consultation: Consultation) -> tuple[dict[str, int], list[dict[str, str]]]:
    """Counts by disposition and the reasons for non-adoption, computed from the groups."""
    from .selectors import group_facts

    facts = group_facts(consultation)
    return rules.feedback_counts(facts), rules.non_adoption_reasons(facts)


def feedback_problem(consultation: Consultation, now: datetime.datetime | None = None) -> str:
    """Why the feedback cannot be drawn up yet ("" if it can)."""
    if consultation.status != ContentStatus.PUBLISHED:
        return _("征集尚未发布")
    if window_state(consultation, now) != rules.CLOSED:
        return _("征求意见尚未截止，截止后才能形成采纳情况反馈")
    comments = consultation.comments.all()
    if comments.filter(moderation=Comment.Moderation.PENDING).exists():
        return _("还有待审核的意见")
    if comments.filter(moderation=Comment.Moderation.APPROVED, group=None).exists():
        return _("还有未归类处理的意见")
    if consultation.offline_inputs.filter(group=None, opinions__gt=0).exists():
        return _("还有未归类处理的线下意见")
    return ""


def feedback_prepare(
    *,
    consultation: Consultation,
    summary: str,
    acting_user: Any,
    now: datetime.datetime | None = None,
) -> Feedback:
    """Draw up (or redraw) the 意见采纳情况反馈 from the dispositions."""
    _require_role(acting_user, consultation.organisation, EDIT_ROLES)
    with transaction.atomic():
        obj = _lock_unfinished(consultation)
        problem = feedback_problem(obj, now)
        if problem:
            raise ValidationError(problem)
        counts, reasons = feedback_facts(obj)
        offline = [
            {"method": str(o.get_method_display()), "held_on": str(o.held_on), "summary": o.summary}
            for o in obj.offline_inputs.all()
        ]
        feedback, created = Feedback.objects.update_or_create(
            consultation=obj,
            defaults={
                "organisation": obj.organisation,
                "title": _("关于《%(t)s》征求意见采纳情况的反馈") % {"t": obj.title},
                "summary": (summary or "").strip(),
                "counts": counts,
                "non_adoption": reasons,
                "offline_summary": offline,
                "created_by": acting_user,
            },
        )
        audit_record(
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=feedback,
            organisation=obj.organisation,
            detail={"counts": counts},
        )
    return feedback


def feedback_stale_problem(feedback: Feedback) -> str:
    counts, reasons = feedback_facts(feedback.consultation)
    if counts != feedback.counts or reasons != feedback.non_adoption:
        return _("意见处理情况在反馈生成后有变化，请重新生成采纳情况反馈")
    return ""


def feedback_publish(
    *,
    feedback: Feedback,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
) -> Feedback:
    from gongkai.review.chain_services import publish_approved

    _require_role(acting_user, feedback.organisation, PUBLISH_ROLES)

    return publish_approved(
        feedback,
        acting_user=acting_user,
        on=on,
        without_review=without_review,
        already=_("该反馈已经发布"),
        problem=feedback_stale_problem,
    )


def feedback_withdraw(*, feedback: Feedback, reason: str, acting_user: Any) -> None:
    if Consultation.objects.filter(pk=feedback.consultation_id, finished_at__isnull=False):
        raise ValidationError(_("征集已经办结，采纳情况反馈不能撤回"))
    withdraw_published(feedback, reason=reason, acting_user=acting_user)


# ---------------------------------------------------------------- 重大行政决策事项目录
def directory_create(
    *, organisation: Organisation, year: int, acting_user: Any
) -> DecisionDirectory:
    _require_role(acting_user, organisation, EDIT_ROLES)
    if organisation.kind != Organisation.Kind.GOVERNMENT:
        raise ValidationError({"organisation": [_("重大行政决策事项目录由人民政府编制")]})
    if DecisionDirectory.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": [_("%(y)d年度的目录已经存在") % {"y": year}]})
    with transaction.atomic():
        directory = DecisionDirectory.objects.create(
            organisation=organisation, year=year, created_by=acting_user
        )
        audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=directory)
    return directory


def _unpublished(directory: DecisionDirectory) -> None:
    """Before publication the directory is edited directly (the chain reviews it as a whole);
    once published, every change is a reviewed adjustment (``directory_adjustment_create``)."""
    if directory.published_date is not None:
        raise ValidationError(
            _("目录已经公布，新增、调整或调出事项须起草目录调整，经审核发布后生效")
        )


def decision_add(
    *,
    directory: DecisionDirectory,
    title: str,
    owner: Organisation,
    legal_basis: str,
    planned_time: str,
    acting_user: Any,
    consultation: Consultation | None = None,
) -> Decision:
    """Add a decision to a directory not yet published."""
    _require_role(acting_user, directory.organisation, EDIT_ROLES)
    _unpublished(directory)
    errors = {
        name: [message]
        for name, value, message in (
            ("title", title, _("请填写决策事项名称")),
            ("legal_basis", legal_basis, _("请填写决策依据")),
            ("planned_time", planned_time, _("请填写计划完成时间")),
        )
        if not (value or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = DecisionDirectory.objects.select_for_update().get(pk=directory.pk)
        _unpublished(locked)
        decision = _decision_new(
            locked,
            title=title.strip(),
            owner=owner,
            legal_basis=legal_basis.strip(),
            planned_time=planned_time.strip(),
            consultation=consultation,
        )
        audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=decision)
    return decision


def _decision_new(directory: DecisionDirectory, **fields: Any) -> Decision:
    """The next number of the (locked) directory, with its eight stages."""
    number = (directory.decisions.order_by("-number").values_list("number", flat=True).first()) or 0
    decision = Decision.objects.create(directory=directory, number=number + 1, **fields)
    DecisionStage.objects.bulk_create(
        [
            DecisionStage(decision=decision, stage=stage, position=n)
            for n, stage in enumerate(rules.STAGES, 1)
        ]
    )
    return decision


def decision_remove(*, decision: Decision, reason: str, acting_user: Any) -> Decision:
    """Take a decision out of a directory not yet published."""
    directory = decision.directory
    _require_role(acting_user, directory.organisation, EDIT_ROLES)
    _unpublished(directory)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写调出目录的理由")]})
    with transaction.atomic():
        _unpublished(DecisionDirectory.objects.select_for_update().get(pk=directory.pk))
        decision.removed = True
        decision.save(update_fields=["removed"])
        audit_record(
            action=AuditEntry.Action.DELETE,
            acting_user=acting_user,
            target=decision,
            detail={"reason": reason},
        )
    decision.refresh_from_db()
    return decision


def decision_link(
    *,
    decision: Decision,
    acting_user: Any,
    consultation: Consultation | None = None,
    decision_document: Any = None,
) -> Decision:
    """Link the decision's consultation and its published decision document; the document's
    published 政策解读 is linked with it (决策公布, 解读)."""
    from gongkai.policies.selectors import public_interpretations

    directory = decision.directory
    _require_role(acting_user, directory.organisation, EDIT_ROLES)
    if decision_document is not None and decision_document.status != ContentStatus.PUBLISHED:
        raise ValidationError({"index_number": [_("只能关联已发布的决策文件")]})
    with transaction.atomic():
        obj = Decision.objects.select_for_update().get(pk=decision.pk)
        if consultation is not None:
            obj.consultation = consultation
        if decision_document is not None:
            obj.decision_document = decision_document
            obj.interpretation = (
                public_interpretations().filter(policies=decision_document).order_by("id").first()
            )
        obj.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            detail={
                "consultation": obj.consultation_id,
                "decision_document": obj.decision_document_id,
                "interpretation": obj.interpretation_id,
            },
        )
    decision.refresh_from_db()
    return obj


def directory_problem(directory: DecisionDirectory) -> str:
    """Why the directory cannot be submitted or published ("" if it can)."""
    if not directory.decisions.filter(removed=False).exists():
        return _("目录中还没有决策事项")
    return ""


def directory_publish(
    *,
    directory: DecisionDirectory,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
) -> DecisionDirectory:
    """Publish the directory after the chain's final approval (content kind
    ``decision_directory``); ``without_review`` is the audited reason of a publication outside
    the chain (demo history, migrations)."""
    from gongkai.review.chain_services import publish_approved

    _require_role(acting_user, directory.organisation, PUBLISH_ROLES)

    def first_history(obj: DecisionDirectory, day: datetime.date, _reason: str) -> None:
        if obj.published_date is None:
            # The first publication starts the history the adjustments continue.
            DecisionVersion.objects.bulk_create(
                [
                    DecisionVersion(
                        decision=d,
                        valid_from=day,
                        **{name: getattr(d, name) for name in DECISION_FIELDS},
                    )
                    for d in obj.decisions.filter(removed=False)
                ]
            )

    return publish_approved(
        directory,
        acting_user=acting_user,
        on=on,
        without_review=without_review,
        already=_("该目录已经公布"),
        keep_date=True,
        problem=directory_problem,
        prepare=first_history,
        lock=lambda d: (
            DecisionDirectory.objects.select_for_update()
            .select_related("organisation")
            .get(pk=d.pk)
        ),
    )


def directory_withdraw(*, directory: DecisionDirectory, reason: str, acting_user: Any) -> None:
    withdraw_published(directory, reason=reason, acting_user=acting_user)


def _stage_dates_problem(stage: DecisionStage, state: str) -> str:
    if state != rules.STAGE_DONE:
        return ""
    if stage.finished_on is None:
        return _("请填写完成日期")
    if stage.started_on is not None and stage.finished_on < stage.started_on:
        return _("完成日期不能早于开始日期")
    if stage.stage == rules.STAGES[3]:
        from gongkai.workdays.calendar import CalendarMissing
        from gongkai.workdays.selectors import load_calendar

        if stage.started_on is None:
            return _("请填写合法性审查的开始日期")
        try:
            days = load_calendar().workdays_between(stage.started_on, stage.finished_on)
        except CalendarMissing as error:
            return str(error)
        return rules.legality_review_problem(days)
    return ""


def stage_update(
    *,
    stage: DecisionStage,
    state: str,
    acting_user: Any,
    started_on: datetime.date | None = None,
    finished_on: datetime.date | None = None,
    materials: str = "",
    note: str = "",
) -> DecisionStage:
    """Record a stage; a stage is completed only in order (earlier ones done or 不适用), a
    不适用 stage says why, and the legality review takes ≥ 7 working days (条例第二十六条)."""
    decision = stage.decision
    _require_role(acting_user, decision.directory.organisation, EDIT_ROLES)
    if state not in DecisionStage.State.values:
        raise ValidationError({"state": [_("请选择环节状态")]})
    with transaction.atomic():
        obj = DecisionStage.objects.select_for_update().get(pk=stage.pk)
        states = dict(decision.stages.values_list("stage", "state"))
        if state != rules.STAGE_PENDING:
            problem = rules.stage_order_problem(obj.stage, states)
            if problem:
                raise ValidationError(problem)
        if state == rules.STAGE_SKIPPED and not (note or "").strip():
            raise ValidationError({"note": [_("环节不适用时请说明理由")]})
        obj.started_on, obj.finished_on = started_on, finished_on
        problem = _stage_dates_problem(obj, state)
        if problem:
            raise ValidationError({"finished_on": [problem]})
        obj.state = state
        obj.materials = (materials or "").strip()
        obj.note = (note or "").strip()
        obj.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=decision,
            detail={"stage": obj.stage, "state": state},
        )
    stage.refresh_from_db()
    return obj


# ---------------------------------------------------------------- 目录调整 (reviewed)
DECISION_FIELDS = ("title", "owner", "legal_basis", "planned_time")
Action = DirectoryAdjustment.Action


def _adjustment_errors(
    directory: DecisionDirectory,
    action: str,
    decision: Decision | None,
    values: dict[str, Any],
    reason: str,
) -> dict[str, list[str]]:
    """Everything wrong with a draft adjustment, by field (empty: it can be applied now)."""
    errors: dict[str, list[str]] = {}
    if directory.published_date is None:
        errors["directory"] = [_("目录尚未公布：公布前请直接编辑目录中的事项")]
    if action not in Action.values:
        errors["action"] = [_("请选择调整类型（新增、调整或调出事项）")]
    if action == Action.ADD and decision is not None:
        errors["decision"] = [_("新增事项不选择已有事项")]
    if action in (Action.CHANGE, Action.REMOVE):
        if decision is None or decision.directory_id != directory.pk:
            errors["decision"] = [_("请选择本目录中要调整或调出的事项")]
        elif decision.removed:
            errors["decision"] = [_("该事项已调出目录")]
    if not (reason or "").strip():
        errors["reason"] = [_("请填写调整理由")]
    if action in (Action.ADD, Action.CHANGE):
        for name, message in (
            ("title", _("请填写决策事项名称")),
            ("owner", _("请选择承办单位")),
            ("legal_basis", _("请填写决策依据")),
            ("planned_time", _("请填写计划完成时间")),
        ):
            if not values.get(name):
                errors.setdefault(name, []).append(message)
    if (
        action == Action.CHANGE
        and decision is not None
        and not errors
        and all(values[name] == getattr(decision, name) for name in DECISION_FIELDS)
    ):
        errors["title"] = [_("调整后的内容与现行内容相同")]
    return errors


def _adjustment_values(action: str, decision: Decision | None, **given: Any) -> dict[str, Any]:
    """调出 carries the decision's current content, so the history names what left."""
    if action == Action.REMOVE and decision is not None:
        return {name: getattr(decision, name) for name in DECISION_FIELDS}
    return {
        "title": (given.get("title") or "").strip(),
        "owner": given.get("owner"),
        "legal_basis": (given.get("legal_basis") or "").strip(),
        "planned_time": (given.get("planned_time") or "").strip(),
    }


def directory_adjustment_create(
    *,
    directory: DecisionDirectory,
    action: str,
    reason: str,
    acting_user: Any,
    decision: Decision | None = None,
    title: str = "",
    owner: Organisation | None = None,
    legal_basis: str = "",
    planned_time: str = "",
) -> DirectoryAdjustment:
    """Draft one adjustment of a published directory (新增, 调整 or 调出 a decision, with its
    reason). It changes nothing public until the chain approves and publishes it."""
    from gongkai.review.chain_services import content_saved

    _require_role(acting_user, directory.organisation, EDIT_ROLES)
    values = _adjustment_values(
        action,
        decision,
        title=title,
        owner=owner,
        legal_basis=legal_basis,
        planned_time=planned_time,
    )
    errors = _adjustment_errors(directory, action, decision, values, reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        adjustment = DirectoryAdjustment.objects.create(
            directory=directory,
            decision=decision,
            action=action,
            reason=reason.strip(),
            created_by=acting_user,
            **values,
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=adjustment,
            organisation=directory.organisation,
            detail={"action": action, "decision": decision and decision.number},
        )
        content_saved(content=adjustment, created=True, acting_user=acting_user)
    return adjustment


def directory_adjustment_update(
    *,
    adjustment: DirectoryAdjustment,
    reason: str,
    acting_user: Any,
    title: str = "",
    owner: Organisation | None = None,
    legal_basis: str = "",
    planned_time: str = "",
) -> DirectoryAdjustment:
    """Edit a draft or returned adjustment; its type and decision stay."""
    from gongkai.review.chain_services import content_saved

    directory = adjustment.directory
    _require_role(acting_user, directory.organisation, EDIT_ROLES)
    with transaction.atomic():
        obj = DirectoryAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        if obj.status not in EDITABLE:
            raise ValidationError(_("只有草稿或被退回的调整可以修改"))
        values = _adjustment_values(
            obj.action, obj.decision, title=title, owner=owner, legal_basis=legal_basis,
            planned_time=planned_time,
        )  # fmt: skip
        errors = _adjustment_errors(directory, obj.action, obj.decision, values, reason)
        if errors:
            raise ValidationError(errors)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.reason = reason.strip()
        obj.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=obj,
            organisation=directory.organisation,
        )
        content_saved(content=obj, acting_user=acting_user)
    adjustment.refresh_from_db()
    return obj


def directory_adjustment_problem(adjustment: DirectoryAdjustment) -> str:
    """Why the adjustment cannot be submitted or applied now ("" if it can): e.g. another
    adjustment took the decision out of the directory meanwhile."""
    values = {name: getattr(adjustment, name) for name in DECISION_FIELDS}
    errors = _adjustment_errors(
        adjustment.directory, adjustment.action, adjustment.decision, values, adjustment.reason
    )
    return "；".join(message for messages in errors.values() for message in messages)


def _adjustment_apply(obj: DirectoryAdjustment, day: datetime.date) -> None:
    """Write a published adjustment into the (locked) directory: the decision and its
    versions — the current one closes on ``day``, 新增 and 调整 open the next."""
    values = {name: getattr(obj, name) for name in DECISION_FIELDS}
    if obj.action == Action.ADD:
        obj.decision = _decision_new(obj.directory, **values)
    else:
        assert obj.decision is not None  # checked by _adjustment_errors
        decision = Decision.objects.select_for_update().get(pk=obj.decision.pk)
        DecisionVersion.objects.filter(decision=decision, valid_to__isnull=True).update(
            valid_to=day
        )
        if obj.action == Action.REMOVE:
            decision.removed = True
        else:
            for name, value in values.items():
                setattr(decision, name, value)
        decision.save()
    if obj.action != Action.REMOVE:
        DecisionVersion.objects.create(
            decision=obj.decision, adjustment=obj, valid_from=day, **values
        )


def directory_adjustment_publish(
    *,
    adjustment: DirectoryAdjustment,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
) -> DirectoryAdjustment:
    """Publish an adjustment after the chain's final approval and apply it to the directory
    from the day of publication. ``without_review`` is the audited exception (demo history)."""
    from gongkai.review.chain_services import publish_approved

    organisation = adjustment.directory.organisation
    _require_role(acting_user, organisation, PUBLISH_ROLES)

    def apply(obj: DirectoryAdjustment, day: datetime.date, _reason: str) -> list[str]:
        obj.directory = DecisionDirectory.objects.select_for_update().get(pk=obj.directory_id)
        problem = directory_adjustment_problem(obj)
        if problem:
            raise ValidationError(problem)
        _adjustment_apply(obj, day)
        obj.applied_at = timezone.now()
        return ["decision", "applied_at"]

    return publish_approved(
        adjustment,
        acting_user=acting_user,
        on=on,
        without_review=without_review,
        already=_("该调整已经发布"),
        prepare=apply,
        detail=lambda obj: {
            "action": obj.action,
            "decision": obj.decision.number if obj.decision else None,
        },
        # PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to decision.
        lock=lambda a: (
            DirectoryAdjustment.objects.select_for_update(of=("self",))
            .select_related("directory__organisation", "decision")
            .get(pk=a.pk)
        ),
        organisation=organisation,
    )


# ---------------------------------------------------------------- 政策评价
EVALUATION_FINDINGS = ("standard", "scope", "usage", "results", "problems")


def evaluation_create(
    *,
    organisation: Organisation,
    policy: Any,
    title: str,
    plan: str,
    methods: Sequence[str],
    acting_user: Any,
    **findings: str,
) -> PolicyEvaluation:
    """A 政策评价 of a published policy: plan, methods and the findings on 执行标准、适用范围、
    使用情况、取得成效、存在问题; published through review like any content."""
    from .models import EvaluationMethod

    _require_role(acting_user, organisation, EDIT_ROLES)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写标题")]
    if not (plan or "").strip():
        errors["plan"] = [_("请填写评价方案")]
    if not methods or any(m not in EvaluationMethod.values for m in methods):
        errors["methods"] = [_("请选择评价方式")]
    if getattr(policy, "status", None) != ContentStatus.PUBLISHED or not policy.policy_kind:
        errors["policy"] = [_("只能评价已发布的政策文件")]
    if set(findings) - set(EVALUATION_FINDINGS):
        raise TypeError(f"unknown findings: {sorted(set(findings) - set(EVALUATION_FINDINGS))}")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        obj = PolicyEvaluation.objects.create(
            organisation=organisation,
            policy=policy,
            title=title.strip(),
            plan=plan.strip(),
            methods=list(dict.fromkeys(methods)),
            created_by=acting_user,
            **{k: (v or "").strip() for k, v in findings.items()},
        )
        audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=obj)
    return obj


def evaluation_problem(evaluation: PolicyEvaluation) -> str:
    """Why the report cannot be published ("" if it can): every finding written."""
    if not all((getattr(evaluation, name) or "").strip() for name in EVALUATION_FINDINGS):
        return _("评价报告须写明执行标准、适用范围、使用情况、取得成效和存在问题")
    return ""


def evaluation_publish(
    *,
    evaluation: PolicyEvaluation,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
) -> PolicyEvaluation:
    from gongkai.review.chain_services import publish_approved

    _require_role(acting_user, evaluation.organisation, PUBLISH_ROLES)

    return publish_approved(
        evaluation,
        acting_user=acting_user,
        on=on,
        without_review=without_review,
        already=_("该评价报告已经发布"),
        problem=evaluation_problem,
    )


def evaluation_withdraw(*, evaluation: PolicyEvaluation, reason: str, acting_user: Any) -> None:
    withdraw_published(evaluation, reason=reason, acting_user=acting_user)


# ---------------------------------------------------------------- 政府开放日, 公众代表列席
def open_day_create(
    *,
    organisation: Organisation,
    title: str,
    description: str,
    held_on: datetime.date,
    place: str,
    capacity: int,
    registration_closes_on: datetime.date,
    acting_user: Any,
    evaluation: PolicyEvaluation | None = None,
) -> OpenDayEvent:
    _require_role(acting_user, organisation, EDIT_ROLES)
    errors: dict[str, list[str]] = {}
    if registration_closes_on > held_on:
        errors["registration_closes_on"] = [_("报名截止日期不能晚于活动日期")]
    if capacity < 1:
        errors["capacity"] = [_("名额至少为1人")]
    if not (title or "").strip():
        errors["title"] = [_("请填写活动名称")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = OpenDayEvent.objects.create(
            organisation=organisation,
            evaluation=evaluation,
            title=title.strip(),
            description=(description or "").strip(),
            held_on=held_on,
            place=(place or "").strip(),
            capacity=capacity,
            registration_closes_on=registration_closes_on,
            created_by=acting_user,
        )
        audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=event)
    return event


def open_day_register(
    *,
    event: OpenDayEvent,
    user: User,
    name: str,
    phone: str,
    now: datetime.datetime | None = None,
) -> OpenDayRegistration:
    """Register a public account: before the registration deadline (China time), once per
    person, within the capacity (the event row is locked so the last seat is given once)."""
    if not getattr(user, "is_authenticated", False) or not user.is_public_account:
        raise PermissionDenied(_("请以公众账号登录后报名"))
    if not (name or "").strip() or not (phone or "").strip():
        raise ValidationError(_("请填写姓名和联系电话"))
    today = rules.china_date(_now(now))
    with transaction.atomic():
        locked = OpenDayEvent.objects.select_for_update().get(pk=event.pk)
        if today > locked.registration_closes_on:
            raise ValidationError(_("报名已于%(d)s截止") % {"d": locked.registration_closes_on})
        if locked.registrations.filter(user=user).exists():
            raise ValidationError(_("您已报名本次活动"))
        if locked.registrations.count() >= locked.capacity:
            raise ValidationError(_("名额已满"))
        registration = OpenDayRegistration.objects.create(
            event=locked, user=user, name=name.strip()[:100], phone=phone.strip()[:20]
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=user,
            target=registration,
            organisation=locked.organisation,
        )
    return registration


def attendance_record(
    *,
    organisation: Organisation,
    meeting: str,
    held_on: datetime.date,
    representatives: str,
    summary: str,
    acting_user: Any,
    decision: Decision | None = None,
) -> AttendanceRecord:
    """公众代表列席: who attended which meeting, and what they said."""
    _require_role(acting_user, organisation, EDIT_ROLES)
    errors = {
        name: [message]
        for name, value, message in (
            ("meeting", meeting, _("请填写会议名称")),
            ("representatives", representatives, _("请填写列席代表")),
            ("summary", summary, _("请填写列席情况")),
        )
        if not (value or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = AttendanceRecord.objects.create(
            organisation=organisation,
            meeting=meeting.strip(),
            held_on=held_on,
            representatives=representatives.strip(),
            summary=summary.strip(),
            decision=decision,
            created_by=acting_user,
        )
        audit_record(action=AuditEntry.Action.CREATE, acting_user=acting_user, target=record)
    return record
