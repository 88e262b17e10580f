"""Writes of the review chain (先审后发): submit, approve, return, override, publish, withdraw.

Every write is atomic and appends its audit row in the same transaction. The content apps keep
their own publish/withdraw services (``catalogue.services.item_publish``,
``policies.services.interpretation_publish`` …) for their own refusals, and each goes through
the one step here (``publish_approved``, ``withdraw_published``); this module is the only
caller that puts the review chain in front of them. Content kinds plug in through a small
adapter each, which the owning app registers in the content registry (``core.content``) from
its ``AppConfig.ready()``: this module imports no content app.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role, RoleAssignment
from gongkai.accounts.selectors import user_has_role
from gongkai.checks.item_checks import ItemFinding
from gongkai.checks.text import mask, privacy_findings
from gongkai.core import content as content_registry
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.signals import (
    announce,
    content_changed,
    content_published,
    content_withdrawn,
)
from gongkai.core.status import ContentStatus

from . import workflow
from .chain_models import (
    ContentKind,
    ContentVersion,
    ReviewChain,
    ReviewDecision,
    ReviewRequest,
)

DEFAULT_LEVELS = 3

# --------------------------------------------------------------------------------------------
# Adapters: what the chain needs to know about each kind of content
# --------------------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


class ContentAdapter:
    """What the chain needs to know about one kind of content.

    The defaults fit content that has an ``organisation`` and a ``status`` and is published on
    the portal (information items, interpretations, Q&A). Content that differs overrides:
    ``organisation`` (where its organisation is), ``submit_role`` (who drafts and submits it),
    ``lock``/``load`` (how to read it), ``publishes`` (``False``: final approval ends the chain
    in 已通过 and nothing goes on the portal — no scheduled publishing, no withdrawal),
    ``submit_problem`` (why this piece cannot be submitted now) and the ``submitted``/``decided``
    hooks (side records, such as a case's events).
    """

    kind: str = ""
    model_label: str = ""  # app_label.ModelName
    # Who drafts and submits this kind (an 编辑 for published content).
    submit_role: str = Role.EDITOR
    # False: the final approval is the end of the chain (已通过), nothing is published.
    publishes: bool = True
    # Fields shown in the diff, in order, with their Chinese labels (from the model).
    diff_fields: tuple[str, ...] = ()
    # Not part of a version: workflow state and derived columns.
    not_versioned: frozenset[str] = frozenset(
        {
            "id",
            "status",
            "published_date",
            "created_at",
            "updated_at",
            "body_text",
            "created_by",
            "revision_of",
            "revision_closed_at",
        }
    )
    m2m_fields: tuple[str, ...] = ()
    # True: every save a content service reports (``content_saved``) is a version.
    versions_on_save: bool = False

    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)

    def organisation(self, obj: Any) -> Organisation:
        """The organisation whose chain, reviewers and staff the content belongs to."""
        return obj.organisation

    def load(self, pk: int) -> Any:
        return self.model()._default_manager.select_related("organisation").get(pk=pk)

    def lock(self, obj: Any) -> Any:
        """Re-read ``obj`` under a row lock (inside the caller's transaction)."""
        return type(obj).objects.select_for_update().select_related("organisation").get(pk=obj.pk)

    def history_ids(self, obj: Any) -> list[int]:
        """The objects whose versions make up ``obj``'s history (itself, by default)."""
        return [obj.pk]

    def submit_problem(self, obj: Any) -> str:
        """Why ``obj`` cannot be submitted now, beyond the state machine ("" if it can)."""
        return ""

    def submitted(self, obj: Any, request: ReviewRequest, acting_user: Any) -> None:
        """After a submission has been recorded (same transaction)."""

    def decided(
        self, obj: Any, request: ReviewRequest, decision: ReviewDecision, acting_user: Any
    ) -> None:
        """After a reviewer's decision has been recorded and the request moved (same
        transaction); ``request.state`` / ``request.level`` are the new position."""

    def title(self, obj: Any) -> str:
        return str(obj)[:300]

    def author_id(self, obj: Any) -> int | None:
        return getattr(obj, "created_by_id", None)

    def scheduled_at(self, obj: Any) -> datetime.datetime | None:
        return getattr(obj, "scheduled_at", None)

    def status(self, obj: Any) -> str:
        return str(obj.status)

    def copy_status(self, source: Any, target: Any) -> None:
        """Give the caller's instance the state written through ``source``."""
        target.status = source.status

    def set_status(self, obj: Any, state: str) -> None:
        # A queryset update: a status change is not an edit and must not create a version.
        type(obj).objects.filter(pk=obj.pk).update(status=state, updated_at=timezone.now())
        obj.status = state
        # update() sends no signals: tell the search change log, or a document leaving
        # 已发布 would stay public in search.
        from gongkai.search.signals import record_instances

        record_instances(obj)

    def field_label(self, name: str) -> str:
        return str(getattr(self.model()._meta.get_field(name), "verbose_name", name))

    def diff_field_labels(self) -> list[tuple[str, str]]:
        return [(name, self.field_label(name)) for name in self.diff_fields]

    def snapshot(self, obj: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            if f.name in self.not_versioned:
                continue
            if f.is_relation:
                related = getattr(obj, f.name)
                data[f.name] = str(related) if related is not None else ""
            elif isinstance(f, models.FileField):
                data[f.name] = str(getattr(obj, f.name) or "")
            else:
                data[f.name] = _iso(getattr(obj, f.name))
        for name in self.m2m_fields:
            data[name] = sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else []
        return data

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        """(source, label, plain text) checked by the 错敏词/privacy checker."""
        return []

    def findings(self, obj: Any) -> list[ItemFinding]:
        from gongkai.checks.selectors import current_checker

        checker = current_checker()
        today = timezone.localdate()
        out: list[ItemFinding] = []
        for source, label, text in self.texts(obj):
            for finding in checker.check(text, today=today):
                out.append(ItemFinding.from_text(finding, source, label))
        out.sort(key=lambda f: (not f.blocking, f.source, f.start or 0))
        return out

    def maskable(self, obj: Any) -> dict[str, str]:
        """Field → current value, for the fields one-click masking rewrites."""
        return {}

    def save_masked(self, obj: Any, changes: dict[str, str], acting_user: Any) -> None:
        raise NotImplementedError

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        raise NotImplementedError

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        raise ValidationError(_("该类内容暂不支持撤回"))

    def staff_url(self, obj: Any) -> str:
        return reverse("staff:workflow_content", args=[self.kind, obj.pk])

    def public_url(self, obj: Any) -> str:
        return ""


class RevisableAdapter(ContentAdapter):
    versions_on_save = True
    """Published content corrected through a 修订稿 (ADR 0005): a draft copy of the live object
    (``revision_of`` → live) that goes through this same chain as ordinary content. Its
    versions join the live object's history; its final approval applies it onto the live
    object (``apply_revision``) instead of publishing it — a revision is never public."""

    def _live_id(self, obj: Any) -> int:
        return obj.revision_of_id or obj.pk

    def history_ids(self, obj: Any) -> list[int]:
        live = self._live_id(obj)
        revisions = self.model()._default_manager.filter(revision_of_id=live)
        if obj.revision_of_id:  # a revision: the live object and the revisions up to this one
            revisions = revisions.filter(pk__lte=obj.pk)
        return [live, *revisions.values_list("pk", flat=True)]

    def title(self, obj: Any) -> str:
        if obj.revision_of_id:
            return (_("修订稿：%(title)s") % {"title": str(obj)})[:300]
        return super().title(obj)

    def submit_problem(self, obj: Any) -> str:
        if obj.revision_of_id and obj.revision_closed_at is not None:
            return str(_("该修订稿已关闭，不能再提交审核"))
        return ""

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        if obj.revision_of_id:
            self.apply_revision(obj, acting_user)
        else:
            self.publish_live(obj, acting_user, on)

    def publish_live(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        raise NotImplementedError

    def apply_revision(self, obj: Any, acting_user: Any) -> None:
        raise NotImplementedError

    def staff_url(self, obj: Any) -> str:
        return reverse("staff:workflow_content", args=[self.kind, obj.pk])

    def public_url(self, obj: Any) -> str:
        if obj.revision_of_id:
            return self.live_public_url(obj.revision_of_id)
        return self.live_public_url(obj.pk)

    def live_public_url(self, pk: int) -> str:
        return ""


def content_type_for(model: type[models.Model]) -> ContentType:
    """``ContentType.objects.get_for_model`` that survives two threads creating the row at
    once (only possible right after a flush, as in tests; the loser reads the winner's row)."""
    try:
        with transaction.atomic():
            return ContentType.objects.get_for_model(model)
    except IntegrityError:
        ContentType.objects.clear_cache()
        return ContentType.objects.get_for_model(model)


def register_adapter(adapter: ContentAdapter) -> None:
    """Register a reviewed kind that has no other facet (search, URLs) in the content registry.
    Content apps normally describe the whole kind with ``core.content.register``."""
    from django.apps import apps

    model = apps.get_model(adapter.model_label)
    content_registry.register(
        content_registry.ContentKind(
            kind=str(adapter.kind),
            model_label=adapter.model_label,
            label=model._meta.verbose_name,
            review_adapter=adapter,
        )
    )


def adapter_for_kind(kind: str) -> ContentAdapter:
    entry = content_registry.get(kind)
    if entry is None or entry.review_adapter is None:
        raise ValidationError(_("不支持审核的内容类型：%(kind)s") % {"kind": kind})
    adapter: ContentAdapter = entry.review_adapter
    return adapter


def adapter_for(obj: Any) -> ContentAdapter:
    label = obj._meta.label
    entry = content_registry.for_model_label(label)
    if entry is None or entry.review_adapter is None:
        raise ValidationError(_("不支持审核的内容类型：%(kind)s") % {"kind": label})
    adapter: ContentAdapter = entry.review_adapter
    return adapter


def load_content(kind: str, pk: int) -> Any:
    return adapter_for_kind(kind).load(pk)


# --------------------------------------------------------------------------------------------
# Reads used by the services (and the staff pages)
# --------------------------------------------------------------------------------------------


def _ancestor_ids(organisation: Organisation) -> list[int]:
    """The organisation and its ancestors, nearest first (the tree is shallow)."""
    parents = dict(Organisation.objects.values_list("id", "parent_id"))
    out: list[int] = []
    current: int | None = organisation.pk
    while current is not None and current not in out:
        out.append(current)
        current = parents.get(current)
    return out


def chain_levels(organisation: Organisation, kind: str) -> int:
    """The organisation's own chain, else the nearest ancestor's, else the platform default,
    else three levels (三审)."""
    ancestors = _ancestor_ids(organisation)
    chains = {
        c.organisation_id: c.levels
        for c in ReviewChain.objects.filter(content_kind=kind).filter(
            models.Q(organisation_id__in=ancestors) | models.Q(organisation__isnull=True)
        )
    }
    for org_id in ancestors:
        if org_id in chains:
            return chains[org_id]
    return chains.get(None, DEFAULT_LEVELS)


def reviewer_levels(user: Any, organisation: Organisation) -> frozenset[int]:
    """The levels ``user`` reviews at in ``organisation``: 审核人 assignments with a level, in
    the organisation itself or above it with 含下级机构. Superusers and administrators get no
    level implicitly — a review is a personal act recorded by name."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    ancestors = _ancestor_ids(organisation)
    rows = RoleAssignment.objects.filter(
        user=user, role=Role.REVIEWER, review_level__gt=0, organisation_id__in=ancestors
    ).values_list("organisation_id", "include_descendants", "review_level")
    return frozenset(
        level for org_id, include, level in rows if org_id == organisation.pk or include
    )


def reviewers_at(organisation: Organisation, level: int) -> list[Any]:
    """The active users who review at ``level`` in ``organisation`` (the inverse of
    ``reviewer_levels``)."""
    ancestors = _ancestor_ids(organisation)
    rows = RoleAssignment.objects.filter(
        role=Role.REVIEWER, review_level=level, organisation_id__in=ancestors, user__is_active=True
    ).select_related("user")
    users = {
        r.user_id: r.user
        for r in rows
        if r.organisation_id == organisation.pk or r.include_descendants
    }
    return [users[pk] for pk in sorted(users)]


def deciders_at(organisation: Organisation, level: int, excluded_ids: set[int]) -> list[Any]:
    """Reviewers at ``level`` who may decide: nobody reviews what they drafted or submitted,
    so the author and the submitter (``excluded_ids``) do not count."""
    return [u for u in reviewers_at(organisation, level) if u.pk not in excluded_ids]


def missing_levels(organisation: Organisation, levels: int, excluded_ids: set[int]) -> list[int]:
    """The levels of a ``levels``-level chain in ``organisation`` nobody may decide at."""
    return [
        level
        for level in range(1, levels + 1)
        if not deciders_at(organisation, level, excluded_ids)
    ]


def no_reviewer_message(organisation: Organisation, level: int, levels: int) -> str:
    return _(
        "“%(org)s”的第%(level)d级（%(label)s）没有审核人，提交后无法审核完成，"
        "请联系政务公开管理员配置审核人"
    ) % {
        "org": organisation.name,
        "level": level,
        "label": workflow.level_label(level, levels),
    }


@dataclass(frozen=True)
class ChainGap:
    """A level of an organisation's chain with no reviewer at all."""

    organisation: Organisation
    content_kind: str
    level: int
    levels: int

    @property
    def message(self) -> str:
        return _("“%(org)s”的%(kind)s审核第%(level)d级（%(label)s）没有审核人") % {
            "org": self.organisation.name,
            "kind": _kind_label(self.content_kind),
            "level": self.level,
            "label": workflow.level_label(self.level, self.levels),
        }


def _kind_label(kind: str) -> str:
    if kind in ContentKind.values:
        return str(ContentKind(kind).label)
    registered = content_registry.get(kind)
    return str(getattr(registered, "label", kind)) if registered is not None else kind


def reviewed_kinds() -> list[str]:
    """The content kinds that go through the chain in this deployment (registered adapters)."""
    return [
        kind
        for kind in ContentKind.values
        if (entry := content_registry.get(kind)) is not None and entry.review_adapter is not None
    ]


def chain_gaps(organisations: list[Organisation], kinds: list[str] | None = None) -> list[ChainGap]:
    """Levels without any reviewer in each of ``organisations`` for each content kind (the
    chain each one uses, its own or inherited): content submitted there would stop at that
    level for good."""
    if kinds is None:
        kinds = reviewed_kinds()
    out = []
    for organisation in organisations:
        staffed: dict[int, bool] = {}  # who reviews a level does not depend on the kind
        for kind in kinds:
            levels = chain_levels(organisation, kind)
            for level in range(1, levels + 1):
                if level not in staffed:
                    staffed[level] = bool(reviewers_at(organisation, level))
                if not staffed[level]:
                    out.append(ChainGap(organisation, kind, level, levels))
    return out


def organisations_under(organisation: Organisation | None) -> list[Organisation]:
    """``organisation`` and everything below it (all organisations for ``None``)."""
    rows = list(Organisation.objects.order_by("sort_order", "code"))
    if organisation is None:
        return rows
    children: dict[int | None, list[Organisation]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    out: list[Organisation] = []
    seen: set[int] = set()
    queue = [organisation]
    while queue:
        current = queue.pop(0)
        if current.pk in seen:
            continue
        seen.add(current.pk)
        out.append(current)
        queue.extend(children.get(current.pk, []))
    return out


logger = logging.getLogger(__name__)


def _mail_after_commit(users: list[Any], subject: str, body: str) -> None:
    """E-mail after the decision has committed; a mail-server failure is logged, never undoes
    the recorded review step."""
    to = sorted({u.email for u in users if getattr(u, "email", "")})
    if not to:
        return

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:
            logger.exception("review mail to %s failed", to)

    transaction.on_commit(send)


def _notify_reviewers(request: ReviewRequest, adapter: ContentAdapter, obj: Any) -> None:
    """Tell the reviewers of the level the request has reached that it waits for them."""
    authors = _author_ids(adapter, obj, request)
    users = [u for u in reviewers_at(request.organisation, request.level) if u.pk not in authors]
    label = workflow.level_label(request.level, request.levels)
    _mail_after_commit(
        users,
        _("【待审核】%(title)s") % {"title": request.title},
        _(
            "《%(title)s》等待您的第%(level)s级（%(label)s）审核。"
            "请登录工作台“审核”页面处理：%(path)s"
        )
        % {
            "title": request.title,
            "level": request.level,
            "label": label,
            "path": reverse(
                "staff:workflow_content", args=[request.content_kind, request.object_id]
            ),
        },
    )


def _notify_submitter(request: ReviewRequest, decision: ReviewDecision) -> None:
    """Tell the submitter that the content was returned (with the comment) or passed review."""
    submitter = request.submitted_by
    if submitter is None:
        return
    label = workflow.level_label(decision.level, request.levels)
    if request.state == ContentStatus.RETURNED:
        subject = _("【已退回】%(title)s") % {"title": request.title}
        body = _("《%(title)s》被第%(level)s级（%(label)s）审核人%(name)s退回：%(comment)s") % {
            "title": request.title,
            "level": decision.level,
            "label": label,
            "name": decision.reviewer_name,
            "comment": decision.comment,
        }
    elif request.state in (ContentStatus.APPROVED, ContentStatus.PUBLISHED):
        done = _("已发布") if request.state == ContentStatus.PUBLISHED else _("已通过审核")
        subject = _("【%(done)s】%(title)s") % {"done": done, "title": request.title}
        body = _("《%(title)s》%(done)s（第%(level)s级·%(label)s：%(name)s）。") % {
            "title": request.title,
            "done": done,
            "level": decision.level,
            "label": label,
            "name": decision.reviewer_name,
        }
    else:
        return
    _mail_after_commit([submitter], subject, body)


def review_request_for(obj: Any) -> ReviewRequest | None:
    ct = content_type_for(type(obj))
    return ReviewRequest.objects.filter(content_type=ct, object_id=obj.pk).first()


def _what(snapshot: dict[str, Any]) -> dict[str, Any]:
    # The 定时发布时间 says when, not what: moving it after approval changes no approved text.
    return {k: v for k, v in snapshot.items() if k != "scheduled_at"}


def review_approval_problem(obj: Any) -> str:
    """Why ``obj`` may not go public now ("" if it may): 先审后发 — its review request must be
    approved at the final level (已通过, or 已发布 at the moment the final approval publishes
    it), and the content must still be the version that was approved. The publish services
    (``item_publish``, ``interpretation_publish``, ``qa_publish``) and the revision apply
    services ask this themselves, so no caller can publish around the chain."""
    request = review_request_for(obj)
    title = adapter_for(obj).title(obj)
    approved = (ContentStatus.APPROVED, ContentStatus.PUBLISHED)
    if request is None or request.state not in approved or request.level < request.levels:
        return _("“%(title)s”未经审核流程终审通过，不能发布") % {"title": title}
    if request.version is not None and _what(adapter_for(obj).snapshot(obj)) != _what(
        request.version.snapshot
    ):
        return _("“%(title)s”在审核通过后被修改过，须重新提交审核") % {"title": title}
    return ""


def final_approval(obj: Any) -> ReviewDecision | None:
    """The decision that approved ``obj``'s current round at the final level."""
    request = review_request_for(obj)
    if request is None:
        return None
    return (
        request.decisions.filter(
            round=request.round,
            level=request.levels,
            decision__in=(workflow.APPROVE, workflow.OVERRIDE),
        )
        .order_by("-id")
        .first()
    )


def review_close_revision(*, revision: Any) -> None:
    """A discarded 修订稿 leaves every reviewer's queue (its live object was withdrawn)."""
    request = review_request_for(revision)
    if request is not None:
        ReviewRequest.objects.filter(pk=request.pk).update(
            state=ContentStatus.WITHDRAWN, level=0, updated_at=timezone.now()
        )


def versions_for(obj: Any) -> list[ContentVersion]:
    """The versions of ``obj``, oldest first. Content redrafted as a new object (a reply letter
    replaced by ``case_reply``) shows its predecessors' versions too, numbered in one run."""
    ct = content_type_for(type(obj))
    ids = adapter_for(obj).history_ids(obj)
    versions = list(
        ContentVersion.objects.filter(content_type=ct, object_id__in=ids)
        .select_related("created_by")
        # One history across objects (a live item and its 修订稿) reads in time order.
        .order_by("created_at", "id")
    )
    if len(ids) > 1:
        drafts = {pk: n for n, pk in enumerate(sorted(ids), start=1)}
        for number, version in enumerate(versions, start=1):
            version.number = number  # display only, never saved
            version.note = _("第%(n)d稿·%(note)s") % {
                "n": drafts[version.object_id],
                "note": version.note,
            }
    return versions


def version_diff(obj: Any, old: ContentVersion, new: ContentVersion) -> list[workflow.FieldDiff]:
    adapter = adapter_for(obj)
    return workflow.diff_snapshots(old.snapshot, new.snapshot, adapter.diff_field_labels())


def _author_ids(adapter: ContentAdapter, obj: Any, request: ReviewRequest | None) -> set[int]:
    """Who wrote the content under review: its creator, the submitter, and everyone who edited
    it (their CREATE/EDIT audit rows) — an 编辑 who is also a 审核人 must not change a
    colleague's draft and then approve it as if someone else had written it (issue 19)."""
    ids = {adapter.author_id(obj)}
    if request is not None:
        ids.add(request.submitted_by_id)
    if obj.pk is not None:
        ids.update(
            AuditEntry.objects.filter(
                target_type=obj._meta.label_lower,
                target_id=str(obj.pk),
                action__in=(AuditEntry.Action.CREATE, AuditEntry.Action.EDIT),
                actor_id__isnull=False,
            ).values_list("actor_id", flat=True)
        )
    return {i for i in ids if i is not None}


def actor_for(user: Any, obj: Any, request: ReviewRequest | None = None) -> workflow.Actor:
    adapter = adapter_for(obj)
    return workflow.Actor(
        is_author=getattr(user, "pk", None) in _author_ids(adapter, obj, request),
        review_levels=reviewer_levels(user, adapter.organisation(obj)),
    )


# --------------------------------------------------------------------------------------------
# Versions
# --------------------------------------------------------------------------------------------


def content_saved(
    *, content: Any, created: bool = False, note: str = "", acting_user: Any = None
) -> ContentVersion | None:
    """The one call a content service makes after writing a draft's (or, for the few
    immediate changes such as 有效性, live content's) fields, inside its transaction: a new
    version if the kind keeps versions (``versions_on_save``) and the snapshot changed, and
    ``content_changed`` announced once the transaction commits (ADR 0006). Workflow moves —
    status, 发布日期 — are not edits and do not call it. ``note`` defaults to 创建 / 保存."""
    adapter = adapter_for(content)
    version = None
    if adapter.versions_on_save:
        note = note or (_("创建") if created else _("保存"))
        version = version_record(content=content, acting_user=acting_user, note=note)
    announce(content_changed, content, kind=str(adapter.kind))
    return version


def version_record(*, content: Any, acting_user: Any = None, note: str = "") -> ContentVersion:
    """Append a version if the content differs from its latest one; return the latest."""
    adapter = adapter_for(content)
    ct = content_type_for(type(content))
    snapshot = adapter.snapshot(content)
    last = (
        ContentVersion.objects.filter(content_type=ct, object_id=content.pk)
        .order_by("-number")
        .first()
    )
    if last is not None and last.snapshot == snapshot:
        return last
    return ContentVersion.objects.create(
        content_type=ct,
        object_id=content.pk,
        number=(last.number + 1) if last else 1,
        snapshot=snapshot,
        note=note[:100],
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


# --------------------------------------------------------------------------------------------
# The chain
# --------------------------------------------------------------------------------------------


def _refuse(error: workflow.WorkflowError) -> ValidationError:
    return ValidationError(str(error))


def _locked(obj: Any) -> Any:
    return adapter_for(obj).lock(obj)


def _finding_summary(findings: list[ItemFinding]) -> list[str]:
    return [f.message for f in findings if f.blocking][:50]


@dataclass(frozen=True)
class Outcome:
    request: ReviewRequest
    published: bool = False


def review_submit(*, content: Any, acting_user: Any, override_reason: str = "") -> ReviewRequest:
    """The author sends a draft (or a returned / withdrawn one) to level 1 of the chain."""
    adapter = adapter_for(content)
    organisation = adapter.organisation(content)
    if not user_has_role(acting_user, organisation, adapter.submit_role):
        raise PermissionDenied(_("您没有在“%(org)s”提交审核的权限") % {"org": organisation.name})
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        obj = _locked(content)
        problem = adapter.submit_problem(obj)
        if problem:
            raise ValidationError(problem)
        organisation = adapter.organisation(obj)
        ct = content_type_for(type(obj))
        request, _created = ReviewRequest.objects.select_for_update().get_or_create(
            content_type=ct,
            object_id=obj.pk,
            defaults={
                "content_kind": adapter.kind,
                "organisation": organisation,
                "state": adapter.status(obj),
            },
        )
        levels = chain_levels(organisation, adapter.kind)
        findings = adapter.findings(obj)
        blocking = any(f.blocking for f in findings)
        position = workflow.Position(adapter.status(obj), 0)
        try:
            workflow.transition(
                position,
                workflow.SUBMIT,
                levels=levels,
                actor=actor_for(acting_user, obj, request),
                blocking=blocking,
                comment=override_reason,
            )
        except workflow.WorkflowError as error:
            raise _refuse(error) from error
        # A level nobody may decide at would hold the content (and a reply letter's statutory
        # deadline) in review for good: refuse now rather than strand it.
        excluded = _author_ids(adapter, obj, None) | {acting_user.pk}
        missing = missing_levels(organisation, levels, excluded)
        if missing:
            raise ValidationError(no_reviewer_message(organisation, missing[0], levels))
        version = version_record(content=obj, acting_user=acting_user, note=_("提交审核"))
        request.content_kind = adapter.kind
        request.organisation = organisation
        request.title = adapter.title(obj)
        request.levels = levels
        request.level = 1
        request.state = ContentStatus.IN_REVIEW
        request.round += 1
        request.override_request = override_reason if blocking else ""
        request.version = version
        request.submitted_by = acting_user
        request.submitted_at = timezone.now()
        request.save()
        adapter.set_status(obj, ContentStatus.IN_REVIEW)
        audit_record(
            action=AuditEntry.Action.SUBMIT,
            acting_user=acting_user,
            target=obj,
            target_label=adapter.title(obj),
            organisation=organisation,
            detail={
                "request": request.pk,
                "round": request.round,
                "levels": levels,
                "version": version.number,
                "blocking": _finding_summary(findings),
                "override_request": request.override_request,
            },
        )
        adapter.submitted(obj, request, acting_user)
        _notify_reviewers(request, adapter, obj)
    adapter.copy_status(obj, content)
    return request


def review_decide(
    *, request: ReviewRequest, decision: str, acting_user: Any, comment: str = ""
) -> Outcome:
    """A reviewer's approve / return / override at the request's current level."""
    if decision not in ReviewDecision.Decision.values:
        raise ValidationError(_("未知的审核意见：%(d)s") % {"d": decision})
    comment = (comment or "").strip()
    with transaction.atomic():
        request = ReviewRequest.objects.select_for_update().get(pk=request.pk)
        adapter = adapter_for_kind(request.content_kind)
        obj = _locked(request.content)
        findings = adapter.findings(obj) if decision != workflow.RETURN else []
        blocking = any(f.blocking for f in findings)
        scheduled_at = adapter.scheduled_at(obj)
        scheduled = scheduled_at is not None and scheduled_at > timezone.now()
        try:
            new = workflow.transition(
                request.position,
                decision,
                levels=request.levels,
                actor=actor_for(acting_user, obj, request),
                blocking=blocking,
                override_requested=bool(request.override_request),
                comment=comment,
                scheduled=scheduled,
            )
        except workflow.WorkflowError as error:
            raise _refuse(error) from error
        if new.state == ContentStatus.PUBLISHED and not adapter.publishes:
            # Nothing goes on the portal: the final approval is the end (已通过).
            new = workflow.Position(ContentStatus.APPROVED, new.level)
        changed = (
            decision != workflow.RETURN
            and request.version is not None
            and adapter.snapshot(obj) != request.version.snapshot
        )
        if changed:
            raise ValidationError(
                _("内容在提交审核后被修改过，审核的不是提交的版本；请退回，由起草人重新提交")
            )
        level = request.level
        record = ReviewDecision.objects.create(
            request=request,
            round=request.round,
            level=level,
            reviewer=acting_user,
            reviewer_name=acting_user.get_full_name(),
            decision=decision,
            comment=comment,
            findings=_finding_summary(findings),
        )
        action = {
            workflow.APPROVE: AuditEntry.Action.APPROVE,
            workflow.RETURN: AuditEntry.Action.RETURN,
            workflow.OVERRIDE: AuditEntry.Action.OVERRIDE,
        }[decision]
        audit_record(
            action=action,
            acting_user=acting_user,
            target=obj,
            target_label=adapter.title(obj),
            organisation=adapter.organisation(obj),
            detail={
                "request": request.pk,
                "round": request.round,
                "level": level,
                "levels": request.levels,
                "comment": comment,
                "blocking": _finding_summary(findings),
            },
        )
        request.level = new.level
        request.state = new.state
        request.save(update_fields=["level", "state", "updated_at"])
        published = False
        if new.state == ContentStatus.PUBLISHED:
            content_publish(adapter=adapter, obj=obj, on=None)
            published = True
        elif new.state in (ContentStatus.APPROVED, ContentStatus.RETURNED):
            adapter.set_status(obj, new.state)
        adapter.decided(obj, request, record, acting_user)
        if new.state == ContentStatus.IN_REVIEW:
            _notify_reviewers(request, adapter, obj)
        else:
            _notify_submitter(request, record)
    return Outcome(request=request, published=published)


def content_publish(*, adapter: ContentAdapter, obj: Any, on: datetime.date | None) -> None:
    """The one publish step of every kind, inside the caller's transaction with ``obj`` already
    row-locked (``_locked``, the same ``select_for_update`` for every kind): it requires the
    final approval of the review chain, records the approving reviewer as the actor (also for a
    scheduled publication, which nobody clicks), and announces ``content_published`` after
    commit to whoever listens (search, subscriptions, open data)."""
    # The content's own publish service refuses content whose request is not approved at the
    # final level (review_approval_problem); the approving decision names the actor.
    approval = final_approval(obj)
    adapter.publish(obj, approval.reviewer if approval is not None else None, on)
    announce(content_published, obj, kind=str(adapter.kind))


def approved_or_reason(obj: Any, without_review: str = "") -> str:
    """先审后发 for a content publish service: "" if the chain approved ``obj`` at the final
    level, else the explicit, audited reason it needs no review (``without_review``: content an
    agency published before Gongkai — the demo's history, imports); refused otherwise."""
    reason = (without_review or "").strip()
    if reason:
        return reason
    problem = review_approval_problem(obj)
    if problem:
        raise ValidationError(problem)
    return ""


def publish_approved(
    obj: Any,
    *,
    acting_user: Any,
    on: datetime.date | None = None,
    without_review: str = "",
    already: str = "",
    keep_date: bool = False,
    problem: Callable[[Any], str] | None = None,
    prepare: Callable[[Any, datetime.date, str], Iterable[str] | None] | None = None,
    detail: Callable[[Any], dict[str, Any]] | None = None,
    lock: Callable[[Any], Any] | None = None,
    organisation: Any = None,
) -> Any:
    """The one "publish an approved piece of content" step of the kinds' publish services
    (called by ``content_publish`` through their adapters): row lock, refused if already
    published (``already``, the kind's wording) or not approved at the final level
    (``approved_or_reason``), then status 已发布, 发布日期 (``on`` or today; ``keep_date``: a
    date set by an earlier publication stays) and the audit row, in one transaction.

    The kind's own part comes after the approval check: ``problem(locked)``, why it cannot go
    public now ("" if it can: the kind's submit rule asked again), then ``prepare(locked, day,
    reason)``, what publication applies (a list adjustment's versions; it may still refuse),
    returning the extra fields it changed; ``detail(locked)`` adds to
    the audit row, which names ``organisation`` (default: the row's own); ``lock`` re-reads the
    row (default: ``select_for_update`` of the row).
    ``content_published`` is announced by ``content_publish``, not here. Returns the locked
    row; ``obj`` is refreshed."""
    with transaction.atomic():
        if lock is not None:
            locked = lock(obj)
        else:
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.status == ContentStatus.PUBLISHED:
            raise ValidationError(already or _("该内容已经发布"))
        reason = approved_or_reason(locked, without_review)
        refusal = problem(locked) if problem is not None else ""
        if refusal:
            raise ValidationError(refusal)
        day = on or timezone.localdate()
        fields = ["status", "published_date", "updated_at"]
        if prepare is not None:
            fields += list(prepare(locked, day, reason) or [])
        locked.status = ContentStatus.PUBLISHED
        locked.published_date = (locked.published_date if keep_date else None) or day
        locked.save(update_fields=fields)
        audit_record(
            action=AuditEntry.Action.PUBLISH,
            acting_user=acting_user,
            target=locked,
            organisation=organisation,
            detail={
                **(detail(locked) if detail is not None else {}),
                **({"published_without_review": reason} if reason else {}),
            },
        )
    obj.refresh_from_db()
    return locked


def withdraw_published(
    obj: Any,
    *,
    reason: str,
    acting_user: Any,
    also: Callable[[Any], dict[str, Any] | None] | None = None,
) -> Any:
    """The one "take published content off the portal" step of the kinds' withdraw services
    (called by ``review_withdraw`` through their adapters — every 撤回 button's road): row
    lock, status 已撤回, the WITHDRAW audit row with the reason, in one transaction, and
    ``content_withdrawn`` announced once it commits (search, the page cache) — here and only
    here, so every withdrawal is announced exactly once whoever calls it.

    The kind's own refusals come before the call; ``also(locked)`` is what withdrawal does
    besides in the same transaction (an item closes its open 修订稿), returning additions to
    the audit row. Returns the locked row; ``obj`` is refreshed."""
    kind = str(adapter_for(obj).kind)
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        locked.status = ContentStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        extra = (also(locked) if also is not None else None) or {}
        audit_record(
            action=AuditEntry.Action.WITHDRAW,
            acting_user=acting_user,
            target=locked,
            detail={"reason": reason, **extra},
        )
        announce(content_withdrawn, locked, kind=kind)
    obj.refresh_from_db()
    return locked


def review_publish_due(*, now: datetime.datetime | None = None) -> list[ReviewRequest]:
    """定时发布: publish every approved request whose 定时发布时间 has come (the periodic task
    and ``gongkai publish_scheduled``). Each one in its own transaction, so one failure does
    not hold back the others."""
    now = now or timezone.now()
    done: list[ReviewRequest] = []
    publishing = [
        entry.kind for entry in content_registry.reviewed() if entry.review_adapter.publishes
    ]
    approved = ReviewRequest.objects.filter(
        state=ContentStatus.APPROVED, content_kind__in=publishing
    ).order_by("id")
    for request in approved:
        adapter = adapter_for_kind(request.content_kind)
        with transaction.atomic():
            locked = ReviewRequest.objects.select_for_update().get(pk=request.pk)
            if locked.state != ContentStatus.APPROVED:
                continue
            obj = _locked(locked.content)
            when = adapter.scheduled_at(obj)
            if when is not None and when > now:
                continue
            on = timezone.localtime(when).date() if when is not None else None
            content_publish(adapter=adapter, obj=obj, on=on)
            locked.state = ContentStatus.PUBLISHED
            locked.save(update_fields=["state", "updated_at"])
            done.append(locked)
    return done


def review_withdraw(*, content: Any, reason: str, acting_user: Any) -> Any:
    """Take published content off the public pages, with a reason (the content service goes
    through ``withdraw_published``: status, WITHDRAW row, ``content_withdrawn``); the request
    follows so a resubmission starts at level 1."""
    adapter = adapter_for(content)
    if not adapter.publishes:
        raise ValidationError(
            _("%(kind)s不在网站发布，没有撤回操作") % {"kind": ContentKind(adapter.kind).label}
        )
    reason = (reason or "").strip()
    with transaction.atomic():
        obj = _locked(content)
        try:
            workflow.transition(
                workflow.Position(adapter.status(obj)),
                workflow.WITHDRAW,
                levels=1,
                actor=workflow.Actor(),
                comment=reason,
            )
        except workflow.WorkflowError as error:
            raise _refuse(error) from error
        # The kind's withdraw service goes through ``withdraw_published``, which announces
        # ``content_withdrawn``.
        adapter.withdraw(obj, reason, acting_user)
        request = review_request_for(obj)
        if request is not None:
            ReviewRequest.objects.filter(pk=request.pk).update(
                state=ContentStatus.WITHDRAWN, level=0, updated_at=timezone.now()
            )
    content.refresh_from_db()
    return content


def content_mask_privacy(*, content: Any, acting_user: Any) -> int:
    """One-click masking: replace ID, bank-card, mobile and e-mail numbers by their masked
    forms (rules note §5.6) in the content's text fields, through the content's own edit
    service. Returns how many numbers were masked."""
    adapter = adapter_for(content)
    if adapter.status(content) not in workflow.SUBMITTABLE:
        raise ValidationError(_("审核中或已发布的内容不能直接修改，请先退回或撤回"))
    today = timezone.localdate()
    changes: dict[str, str] = {}
    count = 0
    for name, value in adapter.maskable(content).items():
        findings = privacy_findings(value or "", today=today)
        if not findings:
            continue
        masked = mask(value, findings)
        if masked != value:
            changes[name] = masked
            count += len(findings)
    if changes:
        with transaction.atomic():
            adapter.save_masked(content, changes, acting_user)
    return count


def review_chain_set(
    *, organisation: Organisation | None, content_kind: str, levels: int, acting_user: Any
) -> ReviewChain:
    """Configure the number of levels (政务公开管理员 of the organisation; superusers for the
    platform default)."""
    registered = content_registry.get(content_kind)
    if content_kind not in ContentKind.values and (
        registered is None or registered.review_adapter is None
    ):
        raise ValidationError({"content_kind": _("内容类型不正确")})
    try:
        workflow.validate_levels(levels)
    except workflow.WorkflowError as error:
        raise ValidationError({"levels": str(error)}) from error
    if organisation is None:
        allowed = bool(getattr(acting_user, "is_superuser", False))
    else:
        allowed = user_has_role(acting_user, organisation, Role.ADMIN)
    if not allowed:
        raise PermissionDenied(_("只有政务公开管理员可以设置审核流程"))
    with transaction.atomic():
        chain, _created = ReviewChain.objects.update_or_create(
            organisation=organisation, content_kind=content_kind, defaults={"levels": levels}
        )
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=chain,
            organisation=organisation,
            detail={"content_kind": content_kind, "levels": levels},
        )
    return chain


def revoked_role_warnings(sender: Any = None, assignments: Any = (), **kwargs: Any) -> list[str]:
    """``core.signals.roles_revoked``: the chain levels that the revoked 审核人 assignments left
    without any reviewer (issue 19 item 7) — whatever is submitted there would be stranded."""
    out: list[str] = []
    for assignment in assignments:
        if assignment.role != Role.REVIEWER or not assignment.review_level:
            continue
        below = (
            organisations_under(assignment.organisation)
            if assignment.include_descendants
            else [assignment.organisation]
        )
        for gap in chain_gaps(below):
            if gap.level != assignment.review_level:
                continue
            text = _("已移除该级别的最后一名审核人：%(gap)s，在该机构提交审核将被拒绝") % {
                "gap": gap.message
            }
            if text not in out:
                out.append(text)
    return out
